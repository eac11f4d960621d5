import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rangeDifference } from './rangeDifference.ts';
import type { Range } from './vocab.ts';

const r = (start: number, end: number): Range => ({ start, end });

function elements(ranges: readonly Range[]): number[] {
  return ranges.flatMap((x) => Array.from({ length: Math.max(0, x.end - x.start) }, (_, i) => x.start + i));
}

describe('rangeDifference', () => {
  it('splits a range around a contained one', () => {
    expect(rangeDifference(r(0, 10), r(3, 7))).toEqual([r(0, 3), r(7, 10)]);
  });
  it('leaves nothing when the ranges are equal or a is contained in b', () => {
    expect(rangeDifference(r(3, 7), r(3, 7))).toEqual([]);
    expect(rangeDifference(r(3, 7), r(0, 10))).toEqual([]);
  });
  it('keeps the right part on a left overlap and the left part on a right overlap', () => {
    expect(rangeDifference(r(0, 10), r(0, 4))).toEqual([r(4, 10)]);
    expect(rangeDifference(r(0, 10), r(6, 10))).toEqual([r(0, 6)]);
    expect(rangeDifference(r(5, 10), r(0, 7))).toEqual([r(7, 10)]);
    expect(rangeDifference(r(0, 5), r(3, 9))).toEqual([r(0, 3)]);
  });
  it('returns a unchanged when disjoint from b, on either side', () => {
    expect(rangeDifference(r(0, 5), r(5, 9))).toEqual([r(0, 5)]);
    expect(rangeDifference(r(5, 9), r(0, 5))).toEqual([r(5, 9)]);
  });
  it('returns nothing for an empty a, and a for an empty b', () => {
    expect(rangeDifference(r(4, 4), r(0, 10))).toEqual([]);
    expect(rangeDifference(r(0, 0), r(0, 0))).toEqual([]);
    expect(rangeDifference(r(0, 10), r(4, 4))).toEqual([r(0, 10)]);
    expect(rangeDifference(r(0, 10), r(7, 2))).toEqual([r(0, 10)]);
  });
  it('agrees with a set-of-integers oracle', () => {
    const range = fc.tuple(fc.nat(24), fc.nat(24)).map(([s, e]) => r(s, e));
    fc.assert(
      fc.property(range, range, (a, b) => {
        const out = rangeDifference(a, b);
        const inB = new Set(elements([b]));
        expect(elements(out)).toEqual(elements([a]).filter((x) => !inB.has(x)));
        expect(out.every((x) => x.start < x.end)).toBe(true);
        expect(out.every((x, i) => i === 0 || (out[i - 1]?.end ?? Infinity) < x.start)).toBe(true);
      }),
    );
  });
});
