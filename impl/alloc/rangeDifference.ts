import type { Range } from './vocab.ts';

/**
 * The part of `a` outside `b`: 0, 1 or 2 ranges, sorted, disjoint and non-empty, whose union is `a \ b`.
 *
 * An empty `b` removes nothing; otherwise the result is the piece of `a` left of `b` and the piece
 * right of `b`, each dropped when empty.
 *
 * @see OSTD `range_difference` (ostd/src/util/ops.rs), used by `allocator::init` to cut the early
 *   allocator's ranges out of the usable regions
 */
export function rangeDifference(a: Range, b: Range): Range[] {
  const pieces: Range[] =
    b.end <= b.start
      ? [a]
      : [
          { start: a.start, end: Math.min(a.end, b.start) },
          { start: Math.max(a.start, b.end), end: a.end },
        ];
  return pieces.filter((r) => r.start < r.end);
}
