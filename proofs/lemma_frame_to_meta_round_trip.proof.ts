/**
 * `meta_to_frame(frame_to_meta(paddr)) == paddr` for every valid frame.
 *
 * @see vostd `lemma_paddr_to_meta_biinjective` (ostd/specs/mm/frame/mapping.rs)
 */
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { frameToMeta, metaToFrame } from '../spec/meta/mapping.ts';
import {
  FRAME_TERMS,
  FRAME_VARS,
  frameCodec,
  frameInputs,
  frameToMetaBv,
  frameVars,
  metaToFrameBv,
  validFrame,
  validFrameBv,
  type FrameInput,
} from './lib/mapping.ts';

/** The obligation. */
export const obligation: Obligation<FrameInput> = {
  name: 'lemma_frame_to_meta_round_trip',
  mirrors: 'lemma_paddr_to_meta_biinjective',
  statement:
    'for every MAX_PADDR <= 2^46 and every paddr with has_safe_slot(paddr): meta_to_frame(frame_to_meta(paddr)) == paddr (u64 arithmetic)',
  vars: FRAME_VARS,
  encode: (z) => {
    const b = bv(z);
    const { paddr, maxPaddr } = frameVars(b);
    return z.Implies(validFrameBv(b, paddr, maxPaddr), metaToFrameBv(b, frameToMetaBv(b, paddr)).eq(paddr));
  },
  predicate: (i) => !validFrame(i) || metaToFrame(frameToMeta(i.paddr)) === i.paddr,
  inputs: frameInputs,
  ...frameCodec,
  terms: FRAME_TERMS,
};
