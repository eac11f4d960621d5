/**
 * `simulate`: many random or PCT runs of an instance too large to exhaust, every step checked as the
 * explorer checks it. A failure is shrunk and, when the explorer reproduces the shrunk run, becomes an
 * ITF counterexample that `framecheck replay` re-runs. Run `r` uses seed `seed + r`, so a failing run
 * is reproduced alone with `--seed <its seed> --runs 1`.
 */
import type { Finding } from '../check/checks.ts';
import type { Run } from '../check/explore/search.ts';
import type { Instance } from '../check/instance.ts';
import type { Subject } from '../check/world.ts';
import type { Trace } from '../check/trace.ts';
import { runDetails, type RunDetails, type Verdict } from '../check/RunDetails.ts';
import { PctScheduler } from '../strategies/pct.ts';
import { RandomScheduler } from '../strategies/random.ts';
import { Rng } from './Rng.ts';
import type { Scheduler } from '../strategies/Strategy.ts';
import { opCount, type Script } from './Script.ts';
import { shrink, type Shrunk } from './shrink.ts';
import { generatedRun, reusableWorld } from './simRun.ts';
import { replayInExplorer, simTrace } from './toTrace.ts';

export type SchedulerName = 'random' | 'pct';

export type SimOptions = Readonly<{
  inst: Instance;
  runs: number;
  steps: number;
  seed: number;
  scheduler: SchedulerName;
  /** PCT's bug depth `d` (ignored by the random walk). */
  depth: number;
  subject?: Subject;
  shrink?: boolean;
  timeLimitMs?: number;
  /** Polled between runs and every few thousand steps (Ctrl-C in the CLI): stops with verdict incomplete. */
  interrupted?: () => boolean;
  onProgress?: (p: Readonly<{ run: number; steps: number; seconds: number }>) => void;
}>;

/** A failure: where it was found, how big it was, and its shrunk form. */
export type SimFailure = Readonly<{
  run: number;
  seed: number;
  step: number;
  finding: Finding;
  original: Readonly<{ threads: number; frames: number; ops: number; steps: number }>;
  shrunk: Shrunk | undefined;
  trace: Trace | undefined;
  /** Why no trace was written, when none was. */
  noTrace: string | undefined;
  /** The explorer's run of the shrunk failure (what the trace records). */
  replayed: Run | undefined;
}>;

/** A simulation's statistics: the scheduler, the runs and steps made, the operations that returned. */
export type SimStats = Readonly<{
  scheduler: string;
  runs: number;
  steps: number;
  completed: number;
  seconds: number;
  stepsPerSecond: number;
}>;

/** A simulation's outcome: the one result shape (src/check/RunDetails.ts), its failure as the counterexample. */
export type SimResult = RunDetails<SimStats, SimFailure>;

function schedulerOf(o: SimOptions): Scheduler {
  return o.scheduler === 'pct' ? new PctScheduler(o.depth) : new RandomScheduler();
}

/** The number of steps a run is expected to take, for PCT's change points. */
function expectedSteps(o: SimOptions): number {
  const ops = o.inst.programs.reduce((n, p) => n + (p.kind === 'any' ? p.depth : p.steps.length), 0);
  return Math.max(1, Math.min(o.steps, ops * 4));
}

function failure(
  o: SimOptions,
  run: number,
  seed: number,
  steps: number,
  finding: Finding,
  script: Script,
  scheduler: string,
): SimFailure {
  const original = { threads: o.inst.threads, frames: o.inst.frames, ops: opCount(script), steps };
  const base = { run, seed, step: steps, finding, original, shrunk: undefined, trace: undefined, replayed: undefined };
  if (o.shrink === false) return { ...base, noTrace: 'shrinking was turned off' };
  const shrunk = shrink(o.inst, script, finding.property, o.subject, {
    maxAttempts: 4000,
    deadline: performance.now() + 60_000,
  });
  if (shrunk === undefined) return { ...base, noTrace: 'the failure does not reproduce with fixed programs' };
  const ex = replayInExplorer(shrunk, finding.property, o.subject);
  if (!ex.ok) return { ...base, finding: shrunk.run.finding!, shrunk, noTrace: ex.reason };
  return {
    ...base,
    finding: ex.run.finding!,
    shrunk,
    trace: simTrace(ex, { scheduler, seed, run, step: steps }),
    noTrace: undefined,
    replayed: ex.run,
  };
}

/** Runs the simulation; stops at the first failing run. */
export function simulate(o: SimOptions): SimResult {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return loop(o);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function loop(o: SimOptions): SimResult {
  const scheduler = schedulerOf(o);
  const t0 = performance.now();
  let steps = 0;
  let completed = 0;
  let runs = 0;
  const stats = (): SimStats => {
    const seconds = (performance.now() - t0) / 1000;
    return {
      scheduler: scheduler.name,
      runs,
      steps,
      completed,
      seconds,
      stepsPerSecond: seconds > 0 ? Math.round(steps / seconds) : steps,
    };
  };
  const result = (verdict: Verdict, f?: SimFailure, reason?: string): SimResult =>
    runDetails(verdict, stats(), f, reason);
  const TIME = '--time-limit reached';
  const reuse = reusableWorld(o.inst, o.subject);
  for (let r = 0; r < o.runs; r++) {
    if (o.timeLimitMs !== undefined && performance.now() - t0 > o.timeLimitMs)
      return result('incomplete', undefined, TIME);
    if (o.interrupted?.() === true) return result('incomplete', undefined, 'interrupted');
    const seed = (o.seed + r) >>> 0;
    const out = generatedRun(o.inst, new Rng(seed), scheduler, o.steps, {
      ...(o.subject !== undefined && { subject: o.subject }),
      expected: expectedSteps(o),
      reuse,
      ...(o.interrupted !== undefined && { interrupted: o.interrupted }),
    });
    runs++;
    steps += out.steps;
    completed += out.completed;
    o.onProgress?.({ run: r + 1, steps, seconds: (performance.now() - t0) / 1000 });
    if (out.finding === undefined && o.interrupted?.() === true) return result('incomplete', undefined, 'interrupted');
    if (out.finding !== undefined) {
      // The statistics are those of the runs: shrinking the failure is not counted in them.
      const measured = stats();
      const f = failure(o, r, seed, out.steps, out.finding, out.script, scheduler.name);
      return runDetails('violation', measured, f, undefined);
    }
  }
  return result('ok');
}

/** The failure a simulation found, if any. */
export const failureOf = (r: SimResult): SimFailure | undefined =>
  r.verdict === 'violation' ? r.counterexample : undefined;
