/**
 * A `Memory` wrapper that remembers which blocks of slots were ever written, so that a boot audit
 * knows in O(1) that a whole block still holds the state `alloc_meta_frames` gave every slot
 * (count `REF_COUNT_UNUSED`, no metadata) without reading it, and reads slot by slot only where
 * something was written.
 */
import type { Memory, Ordering } from '../../impl/meta/memory.ts';

/** Slots per tracked block: 4096 slots describe 16 MiB of physical memory. */
export const SLOTS_PER_BLOCK = 4096;

/** Records every write to the wrapped memory by block; reads pass through unrecorded. */
export class WriteTracker implements Memory {
  readonly #base: Memory;
  readonly #shift: number;
  readonly #written: Uint8Array;

  /** Wraps `base`, whose slots are `wordsPerSlot` words each (a power of two) and `nslots` in number. */
  constructor(base: Memory, wordsPerSlot: number, nslots: number) {
    this.#base = base;
    this.#shift = Math.log2(SLOTS_PER_BLOCK * wordsPerSlot);
    this.#written = new Uint8Array(Math.ceil(nslots / SLOTS_PER_BLOCK));
  }

  /** Whether no slot of block `block` (slots `block·SLOTS_PER_BLOCK …`) was ever written. */
  blockUntouched(block: number): boolean {
    return this.#written[block] !== 1;
  }

  /** The number of blocks written so far. */
  get blocksTouched(): number {
    return this.#written.reduce((n, b) => n + b, 0);
  }

  load(word: number, order: Ordering): bigint {
    return this.#base.load(word, order);
  }

  store(word: number, value: bigint, order: Ordering): void {
    this.#written[word >>> this.#shift] = 1;
    this.#base.store(word, value, order);
  }

  compareExchange(word: number, expected: bigint, desired: bigint, order: Ordering): bigint {
    this.#written[word >>> this.#shift] = 1;
    return this.#base.compareExchange(word, expected, desired, order);
  }

  compareExchangeWeak(word: number, expected: bigint, desired: bigint, order: Ordering): bigint {
    this.#written[word >>> this.#shift] = 1;
    return this.#base.compareExchangeWeak(word, expected, desired, order);
  }

  fetchAdd(word: number, delta: bigint, order: Ordering): bigint {
    this.#written[word >>> this.#shift] = 1;
    return this.#base.fetchAdd(word, delta, order);
  }

  fetchSub(word: number, delta: bigint, order: Ordering): bigint {
    this.#written[word >>> this.#shift] = 1;
    return this.#base.fetchSub(word, delta, order);
  }

  fence(order: Ordering): void {
    this.#base.fence(order);
  }

  readPlain(word: number): bigint {
    return this.#base.readPlain(word);
  }

  writePlain(word: number, value: bigint): void {
    this.#written[word >>> this.#shift] = 1;
    this.#base.writePlain(word, value);
  }
}
