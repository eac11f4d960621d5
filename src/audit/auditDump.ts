/**
 * `audit`: the invariants of a metadata-region dump ([docs/formats.md](../../docs/formats.md)), JSON or raw. Reads the file (a raw
 * dump streamed), runs every rule that applies, and summarizes. Bad input is a value: one line naming
 * the field, the line or the size, for exit 2.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { MAX_MODEL_PADDR, modelParams, PAGE_SIZE } from '../../spec/vocab.ts';
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { hexAddr } from '../validate/u64.ts';
import { auditJson } from './auditJson.ts';
import { auditRawFile, fileBytes, rawSlots } from './auditRaw.ts';
import { AuditReport, type AuditSummary } from './AuditReport.ts';
import { parseJsonDump } from './dumpSchema.ts';
import { checkMemoryMap } from './leakRule.ts';
import type { MetaTypeUsages } from './metaTypes.ts';
import type { SpecVersion } from '../../spec/head/registry.ts';

/**
 * How to audit: the dump's format (default: by its first byte), the memory map's usable ranges, and
 * usages declared for metadata types (`--meta-type`; they win over the dump's `metaTypes`).
 */
export type AuditOptions = Readonly<{
  format?: 'json' | 'raw';
  usable?: readonly PaddrRange[];
  metaTypes?: MetaTypeUsages;
  /** The vostd contract table whose `MetaSlotOwner::inv()` the slots are audited against (default `seed`). */
  spec?: SpecVersion;
}>;

/** The format of `file`: JSON when it is named `.json` or opens with `{`, raw otherwise. */
export function detectFormat(file: string, head: Uint8Array): 'json' | 'raw' {
  if (file.toLowerCase().endsWith('.json')) return 'json';
  const first = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  return first === 0x7b ? 'json' : 'raw';
}

function summary(
  file: string,
  format: 'json' | 'raw',
  slots: number,
  inUse: number,
  maxPaddr: number,
  r: AuditReport,
  t0: number,
  spec: SpecVersion,
): AuditSummary {
  return {
    file,
    spec,
    format,
    slots,
    inUse,
    maxPaddr: hexAddr(maxPaddr),
    verdict: r.total === 0 ? 'clean' : 'violations',
    violations: r.total,
    byInvariant: Object.fromEntries(r.counts),
    first: r.kept,
    notes: r.notes,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Audits a JSON dump's text. */
export function auditJsonText(file: string, text: string, o: AuditOptions): AuditSummary | { error: string } {
  const t0 = performance.now();
  const d = parseJsonDump(text);
  if ('error' in d) return d;
  const p = modelParams({ maxPaddr: d.maxPaddr });
  const r = new AuditReport();
  const metaTypes = new Map([...d.metaTypes, ...(o.metaTypes ?? [])]);
  const spec = o.spec ?? 'seed';
  const { inUse } = auditJson({ ...d, metaTypes }, p, r, o.usable, spec);
  return summary(file, 'json', d.slots.length, inUse, d.maxPaddr, r, t0, spec);
}

/** Audits the raw dump at `path` (shown as `file`), streamed. */
export function auditRaw(file: string, path: string, bytes: number, o: AuditOptions): AuditSummary | { error: string } {
  const t0 = performance.now();
  const slots = rawSlots(bytes);
  if (typeof slots !== 'number') return slots;
  const maxPaddr = slots * PAGE_SIZE;
  if (maxPaddr > MAX_MODEL_PADDR)
    return {
      error: `the raw dump describes ${slots} slots, beyond the 2^${Math.log2(MAX_MODEL_PADDR)} bytes framecheck models`,
    };
  const p = modelParams({ maxPaddr });
  const r = new AuditReport();
  const spec = o.spec ?? 'seed';
  const inUse = auditRawFile(path, slots, p, r, spec);
  if (o.usable !== undefined) checkMemoryMap(o.usable, maxPaddr, undefined, [], r);
  if (o.metaTypes !== undefined && o.metaTypes.size > 0)
    r.notes.push('a raw dump names no metadata types and lists no handles: the declared usages change nothing');
  return summary(file, 'raw', slots, inUse, maxPaddr, r, t0, spec);
}

/** Audits the dump at `path` (shown as `file`). */
export function auditFile(file: string, path: string, o: AuditOptions): AuditSummary | { error: string } {
  const bytes = fileBytes(path);
  const format = o.format ?? detectFormat(file, headOf(path));
  return format === 'json' ? auditJsonText(file, readFileSync(path, 'utf8'), o) : auditRaw(file, path, bytes, o);
}

/** The first bytes of a file (for format detection), without reading the rest. */
function headOf(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(64);
    return buf.subarray(0, readSync(fd, buf, 0, 64, 0));
  } finally {
    closeSync(fd);
  }
}
