/**
 * The parallel search's speedup, `--workers 2` against `--workers 1` (the one-thread explorer) and
 * against the level-synchronized search on one thread (the speedup from threads alone), on the
 * canonical instance (3 threads, 2 frames, depth 3, REF_COUNT_MAX 2), on a larger one where the fixed
 * costs of a second thread weigh less (3 frames), and, when FRAMECHECK_BENCH_WORKERS_BIG is set, on
 * one of 16 million states (3 threads, depth 4; about a minute of CPU per run). The variants run
 * interleaved, round by round, so each round's runs see the same load; a speedup is the median over
 * rounds of the ratio within a round, and wall and CPU times are medians. CPU is every thread of the
 * process (the workers, garbage collection, compilation); CPU per state shows the parallel search's
 * overhead whatever the load. For the canonical instance also the whole command as a process
 * (`node bin/framecheck.js check …`, start-up included), which is what a user waits for.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { exploreParallel, type PartStats } from '../src/check/explore/parallel.ts';
import { explore, type SearchResult } from '../src/check/explore/search.ts';
import { buildInstance, type InstanceFlags } from '../src/check/instance.ts';

const OPS = 'from_unused,from_in_use,drop';
const CANON = { frames: 2, threads: 3, depth: 3, ops: OPS, refCountMax: 2 };
const FLAGS = ['--frames', '2', '--threads', '3', '--depth', '3', '--ops', OPS, '--ref-count-max', '2'];
const limits = { maxStates: 50_000_000, timeLimitMs: 1_200_000, maxMemoryBytes: 12 * 2 ** 30 };

type Outcome = { result: SearchResult; parts?: readonly PartStats[] } | undefined;
type Run = { wall: number; cpu: number; result?: SearchResult; parts?: readonly PartStats[] };
type Variant = Readonly<{ name: string; run: () => Outcome }>;

/** Wall and CPU seconds of `f` (CPU: every thread of this process). */
function timed(f: () => Outcome): Run {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6, ...out };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The whole command as a process; its stdout line (the states it reports). */
function command(workers: number): string {
  const p = spawnSync(process.execPath, ['bin/framecheck.js', 'check', ...FLAGS, '--workers', String(workers)], {
    encoding: 'utf8',
  });
  if (p.status !== 0) throw new Error(`check --workers ${workers} exited ${p.status}: ${p.stderr}`);
  return p.stdout.trim();
}

/** `variants` run `rounds` times, interleaved (the order rotated every round): each one's runs. */
function rounds(variants: readonly Variant[], n: number): Run[][] {
  const runs = variants.map(() => [] as Run[]);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < variants.length; j++) {
      const k = (j + r) % variants.length;
      runs[k]!.push(timed(variants[k]!.run));
    }
  return runs;
}

const x = (v: number) => `${v.toFixed(2)}×`;
const within = (a: readonly Run[], b: readonly Run[], f: (r: Run) => number) =>
  median(a.map((r, i) => f(r) / f(b[i]!)));

/** The rows of one instance: `--workers 1`, the level-synchronized search on 1 and on 2 threads. */
function instanceRows(title: string, flags: InstanceFlags, n: number): string[] {
  const inst = buildInstance(flags, () => true);
  const load0 = loadavg()[0]!;
  const [seq, one, two] = rounds(
    [
      { name: '--workers 1 (one-thread explorer)', run: () => ({ result: explore(inst, { limits }) }) },
      { name: 'level-synchronized search, 1 thread', run: () => exploreParallel(inst, { workers: 1, limits }) },
      { name: '--workers 2 (level-synchronized, 2 threads)', run: () => exploreParallel(inst, { workers: 2, limits }) },
    ],
    n,
  ) as [Run[], Run[], Run[]];
  const row = (name: string, runs: readonly Run[]) => {
    const r = runs[0]!.result!;
    const cpu = median(runs.map((q) => q.cpu));
    return `  ${name.padEnd(44)} ${String(r.states).padStart(9)} states  ${r.verdict.padEnd(3)} ${median(
      runs.map((q) => q.wall),
    )
      .toFixed(2)
      .padStart(
        6,
      )} s wall ${cpu.toFixed(2).padStart(6)} s CPU ${((cpu / r.states) * 1e6).toFixed(2).padStart(5)} µs CPU/state`;
  };
  const same = two.every(
    (r) => r.result!.states === one[0]!.result!.states && r.result!.verdict === one[0]!.result!.verdict,
  );
  return [
    `## ${title}: --workers 2 vs --workers 1 (${availableParallelism()} cores, load average ${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end; medians of ${n} interleaved rounds)`,
    row('--workers 1 (one-thread explorer)', seq),
    row('level-synchronized search, 1 thread', one),
    row('--workers 2 (level-synchronized, 2 threads)', two),
    `  speedup, --workers 2 over --workers 1 (wall):   ${x(within(seq, two, (r) => r.wall))}   (goal ≥ 1.7× on 2 cores)`,
    `  speedup, 2 threads over 1 of the same search:   ${x(within(one, two, (r) => r.wall))}`,
    `  CPU, 2 threads over 1 of the same search:       ${x(within(two, one, (r) => r.cpu))}   (1.00× would be no overhead)`,
    `  2 threads: the same states and verdict as 1:    ${same ? 'yes' : 'NO'}`,
    `  2 threads, waiting at the level barriers:       ${[0, 1].map((k) => `${median(two.map((r) => r.parts?.[k]?.waitSeconds ?? 0)).toFixed(2)} s`).join(' (this thread), ')} (the worker), medians`,
    `  thread states each store met, 2 threads:        ${two[0]!.parts?.map((p) => p.threadStates).join(' + ')} (1 thread: ${one[0]!.parts?.[0]?.threadStates})`,
  ];
}

/** The whole command, `--workers 1` and `--workers 2`, interleaved. */
function commandRows(n: number): string[] {
  const lines = ['', ''];
  const [w1, w2] = rounds(
    [1, 2].map((w) => ({ name: `--workers ${w}`, run: (): Outcome => void (lines[w - 1] = command(w)) })),
    n,
  ) as [Run[], Run[]];
  return [
    `the whole command (node bin/framecheck.js check …, start-up included; medians of ${n} interleaved rounds):`,
    `  --workers 1  ${median(w1.map((r) => r.wall))
      .toFixed(2)
      .padStart(6)} s wall   ${lines[0]}`,
    `  --workers 2  ${median(w2.map((r) => r.wall))
      .toFixed(2)
      .padStart(6)} s wall   ${lines[1]}`,
    `  speedup, --workers 2 over --workers 1 (wall):   ${x(within(w1, w2, (r) => r.wall))}`,
  ];
}

/** The `--workers 2` vs `--workers 1` rows. */
export async function workersBench(): Promise<string[]> {
  const big = process.env['FRAMECHECK_BENCH_WORKERS_BIG'];
  return [
    ...instanceRows('Canonical instance (3 threads, 2 frames, depth 3)', CANON, 5),
    ...commandRows(5),
    '',
    ...instanceRows('3 threads, 3 frames, depth 3', { ...CANON, frames: 3 }, 3),
    '',
    ...(big === undefined || big === ''
      ? [
          '## 3 threads, 2 frames, depth 4 (16 million states): not run; set FRAMECHECK_BENCH_WORKERS_BIG=1 (about a minute of CPU per run, 3 runs per round, 2 rounds)',
        ]
      : instanceRows('3 threads, 2 frames, depth 4 (16 million states)', { ...CANON, depth: 4 }, 2)),
    '(the level-synchronized search visits the same states with any number of threads; the one-thread',
    ' explorer applies the persistent-set cycle proviso to states of the level being built too, so it',
    ' expands a few more)',
  ];
}
