/**
 * Hex u64 literals as memory maps spell them: `0x9fbff` (e820, multiboot2, JSON) or bare
 * `0009fbff` (/proc/iomem).
 */
import { U64_MAX } from '../../../spec/vocab.ts';
import { quote } from './RegionsOrError.ts';

/** A parsed u64, or the reason the text is not one. */
export type U64OrReason = { ok: true; value: bigint } | { ok: false; reason: string };

const PREFIXED = /^0[xX][0-9a-fA-F]+$/;
const BARE = /^[0-9a-fA-F]+$/;

/**
 * Parses `text` as a hex u64: with a `0x` prefix when `prefixed`, without one otherwise.
 * Rejects other digits, signs, underscores and values above `U64_MAX`.
 */
export function parseHexU64(text: string, prefixed: boolean): U64OrReason {
  if (!(prefixed ? PREFIXED : BARE).test(text)) {
    return { ok: false, reason: `${quote(text)} is not a hex number${prefixed ? ' (expected 0x…)' : ''}` };
  }
  const value = BigInt(prefixed ? text.toLowerCase() : `0x${text}`);
  if (value > U64_MAX) return { ok: false, reason: `${quote(text)} overflows u64` };
  return { ok: true, value };
}
