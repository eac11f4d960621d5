/**
 * The parallel search visits the same states (when it explores them all) and reaches the same
 * verdict, with a counterexample of the same length, with any number of worker threads, and the verdict of the one-thread explorer; with partial-order reduction off (where the
 * two searches' reductions coincide) the same number of states as the one-thread explorer too. Over
 * a grid of instances, on every explorer mutant of the catalog and on the correct implementations.
 */
import { describe, expect, it } from 'vitest';
import { allMutants, mutantByName } from '../../mutants/catalog.ts';
import { buildInstance, type InstanceFlags } from '../instance.ts';
import { exploreParallel } from './parallel.ts';
import { parallelSubject } from '../../subjects/resolve.ts';
import { explore, runLabels } from './search.ts';
import { workerScript } from './workerScriptSync.ts';

const limits = { maxStates: 3_000_000, timeLimitMs: 300_000, maxMemoryBytes: 4 * 2 ** 30 };
const BASIC = 'from_unused,from_in_use,drop';
const UNIQUE = 'from_unused,from_unused_unique,from_in_use,clone,drop,into_shared,try_into_unique,drop_unique';
const ALLOC = 'alloc,from_in_use,clone,drop';

const GRID: readonly InstanceFlags[] = [
  { frames: 2, threads: 2, depth: 2, ops: BASIC },
  { frames: 1, threads: 3, depth: 2, ops: BASIC },
  { frames: 2, threads: 2, depth: 1, ops: UNIQUE },
  { frames: 2, threads: 2, depth: 2, ops: ALLOC },
];

const build = (f: InstanceFlags) => buildInstance({ refCountMax: 2, ...f }, (n) => mutantByName(n) !== undefined);

/**
 * Verdict, states and transitions of the parallel search with 1, 2 and 3 participants, and the
 * verdict of the one-thread explorer. The workers take their parts early (`handoff`: a level of 4
 * states, no states alone first) so that these small instances exercise them; a mutant runs in the
 * workers too, rebuilt there by name (its worker script).
 */
function compare(f: InstanceFlags, counts: readonly number[] = [2, 3]): void {
  const inst = build(f);
  const named = parallelSubject(inst);
  const subject = named.subject === undefined ? {} : { subject: named.subject };
  const one = exploreParallel(inst, { workers: 1, limits, ...named }).result;
  const seq = explore(inst, { limits, ...subject });
  const what = JSON.stringify(f);
  const runs = [one, seq];
  for (const workers of counts) {
    // A table of 256 slots at first, grown only when full: it fills in the middle of levels, the
    // threads pause, and each redoes its chunk in the larger table.
    const table = { tableStates: 1, growEarly: false };
    const opts = { workers, limits, probeStates: 0, handoff: 4, awaitWorkers: true, ...table, ...named };
    const par = exploreParallel(inst, opts);
    const many = par.result;
    runs.push(many);
    // Every worker took a part, unless the search ended (at a violation) before a level of 4 states.
    if (one.verdict === 'ok' || one.depth > 3) expect(par.participants, `${what} ${workers} workers`).toBe(workers);
    expect(many.verdict, `${what} ${workers} workers`).toBe(one.verdict);
    // Stopped at a violation, a search has visited what its threads reached by then: only a full
    // exploration's states are comparable.
    if (one.verdict === 'ok')
      expect([many.states, many.transitions, many.depth], `${what} ${workers} workers`).toEqual([
        one.states,
        one.transitions,
        one.depth,
      ]);
  }
  expect(one.verdict, what).toBe(seq.verdict);
  if (!inst.por && one.verdict === 'ok') expect(one.states, what).toBe(seq.states);
  for (const r of runs) {
    if (r.verdict !== 'violation') continue;
    // A shortest counterexample: as long as the one-thread BFS's, and it replays to a violation.
    expect(r.violation.labels.length, what).toBe(seq.verdict === 'violation' ? seq.violation.labels.length : -1);
    expect(runLabels(inst, r.violation.labels, true, subject.subject).finding, what).toBeDefined();
  }
}

const explorerMutants = allMutants().filter((m) => m.region !== undefined || m.layer !== undefined);

describe('parallel search', () => {
  it.each(['current', 'legacy'] as const)('on the correct implementation (%s)', (variant) => {
    for (const f of GRID) {
      if (variant === 'legacy' && f.ops === UNIQUE) continue;
      for (const por of [true, false]) compare({ ...f, variant, por });
    }
  });

  it('a violation of the implementation itself (F11): a shortest counterexample from the workers', () => {
    compare({ frames: 2, threads: 2, depth: 2, ops: 'alloc,from_unused,drop' });
    compare({ frames: 2, threads: 2, depth: 2, ops: 'alloc,from_unused,drop', por: false });
  });

  it('the split workers visit the same states as one thread, and as many as 2 workers', () => {
    const inst = build({ frames: 2, threads: 2, depth: 2, ops: UNIQUE });
    const one = exploreParallel(inst, { workers: 1, limits }).result;
    const par = exploreParallel(inst, { workers: 2, limits, probeStates: 0, handoff: 16, awaitWorkers: true });
    const two = par.result;
    expect(par.participants).toBe(2);
    expect([two.verdict, two.states, two.transitions]).toEqual([one.verdict, one.states, one.transitions]);
    // Each participant reports its wait at the barriers and the thread states its store met (the
    // worker's store is its own: it met some of them, the two together at least all of one thread's).
    const single = exploreParallel(inst, { workers: 1, limits });
    expect(single.parts).toHaveLength(1);
    expect(par.parts).toHaveLength(2);
    for (const p of par.parts) {
      expect(p.waitSeconds).toBeGreaterThanOrEqual(0);
      expect(p.threadStates).toBeGreaterThan(0);
    }
    const met = par.parts.reduce((a, p) => a + p.threadStates, 0);
    expect(met).toBeGreaterThanOrEqual(single.parts[0]!.threadStates);
  });

  it('the canonical instance with POR off: exactly the states of the one-thread explorer', () => {
    compare({ frames: 2, threads: 3, depth: 2, ops: BASIC, por: false });
  });

  it.each(explorerMutants.map((m) => m.name))('on mutant %s', (name) => {
    // 1, 2 and 3 participants on the first instance, 1 and 3 on the others (each worker costs a start).
    GRID.forEach((f, k) => compare({ ...f, mutant: name }, k === 0 ? [2, 3] : [3]));
  });
});

describe('a worker whose thread ends without a word', () => {
  it('is counted as failed: the search waiting for it to be ready ends with that error instead of waiting forever', () => {
    const inst = build({ frames: 2, threads: 2, depth: 2, ops: BASIC });
    const dies = () => workerScript(new URL('../../../test/workers/', import.meta.url), 'exitsAtStart');
    const opts = { workers: 2, limits, probeStates: 0, handoff: 4, awaitWorkers: true, workerScript: dies };
    expect(() => exploreParallel(inst, opts)).toThrow(/a worker of the parallel search failed: its thread ended/);
  });
});
