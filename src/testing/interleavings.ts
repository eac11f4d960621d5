/**
 * Interleavings with fast-check's scheduler (`fc.scheduler()`): each thread runs a generated program
 * on the subject, and before each of its atomic steps awaits a promise the scheduler resolves, so
 * fast-check chooses — and shrinks — the interleaving at atomic-step granularity. The steps are the
 * explorer's (the operation is replayed up to its next atomic access), and every step is checked as
 * the explorer checks it: the slot invariant, the accounting of handles, the sequential spec at each
 * operation's linearization point, aborts only where the spec may panic, livelocks, and leaks.
 */
import fc from 'fast-check';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { Finding } from '../check/checks.ts';
import type { Instance, ProgramStep } from '../check/instance.ts';
import type { Label } from '../check/model.ts';
import type { Subject } from '../check/world.ts';
import { ScriptDriver } from '../simulate/drivers.ts';
import { initialFinding, quiescentFinding, stepFinding } from '../simulate/simChecks.ts';
import { simWorld } from '../simulate/simRun.ts';
import { SimStepper } from '../simulate/simStep.ts';
import { initialSimState } from '../simulate/SimState.ts';
import { FRAME_OPS, programArb } from './arbitraries.ts';
import type { ModelTestReport } from './modelCheck.ts';

export type InterleavingOptions = Readonly<{
  frames?: number;
  threads?: number;
  maxOps?: number;
  ops?: readonly FrameOpName[];
  refCountMax?: bigint;
  numRuns?: number;
  seed?: number;
}>;

/** A report of a failing interleaving: the property, and the steps as the explorer names them. */
export type InterleavingReport = ModelTestReport & Readonly<{ property?: string; steps?: string }>;

const show = (labels: readonly Label[]) =>
  labels.map((l) => `T${l.t}:${l.op ?? 'step'}${l.op !== undefined && l.frame >= 0 ? `@${l.frame}` : ''}`).join(' ');

class Failed extends Error {
  readonly finding: Finding;
  readonly steps: string;
  constructor(f: Finding, steps: string) {
    super(`${f.property}: ${f.message}`);
    this.finding = f;
    this.steps = steps;
  }
}

function instanceOf(programs: readonly ProgramStep[][], frames: number, refCountMax: bigint): Instance {
  return {
    frames,
    threads: programs.length,
    programs: programs.map((steps) => ({ kind: 'fixed', steps })),
    refCountMax,
    variant: 'current',
    mutant: undefined,
    symmetry: false,
    por: false,
  };
}

/** One scheduled execution of `programs`; throws `Failed` at the first violation. */
async function execute(
  s: fc.Scheduler,
  programs: ProgramStep[][],
  subject: Subject,
  frames: number,
  refCountMax: bigint,
): Promise<void> {
  const world = simWorld(instanceOf(programs, frames, refCountMax), subject);
  const state = initialSimState(world);
  const stepper = new SimStepper(world, state);
  const driver = new ScriptDriver(programs);
  const labels: Label[] = [];
  let failure = initialFinding(world, state);
  const thread = async (t: number) => {
    while (failure === undefined && driver.runnable(state, t)) {
      await s.schedule(Promise.resolve(t), `T${t}`);
      if (failure !== undefined || !driver.runnable(state, t)) return;
      const l = driver.label(state, t);
      labels.push(l);
      failure = stepFinding(world, state, l, stepper.step(l));
    }
  };
  await s.waitFor(Promise.all(programs.map((_, t) => thread(t))));
  if (failure === undefined && !state.halted) failure = quiescentFinding(world, state);
  if (failure !== undefined) throw new Failed(failure, show(labels));
}

/** Runs `numRuns` scheduled executions of generated programs on `subject` (default: the real code). */
export async function checkInterleavings(
  subject: Subject = {},
  o: InterleavingOptions = {},
): Promise<InterleavingReport> {
  const frames = o.frames ?? 1;
  const refCountMax = o.refCountMax ?? 3n;
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const progs = fc.array(programArb({ frames, maxLength: o.maxOps ?? 3, ops: o.ops ?? FRAME_OPS }), {
    minLength: 1,
    maxLength: o.threads ?? 2,
  });
  const prop = fc.asyncProperty(fc.scheduler(), progs, (s, programs) =>
    execute(s, programs, subject, frames, refCountMax),
  );
  const d = await fc.check(prop, { numRuns: o.numRuns ?? 200, seed });
  if (!d.failed) return { ok: true, numRuns: d.numRuns, seed };
  const e = d.errorInstance;
  return {
    ok: false,
    numRuns: d.numRuns,
    seed,
    counterexample: JSON.stringify(d.counterexample?.[1] ?? null),
    error: e instanceof Error ? e.message : String(e),
    numShrinks: d.numShrinks,
    ...(e instanceof Failed && { property: e.finding.property, steps: e.steps }),
  };
}

/** As `checkInterleavings`, throwing an error with the shrunk programs and steps when one fails. */
export async function assertInterleavings(subject: Subject = {}, o: InterleavingOptions = {}): Promise<void> {
  const r = await checkInterleavings(subject, o);
  if (!r.ok)
    throw new Error(
      `an interleaving breaks the spec: ${r.error}\n  programs: ${r.counterexample}\n  steps: ${r.steps ?? '?'}\n  seed ${r.seed}`,
    );
}
