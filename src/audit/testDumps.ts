/**
 * Dumps for tests and benchmarks: JSON dumps from slot lists, raw slots as bytes.
 */
import { REF_COUNT_UNUSED } from '../../spec/vocab.ts';
import { DUMP_FORMAT } from './dumpSchema.ts';

/** A JSON slot: `meta` null for none. */
export type JsonSlot = { paddr: string; refCount: string; meta: { type: string } | null; inList: string };

/** A slot, with defaults for what a test does not care about. */
export function slot(
  paddr: number,
  refCount: bigint | number,
  meta: string | null = null,
  inList: bigint | number = 0,
): JsonSlot {
  return {
    paddr: `0x${paddr.toString(16)}`,
    refCount: BigInt(refCount).toString(),
    meta: meta === null ? null : { type: meta },
    inList: BigInt(inList).toString(),
  };
}

/** The text of a JSON dump of `slots` (and optional `handles` and `free`) with a 1 MiB region. */
export function jsonDump(
  slots: readonly JsonSlot[],
  extra: Readonly<Record<string, unknown>> = {},
  maxPaddr = 0x10_0000,
): string {
  return JSON.stringify(
    { format: DUMP_FORMAT, pageSize: 4096, maxPaddr: `0x${maxPaddr.toString(16)}`, slots, ...extra },
    null,
    1,
  );
}

/** The 64 bytes of a raw slot. */
export function rawSlot(refCount: bigint, vtable = 0n, inList = 0n): Uint8Array {
  const b = new Uint8Array(64);
  const v = new DataView(b.buffer);
  v.setBigUint64(40, refCount, true);
  v.setBigUint64(48, vtable, true);
  v.setBigUint64(56, inList, true);
  return b;
}

/** An unused raw slot. */
export const RAW_UNUSED = rawSlot(REF_COUNT_UNUSED);
