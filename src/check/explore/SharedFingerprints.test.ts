import { describe, expect, it } from 'vitest';
import { SharedFingerprints } from './SharedFingerprints.ts';
import { decodeState, encodeState } from './stateCodec.ts';
import { buildInstance } from '../instance.ts';
import { runLabels } from './search.ts';
import { enabled, type Label } from '../model.ts';

describe('SharedFingerprints', () => {
  it('stores each fingerprint once, with its level, seen the same through a second view', () => {
    const t = new SharedFingerprints(100);
    expect(t.insert(1, 2, 0)).toBe('new');
    expect(t.insert(1, 3, 1)).toBe('new');
    expect(t.insert(0, 0, 2)).toBe('new');
    const view = new SharedFingerprints(t.buffer);
    expect(view.insert(1, 2, 5)).toBe('seen');
    expect([view.levelOf(1, 2), view.levelOf(1, 3), view.levelOf(0, 0), view.levelOf(9, 9)]).toEqual([0, 1, 2, -1]);
    expect(view.size).toBe(3);
    expect(Array.from(t.sorted())).toEqual([1, 1, 1, 2, 1, 3]);
  });

  it('refuses past three quarters of its slots', () => {
    const t = new SharedFingerprints(10);
    let n = 0;
    while (t.insert(n + 1, 7, 0) === 'new') n++;
    expect(n).toBe((t.capacity * 3) / 4);
    expect(t.insert(n + 1, 7, 0)).toBe('full');
  });
});

describe('SharedFingerprints with a state limit', () => {
  it('is full at the limit, in every view and in a grown table, which grows no further past it', () => {
    const t = new SharedFingerprints(1, 5);
    for (let k = 1; k <= 5; k++) expect(t.insert(k, 1, 0)).toBe('new');
    expect(new SharedFingerprints(t.buffer).insert(9, 9, 0)).toBe('full');
    expect(t.canGrow(2 ** 20)).toBe(false);
    const u = new SharedFingerprints(1, 500);
    expect(u.canGrow(2 ** 20)).toBe(true);
    const g = u.grown(2 ** 20)!;
    let n = 0;
    while (g.insert(n + 1, 3, 0) === 'new') n++;
    expect([n, g.canGrow(2 ** 20)]).toEqual([500, false]);
  });
});

describe('SharedFingerprints.grown', () => {
  it('holds every fingerprint at its level in four times the slots, up to the largest size', () => {
    const t = new SharedFingerprints(1);
    let n = 0;
    while (t.insert(n + 1, 7, n % 5) === 'new') n++;
    const g = t.grown(4 * t.capacity)!;
    expect([g.capacity, g.size]).toEqual([4 * t.capacity, n]);
    for (let k = 0; k < n; k++) expect(g.levelOf(k + 1, 7)).toBe(k % 5);
    expect(g.insert(n + 1, 7, 0)).toBe('new');
    expect(g.grown(g.capacity)).toBeUndefined();
  });
});

describe('SharedFingerprints.copyPart', () => {
  it.each([2, 3])('copies the table in %i parts, each into the same larger table, as grown does in one', (parts) => {
    const t = new SharedFingerprints(300);
    for (let k = 0; k < 300; k++) t.insert(k * 7919 + 1, k % 11, k % 4);
    const whole = t.grown(4 * t.capacity)!;
    const split = t.larger(4 * t.capacity)!;
    // every part but the first, then the first: the order the threads finish in does not matter
    for (let part = parts - 1; part >= 0; part--) expect(t.copyPart(split, part, parts)).toBe(true);
    expect([split.capacity, split.size]).toEqual([whole.capacity, whole.size]);
    expect(Array.from(split.sorted())).toEqual(Array.from(whole.sorted()));
    for (let k = 0; k < 300; k++) expect(split.levelOf(k * 7919 + 1, k % 11)).toBe(k % 4);
  });
});

describe('stateCodec', () => {
  it('round-trips every state of a run, logs and handles included', () => {
    const inst = buildInstance({ frames: 2, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop' }, () => true);
    const path: Label[] = [];
    for (let k = 0; k < 14; k++) {
      const x = runLabels(inst, path, false).states.at(-1)!;
      const ls = enabled(inst, x);
      if (ls.length === 0) break;
      path.push(ls[k % ls.length]!);
    }
    const states = runLabels(inst, path, false).states;
    expect(states.length).toBeGreaterThan(8);
    expect(states.some((s) => s.threads.some((th) => th.log.length > 0))).toBe(true);
    for (const s of states) expect(decodeState(encodeState(s))).toEqual(s);
  });
});
