import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocBlock, buddyOf, forEachBlock, freeBlock, isAligned, summarize } from './buddyBlocks.ts';
import { ADDED, createBuddyBuffer, FREE, viewsOf, W } from './buddyLayout.ts';
import type { BuddyViews } from './buddyLayout.ts';
import { PAGE_SIZE } from './vocab.ts';

const views = (baseFrame: number, n: number, maxOrder = 20): BuddyViews =>
  viewsOf(createBuddyBuffer(baseFrame * PAGE_SIZE, n, maxOrder));

function blocks(v: BuddyViews, i: number, count: number): [number, number][] {
  const out: [number, number][] = [];
  forEachBlock(v, i, count, (j, k) => out.push([j, k]));
  return out;
}

describe('buddy block operations', () => {
  it('finds buddies by absolute frame number, beyond 32 bits', () => {
    const v = views(2 ** 40, 16);
    expect([buddyOf(v, 0, 0), buddyOf(v, 1, 0), buddyOf(v, 4, 2), buddyOf(v, 8, 3)]).toEqual([1, 0, 0, 0]);
    const odd = views(3, 16);
    expect([isAligned(odd, 1, 2), buddyOf(odd, 1, 2), buddyOf(odd, 0, 0)]).toEqual([true, -3, -1]);
  });
  it('decomposes a range into maximal aligned blocks, capped at maxOrder', () => {
    expect(blocks(views(0, 32), 3, 10)).toEqual([
      [3, 0],
      [4, 2],
      [8, 2],
      [12, 0],
    ]);
    expect(blocks(views(0, 32, 2), 0, 12)).toEqual([
      [0, 2],
      [4, 2],
      [8, 2],
    ]);
    expect(blocks(views(0, 8), 5, 0)).toEqual([]);
  });
  it('covers exactly the range with aligned blocks, for any base', () => {
    fc.assert(
      fc.property(fc.nat(64), fc.nat(64), fc.nat(64), fc.nat(6), (base, i, count, maxOrder) => {
        const v = views(base, 200, maxOrder);
        let at = i;
        for (const [j, k] of blocks(v, i, count)) {
          expect([j, isAligned(v, j, k), k <= maxOrder]).toEqual([at, true, true]);
          at += 2 ** k;
        }
        expect(at).toBe(i + count);
      }),
    );
  });
  it('splits on alloc and merges on free, keeping the free counter', () => {
    const v = views(0, 8);
    v.state.fill(ADDED);
    freeBlock(v, 0, 3);
    expect(v.words[W.free]).toBe(8);
    expect(allocBlock(v, 0, 0)).toBe(0);
    expect([v.words[W.free], summarize(v, 0, 1).any & FREE, summarize(v, 1, 8).all & FREE]).toEqual([7, 0, FREE]);
    freeBlock(v, 0, 0);
    expect([v.words[W.heads + 3], v.words[W.free]]).toEqual([0, 8]);
    expect(allocBlock(v, 0, 4)).toBeUndefined();
  });
});
