import { describe, expect, it } from 'vitest';
import { createBuddyBuffer, NIL, viewsOf, W } from './buddyLayout.ts';
import { PAGE_SIZE } from './vocab.ts';

describe('buddy shared layout', () => {
  it('stores the parameters in the header and starts with empty lists', () => {
    const base = 2 ** 44;
    const v = viewsOf(createBuddyBuffer(base, 100, 5));
    expect([v.basePaddr, v.baseFrame, v.nframes, v.maxOrder]).toEqual([base, base / PAGE_SIZE, 100, 5]);
    expect(Array.from(v.words.subarray(W.heads, W.heads + 6))).toEqual(Array(6).fill(NIL));
    expect([v.words[W.lock], v.words[W.added], v.words[W.free]]).toEqual([0, 0, 0]);
    expect(v.state.every((s) => s === 0)).toBe(true);
  });
  it('uses 9 bytes per frame and keeps the per-frame arrays disjoint', () => {
    const buffer = createBuddyBuffer(0, 1000, 20);
    expect(buffer.byteLength).toBe(256 + 9 * 1000);
    const v = viewsOf(buffer);
    v.next.fill(1);
    v.prev.fill(2);
    v.state.fill(3);
    expect([v.next.every((x) => x === 1), v.prev.every((x) => x === 2), v.words[W.nframes]]).toEqual([
      true,
      true,
      1000,
    ]);
  });
  it('sees the same memory through a second set of views', () => {
    const buffer = createBuddyBuffer(0, 8, 3);
    viewsOf(buffer).state[5] = 0x80;
    expect(viewsOf(buffer).state[5]).toBe(0x80);
  });
});
