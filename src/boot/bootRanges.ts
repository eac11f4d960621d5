/**
 * Range arithmetic of the boot simulations on safe-integer physical addresses: frame counts,
 * intersections, and differences of sorted, disjoint range lists (linear merges, never per frame).
 */
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { MemoryRegion, MemoryRegionType } from './MemoryRegion.ts';

/** A half-open range `start..end` of safe-integer physical addresses. */
export type AddrRange = Readonly<{ start: number; end: number }>;

/** The number of whole frames of a page-aligned range (0 when empty). */
export function framesOf(r: AddrRange): number {
  return Math.max(0, r.end - r.start) / PAGE_SIZE;
}

/** The total frames of a list of page-aligned ranges. */
export function totalFrames(rs: readonly AddrRange[]): number {
  return rs.reduce((n, r) => n + framesOf(r), 0);
}

/** A region as a number range; the caller has checked that its end is a safe integer. */
export function toRange(region: MemoryRegion): AddrRange {
  return { start: Number(region.base), end: Number(region.end) };
}

/** The ranges of the regions of `type` ending at or below `limit`, in map order. */
export function rangesOfType(map: readonly MemoryRegion[], type: MemoryRegionType, limit: bigint): AddrRange[] {
  return map.filter((r) => r.type === type && r.end <= limit && r.base < r.end).map(toRange);
}

/** The intersection of two sorted, disjoint range lists (sorted, disjoint, non-empty). */
export function intersect(a: readonly AddrRange[], b: readonly AddrRange[]): AddrRange[] {
  const out: AddrRange[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end <= y.end) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`, both sorted and disjoint: the parts of `a` no range of `b` covers. */
export function subtract(a: readonly AddrRange[], b: readonly AddrRange[]): AddrRange[] {
  const out: AddrRange[] = [];
  let j = 0;
  for (const x of a) {
    let from = x.start;
    while (j < b.length && b[j]!.end <= from) j++;
    for (let k = j; k < b.length && b[k]!.start < x.end; k++) {
      if (b[k]!.start > from) out.push({ start: from, end: b[k]!.start });
      from = Math.max(from, b[k]!.end);
    }
    if (from < x.end) out.push({ start: from, end: x.end });
  }
  return out;
}

/** Sorts ranges by start and merges the ones that touch or overlap. */
export function union(rs: readonly AddrRange[]): AddrRange[] {
  const sorted = rs.filter((r) => r.start < r.end).sort((x, y) => x.start - y.start);
  const out: AddrRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}
