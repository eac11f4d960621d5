/**
 * The bit-vector twins of the buddy allocator's address arithmetic (impl/alloc/buddyBlocks.ts): a
 * block of order `k` at frame index `i` is aligned when the absolute frame number `baseFrame + i`
 * is a multiple of 2^k, and its buddy is `i ± 2^k` by the alignment to 2^(k+1).
 *
 * Bounds are the allocator's: orders up to `MAX_ORDER_LIMIT` (so a merge order `k < maxOrder` is at
 * most 29), frame indices below `MAX_FRAMES`, and `basePaddr` a safe integer (`baseFrame < 2^41`).
 */
import fc from 'fast-check';
import { bv, type Bv } from '../../src/prove/bv.ts';
import type { Term, Values, Z3, ZBool, ZBv } from '../../src/prove/Obligation.ts';
import { buddyOf, isAligned } from '../../impl/alloc/buddyBlocks.ts';
import {
  createBuddyBuffer,
  MAX_FRAMES,
  MAX_ORDER_LIMIT,
  viewsOf,
  type BuddyViews,
} from '../../impl/alloc/buddyLayout.ts';
import { PAGE_SIZE } from '../../impl/alloc/vocab.ts';
import { num } from './inputs.ts';

/** A block: the allocator's base address, a frame index and an order. */
export type BlockInput = Readonly<{ basePaddr: number; i: number; k: number }>;

/** The variables: the base frame number, the index and the order. */
export const BLOCK_VARS = { base: 64, i: 64, k: 64 } as const;

/** The largest base frame number (`basePaddr` stays a safe integer). */
export const MAX_BASE_FRAME = Math.floor(Number.MAX_SAFE_INTEGER / PAGE_SIZE);

/** The block's terms. */
export type BlockBv = Readonly<{ b: Bv; base: ZBv; i: ZBv; k: ZBv; bounds: ZBool }>;

/** The variables, and the allocator's bounds on them (`k <= MAX_ORDER_LIMIT − 1`). */
export function blockBv(z: Z3): BlockBv {
  const b = bv(z);
  const [base, i, k] = [b.v('base'), b.v('i'), b.v('k')];
  const bounds = z.And(base.ule(b.k(MAX_BASE_FRAME)), i.ult(b.k(MAX_FRAMES)), k.ult(b.k(MAX_ORDER_LIMIT)));
  return { b, base, i, k, bounds };
}

/** `isAligned(v, i, k)`: `(baseFrame + i) % 2^k == 0`. */
export function isAlignedBv(x: BlockBv, i: ZBv, k: ZBv): ZBool {
  return x.b.alignedPow2(x.base.add(i), k);
}

/** `buddyOf(v, i, k)`: `i + 2^k` when aligned to 2^(k+1), else `i − 2^k` (wrapping below 0). */
export function buddyOfBv(x: BlockBv, i: ZBv, k: ZBv): ZBv {
  const up = isAlignedBv(x, i, k.add(x.b.k(1)));
  return x.b.ite(up, i.add(x.b.pow2(k)), i.sub(x.b.pow2(k)));
}

const viewCache = new Map<number, BuddyViews>();

/** The real views of an allocator based at `basePaddr` (one frame: the arithmetic reads only the base). */
export function viewsAt(basePaddr: number): BuddyViews {
  let v = viewCache.get(basePaddr);
  if (v === undefined) {
    if (viewCache.size > 256) viewCache.clear();
    v = viewsOf(createBuddyBuffer(basePaddr, 1, MAX_ORDER_LIMIT));
    viewCache.set(basePaddr, v);
  }
  return v;
}

/** The bounds in TypeScript. */
export function inBounds(x: BlockInput): boolean {
  return x.basePaddr / PAGE_SIZE <= MAX_BASE_FRAME && x.i < MAX_FRAMES && x.k < MAX_ORDER_LIMIT;
}

/**
 * The hypothesis the buddy lemmas share: `x` is in bounds and its block `i` is aligned to order
 * `order`; then the allocator's views at its base, else `undefined` (the lemma holds vacuously).
 */
export function alignedViews(x: BlockInput, order: number): BuddyViews | undefined {
  const v = viewsAt(x.basePaddr);
  return inBounds(x) && isAligned(v, x.i, order) ? v : undefined;
}

const order = fc.oneof(
  fc.integer({ min: 0, max: MAX_ORDER_LIMIT - 1 }),
  fc.integer({ min: 0, max: MAX_ORDER_LIMIT + 1 }),
);

/** Blocks: bases and indices biased to multiples of large powers of two, so alignment holds often. */
export const blockInputs: fc.Arbitrary<BlockInput> = fc
  .record({ k: order, sb: fc.integer({ min: 0, max: 40 }), si: fc.integer({ min: 0, max: 30 }) })
  .chain(({ k, sb, si }) =>
    fc.record({
      basePaddr: fc.oneof(
        fc.integer({ min: 0, max: Math.floor(MAX_BASE_FRAME / 2 ** sb) }).map((n) => n * 2 ** sb * PAGE_SIZE),
        fc.constant(0),
      ),
      i: fc.oneof(
        fc.integer({ min: 0, max: Math.floor((MAX_FRAMES - 1) / 2 ** si) }).map((n) => n * 2 ** si),
        fc.integer({ min: 0, max: 2 ** (k + 2) }),
      ),
      k: fc.constant(k),
    }),
  );

/** Block inputs to and from model values. */
export const blockCodec = {
  toInput: (m: Values): BlockInput => ({ basePaddr: num(m['base']) * PAGE_SIZE, i: num(m['i']), k: num(m['k']) }),
  fromInput: (x: BlockInput): Values => ({ base: BigInt(x.basePaddr / PAGE_SIZE), i: BigInt(x.i), k: BigInt(x.k) }),
};

/** The arithmetic, term by term, against `isAligned` and `buddyOf` (compared where the order is in bounds). */
export const BLOCK_TERMS: readonly Term<BlockInput>[] = [
  {
    name: 'isAligned(i, k)',
    encode: (z) => isAlignedBv(blockBv(z), blockBv(z).i, blockBv(z).k),
    value: (x) => (inBounds(x) ? isAligned(viewsAt(x.basePaddr), x.i, x.k) : undefined),
  },
  {
    name: 'buddyOf(i, k)',
    encode: (z) => buddyOfBv(blockBv(z), blockBv(z).i, blockBv(z).k),
    value: (x) => (inBounds(x) ? BigInt(buddyOf(viewsAt(x.basePaddr), x.i, x.k)) : undefined),
  },
];
