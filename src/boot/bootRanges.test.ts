import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framesOf, intersect, subtract, totalFrames, union, type AddrRange } from './bootRanges.ts';

/** Sorted, disjoint, non-empty ranges over small integers. */
const ranges = fc
  .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 12 })
  .map((points) => points.sort((a, b) => a - b))
  .map((p) => p.flatMap((x, i) => (i % 2 === 0 && p[i + 1] !== undefined ? [{ start: x, end: p[i + 1]! }] : [])));

function members(rs: readonly AddrRange[]): Set<number> {
  return new Set(rs.flatMap((r) => [...Array(r.end - r.start).keys()].map((k) => r.start + k)));
}

describe('bootRanges', () => {
  it('counts frames', () => {
    expect(framesOf({ start: 0x1000, end: 0x4000 })).toBe(3);
    expect(framesOf({ start: 0x4000, end: 0x1000 })).toBe(0);
    expect(
      totalFrames([
        { start: 0, end: 0x2000 },
        { start: 0x3000, end: 0x4000 },
      ]),
    ).toBe(3);
  });
  it('intersect, subtract and union agree with sets', () => {
    fc.assert(
      fc.property(ranges, ranges, (a, b) => {
        const A = members(a);
        const B = members(b);
        expect(members(intersect(a, b))).toEqual(new Set([...A].filter((x) => B.has(x))));
        expect(members(subtract(a, b))).toEqual(new Set([...A].filter((x) => !B.has(x))));
        expect(members(union([...a, ...b]))).toEqual(new Set([...A, ...B]));
        for (const out of [intersect(a, b), subtract(a, b), union([...b, ...a])]) {
          out.forEach((r, i) => {
            expect(r.start).toBeLessThan(r.end);
            if (i > 0) expect(out[i - 1]!.end).toBeLessThanOrEqual(r.start);
          });
        }
      }),
    );
  });
});
