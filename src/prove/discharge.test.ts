import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bv } from './bv.ts';
import { discharge, goals } from './discharge.ts';
import { agrees, evaluate, evaluateAll } from './evaluate.ts';
import fc from 'fast-check';
import { erase, type Obligation, type Z3 } from './Obligation.ts';
import { closeZ3, openZ3 } from './z3.ts';

let z: Z3;
beforeAll(async () => {
  z = await openZ3();
});
afterAll(closeZ3);

describe('goals', () => {
  it('splits conjunctions, conclusions under a hypothesis, and Boolean equalities', () => {
    const b = bv(z);
    const [x, y] = [b.v('x'), b.v('y')];
    const [p, q, r] = [x.ult(y), y.ult(x), x.eq(y)];
    const show = (e: ReturnType<typeof goals>) => e.map((g) => g.sexpr());
    expect(show(goals(z, z.And(p, q)))).toEqual([p.sexpr(), q.sexpr()]);
    expect(show(goals(z, z.Implies(r, z.And(p, q))))).toEqual([z.Implies(r, p).sexpr(), z.Implies(r, q).sexpr()]);
    expect(goals(z, p.eq(q))).toHaveLength(2);
    expect(goals(z, z.Or(p, q))).toHaveLength(1);
  });
});

describe('evaluate', () => {
  it('gives the value of a ground term, with Rust wrapping', async () => {
    const b = bv(z);
    const vars = { x: 64 };
    expect(await evaluate(z, b.v('x').add(b.k(1)), vars, { x: 2n ** 64n - 1n })).toBe(0n);
    expect(await evaluate(z, b.v('x').ult(b.k(3)), vars, { x: 2n })).toBe(true);
  });
  it('evaluates several terms in one call, Booleans and bit-vectors of any width', async () => {
    const b = bv(z);
    const x = b.v('x');
    const terms = [x.ult(b.k(3)), x.add(b.k(1)), z.BitVec.const('y', 8).add(z.BitVec.val(1n, 8)), x.eq(b.k(0))];
    expect(await evaluateAll(z, terms, { x: 64, y: 8 }, { x: 2n, y: 255n })).toEqual([true, 3n, 0n, false]);
  });
  it('compares bit-vectors modulo 2^width', () => {
    expect([agrees(0n, 2n ** 64n, 64), agrees(1n, -1n, 64), agrees(true, true, 1), agrees(true, 1n, 1)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('discharge', () => {
  // x + 1 > x fails at x = 2^64 - 1: a counterexample, unless the model is no input of the obligation.
  const wraps = (toInput: Obligation<bigint>['toInput']): Obligation<bigint> => ({
    name: 'wraps',
    statement: 'x + 1 > x',
    vars: { x: 64 },
    encode: (z) => {
      const x = bv(z).v('x');
      return x.add(bv(z).k(1)).ugt(x);
    },
    predicate: (x) => BigInt.asUintN(64, x + 1n) > x,
    inputs: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    toInput,
    fromInput: (x) => ({ x }),
  });
  it('a sat answer is a counterexample, the input of the model', async () => {
    const v = await discharge(z, erase(wraps((m) => m['x']!)));
    expect(v.status === 'failed' && [v.input, v.predicateHolds]).toEqual([2n ** 64n - 1n, false]);
  });
  it('a model that is no input of the obligation (its reading throws) is unknown, with the reason', async () => {
    const v = await discharge(
      z,
      erase(
        wraps(() => {
          throw new RangeError('x out of bounds');
        }),
      ),
    );
    expect(v.status === 'unknown' && v.reason).toMatch(/no input of the obligation \(x out of bounds\)/);
  });
});
