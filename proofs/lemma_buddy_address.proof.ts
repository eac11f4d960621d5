/**
 * The buddy of an aligned block is the block whose absolute frame number differs in exactly bit `k`
 * (`buddyOf` writes the XOR as `± 2^k`, JavaScript's bit operators being 32-bit): it is aligned to
 * order `k`, distinct from the block, and its buddy is the block again.
 *
 * @see DragonOS `BuddyAllocator::buddy_free` (kernel/src/mm/allocator/buddy.rs): `paddr ^ (1 << order)`
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
  const xor = Number(BigInt(v.baseFrame + x.i) ^ (1n << BigInt(x.k)));
  return v.baseFrame + b === xor && isAligned(v, b, x.k) && b !== x.i && buddyOf(v, b, x.k) === x.i;
}

/** The obligation. */
export const obligation: Obligation<BlockInput> = {
  name: 'lemma_buddy_address',
  statement:
    'for every base, index and order k < 30 with (base + i) % 2^k == 0: base + buddyOf(i, k) == (base + i) XOR 2^k, the buddy is aligned to 2^k, differs from i, and buddyOf(buddyOf(i, k), k) == i',
  vars: BLOCK_VARS,
  encode: (z) => {
    const x = blockBv(z);
    const bud = buddyOfBv(x, x.i, x.k);
    const claim = z.And(
      x.base.add(bud).eq(x.base.add(x.i).xor(x.b.pow2(x.k))),
      isAlignedBv(x, bud, x.k),
      bud.neq(x.i),
      buddyOfBv(x, bud, x.k).eq(x.i),
    );
    return z.Implies(z.And(x.bounds, isAlignedBv(x, x.i, x.k)), claim);
  },
  predicate,
  inputs: blockInputs,
  ...blockCodec,
  terms: BLOCK_TERMS,
};
