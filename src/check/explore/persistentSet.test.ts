/**
 * Where the cycle proviso can be left out: an instance whose every operation counts towards the depth
 * or gives a handle up has an acyclic state graph. Shown on the graph itself: a search without
 * reductions that records every edge finds a cycle exactly where `acyclic` says one may exist.
 */
import { describe, expect, it } from 'vitest';
import { buildInstance, type InstanceFlags } from '../instance.ts';
import { World } from '../world.ts';
import { Symmetry } from '../canon.ts';
import { initialState } from '../model.ts';
import { Components } from './components.ts';
import { acyclic } from './persistentSet.ts';

/** Whether the reachable state graph of `f` (no reductions) has a cycle (depth-first, three colours). */
function hasCycle(f: InstanceFlags): boolean {
  const inst = buildInstance({ refCountMax: 2, ...f, symmetry: false, por: false }, () => false);
  const world = new World(inst, undefined);
  const store = new Components(world, new Symmetry(inst, world.per, false));
  const key = (words: number, threads: ArrayLike<number>) => `${words}:${Array.from(threads).join(',')}`;
  const colour = new Map<string, 1 | 2>();
  const visit = (words: number, threads: readonly number[], halted: boolean): boolean => {
    const k = key(words, threads);
    if (colour.get(k) === 1) return true;
    if (colour.get(k) === 2 || halted) return false;
    colour.set(k, 1);
    for (let t = 0; t < threads.length; t++) {
      const ls = store.labels(threads[t]!);
      for (let slot = 0; slot < ls.length; slot++) {
        const m = store.move(threads[t]!, words, slot);
        if (m.crashed) continue;
        const kid = threads.slice();
        kid[t] = m.thread;
        if (visit(m.words, kid, m.halted)) return true;
      }
    }
    colour.set(k, 2);
    return false;
  };
  const p = store.pack(initialState(world));
  return visit(p.words, Array.from(p.threads), p.halted);
}

const CASES: readonly InstanceFlags[] = [
  { frames: 2, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop' },
  {
    frames: 1,
    threads: 2,
    depth: 2,
    ops: 'from_unused,from_unused_unique,from_in_use,clone,drop,into_shared,try_into_unique,drop_unique',
  },
  { frames: 2, threads: 1, depth: 2, ops: 'from_unused,segment_split,segment_drop,drop' },
  { frames: 2, threads: 2, program: '0:from_unused@0,segment_split@0,drop@0;1:from_in_use@1,drop@1' },
];

describe('the cycle proviso', () => {
  it.each(CASES.map((f) => [JSON.stringify(f), f] as const))('is needed exactly where a cycle may be: %s', (_n, f) => {
    const inst = buildInstance({ refCountMax: 2, ...f }, () => false);
    const cyclic = hasCycle(f);
    if (acyclic(inst)) expect(cyclic).toBe(false);
    // The cases are chosen so that the converse holds too: segment_split in an any-op program closes one.
    else expect(cyclic).toBe(true);
  });
});
