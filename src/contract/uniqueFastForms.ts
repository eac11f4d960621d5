/**
 * The fast forms of the checked layer's `UniqueFrame` ops (see `fastPath.ts`): `UniqueFrame::from_unused`,
 * `UniqueFrame::drop`, `Frame::from_unique` and `UniqueFrame::try_from_shared`, each clause of the op's table as a predicate over the call's footprint. A
 * predicate answers `true` only when the clause holds for the ghost states the full check would build;
 * anything it cannot decide on the footprint answers `false`, and the full check then runs.
 */
import { frameFromUnique, uniqueDrop, uniqueFromUnused, uniqueTryFromShared } from '../../spec/frame/UniqueFrame.ts';
import { maxNrPages } from '../../spec/frame/regionFacts.ts';
import { MAX_META_SLOTS, type ModelParams } from '../../spec/vocab.ts';
import { newFootprint, specialize, type FastCheck, type FastClause, type Footprint } from './fastPath.ts';

/** The footprint of a checked frame-layer call: a slot op's, plus what the unique ops' requires read of the handle and the old owner. */
export type LayerFootprint = Footprint & {
  /** The old owner's ghost usage is `Unused` (no claim ever took the slot). */
  usageUnused: boolean;
  /** The unique owner's slot index is below `MAX_NR_PAGES` and `max_meta_slots()` (`owner.inv()`). */
  ownerInv: boolean;
  /** The handle's pointer is `meta_addr(owner.slot_index)` (`self.wf(owner)`). */
  wf: boolean;
  /** The old owner: `self_addr == meta_addr(i)`, `in_list == 0`, the storage and the vtable initialized. */
  selfAddrOk: boolean;
  inListZeroBefore: boolean;
  storageInit: boolean;
  vtableInit: boolean;
};

/** A fresh layer footprint (one per checked layer, reused by every call). */
export function newLayerFootprint(): LayerFootprint {
  return {
    ...newFootprint(),
    usageUnused: false,
    ownerInv: false,
    wf: false,
    selfAddrOk: false,
    inListZeroBefore: false,
    storageInit: false,
    vtableInit: false,
  };
}

/** `owner.inv()` of a unique owner at slot `i`: below `MAX_NR_PAGES` and `max_meta_slots()`. */
export function uniqueOwnerInvAt(i: number, p: ModelParams): boolean {
  return i >= 0 && i < maxNrPages(p) && i < MAX_META_SLOTS;
}

/** The error a failed claim names for an observed count (`undefined` for UNUSED, which a claim takes). */
export function claimErrorOf(v: bigint, p: ModelParams): string | undefined {
  return v === p.refCountUnused ? undefined : v === p.refCountUnique ? 'Unique' : v === 0n ? 'Busy' : 'InUse';
}

/**
 * `UniqueFrame::from_unused` on the slot of `paddr` (`f.i`; an address without a slot never takes the
 * fast path): `get_from_unused(paddr, metadata, true)` plus the obligation the wrapper mints on `Ok` and
 * the usage it sets. On `Ok`, `f.claimed` says the final owner is exactly the claimed UNIQUE one,
 * `f.metaOk` that its storage is the metadata, and the owner the layer returns names slot `f.ptr`; the
 * count clauses read the count before the call.
 */
export function uniqueFromUnusedFast(p: ModelParams): FastCheck<LayerFootprint> | undefined {
  const claim = (f: Footprint) => f.withinSlot && f.claimed && f.inListZero && f.beforeRc === p.refCountUnused;
  const req = (n: string, c: FastClause<LayerFootprint>) => [`UniqueFrame::from_unused.requires.${n}`, c] as const;
  const ens = (n: string, c: FastClause<LayerFootprint>) => [`UniqueFrame::from_unused.ensures.${n}`, c] as const;
  return specialize(uniqueFromUnused, {
    clauses: Object.fromEntries([
      req('owners_contain', (f) => f.i >= 0),
      req('usage_unused', (f) => f.usageUnused),
      req('regions_inv', (f) => f.invBefore),
      ens('unsafe_err', (f) => f.i >= 0 || !f.ok),
      ens('ok_obligations', () => true),
      ens('err_obligations', () => true),
      ens('final_inv', (f) => f.invFinal),
      ens('ok_owner', (f) => !f.ok || (f.ptr === f.i && f.metaOk)),
      ens('ok_claimed', (f) => !f.ok || claim(f)),
      ens('err_unchanged', (f) => f.ok || f.nothingWritten),
      ens('err_kind', (f) => f.ok || f.error === claimErrorOf(f.beforeRc, p)),
    ]),
    // next(old): an UNUSED count is claimed UNIQUE (the claimed owner, one obligation minted, the frame at
    // `paddr` and its owner); any other count is the error it names, nothing changed.
    refinement: (f) =>
      f.ok ? claim(f) && f.ptr === f.i && f.permPresent : f.nothingWritten && f.error === claimErrorOf(f.beforeRc, p),
  });
}

/**
 * `UniqueFrame::drop` of a live unique handle on its slot `f.i`: the requires on the handle and the old
 * owner; the teardown on the owner it left (`f.tornDown`), its writes to the count (`f.throughZero`:
 * 0, then UNUSED) and its deallocation (`f.deallocSelf`), every write within the slot; the ledger's
 * `remove(i)` is the wrapper's proof code once the ledger holds one (`f.ledgerHas`).
 */
export function uniqueDropFast(p: ModelParams): FastCheck<LayerFootprint> | undefined {
  const within = (f: Footprint) => f.withinSlot;
  const req = (n: string, c: FastClause<LayerFootprint>) => [`UniqueFrame::drop.requires.${n}`, c] as const;
  const ens = (n: string, c: FastClause<LayerFootprint>) => [`UniqueFrame::drop.ensures.${n}`, c] as const;
  return specialize(uniqueDrop, {
    clauses: Object.fromEntries([
      req('owner_inv', (f) => f.ownerInv),
      req('wf', (f) => f.wf),
      req('owners_contain', (f) => f.i >= 0),
      req('self_addr', (f) => f.selfAddrOk),
      req('rc_unique', (f) => f.beforeRc === p.refCountUnique),
      req('in_list_zero', (f) => f.inListZeroBefore),
      req('storage_init', (f) => f.storageInit),
      req('vtable_init', (f) => f.vtableInit),
      req('regions_inv', (f) => f.invBefore),
      req('paths_empty', (f) => f.pathsEmpty),
      req('obligation', (f) => f.ledgerHas),
      ens('final_inv', (f) => f.invFinal),
      ens('slots_unchanged', within),
      ens('others_unchanged', within),
      ens('obligations', (f) => f.ledgerHas),
      ens('unused', (f) => f.tornDown),
      ens('through_zero', (f) => f.throughZero),
      ens('dealloc', (f) => f.deallocSelf),
    ]),
    // next(old): the slot torn down (0, then UNUSED), the obligation redeemed, the frame deallocated.
    refinement: (f) => f.withinSlot && f.tornDown && f.throughZero && f.deallocSelf && f.ledgerHas,
  });
}

/**
 * `Frame::from_unique` (`From<UniqueFrame> for Frame`) of a live unique handle on its slot `f.i`: the
 * requires on the handle and the slot before the call; the count it stores (1) and nothing else written
 * (`f.onlyRc`); the ledger is untouched (the obligation carries over to the `Frame`).
 */
export function frameFromUniqueFast(p: ModelParams): FastCheck<LayerFootprint> | undefined {
  const onlyRc = (f: LayerFootprint) => f.onlyRc;
  const live = (f: LayerFootprint) => f.beforeRc === p.refCountUnique;
  const n = (kind: string, name: string) => `Frame::from_unique.${kind}.${name}`;
  return specialize(frameFromUnique, {
    clauses: {
      [n('requires', 'wf')]: (f) => f.wf,
      [n('requires', 'owner_inv')]: (f) => f.ownerInv,
      [n('requires', 'regions_inv')]: (f) => f.invBefore,
      [n('ensures', 'slots_unchanged')]: onlyRc,
      [n('ensures', 'domain')]: onlyRc,
      [n('ensures', 'rc_one')]: (f) => !live(f) || f.finalRc === 1n,
      [n('ensures', 'final_inv')]: (f) => !live(f) || f.invFinal,
      [n('ensures', 'slot_kept')]: (f) => !live(f) || f.onlyRc,
      [n('ensures', 'obligations')]: () => true,
    },
    // next(old): the count set to 1, every other field kept, the frame at the same slot.
    refinement: (f) => f.onlyRc && f.finalRc === 1n,
  });
}

/**
 * `UniqueFrame::try_from_shared` of a live frame handle on its slot `f.i`: `Ok` exactly when the CAS
 * 1 → UNIQUE succeeded (`f.ok`), which writes the count alone; an error writes nothing.
 */
export function uniqueTryFromSharedFast(p: ModelParams): FastCheck<LayerFootprint> | undefined {
  const unique = p.refCountUnique ?? 1n;
  const onlyRc = (f: LayerFootprint) => f.onlyRc;
  const n = (kind: string, name: string) => `UniqueFrame::try_from_shared.${kind}.${name}`;
  return specialize(uniqueTryFromShared, {
    clauses: {
      [n('requires', 'frame_inv')]: (f) => f.i >= 0,
      [n('requires', 'regions_inv')]: (f) => f.invBefore,
      [n('ensures', 'slots_unchanged')]: onlyRc,
      [n('ensures', 'domain')]: onlyRc,
      [n('ensures', 'ok_iff_sole')]: (f) => f.ok === (f.beforeRc === 1n),
      [n('ensures', 'ok_unique')]: (f) => !f.ok || f.finalRc === unique,
      [n('ensures', 'err_unchanged')]: (f) => f.ok || f.nothingWritten,
      [n('ensures', 'final_inv')]: (f) => f.invFinal,
      [n('ensures', 'slot_kept')]: onlyRc,
    },
    // next(old): a count of 1 becomes UNIQUE (the same frame, now unique); any other count, nothing changed.
    refinement: (f) => (f.beforeRc === 1n ? f.ok && f.onlyRc && f.finalRc === unique : !f.ok && f.nothingWritten),
  });
}
