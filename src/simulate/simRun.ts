/**
 * One simulation run: threads stepped by a scheduler (generating operations at random) or by a script
 * (replaying recorded ones), every step checked as the explorer checks it, the initial state and, when
 * every thread has finished, the quiescent state too. A run stops at the first violation.
 */
import type { Finding } from '../check/checks.ts';
import type { Instance } from '../check/instance.ts';
import type { Label } from '../check/model.ts';
import { World, type Subject } from '../check/world.ts';
import { GeneratingDriver, ScriptDriver, type Driver } from './drivers.ts';
import type { Rng } from './Rng.ts';
import type { Scheduler } from '../strategies/Strategy.ts';
import type { Script } from './Script.ts';
import { initialFinding, quiescentFinding, stepFinding } from './simChecks.ts';
import { SimStepper } from './simStep.ts';
import { initialSimState, type SimState } from './SimState.ts';
import { allocatorFor } from './WideBitmapAllocator.ts';

/** What a run did: its steps, its first violation, its script, and (for a script run) the labels and what each started. */
export type RunOutcome = {
  finding: Finding | undefined;
  steps: number;
  /** Operations that returned. */
  completed: number;
  script: Script;
  labels: Label[];
  /** Per step: the program index of the operation it started, or -1. */
  served: number[];
  world: World;
};

/** A world for `inst`: the explorer's, with the wide allocator past 64 frames. */
export function simWorld(inst: Instance, subject?: Subject): World {
  return new World(inst, subject ?? undefined, allocatorFor(inst.frames));
}

/**
 * A world kept across the runs of one simulation, with its initial words: a world's state lives in
 * the words alone (the region, layer and allocator read and write nothing else), so a run starts
 * from a fresh copy of the words instead of a fresh world.
 */
export type ReusableWorld = Readonly<{ world: World; initial: readonly bigint[] }>;

/** A world to reuse across runs of `inst`. */
export function reusableWorld(inst: Instance, subject?: Subject): ReusableWorld {
  const world = simWorld(inst, subject);
  return { world, initial: world.initialWords() };
}

/** How a generated run is set up: the subject, PCT's step estimate, a world to reuse. */
export type GeneratedRunOptions = Readonly<{
  subject?: Subject;
  expected?: number;
  reuse?: ReusableWorld;
  /** Polled every 4096 steps: the run ends early when it returns true. */
  interrupted?: () => boolean;
}>;

type Loop = { world: World; s: SimState; stepper: SimStepper; driver: Driver; out: RunOutcome; record: boolean };

/** Steps thread `t`; returns the step's violation, if any. */
function stepThread(x: Loop, t: number): Finding | undefined {
  const l = x.driver.label(x.s, t);
  const r = x.stepper.step(l);
  x.out.steps++;
  if (r.completed !== undefined) x.out.completed++;
  (x.out.script.schedule as number[]).push(t);
  if (x.record) {
    x.out.labels.push(l);
    x.out.served.push(x.driver.lastServed);
  }
  return stepFinding(x.world, x.s, l, r);
}

function begin(
  inst: Instance,
  driver: Driver,
  record: boolean,
  subject: Subject | undefined,
  reuse?: ReusableWorld,
): Loop {
  const world = reuse?.world ?? simWorld(inst, subject);
  const s = initialSimState(world, reuse?.initial);
  const script: Script = { frames: inst.frames, programs: s.threads.map((th) => th.started), schedule: [] };
  const out: RunOutcome = {
    finding: initialFinding(world, s),
    steps: 0,
    completed: 0,
    script,
    labels: [],
    served: [],
    world,
  };
  return { world, s, stepper: new SimStepper(world, s), driver, out, record };
}

function runnableThreads(x: Loop, into: number[]): number[] {
  into.length = 0;
  for (let t = 0; t < x.s.threads.length; t++) if (x.driver.runnable(x.s, t)) into.push(t);
  return into;
}

/** A generated run of at most `maxSteps` steps, scheduled by `scheduler` (which expects about `expected`). */
export function generatedRun(
  inst: Instance,
  rng: Rng,
  scheduler: Scheduler,
  maxSteps: number,
  o: GeneratedRunOptions = {},
): RunOutcome {
  const x = begin(inst, new GeneratingDriver(inst, rng), false, o.subject, o.reuse);
  scheduler.begin(rng, inst.threads, o.expected ?? maxSteps);
  const runnable: number[] = [];
  while (x.out.finding === undefined && x.out.steps < maxSteps) {
    if ((x.out.steps & 4095) === 4095 && o.interrupted?.() === true) break;
    if (runnableThreads(x, runnable).length === 0) {
      if (!x.s.halted) x.out.finding = quiescentFinding(x.world, x.s);
      break;
    }
    x.out.finding = stepThread(x, scheduler.pick(runnable, x.out.steps));
  }
  scheduler.end(x.out.steps);
  return x.out;
}

/** Replays a script: each schedule entry steps its thread, an entry whose thread cannot step is skipped. */
export function scriptRun(inst: Instance, script: Script, subject?: Subject): RunOutcome {
  const x = begin(inst, new ScriptDriver(script.programs), true, subject);
  x.out.script = { frames: script.frames, programs: script.programs, schedule: [] };
  for (const t of script.schedule) {
    if (x.out.finding !== undefined) break;
    if (t < inst.threads && x.driver.runnable(x.s, t)) x.out.finding = stepThread(x, t);
  }
  if (x.out.finding === undefined && !x.s.halted && x.s.threads.every((_, t) => !x.driver.runnable(x.s, t)))
    x.out.finding = quiescentFinding(x.world, x.s);
  return x.out;
}
