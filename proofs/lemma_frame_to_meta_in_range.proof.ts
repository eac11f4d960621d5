/**
 * Every valid frame's slot address lies inside `FRAME_METADATA_RANGE`, below
 * `FMR.start + MAX_NR_PAGES * META_SLOT_SIZE`, and satisfies `frame_paddr_safety_cond`.
 *
 * `MAX_PADDR` must be page aligned, as vostd's is: otherwise the partial last page passes
 * `has_safe_slot` and its slot is number `MAX_NR_PAGES`, one past the bound (Z3's counterexample).
 *
 * @see vostd `lemma_frame_to_meta_soundness` (ostd/specs/mm/frame/mapping.rs), range half
 */
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { framePaddrSafetyCond, frameToIndex, frameToMeta, metaAddr } from '../spec/meta/mapping.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE } from '../spec/vocab.ts';
import {
  FRAME_TERMS,
  FRAME_VARS,
  frameCodec,
  frameInputs,
  framePaddrSafetyCondBv,
  frameToMetaBv,
  frameVars,
  validFrame,
  validFrameBv,
  type FrameInput,
} from './lib/mapping.ts';

/** The obligation. */
export const obligation: Obligation<FrameInput> = {
  name: 'lemma_frame_to_meta_in_range',
  mirrors: 'lemma_frame_to_meta_soundness',
  statement:
    'for every page-aligned MAX_PADDR <= 2^46 and every paddr with has_safe_slot(paddr): frame_paddr_safety_cond(frame_to_meta(paddr)) and frame_to_meta(paddr) < FMR.start + (MAX_PADDR / PAGE_SIZE) * META_SLOT_SIZE',
  vars: FRAME_VARS,
  encode: (z) => {
    const b = bv(z);
    const { paddr, maxPaddr } = frameVars(b);
    const meta = frameToMetaBv(b, paddr);
    const bound = b.k(FRAME_METADATA_RANGE.start).add(maxPaddr.udiv(b.k(PAGE_SIZE)).mul(b.k(META_SLOT_SIZE)));
    const hyp = z.And(validFrameBv(b, paddr, maxPaddr), b.multipleOf(maxPaddr, PAGE_SIZE));
    return z.Implies(hyp, z.And(framePaddrSafetyCondBv(b, meta), meta.ult(bound)));
  },
  predicate: (i) =>
    !(validFrame(i) && i.maxPaddr % PAGE_SIZE === 0) ||
    (framePaddrSafetyCond(frameToMeta(i.paddr)) && frameToMeta(i.paddr) < metaAddr(frameToIndex(i.maxPaddr))),
  inputs: frameInputs,
  ...frameCodec,
  terms: FRAME_TERMS,
};
