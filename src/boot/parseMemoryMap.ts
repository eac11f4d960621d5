/**
 * The memory-map front end of `framecheck boot`: reads a map in any of the four formats of
 * docs/formats.md "Memory maps" into raw `MemoryRegion`s, in input order, overlaps and all (normalizing them is
 * `intoNonOverlapping`'s job, as in OSTD).
 */
import type { MemoryRegion } from './MemoryRegion.ts';
import { isE820Line, parseE820 } from './formats/parseE820.ts';
import { isIomemLine, parseIomem } from './formats/parseIomem.ts';
import { looksLikeJson, parseJsonMap } from './formats/parseJsonMap.ts';
import { isMultiboot2Line, parseMultiboot2 } from './formats/parseMultiboot2.ts';
import { failAt, isBlankOrComment, quote, type RegionsOrError } from './formats/RegionsOrError.ts';

/** The input formats `parseMemoryMap` recognizes. */
export type MemoryMapFormat = 'e820' | 'iomem' | 'multiboot2' | 'json';

/** A parsed map with the format it was read as, or a one-line error (`line N: …`) for exit 2. */
export type MemoryMapParse =
  { ok: true; regions: MemoryRegion[]; format: MemoryMapFormat } | { ok: false; error: string };

type Detected = { format: MemoryMapFormat } | { ok: false; error: string };

/**
 * Picks the format, first rule that applies:
 * 1. JSON when the text opens with `{`, or with `[` that is not a dmesg timestamp (`[    0.000000]`);
 * 2. e820 when any line contains `BIOS-e820:` (then every other line is dmesg noise);
 * 3. otherwise by the first line that is neither blank nor a `#` comment: multiboot2 when it has a
 *    `base_addr=` field, /proc/iomem when it reads `START-END : NAME`.
 * Anything else is rejected at that first line, so a dmesg log without e820 lines is an error.
 */
export function detectFormat(text: string, lines: readonly string[]): Detected {
  if (looksLikeJson(text)) return { format: 'json' };
  if (lines.some(isE820Line)) return { format: 'e820' };
  const index = lines.findIndex((line) => !isBlankOrComment(line));
  const first = lines[index];
  if (first === undefined) return { ok: false, error: 'empty memory map: no line describes a region' };
  if (isMultiboot2Line(first)) return { format: 'multiboot2' };
  if (isIomemLine(first)) return { format: 'iomem' };
  const expected = 'expected e820 ("BIOS-e820: [mem 0x…-0x…] TYPE"), /proc/iomem, multiboot2 or JSON';
  return failAt(index + 1, `not a memory-map line ${quote(first)}: ${expected}`);
}

function parseAs(format: MemoryMapFormat, text: string, lines: readonly string[]): RegionsOrError {
  switch (format) {
    case 'json':
      return parseJsonMap(text);
    case 'e820':
      return parseE820(lines);
    case 'iomem':
      return parseIomem(lines);
    case 'multiboot2':
      return parseMultiboot2(lines);
  }
}

/**
 * Parses a memory map, detecting its format (see {@link detectFormat}).
 *
 * ## Postconditions
 * - **Success**: at least one region; each has `base <= end <= U64_MAX`; regions may overlap,
 *   be unaligned or be empty, exactly as the firmware reported them.
 * - **Failure**: one line naming the offending line number and the fault: a line of no format,
 *   a non-hex number, an inverted range, an end or length past u64, or a map with no region.
 */
export function parseMemoryMap(text: string): MemoryMapParse {
  const lines = text.split(/\r?\n/);
  const detected = detectFormat(text, lines);
  if (!('format' in detected)) return detected;
  const parsed = parseAs(detected.format, text, lines);
  if (!parsed.ok) return parsed;
  if (parsed.regions.length === 0) return failAt(1, `the ${detected.format} map lists no region`);
  return { ok: true, regions: parsed.regions, format: detected.format };
}
