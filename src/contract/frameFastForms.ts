/**
 * The fast forms of the checked frame layer's ops (see `fastPath.ts`): each clause of the op's table
 * as a predicate over the call's footprint. A predicate answers `true` only when the clause holds for
 * the ghost states the full check would build; anything it cannot decide on the footprint answers
 * `false`, and the full check then runs.
 */
import { frameClone, frameDrop, frameFromInUse, frameFromUnused } from '../../spec/frame/Frame.ts';
import { withOwnerFields, type MetaSlotOwner, type MetaSlotStorage } from '../../spec/meta/MetaSlotOwner.ts';
import { ghostEq, permissionU64, UNINIT } from '../../spec/meta/perms.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { sameSlotFields, specialize, type FastCheck, type FastClause, type Footprint } from './fastPath.ts';
import { inUseErrorOf } from './fastForms.ts';
import { claimErrorOf } from './uniqueFastForms.ts';

/** The clauses of `op` that say only the slot's count moved: every other field, slot and domain is kept. */
function countOnly(op: string, names: readonly string[]): Record<string, FastClause> {
  const onlyRc = (f: Footprint) => f.onlyRc;
  return Object.fromEntries(names.map((n) => [`${op}.ensures.${n}`, onlyRc]));
}

/**
 * `Frame::clone` on the handle's slot. `f.i` is the handle's slot (a handle the layer minted, so its
 * pointer is a slot address below the bound: `frame_inv`, `owners_contain` and `safe_slot` hold);
 * `f.invBefore`/`f.invFinal` are `regions.inv()` at the slot before and after. The ledger's `insert(idx)`
 * is the wrapper's own proof code, the same in both paths.
 */
export function frameCloneFast(p: ModelParams): FastCheck | undefined {
  const shared = (v: bigint) => v > 0n && v < p.refCountMax;
  const inRange = (f: Footprint) => f.i >= 0;
  return specialize(frameClone, {
    clauses: {
      'Frame::clone.requires.frame_inv': inRange,
      'Frame::clone.requires.regions_inv': (f) => f.invBefore,
      'Frame::clone.requires.slots_contain': (f) => f.permSlot >= 0,
      'Frame::clone.requires.owners_contain': inRange,
      'Frame::clone.requires.rc_pos': (f) => f.beforeRc > 0n,
      'Frame::clone.requires.rc_not_unused': (f) => f.beforeRc !== p.refCountUnused,
      'Frame::clone.requires.safe_slot': inRange,
      'Frame::clone.ensures.regions_inv': (f) => f.invFinal,
      'Frame::clone.ensures.rc_inc': (f) => f.finalRc === f.oldRc + 1n,
      ...countOnly('Frame::clone', [
        'rc_id',
        'storage',
        'vtable_ptr',
        'in_list',
        'paths_in_pt',
        'self_addr',
        'usage',
        'slots_unchanged',
        'others_unchanged',
        'domain',
      ]),
      'Frame::clone.ensures.obligations': () => true,
      'Frame::clone.ensures.aborts_exactly': (f) => f.oldRc < p.refCountMax,
    },
    // next(old): a count below REF_COUNT_MAX incremented, one obligation minted, the same pointer.
    refinement: (f) => f.ok && f.ptr === f.i && shared(f.oldRc) && f.onlyRc && f.finalRc === f.oldRc + 1n,
  });
}

/**
 * `Frame::drop`, the last reference or not. `f.permSlot` is `slots[i].addr()` in index form (-1 when the
 * region holds no permission), `f.ledgerHas`/`f.oblIsKey` decide the obligation argument, and the
 * ledger's `remove(obl)` is the wrapper's proof code once the ledger holds one. A drop that is not the
 * last moves the count alone (`f.onlyRc`); the last one (old count 1) writes within its slot only
 * (`f.withinSlot`), leaves the torn-down owner (`f.tornDown`), writes the count 0 then UNUSED
 * (`f.throughZero`) and deallocates its own frame (`f.deallocSelf`).
 */
export function frameDropFast(p: ModelParams): FastCheck | undefined {
  const inRange = (f: Footprint) => f.i >= 0;
  const lastOk = (f: Footprint) =>
    f.last && f.oldRc === 1n && f.withinSlot && f.tornDown && f.throughZero && f.deallocSelf;
  const notLast = (f: Footprint) => !f.last && f.oldRc !== 1n && f.deallocs === 0;
  // The owner's address and ghost fields kept: no word of the slot but the count was written, or the owner read after keeps them.
  const fieldsKept = (f: Footprint) => f.slotOnlyRc || f.ghostKept;
  const within = (f: Footprint) => f.withinSlot;
  const req = (n: string, c: FastClause): [string, FastClause] => [`Frame::drop.requires.${n}`, c];
  const ens = (n: string, c: FastClause): [string, FastClause] => [`Frame::drop.ensures.${n}`, c];
  return specialize(frameDrop, {
    clauses: Object.fromEntries([
      req('frame_inv', inRange),
      req('owners_contain', inRange),
      req('regions_inv', (f) => f.invBefore),
      req('slots_contain', (f) => f.permSlot >= 0),
      req('slot_pptr', (f) => f.permSlot === f.i),
      req('rc_not_unused', (f) => f.beforeRc !== p.refCountUnused),
      req('rc_not_unique', (f) => f.beforeRc !== p.refCountUnique),
      req('rc_pos', (f) => f.beforeRc > 0n),
      req('rc_le_max', (f) => f.beforeRc <= p.refCountMax),
      req('last_paths_empty', (f) => f.beforeRc !== 1n || f.pathsEmpty),
      req('obligation', (f) => f.ledgerHas),
      req('obl_key', (f) => f.oblIsKey),
      ens('regions_inv', (f) => f.invFinal),
      // Every word written lies in the slot: the region's other owners and its permissions are as they were.
      ...['others_unchanged', 'slots_unchanged', 'domain'].map((n) => ens(n, within)),
      ...['self_addr', 'usage', 'paths_in_pt'].map((n) => ens(n, fieldsKept)),
      ens('last_unused', (f) => f.oldRc !== 1n || f.tornDown),
      ens('dec', (f) => f.oldRc === 1n || (f.oldRc > 1n && f.finalRc === f.oldRc - 1n)),
      ens('obligations', (f) => f.ledgerHas),
      ens('last_iff_one', (f) => f.last === (f.oldRc === 1n)),
      ens('last_through_zero', (f) => !f.last || f.throughZero),
      ens('last_dealloc', (f) => (f.last ? f.deallocSelf : f.deallocs === 0)),
    ]),
    // next(old): a count above 1 takes one write of count - 1 and no deallocation; a count of 1 tears the
    // slot down (0, then UNUSED) and deallocates the frame; the obligation is redeemed.
    refinement: (f) =>
      f.ledgerHas &&
      (lastOk(f) || (notLast(f) && f.oldRc > 1n && f.onlyRc && f.rcWrites === 1 && f.finalRc === f.oldRc - 1n)),
  });
}

/**
 * The owner a last drop leaves at a slot whose owner was `o`: the count UNUSED, the storage and the
 * vtable uninitialized, every other field kept (the same permission ids).
 */
export function tornDownOwner(o: MetaSlotOwner, p: ModelParams): MetaSlotOwner {
  return withOwnerFields(o, {
    refCount: permissionU64(o.innerPerms.refCount.id, p.refCountUnused),
    storage: Object.freeze({ id: o.innerPerms.storage.id, contents: UNINIT }),
    vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: UNINIT }),
  });
}

/**
 * `ownerEq(final, tornDownOwner(o, p))` field by field, building no owner: the count UNUSED with `o`'s
 * id, the storage and the vtable uninitialized at `o`'s id and address, every other field `o`'s.
 */
export function isTornDown(final: MetaSlotOwner, o: MetaSlotOwner, p: ModelParams): boolean {
  const x = final.innerPerms;
  return (
    final.usage === o.usage &&
    x.refCount.value === p.refCountUnused &&
    !x.storage.contents.init &&
    !x.vtablePtr.contents.init &&
    sameSlotFields(final, o)
  );
}

/**
 * `ownerEq(final, claimedOwner(o, metadata, asUnique, p))` field by field, building no owner: the count
 * 1 (UNIQUE when `asUnique`) with `o`'s id, the storage holding `metadata` and the vtable its type at
 * `o`'s id and address, usage `Frame`, every other field `o`'s.
 */
export function isClaimed(
  final: MetaSlotOwner,
  o: MetaSlotOwner,
  metadata: MetaSlotStorage,
  asUnique: boolean,
  p: ModelParams,
): boolean {
  const x = final.innerPerms;
  const s = x.storage.contents;
  const v = x.vtablePtr.contents;
  return (
    final.usage === 'Frame' &&
    x.refCount.value === (asUnique ? (p.refCountUnique ?? 1n) : 1n) &&
    s.init &&
    ghostEq(s.value, metadata) &&
    v.init &&
    ghostEq(v.value, metadata.type) &&
    sameSlotFields(final, o)
  );
}

/**
 * `Frame::from_unused` on the slot of `paddr` (`f.i`; an address without a slot never takes the fast
 * path): `get_from_unused(paddr, metadata, false)` plus the obligation the wrapper's proof code mints on
 * `Ok` (the same code in both paths) and the usage it sets. On `Ok`, `f.claimed` says the final owner
 * is exactly the claimed one (count 1, the metadata, usage `Frame`, every other field kept),
 * `f.inListZero` and `f.metaOk` read it, and `f.invFinal` is `regions.inv()` at the slot with it; the
 * count clauses read the count before the call.
 */
export function frameFromUnusedFast(p: ModelParams): FastCheck | undefined {
  const claimError = (v: bigint) => claimErrorOf(v, p);
  const claim = (f: Footprint) => f.withinSlot && f.claimed && f.inListZero && f.beforeRc === p.refCountUnused;
  const ens = (n: string, c: FastClause): [string, FastClause] => [`Frame::from_unused.ensures.${n}`, c];
  return specialize(frameFromUnused, {
    clauses: {
      'Frame::from_unused.requires.regions_inv': (f) => f.invBefore,
      ...Object.fromEntries([
        ens('final_inv', (f) => f.invFinal),
        ens('ok_ptr', (f) => !f.ok || f.ptr === f.i),
        ens('ok_spec', (f) => !f.ok || claim(f)),
        ens('ok_reparked', (f) => !f.ok || f.withinSlot),
        ens('unsafe_err', (f) => f.i >= 0 || !f.ok),
        ens('ok_obligations', () => true),
        ens('err_obligations', () => true),
        ens('err_unchanged', (f) => f.ok || f.nothingWritten),
        ens('err_kind', (f) => f.ok || f.error === claimError(f.beforeRc)),
        ens('ok_metadata', (f) => !f.ok || f.metaOk),
      ]),
    },
    // next(old): an UNUSED count is claimed (the claimed owner, one obligation minted, the frame at `paddr`);
    // any other count is the error it names, nothing changed.
    refinement: (f) =>
      f.ok ? claim(f) && f.ptr === f.i && f.permPresent : f.nothingWritten && f.error === claimError(f.beforeRc),
  });
}

/**
 * `Frame::from_in_use` on the slot of `paddr` (`f.i`, -1 when the address has none): `get_from_in_use`'s
 * footprint plus the obligation the wrapper's proof code mints on `Ok` (the same code in both paths).
 * `f.permSlot` is `slots[i].addr()` in index form; the count clauses read the count before the call.
 */
export function frameFromInUseFast(p: ModelParams): FastCheck | undefined {
  const shared = (v: bigint) => inUseErrorOf(v, p) === undefined;
  const ens = (n: string, c: FastClause): [string, FastClause] => [`Frame::from_in_use.ensures.${n}`, c];
  return specialize(frameFromInUse, {
    clauses: {
      'Frame::from_in_use.requires.regions_inv': (f) => f.invBefore,
      ...Object.fromEntries([
        ens('final_inv', (f) => f.invFinal),
        ens('ok_rc_inc', (f) => !f.ok || f.finalRc === f.beforeRc + 1n),
        ens('ok_ptr', (f) => !f.ok || (f.permSlot >= 0 && f.ptr === f.permSlot)),
        ens('unsafe_err', (f) => f.i >= 0 || !f.ok),
        ens('others_unchanged', (f) => f.onlyRc),
        ens('ok_obligations', () => true),
        ens('err_obligations', () => true),
        ens('err_unchanged', (f) => f.ok || f.nothingWritten),
        ens('err_kind', (f) => f.ok || f.i < 0 || f.error === inUseErrorOf(f.beforeRc, p)),
        ens('aborts_exactly', (f) => f.i < 0 || !(shared(f.beforeRc) && f.beforeRc >= p.refCountMax)),
      ]),
    },
    // next(old): a shared count below REF_COUNT_MAX incremented, one obligation minted, the frame at
    // `paddr` returned; any other count is the error it names, nothing changed.
    refinement: (f) =>
      f.ok
        ? shared(f.beforeRc) && f.beforeRc < p.refCountMax && f.onlyRc && f.finalRc === f.beforeRc + 1n && f.ptr === f.i
        : f.nothingWritten && f.error === inUseErrorOf(f.beforeRc, p),
  });
}
