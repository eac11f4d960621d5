/**
 * For every slot index `i < max_meta_slots()`: `index_to_frame(i)` is page aligned and
 * `frame_to_index(index_to_frame(i)) == i`, without overflow of the u64 product.
 *
 * @see vostd `lemma_index_to_frame_biinjective` (ostd/specs/mm/frame/mapping.rs)
 */
import fc from 'fast-check';
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { frameToIndex, indexToFrame } from '../spec/meta/mapping.ts';
import { MAX_META_SLOTS, PAGE_SIZE } from '../spec/vocab.ts';
import { num } from './lib/inputs.ts';
import { frameToIndexBv, indexToFrameBv } from './lib/mapping.ts';

type Input = Readonly<{ index: number }>;

/** The obligation. */
export const obligation: Obligation<Input> = {
  name: 'lemma_index_to_frame_round_trip',
  mirrors: 'lemma_index_to_frame_biinjective',
  statement:
    'for every u64 i < max_meta_slots() (2^34): index_to_frame(i) does not overflow, index_to_frame(i) % PAGE_SIZE == 0 and frame_to_index(index_to_frame(i)) == i',
  vars: { index: 64 },
  encode: (z) => {
    const b = bv(z);
    const i = b.v('index');
    const frame = indexToFrameBv(b, i);
    const ok = z.And(b.mulOk(i, b.k(PAGE_SIZE)), b.multipleOf(frame, PAGE_SIZE), frameToIndexBv(b, frame).eq(i));
    return z.Implies(i.ult(b.k(MAX_META_SLOTS)), ok);
  },
  predicate: ({ index }) =>
    !(index < MAX_META_SLOTS) ||
    (Number.isSafeInteger(indexToFrame(index)) &&
      indexToFrame(index) % PAGE_SIZE === 0 &&
      frameToIndex(indexToFrame(index)) === index),
  inputs: fc.record({
    index: fc.oneof(
      fc.integer({ min: 0, max: MAX_META_SLOTS + 8 }),
      fc.integer({ min: MAX_META_SLOTS - 8, max: MAX_META_SLOTS + 8 }),
    ),
  }),
  toInput: (m) => ({ index: num(m['index']) }),
  fromInput: (i) => ({ index: BigInt(i.index) }),
  terms: [
    {
      name: 'index_to_frame',
      encode: (z) => indexToFrameBv(bv(z), bv(z).v('index')),
      value: (i) => BigInt(indexToFrame(i.index)),
    },
  ],
};
