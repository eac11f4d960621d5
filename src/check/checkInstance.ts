/**
 * The engine's one entry point: `checkInstance(instance, options)` runs the instance with a strategy
 * (breadth-first by default; `src/strategies/`: bfs, dfs, random, pct, replay) and, on a violation,
 * replays what it found, minimizes it and renders it as an ITF trace, the same way whichever strategy
 * found it. Front ends (`framecheck check`, conform, the mutant engines, the library) call only this.
 * Its result is modelled on fast-check's `RunDetails`: a verdict, the statistics, and the minimized
 * counterexample.
 */
import { runLabels, type Limits, type Progress, type Run, type SearchResult, type Stats } from './explore/search.ts';
import type { Finding } from './checks.ts';
import type { Instance } from './instance.ts';
import type { Label } from './model.ts';
import { minimize } from './minimize.ts';
import { toTrace, type Trace } from './trace.ts';
import type { Subject } from './world.ts';
import type { RunDetails } from './RunDetails.ts';
import type { Strategy } from '../strategies/Strategy.ts';
import { bfs, foundElsewhere } from '../strategies/bfs.ts';
import { dfs } from '../strategies/dfs.ts';

/** The limits `checkInstance` uses where the options leave one out. */
export const DEFAULT_LIMITS: Limits = { maxStates: 20_000_000, timeLimitMs: 3_600_000, maxMemoryBytes: 8 * 2 ** 30 };

/** How to check an instance; `S` is the chosen strategy's statistics (the explorer's by default). */
export type CheckOptions<S = Stats> = Readonly<{
  limits?: Partial<Limits>;
  /** The strategy (default breadth-first: `bfs()`); it wins over `dfs` and `found`. */
  strategy?: Strategy<S>;
  /** Depth-first instead of breadth-first (the trace is then not shortest before minimization). */
  dfs?: boolean;
  /** What runs instead of framecheck's implementation (a mutant, or a third party's, resolved by the caller). */
  subject?: Subject;
  onProgress?: (p: Progress) => void;
  /** A search result found elsewhere (merged shards, the parallel search): only its counterexample is built. */
  found?: SearchResult;
  /** Leave the counterexample as found (no smaller instance tried). */
  minimize?: boolean;
}>;

/** A violation's counterexample, minimized: the smallest instance, its run, its labels and its ITF trace. */
export type Counterexample = Readonly<{
  instance: Instance;
  run: Run;
  labels: readonly Label[];
  finding: Finding;
  trace: Trace;
}>;

/** What a check found: the one result shape, with the strategy's statistics and the counterexample. */
export type CheckDetails<S = Stats> = RunDetails<S, Counterexample>;

function strategyOf<S>(options: CheckOptions<S>): Strategy<S> {
  if (options.strategy !== undefined) return options.strategy;
  const s = options.found !== undefined ? foundElsewhere(options.found) : options.dfs === true ? dfs : bfs();
  return s as unknown as Strategy<S>;
}

/** Checks `inst` with the strategy; on a violation, the minimized counterexample comes with the verdict. */
export function checkInstance<S = Stats>(inst: Instance, options: CheckOptions<S> = {}): CheckDetails<S> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const subject = options.subject;
  const strategy = strategyOf(options);
  const r = strategy.search(inst, {
    limits,
    ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
    ...(subject !== undefined && { subject }),
  });
  const stats = r.stats;
  if (r.verdict === 'ok') return { verdict: 'ok', failed: false, interrupted: false, stats };
  if (r.verdict === 'incomplete')
    return { verdict: 'incomplete', failed: false, interrupted: true, reason: r.reason, stats };
  const first = runLabels(inst, r.labels, r.canonical, subject);
  const min =
    first.finding === undefined || options.minimize === false
      ? { inst, run: first }
      : minimize(inst, first, limits, subject);
  const finding = min.run.finding ?? r.finding;
  const trace = toTrace(min.run.world, min.inst, finding, min.run, strategy.name);
  return {
    verdict: 'violation',
    failed: true,
    interrupted: false,
    stats,
    counterexample: { instance: min.inst, run: min.run, labels: min.run.labels, finding, trace },
  };
}
