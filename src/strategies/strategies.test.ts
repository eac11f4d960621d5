/**
 * The strategies behind one interface: random and PCT runs of the explorer's world find the catalog's
 * seeded bugs and pass the real implementation, reproducibly from the seed; every strategy's
 * counterexample comes out of `checkInstance` minimized the same way.
 */
import { describe, expect, it } from 'vitest';
import { checkInstance } from '../check/checkInstance.ts';
import { buildInstance, type Instance } from '../check/instance.ts';
import { mutantByName } from '../mutants/catalog.ts';
import { showLabels } from '../mutants/engines/checkEngine.ts';
import { subjectNamed } from '../subjects/resolve.ts';
import { bfs } from './bfs.ts';
import { dfs } from './dfs.ts';
import { pct } from './pct.ts';
import { random } from './random.ts';
import { replay } from './replay.ts';
import type { Strategy } from './Strategy.ts';
import type { SampleProgress, Sampling } from './walk.ts';

const OPS = 'from_unused,from_in_use,clone,drop';
const instance = (mutant?: string): Instance =>
  buildInstance(
    { frames: 1, threads: 2, depth: 2, ops: OPS, ...(mutant !== undefined && { mutant }) },
    (n) => mutantByName(n) !== undefined,
  );
const check = <S>(mutant: string | undefined, strategy: Strategy<S>) => {
  const subject = subjectNamed(mutant);
  return checkInstance(instance(mutant), { strategy, ...(subject !== undefined && { subject }) });
};

const MUTANTS = ['from_in_use_accepts_zero', 'claim_load_then_store', 'acquire_cas_expects_wrong_value'];

describe('sampling strategies', () => {
  // PCT of depth 3: claim_load_then_store needs both claims preempted (the other thread, run to its
  // end, drops the frame it claimed), so depth 2 misses it in 2,000 runs; depth 3 finds it.
  it.each(MUTANTS)('random and PCT kill %s, as breadth-first does', (name) => {
    const exhaustive = check(name, bfs());
    expect(exhaustive.verdict).toBe('violation');
    for (const strategy of [random({ runs: 300, seed: 1 }), pct({ runs: 300, seed: 1, depth: 3 })]) {
      const r = check(name, strategy);
      expect(r.verdict, `${strategy.name} on ${name}`).toBe('violation');
      if (r.verdict !== 'violation' || exhaustive.verdict !== 'violation') return;
      expect(r.counterexample.trace['#meta'].strategy).toBe(strategy.name);
      // The found run is replayed and minimized: its trace ends in the property it names.
      expect(r.counterexample.run.finding?.property).toBe(r.counterexample.finding.property);
      expect(r.counterexample.trace.states.length).toBe(r.counterexample.labels.length + 1);
      expect(r.stats.failedRun).toBeDefined();
    }
  });

  it('pass the real implementation: every run ends with no violation', () => {
    for (const strategy of [random({ runs: 200, seed: 7 }), pct({ runs: 200, seed: 7, depth: 3 })]) {
      const r = check(undefined, strategy);
      expect(r.verdict).toBe('ok');
      expect(r.stats.runs).toBe(200);
      expect(r.stats.steps).toBeGreaterThan(200);
    }
  });

  it('are reproducible from the seed, and the failing run alone from its own seed', () => {
    const name = 'claim_load_then_store';
    const a = check(name, random({ runs: 300, seed: 3 }));
    const b = check(name, random({ runs: 300, seed: 3 }));
    expect(a.verdict).toBe('violation');
    if (a.verdict !== 'violation' || b.verdict !== 'violation') return;
    expect(showLabels(b.counterexample.labels)).toBe(showLabels(a.counterexample.labels));
    expect([b.stats.steps, b.stats.failedRun]).toEqual([a.stats.steps, a.stats.failedRun]);
    const alone = check(name, random({ runs: 1, seed: a.stats.failedRun!.seed }));
    expect(alone.verdict).toBe('violation');
    if (alone.verdict !== 'violation') return;
    expect(alone.counterexample.finding.property).toBe(a.counterexample.finding.property);
    expect(alone.stats.steps).toBe(a.stats.steps - stepsBefore(name, a.stats.failedRun!.run));
  });

  it('stop at the time limit as incomplete', () => {
    const r = checkInstance(instance(), {
      strategy: random({ runs: 1_000_000, seed: 1 }),
      limits: { timeLimitMs: 50 },
    });
    expect(r).toMatchObject({ verdict: 'incomplete', interrupted: true, reason: '--time-limit reached' });
  });
});

describe('sampling strategies and their limits', () => {
  it('--max-states bounds the steps over all runs: incomplete at exactly that many steps', () => {
    for (const make of [random, (x: Sampling) => pct({ ...x, depth: 3 })]) {
      const all = check(undefined, make({ runs: 50, seed: 2 }));
      expect(all.verdict).toBe('ok');
      const bound = Math.floor(all.stats.steps / 2);
      const r = checkInstance(instance(), { strategy: make({ runs: 50, seed: 2 }), limits: { maxStates: bound } });
      expect(r).toMatchObject({ verdict: 'incomplete', interrupted: true, reason: `--max-states ${bound} reached` });
      expect(r.stats.steps).toBe(bound);
      expect(r.stats.runs).toBeLessThan(50);
      // A bound the runs stay within changes nothing.
      const within = checkInstance(instance(), {
        strategy: make({ runs: 50, seed: 2 }),
        limits: { maxStates: all.stats.steps },
      });
      expect([within.verdict, within.stats.steps]).toEqual(['ok', all.stats.steps]);
    }
  });

  it('report progress while they run: runs done, steps so far, never decreasing', () => {
    const seen: SampleProgress[] = [];
    const r = check(undefined, pct({ runs: 40, seed: 5, depth: 2, progressMs: 0, onProgress: (p) => seen.push(p) }));
    expect(r.verdict).toBe('ok');
    expect(seen.length).toBeGreaterThanOrEqual(40);
    expect(seen.every((p) => p.scheduler === 'pct(d=2)' && p.plannedRuns === 40)).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.runs).toBeGreaterThanOrEqual(seen[i - 1]!.runs);
      expect(seen[i]!.steps).toBeGreaterThanOrEqual(seen[i - 1]!.steps);
    }
    expect(seen.at(-1)!.steps).toBeLessThanOrEqual(r.stats.steps);
    expect(seen.at(-1)!.runs).toBe(39);
  });
});

/** The steps the first `runs` runs of seed 3 took (each run's length is its own seed's). */
function stepsBefore(name: string, runs: number): number {
  const r = check(name, random({ runs, seed: 3 }));
  expect(r.verdict).toBe('ok');
  return r.stats.steps;
}

describe('exhaustive and replay strategies', () => {
  it('BFS, DFS and a replay of the BFS trace find the same property', () => {
    const name = 'from_in_use_accepts_zero';
    const b = check(name, bfs());
    const d = check(name, dfs);
    expect(b.verdict).toBe('violation');
    expect(d.verdict).toBe('violation');
    if (b.verdict !== 'violation' || d.verdict !== 'violation') return;
    expect(d.counterexample.finding.property).toBe(b.counterexample.finding.property);
    expect(d.counterexample.trace['#meta'].strategy).toBe('dfs');
    // Replaying the minimized trace on its own instance finds it again, unminimized.
    const subject = subjectNamed(name)!;
    const again = checkInstance(b.counterexample.instance, {
      strategy: replay(b.counterexample.labels, false),
      subject,
    });
    expect(again.verdict).toBe('violation');
    if (again.verdict !== 'violation') return;
    expect(showLabels(again.counterexample.labels)).toBe(showLabels(b.counterexample.labels));
    expect(again.stats.steps).toBe(b.counterexample.labels.length);
  });

  it('a replay of a path that does not fit the instance is incomplete, naming the step', () => {
    const r = checkInstance(instance(), { strategy: replay([{ t: 5, op: 'drop', frame: 0 }], false) });
    expect(r).toMatchObject({ verdict: 'incomplete', reason: 'the path does not fit the instance at step 1' });
    // The run comes with the verdict, for a timeline of the path as far as it fitted.
    expect([r.stats.run.diverged, r.stats.run.labels.length, r.stats.run.states.length]).toEqual([1, 0, 1]);
  });
});
