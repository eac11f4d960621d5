/**
 * `frame_to_meta(meta_to_frame(vaddr)) == vaddr` for every slot address: 64-aligned, inside
 * `FRAME_METADATA_RANGE`.
 *
 * @see vostd `lemma_meta_to_paddr_biinjective` (ostd/specs/mm/frame/mapping.rs)
 */
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { framePaddrSafetyCond, frameToMeta, metaToFrame } from '../spec/meta/mapping.ts';
import {
  framePaddrSafetyCondBv,
  frameToMetaBv,
  META_TERMS,
  metaCodec,
  metaInputs,
  metaToFrameBv,
  type MetaInput,
} from './lib/mapping.ts';

/** The obligation. */
export const obligation: Obligation<MetaInput> = {
  name: 'lemma_meta_to_frame_round_trip',
  mirrors: 'lemma_meta_to_paddr_biinjective',
  statement:
    'for every vaddr with FRAME_METADATA_RANGE.start <= vaddr < FRAME_METADATA_RANGE.end and vaddr % 64 == 0: frame_to_meta(meta_to_frame(vaddr)) == vaddr (u64 arithmetic)',
  vars: { vaddr: 64, maxPaddr: 64 },
  encode: (z) => {
    const b = bv(z);
    const v = b.v('vaddr');
    return z.Implies(framePaddrSafetyCondBv(b, v), frameToMetaBv(b, metaToFrameBv(b, v)).eq(v));
  },
  predicate: (i) => !framePaddrSafetyCond(i.vaddr) || frameToMeta(metaToFrame(i.vaddr)) === i.vaddr,
  inputs: metaInputs,
  ...metaCodec,
  terms: META_TERMS,
};
