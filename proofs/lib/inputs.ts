/**
 * Input generators shared by the obligations' cross-checks. Each mixes values on the boundaries the
 * statements talk about (0, page and slot multiples, the ends of ranges, the top of the word) with
 * uniform ones, so that hypotheses hold on a good share of the samples and fail on the rest.
 */
import fc from 'fast-check';

/** The largest integer JavaScript numbers hold exactly: the implementation's address range. */
export const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export const U64_MAX = (1n << 64n) - 1n;

/** A non-negative safe integer, biased to multiples of `unit` and to values near `around`. */
export function nat(unit: number, around: readonly number[] = []): fc.Arbitrary<number> {
  const near = around.map((a) => fc.integer({ min: -3, max: 3 }).map((d) => Math.max(0, a + d * unit)));
  return fc.oneof(
    fc.integer({ min: 0, max: 64 }).map((i) => i * unit),
    fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / unit) }).map((i) => i * unit),
    fc.maxSafeNat(),
    ...near,
  );
}

/** A u64, biased to the bottom and the top of the word and to values near `around`. */
export function u64(around: readonly bigint[] = []): fc.Arbitrary<bigint> {
  const near = around.map((a) => fc.bigInt({ min: -4n, max: 4n }).map((d) => BigInt.asUintN(64, a + d)));
  return fc.oneof(
    fc.bigInt({ min: 0n, max: 16n }),
    fc.bigInt({ min: U64_MAX - 16n, max: U64_MAX }),
    fc.bigInt({ min: 0n, max: U64_MAX }),
    ...near,
  );
}

/** A bigint from a model value, as a JavaScript number (exact below 2^53). */
export function num(v: bigint | undefined): number {
  return Number(v ?? 0n);
}
