/**
 * Split arithmetic (`allocBlock`): halving an aligned block of order `o + 1` at `i` gives two blocks
 * of order `o`, at `i` and `i + 2^o`, both aligned, each the other's buddy — so the pieces
 * `allocBlock` pushes (`i + 2^o` for `o = m−1 … k`) are aligned free blocks, and freeing the kept
 * block merges them back.
 *
 * @see DragonOS `BuddyAllocator::buddy_alloc` (kernel/src/mm/allocator/buddy.rs)
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
  const v = alignedViews(x, x.k + 1);
  if (v === undefined) return true;
  const hi = x.i + 2 ** x.k;
  return isAligned(v, x.i, x.k) && isAligned(v, hi, x.k) && buddyOf(v, x.i, x.k) === hi && buddyOf(v, hi, x.k) === x.i;
}

/** The obligation. */
export const obligation: Obligation<BlockInput> = {
  name: 'lemma_buddy_split',
  statement:
    'for every base, index i and order o < 30 with (base + i) % 2^(o+1) == 0: i and i + 2^o are aligned to 2^o, buddyOf(i, o) == i + 2^o and buddyOf(i + 2^o, o) == i',
  vars: BLOCK_VARS,
  encode: (z) => {
    const x = blockBv(z);
    const hi = x.i.add(x.b.pow2(x.k));
    const claim = z.And(
      isAlignedBv(x, x.i, x.k),
      isAlignedBv(x, hi, x.k),
      buddyOfBv(x, x.i, x.k).eq(hi),
      buddyOfBv(x, hi, x.k).eq(x.i),
    );
    return z.Implies(z.And(x.bounds, isAlignedBv(x, x.i, x.k.add(x.b.k(1)))), claim);
  },
  predicate,
  inputs: blockInputs,
  ...blockCodec,
  terms: BLOCK_TERMS,
};
