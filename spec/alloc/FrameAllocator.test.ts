import { describe, expect, it } from 'vitest';
import { modelParams, PAGE_SIZE as P } from '../vocab.ts';
import {
  addFreeMemoryNext,
  addFreeMemoryPre,
  allocatedRange,
  allocNext,
  allocOk,
  allocTaken,
  buddyDeallocPowerOfTwo,
  deallocAligned,
  deallocAllocated,
  deallocNext,
  deallocPre,
  EMPTY_FREE_SET,
  firstFit,
  isPowerOfTwoFrames,
  rangesOverlap,
  type FreeSetModel,
} from './FrameAllocator.ts';

const p = modelParams();
/** 16 pages from 0x10000 added and free. */
const m0: FreeSetModel = addFreeMemoryNext(EMPTY_FREE_SET, 16 * P, 16 * P);
const page = { size: P, align: P };
const pre = (old: FreeSetModel, addr: number, size: number) => ({ old, args: { addr, size }, p });

describe('FrameAllocator predicates', () => {
  it('recognises power-of-two frame sizes', () => {
    expect([P, 2 * P, 64 * P, 2 ** 40 * P].every(isPowerOfTwoFrames)).toBe(true);
    expect([0, 3 * P, P + 1, -P, 6 * P].some(isPowerOfTwoFrames)).toBe(false);
  });
  it('re-exports range overlap', () => {
    expect(rangesOverlap({ start: 0, end: P }, { start: P - 1, end: 2 * P })).toBe(true);
    expect(rangesOverlap({ start: 0, end: P }, { start: P, end: 2 * P })).toBe(false);
  });
  it('names clauses after the Rust method, carries the prose, and says where it comes from', () => {
    expect(deallocPre.name).toBe('GlobalFrameAllocator::dealloc.requires.not_free');
    expect(addFreeMemoryPre.name).toBe('GlobalFrameAllocator::add_free_memory.requires.not_added');
    expect(allocOk.name).toBe('GlobalFrameAllocator::alloc.ensures.fresh');
    expect(deallocPre.verus).toMatch(/must never overlap/);
    expect([deallocPre, addFreeMemoryPre, allocOk].every((c) => c.origin === 'upstream')).toBe(true);
  });
  it('blames a double free and a free of memory never allocated', () => {
    const m1 = allocNext(m0, 16 * P, { size: 4 * P, align: P });
    expect(deallocPre.holds(pre(m1, 16 * P, 4 * P))).toBe(true);
    expect(deallocPre.holds(pre(m1, 18 * P, 4 * P))).toBe(false);
    expect(deallocPre.holds(pre(deallocNext(m1, 16 * P, 4 * P), 16 * P, P))).toBe(false);
    expect(deallocAllocated.holds(pre(m1, 8 * P, P))).toBe(false);
    expect(deallocAligned.holds(pre(m1, 16 * P + 1, P))).toBe(false);
    expect(deallocPre.explain?.(pre(m1, 18 * P, 4 * P))).toEqual({
      range: { start: 18 * P, end: 22 * P },
      free: [{ start: 20 * P, end: 32 * P }],
    });
  });
  it('refuses to add memory that overlaps memory added before, free or not', () => {
    const m1 = allocNext(m0, 16 * P, page);
    expect(addFreeMemoryPre.holds(pre(m1, 0, 16 * P))).toBe(true);
    expect(addFreeMemoryPre.holds(pre(m1, 0, 17 * P))).toBe(false);
    expect(addFreeMemoryPre.holds(pre(m1, 31 * P, 2 * P))).toBe(false);
  });
  it('accepts only fresh, aligned allocations', () => {
    const post = (result: number | undefined, layout = page) => {
      const final = result === undefined ? m0 : allocNext(m0, result, layout);
      return { old: m0, final, args: { layout }, result, p };
    };
    expect(allocOk.holds(post(16 * P))).toBe(true);
    expect(allocOk.holds(post(undefined))).toBe(true);
    expect(allocOk.holds(post(8 * P))).toBe(false);
    expect(allocOk.holds(post(31 * P, { size: 2 * P, align: P }))).toBe(false);
    expect(allocOk.holds(post(18 * P, { size: P, align: 4 * P }))).toBe(false);
    expect(allocOk.holds(post(20 * P, { size: P, align: 4 * P }))).toBe(true);
    expect(allocTaken.holds({ ...post(16 * P), final: m0 })).toBe(false);
  });
  it('asks a buddy allocator for power-of-two frees', () => {
    expect(buddyDeallocPowerOfTwo.holds(pre(m0, 0, 4 * P))).toBe(true);
    expect(buddyDeallocPowerOfTwo.holds(pre(m0, 0, 3 * P))).toBe(false);
  });
  it('finds the first fitting aligned address, rounding sizes to pages', () => {
    expect(firstFit(m0, { size: 1, align: 1 })).toBe(16 * P);
    expect(firstFit(m0, { size: 2 * P, align: 32 * P })).toBeUndefined();
    expect(firstFit(allocNext(m0, 16 * P, page), { size: 2 * P, align: 2 * P })).toBe(18 * P);
    expect(firstFit(m0, { size: 17 * P, align: P })).toBeUndefined();
    expect(allocatedRange(0, { size: P + 1, align: P })).toEqual({ start: 0, end: 2 * P });
  });
});
