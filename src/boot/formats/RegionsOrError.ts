/**
 * The result every memory-map format parser returns, and the range constructors they share, so
 * that every format rejects inverted and overflowing ranges with the same words.
 */
import { U64_MAX } from '../../../spec/vocab.ts';
import type { MemoryRegion, MemoryRegionType } from '../MemoryRegion.ts';

/** The regions of a map, or a one-line error naming the offending line. */
export type RegionsOrError = { ok: true; regions: MemoryRegion[] } | { ok: false; error: string };

/** A single region, or the reason it is not one (without the line number). */
export type RegionOrReason = { ok: true; region: MemoryRegion } | { ok: false; reason: string };

/** A failure at 1-based line `lineNo`: `line N: reason`. */
export function failAt(lineNo: number, reason: string): { ok: false; error: string } {
  return { ok: false, error: `line ${lineNo}: ${reason}` };
}

/** `text` quoted for an error message, cut short so that the message stays one readable line. */
export function quote(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}...` : flat);
}

/** `0x…` rendering of a u64, for messages. */
export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** The region `[first, last]` given with an inclusive end (e820, /proc/iomem). */
export function inclusiveRegion(first: bigint, last: bigint, type: MemoryRegionType): RegionOrReason {
  if (last < first) return { ok: false, reason: `inverted range: end ${hex(last)} is below start ${hex(first)}` };
  if (last === U64_MAX) return { ok: false, reason: `range end ${hex(last)} + 1 overflows u64` };
  return { ok: true, region: { base: first, end: last + 1n, type } };
}

/** The region `[base, base + len)` given by its length (multiboot2, JSON). */
export function lengthRegion(base: bigint, len: bigint, type: MemoryRegionType): RegionOrReason {
  if (base + len > U64_MAX) return { ok: false, reason: `base ${hex(base)} + length ${hex(len)} overflows u64` };
  return { ok: true, region: { base, end: base + len, type } };
}

/**
 * Runs `parseLine` over every line, in order: `undefined` skips the line, a reason stops the
 * parse with `line N: reason`. The regions keep the input order.
 */
export function collectLines(
  lines: readonly string[],
  parseLine: (line: string) => RegionOrReason | undefined,
): RegionsOrError {
  const regions: MemoryRegion[] = [];
  for (const [index, line] of lines.entries()) {
    const parsed = parseLine(line);
    if (parsed === undefined) continue;
    if (!parsed.ok) return failAt(index + 1, parsed.reason);
    regions.push(parsed.region);
  }
  return { ok: true, regions };
}

/** Whether a line carries nothing: blank, or a `#` comment (allowed in the line formats). */
export function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}
