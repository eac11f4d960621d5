/**
 * The words the allocators speak: physical addresses, half-open ranges, layouts and page arithmetic.
 *
 * `impl/` never imports `spec/`, so the allocators keep their own copy of `PAGE_SIZE`; the contract
 * layer's tests check that it equals `spec/vocab.ts`'s. All arithmetic stays below
 * `Number.MAX_SAFE_INTEGER`, where JavaScript numbers are exact; a result past it counts as overflow.
 *
 * @see OSTD `ostd/src/mm/mod.rs` (`PAGE_SIZE`, `Paddr`), `core::alloc::Layout`, `core::ops::Range`
 */

/** A physical address (`Paddr`). */
export type Paddr = number;

/** The size of a base page (`PAGE_SIZE`), a power of two. */
export const PAGE_SIZE = 4096;

/** A half-open range `start..end` (`core::ops::Range<usize>`); empty when `end <= start`. */
export type Range = Readonly<{ start: number; end: number }>;

/** A request for memory (`core::alloc::Layout`): `size` bytes aligned to `align`, a power of two. */
export type Layout = Readonly<{ size: number; align: number }>;

/** Whether `x` is a safe non-negative integer. */
export function isIndex(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

/** Whether `x` is a positive power of two (any safe integer, not only 32-bit ones). */
export function isPowerOfTwo(x: number): boolean {
  return isIndex(x) && x > 0 && 2 ** Math.floor(Math.log2(x)) === x;
}

/** The smallest `k` with `2^k >= n` (for `n >= 1`), exact where `Math.log2` may round. */
export function ceilLog2(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

/** Whether `x` is a multiple of `PAGE_SIZE`. */
export function isPageAligned(x: number): boolean {
  return isIndex(x) && x % PAGE_SIZE === 0;
}

/**
 * `x` rounded up to a multiple of `align` (a power of two), or `undefined` when that overflows the
 * safe-integer range (Rust's `checked_next_multiple_of`).
 */
export function alignUp(x: number, align: number): number | undefined {
  const up = Math.ceil(x / align) * align;
  return Number.isSafeInteger(up) ? up : undefined;
}

/** `x` rounded down to a multiple of `align` (a power of two). */
export function alignDown(x: number, align: number): number {
  return Math.floor(x / align) * align;
}

/** The number of elements of `r` (`Range::len`), 0 when empty. */
export function rangeLen(r: Range): number {
  return Math.max(0, r.end - r.start);
}
