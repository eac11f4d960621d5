/**
 * The parallel search's speedup, in one run on one machine: the canonical instance (3 threads,
 * 2 frames, depth 3, REF_COUNT_MAX 2) with `--workers 2` against `--workers 1` (the one-thread
 * explorer) and against the level-synchronized search on one thread (the speedup from threads
 * alone). Runs are interleaved, so each sees the same load, and the best of `ROUNDS` is
 * kept: on a shared machine the least disturbed run is the one that measures the code. Wall time
 * and CPU time (every thread of the process: workers, garbage collection) for the search in this
 * process; wall time for the whole command as a process (`node bin/framecheck.js check …`, the
 * start-up included), which is what a user waits for.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { exploreParallel } from '../src/check/explore/parallel.ts';
import { explore, type SearchResult } from '../src/check/explore/search.ts';
import { buildInstance } from '../src/check/instance.ts';

const CANON = { frames: 2, threads: 3, depth: 3, ops: 'from_unused,from_in_use,drop', refCountMax: 2 };
const FLAGS = ['--frames', '2', '--threads', '3', '--depth', '3', '--ops', CANON.ops, '--ref-count-max', '2'];
const limits = { maxStates: 20_000_000, timeLimitMs: 600_000, maxMemoryBytes: 8 * 2 ** 30 };
const ROUNDS = 3;

type Best = { wall: number; cpu: number; result?: SearchResult };

/** Runs `f` and keeps the least wall and CPU time seen in `best`. */
function timed(best: Best, f: () => SearchResult | undefined): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  best.wall = Math.min(best.wall, wall);
  best.cpu = Math.min(best.cpu, (c.user + c.system) / 1e6);
  if (r !== undefined) best.result = r;
}

/** The whole command as a process; its stdout line (the states it reports). */
function command(workers: number): string {
  const p = spawnSync(process.execPath, ['bin/framecheck.js', 'check', ...FLAGS, '--workers', String(workers)], {
    encoding: 'utf8',
  });
  if (p.status !== 0) throw new Error(`check --workers ${workers} exited ${p.status}: ${p.stderr}`);
  return p.stdout.trim();
}

/** The `--workers 2` vs `--workers 1` rows. */
export async function workersBench(): Promise<string[]> {
  const inst = buildInstance(CANON, () => true);
  const fresh = (): Best => ({ wall: Infinity, cpu: Infinity });
  const seq = fresh();
  const one = fresh();
  const two = fresh();
  const cmd = [fresh(), fresh()];
  const lines = ['', ''];
  const load = loadavg()[0]!;
  for (let k = 0; k < ROUNDS; k++) {
    timed(seq, () => explore(inst, { limits }));
    timed(one, () => exploreParallel(inst, { workers: 1, limits }).result);
    timed(two, () => exploreParallel(inst, { workers: 2, limits }).result);
    for (const w of [0, 1]) timed(cmd[w]!, () => void (lines[w] = command(w + 1)));
  }
  const row = (name: string, b: Best) =>
    `  ${name.padEnd(40)} ${String(b.result!.states).padStart(8)} states  ${b.result!.verdict.padEnd(3)} ${b.wall.toFixed(2).padStart(6)} s wall ${b.cpu.toFixed(2).padStart(6)} s CPU`;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    `## Canonical instance, --workers 2 vs --workers 1 (${availableParallelism()} cores, load average ${load.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end; best of ${ROUNDS} interleaved runs)`,
    'the search in this process (CPU: every thread of the process):',
    row('--workers 1 (one-thread explorer)', seq),
    row('level-synchronized search, 1 thread', one),
    row('--workers 2 (level-synchronized, 2 threads)', two),
    `  speedup, --workers 2 over --workers 1 (wall):     ${x(seq.wall, two.wall)}   (goal ≥ 1.7× on 2 cores)`,
    `  speedup, 2 threads over 1 of the same search:     ${x(one.wall, two.wall)}`,
    `  CPU, 2 threads over 1 of the same search:         ${x(two.cpu, one.cpu)}   (1.00× would be no overhead)`,
    'the whole command (node bin/framecheck.js check …, start-up included):',
    `  --workers 1  ${cmd[0]!.wall.toFixed(2).padStart(6)} s wall   ${lines[0]}`,
    `  --workers 2  ${cmd[1]!.wall.toFixed(2).padStart(6)} s wall   ${lines[1]}`,
    `  speedup, --workers 2 over --workers 1 (wall):    ${x(cmd[0]!.wall, cmd[1]!.wall)}`,
    '(the level-synchronized search visits the same states with any number of threads; the one-thread',
    ' explorer applies the persistent-set cycle proviso to states of the level being built too, so it',
    ' expands a few more)',
  ];
}
