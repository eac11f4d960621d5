/**
 * Addresses at the API edge: a number, a bigint or a string (hex `0x…` or decimal) becomes a
 * physical address, or a typed error naming what is wrong — never a wrong slot.
 */
export type AddressError = Readonly<{ error: 'InvalidAddress'; reason: string }>;

const U64_MAX = (1n << 64n) - 1n;

/** Parses a physical address. Values at or above 2^53 that fit u64 are returned as bigint (they have no slot). */
export function parsePaddr(input: unknown): number | bigint | AddressError {
  const bad = (reason: string): AddressError => ({ error: 'InvalidAddress', reason });
  let v: bigint;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return bad(`${input} is not a finite number`);
    if (!Number.isInteger(input)) return bad(`${input} is not a whole number`);
    v = BigInt(input);
  } else if (typeof input === 'bigint') v = input;
  else if (typeof input === 'string') {
    const s = input.trim();
    if (!/^(0x[0-9a-fA-F]+(_?[0-9a-fA-F]+)*|[0-9]+)$/.test(s))
      return bad(`'${input}' is not an address (hex 0x… or decimal)`);
    v = BigInt(s.replaceAll('_', ''));
  } else return bad(`a ${typeof input} is not an address`);
  if (v < 0n) return bad(`${v} is negative`);
  if (v > U64_MAX) return bad(`${v} does not fit in u64`);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
