/**
 * `range_difference(a, b)` returns at most two ranges, each non-empty, inside `a` and disjoint from
 * `b`, and two of them are sorted with a gap between them.
 *
 * @see OSTD `range_difference` (ostd/src/util/ops.rs), used by `allocator::init`
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { rangeDifference } from '../impl/alloc/rangeDifference.ts';
import type { Range } from '../impl/alloc/vocab.ts';
import {
  RANGE_DIFF_TERMS,
  RANGE_DIFF_VARS,
  rangeDiffBv,
  rangeDiffCodec,
  rangeDiffInputs,
  safeCoordsBv,
  type DiffBv,
  type RangeBv,
  type RangeDiffInput,
} from './lib/rangeDifference.ts';

/** A piece is non-empty, inside `a`, and disjoint from `b` (an empty `b` is disjoint from everything). */
function goodPieceBv(d: DiffBv, r: RangeBv) {
  const { z } = d.b;
  const outsideB = z.Or(d.rb.e.ule(d.rb.s), r.e.ule(d.rb.s), d.rb.e.ule(r.s));
  return z.And(r.s.ult(r.e), d.a.s.ule(r.s), r.e.ule(d.a.e), outsideB);
}

function goodPiece(i: RangeDiffInput, r: Range): boolean {
  const outsideB = i.b.end <= i.b.start || r.end <= i.b.start || i.b.end <= r.start;
  return r.start < r.end && i.a.start <= r.start && r.end <= i.a.end && outsideB;
}

/** The obligation. */
export const obligation: Obligation<RangeDiffInput> = {
  name: 'lemma_range_difference_pieces',
  statement:
    'for all ranges a, b (coordinates < 2^53): range_difference(a, b) has at most 2 elements, each non-empty, inside a and disjoint from b; with 2, out[0].end < out[1].start',
  vars: RANGE_DIFF_VARS,
  encode: (z) => {
    const d = rangeDiffBv(z);
    const { b } = d;
    const first = z.Implies(b.k(1).ule(d.len), goodPieceBv(d, d.out0));
    const second = z.Implies(d.len.eq(b.k(2)), z.And(goodPieceBv(d, d.out1), d.out0.e.ult(d.out1.s)));
    return z.Implies(safeCoordsBv(d), z.And(d.len.ule(b.k(2)), first, second));
  },
  predicate: (i) => {
    const out = rangeDifference(i.a, i.b);
    const [r0, r1] = out;
    return (
      out.length <= 2 &&
      out.every((r) => goodPiece(i, r)) &&
      (r0 === undefined || r1 === undefined || r0.end < r1.start)
    );
  },
  inputs: rangeDiffInputs,
  ...rangeDiffCodec,
  terms: RANGE_DIFF_TERMS,
};
