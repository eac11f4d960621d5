/**
 * `frame_to_index` is injective on page-aligned addresses: two distinct frames never share a slot.
 *
 * @see vostd `lemma_frame_to_index_injective` (ostd/specs/mm/frame/mapping.rs)
 */
import fc from 'fast-check';
import { bv } from '../src/prove/bv.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { frameToIndex } from '../spec/meta/mapping.ts';
import { PAGE_SIZE } from '../spec/vocab.ts';
import { nat, num } from './lib/inputs.ts';
import { frameToIndexBv } from './lib/mapping.ts';

type Input = Readonly<{ p1: number; p2: number }>;

const pair: fc.Arbitrary<Input> = fc.oneof(
  fc.record({ p1: nat(PAGE_SIZE), p2: nat(PAGE_SIZE) }),
  fc
    .tuple(nat(PAGE_SIZE), fc.integer({ min: -PAGE_SIZE, max: PAGE_SIZE }))
    .map(([p1, d]) => ({ p1, p2: Math.max(0, p1 + d) })),
);

/** The obligation. */
export const obligation: Obligation<Input> = {
  name: 'lemma_frame_to_index_injective',
  mirrors: 'lemma_frame_to_index_injective',
  statement:
    'for every u64 p1, p2 with p1 % PAGE_SIZE == 0, p2 % PAGE_SIZE == 0 and p1 != p2: frame_to_index(p1) != frame_to_index(p2)',
  vars: { p1: 64, p2: 64 },
  encode: (z) => {
    const b = bv(z);
    const [p1, p2] = [b.v('p1'), b.v('p2')];
    const hyp = z.And(b.multipleOf(p1, PAGE_SIZE), b.multipleOf(p2, PAGE_SIZE), p1.neq(p2));
    return z.Implies(hyp, frameToIndexBv(b, p1).neq(frameToIndexBv(b, p2)));
  },
  predicate: ({ p1, p2 }) =>
    !(p1 % PAGE_SIZE === 0 && p2 % PAGE_SIZE === 0 && p1 !== p2) || frameToIndex(p1) !== frameToIndex(p2),
  inputs: pair,
  toInput: (m) => ({ p1: num(m['p1']), p2: num(m['p2']) }),
  fromInput: (i) => ({ p1: BigInt(i.p1), p2: BigInt(i.p2) }),
  terms: [
    {
      name: 'frame_to_index(p1)',
      encode: (z) => frameToIndexBv(bv(z), bv(z).v('p1')),
      value: (i) => BigInt(frameToIndex(i.p1)),
    },
    {
      name: 'frame_to_index(p2)',
      encode: (z) => frameToIndexBv(bv(z), bv(z).v('p2')),
      value: (i) => BigInt(frameToIndex(i.p2)),
    },
  ],
};
