/**
 * The fast forms of the checked frame layer's ops (see `fastPath.ts`): each clause of the op's table
 * as a predicate over the call's footprint. A predicate answers `true` only when the clause holds for
 * the ghost states the full check would build; anything it cannot decide on the footprint answers
 * `false`, and the full check then runs.
 */
import { frameClone } from '../../spec/frame/Frame.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { specialize, type FastCheck, type FastClause, type Footprint } from './fastPath.ts';

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
      'Frame::clone.ensures.res_eq_self': (f) => f.ok && f.ptr === f.i,
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
