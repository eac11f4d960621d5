/**
 * Immutable sets of integers kept as sorted lists of half-open ranges: the ghost vocabulary for
 * "which memory is free" and "which memory was added".
 *
 * A `RangeSet` is normalized: its ranges are non-empty, sorted, pairwise disjoint and non-adjacent,
 * so two sets are equal exactly when their lists are.
 */

/** A half-open range `start..end`; empty when `end <= start`. */
export type Range = Readonly<{ start: number; end: number }>;

/** A normalized, immutable list of ranges. */
export type RangeSet = readonly Range[];

/** The empty set. */
export const EMPTY_RANGE_SET: RangeSet = Object.freeze([]);

/** Whether `r` has no element. */
export function isEmptyRange(r: Range): boolean {
  return r.end <= r.start;
}

/** Whether two ranges share an element (an empty range overlaps nothing). */
export function rangesOverlap(a: Range, b: Range): boolean {
  return !isEmptyRange(a) && !isEmptyRange(b) && a.start < b.end && b.start < a.end;
}

/** The normalized set of the union of `ranges`, given in any order. */
export function rangeSetOf(ranges: readonly Range[]): RangeSet {
  const sorted = ranges.filter((r) => !isEmptyRange(r)).sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push({ start: r.start, end: r.end });
  }
  return Object.freeze(out.map((r) => Object.freeze(r)));
}

/** `s ∪ r`. */
export function union(s: RangeSet, r: Range): RangeSet {
  return rangeSetOf([...s, r]);
}

/** `s \ r`. */
export function subtract(s: RangeSet, r: Range): RangeSet {
  if (isEmptyRange(r)) return s;
  return rangeSetOf(
    s.flatMap((x) => [
      { start: x.start, end: Math.min(x.end, r.start) },
      { start: Math.max(x.start, r.end), end: x.end },
    ]),
  );
}

/** Whether some element of `r` is in `s`. */
export function overlapsAny(s: RangeSet, r: Range): boolean {
  return s.some((x) => rangesOverlap(x, r));
}

/** Whether every element of `r` is in `s` (always for an empty `r`). */
export function covers(s: RangeSet, r: Range): boolean {
  return isEmptyRange(r) || s.some((x) => x.start <= r.start && r.end <= x.end);
}

/** The number of elements of `s`. */
export function sizeOf(s: RangeSet): number {
  return s.reduce((n, r) => n + (r.end - r.start), 0);
}

/** Whether `s` is normalized (what every function here returns). */
export function isNormalized(s: RangeSet): boolean {
  return s.every((r, i) => !isEmptyRange(r) && (i === 0 || (s[i - 1]?.end ?? -Infinity) < r.start));
}
