import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuse, type FastClause } from './fastPath.ts';

type F = { a: boolean; b: bigint; n: number };

/** A pool of predicates over a small record, some of them shared (as the fast forms share them). */
const POOL: readonly FastClause<F>[] = [
  (f) => f.a,
  (f) => !f.a,
  (f) => f.b > 0n,
  (f) => f.b === 1n,
  (f) => f.n >= 0,
  (f) => f.n % 2 === 0,
  () => true,
  () => false,
];

const fArb: fc.Arbitrary<F> = fc.record({ a: fc.boolean(), b: fc.bigInt(-2n, 2n), n: fc.integer({ min: -3, max: 3 }) });

describe('fuse', () => {
  it('holds exactly when every predicate holds (shared predicates, any order, none)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(POOL.length - 1), { maxLength: 12 }), fc.array(fArb, { maxLength: 8 }), (ks, fs) => {
        const preds = ks.map((k) => POOL[k]!);
        const fused = fuse('test.fuse', preds);
        for (const f of fs) expect(fused(f)).toBe(preds.every((p) => p(f)));
      }),
    );
  });

  it('calls each distinct predicate once, in order, and stops at the first that fails', () => {
    const calls: string[] = [];
    const p =
      (name: string, v: boolean): FastClause<F> =>
      () => (calls.push(name), v);
    const x = p('x', true);
    const y = p('y', false);
    const z = p('z', true);
    expect(fuse('test.order', [x, x, y, z, x])({ a: true, b: 0n, n: 0 })).toBe(false);
    expect(calls).toEqual(['x', 'y']);
  });
});
