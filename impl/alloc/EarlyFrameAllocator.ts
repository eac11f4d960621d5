import { alignDown, alignUp, isIndex, isPowerOfTwo, PAGE_SIZE, rangeLen } from './vocab.ts';
import type { Layout, Paddr, Range } from './vocab.ts';

/** A usable physical memory region, `base..end` (a `MemoryRegion` of type `Usable`). */
export type UsableRegion = Readonly<{ base: Paddr; end: Paddr }>;

/** `0x1_0000_0000`: the early linear mapping covers only the memory below it. */
export const PADDR_4G = 0x1_0000_0000;

const EMPTY: Range = { start: 0, end: 0 };

/** One bump region: its bounds and the next free address. */
type Tail = { readonly range: Range; next: Paddr };

/**
 * The frame allocator of the early boot phase, before frame metadata exists: a bump allocator over
 * at most two regions, the largest usable part below 4 GiB and the largest usable part above it.
 *
 * Nothing is ever freed. When the metadata is ready, `allocatedRegions()` tells `allocator::init`
 * which memory to keep out of the global allocator.
 *
 * @see OSTD `EarlyFrameAllocator` (ostd/src/mm/frame/allocator.rs)
 */
export class EarlyFrameAllocator {
  readonly #under4g: Tail;
  readonly #above4g: Tail;

  /**
   * Picks the two regions. Regions come page-aligned from the boot memory map; any that are not are
   * shrunk to page boundaries first, so every address handed out is a whole usable frame.
   */
  constructor(regions: readonly UsableRegion[]) {
    const usable = regions.map(shrinkToPages);
    this.#under4g = tailOf(largest(usable.map((r) => below4g(r))));
    this.#above4g = tailOf(largest(usable.map((r) => above4g(r))));
  }

  /**
   * Bump-allocates `layout.size` bytes, rounded up to whole pages, at an address aligned to
   * `max(layout.align, PAGE_SIZE)`: from the below-4 GiB region first, then from the above-4 GiB one.
   *
   * ## Postconditions
   * - **Correctness**: the result, if any, starts a range of the rounded size inside one region and
   *   past everything allocated before; `undefined` when neither region has room.
   * - **Frame**: on `undefined` nothing changes.
   * ## Safety
   * Every sum is checked (Rust's `checked_add`): a result past the safe-integer range does not fit.
   */
  alloc(layout: Layout): Paddr | undefined {
    const size = isIndex(layout.size) ? alignUp(layout.size, PAGE_SIZE) : undefined;
    if (size === undefined || !isPowerOfTwo(layout.align)) return undefined;
    const align = Math.max(layout.align, PAGE_SIZE);
    return bump(this.#under4g, size, align) ?? bump(this.#above4g, size, align);
  }

  /** The two allocated ranges, `(under4g.start..under4g.next, above4g.start..above4g.next)`. */
  allocatedRegions(): [Range, Range] {
    return [allocatedPart(this.#under4g), allocatedPart(this.#above4g)];
  }

  /** The two regions the allocator bumps through (empty when there is none). */
  regions(): [Range, Range] {
    return [this.#under4g.range, this.#above4g.range];
  }
}

function shrinkToPages(r: UsableRegion): Range {
  return { start: alignUp(r.base, PAGE_SIZE) ?? r.end, end: alignDown(r.end, PAGE_SIZE) };
}

function below4g(r: Range): Range {
  return r.start < PADDR_4G ? { start: r.start, end: Math.min(r.end, PADDR_4G) } : EMPTY;
}

function above4g(r: Range): Range {
  return r.end > PADDR_4G ? { start: Math.max(r.start, PADDR_4G), end: r.end } : EMPTY;
}

/** The first of the longest ranges, as upstream keeps the earlier one on a tie. */
function largest(ranges: readonly Range[]): Range {
  return ranges.reduce((best, r) => (rangeLen(r) > rangeLen(best) ? r : best), EMPTY);
}

function tailOf(range: Range): Tail {
  return { range, next: range.start };
}

function bump(tail: Tail, size: number, align: number): Paddr | undefined {
  const start = alignUp(tail.next, align);
  if (start === undefined) return undefined;
  const end = start + size;
  if (!Number.isSafeInteger(end) || end > tail.range.end) return undefined;
  tail.next = end;
  return start;
}

function allocatedPart(tail: Tail): Range {
  return { start: tail.range.start, end: tail.next };
}
