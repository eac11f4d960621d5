/**
 * A simulation's state: the explorer's `State`, but mutated in place. The words array is the one the
 * replay memory runs on, threads are updated where they stand, and each thread keeps the frames it
 * holds as short lists, so that a step costs the same on 1,024 frames as on 2. Structurally it is a
 * `State`, so the explorer's checks read it as they read theirs.
 */
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { ProgramStep } from '../check/instance.ts';
import type { State, ThreadState } from '../check/model.ts';
import type { Access } from '../check/ReplayMemory.ts';
import type { World } from '../check/world.ts';

/** One thread: the explorer's thread state, plus the held frames as lists and the operations it started. */
export type SimThread = {
  pc: number;
  op: FrameOpName | undefined;
  frame: number;
  log: readonly Access[];
  shared: number[];
  unique: number[];
  /** Frames with a shared handle, and with a unique handle (each listed once). */
  sharedHeld: number[];
  uniqueHeld: number[];
  /** The operations this thread started, in order (its program, as a replay takes it). */
  started: ProgramStep[];
};

export type SimState = {
  words: bigint[];
  threads: SimThread[];
  halted: boolean;
  streak: { t: number; accesses: number };
};

const NO_LOG: readonly Access[] = Object.freeze([]);

/** A fresh thread over `frames` frames. */
export function simThread(frames: number): SimThread {
  return {
    pc: 0,
    op: undefined,
    frame: -1,
    log: NO_LOG,
    shared: new Array<number>(frames).fill(0),
    unique: new Array<number>(frames).fill(0),
    sharedHeld: [],
    uniqueHeld: [],
    started: [],
  };
}

/** The initial state of `world` (from a copy of `initial`, its initial words, when given). */
export function initialSimState(world: World, initial?: readonly bigint[]): SimState {
  return {
    words: initial?.slice() ?? world.initialWords(),
    threads: world.inst.programs.map(() => simThread(world.inst.frames)),
    halted: false,
    streak: { t: -1, accesses: 0 },
  };
}

/** The state as the explorer's checks take it (the same object). */
export function asState(s: SimState): State {
  return s as unknown as State;
}

/** A thread as the explorer's checks take it (the same object). */
export function asThread(th: SimThread): ThreadState {
  return th;
}

/** Whether the thread holds any handle. */
export function holdsAny(th: SimThread): boolean {
  return th.sharedHeld.length > 0 || th.uniqueHeld.length > 0;
}

/** Adds `d` to the thread's handles of `kind` on frame `f`, keeping the held lists. */
export function bumpHandle(th: SimThread, kind: 'shared' | 'unique', f: number, d: number): void {
  const counts = kind === 'shared' ? th.shared : th.unique;
  const held = kind === 'shared' ? th.sharedHeld : th.uniqueHeld;
  const was = counts[f]!;
  counts[f] = was + d;
  if (was === 0 && d > 0) held.push(f);
  else if (was + d === 0 && was > 0) held.splice(held.indexOf(f), 1);
}
