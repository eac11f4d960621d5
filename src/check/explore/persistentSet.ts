import type { Components, Move } from './components.ts';
import type { Instance } from '../instance.ts';
import { OP_TABLE } from '../../ops/opTable.ts';

/**
 * Whether the state graph of `inst` (and its quotient by symmetry) has no cycle, so the cycle proviso
 * has nothing to do: every operation a program can start either counts towards the depth (the
 * program's position grows when it starts; a fixed program's always does) or gives a handle up. On a
 * cycle the sum of the positions would stay the same, so no counting operation would start, and none
 * in flight could return (it would have to start again); the handles held would then only go down,
 * so no release would start either; and every other step adds an access to its operation's log, which
 * only a return empties. Only an operation like `segment_split` (it neither counts nor releases) can
 * close a cycle.
 */
export function acyclic(inst: Instance): boolean {
  return inst.programs.every(
    (p) => p.kind === 'fixed' || p.ops.every((op) => OP_TABLE[op].counts || OP_TABLE[op].releases !== undefined),
  );
}

/**
 * Persistent (stubborn) sets of single steps, with the BFS cycle proviso as SPIN applies it. One per
 * search (or per expander), reused from state to state: `choose` picks the steps of a state to expand,
 * `has(k)` says whether the `k`-th is one of them.
 *
 * The steps of a state are `moves`, grouped per thread (`starts[t]..starts[t + 1]`). A step's footprint
 * is the frames (and the allocator) it touches from this state's words (`Move.mask`); what its thread
 * may touch after it is `Components.future` of the thread state it leads to. A set T of steps is kept
 * when:
 * - it holds every step of one thread (the key thread: nothing but an abort can disable its steps);
 * - every step outside T may touch, itself and from the thread state it leads to on, no frame a step in
 *   T touches (the steps in T are compared by their *next* step only, the others by their whole future);
 * - no step in T stops the kernel (an abort commutes with nothing; one outside T is only its own
 *   footprint: nothing runs after it).
 * A thread's enabled labels depend on its local state only, so a path from here that takes no step of
 * T runs only steps outside T and what their threads do after them: all on words no step of T touches,
 * so each step of T still does what it does here (it reads the same words) and commutes with them. A
 * thread with some of its steps in T leaves the others' state when it takes one outside (never to come
 * back: its local state has moved on). The invariants are per frame (a slot's words, the handles and
 * windows on it), so a step of T, which touches frames the path does not, never hides a broken frame
 * the path reaches; an abort on the path is the same abort after T's step.
 *
 * T is built as a stubborn set: from the key thread's steps, add every step whose future meets the
 * frames T's steps touch, to a fixpoint. Of the candidates (one per key thread) the one with fewest
 * steps whose successors are all new is taken (the cycle proviso: a step of T leading to a state
 * `seenBefore` says was reached refuses T); without one, every step. Where the state graph has no
 * cycle (`acyclic`) the proviso is not needed (a path of reduced expansions cannot go on for ever).
 */
export class PersistentSet {
  private readonly store: Components;
  /** Scratch of one slot per thread. */
  private readonly kid: Int32Array;
  /** Per step: in the chosen set; in the candidate being built. */
  private pick = new Uint8Array(64);
  private mark = new Uint8Array(64);
  /** Per step: its footprint, and that with its thread's future after it (-1: it stops the kernel or threw). */
  private next = new Int32Array(64);
  private after = new Int32Array(64);
  private full = true;
  /** Whether the cycle proviso is skipped: the state graph has no cycle (`acyclic`). */
  private readonly noCycles: boolean;

  /** `proviso: 'always'` applies the cycle proviso even where the state graph has no cycle. */
  constructor(store: Components, threads: number, proviso: 'always' | 'where-cycles' = 'where-cycles') {
    this.store = store;
    this.kid = new Int32Array(threads);
    this.noCycles = proviso === 'where-cycles' && acyclic(store.inst);
  }

  /** Whether the `k`-th step of the state last given to `choose` is to be expanded. */
  has(k: number): boolean {
    return this.full || this.pick[k] === 1;
  }

  /** Chooses the steps to expand of the state whose thread states are `threads`; whether some are left out. */
  choose(
    threads: ArrayLike<number>,
    moves: readonly Move[],
    starts: readonly number[],
    count: number,
    seenBefore: (hi: number, lo: number) => boolean,
  ): boolean {
    this.full = true;
    const n = threads.length;
    let enabled = 0;
    for (let t = 0; t < n; t++) if (starts[t + 1]! > starts[t]!) enabled |= 1 << t;
    if ((enabled & (enabled - 1)) === 0) return false;
    if (this.pick.length < count) {
      this.pick = new Uint8Array(2 * count);
      this.mark = new Uint8Array(2 * count);
      this.next = new Int32Array(2 * count);
      this.after = new Int32Array(2 * count);
    }
    const { pick, mark, next, after, store } = this;
    for (let k = 0; k < count; k++) {
      const m = moves[k]!;
      // An abort stops everything after it: outside T it is only its own footprint.
      next[k] = m.abort || m.crashed ? -1 : m.mask;
      after[k] = m.crashed ? -1 : m.abort ? m.mask : m.mask | store.future(m.thread);
    }
    pick.fill(0, 0, count);
    let bestSteps = count;
    for (let t = 0; t < n; t++) {
      if (((enabled >>> t) & 1) === 0) continue;
      mark.fill(0, 0, count);
      const steps = this.candidate(starts[t]!, starts[t + 1]!, count);
      if (steps > 0 && steps < bestSteps && this.fresh(threads, moves, starts, seenBefore)) {
        bestSteps = steps;
        pick.set(mark.subarray(0, count));
        this.full = false;
      }
    }
    return !this.full;
  }

  /**
   * Marks (`mark`) the least set holding steps `lo..hi` closed under "a step outside may touch a frame a step
   * inside touches"; its size, or 0 when it holds a step that stops the kernel or every step.
   */
  private candidate(lo: number, hi: number, count: number): number {
    const { mark, next, after } = this;
    let touched = 0;
    let steps = 0;
    for (let k = lo; k < hi; k++) {
      if (next[k] === -1) return 0;
      mark[k] = 1;
      touched |= next[k]!;
      steps++;
    }
    for (let grew = true; grew;) {
      grew = false;
      for (let k = 0; k < count; k++) {
        if (mark[k] === 1 || (after[k]! & touched) === 0) continue;
        if (next[k] === -1) return 0;
        mark[k] = 1;
        touched |= next[k]!;
        steps++;
        grew = true;
      }
    }
    return steps === count ? 0 : steps;
  }

  /** Whether no step of the candidate leads to a state seen before (the cycle proviso). */
  private fresh(
    threads: ArrayLike<number>,
    moves: readonly Move[],
    starts: readonly number[],
    seenBefore: (hi: number, lo: number) => boolean,
  ): boolean {
    if (this.noCycles) return true;
    const { kid, mark, store } = this;
    for (let t = 0; t < threads.length; t++) {
      for (let k = starts[t]!; k < starts[t + 1]!; k++) {
        if (mark[k] === 0) continue;
        const m = moves[k]!;
        for (let u = 0; u < threads.length; u++) kid[u] = threads[u]!;
        kid[t] = m.thread;
        store.canonInto(m.words, kid, m.halted);
        if (seenBefore(store.rep.hi, store.rep.lo)) return false;
      }
    }
    return true;
  }
}
