import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  covers,
  EMPTY_RANGE_SET,
  isNormalized,
  overlapsAny,
  rangeSetOf,
  rangesOverlap,
  sizeOf,
  subtract,
  union,
  type Range,
} from './rangeSet.ts';

const r = (start: number, end: number): Range => ({ start, end });
const elems = (rs: readonly Range[]): Set<number> =>
  new Set(rs.flatMap((x) => Array.from({ length: Math.max(0, x.end - x.start) }, (_, i) => x.start + i)));
const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);

const range = fc.tuple(fc.nat(30), fc.nat(30)).map(([a, b]) => r(a, b));
const set = fc.array(range, { maxLength: 5 }).map(rangeSetOf);

describe('RangeSet', () => {
  it('normalizes: sorts, merges overlapping and adjacent ranges, drops empty ones', () => {
    expect(rangeSetOf([r(5, 7), r(0, 2), r(2, 3), r(6, 9), r(4, 4)])).toEqual([r(0, 3), r(5, 9)]);
    expect(isNormalized(rangeSetOf([]))).toBe(true);
    expect(isNormalized([r(0, 2), r(2, 3)])).toBe(false);
    expect(isNormalized([r(3, 3)])).toBe(false);
  });
  it('treats empty ranges as overlapping nothing and covered by anything', () => {
    expect(rangesOverlap(r(0, 4), r(2, 2))).toBe(false);
    expect(rangesOverlap(r(0, 4), r(3, 5))).toBe(true);
    expect(rangesOverlap(r(0, 4), r(4, 5))).toBe(false);
    expect(covers(EMPTY_RANGE_SET, r(7, 7))).toBe(true);
    expect(subtract([r(0, 4)], r(2, 2))).toEqual([r(0, 4)]);
  });
  it('agrees with a set-of-integers oracle', () => {
    fc.assert(
      fc.property(set, range, (s, x) => {
        const es = elems(s);
        const ex = elems([x]);
        expect(isNormalized(s)).toBe(true);
        expect(sorted(elems(union(s, x)))).toEqual(sorted(new Set([...es, ...ex])));
        expect(sorted(elems(subtract(s, x)))).toEqual(sorted(es).filter((e) => !ex.has(e)));
        expect(isNormalized(union(s, x)) && isNormalized(subtract(s, x))).toBe(true);
        expect(overlapsAny(s, x)).toBe([...ex].some((e) => es.has(e)));
        expect(covers(s, x)).toBe([...ex].every((e) => es.has(e)));
        expect(sizeOf(s)).toBe(es.size);
      }),
    );
  });
});
