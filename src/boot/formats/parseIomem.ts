/**
 * `/proc/iomem`: `00000000-00000fff : Reserved`, hex without `0x`, end inclusive. Only top-level
 * lines describe the map; indented lines are children (`Kernel code` inside `System RAM`, a
 * device inside a PCI window) and are checked for shape, then skipped.
 *
 * @see Linux `kernel/resource.c` (`r_show`), `arch/x86/kernel/e820.c` (`e820_type_to_string`)
 */
import type { MemoryRegionType } from '../MemoryRegion.ts';
import { parseHexU64 } from './parseHexU64.ts';
import {
  collectLines,
  failAt,
  inclusiveRegion,
  isBlankOrComment,
  quote,
  type RegionOrReason,
  type RegionsOrError,
} from './RegionsOrError.ts';

const ENTRY = /^([^\s-]+)-(\S+) : (.*)$/;

const NAMED: Readonly<Record<string, MemoryRegionType>> = {
  'System RAM': 'Usable',
  Reserved: 'Reserved',
  'ACPI Tables': 'Reclaimable',
  'ACPI Non-volatile Storage': 'NonVolatileSleep',
  'Unusable memory': 'BadMemory',
  'Kernel code': 'Kernel',
  'Kernel rodata': 'Kernel',
  'Kernel data': 'Kernel',
  'Kernel bss': 'Kernel',
};

/** Whether `line` has the shape of an iomem entry (`START-END : NAME`), at any depth. */
export function isIomemLine(line: string): boolean {
  return ENTRY.test(line.trim());
}

/**
 * The OSTD type of a top-level resource name. Names that are not memory the firmware described
 * (PCI windows, ROMs, APICs, device names) are reserved: the kernel must not hand them out.
 */
export function iomemType(name: string): MemoryRegionType {
  return Object.hasOwn(NAMED, name) ? (NAMED[name] ?? 'Reserved') : 'Reserved';
}

/** Parses one line: a top-level region, `undefined` for a child or a comment, or a reason. */
export function parseIomemLine(line: string): RegionOrReason | undefined {
  if (isBlankOrComment(line)) return undefined;
  const match = ENTRY.exec(line.trim());
  if (match === null)
    return { ok: false, reason: `malformed /proc/iomem line ${quote(line)}: expected "START-END : NAME"` };
  if (/^\s/.test(line)) return undefined;
  const [, firstText = '', lastText = '', name = ''] = match;
  const first = parseHexU64(firstText, false);
  if (!first.ok) return first;
  const last = parseHexU64(lastText, false);
  if (!last.ok) return last;
  if (name.trim() === '') return { ok: false, reason: `missing resource name in ${quote(line)}` };
  return inclusiveRegion(first.value, last.value, iomemType(name.trim()));
}

/**
 * Parses the top-level lines of `/proc/iomem`. A map whose every range is `0-0` was read without
 * privileges (the kernel hides addresses then) and is rejected rather than read as a 1-byte map.
 */
export function parseIomem(lines: readonly string[]): RegionsOrError {
  const parsed = collectLines(lines, parseIomemLine);
  if (!parsed.ok) return parsed;
  const firstLine = lines.findIndex((line) => !isBlankOrComment(line)) + 1;
  if (parsed.regions.length === 0) return failAt(firstLine, 'no top-level /proc/iomem line (all are indented)');
  if (parsed.regions.every((r) => r.base === 0n && r.end === 1n)) {
    return failAt(firstLine, 'every /proc/iomem range is 0-0: the file was read without root, which hides addresses');
  }
  return parsed;
}
