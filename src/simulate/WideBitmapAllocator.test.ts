import { describe, expect, it } from 'vitest';
import type { Memory } from '../../impl/meta/memory.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { WIDE_BITMAP_ALLOCATOR, WideBitmapAllocator } from './WideBitmapAllocator.ts';

/** Plain words behind the memory interface (no replay): every access happens at once. */
function plain(words: bigint[]): Memory {
  const cas = (w: number, e: bigint, d: bigint) => {
    const v = words[w]!;
    if (v === e) words[w] = d;
    return v;
  };
  return {
    load: (w) => words[w]!,
    store: (w, v) => void (words[w] = v),
    compareExchange: cas,
    compareExchangeWeak: cas,
    fetchAdd: (w, d) => ((words[w] = words[w]! + d), words[w]! - d),
    fetchSub: (w, d) => ((words[w] = words[w]! - d), words[w]! + d),
    fence: () => {},
    readPlain: (w) => words[w]!,
    writePlain: (w, v) => void (words[w] = v),
  };
}

describe('WideBitmapAllocator', () => {
  it('hands out the lowest free frame across words, and refuses a double free', () => {
    const words = WIDE_BITMAP_ALLOCATOR.words(130, true);
    expect(words).toHaveLength(3);
    const a = new WideBitmapAllocator(plain(words), 0, 130);
    const got = Array.from({ length: 130 }, () => a.alloc()! / PAGE_SIZE);
    expect(got).toEqual(Array.from({ length: 130 }, (_, i) => i));
    expect(a.alloc()).toBeUndefined();
    expect(a.dealloc(65 * PAGE_SIZE, PAGE_SIZE)).toBe(true);
    expect(WIDE_BITMAP_ALLOCATOR.isFree(words, 0, 65)).toBe(true);
    expect(a.dealloc(65 * PAGE_SIZE, PAGE_SIZE)).toBe(false);
    expect(a.alloc()).toBe(65 * PAGE_SIZE);
  });

  it('starts empty when the allocator does not manage the frames', () => {
    expect(WIDE_BITMAP_ALLOCATOR.words(100, false)).toEqual([0n, 0n]);
  });
});
