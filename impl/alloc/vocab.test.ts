import { describe, expect, it } from 'vitest';
import { alignDown, alignUp, ceilLog2, isPageAligned, isPowerOfTwo, PAGE_SIZE, rangeLen } from './vocab.ts';

describe('allocator vocabulary', () => {
  it('recognises powers of two beyond 32 bits', () => {
    expect([1, 2, 4096, 2 ** 40, 2 ** 52].every(isPowerOfTwo)).toBe(true);
    expect([0, 3, 6, -4, 0.5, 2 ** 40 + 1, Number.NaN].some(isPowerOfTwo)).toBe(false);
  });
  it('takes exact ceiling logarithms', () => {
    expect([1, 2, 3, 4, 5, 2 ** 50, 2 ** 50 + 2].map(ceilLog2)).toEqual([0, 1, 2, 2, 3, 50, 51]);
  });
  it('rounds to page boundaries and reports overflow', () => {
    expect(alignUp(1, PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(alignUp(PAGE_SIZE, PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(alignUp(0, PAGE_SIZE)).toBe(0);
    expect(alignUp(Number.MAX_SAFE_INTEGER, PAGE_SIZE)).toBeUndefined();
    expect(alignDown(PAGE_SIZE * 3 - 1, PAGE_SIZE)).toBe(PAGE_SIZE * 2);
  });
  it('checks page alignment and range length', () => {
    expect(isPageAligned(0x2000)).toBe(true);
    expect(isPageAligned(0x2001)).toBe(false);
    expect(isPageAligned(-PAGE_SIZE)).toBe(false);
    expect(rangeLen({ start: 5, end: 3 })).toBe(0);
    expect(rangeLen({ start: 3, end: 5 })).toBe(2);
  });
});
