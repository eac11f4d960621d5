/**
 * Page ranges as sorted, disjoint lists (end exclusive): normalization, difference, and removal of
 * single frames — what the leak report needs, at a cost in the number of ranges, not their sizes.
 */
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { subtract, union } from '../boot/bootRanges.ts';

/** `rs` sorted and merged (the boot path's range algebra). */
export const normalize: (rs: readonly PaddrRange[]) => PaddrRange[] = union;

/** `a − b`, both normalized. */
export const difference: (a: readonly PaddrRange[], b: readonly PaddrRange[]) => PaddrRange[] = subtract;

/** `a` without the frames at `frames` (sorted addresses). */
export function withoutFrames(a: readonly PaddrRange[], frames: readonly number[]): PaddrRange[] {
  return difference(a, normalize(frames.map((f) => ({ start: f, end: f + PAGE_SIZE }))));
}

/** The overlapping pairs of `rs` (by start order): each as the first range and the one it overlaps. */
export function overlaps(rs: readonly PaddrRange[]): [PaddrRange, PaddrRange][] {
  const sorted = [...rs].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: [PaddrRange, PaddrRange][] = [];
  let reach: PaddrRange | undefined;
  for (const r of sorted) {
    if (reach !== undefined && r.start < reach.end) out.push([reach, r]);
    if (reach === undefined || r.end > reach.end) reach = r;
  }
  return out;
}
