/**
 * The fast forms of the MetaSlot ops (see `fastPath.ts`): each clause of the op's table as a predicate
 * over the call's footprint. A predicate answers `true` only when the clause holds for the ghost states
 * the full check would build; anything it cannot decide on the footprint answers `false`.
 */
import { getFromInUse, getFromUnused } from '../../spec/meta/MetaSlot.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { specialize, type FastCheck, type Footprint } from './fastPath.ts';

/**
 * `get_from_in_use` on its slot. Only the count word may change, so every ghost field but the count is
 * unchanged, no other slot is touched and the ledger is untouched (the op's proof code is empty).
 */
export function getFromInUseFast(p: ModelParams): FastCheck | undefined {
  const shared = (v: bigint) => inUseErrorOf(v, p) === undefined;
  return specialize(getFromInUse, {
    clauses: {
      'get_from_in_use.requires.regions_inv': (f) => f.invBefore,
      'get_from_in_use.ensures.final_inv': (f) => f.invFinal,
      'get_from_in_use.ensures.unsafe_err': (f) => f.i >= 0 || !f.ok,
      'get_from_in_use.ensures.ok_success': (f) => !f.ok || (f.onlyRc && f.finalRc === f.oldRc + 1n),
      'get_from_in_use.ensures.ok_ptr': (f) => !f.ok || (f.permSlot >= 0 && f.ptr === f.permSlot),
      'get_from_in_use.ensures.err_unchanged': (f) => f.ok || f.nothingWritten,
      'get_from_in_use.ensures.obligations_unchanged': () => true,
      'get_from_in_use.ensures.err_kind': (f) => f.ok || f.i < 0 || f.error === inUseErrorOf(f.oldRc, p),
      // A return at a shared count >= REF_COUNT_MAX is one upstream's abort forbids.
      'get_from_in_use.ensures.aborts_exactly': (f) => f.i < 0 || !(shared(f.oldRc) && f.oldRc >= p.refCountMax),
    },
    // next(old): a shared count below REF_COUNT_MAX is incremented and the slot's address (`frame_to_meta`) returned;
    // any other count is the error it names, nothing changed.
    refinement: (f: Footprint) =>
      f.ok
        ? shared(f.oldRc) && f.oldRc < p.refCountMax && f.onlyRc && f.finalRc === f.oldRc + 1n && f.ptr === f.i
        : f.nothingWritten && f.error === inUseErrorOf(f.oldRc, p),
  });
}

/**
 * `inUseError(v, p)` (spec/meta/MetaSlot.ts) as three comparisons: the error `get_from_in_use` names
 * for an observed count, `undefined` for a shared or overflowed one (a law test compares the two).
 */
export function inUseErrorOf(v: bigint, p: ModelParams): 'Unused' | 'Unique' | 'Busy' | undefined {
  if (v === p.refCountUnused) return 'Unused';
  if (v === p.refCountUnique) return 'Unique';
  return v === 0n ? 'Busy' : undefined;
}

/**
 * `get_from_unused` on its slot, seed era (the proof extracts the slot permission; the checked wrapper
 * re-parks it). `f.oldRc` is the count the claim's CAS observed; the permission and owner facts are
 * the wrapper's (see `Footprint`). `ok_spec` and the refinement read `f.claimed`: the final owner is
 * exactly the claimed owner the spec builds from the old one, and every word written lies in the slot.
 */
export function getFromUnusedFast(p: ModelParams): FastCheck | undefined {
  const claimError = (v: bigint) => (v === p.refCountUnique ? 'Unique' : v === 0n ? 'Busy' : 'InUse');
  const okClaim = (f: Footprint) => f.withinSlot && f.ptr === f.i && f.claimed && f.inListZero;
  const e = (n: string) => `get_from_unused.ensures.${n}`;
  return specialize(getFromUnused, {
    clauses: {
      'get_from_unused.requires.regions_inv': (f) => f.invBefore,
      [e('err_inv')]: (f) => f.ok || f.invFinal,
      [e('err_unchanged')]: (f) => f.ok || f.nothingWritten,
      [e('ok_perm_spec')]: (f) => !f.ok || (f.ptr === f.i && f.permOk),
      [e('ok_perm_wf')]: (f) => !f.ok || (f.ptr === f.i && f.permWf),
      [e('ok_perm_extracted')]: (f) => !f.ok || (f.ptr === f.i && f.permPresent),
      [e('ok_spec')]: (f) => !f.ok || (okClaim(f) && f.oldRc === p.refCountUnused),
      [e('ok_slot_perm_extracted')]: (f) => !f.ok || f.permPresent,
      [e('unsafe_err')]: (f) => f.i >= 0 || !f.ok,
      [e('obligations_unchanged')]: () => true,
      [e('ok_metadata')]: (f) => !f.ok || f.metaOk,
    },
    // next(old): an UNUSED count is claimed (the claimed owner, the permission extracted and returned);
    // any other count is the error it names, nothing changed.
    refinement: (f) =>
      f.ok
        ? f.oldRc === p.refCountUnused && okClaim(f) && f.permPresent
        : f.oldRc !== p.refCountUnused && f.nothingWritten && f.error === claimError(f.oldRc),
  });
}
