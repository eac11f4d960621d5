/**
 * The bit-vector twin of `rangeDifference` (impl/alloc/rangeDifference.ts): the piece of `a` left of
 * `b` and the piece right of it (or `a` itself when `b` is empty), each dropped when empty, as a list
 * of length 0–2 with its elements `out0`, `out1`.
 *
 * Coordinates are u64 words below 2^53, the implementation's exact range.
 */
import fc from 'fast-check';
import { bv, type Bv } from '../../src/prove/bv.ts';
import type { Term, Values, Z3, ZBool, ZBv } from '../../src/prove/Obligation.ts';
import { rangeDifference } from '../../impl/alloc/rangeDifference.ts';
import type { Range } from '../../impl/alloc/vocab.ts';
import { num, SAFE } from './inputs.ts';

/** Two ranges and a point (the point is used by the union lemma). */
export type RangeDiffInput = Readonly<{ a: Range; b: Range; x: number }>;

/** The variables: the two ranges' ends and the point. */
export const RANGE_DIFF_VARS = { as: 64, ae: 64, bs: 64, be: 64, x: 64 } as const;

/** A range as two terms. */
export type RangeBv = Readonly<{ s: ZBv; e: ZBv }>;

/** The result list: its length and its (possibly meaningless) two elements. */
export type DiffBv = Readonly<{ b: Bv; a: RangeBv; rb: RangeBv; x: ZBv; len: ZBv; out0: RangeBv; out1: RangeBv }>;

function pickRange(b: Bv, c: ZBool, r: RangeBv, o: RangeBv): RangeBv {
  return { s: b.ite(c, r.s, o.s), e: b.ite(c, r.e, o.e) };
}

/** `rangeDifference(a, b)` over the variables. */
export function rangeDiffBv(z: Z3): DiffBv {
  const b = bv(z);
  const a = { s: b.v('as'), e: b.v('ae') };
  const rb = { s: b.v('bs'), e: b.v('be') };
  const bEmpty = rb.e.ule(rb.s);
  const p1 = pickRange(b, bEmpty, a, { s: a.s, e: b.umin(a.e, rb.s) });
  const p2 = { s: b.umax(a.s, rb.e), e: a.e };
  const has1 = p1.s.ult(p1.e);
  const has2 = z.And(z.Not(bEmpty), p2.s.ult(p2.e));
  const len = b.ite(has1, b.k(1), b.k(0)).add(b.ite(has2, b.k(1), b.k(0)));
  return { b, a, rb, x: b.v('x'), len, out0: pickRange(b, has1, p1, p2), out1: p2 };
}

/** Every coordinate is below 2^53. */
export function safeCoordsBv(d: DiffBv): ZBool {
  const safe = d.b.k(SAFE);
  return d.b.z.And(...[d.a.s, d.a.e, d.rb.s, d.rb.e, d.x].map((t) => t.ule(safe)));
}

/** `lo <= x < hi` for a range. */
export function inRangeBv(d: DiffBv, r: RangeBv, x: ZBv): ZBool {
  return d.b.within(x, r.s, r.e);
}

const coord = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.integer({ min: 0, max: 12 }).map((k) => k * 4096),
  fc.maxSafeNat(),
);
const range = fc.record({ start: coord, end: coord });

/** Ranges over a small pool of coordinates (so they overlap in every way), and a point near them. */
export const rangeDiffInputs: fc.Arbitrary<RangeDiffInput> = fc
  .record({ a: range, b: range })
  .chain((r) => fc.oneof(coord, fc.constantFrom(r.a.start, r.a.end, r.b.start, r.b.end)).map((x) => ({ ...r, x })));

/** Range-difference inputs to and from model values. */
export const rangeDiffCodec = {
  toInput: (m: Values): RangeDiffInput => ({
    a: { start: num(m['as']), end: num(m['ae']) },
    b: { start: num(m['bs']), end: num(m['be']) },
    x: num(m['x']),
  }),
  fromInput: (i: RangeDiffInput): Values => ({
    as: BigInt(i.a.start),
    ae: BigInt(i.a.end),
    bs: BigInt(i.b.start),
    be: BigInt(i.b.end),
    x: BigInt(i.x),
  }),
};

const at = (i: RangeDiffInput, k: number) => rangeDifference(i.a, i.b)[k];

/** The result list, element by element, against `rangeDifference`. */
export const RANGE_DIFF_TERMS: readonly Term<RangeDiffInput>[] = [
  { name: 'length', encode: (z) => rangeDiffBv(z).len, value: (i) => BigInt(rangeDifference(i.a, i.b).length) },
  { name: 'out[0].start', encode: (z) => rangeDiffBv(z).out0.s, value: (i) => opt(at(i, 0)?.start) },
  { name: 'out[0].end', encode: (z) => rangeDiffBv(z).out0.e, value: (i) => opt(at(i, 0)?.end) },
  { name: 'out[1].start', encode: (z) => rangeDiffBv(z).out1.s, value: (i) => opt(at(i, 1)?.start) },
  { name: 'out[1].end', encode: (z) => rangeDiffBv(z).out1.e, value: (i) => opt(at(i, 1)?.end) },
];

function opt(x: number | undefined): bigint | undefined {
  return x === undefined ? undefined : BigInt(x);
}
