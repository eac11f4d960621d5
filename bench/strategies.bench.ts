/**
 * The strategies side by side, in one run on one machine: breadth-first, depth-first, random and PCT
 * (`check --strategy …`) on the canonical instance (3 threads, 2 frames, depth 3, from_unused,
 * from_in_use and drop, REF_COUNT_MAX 2) with framecheck's implementation and with two mutants of the
 * catalog. Each row: the verdict, the strategy's search time (to the first violation, or to the
 * verdict), the whole `checkInstance` time (a violation's replay and minimization included), the work
 * done (distinct states for the exhaustive strategies, runs and steps for the sampled ones), and the
 * ratios of both times against breadth-first on the same subject. Random and PCT stop at the first
 * violating run; on a correct subject their `ok` is "no violation in RUNS runs", not a proof.
 */
import { loadavg } from 'node:os';
import { checkInstance } from '../src/check/checkInstance.ts';
import type { Stats } from '../src/check/explore/search.ts';
import { buildInstance } from '../src/check/instance.ts';
import { mutantByName } from '../src/mutants/catalog.ts';
import { subjectNamed } from '../src/subjects/resolve.ts';
import { bfs } from '../src/strategies/bfs.ts';
import { dfs } from '../src/strategies/dfs.ts';
import { pct } from '../src/strategies/pct.ts';
import { random } from '../src/strategies/random.ts';
import type { Strategy } from '../src/strategies/Strategy.ts';
import type { SampleStats } from '../src/strategies/walk.ts';

const CANON = { frames: 2, threads: 3, depth: 3, ops: 'from_unused,from_in_use,drop', refCountMax: 2 };
const SUBJECTS = [undefined, 'from_in_use_accepts_zero', 'claim_load_then_store'] as const;
/** Random and PCT runs on each subject (they stop at the first violation). */
const RUNS = 2000;
const SEED = 1;
const limits = { maxStates: 20_000_000, timeLimitMs: 600_000, maxMemoryBytes: 8 * 2 ** 30 };

type Row = Readonly<{ verdict: string; search: number; total: number; work: string }>;

const strategies = (): readonly Strategy<Stats | SampleStats>[] => [
  bfs(),
  dfs,
  random({ runs: RUNS, seed: SEED }),
  pct({ runs: RUNS, seed: SEED, depth: 3 }),
];

/** One check of `mutant` (framecheck's own implementation when undefined) with `strategy`. */
function measure(mutant: string | undefined, strategy: Strategy<Stats | SampleStats>): Row {
  const inst = buildInstance(
    { ...CANON, ...(mutant !== undefined && { mutant }) },
    (n) => mutantByName(n) !== undefined,
  );
  const subject = subjectNamed(mutant);
  const t0 = performance.now();
  const d = checkInstance(inst, { strategy, limits, ...(subject !== undefined && { subject }) });
  const total = (performance.now() - t0) / 1000;
  const s = d.stats;
  const work =
    'states' in s
      ? `${s.states} states`
      : `${s.runs} run(s), ${s.steps} steps${s.failedRun !== undefined ? ` (failing run ${s.failedRun.run})` : ''}`;
  const verdict = d.verdict === 'violation' ? `violation ${d.counterexample.finding.property}` : d.verdict;
  return { verdict, search: s.seconds, total, work };
}

const ratio = (x: number, base: number): string => (base > 0 ? `${(x / base).toFixed(2)}×` : '—');

/** The table: one block of rows per subject, ratios against its breadth-first row. */
export async function strategiesBench(): Promise<string[]> {
  const load = loadavg()[0]!;
  const lines = [
    `strategies: canonical instance (3 threads × 2 frames, depth 3, REF_COUNT_MAX 2), one run each; random and pct: ${RUNS} runs from seed ${SEED}, pct depth 3 (load average ${load.toFixed(2)})`,
    '| subject | strategy | verdict | search ms | vs bfs | checkInstance ms | vs bfs | work |',
    '|---|---|---|---:|---:|---:|---:|---|',
  ];
  for (const mutant of SUBJECTS) {
    let base: Row | undefined;
    for (const strategy of strategies()) {
      const r = measure(mutant, strategy);
      base ??= r;
      lines.push(
        `| ${mutant ?? 'framecheck'} | ${strategy.name} | ${r.verdict} | ${(r.search * 1000).toFixed(1)} | ${ratio(r.search, base.search)} | ${(r.total * 1000).toFixed(1)} | ${ratio(r.total, base.total)} | ${r.work} |`,
      );
    }
  }
  return lines;
}
