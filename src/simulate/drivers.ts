/**
 * What a thread does when it is scheduled: continue its operation, or start the next one. The
 * generating driver picks operations at random from the thread's alphabet (frames it holds for the
 * operations that need a handle; a small set of recently used frames, or any frame, for the others);
 * the script driver takes them from a recorded program, skipping a step whose handle the thread does not
 * hold, as the explorer's fixed programs do. Both end by dropping whatever the thread still holds.
 */
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { Instance, ProgramStep } from '../check/instance.ts';
import { canStart as canStartOn, NEEDS, type Label } from '../check/model.ts';
import { dropOf, opDef } from '../ops/opTable.ts';
import type { Rng } from './Rng.ts';
import { holdsAny, type SimState, type SimThread } from './SimState.ts';

export interface Driver {
  /** Whether thread `t` can take a step. */
  runnable(s: SimState, t: number): boolean;
  /** The label thread `t` (runnable) takes next. */
  label(s: SimState, t: number): Label;
  /** The program index of the operation the last label started (-1: a continuation or a final drop). */
  readonly lastServed: number;
}

/** The frames `op` can start on: those where the thread holds what it needs (each frame of a span). */
function startFrames(th: SimThread, op: FrameOpName): readonly number[] {
  const need = NEEDS[op];
  const held = need === 'shared' ? th.sharedHeld : th.uniqueHeld;
  return held.filter((f) => canStartOn(th, op, f));
}

/** Whether the thread can start `op`: it needs no handle, or holds what it needs on some frame. */
function canStart(th: SimThread, op: FrameOpName): boolean {
  return NEEDS[op] === undefined || startFrames(th, op).length > 0;
}

const DROP_SHARED = dropOf('shared');
const DROP_UNIQUE = dropOf('unique');

/** The drop of a handle the thread still holds: shared ones first, lowest frame first. */
function finalDrop(th: SimThread, t: number): Label {
  if (th.sharedHeld.length > 0) return { t, op: DROP_SHARED, frame: Math.min(...th.sharedHeld) };
  return { t, op: DROP_UNIQUE, frame: Math.min(...th.uniqueHeld) };
}

const HOT = 8;

/** Picks operations at random; each thread starts at most its program's `depth` of them. */
export class GeneratingDriver implements Driver {
  lastServed = -1;
  private readonly inst: Instance;
  private readonly rng: Rng;
  private readonly hot: number[] = [];

  constructor(inst: Instance, rng: Rng) {
    this.inst = inst;
    this.rng = rng;
  }

  runnable(s: SimState, t: number): boolean {
    if (s.halted) return false;
    const th = s.threads[t]!;
    return th.op !== undefined || th.pc < this.budget(t) || holdsAny(th);
  }

  label(s: SimState, t: number): Label {
    const th = s.threads[t]!;
    this.lastServed = -1;
    if (th.op !== undefined) return { t, op: undefined, frame: th.frame };
    const l = th.pc < this.budget(t) ? this.fresh(th, t) : finalDrop(th, t);
    this.lastServed = th.started.length;
    th.started.push({ op: l.op!, frame: l.frame });
    return l;
  }

  private budget(t: number): number {
    const p = this.inst.programs[t]!;
    return p.kind === 'any' ? p.depth : p.steps.length;
  }

  private fresh(th: SimThread, t: number): Label {
    const p = this.inst.programs[t]!;
    const ops = p.kind === 'any' ? p.ops : p.steps.map((x) => x.op);
    const feasible = ops.filter((op) => canStart(th, op));
    const op = this.rng.pick(feasible);
    if (NEEDS[op] !== undefined) return { t, op, frame: this.rng.pick(startFrames(th, op)) };
    const def = opDef(op);
    if (def.target === 'allocator') return { t, op, frame: -1 };
    return { t, op, frame: this.frame(def.hotQuarters ?? 2) };
  }

  /** A recently used frame with probability `hotQuarters / 4`, any frame otherwise. */
  private frame(hotQuarters: number): number {
    const f =
      this.hot.length > 0 && this.rng.chance(hotQuarters, 4) ? this.rng.pick(this.hot) : this.rng.int(this.inst.frames);
    if (this.hot.length < HOT) this.hot.push(f);
    else this.hot[this.rng.int(HOT)] = f;
    return f;
  }
}

/** Takes each thread's operations from a script's programs. */
export class ScriptDriver implements Driver {
  lastServed = -1;
  private readonly programs: readonly (readonly ProgramStep[])[];
  private readonly cursor: number[];

  constructor(programs: readonly (readonly ProgramStep[])[]) {
    this.programs = programs;
    this.cursor = programs.map(() => 0);
  }

  runnable(s: SimState, t: number): boolean {
    if (s.halted) return false;
    const th = s.threads[t]!;
    return th.op !== undefined || this.next(th, t) !== undefined || holdsAny(th);
  }

  label(s: SimState, t: number): Label {
    const th = s.threads[t]!;
    this.lastServed = -1;
    if (th.op !== undefined) return { t, op: undefined, frame: th.frame };
    const k = this.next(th, t);
    if (k === undefined) return finalDrop(th, t);
    this.cursor[t] = k + 1;
    this.lastServed = k;
    const step = this.programs[t]![k]!;
    return { t, op: step.op, frame: step.frame };
  }

  /** The index of the thread's next step it can start (a step whose handle it lacks is skipped for good). */
  private next(th: SimThread, t: number): number | undefined {
    const prog = this.programs[t]!;
    let k = this.cursor[t]!;
    while (k < prog.length && !canStartOn(th, prog[k]!.op, prog[k]!.frame)) k++;
    this.cursor[t] = k;
    return k < prog.length ? k : undefined;
  }
}
