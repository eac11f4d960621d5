/**
 * One step of one thread, in place: the explorer's `step` (same replay, same handle rules, same
 * abort and mid-step handling), without copying the words or the thread. It returns the explorer's
 * `StepResult`, whose `state` is the mutated simulation state itself.
 */
import { KernelAbort } from '../../impl/meta/abort.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { slotFindings, type Finding } from '../check/checks.ts';
import {
  ownSlot,
  releasedInStep,
  releasesAtStart,
  type Completed,
  type Label,
  type StepResult,
} from '../check/model.ts';
import { PAUSE, type Access } from '../check/ReplayMemory.ts';
import type { OpReturn, World } from '../check/world.ts';
import { returned } from '../ops/opTable.ts';
import { asState, bumpHandle, type SimState, type SimThread } from './SimState.ts';

const NO_LOG: readonly Access[] = Object.freeze([]);
/** Starts `l.op` on the thread: a release gives its handle up at once (its first step is the decrement). */
function start(th: SimThread, l: Label): void {
  th.pc++;
  th.op = l.op;
  th.frame = l.frame;
  th.log = NO_LOG;
  const rel = releasesAtStart(l.op!);
  if (rel !== undefined) bumpHandle(th, rel, l.frame, -1);
}

/** The handles the returned operation acquired. */
function afterReturn(th: SimThread, op: FrameOpName, r: OpReturn): void {
  const d = returned(op, r.result);
  if (d.shared !== undefined) bumpHandle(th, 'shared', r.frame, d.shared);
  if (d.unique !== undefined) bumpHandle(th, 'unique', r.frame, d.unique);
  th.op = undefined;
  th.frame = -1;
  th.log = NO_LOG;
}

type Outcome = Pick<StepResult, 'completed' | 'abort'>;

/** Runs the thread's operation under replay until it returns, pauses or aborts. */
function runOp(world: World, s: SimState, th: SimThread, t: number): Outcome {
  const op = th.op!;
  /** A release at the count (`releasesAtCount`) gives its handle up in the step that writes the count. */
  const release = (returned: boolean) => {
    const kind = releasedInStep(op, world.rcWord(th.frame), th.log, world.mem.log, returned);
    if (kind !== undefined) bumpHandle(th, kind, th.frame, -1);
  };
  try {
    const r = world.run(op, th.frame);
    const completed: Completed = { t, op, frame: r.frame, result: r.result, log: world.mem.log };
    release(true);
    afterReturn(th, op, r);
    return { completed, abort: undefined };
  } catch (e) {
    if (e === PAUSE) release(false);
    th.log = world.mem.log;
    if (e === PAUSE) return { completed: undefined, abort: undefined };
    if (!(e instanceof KernelAbort)) throw e;
    s.halted = true;
    return { completed: undefined, abort: { op, frame: th.frame, error: e, log: world.mem.log } };
  }
}

/** Takes transitions of one run in place; the memory's write hook is installed once per run. */
export class SimStepper {
  readonly world: World;
  readonly s: SimState;
  private midStep: Finding | undefined;
  /** The running operation's own slot (`ownSlot`), which the mid-step check skips. */
  private own = -1;

  constructor(world: World, s: SimState) {
    this.world = world;
    this.s = s;
    world.mem.onWrite = (w) => {
      if (this.midStep === undefined && w < world.allocWord && Math.floor(w / world.per) !== this.own)
        this.midStep = slotFindings(world, s.words, Math.floor(w / world.per))[0];
    };
  }

  /** Takes transition `l`. */
  step(l: Label): StepResult {
    const { world, s } = this;
    const th = s.threads[l.t]!;
    if (l.op !== undefined) start(th, l);
    const before = th.log.length;
    world.mem.begin(s.words, th.log);
    this.midStep = undefined;
    this.own = ownSlot(th.op!, th.frame);
    const out = runOp(world, s, th, l.t);
    const made = world.mem.log.length - before;
    s.streak.accesses = (s.streak.t === l.t ? s.streak.accesses : 0) + made;
    s.streak.t = l.t;
    return {
      state: asState(s),
      touched: world.mem.touched,
      completed: out.completed,
      abort: out.abort,
      midStep: this.midStep,
    };
  }
}
