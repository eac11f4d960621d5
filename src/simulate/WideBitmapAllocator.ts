/**
 * The explorer's lock-free bitmap allocator, widened to one word per 64 frames for simulations of
 * large instances: `alloc` takes the lowest free frame of the first word that has one, with one load
 * and one CAS per attempt, so on 64 frames or fewer it makes exactly the accesses `BitmapAllocator` does.
 */
import type { Memory } from '../../impl/meta/memory.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { BITMAP_ALLOCATOR, type AllocatorFactory, type WorldAllocator } from '../check/world.ts';

const wordsFor = (frames: number) => Math.ceil(frames / 64);
const bitIndex = (low: bigint) => low.toString(2).length - 1;

export class WideBitmapAllocator implements WorldAllocator {
  readonly mem: Memory;
  readonly first: number;
  readonly nframes: number;

  constructor(mem: Memory, first: number, nframes: number) {
    this.mem = mem;
    this.first = first;
    this.nframes = nframes;
  }

  /** The lowest free frame's address, or `undefined` when every word is empty. */
  alloc(): number | undefined {
    for (let w = 0; w < wordsFor(this.nframes); w++) {
      for (
        let v = this.mem.load(this.first + w, Ordering.Relaxed);
        v !== 0n;
        v = this.mem.load(this.first + w, Ordering.Relaxed)
      ) {
        const low = v & -v;
        if (this.mem.compareExchange(this.first + w, v, v & ~low, Ordering.AcqRel) === v)
          return (w * 64 + bitIndex(low)) * PAGE_SIZE;
      }
    }
    return undefined;
  }

  /** Frees one frame; `false` when it was already free. */
  dealloc(paddr: number, _size: number): boolean {
    const f = paddr / PAGE_SIZE;
    const word = this.first + Math.floor(f / 64);
    const bit = 1n << BigInt(f % 64);
    for (;;) {
      const v = this.mem.load(word, Ordering.Relaxed);
      if ((v & bit) !== 0n) return false;
      if (this.mem.compareExchange(word, v, v | bit, Ordering.AcqRel) === v) return true;
    }
  }
}

/** Every frame of word `w` (of `frames` frames) free. */
function fullWord(frames: number, w: number): bigint {
  const n = Math.min(64, frames - w * 64);
  return (1n << BigInt(n)) - 1n;
}

/** The wide allocator as a world builds it. */
export const WIDE_BITMAP_ALLOCATOR: AllocatorFactory = {
  words: (frames, managed) => Array.from({ length: wordsFor(frames) }, (_, w) => (managed ? fullWord(frames, w) : 0n)),
  make: (mem, first, frames) => new WideBitmapAllocator(mem, first, frames),
  isFree: (words, first, f) => ((words[first + Math.floor(f / 64)]! >> BigInt(f % 64)) & 1n) === 1n,
};

/** The allocator a world of `frames` frames uses: the explorer's up to 64 frames, the wide one beyond. */
export function allocatorFor(frames: number): AllocatorFactory {
  return frames <= 64 ? BITMAP_ALLOCATOR : WIDE_BITMAP_ALLOCATOR;
}
