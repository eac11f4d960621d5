/**
 * The sampling strategies' runs (`random.ts`, `pct.ts`): bounded runs of the explorer's own world
 * (its steps, checks and findings, `runChosen`), each step's thread picked by a `Scheduler` and the
 * operation and frame among that thread's enabled ones by the run's seeded generator. Run `r` uses
 * seed `seed + r`, so a failing run is reproduced alone with `--seed <its seed> --runs 1`.
 */
import { runChosen, type Chooser } from '../check/explore/replay.ts';
import type { Instance } from '../check/instance.ts';
import type { Label } from '../check/model.ts';
import { World } from '../check/world.ts';
import { Rng } from '../simulate/Rng.ts';
import type { Found, Scheduler, StrategyOptions } from './Strategy.ts';

/** How many runs, from which seed, and the longest a run may be (its steps). */
export type Sampling = Readonly<{ runs: number; seed: number; steps?: number }>;

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
  for (let r = 0; r < s.runs; r++) {
    if (performance.now() - t0 > o.limits.timeLimitMs)
      return { verdict: 'incomplete', reason: '--time-limit reached', stats: stats() };
    if (o.limits.interrupted?.() === true) return { verdict: 'incomplete', reason: 'interrupted', stats: stats() };
    const seed = (s.seed + r) >>> 0;
    const rng = new Rng(seed);
    scheduler.begin(rng, inst.threads, expected);
    const choose: Chooser = (_x, en, k) => {
      if (k >= maxSteps) return undefined;
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
  }
  return { verdict: 'ok', stats: stats() };
}
