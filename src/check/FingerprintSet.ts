/**
 * A compact set of 64-bit state fingerprints (hash compaction): two Uint32 words per state in an
 * open-addressing table that doubles when 2/3 full. Each stored fingerprint gets a dense index, so the
 * explorer keeps its parent pointers in typed arrays too.
 */
export class FingerprintSet {
  private keys: Uint32Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacityLog2 = 16) {
    this.keys = new Uint32Array(2 << capacityLog2);
    this.ids = new Int32Array(1 << capacityLog2).fill(-1);
    this.mask = (1 << capacityLog2) - 1;
  }

  /** The bytes the table occupies. */
  get bytes(): number {
    return this.keys.byteLength + this.ids.byteLength;
  }

  /** The index of fingerprint (hi, lo), inserting it when new; `isNew` tells which. */
  add(hi: number, lo: number): { id: number; isNew: boolean } {
    const r = this.insert(hi, lo);
    return r >= 0 ? { id: r, isNew: true } : { id: ~r, isNew: false };
  }

  /** `add` without an object: the new index, or `~index` (negative) when the fingerprint was stored. */
  insert(hi: number, lo: number): number {
    if ((this.size + 1) * 3 > (this.mask + 1) * 2) this.grow();
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const id = this.ids[i]!;
      if (id < 0) {
        this.ids[i] = this.size;
        this.keys[2 * i] = hi;
        this.keys[2 * i + 1] = lo;
        return this.size++;
      }
      if (this.keys[2 * i] === hi && this.keys[2 * i + 1] === lo) return ~id;
      i = (i + 1) & this.mask;
    }
  }

  /** Whether fingerprint (hi, lo) is stored. */
  has(hi: number, lo: number): boolean {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      if (this.ids[i]! < 0) return false;
      if (this.keys[2 * i] === hi && this.keys[2 * i + 1] === lo) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keys, ids } = this;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(2 * cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if (id < 0) continue;
      let i = (keys[2 * j + 1]! ^ Math.imul(keys[2 * j]!, 0x9e3779b1)) & this.mask;
      while (this.ids[i]! >= 0) i = (i + 1) & this.mask;
      this.ids[i] = id;
      this.keys[2 * i] = keys[2 * j]!;
      this.keys[2 * i + 1] = keys[2 * j + 1]!;
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
