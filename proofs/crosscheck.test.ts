/**
 * No drift between a proof and the code it is about: for every obligation, Z3's evaluation of the
 * encoding and the TypeScript predicate agree on sampled inputs, and so does every building block;
 * at least a fifth of the samples meet the statement's hypothesis, so the agreement is not only on
 * vacuous `true`s. Two deliberately drifted encodings show that the check catches drift.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bv } from '../src/prove/bv.ts';
import { crossCheck } from '../src/prove/crossCheck.ts';
import { erase, type Z3 } from '../src/prove/Obligation.ts';
import { closeZ3, openZ3 } from '../src/prove/z3.ts';
import { FRAME_METADATA_RANGE, PAGE_SIZE } from '../spec/vocab.ts';
import { OBLIGATIONS } from './index.ts';
import { obligation as roundTrip } from './lemma_frame_to_meta_round_trip.proof.ts';
import { FMR_PADDR_LIMIT, frameToMetaBv, metaToFrameBv } from './lib/mapping.ts';

// A fresh Z3 per test: one context accumulating every sample's terms can outgrow the WASM build's
// fixed 2 GiB heap on a loaded machine.
let z: Z3;
beforeEach(async () => {
  z = await openZ3();
});
afterEach(closeZ3);

describe('cross-check of each encoding against its TypeScript predicate', () => {
  it.each(OBLIGATIONS.map((o) => [o.name, o] as const))('%s', async (_name, o) => {
    const r = await crossCheck(z, o, 100, 7);
    expect(r.disagreement).toBeUndefined();
    expect(r.samples).toBe(100);
    expect(r.hypothesisMet).toBeGreaterThanOrEqual(20);
  });
});

describe('drift is caught', () => {
  it('a building block that no longer computes what the code does (32-byte slots)', async () => {
    const drifted = {
      ...roundTrip,
      terms: [
        {
          name: 'frame_to_meta',
          encode: (z: Z3) => bv(z).k(FRAME_METADATA_RANGE.start).add(bv(z).v('paddr').udiv(PAGE_SIZE).mul(32)),
          value: roundTrip.terms![0]!.value,
        },
      ],
    };
    const r = await crossCheck(z, erase(drifted), 40, 7);
    expect(r.disagreement?.what).toBe('term frame_to_meta');
  });

  it('a statement that lost a hypothesis (page alignment) the predicate keeps', async () => {
    const drifted = {
      ...roundTrip,
      terms: [],
      encode: (z: Z3) => {
        const b = bv(z);
        const [paddr, max] = [b.v('paddr'), b.v('maxPaddr')];
        const hyp = z.And(max.ule(b.k(FMR_PADDR_LIMIT)), paddr.ult(max));
        return z.Implies(hyp, metaToFrameBv(b, frameToMetaBv(b, paddr)).eq(paddr));
      },
    };
    const r = await crossCheck(z, erase(drifted), 100, 7);
    expect(r.disagreement).toMatchObject({ what: 'statement', smt: false, ts: true });
  });
});
