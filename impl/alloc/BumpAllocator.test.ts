import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BuddyAllocator } from './BuddyAllocator.ts';
import { BumpAllocator } from './BumpAllocator.ts';
import { PAGE_SIZE as P } from './vocab.ts';

describe('BumpAllocator', () => {
  it('allocates frames one by one upward across areas, skipping empty ones', () => {
    const b = new BumpAllocator([
      { base: 0, size: 2 * P },
      { base: 4 * P, size: 0 },
      { base: 8 * P, size: P },
    ]);
    expect([b.alloc(), b.alloc(), b.alloc(), b.alloc()]).toEqual([0, P, 8 * P, undefined]);
    expect(b.usage()).toEqual({ total: 3, used: 3, free: 0 });
  });
  it('starts at the offset and rounds it up to a page', () => {
    const b = new BumpAllocator([{ base: 0, size: 16 * P }], 5 * P + 1);
    expect(b.usage()).toEqual({ total: 16, used: 6, free: 10 });
    expect(b.alloc()).toBe(6 * P);
    expect(b.offset).toBe(7 * P);
  });
  it('places a multi-frame request in the first area with room, leaving the skipped tail used', () => {
    const b = new BumpAllocator([
      { base: 0, size: 3 * P },
      { base: 16 * P, size: 8 * P },
    ]);
    expect(b.alloc(2)).toBe(0);
    expect(b.alloc(2)).toBe(16 * P);
    expect(b.usage()).toEqual({ total: 11, used: 5, free: 6 });
    expect(b.leftover()).toEqual([{ start: 18 * P, end: 24 * P }]);
    expect(b.alloc(7)).toBeUndefined();
    expect(b.alloc(0)).toBeUndefined();
    expect(b.offset).toBe(18 * P);
  });
  it('shrinks, sorts and de-overlaps the areas', () => {
    const b = new BumpAllocator([
      { base: 10 * P, size: 4 * P },
      { base: 1, size: 3 * P },
      { base: 12 * P, size: 4 * P },
    ]);
    expect(b.areas).toEqual([
      { start: P, end: 3 * P },
      { start: 10 * P, end: 14 * P },
      { start: 14 * P, end: 16 * P },
    ]);
  });
  it('hands the rest to a buddy allocator and retires', () => {
    const bump = new BumpAllocator(
      [
        { base: 0, size: 8 * P },
        { base: 12 * P, size: 4 * P },
      ],
      2 * P,
    );
    expect(bump.alloc()).toBe(2 * P);
    const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 16 });
    expect(bump.intoBuddy(buddy)).toEqual([
      { start: 3 * P, end: 8 * P },
      { start: 12 * P, end: 16 * P },
    ]);
    expect(buddy.usage()).toEqual({ total: 9, used: 0, free: 9 });
    expect(bump.alloc()).toBeUndefined();
    expect(bump.intoBuddy(buddy)).toEqual([]);
    expect(buddy.audit()).toEqual([]);
  });
  it('never hands out a frame twice, and used + leftover is every frame', () => {
    const area = fc.record({ base: fc.nat(64).map((x) => x * P), size: fc.nat(16).map((x) => x * P) });
    fc.assert(
      fc.property(fc.array(area, { maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 3 })), (areas, counts) => {
        const b = new BumpAllocator(areas);
        const seen = new Set<number>();
        for (const c of counts) {
          const p = b.alloc(c);
          if (p === undefined) continue;
          for (let f = 0; f < c; f++) {
            expect(seen.has(p + f * P)).toBe(false);
            seen.add(p + f * P);
            expect(b.areas.some((a) => a.start <= p + f * P && p + f * P < a.end)).toBe(true);
          }
        }
        const u = b.usage();
        expect(u.used + u.free).toBe(u.total);
        expect(u.used).toBeGreaterThanOrEqual(seen.size);
      }),
    );
  });
});
