import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EarlyFrameAllocator, PADDR_4G } from './EarlyFrameAllocator.ts';
import { PAGE_SIZE } from './vocab.ts';

const G = 2 ** 30;
const MB = 0x10_0000;
const page = { size: PAGE_SIZE, align: PAGE_SIZE };

describe('EarlyFrameAllocator', () => {
  it('picks the largest part below 4 GiB and the largest part above it', () => {
    const a = new EarlyFrameAllocator([
      { base: MB, end: 2 * MB },
      { base: 16 * MB, end: 64 * MB },
      { base: 3 * G, end: 6 * G },
      { base: 8 * G, end: 9 * G },
      { base: 12 * G, end: 13 * G },
    ]);
    expect(a.regions()).toEqual([
      { start: 3 * G, end: PADDR_4G },
      { start: 4 * G, end: 6 * G },
    ]);
  });
  it('keeps the first region on a tie, as upstream', () => {
    const a = new EarlyFrameAllocator([
      { base: MB, end: 2 * MB },
      { base: 4 * MB, end: 5 * MB },
    ]);
    expect(a.regions()[0]).toEqual({ start: MB, end: 2 * MB });
  });
  it('bump-allocates page-rounded sizes below 4 GiB first', () => {
    const a = new EarlyFrameAllocator([{ base: MB, end: MB + 4 * PAGE_SIZE }]);
    expect(a.alloc(page)).toBe(MB);
    expect(a.alloc({ size: 1, align: 1 })).toBe(MB + PAGE_SIZE);
    expect(a.alloc({ size: 2 * PAGE_SIZE, align: 8 })).toBe(MB + 2 * PAGE_SIZE);
    expect(a.alloc(page)).toBeUndefined();
    expect(a.allocatedRegions()).toEqual([
      { start: MB, end: MB + 4 * PAGE_SIZE },
      { start: 0, end: 0 },
    ]);
  });
  it('aligns the start and falls through to the region above 4 GiB', () => {
    const a = new EarlyFrameAllocator([
      { base: MB + PAGE_SIZE, end: 3 * MB },
      { base: 5 * G, end: 6 * G },
    ]);
    expect(a.alloc({ size: PAGE_SIZE, align: MB })).toBe(2 * MB);
    expect(a.alloc({ size: 2 * MB, align: PAGE_SIZE })).toBe(5 * G);
    expect(a.alloc(page)).toBe(2 * MB + PAGE_SIZE);
    expect(a.allocatedRegions()).toEqual([
      { start: MB + PAGE_SIZE, end: 2 * MB + 2 * PAGE_SIZE },
      { start: 5 * G, end: 5 * G + 2 * MB },
    ]);
  });
  it('has nothing to give without usable memory, and changes nothing on failure', () => {
    const none = new EarlyFrameAllocator([]);
    expect(none.alloc(page)).toBeUndefined();
    const a = new EarlyFrameAllocator([{ base: 0, end: 2 * PAGE_SIZE }]);
    expect(a.alloc({ size: 3 * PAGE_SIZE, align: PAGE_SIZE })).toBeUndefined();
    expect(a.allocatedRegions()[0]).toEqual({ start: 0, end: 0 });
  });
  it('shrinks unaligned regions to whole pages', () => {
    const a = new EarlyFrameAllocator([{ base: MB + 1, end: MB + 3 * PAGE_SIZE - 1 }]);
    expect(a.regions()[0]).toEqual({ start: MB + PAGE_SIZE, end: MB + 2 * PAGE_SIZE });
    expect(new EarlyFrameAllocator([{ base: MB + 1, end: MB + 2 }]).alloc(page)).toBeUndefined();
  });
  it('treats overflow near the top of the number range as "does not fit"', () => {
    const top = Number.MAX_SAFE_INTEGER - (Number.MAX_SAFE_INTEGER % PAGE_SIZE);
    const a = new EarlyFrameAllocator([{ base: top - 8 * PAGE_SIZE, end: Number.MAX_SAFE_INTEGER }]);
    expect(a.alloc({ size: Number.MAX_SAFE_INTEGER, align: PAGE_SIZE })).toBeUndefined();
    expect(a.alloc({ size: top, align: PAGE_SIZE })).toBeUndefined();
    expect(a.alloc({ size: PAGE_SIZE, align: 2 ** 52 })).toBeUndefined();
    expect(a.alloc({ size: 8 * PAGE_SIZE, align: PAGE_SIZE })).toBe(top - 8 * PAGE_SIZE);
    expect(a.alloc(page)).toBeUndefined();
  });
  it('refuses malformed layouts', () => {
    const a = new EarlyFrameAllocator([{ base: 0, end: MB }]);
    expect(a.alloc({ size: -1, align: PAGE_SIZE })).toBeUndefined();
    expect(a.alloc({ size: PAGE_SIZE, align: 3 * PAGE_SIZE })).toBeUndefined();
    expect(a.alloc({ size: 0, align: PAGE_SIZE })).toBe(0);
  });
  it('hands out disjoint, aligned ranges inside the chosen regions', () => {
    const layout = fc.record({ size: fc.nat(8 * PAGE_SIZE), align: fc.constantFrom(1, PAGE_SIZE, 4 * PAGE_SIZE) });
    fc.assert(
      fc.property(fc.array(layout, { maxLength: 30 }), (layouts) => {
        const a = new EarlyFrameAllocator([{ base: MB, end: MB + 32 * PAGE_SIZE }]);
        let last = MB;
        for (const l of layouts) {
          const p = a.alloc(l);
          if (p === undefined) continue;
          expect(p % Math.max(l.align, PAGE_SIZE)).toBe(0);
          expect(p).toBeGreaterThanOrEqual(last);
          last = p + Math.ceil(l.size / PAGE_SIZE) * PAGE_SIZE;
          expect(last).toBeLessThanOrEqual(MB + 32 * PAGE_SIZE);
          expect(a.allocatedRegions()[0].end).toBe(last);
        }
      }),
    );
  });
});
