/**
 * The audit of a raw dump ([docs/formats.md](../../docs/formats.md), "Metadata-region dumps"): the region's bytes, 64 per slot, little-endian, slot `i`
 * describing frame `i × 4096`; `ref_count` at offset 40, `vtable_ptr` at 48 (non-zero while metadata
 * is initialized, possibly stale in an unused slot), `in_list` at 56. The dump carries no types, so
 * only the count, vtable and list rules apply.
 *
 * The file is streamed through one fixed buffer (`fs.readSync`), so memory does not grow with the
 * dump; slots in the common legal shapes are recognized from 32-bit halves without a bigint.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { META_SLOT_SIZE, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import type { AuditReport } from './AuditReport.ts';
import { slotViolations } from './slotRules.ts';
import type { SpecVersion } from '../../spec/head/registry.ts';

/** Bytes read per chunk (16384 slots). */
export const CHUNK_BYTES = 1 << 20;

const ONES = 0xffff_ffff;

/** The size of a raw dump in slots, or the one-line reason it is not a raw dump. */
export function rawSlots(bytes: number): number | { error: string } {
  if (bytes === 0) return { error: 'the raw dump is empty: it holds no slot' };
  if (bytes % META_SLOT_SIZE !== 0)
    return {
      error: `the raw dump is ${bytes} bytes, not a whole number of 64-byte slots (${bytes % META_SLOT_SIZE} bytes left over)`,
    };
  return bytes / META_SLOT_SIZE;
}

const u64 = (v: DataView, off: number): bigint => v.getBigUint64(off, true);

/** Audits slot `i` at byte `off` of `v`; returns whether its count is not `REF_COUNT_UNUSED`. */
function auditSlot(
  v: DataView,
  off: number,
  i: number,
  p: ModelParams,
  report: AuditReport,
  spec: SpecVersion,
): boolean {
  const rcLo = v.getUint32(off + 40, true);
  const rcHi = v.getUint32(off + 44, true);
  const listFree = v.getUint32(off + 56, true) === 0 && v.getUint32(off + 60, true) === 0;
  const unused = rcLo === ONES && rcHi === ONES;
  // The common shapes: unused and unlinked (a stale vtable is allowed), busy and unlinked, shared with metadata.
  if (unused && listFree) return false;
  if (listFree && (rcLo | rcHi) === 0) return true;
  const vtable = v.getUint32(off + 48, true) !== 0 || v.getUint32(off + 52, true) !== 0;
  if (listFree && vtable && rcHi < 0x8000_0000 && (rcLo | rcHi) !== 0 && u64(v, off + 40) <= p.refCountMax) return true;
  const meta = unused || !vtable ? undefined : `vtable 0x${u64(v, off + 48).toString(16)}`;
  for (const x of slotViolations(
    { paddr: i * PAGE_SIZE, refCount: u64(v, off + 40), meta, inList: u64(v, off + 56) },
    p,
    spec,
  ))
    report.add(x);
  return !unused;
}

/** Streams the raw dump at `file` (of `slots` slots) through the slot rules; returns how many slots are in use. */
export function auditRawFile(
  file: string,
  slots: number,
  p: ModelParams,
  report: AuditReport,
  spec: SpecVersion = 'seed',
): number {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(CHUNK_BYTES);
    const view = new DataView(buf.buffer);
    let inUse = 0;
    for (let first = 0; first < slots;) {
      const want = Math.min(CHUNK_BYTES, (slots - first) * META_SLOT_SIZE);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, first * META_SLOT_SIZE + got);
        if (n === 0) throw new RangeError('the raw dump shrank while it was read');
        got += n;
      }
      for (let off = 0; off < want; off += META_SLOT_SIZE, first++)
        if (auditSlot(view, off, first, p, report, spec)) inUse++;
    }
    return inUse;
  } finally {
    closeSync(fd);
  }
}

/** The size in bytes of an open file. */
export function fileBytes(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
