/**
 * The parallel search's speedup, in one run on one machine: the canonical instance (3 threads,
 * 2 frames, depth 3, REF_COUNT_MAX 2) with `--workers 2` against `--workers 1` (the one-thread
 * explorer, what `check --workers 1` runs) and against the same level-synchronized search on one
 * thread (the speedup from threads alone). Runs are interleaved, so each pair sees the same load.
 */
import { availableParallelism, loadavg } from 'node:os';
import { exploreParallel } from '../src/check/explore/parallel.ts';
import { explore, type SearchResult } from '../src/check/explore/search.ts';
import { buildInstance } from '../src/check/instance.ts';

const CANON = { frames: 2, threads: 3, depth: 3, ops: 'from_unused,from_in_use,drop', refCountMax: 2 };
const limits = { maxStates: 20_000_000, timeLimitMs: 600_000, maxMemoryBytes: 8 * 2 ** 30 };

/** The `--workers 2` vs `--workers 1` rows. */
export async function workersBench(): Promise<string[]> {
  const inst = buildInstance(CANON, () => true);
  const one = explore(inst, { limits });
  const levelsOne = exploreParallel(inst, { workers: 1, limits }).result;
  const two = exploreParallel(inst, { workers: 2, limits }).result;
  const row = (name: string, r: SearchResult) =>
    `  ${name.padEnd(44)} ${String(r.states).padStart(8)} states ${r.seconds.toFixed(2).padStart(7)} s  ${r.verdict}`;
  const ratio = (a: SearchResult, b: SearchResult) => `${(a.seconds / b.seconds).toFixed(2)}×`;
  return [
    `## Canonical instance, --workers 2 vs --workers 1 (${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)})`,
    row('--workers 1 (one-thread explorer)', one),
    row('level-synchronized search, 1 thread', levelsOne),
    row('--workers 2 (level-synchronized, 2 threads)', two),
    `speedup, --workers 2 over --workers 1:                 ${ratio(one, two)}   (goal ≥ 1.7× on 2 cores)`,
    `speedup, 2 threads over 1 thread of the same search:  ${ratio(levelsOne, two)}`,
    '(the level-synchronized search reaches the same verdict; with POR its cycle proviso, which looks',
    ' only at earlier levels, may expand a few states differently, so its count can differ slightly)',
  ];
}
