/**
 * A failed proof is a concrete counterexample: deliberately false lemmas (here, not in proofs/) are
 * refuted by Z3, and the model, turned back into a TypeScript input, is rejected by the TypeScript
 * predicate too. A solver that runs out of time answers `unknown`, never `proved`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bv } from '../src/prove/bv.ts';
import { discharge } from '../src/prove/discharge.ts';
import { erase, type Obligation, type Z3 } from '../src/prove/Obligation.ts';
import { closeZ3, openZ3 } from '../src/prove/z3.ts';
import { framePaddrSafetyCond, frameToMeta, hasSafeSlot } from '../spec/meta/mapping.ts';
import { FRAME_METADATA_RANGE, PAGE_SIZE, U64_MAX } from '../spec/vocab.ts';
import { num } from './lib/inputs.ts';
import {
  FMR_PADDR_LIMIT,
  FRAME_VARS,
  frameCodec,
  frameInputs,
  framePaddrSafetyCondBv,
  frameToMetaBv,
  type FrameInput,
} from './lib/mapping.ts';
import { segmentBv } from './lib/segment.ts';

/** False: a bound of 2^52 (what `MAX_MODEL_PADDR` once was) is past the 2^46 bytes that 2^34 slots describe. */
const PAST_SLOTS = 2 ** 52;
const slotForEveryModelFrame: Obligation<FrameInput> = {
  name: 'false_slot_for_every_model_frame',
  statement: 'every page-aligned paddr < 2^52 has its slot inside FRAME_METADATA_RANGE',
  vars: FRAME_VARS,
  encode: (z) => {
    const b = bv(z);
    const paddr = b.v('paddr');
    const valid = z.And(b.multipleOf(paddr, PAGE_SIZE), paddr.ult(b.k(PAST_SLOTS)));
    return z.Implies(valid, framePaddrSafetyCondBv(b, frameToMetaBv(b, paddr)));
  },
  predicate: (i) => !hasSafeSlot(i.paddr, PAST_SLOTS) || framePaddrSafetyCond(frameToMeta(i.paddr)),
  inputs: frameInputs,
  ...frameCodec,
};

type SliceInput = Readonly<{ start: number; end: number; re: number }>;

/** False: the upstream order, `start + range.end` before the asserts, overflows for a large `range.end`. */
const sliceEndBeforeAsserts: Obligation<SliceInput> = {
  name: 'false_slice_end_before_asserts',
  statement: 'for every segment and every page-aligned u64 range.end, start + range.end does not overflow',
  vars: { start: 64, end: 64, re: 64 },
  encode: (z) => {
    const s = segmentBv(z);
    const re = s.b.v('re');
    return z.Implies(z.And(s.inv, s.b.multipleOf(re, PAGE_SIZE)), s.b.addOk(s.start, re));
  },
  predicate: (i) => BigInt(i.start) + BigInt(i.re) <= U64_MAX,
  inputs: fc.record({ start: fc.constant(0), end: fc.constant(PAGE_SIZE), re: fc.constant(0) }),
  toInput: (m) => ({ start: num(m['start']), end: num(m['end']), re: num(m['re']) }),
  fromInput: (i) => ({ start: BigInt(i.start), end: BigInt(i.end), re: BigInt(i.re) }),
};

/** Not false, but hard: no 64-bit factorization of a large odd number in a few milliseconds. */
const hardFactoring: Obligation<null> = {
  name: 'hard_factoring',
  statement: '0x9b4f3c2a7d1e5f63 has no factorization x * y with 1 < x < y (u64, wrapping)',
  vars: { x: 64, y: 64 },
  encode: (z) => {
    const b = bv(z);
    const [x, y] = [b.v('x'), b.v('y')];
    return z.Not(z.And(x.mul(y).eq(b.k(0x9b4f3c2a7d1e5f63n)), b.k(1).ult(x), x.ult(y)));
  },
  predicate: () => true,
  inputs: fc.constant(null),
  toInput: () => null,
  fromInput: () => ({ x: 0n, y: 0n }),
};

let z: Z3;
beforeAll(async () => {
  z = await openZ3();
});
afterAll(closeZ3);

describe('a false lemma', () => {
  it('the slot bound: Z3 finds a frame past 2^46 whose slot lies outside FRAME_METADATA_RANGE', async () => {
    const v = await discharge(z, erase(slotForEveryModelFrame));
    expect(v.status).toBe('failed');
    if (v.status !== 'failed') return;
    const input = v.input as FrameInput;
    expect(BigInt(input.paddr)).toBeGreaterThanOrEqual(FMR_PADDR_LIMIT);
    expect(slotForEveryModelFrame.predicate(input)).toBe(false);
    expect(v.predicateHolds).toBe(false);
    expect(frameToMeta(input.paddr)).toBeGreaterThanOrEqual(FRAME_METADATA_RANGE.end);
  });

  it("the upstream slice order: Z3 finds a range.end whose sum with the segment's start wraps", async () => {
    const v = await discharge(z, erase(sliceEndBeforeAsserts));
    expect(v.status).toBe('failed');
    if (v.status !== 'failed') return;
    expect((v.counterexample['start'] ?? 0n) + (v.counterexample['re'] ?? 0n)).toBeGreaterThan(U64_MAX);
    expect(sliceEndBeforeAsserts.predicate(v.input as SliceInput)).toBe(false);
  });
});

describe('a solver timeout', () => {
  it('is unknown, with the reason, never proved', async () => {
    const v = await discharge(z, erase(hardFactoring), 50);
    expect(v).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/timeout|canceled/) });
  });
});
