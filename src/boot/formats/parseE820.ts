/**
 * Linux's firmware memory map as `dmesg` prints it:
 * `[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable`.
 *
 * A line is an e820 line when it contains `BIOS-e820:`; whatever precedes the marker (a dmesg
 * timestamp, a journald prefix) is ignored, and so is every line without the marker, which lets a
 * whole `dmesg` log be passed in. The kernel's later edits (`e820: update …`, `e820: remove …`) are
 * such lines: the map is the firmware's. The end address is inclusive.
 *
 * @see Linux `arch/x86/kernel/e820.c` (`e820__print_table`, `e820_print_type`);
 *      asterinas `impl From<E820Type> for MemoryRegionType` (ostd/src/arch/x86/boot/linux_boot/mod.rs)
 */
import type { MemoryRegionType } from '../MemoryRegion.ts';
import { parseHexU64 } from './parseHexU64.ts';
import { collectLines, inclusiveRegion, quote, type RegionOrReason, type RegionsOrError } from './RegionsOrError.ts';

const MARKER = 'BIOS-e820:';
const ENTRY = /^\[mem\s+([^\s\]-]+)-([^\s\]]+)\]\s*(.*)$/;

/** Whether `line` is meant as an e820 entry (it names the `BIOS-e820:` marker). */
export function isE820Line(line: string): boolean {
  return line.includes(MARKER);
}

/**
 * Maps Linux's e820 type names to OSTD types as OSTD's Linux boot path does: RAM is usable, ACPI
 * tables reclaimable, ACPI NVS kept across sleep, `unusable` bad, and every other type (soft
 * reserved, persistent memory, `type N`) reserved. `undefined` for a name Linux never prints.
 */
export function e820Type(name: string): MemoryRegionType | undefined {
  switch (name) {
    case 'usable':
      return 'Usable';
    case 'ACPI data':
      return 'Reclaimable';
    case 'ACPI NVS':
      return 'NonVolatileSleep';
    case 'unusable':
      return 'BadMemory';
    case 'reserved':
    case 'soft reserved':
      return 'Reserved';
  }
  return /^(persistent \(type \d+\)|type \d+)$/.test(name) ? 'Reserved' : undefined;
}

/** Parses one line: an e820 entry, `undefined` for dmesg noise, or the reason the entry is bad. */
export function parseE820Line(line: string): RegionOrReason | undefined {
  const at = line.indexOf(MARKER);
  if (at < 0) return undefined;
  const match = ENTRY.exec(line.slice(at + MARKER.length).trim());
  if (match === null)
    return { ok: false, reason: `malformed e820 entry ${quote(line)}: expected "[mem 0x…-0x…] TYPE"` };
  const [, firstText = '', lastText = '', typeName = ''] = match;
  const first = parseHexU64(firstText, true);
  if (!first.ok) return first;
  const last = parseHexU64(lastText, true);
  if (!last.ok) return last;
  if (typeName.trim() === '') return { ok: false, reason: `missing e820 type after ${quote(match[0] ?? '')}` };
  const type = e820Type(typeName.trim());
  if (type === undefined) return { ok: false, reason: `unknown e820 type ${quote(typeName)}` };
  return inclusiveRegion(first.value, last.value, type);
}

/** Parses every e820 entry of a dmesg log; lines without the `BIOS-e820:` marker are skipped. */
export function parseE820(lines: readonly string[]): RegionsOrError {
  return collectLines(lines, parseE820Line);
}
