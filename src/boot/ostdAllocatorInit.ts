/**
 * OSTD's `allocator::init`: retire the early allocator, then give the global allocator every
 * `Usable` region minus both early-allocated ranges (two nested `range_difference` passes).
 *
 * @see upstream `ostd/src/mm/frame/allocator.rs` (`init`)
 */
import { rangeDifference } from '../../impl/alloc/rangeDifference.ts';
import { rangesOfType } from './bootRanges.ts';
import { hexAddr } from './bootKernel.ts';
import type { OstdMachine } from './ostdMachine.ts';

/**
 * Adds the free memory to `m.buddy`. Upstream's `add_free_memory` returns nothing; ours reports a
 * range it refuses (overlapping memory already added or free), and each refusal is returned as a
 * violation sentence.
 */
export function allocatorInit(m: OstdMachine): string[] {
  const [range1, range2] = m.early.allocatedRegions();
  const refused: string[] = [];
  for (const region of rangesOfType(m.map, 'Usable', BigInt(m.maxPaddr))) {
    for (const r1 of rangeDifference(region, range1)) {
      for (const r2 of rangeDifference(r1, range2)) {
        const r = m.buddy.addFreeMemory(r2.start, r2.end - r2.start);
        if (!r.ok)
          refused.push(
            `allocator::init: add_free_memory(${hexAddr(r2.start)}..${hexAddr(r2.end)}) refused: ${r.error}`,
          );
      }
    }
  }
  return refused;
}
