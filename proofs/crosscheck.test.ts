/**
 * No drift between a proof and the code it is about: for every obligation, Z3's evaluation of the
 * encoding and the TypeScript predicate agree on sampled inputs, and so does every building block;
 * at least a fifth of the samples meet the statement's hypothesis, so the agreement is not only on
 * vacuous `true`s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossCheck } from '../src/prove/crossCheck.ts';
import type { Z3 } from '../src/prove/Obligation.ts';
import { closeZ3, openZ3 } from '../src/prove/z3.ts';
import { OBLIGATIONS } from './index.ts';

let z: Z3;
beforeAll(async () => {
  z = await openZ3();
});
afterAll(closeZ3);

describe('cross-check of each encoding against its TypeScript predicate', () => {
  it.each(OBLIGATIONS.map((o) => [o.name, o] as const))('%s', async (_name, o) => {
    const r = await crossCheck(z, o, 40, 7);
    expect(r.disagreement).toBeUndefined();
    expect(r.samples).toBe(40);
    expect(r.hypothesisMet).toBeGreaterThanOrEqual(8);
  });
});
