/**
 * A thread of the parallel search (`--workers N`). Every worker first runs the level-synchronized
 * search alone, with a table of its own, until a level holds `handoff` states; all workers compute
 * these first levels alike. Then each copies its table into the shared one and keeps the states of
 * that level whose fingerprint is its index modulo the worker count. From there on a worker expands
 * only the states it holds and keeps the successors it is first to claim in the shared table: states
 * never cross threads, and each worker's own store runs each of its steps once. A barrier ends each
 * level, so every level is finished before the next starts (a shortest counterexample, and the same
 * states whatever the number of workers). The worker posts one `WorkerResult` when the search ends.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Finding } from '../checks.ts';
import type { Instance } from '../instance.ts';
import type { Subject } from '../world.ts';
import { initialState, type Label } from '../model.ts';
import { decodeLabel, type Packed } from './components.ts';
import { LevelExpander, type Sink } from './LevelExpander.ts';
import { SharedFingerprints } from './SharedFingerprints.ts';

/** Indices into the shared control words. */
export const CTL = { stop: 0, arrive: 1, gen: 2, size: 3, go: 4, finished: 5, stopAtBarrier: 6 } as const;
/** The number of control words. */
export const CTL_WORDS = 7;

/** What a worker is started with. */
export type WorkerData = Readonly<{
  inst: Instance;
  table: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  port: MessagePort;
  bound: number;
  index: number;
  workers: number;
  /** The level size at which the workers split the search. */
  handoff: number;
  /** The capacity of a worker's own table for the first levels. */
  capacity: number;
}>;

/** What a worker posts when the search ends. */
export type WorkerResult = Readonly<{
  /** The search ended before the split: this worker's result is every worker's. */
  alone: boolean;
  /** States in this worker's own table (all the search visited, when `alone`). */
  ownStates: number;
  /** Transitions and persistent-set states before the split and after it. */
  before: Readonly<{ transitions: number; ampleStates: number }>;
  after: Readonly<{ transitions: number; ampleStates: number }>;
  depth: number;
  violation: Readonly<{ finding: Finding; labels: Label[] }> | undefined;
  stopped: 'full' | 'stop' | undefined;
}>;

/** The states of one level kept by a worker, one row of a flat array each. */
class Level {
  n = 0;
  data: Int32Array;
  private readonly stride: number;
  private readonly threads: number;
  private readonly view: {
    p: { words: number; threads: Int32Array; halted: boolean };
    streak: { t: number; accesses: number };
  };

  constructor(threads: number) {
    this.threads = threads;
    this.stride = 8 + threads;
    this.data = new Int32Array(this.stride * 64);
    this.view = { p: { words: 0, threads: new Int32Array(threads), halted: false }, streak: { t: -1, accesses: 0 } };
  }

  push(c: Packed & { hi: number; lo: number }, streakT: number, accesses: number, parent: number, code: number): void {
    if ((this.n + 1) * this.stride > this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const o = this.n++ * this.stride;
    const { data } = this;
    data[o] = c.words;
    data[o + 1] = c.halted ? 1 : 0;
    data[o + 2] = streakT;
    data[o + 3] = accesses;
    data[o + 4] = parent;
    data[o + 5] = code;
    data[o + 6] = c.hi;
    data[o + 7] = c.lo;
    for (let t = 0; t < this.threads; t++) data[o + 8 + t] = c.threads[t]!;
  }

  /** Row `i` as a packed state and its streak (a view, overwritten by the next call). */
  at(i: number): Level['view'] {
    const o = i * this.stride;
    const { data, view } = this;
    view.p.words = data[o]!;
    view.p.halted = data[o + 1] === 1;
    view.streak.t = data[o + 2]!;
    view.streak.accesses = data[o + 3]!;
    view.p.threads.set(data.subarray(o + 8, o + 8 + this.threads));
    return view;
  }

  parent(i: number): number {
    return this.data[i * this.stride + 4]!;
  }

  code(i: number): number {
    return this.data[i * this.stride + 5]!;
  }

  /** The rows whose fingerprint is `index` modulo `count`, in a new level. */
  part(index: number, count: number): Level {
    const out = new Level(this.threads);
    for (let i = 0; i < this.n; i++) {
      const o = i * this.stride;
      if (((this.data[o + 6]! ^ this.data[o + 7]!) >>> 0) % count !== index) continue;
      out.n++;
      if (out.n * this.stride > out.data.length) {
        const d = new Int32Array(out.data.length * 2);
        d.set(out.data);
        out.data = d;
      }
      out.data.set(this.data.subarray(o, o + this.stride), (out.n - 1) * this.stride);
    }
    return out;
  }
}

/** Runs worker `data.index`'s part of the search; the result it posts. */
export function runWorker(data: WorkerData, subject: Subject | undefined): WorkerResult {
  const ctl = new Int32Array(data.ctl);
  const shared = new SharedFingerprints(data.table);
  const own = new SharedFingerprints(data.capacity);
  const expander = new LevelExpander(data.inst, own, subject, data.bound);
  const { store } = expander;
  const levels: Level[] = [];
  const before = { transitions: 0, ampleStates: 0 };
  const after = { transitions: 0, ampleStates: 0 };
  let alone = true;
  const stop = () => Atomics.load(ctl, CTL.stop) !== 0;
  const result = (
    violation: WorkerResult['violation'],
    stopped: WorkerResult['stopped'] = undefined,
  ): WorkerResult => ({
    alone,
    ownStates: own.size,
    before,
    after,
    depth: levels.findLastIndex((l) => l.n > 0),
    violation,
    stopped,
  });
  const pathTo = (d: number, index: number): Label[] => {
    const out: Label[] = [];
    for (let l = d, i = index; l > 0; l--) {
      out.push(decodeLabel(levels[l]!.code(i)));
      i = levels[l]!.parent(i);
    }
    return out.reverse();
  };
  /**
   * Waits until every worker has called it; the shared table's size then, or -1 when the search is
   * to stop (as the last to arrive saw it, so that all workers decide alike, or a worker has ended
   * before the split).
   */
  const barrier = (): number => {
    const g = Atomics.load(ctl, CTL.gen);
    if (Atomics.add(ctl, CTL.arrive, 1) === data.workers - 1) {
      Atomics.store(ctl, CTL.arrive, 0);
      Atomics.store(ctl, CTL.size, shared.size);
      Atomics.store(ctl, CTL.stopAtBarrier, Atomics.load(ctl, CTL.stop));
      Atomics.add(ctl, CTL.gen, 1);
      Atomics.notify(ctl, CTL.gen);
    } else
      while (Atomics.load(ctl, CTL.gen) === g) {
        Atomics.wait(ctl, CTL.gen, g, 50);
        if (Atomics.load(ctl, CTL.gen) === g && Atomics.load(ctl, CTL.finished) > 0) return -1;
      }
    return Atomics.load(ctl, CTL.stopAtBarrier) !== 0 ? -1 : Atomics.load(ctl, CTL.size);
  };

  const root = store.canon(store.pack(initialState(expander.world)));
  own.insert(root.hi, root.lo, 0);
  const first = new Level(data.inst.threads);
  first.push(root, -1, 0, -1, 0);
  levels.push(first);
  const bad = store.firstFinding(root);
  if (bad !== undefined) return result({ finding: bad, labels: [] });
  let size = 0;
  for (let d = 0; ; d++) {
    const cur = levels[d]!;
    const next = new Level(data.inst.threads);
    const sink: Sink = (c, streakT, accesses, index, code) => next.push(c, streakT, accesses, index, code);
    const r = expander.expandPacked(cur.n, (i) => cur.at(i), d, stop, sink);
    const tally = alone ? before : after;
    tally.transitions += r.transitions;
    tally.ampleStates += r.ampleStates;
    if (r.violation !== undefined) {
      const labels = pathTo(d, r.violation.index);
      if (r.violation.code >= 0) labels.push(decodeLabel(r.violation.code));
      Atomics.store(ctl, CTL.stop, 1);
      if (!alone) barrier();
      return result({ finding: r.violation.finding, labels });
    }
    if (r.stopped !== undefined) {
      if (r.stopped === 'full') Atomics.store(ctl, CTL.stop, 1);
      if (!alone) barrier();
      return result(undefined, r.stopped);
    }
    levels.push(next);
    if (alone) {
      if (next.n === 0) return result(undefined);
      if (next.n < data.handoff) continue;
      // The split: the first levels into the shared table, and this worker's part of the last one.
      alone = false;
      if (!own.copyInto(shared)) Atomics.store(ctl, CTL.stop, 1);
      expander.table = shared;
      levels[d + 1] = next.part(data.index, data.workers);
      size = barrier();
      if (size < 0) return result(undefined, 'stop');
      continue;
    }
    const now = barrier();
    if (now < 0) return result(undefined, 'stop');
    if (now === size) return result(undefined);
    size = now;
  }
}

/**
 * Runs this thread's part when it was started as a worker of the parallel search. A subject is made of
 * functions, which cannot cross threads: `resolve` (given by the worker script, outside the engine)
 * builds it here from the instance, which names it.
 */
export function serveParallelWorker(resolve: (inst: Instance) => Subject | undefined): void {
  if (workerData === null || (workerData as Partial<WorkerData>).port === undefined) return;
  const data = workerData as WorkerData;
  const ctl = new Int32Array(data.ctl);
  // Kernel aborts are outcomes here, thrown on many paths: their stack traces would dominate the run.
  Error.stackTraceLimit = 0;
  while (Atomics.load(ctl, CTL.go) === 0) Atomics.wait(ctl, CTL.go, 0);
  const r = Atomics.load(ctl, CTL.stop) !== 0 ? undefined : runWorker(data, resolve(data.inst));
  if (r !== undefined) data.port.postMessage(r);
  data.port.close();
  Atomics.add(ctl, CTL.finished, 1);
  Atomics.notify(ctl, CTL.finished);
}
