/**
 * The engine's one entry point: `checkInstance(instance, options)` explores the instance, and on a
 * violation replays it, minimizes it and renders it as an ITF trace — the steps every front end
 * (`framecheck check`, the mutant engines, the library) used to string together itself. Its result is
 * modelled on fast-check's `RunDetails`: a verdict, the statistics, and the minimized counterexample.
 */
import {
  explore,
  runLabels,
  type Limits,
  type Progress,
  type Run,
  type SearchResult,
  type Stats,
} from './explore/search.ts';
import type { Finding } from './checks.ts';
import type { Instance } from './instance.ts';
import type { Label } from './model.ts';
import { minimize } from './minimize.ts';
import { toTrace, type Trace } from './trace.ts';
import type { Subject } from './world.ts';
import type { RunDetails } from './RunDetails.ts';

/** The limits `checkInstance` uses where the options leave one out. */
export const DEFAULT_LIMITS: Limits = { maxStates: 20_000_000, timeLimitMs: 3_600_000, maxMemoryBytes: 8 * 2 ** 30 };

/** How to check an instance. */
export type CheckOptions = Readonly<{
  limits?: Partial<Limits>;
  /** Depth-first instead of breadth-first (the trace is then not shortest before minimization). */
  dfs?: boolean;
  /** What runs instead of framecheck's implementation (a mutant, or a third party's, resolved by the caller). */
  subject?: Subject;
  onProgress?: (p: Progress) => void;
  /** A search result found elsewhere (merged shards, the parallel search): only its counterexample is built. */
  found?: SearchResult;
}>;

/** A violation's counterexample, minimized: the smallest instance, its run, its labels and its ITF trace. */
export type Counterexample = Readonly<{
  instance: Instance;
  run: Run;
  labels: readonly Label[];
  finding: Finding;
  trace: Trace;
}>;

/** What a check found: the one result shape, with the explorer's statistics and counterexample. */
export type CheckDetails = RunDetails<Stats, Counterexample>;

const statsOf = (r: SearchResult): Stats => {
  const { verdict: _v, ...rest } = r as SearchResult & { violation?: unknown; reason?: unknown };
  const { violation: _x, reason: _y, ...stats } = rest;
  return stats;
};

/** Checks `inst` exhaustively; on a violation, the minimized counterexample comes with the verdict. */
export function checkInstance(inst: Instance, options: CheckOptions = {}): CheckDetails {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const subject = options.subject;
  const r =
    options.found ??
    explore(inst, {
      limits,
      dfs: options.dfs === true,
      ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
      ...(subject !== undefined && { subject }),
    });
  const stats = statsOf(r);
  if (r.verdict === 'ok') return { verdict: 'ok', failed: false, interrupted: false, stats };
  if (r.verdict === 'incomplete')
    return { verdict: 'incomplete', failed: false, interrupted: true, reason: r.reason, stats };
  const min = minimize(inst, runLabels(inst, r.violation.labels, true, subject), limits, subject);
  const finding = min.run.finding!;
  const trace = toTrace(min.run.world, min.inst, finding, min.run, options.dfs === true ? 'dfs' : 'bfs');
  return {
    verdict: 'violation',
    failed: true,
    interrupted: false,
    stats,
    counterexample: { instance: min.inst, run: min.run, labels: min.run.labels, finding, trace },
  };
}
