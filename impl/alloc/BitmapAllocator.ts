/**
 * A small lock-free frame allocator over one atomic word: bit `i` set means frame `i` is free.
 * Every access goes through the memory interface, so a checker can interleave allocations and
 * deallocations with the MetaSlot protocol. For at most 64 frames (a model-checking instance).
 */
import { Ordering, type Memory } from '../meta/memory.ts';
import { PAGE_SIZE } from '../meta/pageSize.ts';

export class BitmapAllocator {
  readonly mem: Memory;
  readonly word: number;
  readonly nframes: number;

  constructor(mem: Memory, word: number, nframes: number) {
    if (nframes > 64) throw new RangeError('BitmapAllocator manages at most 64 frames');
    this.mem = mem;
    this.word = word;
    this.nframes = nframes;
  }

  /** The initial word: every frame free. */
  static allFree(nframes: number): bigint {
    return (1n << BigInt(nframes)) - 1n;
  }

  /** `GlobalFrameAllocator::alloc` of one frame: the lowest free frame, or `undefined` when none is. */
  alloc(): number | undefined {
    for (;;) {
      const v = this.mem.load(this.word, Ordering.Relaxed);
      if (v === 0n) return undefined;
      const low = v & -v;
      if (this.mem.compareExchange(this.word, v, v & ~low, Ordering.AcqRel) === v) {
        return (low.toString(2).length - 1) * PAGE_SIZE;
      }
    }
  }

  /** `GlobalFrameAllocator::dealloc` of one frame; `false` when it was already free (a double free). */
  dealloc(paddr: number, _size: number): boolean {
    const bit = 1n << BigInt(paddr / PAGE_SIZE);
    for (;;) {
      const v = this.mem.load(this.word, Ordering.Relaxed);
      if ((v & bit) !== 0n) return false;
      if (this.mem.compareExchange(this.word, v, v | bit, Ordering.AcqRel) === v) return true;
    }
  }
}
