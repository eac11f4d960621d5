/**
 * Multiboot2-style memory map entries, one per line: `base_addr=0x0 length=0x9fc00 type=1`
 * (the fields of a multiboot2 `mmap` entry, in any order). `base_addr` and `length` are `0x` hex;
 * `type` is a u32, decimal or `0x` hex.
 *
 * @see Multiboot2 specification §3.6.8 "Memory map"; asterinas
 *      `impl From<MemoryAreaType> for MemoryRegionType` (ostd/src/arch/x86/boot/multiboot2/mod.rs)
 */
import type { MemoryRegionType } from '../MemoryRegion.ts';
import { parseHexU64 } from './parseHexU64.ts';
import {
  collectLines,
  isBlankOrComment,
  lengthRegion,
  quote,
  type RegionOrReason,
  type RegionsOrError,
} from './RegionsOrError.ts';

const FIELDS = ['base_addr', 'length', 'type'] as const;
type Field = (typeof FIELDS)[number];

/** Whether `line` is meant as a multiboot2 entry (it has a `base_addr=` field). */
export function isMultiboot2Line(line: string): boolean {
  return /(^|\s)base_addr=/.test(line);
}

/**
 * Maps a multiboot2 area type to OSTD's: 1 available, 2 reserved, 3 ACPI reclaimable, 4 preserved
 * across hibernation, 5 defective; any other value is reserved, as OSTD maps `Custom(_)`.
 */
export function multiboot2Type(code: number): MemoryRegionType {
  const types: readonly MemoryRegionType[] = ['Usable', 'Reserved', 'Reclaimable', 'NonVolatileSleep', 'BadMemory'];
  return types[code - 1] ?? 'Reserved';
}

function splitFields(line: string): Partial<Record<Field, string>> | string {
  const fields: Partial<Record<Field, string>> = {};
  for (const token of line.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    const key = token.slice(0, eq);
    if (eq < 0 || !FIELDS.some((f) => f === key))
      return `unexpected token ${quote(token)}: expected base_addr=, length=, type=`;
    if (fields[key as Field] !== undefined) return `duplicate field ${key}=`;
    fields[key as Field] = token.slice(eq + 1);
  }
  const missing = FIELDS.find((f) => fields[f] === undefined);
  return missing === undefined ? fields : `missing field ${missing}=`;
}

function parseTypeCode(text: string): number | undefined {
  const value = /^(\d+|0[xX][0-9a-fA-F]+)$/.test(text) ? BigInt(text) : undefined;
  return value === undefined || value > 0xffff_ffffn ? undefined : Number(value);
}

/** Parses one line: an entry, `undefined` for a blank or comment line, or the reason it is bad. */
export function parseMultiboot2Line(line: string): RegionOrReason | undefined {
  if (isBlankOrComment(line)) return undefined;
  const fields = splitFields(line);
  if (typeof fields === 'string') return { ok: false, reason: fields };
  const base = parseHexU64(fields.base_addr ?? '', true);
  if (!base.ok) return { ok: false, reason: `base_addr: ${base.reason}` };
  const length = parseHexU64(fields.length ?? '', true);
  if (!length.ok) return { ok: false, reason: `length: ${length.reason}` };
  const code = parseTypeCode(fields.type ?? '');
  if (code === undefined) return { ok: false, reason: `type: ${quote(fields.type ?? '')} is not a u32` };
  return lengthRegion(base.value, length.value, multiboot2Type(code));
}

/** Parses a multiboot2-style map: every non-blank, non-comment line must be an entry. */
export function parseMultiboot2(lines: readonly string[]): RegionsOrError {
  return collectLines(lines, parseMultiboot2Line);
}
