/**
 * `Segment::split(offset)`: once its assertions pass (`offset` page aligned, `0 < offset < size`),
 * the split point `start + offset` does not overflow, is page aligned and lies strictly inside the
 * segment, so both halves are non-empty segments that together are the original.
 *
 * @see vostd `Segment::split` (ostd/src/mm/frame/segment.rs), `split_spec`
 */
import fc from 'fast-check';
import type { Obligation, Z3 } from '../src/prove/Obligation.ts';
import { PAGE_SIZE } from '../impl/meta/pageSize.ts';
import { num } from './lib/inputs.ts';
import { LAYER_FRAMES, orAbort, segmentAt, segmentBv } from './lib/segment.ts';

type Input = Readonly<{ start: number; nframes: number; offset: number }>;

function splitBv(z: Z3) {
  const s = segmentBv(z);
  const offset = s.b.v('offset');
  const passes = z.And(s.b.multipleOf(offset, PAGE_SIZE), s.b.k(0).ult(offset), offset.ult(s.size));
  return { ...s, offset, passes, at: s.start.add(offset) };
}

/** The real split: the two halves' bounds, or `'abort'`. */
function split(i: Input) {
  return orAbort(() =>
    segmentAt(i.start, i.nframes)
      .split(i.offset)
      .map((h) => [h.startPaddr, h.endPaddr] as const),
  );
}

function predicate(i: Input): boolean {
  const r = split(i);
  if (r === 'abort') return true;
  const [[s0, e0], [s1, e1]] = r as [readonly [number, number], readonly [number, number]];
  const end = i.start + i.nframes * PAGE_SIZE;
  return (
    s0 === i.start && e0 === s1 && e1 === end && s0 < e0 && s1 < e1 && e0 % PAGE_SIZE === 0 && Number.isSafeInteger(e0)
  );
}

const inputs: fc.Arbitrary<Input> = fc
  .integer({ min: 0, max: LAYER_FRAMES - 1 })
  .chain((p) =>
    fc.record({ start: fc.constant(p * PAGE_SIZE), nframes: fc.integer({ min: 1, max: LAYER_FRAMES - p }) }),
  )
  .chain((s) =>
    fc
      .oneof(
        fc.integer({ min: -1, max: s.nframes + 1 }).map((k) => k * PAGE_SIZE),
        fc.integer({ min: 0, max: (s.nframes + 1) * PAGE_SIZE }),
        fc.constantFrom(2 ** 60, 2 ** 64 - PAGE_SIZE),
      )
      .map((offset) => ({ ...s, offset })),
  );

/** The obligation. */
export const obligation: Obligation<Input> = {
  name: 'lemma_segment_split_bounds',
  mirrors: 'Segment::split',
  statement:
    'for every segment (page-aligned start < end, any u64) and every u64 offset passing the asserts (offset % PAGE_SIZE == 0, 0 < offset < size): start + offset does not overflow, is page aligned, and start < start + offset < end',
  vars: { start: 64, end: 64, offset: 64 },
  encode: (z) => {
    const s = splitBv(z);
    const claim = z.And(
      s.b.addOk(s.start, s.offset),
      s.b.multipleOf(s.at, PAGE_SIZE),
      s.start.ult(s.at),
      s.at.ult(s.end),
    );
    return z.Implies(z.And(s.inv, s.passes), claim);
  },
  predicate,
  inputs,
  toInput: (m) => ({
    start: num(m['start']),
    nframes: (num(m['end']) - num(m['start'])) / PAGE_SIZE,
    offset: num(m['offset']),
  }),
  fromInput: (i) => ({
    start: BigInt(i.start),
    end: BigInt(i.start + i.nframes * PAGE_SIZE),
    offset: BigInt.asUintN(64, BigInt(i.offset)),
  }),
  terms: [
    { name: 'asserts pass', encode: (z) => splitBv(z).passes, value: (i) => split(i) !== 'abort' },
    {
      name: 'split point',
      encode: (z) => splitBv(z).at,
      value: (i) => {
        const r = split(i);
        return r === 'abort' ? undefined : BigInt(r[0]![1]);
      },
    },
  ],
};
