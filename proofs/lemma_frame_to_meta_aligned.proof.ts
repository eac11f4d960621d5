/**
 * `frame_to_meta(paddr)` is 64-aligned, for *every* u64 `paddr`: `FMR.start` and every product
 * `i * 64` are multiples of 64, and so is their sum modulo 2^64.
 *
 * @see vostd `lemma_frame_to_meta_soundness` (ostd/specs/mm/frame/mapping.rs), alignment half; the
 *   exec `frame_to_meta` ensures the same
 */
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { frameToMeta } from '../spec/meta/mapping.ts';
import { META_SLOT_SIZE } from '../spec/vocab.ts';
import { FRAME_TERMS, FRAME_VARS, frameCodec, frameInputs, frameToMetaBv, type FrameInput } from './lib/mapping.ts';

/** The obligation. */
export const obligation: Obligation<FrameInput> = {
  name: 'lemma_frame_to_meta_aligned',
  mirrors: 'lemma_frame_to_meta_soundness',
  statement: 'for every u64 paddr: frame_to_meta(paddr) % META_SLOT_SIZE == 0 (no validity hypothesis needed)',
  vars: FRAME_VARS,
  encode: (z) => {
    const b = bv(z);
    return b.multipleOf(frameToMetaBv(b, b.v('paddr')), META_SLOT_SIZE);
  },
  predicate: (i) => frameToMeta(i.paddr) % BigInt(META_SLOT_SIZE) === 0n,
  inputs: frameInputs,
  ...frameCodec,
  terms: FRAME_TERMS,
};
