/**
 * No step of the address arithmetic wraps for a valid frame: in `frame_to_meta(paddr)` neither the
 * product `(paddr / PAGE_SIZE) * 64` nor the sum with `FMR.start` overflows u64, and in
 * `meta_to_frame` of that address neither the subtraction nor the product does.
 *
 * The bound is exact: 2^34 slots describe 2^46 bytes, and the first frame past it has no slot.
 *
 * @see vostd `frame_to_meta` / `meta_to_frame` (ostd/src/mm/frame/meta.rs, `mod mapping`): Verus
 *   checks these u64 operations for overflow
 */
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { frameToMeta, metaToFrame } from '../spec/meta/mapping.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE, U64_MAX } from '../spec/vocab.ts';
import {
  FRAME_TERMS,
  FRAME_VARS,
  frameCodec,
  frameInputs,
  frameVars,
  validFrame,
  validFrameBv,
  type FrameInput,
} from './lib/mapping.ts';

const S = FRAME_METADATA_RANGE.start;

/** Every intermediate of both functions, computed exactly, fits a u64. */
function fits(paddr: number): boolean {
  const meta = frameToMeta(paddr);
  const steps = [
    BigInt(Math.floor(paddr / PAGE_SIZE)) * BigInt(META_SLOT_SIZE),
    meta,
    meta - S,
    BigInt(metaToFrame(meta)),
  ];
  return steps.every((x) => 0n <= x && x <= U64_MAX);
}

/** The obligation. */
export const obligation: Obligation<FrameInput> = {
  name: 'lemma_mapping_no_overflow',
  statement:
    'for every MAX_PADDR <= 2^46 and every paddr with has_safe_slot(paddr): no u64 operation of frame_to_meta(paddr) or of meta_to_frame(frame_to_meta(paddr)) wraps',
  vars: FRAME_VARS,
  encode: (z) => {
    const b = bv(z);
    const { paddr, maxPaddr } = frameVars(b);
    const index = paddr.udiv(b.k(PAGE_SIZE));
    const offset = index.mul(b.k(META_SLOT_SIZE));
    const meta = b.k(S).add(offset);
    const slot = meta.sub(b.k(S)).udiv(b.k(META_SLOT_SIZE));
    const ok = z.And(
      b.mulOk(index, b.k(META_SLOT_SIZE)),
      b.addOk(b.k(S), offset),
      b.subOk(meta, b.k(S)),
      b.mulOk(slot, b.k(PAGE_SIZE)),
    );
    return z.Implies(validFrameBv(b, paddr, maxPaddr), ok);
  },
  predicate: (i) => !validFrame(i) || fits(i.paddr),
  inputs: frameInputs,
  ...frameCodec,
  terms: FRAME_TERMS,
};
