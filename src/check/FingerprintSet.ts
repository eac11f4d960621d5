/**
 * A compact set of 64-bit state fingerprints (hash compaction): open addressing with linear probing
 * over two Uint32 words per slot, in chunks of 2^19 slots, doubling (by rehash, chunk by chunk, each
 * old chunk released once moved) when 2/3 full. The fingerprints are counted in insertion order, so
 * the explorer keeps its parent pointers by that dense index; the table itself stores each index
 * only when asked to (`withIds`: 4 bytes more per slot), for searches that look up an old state's index.
 */
import { allocInt32, allocUint32, OutOfMemory } from './chunks.ts';

/** log2 of the slots in one chunk (4 MiB of keys). */
const CHUNK_LOG = 19;

export class FingerprintSet {
  /** Per chunk: (hi, lo) per slot; (0, 0) is an empty slot. */
  private keys: Uint32Array[] = [];
  /** Per chunk: the dense index of each slot's fingerprint (with `withIds`). */
  private ids: Int32Array[] = [];
  private mask: number;
  private chunkLog: number;
  /** The index of the fingerprint (0, 0), which no slot can hold (-1: not stored). */
  private zeroId = -1;
  private readonly withIds: boolean;
  size = 0;
  /**
   * Asked before a growth whether its bytes may be allocated. Refused, the table fills on to 7/8 of
   * its slots (probes get longer, the search goes on) and then throws `OutOfMemory` (a budget stop).
   */
  budget: ((bytes: number) => boolean) | undefined;
  /** Grow beyond this many fingerprints (2/3 of the slots; 7/8 once the budget refused a growth). */
  private limit: number;
  private refused = false;

  constructor(capacityLog2 = 16, withIds = true) {
    this.withIds = withIds;
    this.mask = (1 << capacityLog2) - 1;
    this.chunkLog = Math.min(capacityLog2, CHUNK_LOG);
    this.limit = Math.floor(((this.mask + 1) * 2) / 3);
    this.allocate(capacityLog2);
  }

  /** The bytes the table occupies. */
  get bytes(): number {
    return (this.mask + 1) * (this.withIds ? 12 : 8);
  }

  private allocate(capacityLog2: number): void {
    const per = 1 << this.chunkLog;
    const n = Math.max(1, (1 << capacityLog2) >>> this.chunkLog);
    this.keys = [];
    this.ids = [];
    for (let k = 0; k < n; k++) {
      this.keys.push(allocUint32(2 * per));
      if (this.withIds) this.ids.push(allocInt32(per));
    }
  }

  /** The index of fingerprint (hi, lo), inserting it when new; `isNew` tells which (id -1: not kept). */
  add(hi: number, lo: number): { id: number; isNew: boolean } {
    const r = this.insert(hi, lo);
    return r >= 0 ? { id: r, isNew: true } : { id: this.withIds ? ~r : -1, isNew: false };
  }

  /**
   * `add` without an object: the new index, or a negative number when the fingerprint was stored
   * (`~index` when the set keeps indices, else -1).
   */
  insert(hi: number, lo: number): number {
    if ((hi | lo) === 0) {
      if (this.zeroId >= 0) return this.withIds ? ~this.zeroId : -1;
      this.zeroId = this.size;
      return this.size++;
    }
    if (this.size + 1 > this.limit) this.full();
    const cl = this.chunkLog;
    const cm = (1 << cl) - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const c = this.keys[i >>> cl]!;
      const o = (i & cm) << 1;
      const h = c[o]!;
      const l = c[o + 1]!;
      if ((h | l) === 0) {
        c[o] = hi;
        c[o + 1] = lo;
        if (this.withIds) this.ids[i >>> cl]![i & cm] = this.size;
        return this.size++;
      }
      if (h === hi >>> 0 && l === lo >>> 0) return this.withIds ? ~this.ids[i >>> cl]![i & cm]! : -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Whether fingerprint (hi, lo) is stored. */
  has(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) return this.zeroId >= 0;
    const cl = this.chunkLog;
    const cm = (1 << cl) - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const c = this.keys[i >>> cl]!;
      const o = (i & cm) << 1;
      const h = c[o]!;
      const l = c[o + 1]!;
      if ((h | l) === 0) return false;
      if (h === hi >>> 0 && l === lo >>> 0) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** At the load limit: grow when allowed, else fill on to 7/8, then stop. */
  private full(): void {
    const capLog = Math.log2(this.mask + 1) + 1;
    const bytes = 2 * this.bytes;
    // 2^30 slots is as far as 32-bit slot arithmetic goes.
    if (!this.refused && capLog <= 30 && (this.budget?.(bytes) ?? true)) return this.grow(capLog);
    if (this.refused) throw new OutOfMemory(bytes, true);
    this.refused = true;
    this.limit = Math.floor(((this.mask + 1) * 7) / 8);
  }

  private grow(capLog: number): void {
    const oldKeys = this.keys;
    const oldIds = this.ids;
    const oldPer = 1 << this.chunkLog;
    this.mask = (1 << capLog) - 1;
    this.limit = Math.floor(((this.mask + 1) * 2) / 3);
    this.chunkLog = Math.min(capLog, CHUNK_LOG);
    this.allocate(capLog);
    const cl = this.chunkLog;
    const cm = (1 << cl) - 1;
    for (let k = 0; k < oldKeys.length; k++) {
      const c = oldKeys[k]!;
      const d = this.withIds ? oldIds[k]! : undefined;
      for (let j = 0; j < oldPer; j++) {
        const hi = c[2 * j]!;
        const lo = c[2 * j + 1]!;
        if ((hi | lo) === 0) continue;
        let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
        for (;;) {
          const n = this.keys[i >>> cl]!;
          const o = (i & cm) << 1;
          if ((n[o]! | n[o + 1]!) === 0) {
            n[o] = hi;
            n[o + 1] = lo;
            if (d !== undefined) this.ids[i >>> cl]![i & cm] = d[j]!;
            break;
          }
          i = (i + 1) & this.mask;
        }
      }
      // Moved: this chunk's memory can go before the next one is read.
      (oldKeys as (Uint32Array | undefined)[])[k] = undefined;
      if (d !== undefined) (oldIds as (Int32Array | undefined)[])[k] = undefined;
    }
  }
}

/** Two independent 32-bit hashes (FNV-1a and a murmur-style mix) of a string: a 64-bit fingerprint. */
export function fingerprint(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b ^ (b >>> 13)) >>> 0];
}
