/**
 * The sampling strategies' runs (`random.ts`, `pct.ts`): bounded runs of the explorer's own world
 * (its steps, checks and findings, `runChosen`), each step's thread picked by a `Scheduler` and the
 * operation and frame among that thread's enabled ones by the run's seeded generator. Run `r` uses
 * seed `seed + r`, so a failing run is reproduced alone with `--seed <its seed> --runs 1`.
 *
 * `limits.maxStates` bounds the steps taken over all runs (each step reaches one state; the runs keep
 * no table of states, so a state reached twice counts twice): the run that would take one step more
 * stops there and the result is incomplete, `--max-states N reached`, with the statistics so far.
 */
import { runChosen, type Chooser } from '../check/explore/replay.ts';
import type { Instance } from '../check/instance.ts';
import type { Label } from '../check/model.ts';
import { World } from '../check/world.ts';
import { Rng } from '../simulate/Rng.ts';
import type { Found, Scheduler, StrategyOptions } from './Strategy.ts';

/** Where sampled runs are: the runs done and planned, the steps over all runs, the longest run. */
export type SampleProgress = Readonly<{
  scheduler: string;
  runs: number;
  plannedRuns: number;
  steps: number;
  depth: number;
  seconds: number;
  stepsPerSecond: number;
}>;

/**
 * How many runs, from which seed, and the longest a run may be (its steps); `onProgress` is called
 * every `progressMs` (default 2000, as the exhaustive search's progress line) while runs go on.
 */
export type Sampling = Readonly<{
  runs: number;
  seed: number;
  steps?: number;
  onProgress?: (p: SampleProgress) => void;
  progressMs?: number;
}>;

/** The steps a run may take when `Sampling.steps` leaves it out. */
export const DEFAULT_RUN_STEPS = 1000;

/** A sampling strategy's statistics: its runs and steps, and the failing run's seed. */
export type SampleStats = Readonly<{
  scheduler: string;
  seed: number;
  runs: number;
  steps: number;
  /** The longest run, in steps. */
  depth: number;
  seconds: number;
  stepsPerSecond: number;
  /** The run that failed and its seed (`--seed <seed> --runs 1` reproduces it alone). */
  failedRun?: Readonly<{ run: number; seed: number }>;
}>;

/** The steps a run of `inst` is expected to take, for PCT's change points. */
function expectedSteps(inst: Instance, max: number): number {
  const ops = inst.programs.reduce((n, p) => n + (p.kind === 'any' ? p.depth : p.steps.length), 0);
  return Math.max(1, Math.min(max, ops * 4));
}

/** The threads that have a label in `en` (grouped by thread, as `enabled` lists them). */
function threadsOf(en: readonly Label[], into: number[]): number[] {
  into.length = 0;
  for (const l of en) if (into.at(-1) !== l.t) into.push(l.t);
  return into;
}

/** Runs `s.runs` seeded runs of `inst` scheduled by `scheduler`; stops at the first violation. */
export function walks(inst: Instance, o: StrategyOptions, scheduler: Scheduler, s: Sampling): Found<SampleStats> {
  const t0 = performance.now();
  const maxSteps = s.steps ?? DEFAULT_RUN_STEPS;
  const expected = expectedSteps(inst, maxSteps);
  const world = new World(inst, o.subject);
  let steps = 0;
  let runs = 0;
  let depth = 0;
  const { maxStates } = o.limits;
  const progressMs = s.progressMs ?? 2000;
  let lastProgress = t0;
  const progress = (now: number, inRun: number): void => {
    if (s.onProgress === undefined || now - lastProgress < progressMs) return;
    lastProgress = now;
    const seconds = (now - t0) / 1000;
    const all = steps + inRun;
    s.onProgress({
      scheduler: scheduler.name,
      runs,
      plannedRuns: s.runs,
      steps: all,
      depth: Math.max(depth, inRun),
      seconds,
      stepsPerSecond: seconds > 0 ? Math.round(all / seconds) : all,
    });
  };
  const stats = (failedRun?: SampleStats['failedRun']): SampleStats => {
    const seconds = (performance.now() - t0) / 1000;
    return {
      scheduler: scheduler.name,
      seed: s.seed,
      runs,
      steps,
      depth,
      seconds,
      stepsPerSecond: seconds > 0 ? Math.round(steps / seconds) : steps,
      ...(failedRun !== undefined && { failedRun }),
    };
  };
  const threads: number[] = [];
  const full = (): Found<SampleStats> => ({
    verdict: 'incomplete',
    reason: `--max-states ${maxStates} reached`,
    stats: stats(),
  });
  for (let r = 0; r < s.runs; r++) {
    const now = performance.now();
    progress(now, 0);
    if (steps >= maxStates) return full();
    if (now - t0 > o.limits.timeLimitMs)
      return { verdict: 'incomplete', reason: '--time-limit reached', stats: stats() };
    if (o.limits.interrupted?.() === true) return { verdict: 'incomplete', reason: 'interrupted', stats: stats() };
    const seed = (s.seed + r) >>> 0;
    const rng = new Rng(seed);
    scheduler.begin(rng, inst.threads, expected);
    let cut = false;
    const choose: Chooser = (_x, en, k) => {
      if (k >= maxSteps) return undefined;
      if (steps + k >= maxStates) {
        cut = true;
        return undefined;
      }
      // The clock is read every 256 steps: reading it is not free.
      if (((steps + k) & 255) === 255) progress(performance.now(), k);
      const t = scheduler.pick(threadsOf(en, threads), k);
      let n = 0;
      for (const l of en) if (l.t === t) n++;
      let i = rng.int(n);
      for (const l of en) if (l.t === t && i-- === 0) return l;
      return undefined;
    };
    const run = runChosen(inst, choose, o.subject, world);
    scheduler.end(run.labels.length);
    runs++;
    steps += run.labels.length;
    depth = Math.max(depth, run.labels.length);
    if (run.finding !== undefined)
      return {
        verdict: 'violation',
        finding: run.finding,
        labels: run.labels,
        canonical: false,
        stats: stats({ run: r, seed }),
      };
    if (cut) return full();
  }
  return { verdict: 'ok', stats: stats() };
}
