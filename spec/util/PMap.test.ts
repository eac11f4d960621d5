import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PMap, PMAP_KEY_LIMIT } from './PMap.ts';

const key = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: PMAP_KEY_LIMIT - 1 }));

describe('PMap', () => {
  it('behaves as a Map with a default, under any sequence of sets and removals', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.option(fc.integer(), { nil: undefined }))), (ops) => {
        let m = PMap.empty<number | undefined>(undefined);
        const ref = new Map<number, number>();
        for (const [k, v] of ops) {
          m = m.set(k, v);
          if (v === undefined) ref.delete(k);
          else ref.set(k, v);
        }
        expect(m.size).toBe(ref.size);
        expect([...m.entries()]).toEqual([...ref].sort((a, b) => a[0] - b[0]));
        for (const [k] of ops) expect(m.get(k)).toBe(ref.get(k));
      }),
    );
  });

  it('diff reports exactly the keys whose values differ', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.integer())),
        fc.array(fc.tuple(key, fc.option(fc.integer(), { nil: undefined }))),
        (base, edits) => {
          let a = PMap.empty<number | undefined>(undefined);
          for (const [k, v] of base) a = a.set(k, v);
          let b = a;
          for (const [k, v] of edits) b = b.set(k, v);
          const seen: number[] = [];
          PMap.diff(a, b, (k, x, y) => {
            expect(x).not.toBe(y);
            seen.push(k);
          });
          const keys = new Set([...base.map(([k]) => k), ...edits.map(([k]) => k)]);
          const expected = [...keys].filter((k) => a.get(k) !== b.get(k)).sort((x, y) => x - y);
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('returns itself when a set changes nothing, and shares untouched entries', () => {
    const a = PMap.empty<number | undefined>(undefined).set(5, 1);
    expect(a.set(5, 1)).toBe(a);
    let calls = 0;
    PMap.diff(a, a.set(2 ** 34, 7), () => calls++);
    expect(calls).toBe(1);
  });

  it('refuses keys outside the domain', () => {
    expect(() => PMap.empty(0).set(-1, 1)).toThrow(RangeError);
    expect(() => PMap.empty(0).set(PMAP_KEY_LIMIT, 1)).toThrow(RangeError);
  });
});
