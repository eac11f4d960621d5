/**
 * Merge arithmetic (`freeBlock`): an aligned block of order `k` and its buddy, when the buddy lies in
 * the allocator (index >= 0), are the two halves of the block of order `k + 1` at the lower of the
 * two indices, which is aligned to 2^(k+1) — so `at = min(at, b)`, `order++` keeps the invariant
 * that every free block is aligned to its size.
 *
 * @see DragonOS `BuddyAllocator::buddy_free` (kernel/src/mm/allocator/buddy.rs)
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { buddyOf, isAligned } from '../impl/alloc/buddyBlocks.ts';
import {
  BLOCK_TERMS,
  BLOCK_VARS,
  blockBv,
  blockCodec,
  blockInputs,
  buddyOfBv,
  alignedViews,
  isAlignedBv,
  type BlockInput,
} from './lib/buddy.ts';

function predicate(x: BlockInput): boolean {
  const v = alignedViews(x, x.k);
  if (v === undefined) return true;
  const b = buddyOf(v, x.i, x.k);
  if (b < 0) return true;
  const m = Math.min(x.i, b);
  const size = 2 ** x.k;
  const halves = (m === x.i && b === m + size) || (m === b && x.i === m + size);
  return isAligned(v, m, x.k + 1) && halves;
}

/** The obligation. */
export const obligation: Obligation<BlockInput> = {
  name: 'lemma_buddy_merge',
  statement:
    'for every base, index i and order k < 30 with (base + i) % 2^k == 0 and buddyOf(i, k) >= 0: m = min(i, buddyOf(i, k)) is aligned to 2^(k+1) and {i, buddyOf(i, k)} == {m, m + 2^k}',
  vars: BLOCK_VARS,
  encode: (z) => {
    const x = blockBv(z);
    const { b } = x;
    const bud = buddyOfBv(x, x.i, x.k);
    const size = b.pow2(x.k);
    const inAllocator = z.Or(isAlignedBv(x, x.i, x.k.add(b.k(1))), size.ule(x.i));
    const m = b.umin(x.i, bud);
    const halves = z.Or(z.And(m.eq(x.i), bud.eq(m.add(size))), z.And(m.eq(bud), x.i.eq(m.add(size))));
    const claim = z.And(isAlignedBv(x, m, x.k.add(b.k(1))), halves);
    return z.Implies(z.And(x.bounds, isAlignedBv(x, x.i, x.k), inAllocator), claim);
  },
  predicate,
  inputs: blockInputs,
  ...blockCodec,
  terms: BLOCK_TERMS,
};
