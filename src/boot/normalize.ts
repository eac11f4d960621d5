/**
 * OSTD's normalization of the boot memory map: from overlapping, unaligned firmware regions to a
 * sorted, disjoint, page-aligned cover of `[0, end)`.
 *
 * @see asterinas `MemoryRegionArray::into_non_overlapping`, `MemoryRegion::as_aligned`
 *      (ostd/src/boot/memory_region.rs)
 */
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { MEMORY_REGION_TYPES, regionTypeOrder, type MemoryRegion, type MemoryRegionType } from './MemoryRegion.ts';

const PAGE = BigInt(PAGE_SIZE);

/** `x` rounded down to a page boundary. */
export function alignDown(x: bigint): bigint {
  return x - (x % PAGE);
}

/** `x` rounded up to a page boundary (unbounded: the page after `U64_MAX` is `2^64`). */
export function alignUp(x: bigint): bigint {
  return alignDown(x + PAGE - 1n);
}

/**
 * `as_aligned`: a usable region shrinks to the whole pages inside it, any other region grows to
 * the pages it touches, so that no partly-reserved page is ever handed out. `undefined` when a
 * usable region holds no whole page and its shrunk bounds cross (OSTD's `end - base` would
 * underflow there); a usable region shrunk to exactly zero length is kept, as OSTD keeps it.
 */
export function asAligned(region: MemoryRegion): MemoryRegion | undefined {
  const usable = region.type === 'Usable';
  const base = usable ? alignUp(region.base) : alignDown(region.base);
  const end = usable ? alignDown(region.end) : alignUp(region.end);
  return base <= end ? { base, end, type: region.type } : undefined;
}

type Event = { at: bigint; order: number; delta: 1 | -1 };

function eventsOf(aligned: readonly MemoryRegion[]): Event[] {
  const events = aligned.flatMap((r): Event[] => {
    const order = regionTypeOrder(r.type);
    return [
      { at: r.base, order, delta: 1 },
      { at: r.end, order, delta: -1 },
    ];
  });
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The most restrictive type with a live region, or `Unknown` in a gap. */
function mostRestrictive(live: readonly number[]): MemoryRegionType {
  const order = live.findIndex((count) => count > 0);
  return MEMORY_REGION_TYPES[order] ?? 'Unknown';
}

function pushMerged(out: MemoryRegion[], region: MemoryRegion): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.type === region.type) out[out.length - 1] = { ...last, end: region.end };
  else out.push(region);
}

/**
 * Sweeps the boundary points from 0: each interval between consecutive points takes the most
 * restrictive type live over it. Stops at the first point at or past `limit`, as OSTD's loop does.
 */
function sweep(aligned: readonly MemoryRegion[], limit: bigint): MemoryRegion[] {
  const events = eventsOf(aligned);
  const live = MEMORY_REGION_TYPES.map(() => 0);
  const out: MemoryRegion[] = [];
  let next = 0;
  let cursor = 0n;
  while (cursor < limit) {
    for (; next < events.length && (events[next]?.at ?? 0n) <= cursor; next++) {
      const event = events[next];
      if (event !== undefined) live[event.order] = (live[event.order] ?? 0) + event.delta;
    }
    // A surviving region ends at or past `limit`, so a point above `cursor` always remains.
    const right = events[next]?.at ?? limit;
    pushMerged(out, { base: cursor, end: right, type: mostRestrictive(live) });
    cursor = right;
  }
  return out;
}

/**
 * `MemoryRegionArray::into_non_overlapping`: aligns every region ({@link asAligned}), then covers
 * `[0, end)` with disjoint regions where each page takes the lowest-discriminant type among the
 * aligned regions covering it, a page no region covers is `Unknown`, and adjacent regions of one
 * type are merged.
 *
 * ## Postconditions
 * - **Shape**: sorted, disjoint, contiguous from 0, page-aligned, no two neighbours of one type.
 * - **Extent**: `end` is the first boundary of an aligned region at or past
 *   `alignDown(max raw end)` over the surviving regions, as OSTD's `max_addr` loop. So when the
 *   highest raw end is an unaligned end of a non-usable region and another boundary sits on the
 *   page below it, that last partial page is cut (OSTD does the same); and the result may end at
 *   `2^64` when a non-usable region grows across the last page boundary of the u64 space.
 * - **Divergences**: OSTD panics on a usable region with crossing shrunk bounds (dropped here)
 *   and returns one zero-length `BadMemory` region for an empty map (empty here).
 * - **Cost**: `O(n log n)` in the number of regions, independent of their sizes.
 */
export function intoNonOverlapping(regions: readonly MemoryRegion[]): MemoryRegion[] {
  const survivors = regions.flatMap((raw) => {
    const aligned = asAligned(raw);
    return aligned === undefined ? [] : [{ raw, aligned }];
  });
  const limit = survivors.reduce((max, { raw }) => (alignDown(raw.end) > max ? alignDown(raw.end) : max), 0n);
  return sweep(
    survivors.map(({ aligned }) => aligned),
    limit,
  );
}
