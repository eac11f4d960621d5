/**
 * The one memory interface every atomic access of the implementation goes through.
 *
 * In production it is `Atomics` on typed arrays over `SharedArrayBuffer`s (`AtomicsMemory`), so the
 * implementation runs across `worker_threads`. A checker substitutes an interceptor with the same
 * shape, which lets it observe writes (contracts) or interleave threads at each atomic step (explorer).
 * Plain (non-atomic) accesses to slot storage go through the same object so that an interceptor sees
 * them too, but they are never scheduling points.
 *
 * Cells are addressed by word index; values are u64 (or u32 for the legacy layout) as bigints.
 */

/** `core::sync::atomic::Ordering`. JavaScript atomics are sequentially consistent; the value is kept for weak-memory checking. */
export const Ordering = { Relaxed: 0, Acquire: 1, Release: 2, AcqRel: 3, SeqCst: 4 } as const;
export type Ordering = (typeof Ordering)[keyof typeof Ordering];

/** What `compareExchangeWeak` returns on a spurious failure (no u64 value is negative). */
export const SPURIOUS_FAILURE = -1n;

export interface Memory {
  load(word: number, order: Ordering): bigint;
  store(word: number, value: bigint, order: Ordering): void;
  /**
   * Returns the value observed; the exchange happened iff it equals `expected`. `order` is the success
   * ordering, `failure` the ordering of the load when the exchange fails (Rust's two arguments;
   * `Relaxed` when omitted).
   */
  compareExchange(word: number, expected: bigint, desired: bigint, order: Ordering, failure?: Ordering): bigint;
  /** As `compareExchange`, but may fail spuriously, returning `SPURIOUS_FAILURE`. */
  compareExchangeWeak(word: number, expected: bigint, desired: bigint, order: Ordering, failure?: Ordering): bigint;
  fetchAdd(word: number, delta: bigint, order: Ordering): bigint;
  fetchSub(word: number, delta: bigint, order: Ordering): bigint;
  fence(order: Ordering): void;
  readPlain(word: number): bigint;
  writePlain(word: number, value: bigint): void;
}

/** The shape of the cells: how many words, and what an untouched word holds. */
export type MemoryShape = Readonly<{
  words: number;
  /** 64 or 32. */
  width: 64 | 32;
  /** The value of word `w` before anything was written (the region is created with every slot unused). */
  initialWord: (w: number) => bigint;
}>;

const CHUNK_SHIFT = 19;
const CHUNK_WORDS = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_WORDS - 1;

/** Allocates and initializes chunk `index` of a region of `shape`. */
function newChunk<T extends BigUint64Array | Uint32Array>(
  shape: MemoryShape,
  index: number,
  make: (b: SharedArrayBuffer) => T,
): T {
  const base = index * CHUNK_WORDS;
  const len = Math.min(CHUNK_WORDS, shape.words - base);
  const c = make(new SharedArrayBuffer(len * (shape.width / 8)));
  for (let w = 0; w < len; w++) {
    const v = shape.initialWord(base + w);
    if (v !== 0n) c[w] = (c instanceof BigUint64Array ? v : Number(v)) as never;
  }
  return c;
}

/**
 * `Atomics` on chunked `BigUint64Array`s over `SharedArrayBuffer`s. Chunks (4 MiB of u64 words, like
 * metadata pages) materialize on the first write, so a region for tens of GiB of memory costs what is
 * touched. `share()` allocates every chunk, as needed before handing the buffers to workers.
 */
export class AtomicsMemory implements Memory {
  readonly shape: MemoryShape;
  private readonly chunks: (BigUint64Array | undefined)[];

  constructor(shape: MemoryShape, buffers?: readonly SharedArrayBuffer[]) {
    this.shape = shape;
    this.chunks = new Array<BigUint64Array | undefined>(Math.ceil(shape.words / CHUNK_WORDS)).fill(undefined);
    buffers?.forEach((b, i) => (this.chunks[i] = new BigUint64Array(b)));
  }

  /** Allocates every chunk now, and returns the buffers to hand to another worker. */
  share(): SharedArrayBuffer[] {
    return this.chunks.map((_, i) => this.chunk(i * CHUNK_WORDS).buffer as SharedArrayBuffer);
  }

  /** The number of bytes of chunks materialized so far. */
  get bytesResident(): number {
    return this.chunks.reduce((s, c) => s + (c?.byteLength ?? 0), 0);
  }

  load(word: number, _order: Ordering): bigint {
    const c = this.chunks[word >>> CHUNK_SHIFT];
    return c === undefined ? this.shape.initialWord(word) : Atomics.load(c, word & CHUNK_MASK);
  }

  store(word: number, value: bigint, _order: Ordering): void {
    Atomics.store(this.chunk(word), word & CHUNK_MASK, value);
  }

  compareExchange(word: number, expected: bigint, desired: bigint, _order: Ordering): bigint {
    return Atomics.compareExchange(this.chunk(word), word & CHUNK_MASK, expected, desired);
  }

  compareExchangeWeak(word: number, expected: bigint, desired: bigint, _order: Ordering): bigint {
    return Atomics.compareExchange(this.chunk(word), word & CHUNK_MASK, expected, desired);
  }

  fetchAdd(word: number, delta: bigint, _order: Ordering): bigint {
    return Atomics.add(this.chunk(word), word & CHUNK_MASK, delta);
  }

  fetchSub(word: number, delta: bigint, _order: Ordering): bigint {
    return Atomics.sub(this.chunk(word), word & CHUNK_MASK, delta);
  }

  fence(_order: Ordering): void {
    // JavaScript atomics are sequentially consistent: every fence is already implied.
  }

  readPlain(word: number): bigint {
    const c = this.chunks[word >>> CHUNK_SHIFT];
    return c === undefined ? this.shape.initialWord(word) : c[word & CHUNK_MASK]!;
  }

  writePlain(word: number, value: bigint): void {
    this.chunk(word)[word & CHUNK_MASK] = value;
  }

  private chunk(word: number): BigUint64Array {
    const index = word >>> CHUNK_SHIFT;
    return this.chunks[index] ?? (this.chunks[index] = newChunk(this.shape, index, (b) => new BigUint64Array(b)));
  }
}

/** The same on u32 words, for the legacy layout's `AtomicU32` counts (arithmetic wraps at 2^32). */
export class AtomicsMemory32 implements Memory {
  readonly shape: MemoryShape;
  private readonly chunks: (Uint32Array | undefined)[];

  constructor(shape: MemoryShape, buffers?: readonly SharedArrayBuffer[]) {
    this.shape = shape;
    this.chunks = new Array<Uint32Array | undefined>(Math.ceil(shape.words / CHUNK_WORDS)).fill(undefined);
    buffers?.forEach((b, i) => (this.chunks[i] = new Uint32Array(b)));
  }

  /** Allocates every chunk now, and returns the buffers to hand to another worker. */
  share(): SharedArrayBuffer[] {
    return this.chunks.map((_, i) => this.chunk(i * CHUNK_WORDS).buffer as SharedArrayBuffer);
  }

  load(word: number, _order: Ordering): bigint {
    const c = this.chunks[word >>> CHUNK_SHIFT];
    return c === undefined ? this.shape.initialWord(word) : BigInt(Atomics.load(c, word & CHUNK_MASK));
  }

  store(word: number, value: bigint, _order: Ordering): void {
    Atomics.store(this.chunk(word), word & CHUNK_MASK, Number(BigInt.asUintN(32, value)));
  }

  compareExchange(word: number, expected: bigint, desired: bigint, _order: Ordering): bigint {
    const old = Atomics.compareExchange(
      this.chunk(word),
      word & CHUNK_MASK,
      Number(expected),
      Number(BigInt.asUintN(32, desired)),
    );
    return BigInt(old >>> 0);
  }

  compareExchangeWeak(word: number, expected: bigint, desired: bigint, order: Ordering): bigint {
    return this.compareExchange(word, expected, desired, order);
  }

  fetchAdd(word: number, delta: bigint, _order: Ordering): bigint {
    return BigInt(Atomics.add(this.chunk(word), word & CHUNK_MASK, Number(delta)) >>> 0);
  }

  fetchSub(word: number, delta: bigint, _order: Ordering): bigint {
    return BigInt(Atomics.sub(this.chunk(word), word & CHUNK_MASK, Number(delta)) >>> 0);
  }

  fence(_order: Ordering): void {
    // Sequentially consistent, as above.
  }

  readPlain(word: number): bigint {
    const c = this.chunks[word >>> CHUNK_SHIFT];
    return c === undefined ? this.shape.initialWord(word) : BigInt(c[word & CHUNK_MASK]!);
  }

  writePlain(word: number, value: bigint): void {
    this.chunk(word)[word & CHUNK_MASK] = Number(BigInt.asUintN(32, value));
  }

  private chunk(word: number): Uint32Array {
    const index = word >>> CHUNK_SHIFT;
    return this.chunks[index] ?? (this.chunks[index] = newChunk(this.shape, index, (b) => new Uint32Array(b)));
  }
}
