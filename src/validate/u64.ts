/**
 * u64 values as JSON spells them in histories and dumps: a non-negative whole number, a decimal
 * string (`"18446744073709551615"`) or a hex string (`"0x3000"`). Anything else, and anything past
 * `u64::MAX`, is a reason, never an exception.
 */
import { z } from 'zod';
import { U64_MAX } from '../../spec/vocab.ts';

const DECIMAL = /^[0-9]+$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;

/** The u64 `v` denotes, or the reason it denotes none. */
export function toU64(v: unknown): bigint | { reason: string } {
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) return { reason: `${v} is not a non-negative whole number` };
    n = BigInt(v);
  } else if (typeof v === 'string') {
    const s = v.length > 40 ? `${v.slice(0, 37)}...` : v;
    if (!DECIMAL.test(v) && !HEX.test(v)) return { reason: `"${s}" is not a u64 (decimal or 0x… hex)` };
    if (v.length > 80) return { reason: `"${s}" is beyond u64` };
    n = BigInt(v);
  } else return { reason: `expected a u64 (number or string), got ${v === null ? 'null' : typeof v}` };
  return n > U64_MAX ? { reason: `${v} is beyond u64` } : n;
}

/** A zod schema for a u64 field (number, decimal or hex string) that yields a bigint. */
export const u64 = z.unknown().transform((v, ctx) => {
  const r = toU64(v);
  if (typeof r === 'bigint') return r;
  ctx.addIssue({ code: 'custom', message: r.reason });
  return z.NEVER;
});

/** A whole number as its exact decimal digits: past 2^53 a double's shortest form (`18446744073709548000`) is not its value. */
export function exactInt(v: number | bigint): string {
  return typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v).toString() : String(v);
}

/** `0x…` for an address in messages. */
export function hexAddr(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

/** The one-line message of a zod error: the field path (after `where`, e.g. `value`) and the first issue. */
export function zodLine(where: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
  const field = `${where}${path}`.replace(/^\./, '');
  return field === '' ? issue.message : `${field}: ${issue.message}`;
}
