/**
 * The union of `range_difference(a, b)` is exactly `a \ b`: a point lies in some returned range if
 * and only if it lies in `a` and not in `b` (the point is a free variable, so this holds for all).
 *
 * @see OSTD `range_difference` (ostd/src/util/ops.rs)
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { rangeDifference } from '../impl/alloc/rangeDifference.ts';
import type { Range } from '../impl/alloc/vocab.ts';
import {
  inRangeBv,
  RANGE_DIFF_TERMS,
  RANGE_DIFF_VARS,
  rangeDiffBv,
  rangeDiffCodec,
  rangeDiffInputs,
  safeCoordsBv,
  type RangeDiffInput,
} from './lib/rangeDifference.ts';

const inRange = (r: Range, x: number) => r.start <= x && x < r.end;

/** The obligation. */
export const obligation: Obligation<RangeDiffInput> = {
  name: 'lemma_range_difference_union',
  statement:
    'for all ranges a, b and every point x (all < 2^53): x lies in some element of range_difference(a, b) <=> x in a and x not in b',
  vars: RANGE_DIFF_VARS,
  encode: (z) => {
    const d = rangeDiffBv(z);
    const { b, x } = d;
    const covered = z.Or(
      z.And(b.k(1).ule(d.len), inRangeBv(d, d.out0, x)),
      z.And(d.len.eq(b.k(2)), inRangeBv(d, d.out1, x)),
    );
    const wanted = z.And(inRangeBv(d, d.a, x), z.Not(inRangeBv(d, d.rb, x)));
    return z.Implies(safeCoordsBv(d), covered.eq(wanted));
  },
  predicate: (i) =>
    rangeDifference(i.a, i.b).some((r) => inRange(r, i.x)) === (inRange(i.a, i.x) && !inRange(i.b, i.x)),
  inputs: rangeDiffInputs,
  ...rangeDiffCodec,
  terms: RANGE_DIFF_TERMS,
};
