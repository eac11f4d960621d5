/**
 * `Segment::slice(range)`: with the assertions checked *before* any address is computed (both ends
 * page aligned, `range.start <= range.end <= size`), neither `start + range.start` nor
 * `start + range.end` overflows, and the slice is page aligned and inside the segment. The upstream
 * code computed `start + range.end` first, which overflows for a large `range.end` (vostd's finding,
 * asterinas issue #3165, fixed by PR #3587); the test of the false lemma shows Z3 finding it.
 *
 * @see vostd `Segment::slice` (ostd/src/mm/frame/segment.rs)
 */
import fc from 'fast-check';
import type { Obligation, Z3 } from '../src/prove/Obligation.ts';
import { PAGE_SIZE } from '../impl/meta/pageSize.ts';
import { num } from './lib/inputs.ts';
import { LAYER_FRAMES, orAbort, segmentAt, segmentBv } from './lib/segment.ts';

type Input = Readonly<{ start: number; nframes: number; rs: number; re: number }>;

function sliceBv(z: Z3) {
  const s = segmentBv(z);
  const [rs, re] = [s.b.v('rs'), s.b.v('re')];
  const passes = z.And(s.b.multipleOf(rs, PAGE_SIZE), s.b.multipleOf(re, PAGE_SIZE), rs.ule(re), re.ule(s.size));
  return { ...s, rs, re, passes, from: s.start.add(rs), to: s.start.add(re) };
}

/** The real slice's bounds, or `'abort'`. */
function slice(i: Input) {
  return orAbort(() => {
    const r = segmentAt(i.start, i.nframes).slice({ start: i.rs, end: i.re });
    return [r.startPaddr, r.endPaddr] as const;
  });
}

function predicate(i: Input): boolean {
  const r = slice(i);
  if (r === 'abort') return true;
  const [from, to] = r;
  const end = i.start + i.nframes * PAGE_SIZE;
  const aligned = from % PAGE_SIZE === 0 && to % PAGE_SIZE === 0;
  return from === i.start + i.rs && to === i.start + i.re && i.start <= from && from <= to && to <= end && aligned;
}

const offset = (nframes: number) =>
  fc.oneof(
    fc.integer({ min: -1, max: nframes + 1 }).map((k) => k * PAGE_SIZE),
    fc.integer({ min: 0, max: (nframes + 1) * PAGE_SIZE }),
    fc.constantFrom(2 ** 60, 2 ** 64 - PAGE_SIZE),
  );

const pages = (nframes: number) => fc.integer({ min: 0, max: nframes }).map((k) => k * PAGE_SIZE);

const inputs: fc.Arbitrary<Input> = fc
  .integer({ min: 0, max: LAYER_FRAMES - 1 })
  .chain((p) =>
    fc.record({ start: fc.constant(p * PAGE_SIZE), nframes: fc.integer({ min: 1, max: LAYER_FRAMES - p }) }),
  )
  .chain((s) =>
    fc
      .oneof(
        {
          weight: 3,
          arbitrary: fc
            .tuple(pages(s.nframes), pages(s.nframes))
            .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        },
        { weight: 2, arbitrary: fc.tuple(offset(s.nframes), offset(s.nframes)) },
      )
      .map(([rs, re]) => ({ ...s, rs, re })),
  );

const u64 = (x: number) => BigInt.asUintN(64, BigInt(x));

/** The obligation. */
export const obligation: Obligation<Input> = {
  name: 'lemma_segment_slice_bounds',
  mirrors: 'Segment::slice',
  statement:
    'for every segment (page-aligned start < end, any u64) and every u64 range passing the asserts (both ends page aligned, range.start <= range.end <= size): start + range.start and start + range.end do not overflow, are page aligned, and start <= start + range.start <= start + range.end <= end',
  vars: { start: 64, end: 64, rs: 64, re: 64 },
  encode: (z) => {
    const s = sliceBv(z);
    const { b } = s;
    const noOverflow = z.And(b.addOk(s.start, s.rs), b.addOk(s.start, s.re));
    const inside = z.And(s.start.ule(s.from), s.from.ule(s.to), s.to.ule(s.end));
    const claim = z.And(noOverflow, inside, b.multipleOf(s.from, PAGE_SIZE), b.multipleOf(s.to, PAGE_SIZE));
    return z.Implies(z.And(s.inv, s.passes), claim);
  },
  predicate,
  inputs,
  toInput: (m) => ({
    start: num(m['start']),
    nframes: (num(m['end']) - num(m['start'])) / PAGE_SIZE,
    rs: num(m['rs']),
    re: num(m['re']),
  }),
  fromInput: (i) => ({
    start: BigInt(i.start),
    end: BigInt(i.start + i.nframes * PAGE_SIZE),
    rs: u64(i.rs),
    re: u64(i.re),
  }),
  terms: [
    { name: 'asserts pass', encode: (z) => sliceBv(z).passes, value: (i) => slice(i) !== 'abort' },
    { name: 'slice start', encode: (z) => sliceBv(z).from, value: (i) => opt(slice(i), 0) },
    { name: 'slice end', encode: (z) => sliceBv(z).to, value: (i) => opt(slice(i), 1) },
  ],
};

function opt(r: readonly [number, number] | 'abort', k: 0 | 1): bigint | undefined {
  return r === 'abort' ? undefined : BigInt(r[k]);
}
