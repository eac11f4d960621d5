/**
 * The fast forms of the checked frame layer's ops (see `fastPath.ts`): each clause of the op's table
 * as a predicate over the call's footprint. A predicate answers `true` only when the clause holds for
 * the ghost states the full check would build; anything it cannot decide on the footprint answers
 * `false`, and the full check then runs.
 */
import { frameClone, frameDrop, frameFromInUse } from '../../spec/frame/Frame.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { specialize, type FastCheck, type FastClause, type Footprint } from './fastPath.ts';
import { inUseErrorOf } from './fastForms.ts';

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
 * `Frame::drop` of a reference that is not the last (the fast form answers `false` on a last drop:
 * the teardown goes to the full check). `f.permSlot` is `slots[i].addr()` in index form (-1 when the
 * region holds no permission), `f.ledgerHas`/`f.oblIsKey` decide the obligation argument, and the
 * ledger's `remove(obl)` is the wrapper's proof code once the ledger holds one.
 */
export function frameDropFast(p: ModelParams): FastCheck | undefined {
  const inRange = (f: Footprint) => f.i >= 0;
  const notLast = (f: Footprint) => !f.last && f.oldRc !== 1n && f.deallocs === 0;
  const req = (n: string, c: FastClause): [string, FastClause] => [`Frame::drop.requires.${n}`, c];
  const ens = (n: string, c: FastClause): [string, FastClause] => [`Frame::drop.ensures.${n}`, c];
  return specialize(frameDrop, {
    clauses: {
      ...Object.fromEntries([
        req('frame_inv', inRange),
        req('owners_contain', inRange),
        req('regions_inv', (f) => f.invBefore),
        req('slots_contain', (f) => f.permSlot >= 0),
        req('slot_pptr', (f) => f.permSlot === f.i),
        req('rc_not_unused', (f) => f.beforeRc !== p.refCountUnused),
        req('rc_not_unique', (f) => f.beforeRc !== p.refCountUnique),
        req('rc_pos', (f) => f.beforeRc > 0n),
        req('rc_le_max', (f) => f.beforeRc <= p.refCountMax),
        req('last_paths_empty', (f) => f.beforeRc !== 1n),
        req('obligation', (f) => f.ledgerHas),
        req('obl_key', (f) => f.oblIsKey),
        ens('regions_inv', (f) => f.invFinal),
        ens('last_unused', (f) => f.oldRc !== 1n),
        ens('dec', (f) => f.oldRc > 1n && f.finalRc === f.oldRc - 1n),
        ens('obligations', (f) => f.ledgerHas),
        ens('last_iff_one', (f) => !f.last && f.oldRc !== 1n),
        ens('last_through_zero', (f) => !f.last),
        ens('last_dealloc', notLast),
      ]),
      ...countOnly('Frame::drop', [
        'others_unchanged',
        'slots_unchanged',
        'domain',
        'self_addr',
        'usage',
        'paths_in_pt',
      ]),
    },
    // next(old) for a count above 1: one write of count - 1, the obligation redeemed, no deallocation.
    refinement: (f) =>
      notLast(f) && f.oldRc > 1n && f.onlyRc && f.rcWrites === 1 && f.finalRc === f.oldRc - 1n && f.ledgerHas,
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
