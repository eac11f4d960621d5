import { describe, expect, it } from 'vitest';
import { BuddyAllocator } from './BuddyAllocator.ts';
import { PAGE_SIZE } from './vocab.ts';

const P = PAGE_SIZE;
const page = { size: P, align: P };

/** An allocator over `nframes` frames from `base`, all added. */
function full(nframes: number, base = 0, maxOrder?: number): BuddyAllocator {
  const a = BuddyAllocator.create({ basePaddr: base, nframes, ...(maxOrder !== undefined && { maxOrder }) });
  expect(a.addFreeMemory(base, nframes * P)).toEqual({ ok: true });
  return a;
}

describe('BuddyAllocator', () => {
  it('starts empty: nothing to allocate until memory is added', () => {
    const a = BuddyAllocator.create({ basePaddr: 0, nframes: 16 });
    expect(a.usage()).toEqual({ total: 0, used: 0, free: 0 });
    expect(a.alloc(page)).toBeUndefined();
    expect(a.freeBlocks()).toEqual([]);
  });
  it('splits one block on alloc and merges back to one block on free', () => {
    const a = full(16);
    expect(a.freeBlocks()).toEqual([{ addr: 0, order: 4 }]);
    const x = a.alloc(page);
    expect(x).toBe(0);
    expect(a.freeBlocks()).toEqual([
      { addr: P, order: 0 },
      { addr: 2 * P, order: 1 },
      { addr: 4 * P, order: 2 },
      { addr: 8 * P, order: 3 },
    ]);
    expect(a.usage()).toEqual({ total: 16, used: 1, free: 15 });
    expect(a.dealloc(0, P)).toEqual({ ok: true });
    expect(a.freeBlocks()).toEqual([{ addr: 0, order: 4 }]);
    expect(a.audit()).toEqual([]);
  });
  it('rounds the frame count up to a power of two and aligns blocks to their size', () => {
    const a = full(16);
    expect(a.alloc(page)).toBe(0);
    expect(a.alloc({ size: 3 * P, align: P })).toBe(4 * P);
    expect(a.usage().used).toBe(5);
    expect(a.alloc({ size: P, align: 8 * P })).toBe(8 * P);
    expect(a.alloc({ size: 2 * P, align: P })).toBe(10 * P);
    expect(a.alloc({ size: 2 * P, align: P })).toBe(2 * P);
    expect(a.audit()).toEqual([]);
  });
  it('returns undefined when no block is large enough, or for malformed layouts', () => {
    const a = full(16);
    expect(a.alloc({ size: 17 * P, align: P })).toBeUndefined();
    expect(a.alloc({ size: 0, align: P })).toBeUndefined();
    expect(a.alloc({ size: P, align: 3 })).toBeUndefined();
    expect(a.alloc({ size: 16 * P, align: P })).toBe(0);
    expect(a.alloc(page)).toBeUndefined();
    expect(full(16, 0, 2).alloc({ size: 8 * P, align: P })).toBeUndefined();
  });
  it('accepts frames of one allocation back piecewise, in any order', () => {
    const a = full(8);
    expect(a.alloc({ size: 8 * P, align: P })).toBe(0);
    for (const f of [5, 0, 7, 2, 1, 6, 3, 4]) expect(a.dealloc(f * P, P)).toEqual({ ok: true });
    expect(a.freeBlocks()).toEqual([{ addr: 0, order: 3 }]);
    expect(a.alloc({ size: 4 * P, align: P })).toBe(0);
    expect(a.dealloc(P, 2 * P)).toEqual({ ok: true });
    expect(a.dealloc(0, P)).toEqual({ ok: true });
    expect(a.dealloc(3 * P, P)).toEqual({ ok: true });
    expect(a.freeBlocks()).toEqual([{ addr: 0, order: 3 }]);
  });
  it('detects a double free and changes nothing', () => {
    const a = full(8);
    const x = a.alloc({ size: 2 * P, align: P }) ?? -1;
    expect(a.dealloc(x, 2 * P)).toEqual({ ok: true });
    const before = a.freeBlocks();
    expect(a.dealloc(x, 2 * P)).toEqual({ ok: false, error: 'DoubleFree' });
    expect(a.dealloc(x + P, P)).toEqual({ ok: false, error: 'DoubleFree' });
    expect(a.freeBlocks()).toEqual(before);
    expect(a.usage()).toEqual({ total: 8, used: 0, free: 8 });
  });
  it('refuses a free that is partly free and partly allocated', () => {
    const a = full(8);
    expect(a.alloc(page)).toBe(0);
    expect(a.dealloc(0, 2 * P)).toEqual({ ok: false, error: 'DoubleFree' });
    expect(a.usage().used).toBe(1);
  });
  it('refuses a non-power-of-two free, misaligned ranges and foreign memory', () => {
    const a = full(8, 16 * P);
    expect(a.alloc({ size: 4 * P, align: P })).toBe(16 * P);
    expect(a.dealloc(16 * P, 3 * P)).toEqual({ ok: false, error: 'NotPowerOfTwo' });
    expect(a.dealloc(16 * P, 0)).toEqual({ ok: false, error: 'NotPowerOfTwo' });
    expect(a.dealloc(16 * P + 1, P)).toEqual({ ok: false, error: 'Misaligned' });
    expect(a.dealloc(16 * P, P + 8)).toEqual({ ok: false, error: 'Misaligned' });
    expect(a.dealloc(8 * P, P)).toEqual({ ok: false, error: 'OutOfRange' });
    expect(a.dealloc(24 * P, P)).toEqual({ ok: false, error: 'OutOfRange' });
    expect(a.dealloc(Number.MAX_SAFE_INTEGER - 4095, P)).toEqual({ ok: false, error: 'OutOfRange' });
    expect(a.audit()).toEqual([]);
  });
  it('refuses to free memory that was never added', () => {
    const a = BuddyAllocator.create({ basePaddr: 0, nframes: 8 });
    expect(a.addFreeMemory(0, 4 * P)).toEqual({ ok: true });
    expect(a.dealloc(4 * P, P)).toEqual({ ok: false, error: 'OutOfRange' });
  });
  it('refuses overlapping addFreeMemory, whether the overlap is free or allocated', () => {
    const a = BuddyAllocator.create({ basePaddr: 0, nframes: 16 });
    expect(a.addFreeMemory(0, 8 * P)).toEqual({ ok: true });
    expect(a.addFreeMemory(4 * P, 8 * P)).toEqual({ ok: false, error: 'OverlapsFree' });
    expect(a.alloc({ size: 8 * P, align: P })).toBe(0);
    expect(a.addFreeMemory(6 * P, 4 * P)).toEqual({ ok: false, error: 'AlreadyAdded' });
    expect(a.addFreeMemory(8 * P, 9 * P)).toEqual({ ok: false, error: 'OutOfRange' });
    expect(a.addFreeMemory(8 * P + 2, P)).toEqual({ ok: false, error: 'Misaligned' });
    expect(a.addFreeMemory(8 * P, 0)).toEqual({ ok: true });
    expect(a.usage()).toEqual({ total: 8, used: 8, free: 0 });
  });
  it('decomposes an arbitrary range into maximal aligned blocks and merges adjacent additions', () => {
    const a = BuddyAllocator.create({ basePaddr: 0, nframes: 32 });
    expect(a.addFreeMemory(3 * P, 10 * P)).toEqual({ ok: true });
    expect(a.freeBlocks()).toEqual([
      { addr: 3 * P, order: 0 },
      { addr: 4 * P, order: 2 },
      { addr: 8 * P, order: 2 },
      { addr: 12 * P, order: 0 },
    ]);
    expect(a.addFreeMemory(13 * P, 3 * P)).toEqual({ ok: true });
    expect(a.addFreeMemory(0, 3 * P)).toEqual({ ok: true });
    expect(a.freeBlocks()).toEqual([{ addr: 0, order: 4 }]);
    expect(a.audit()).toEqual([]);
  });
  it('aligns blocks on absolute addresses when the base is not aligned', () => {
    const a = full(8, 3 * P);
    expect(a.freeBlocks()).toEqual([
      { addr: 3 * P, order: 0 },
      { addr: 4 * P, order: 2 },
      { addr: 8 * P, order: 1 },
      { addr: 10 * P, order: 0 },
    ]);
    expect(a.alloc({ size: 4 * P, align: P })).toBe(4 * P);
    expect(a.alloc({ size: 2 * P, align: P })).toBe(8 * P);
    expect(a.alloc({ size: 2 * P, align: P })).toBeUndefined();
  });
  it('caps blocks at maxOrder', () => {
    const a = full(16, 0, 2);
    expect(a.freeBlocks().map((b) => b.order)).toEqual([2, 2, 2, 2]);
    expect(a.audit()).toEqual([]);
  });
  it('attaches a second handle to the same shared state', () => {
    const a = full(16, 64 * P);
    const b = BuddyAllocator.attach(a.sharedState);
    expect([b.basePaddr, b.nframes, b.maxOrder]).toEqual([64 * P, 16, 20]);
    const x = b.alloc(page) ?? -1;
    expect(a.usage().used).toBe(1);
    expect(a.dealloc(x, P)).toEqual({ ok: true });
    expect(b.usage().used).toBe(0);
  });
  it('refuses bad construction parameters', () => {
    expect(() => BuddyAllocator.create({ basePaddr: 5, nframes: 1 })).toThrow(RangeError);
    expect(() => BuddyAllocator.create({ basePaddr: 0, nframes: -1 })).toThrow(RangeError);
    expect(() => BuddyAllocator.create({ basePaddr: 0, nframes: 2 ** 31 })).toThrow(RangeError);
    expect(() => BuddyAllocator.create({ basePaddr: 0, nframes: 1, maxOrder: 31 })).toThrow(RangeError);
  });
  it('manages a million frames quickly', () => {
    const n = 1 << 20;
    const base = 2 ** 40;
    const a = BuddyAllocator.create({ basePaddr: base, nframes: n + 5 });
    expect(a.addFreeMemory(base, (n + 5) * P)).toEqual({ ok: true });
    expect(a.freeBlocks()).toEqual([
      { addr: base, order: 20 },
      { addr: base + n * P, order: 2 },
      { addr: base + (n + 4) * P, order: 0 },
    ]);
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) got.push(a.alloc({ size: 64 * P, align: P }) ?? -1);
    expect(new Set(got).size).toBe(1000);
    expect(a.usage()).toEqual({ total: n + 5, used: 64_000, free: n + 5 - 64_000 });
    for (const x of got) expect(a.dealloc(x, 64 * P).ok).toBe(true);
    expect(a.freeBlocks()[0]).toEqual({ addr: base, order: 20 });
    expect(a.audit()).toEqual([]);
  });
  it('takes 24 GiB (6.3M frames) in one addFreeMemory', () => {
    const n = (24 * 2 ** 30) / P;
    const a = BuddyAllocator.create({ basePaddr: 0x10_0000, nframes: n });
    expect(a.addFreeMemory(0x10_0000, n * P)).toEqual({ ok: true });
    expect(a.usage()).toEqual({ total: n, used: 0, free: n });
    const x = a.alloc({ size: 2 ** 20 * P, align: P }) ?? -1;
    expect(x % (2 ** 20 * P)).toBe(0);
    expect(a.dealloc(x, 2 ** 20 * P)).toEqual({ ok: true });
    expect(a.usage().free).toBe(n);
  });
});
