/**
 * Page ranges as sorted, disjoint lists (end exclusive): normalization, difference, and removal of
 * single frames — what the leak report needs, at a cost in the number of ranges, not their sizes.
 */
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';

/** `rs` sorted and merged. */
export function normalize(rs: readonly PaddrRange[]): PaddrRange[] {
  const sorted = rs.filter((r) => r.start < r.end).sort((a, b) => a.start - b.start);
  const out: PaddrRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}

/** `a − b`, both normalized. */
export function difference(a: readonly PaddrRange[], b: readonly PaddrRange[]): PaddrRange[] {
  const out: PaddrRange[] = [];
  let j = 0;
  for (const r of a) {
    let start = r.start;
    while (j < b.length && b[j]!.end <= start) j++;
    for (let k = j; k < b.length && b[k]!.start < r.end; k++) {
      if (b[k]!.start > start) out.push({ start, end: b[k]!.start });
      start = Math.max(start, b[k]!.end);
    }
    if (start < r.end) out.push({ start, end: r.end });
  }
  return out;
}

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
