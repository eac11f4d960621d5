import { describe, expect, it } from 'vitest';
import { CURRENT_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory, Ordering } from '../../impl/meta/memory.ts';
import { SLOTS_PER_BLOCK, WriteTracker } from './bootWriteTracker.ts';

describe('WriteTracker', () => {
  const nslots = 3 * SLOTS_PER_BLOCK;
  const fresh = () => new WriteTracker(new AtomicsMemory(regionShape(CURRENT_LAYOUT, nslots)), 8, nslots);
  const wordOf = (slot: number) => slot * 8 + CURRENT_LAYOUT.refCount;

  it('marks the block of every kind of write, and no block on reads', () => {
    const writes: ((t: WriteTracker, w: number) => unknown)[] = [
      (t, w) => t.store(w, 1n, Ordering.Relaxed),
      (t, w) => t.compareExchange(w, 0n, 1n, Ordering.Relaxed),
      (t, w) => t.compareExchangeWeak(w, 0n, 1n, Ordering.Relaxed),
      (t, w) => t.fetchAdd(w, 1n, Ordering.Relaxed),
      (t, w) => t.fetchSub(w, 1n, Ordering.Relaxed),
      (t, w) => t.writePlain(w, 0n),
    ];
    for (const write of writes) {
      const t = fresh();
      t.load(wordOf(0), Ordering.Relaxed);
      t.readPlain(wordOf(SLOTS_PER_BLOCK));
      expect([0, 1, 2].map((b) => t.blockUntouched(b))).toEqual([true, true, true]);
      write(t, wordOf(SLOTS_PER_BLOCK + 5));
      expect([0, 1, 2].map((b) => t.blockUntouched(b))).toEqual([true, false, true]);
      expect(t.blocksTouched).toBe(1);
    }
  });
  it('passes values through to the wrapped memory', () => {
    const t = fresh();
    expect(t.load(wordOf(7), Ordering.Relaxed)).toBe(CURRENT_LAYOUT.refCountUnused);
    t.store(wordOf(7), 3n, Ordering.Release);
    expect(t.fetchAdd(wordOf(7), 1n, Ordering.Relaxed)).toBe(3n);
    expect(t.readPlain(wordOf(7))).toBe(4n);
  });
});
