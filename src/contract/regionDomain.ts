/**
 * The domain conjuncts of `MetaRegionOwners::inv()` where a call's ghost step changed an entry.
 *
 * The checked layers evaluate the region invariant at the indices a call touched in memory. Proof code
 * can change the ghost maps elsewhere: park a permission or record an owner at an index outside
 * `[0, max_meta_slots)`, or extract another slot's permission. Those changes break the conjuncts about
 * which keys the maps hold (`owners_domain`, `owners_have_slots`, `slots_domain`) at an index no memory
 * access names. Every index whose entry is the same in the old and the final ghost reads the same, so
 * evaluating those conjuncts at the changed keys alone (a diff of the two persistent maps) is as strong
 * as evaluating them everywhere, given they held before the call.
 */
import type { Invariant } from '../../spec/Op.ts';
import { entriesChanged, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import type { InvariantSet } from '../../spec/head/specSet.ts';
import type { FrameIndex, ModelParams } from '../../spec/vocab.ts';
import { coverageEnabled } from './coverage.ts';
import type { InvCheck } from './ContractChecker.ts';

const NONE: readonly InvCheck[] = Object.freeze([]);

/**
 * The checks of `set.regionDomain` at every index whose `slots` or `slot_owners` entry differs between
 * `old` and `final` and that is not in `touched` (where the whole invariant is checked already). When
 * clause coverage is off, only the indices where some conjunct fails are returned (one pass, no report
 * objects on the passing path); with it on, every evaluation is returned so that it is counted.
 */
export function domainChecks(
  set: InvariantSet,
  old: MetaRegionOwners,
  final: MetaRegionOwners,
  touched: readonly FrameIndex[],
  p: ModelParams,
): readonly InvCheck[] {
  if (old.slots === final.slots && old.slotOwners === final.slotOwners) return NONE;
  const count = coverageEnabled();
  let out: InvCheck[] | undefined;
  // A segment call touches many slots: a set then, so that the pass stays linear.
  const seen = touched.length > 16 ? new Set(touched) : undefined;
  for (const i of entriesChanged(old, final)) {
    if (seen !== undefined ? seen.has(i) : touched.includes(i)) continue;
    const ctx = { value: { region: final, i }, p };
    if (!count && set.regionDomain.every((c) => c.holds(ctx))) continue;
    out ??= [];
    for (const c of set.regionDomain) out.push({ clause: c as Invariant<never>, ctx });
  }
  return out ?? NONE;
}
