/**
 * The explorer's states and transitions. A state is the memory words plus each thread's local state:
 * its program position, the operation in flight and the log of what that operation's accesses
 * returned so far, and the handles it holds. A transition is one step of one thread: start an
 * operation (and run it to its second atomic access), or continue the one in flight.
 */
import { KernelAbort } from '../../impl/meta/abort.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { Instance, Program } from './instance.ts';
import { PAUSE, type Access } from './ReplayMemory.ts';
import type { OpReturn, World } from './world.ts';
import { slotFindings, type Finding } from './checks.ts';
import { dropOf, OP_NAMES, OP_TABLE, opDef, returned, type HandleKind } from '../ops/opTable.ts';

export type ThreadState = Readonly<{
  /** Acquiring operations issued (any-op programs) or the index of the next step (fixed programs). */
  pc: number;
  /** The operation in flight, or `undefined` when idle. */
  op: FrameOpName | undefined;
  frame: number;
  log: readonly Access[];
  /** Shared handles held per frame, and unique handles held per frame. */
  shared: readonly number[];
  unique: readonly number[];
}>;

export type State = Readonly<{
  words: readonly bigint[];
  threads: readonly ThreadState[];
  /** The kernel aborted: nothing runs any more. */
  halted: boolean;
  /**
   * Path information, not part of the state's identity: the thread that took the last step and how
   * many accesses it has made in its run of consecutive steps (for livelock detection).
   */
  streak: Readonly<{ t: number; accesses: number }>;
}>;

/** A transition: thread `t` starts `op` on `frame`, or (`op` undefined) continues its operation. */
export type Label = Readonly<{ t: number; op: FrameOpName | undefined; frame: number }>;

/** What one operation did when it returned: for linearization-point checks and histories. */
export type Completed = Readonly<{ t: number; op: FrameOpName; frame: number; result: string; log: readonly Access[] }>;

/** The effect of one transition. */
export type StepResult = Readonly<{
  state: State;
  /** Words the step accessed (its footprint). */
  touched: readonly number[];
  completed: Completed | undefined;
  abort: Readonly<{ op: FrameOpName; frame: number; error: KernelAbort; log: readonly Access[] }> | undefined;
  /** A slot invariant broken in the middle of the step (after some write, before the next scheduling point). */
  midStep: Finding | undefined;
}>;

/** The operations that give a handle up when they start, and which kind (from the operation table). */
export const RELEASES: Partial<Record<FrameOpName, HandleKind>> = Object.fromEntries(
  OP_NAMES.flatMap((o) => (OP_TABLE[o].releases === undefined ? [] : [[o, OP_TABLE[o].releases]])),
);
/** The operations that need a handle, and which kind. */
export const NEEDS: Partial<Record<FrameOpName, HandleKind>> = Object.fromEntries(
  OP_NAMES.flatMap((o) => (OP_TABLE[o].needs === undefined ? [] : [[o, OP_TABLE[o].needs]])),
);
/** The operations that need handles on more than one consecutive frame, and how many (the table's `span`). */
const SPANS: Partial<Record<FrameOpName, number>> = Object.fromEntries(
  OP_NAMES.flatMap((o) => {
    const span = opDef(o).span;
    return span === undefined ? [] : [[o, span]];
  }),
);
/**
 * The releases that give their handle up at their first write of the frame's count rather than when
 * they start (the table's `releasesAtCount`): their first accesses are to other words, and until the
 * count changes the handle still owns the frame.
 */
const RELEASES_AT_COUNT = new Set<FrameOpName>(OP_NAMES.filter((o) => opDef(o).releasesAtCount === true));

/** Whether `op` gives its handle up when it starts (a release whose first step is the decrement). */
export function releasesAtStart(op: FrameOpName): HandleKind | undefined {
  return RELEASES_AT_COUNT.has(op) ? undefined : RELEASES[op];
}

const writesWord = (log: readonly Access[], w: number): boolean =>
  log.some((a) => a.word === w && a.written !== undefined);

/**
 * The handle a step of `op` gives up, if any: for a release at the count (`releasesAtCount`), the step
 * that first writes the count word `rcWord` (the log went from `before` to `after`), or, when the count
 * was never written, the step it returns in.
 */
export function releasedInStep(
  op: FrameOpName,
  rcWord: number,
  before: readonly Access[],
  after: readonly Access[],
  returned: boolean,
): HandleKind | undefined {
  if (!RELEASES_AT_COUNT.has(op) || writesWord(before, rcWord)) return undefined;
  return returned || writesWord(after, rcWord) ? RELEASES[op] : undefined;
}

/** Operations that count towards an any-op program's depth (the table's `counts`). */
export const ACQUIRES = new Set<FrameOpName>(OP_NAMES.filter((o) => OP_TABLE[o].counts));

/**
 * The slot an operation on `frame` has to itself, or -1: that of a UniqueFrame the operation keeps. Every
 * other access sees UNIQUE and stops, so no one observes the slot between two of its writes
 * (`UniqueFrame::repurpose` drops, then writes, the metadata): the mid-step slot check skips it.
 */
export function ownSlot(op: FrameOpName, frame: number): number {
  return NEEDS[op] === 'unique' && RELEASES[op] === undefined ? frame : -1;
}

/** A thread state value (built explicitly: a memoized key must never be copied from another value). */
export function mkThread(
  pc: number,
  op: FrameOpName | undefined,
  frame: number,
  log: readonly Access[],
  shared: readonly number[],
  unique: readonly number[],
): ThreadState {
  return { pc, op, frame, log, shared, unique };
}

export function initialState(world: World): State {
  const F = world.inst.frames;
  const thread = mkThread(0, undefined, -1, [], new Array<number>(F).fill(0), new Array<number>(F).fill(0));
  return {
    words: world.initialWords(),
    threads: world.inst.programs.map(() => thread),
    halted: false,
    streak: { t: -1, accesses: 0 },
  };
}

function holds(th: ThreadState, kind: 'shared' | 'unique' | undefined, f: number): boolean {
  return kind === undefined || (kind === 'shared' ? th.shared[f]! > 0 : th.unique[f]! > 0);
}

/** Whether the thread holds what `op` on frame `f` needs: the handle on `f`, or on each frame of its span. */
export function canStart(th: ThreadState, op: FrameOpName, f: number): boolean {
  const span = SPANS[op] ?? 1;
  for (let k = 0; k < span; k++) if (!(f + k < th.shared.length && holds(th, NEEDS[op], f + k))) return false;
  return true;
}

const DROP_SHARED = dropOf('shared');
const DROP_UNIQUE = dropOf('unique');

/** The release every thread does at the end: drop each handle it still holds. */
function endDrops(th: ThreadState, t: number): Label[] {
  const out: Label[] = [];
  th.shared.forEach((n, f) => n > 0 && out.push({ t, op: DROP_SHARED, frame: f }));
  th.unique.forEach((n, f) => n > 0 && out.push({ t, op: DROP_UNIQUE, frame: f }));
  return out;
}

function anyOpLabels(prog: Extract<Program, { kind: 'any' }>, th: ThreadState, t: number, frames: number): Label[] {
  const out: Label[] = [];
  for (const op of prog.ops) {
    if (ACQUIRES.has(op) && th.pc >= prog.depth) continue;
    if (OP_TABLE[op].target === 'allocator') out.push({ t, op, frame: -1 });
    else for (let f = 0; f < frames; f++) if (canStart(th, op, f)) out.push({ t, op, frame: f });
  }
  if (th.pc >= prog.depth)
    for (const l of endDrops(th, t)) if (!out.some((o) => o.op === l.op && o.frame === l.frame)) out.push(l);
  return out;
}

/** The transitions thread `t` (in local state `th`) has enabled, the kernel running. */
export function threadLabels(inst: Instance, t: number, th: ThreadState): Label[] {
  if (th.op !== undefined) return [{ t, op: undefined, frame: th.frame }];
  const prog = inst.programs[t]!;
  if (prog.kind === 'any') return anyOpLabels(prog, th, t, inst.frames);
  // A fixed program skips a step whose handle the thread does not hold, then drops what it holds.
  let pc = th.pc;
  while (pc < prog.steps.length && !canStart(th, prog.steps[pc]!.op, prog.steps[pc]!.frame)) pc++;
  const step = prog.steps[pc];
  return step !== undefined ? [{ t, op: step.op, frame: step.frame }] : endDrops(th, t);
}

/** Every transition enabled in `s`. */
export function enabled(inst: Instance, s: State): Label[] {
  if (s.halted) return [];
  const out: Label[] = [];
  s.threads.forEach((th, t) => out.push(...threadLabels(inst, t, th)));
  return out;
}

/** Whether thread `t` has finished: its program done, idle, holding nothing. */
export function finished(inst: Instance, s: State): boolean {
  return enabled(inst, s).length === 0;
}

function bump(xs: readonly number[], f: number, d: number): number[] {
  const out = xs.slice();
  out[f] = out[f]! + d;
  return out;
}

/** The thread after its operation returned `r`: handles acquired by the result. */
function afterReturn(th: ThreadState, op: FrameOpName, r: OpReturn): ThreadState {
  let { shared, unique } = th;
  const d = returned(op, r.result);
  if (d.shared !== undefined) shared = bump(shared, r.frame, d.shared);
  if (d.unique !== undefined) unique = bump(unique, r.frame, d.unique);
  return mkThread(th.pc, undefined, -1, [], shared, unique);
}

/** Takes transition `l` from state `s`, running the real implementation under replay. */
export function step(world: World, inst: Instance, s: State, l: Label): StepResult {
  let th = s.threads[l.t]!;
  if (l.op !== undefined) {
    const prog = inst.programs[l.t]!;
    const pc = prog.kind === 'fixed' ? nextFixedPc(prog, th, l) : ACQUIRES.has(l.op) ? th.pc + 1 : th.pc;
    const rel = releasesAtStart(l.op);
    // A release gives the handle up when the operation starts: its first step is the decrement.
    const shared = rel === 'shared' ? bump(th.shared, l.frame, -1) : th.shared;
    const unique = rel === 'unique' ? bump(th.unique, l.frame, -1) : th.unique;
    th = mkThread(pc, l.op, l.frame, [], shared, unique);
  }
  const words = s.words.slice();
  world.mem.begin(words, th.log);
  let midStep: Finding | undefined;
  const op = th.op!;
  const own = ownSlot(op, th.frame);
  world.mem.onWrite = (w) => {
    if (midStep === undefined && w < world.allocWord && Math.floor(w / world.per) !== own)
      midStep = slotFindings(world, words, Math.floor(w / world.per))[0];
  };
  const replace = (nt: ThreadState, halted = false): State => {
    const made = world.mem.log.length - th.log.length;
    const streak = { t: l.t, accesses: (s.streak.t === l.t ? s.streak.accesses : 0) + made };
    return { words, threads: s.threads.map((x, k) => (k === l.t ? nt : x)), halted, streak };
  };
  const rcWord = world.rcWord(th.frame);
  /** The thread with the handle a release at the count gave up in this step. */
  const released = (returned: boolean): ThreadState => {
    const kind = releasedInStep(op, rcWord, th.log, world.mem.log, returned);
    if (kind === undefined) return th;
    const shared = kind === 'shared' ? bump(th.shared, th.frame, -1) : th.shared;
    const unique = kind === 'unique' ? bump(th.unique, th.frame, -1) : th.unique;
    return mkThread(th.pc, th.op, th.frame, th.log, shared, unique);
  };
  try {
    const r = world.run(op, th.frame);
    const completed: Completed = { t: l.t, op, frame: r.frame, result: r.result, log: world.mem.log.slice() };
    return {
      state: replace(afterReturn(released(true), op, r)),
      touched: world.mem.touched.slice(),
      completed,
      abort: undefined,
      midStep,
    };
  } catch (e) {
    if (e === PAUSE) {
      const nt = released(false);
      return {
        state: replace(mkThread(th.pc, th.op, th.frame, world.mem.log.slice(), nt.shared, nt.unique)),
        touched: world.mem.touched.slice(),
        completed: undefined,
        abort: undefined,
        midStep,
      };
    }
    if (e instanceof KernelAbort) {
      const abort = { op, frame: th.frame, error: e, log: world.mem.log.slice() };
      return {
        state: replace(mkThread(th.pc, th.op, th.frame, world.mem.log.slice(), th.shared, th.unique), true),
        touched: world.mem.touched.slice(),
        completed: undefined,
        abort,
        midStep,
      };
    }
    throw e;
  }
}

function nextFixedPc(prog: Extract<Program, { kind: 'fixed' }>, th: ThreadState, l: Label): number {
  for (let pc = th.pc; pc < prog.steps.length; pc++) {
    const st = prog.steps[pc]!;
    if (st.op === l.op && st.frame === l.frame) return pc + 1;
  }
  return prog.steps.length;
}
