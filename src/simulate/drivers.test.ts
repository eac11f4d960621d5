import { describe, expect, it } from 'vitest';
import { buildInstance } from '../check/instance.ts';
import { GeneratingDriver } from './drivers.ts';
import { Rng } from './Rng.ts';
import { bumpHandle, simThread, type SimState } from './SimState.ts';

/** A state whose only thread holds shared handles on `held` (of 3 frames), idle. */
function holding(held: readonly number[]): SimState {
  const th = simThread(3);
  for (const f of held) bumpHandle(th, 'shared', f, 1);
  return { words: [], threads: [th], halted: false, streak: { t: -1, accesses: 0 } };
}

describe('the generating driver', () => {
  const inst = buildInstance({ frames: 3, threads: 1, depth: 50, ops: 'segment_split,drop' }, () => false);

  it('starts a split only where the thread holds both frames of its span', () => {
    for (const held of [[0], [2], [0, 2], [1, 2], [0, 1, 2]]) {
      const driver = new GeneratingDriver(inst, new Rng(7));
      for (let k = 0; k < 200; k++) {
        const s = holding(held);
        const l = driver.label(s, 0);
        if (l.op === 'segment_split') expect(held).toEqual(expect.arrayContaining([l.frame, l.frame + 1]));
        else expect(l.op).toBe('drop');
      }
    }
  });

  it('does split when it can: frames 1 and 2 held, the split starts on frame 1', () => {
    const driver = new GeneratingDriver(inst, new Rng(7));
    const frames = new Set<number>();
    for (let k = 0; k < 200; k++) {
      const l = driver.label(holding([1, 2]), 0);
      if (l.op === 'segment_split') frames.add(l.frame);
    }
    expect([...frames]).toEqual([1]);
  });
});
