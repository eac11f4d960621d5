/**
 * Per-state storage of the explorer in fixed-size typed-array chunks: nothing grows by copying one
 * large array (no doubling spike, no JavaScript array length limit), a chunk is allocated when the
 * first index in it is written, and an allocation the machine refuses is reported as
 * `OutOfMemory` (the search ends incomplete with its statistics, never with a crash).
 */

/** The machine refused an allocation, or the search's memory budget would be exceeded by it. */
export class OutOfMemory extends Error {
  readonly bytes: number;
  /** The allocation would exceed the search's `--max-memory` (else the machine refused it). */
  readonly budget: boolean;
  constructor(bytes: number, budget = false) {
    super(`could not allocate ${bytes} bytes`);
    this.name = 'OutOfMemory';
    this.bytes = bytes;
    this.budget = budget;
  }
}

/** `new Int32Array(n)` / `new Uint32Array(n)`, with an allocation failure as `OutOfMemory`. */
export function allocInt32(n: number): Int32Array {
  try {
    return new Int32Array(n);
  } catch (e) {
    if (e instanceof RangeError) throw new OutOfMemory(4 * n);
    throw e;
  }
}

export function allocUint32(n: number): Uint32Array {
  try {
    return new Uint32Array(n);
  } catch (e) {
    if (e instanceof RangeError) throw new OutOfMemory(4 * n);
    throw e;
  }
}

/** log2 of the entries in one chunk of `ChunkedInt32` (4 MiB chunks). */
const LOG = 20;
const MASK = (1 << LOG) - 1;

/** An unbounded array of int32 indexed from 0, in chunks of 2^20 entries; unwritten entries read 0. */
export class ChunkedInt32 {
  private readonly chunks: Int32Array[] = [];

  /** Entry `i` (0 when never written). */
  get(i: number): number {
    const c = this.chunks[i >>> LOG];
    return c === undefined ? 0 : c[i & MASK]!;
  }

  set(i: number, v: number): void {
    const k = i >>> LOG;
    let c = this.chunks[k];
    if (c === undefined) {
      while (this.chunks.length < k) this.chunks.push(allocInt32(1 << LOG));
      c = allocInt32(1 << LOG);
      this.chunks[k] = c;
    }
    c[i & MASK] = v;
  }

  /** The bytes the chunks occupy. */
  get bytes(): number {
    return this.chunks.length * 4 * (1 << LOG);
  }
}
