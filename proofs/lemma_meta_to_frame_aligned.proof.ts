/**
 * For a slot address of one of the first `MAX_NR_PAGES` slots, `meta_to_frame` gives a page-aligned
 * address below `MAX_PADDR`.
 *
 * @see vostd `lemma_meta_to_frame_alignment` and `lemma_meta_to_frame_soundness` (same body;
 *   ostd/specs/mm/frame/mapping.rs)
 */
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { frameToIndex, metaAddr, metaToFrame } from '../spec/meta/mapping.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE } from '../spec/vocab.ts';
import { FMR_PADDR_LIMIT, META_TERMS, metaCodec, metaInputs, metaToFrameBv, type MetaInput } from './lib/mapping.ts';

const S = FRAME_METADATA_RANGE.start;

/** The hypothesis in TypeScript: an aligned slot address in `[FMR.start, FMR.start + MAX_NR_PAGES * 64)`. */
function firstSlots(i: MetaInput): boolean {
  return (
    BigInt(i.maxPaddr) <= FMR_PADDR_LIMIT &&
    i.vaddr % BigInt(META_SLOT_SIZE) === 0n &&
    S <= i.vaddr &&
    i.vaddr < metaAddr(frameToIndex(i.maxPaddr))
  );
}

/** The obligation. */
export const obligation: Obligation<MetaInput> = {
  name: 'lemma_meta_to_frame_aligned',
  mirrors: 'lemma_meta_to_frame_alignment',
  statement:
    'for every MAX_PADDR <= 2^46 and every vaddr % 64 == 0 with FMR.start <= vaddr < FMR.start + (MAX_PADDR / PAGE_SIZE) * 64: meta_to_frame(vaddr) % PAGE_SIZE == 0 and meta_to_frame(vaddr) < MAX_PADDR',
  vars: { vaddr: 64, maxPaddr: 64 },
  encode: (z) => {
    const b = bv(z);
    const [v, max] = [b.v('vaddr'), b.v('maxPaddr')];
    const end = b.k(S).add(max.udiv(b.k(PAGE_SIZE)).mul(b.k(META_SLOT_SIZE)));
    const hyp = z.And(max.ule(b.k(FMR_PADDR_LIMIT)), b.multipleOf(v, META_SLOT_SIZE), b.within(v, b.k(S), end));
    const frame = metaToFrameBv(b, v);
    return z.Implies(hyp, z.And(b.multipleOf(frame, PAGE_SIZE), frame.ult(max)));
  },
  predicate: (i) => {
    if (!firstSlots(i)) return true;
    const frame = metaToFrame(i.vaddr);
    return frame % PAGE_SIZE === 0 && frame < i.maxPaddr;
  },
  inputs: metaInputs,
  ...metaCodec,
  terms: META_TERMS,
};
