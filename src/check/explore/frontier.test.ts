/**
 * The frontier against a plain array used as a deque: entries come back as pushed, from either end,
 * across chunk boundaries, with chunks released behind the front; sleep sets are interned.
 */
import { describe, expect, it } from 'vitest';
import { Frontier, type FrontierEntry } from './frontier.ts';

type Ref = Omit<FrontierEntry, 'threads' | 'sleep'> & { threads: number[]; sleep: number[] };

const entry = (k: number): Ref => ({
  words: k * 3,
  halted: k % 5 === 0,
  streakT: (k % 4) - 1,
  streakA: k % 300,
  id: k,
  depth: k % 61,
  threads: [k, k ^ 7, 2 * k],
  sleep: k % 3 === 0 ? [] : [k % 3, 256 + (k % 2)],
});

const push = (f: Frontier, r: Ref) =>
  f.push(r.words, r.halted, r.streakT, r.streakA, r.id, r.depth, r.threads, r.sleep);

/** Whether `f.cur` is `r`. */
const same = (f: Frontier, r: Ref | undefined): boolean => {
  const c = f.cur;
  return (
    r !== undefined &&
    c.words === r.words &&
    c.halted === r.halted &&
    c.streakT === r.streakT &&
    c.streakA === r.streakA &&
    c.id === r.id &&
    c.depth === r.depth &&
    c.threads.join() === r.threads.join() &&
    c.sleep.join() === r.sleep.join()
  );
};

describe('Frontier', () => {
  it('returns entries as a deque does, across chunks, and releases the chunks behind the front', () => {
    const f = new Frontier(3);
    // The reference deque: `ref[head..]` (shift() on a large array would be quadratic).
    const ref: Ref[] = [];
    let head = 0;
    let next = 0;
    let wrong = 0;
    let peak = 0;
    // Rounds of pushes and takes from both ends (more than one chunk of 2^16 entries at a time).
    for (let round = 0; round < 8; round++) {
      for (let k = 0; k < 40_000 + round * 5_000; k++) {
        const r = entry(next++);
        push(f, r);
        ref.push(r);
      }
      peak = Math.max(peak, f.bytes);
      const takes = 30_000 + (round % 3) * 15_000;
      for (let k = 0; k < takes && ref.length > head; k++) {
        const newest = round % 4 === 3 && k % 2 === 1;
        const took = newest ? f.takeNewest() : f.takeOldest();
        if (!took || !same(f, newest ? ref.pop() : ref[head++])) wrong++;
      }
      expect(f.size).toBe(ref.length - head);
    }
    expect(wrong).toBe(0);
    while (ref.length > head) {
      if (!f.takeOldest() || !same(f, ref[head++])) wrong++;
    }
    expect(wrong).toBe(0);
    expect(f.takeOldest()).toBe(false);
    expect(f.takeNewest()).toBe(false);
    // Everything taken: at most one chunk is kept.
    expect(f.bytes).toBeLessThanOrEqual(2 ** 16 * (6 + 3) * 4);
    expect(peak).toBeGreaterThan(f.bytes);
  });

  it('numbers equal sleep sets alike, the empty one 0', () => {
    const f = new Frontier(1);
    expect(f.sleepId([])).toBe(0);
    const a = f.sleepId([1, 2]);
    expect(f.sleepId([1, 2])).toBe(a);
    expect(f.sleepId([2, 1])).not.toBe(a);
    expect(f.sleepSet(a)).toEqual([1, 2]);
    expect(f.sleepSet(0)).toEqual([]);
  });
});
