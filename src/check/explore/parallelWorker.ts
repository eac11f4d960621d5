/**
 * The level-synchronized breadth-first search as one thread runs it, whether it is the coordinating
 * thread (`parallel.ts`) or a worker thread. The calling thread runs the first levels alone; at the
 * first level of `handoff` states (once the workers have started) it keeps the states whose
 * fingerprint is 0 modulo the number of participants and posts each worker its part, as text, once.
 * From then on every participant expands only the states it holds, in chunks, and keeps the
 * successors it is first to claim in the shared fingerprint table, in its own store: states never
 * cross threads again, and no thread does work per state for another. A barrier ends each level, so
 * every level is finished before the next starts (a shortest counterexample, and the same states
 * whatever the number of workers). A table that fills is replaced by a larger one at a barrier.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Finding } from '../checks.ts';
import type { Instance } from '../instance.ts';
import type { Subject } from '../world.ts';
import { initialState, type Label } from '../model.ts';
import { decodeLabel, type Components, type Packed } from './components.ts';
import { LevelExpander, type Sink } from './LevelExpander.ts';
import { SharedFingerprints } from './SharedFingerprints.ts';
import { decodeThread, decodeWords, encodeThread, encodeWords, stateParts, stateText } from './stateCodec.ts';

/** Indices into the shared control words; `next + k` holds participant k's next-level size. */
export const CTL = {
  stop: 0,
  arrive: 1,
  gen: 2,
  decision: 3,
  grow: 4,
  go: 5,
  ready: 6,
  failed: 7,
  /** Workers that have posted their result. */
  posted: 8,
  active: 9,
  /** log2 of the most slots the table may grow to. */
  maxSlotsLog: 10,
  /** 1: grow the table between levels once it is half full (0: only when an insert finds it full). */
  growEarly: 11,
  next: 12,
} as const;
/** The number of control words for `participants` threads. */
export const ctlWords = (participants: number): number => CTL.next + participants;

/** What the last participant to reach a barrier decided for all. */
export const DECISION = { next: 0, grow: 1, stop: 2, done: 3 } as const;
type Decision = (typeof DECISION)[keyof typeof DECISION];

/** `CTL.go`: the workers' parts are posted / the search ended without them. */
export const GO = { split: 1, never: 2 } as const;

/** The states a participant expands between two polls of the limits (and redoes after a table grew). */
export const CHUNK = 256;

/** What a worker is started with. */
export type WorkerData = Readonly<{
  inst: Instance;
  ctl: SharedArrayBuffer;
  /** Per participant: transitions so far (for the progress line). */
  stats: SharedArrayBuffer;
  /** The table at the start (a worker joins with the one the split message names). */
  table: SharedArrayBuffer;
  port: MessagePort;
  bound: number;
  index: number;
}>;

/** The coordinator's messages to a worker: its part of the split level, then each grown table. */
export type ToWorker =
  | Readonly<{
      kind: 'split';
      table: SharedArrayBuffer;
      depth: number;
      states: string[];
      /** Per state: its parent's index in the coordinator's level `depth - 1`, its label, its fingerprint. */
      links: Int32Array;
    }>
  | Readonly<{ kind: 'table'; table: SharedArrayBuffer }>;

/** A violation a participant met: its finding, the labels from the split level on, and where they start. */
export type PartViolation = Readonly<{
  finding: Finding;
  /** Labels of the path's steps from level `from` on (from the root when `from` is 0). */
  labels: Label[];
  /** The level of the first state on that path, and its index among the coordinator's states of that level. */
  from: number;
  parent: number;
}>;

/** What a participant's search ends with (a worker posts it). */
export type PartResult = Readonly<{
  transitions: number;
  ampleStates: number;
  /** Seconds (wall) it waited at barriers for the other participants. */
  waitSeconds: number;
  /** The thread states its store interned (what it met; the participants' stores overlap). */
  threadStates: number;
  /** Some step touched a frame its thread's future did not name (`Components.escaped`). */
  escaped: boolean;
  violation: PartViolation | undefined;
  stopped: 'full' | 'stop' | undefined;
  error?: string;
}>;

/** The result of a worker that expanded nothing and stopped (with `error`, one that failed). */
export const NO_PART: PartResult = {
  transitions: 0,
  ampleStates: 0,
  waitSeconds: 0,
  threadStates: 0,
  escaped: false,
  violation: undefined,
  stopped: 'stop',
};

/** Rows per block of a `Level` (a level grows by blocks: nothing is copied as it grows). */
const BLOCK_SHIFT = 12;
const BLOCK_MASK = (1 << BLOCK_SHIFT) - 1;

/**
 * The states of one level held by a participant, one row each in blocks of fixed size; only the links
 * (parent, label) once expanded.
 */
export class Level {
  n = 0;
  private blocks: Int32Array[] = [];
  /** Once expanded: per row its parent and label, all that is kept. */
  private links: Int32Array | undefined;
  private readonly stride: number;
  private readonly threads: number;
  private readonly view: {
    p: { words: number; threads: Int32Array; halted: boolean };
    streak: { t: number; accesses: number };
  };

  constructor(threads: number) {
    this.threads = threads;
    this.stride = 8 + threads;
    this.view = { p: { words: 0, threads: new Int32Array(threads), halted: false }, streak: { t: -1, accesses: 0 } };
  }

  /** Field `f` of row `i`. */
  private field(i: number, f: number): number {
    return this.blocks[i >>> BLOCK_SHIFT]![(i & BLOCK_MASK) * this.stride + f]!;
  }

  /** A new row (its fields to be written), as its block and offset there. */
  private append(): { data: Int32Array; o: number } {
    const i = this.n++;
    if ((i & BLOCK_MASK) === 0) this.blocks.push(new Int32Array(this.stride << BLOCK_SHIFT));
    this.slot.data = this.blocks[i >>> BLOCK_SHIFT]!;
    this.slot.o = (i & BLOCK_MASK) * this.stride;
    return this.slot;
  }
  private readonly slot: { data: Int32Array; o: number } = { data: new Int32Array(0), o: 0 };

  push(c: Packed & { hi: number; lo: number }, streakT: number, accesses: number, parent: number, code: number): void {
    const { data, o } = this.append();
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
    const data = this.blocks[i >>> BLOCK_SHIFT]!;
    const o = (i & BLOCK_MASK) * this.stride;
    const { view } = this;
    view.p.words = data[o]!;
    view.p.halted = data[o + 1] === 1;
    view.streak.t = data[o + 2]!;
    view.streak.accesses = data[o + 3]!;
    for (let t = 0; t < this.threads; t++) view.p.threads[t] = data[o + 8 + t]!;
    return view;
  }

  parent(i: number): number {
    return this.links === undefined ? this.field(i, 4) : this.links[2 * i]!;
  }

  code(i: number): number {
    return this.links === undefined ? this.field(i, 5) : this.links[2 * i + 1]!;
  }

  /** The shard (of `count`) row `i` belongs to: by its fingerprint (as shard files record it). */
  shardOf(i: number, count: number): number {
    return ((this.field(i, 6) ^ this.field(i, 7)) >>> 0) % count;
  }

  /** The participant (of `count`) that expands row `i` after the split: by its fingerprint's high word. */
  participantOf(i: number, count: number): number {
    return (this.field(i, 6) >>> 0) % count;
  }

  /** Row `i`'s fingerprint halves. */
  hi(i: number): number {
    return this.field(i, 6);
  }

  lo(i: number): number {
    return this.field(i, 7);
  }

  /** The rows `keep` in a new level (links included). */
  select(keep: readonly number[]): Level {
    const out = new Level(this.threads);
    const { stride } = this;
    for (const i of keep) {
      const o = (i & BLOCK_MASK) * stride;
      const { data, o: to } = out.append();
      data.set(this.blocks[i >>> BLOCK_SHIFT]!.subarray(o, o + stride), to);
    }
    return out;
  }

  /** Drops the states, keeping the links (parent, label) that paths are read from. */
  retire(): void {
    const links = new Int32Array(2 * this.n);
    for (let i = 0; i < this.n; i++) {
      links[2 * i] = this.parent(i);
      links[2 * i + 1] = this.code(i);
    }
    this.links = links;
    this.blocks = [];
  }
}

/** A state's portable text (streak included), each component's text made once per id. */
export class RowCodec {
  private readonly store: Components;
  private readonly wordsText = new Map<number, string>();
  private readonly threadText = new Map<number, string>();

  constructor(store: Components) {
    this.store = store;
  }

  text(p: Packed, streak: Readonly<{ t: number; accesses: number }>): string {
    let words = this.wordsText.get(p.words);
    if (words === undefined) this.wordsText.set(p.words, (words = encodeWords(this.store.state(p).words)));
    const threads: string[] = [];
    for (let t = 0; t < p.threads.length; t++) {
      const id = p.threads[t]!;
      let th = this.threadText.get(id);
      if (th === undefined) this.threadText.set(id, (th = encodeThread(this.store.thread(id))));
      threads.push(th);
    }
    return stateText(p.halted, streak, words, threads);
  }

  /** The packed state of a text, interned in this store, with its streak. */
  static parse(store: Components, text: string): { p: Packed; streak: { t: number; accesses: number } } {
    const s = stateParts(text);
    const words = store.wordsId(decodeWords(s.words));
    const threads = s.threads.map((th, t) => store.threadId(decodeThread(th), t));
    return { p: { words, threads, halted: s.halted }, streak: s.streak };
  }
}

/** What differs between the coordinating thread and a worker while they run the same levels. */
export type Hooks = Readonly<{
  /** Before expanding level `d` (the coordinator shards or splits it there); the level to expand. */
  before: (d: number, level: Level) => Level;
  /** Between chunks (the coordinator polls the limits). */
  poll: () => void;
  /** While waiting at a barrier, every 50 ms; `true`: give up (a worker failed). */
  waiting: () => boolean;
  /** All participants paused because the table filled: replace it (coordinator) or take the new one. */
  grow: (part: Participant) => void;
}>;

/** One thread's part of the search: its store, its levels, its tallies. */
export class Participant {
  readonly expander: LevelExpander;
  readonly ctl: Int32Array;
  readonly index: number;
  /** Its levels by depth (states of levels before `from` belong to the coordinator). */
  readonly levels: Level[] = [];
  from = 0;
  transitions = 0;
  ampleStates = 0;
  /** The deepest level holding states (as all participants see it at the barriers). */
  depth = 0;
  /** Milliseconds waited at barriers. */
  waitMs = 0;
  private readonly stats: Float64Array;

  constructor(
    inst: Instance,
    table: SharedFingerprints,
    subject: Subject | undefined,
    bound: number,
    ctl: Int32Array,
    stats: Float64Array,
    index: number,
  ) {
    this.expander = new LevelExpander(inst, table, subject, bound);
    this.ctl = ctl;
    this.stats = stats;
    this.index = index;
  }

  get table(): SharedFingerprints {
    return this.expander.table;
  }

  set table(t: SharedFingerprints) {
    this.expander.table = t;
  }

  /**
   * The labels of the path to row `i` of level `d` from the first state on it this participant does
   * not hold: the root (level 0), or the coordinator's state `parent` of level `from`.
   */
  path(d: number, i: number): { labels: Label[]; from: number; parent: number } {
    const out: Label[] = [];
    let l = d;
    for (; l >= Math.max(this.from, 1); l--) {
      const lv = this.levels[l]!;
      out.push(decodeLabel(lv.code(i)));
      i = lv.parent(i);
    }
    return { labels: out.reverse(), from: l, parent: i };
  }

  /**
   * Waits until every active participant has called it; the decision the last to arrive made: the
   * next level, a table to grow, stop (a violation, a limit) or done (no participant found a state).
   */
  barrier(hooks: Hooks, decide = true): Decision {
    const { ctl } = this;
    const g = Atomics.load(ctl, CTL.gen);
    const active = Atomics.load(ctl, CTL.active);
    if (Atomics.add(ctl, CTL.arrive, 1) === active - 1) {
      Atomics.store(ctl, CTL.arrive, 0);
      if (!decide) {
        Atomics.add(ctl, CTL.gen, 1);
        Atomics.notify(ctl, CTL.gen);
        return DECISION.next;
      }
      let found = 0;
      for (let k = 0; k < active; k++) found += Atomics.load(ctl, CTL.next + k);
      const t = this.table;
      const d: Decision =
        Atomics.load(ctl, CTL.stop) !== 0
          ? DECISION.stop
          : Atomics.load(ctl, CTL.grow) !== 0
            ? DECISION.grow
            : found === 0
              ? DECISION.done
              : // Grown between levels while more than half full, so that a level rarely fills it.
                Atomics.load(ctl, CTL.growEarly) === 1 && 2 * t.size > (t.capacity * 3) / 4 && t.canGrow(maxSlots(ctl))
                ? DECISION.grow
                : DECISION.next;
      if (d === DECISION.grow) Atomics.store(ctl, CTL.grow, 0);
      Atomics.store(ctl, CTL.decision, d);
      Atomics.add(ctl, CTL.gen, 1);
      Atomics.notify(ctl, CTL.gen);
      return d;
    }
    const t0 = performance.now();
    try {
      while (Atomics.load(ctl, CTL.gen) === g) {
        Atomics.wait(ctl, CTL.gen, g, 50);
        if (Atomics.load(ctl, CTL.gen) === g && hooks.waiting()) return DECISION.stop;
      }
    } finally {
      this.waitMs += performance.now() - t0;
    }
    return decide ? (Atomics.load(ctl, CTL.decision) as Decision) : DECISION.next;
  }

  /**
   * Copies this participant's part of the table's slots into `next`, the larger table every active
   * participant copies its part into at once, and takes it once all have.
   */
  copyInto(next: SharedFingerprints, hooks: Hooks): void {
    const parts = Atomics.load(this.ctl, CTL.active);
    if (!this.table.copyPart(next, this.index, parts))
      throw new Error('impossible: a grown table filled while copying');
    this.barrier(hooks, false);
    this.table = next;
  }

  /** This participant's result. */
  result(violation: PartViolation | undefined, stopped: PartResult['stopped']): PartResult {
    const { transitions, ampleStates } = this;
    const { sizes, escaped } = this.expander.store;
    const waitSeconds = this.waitMs / 1000;
    return { transitions, ampleStates, waitSeconds, threadStates: sizes.threads, escaped, violation, stopped };
  }

  /**
   * Runs the levels from `d` on, starting with `level`, until the search is done or stopped; the
   * participant's result.
   */
  run(d: number, level: Level, hooks: Hooks): PartResult {
    const { ctl, expander } = this;
    const { threads } = expander.world.inst;
    const stop = () => Atomics.load(ctl, CTL.stop) !== 0;
    let violation: PartViolation | undefined;
    let stopped: PartResult['stopped'];
    for (let cur = level; ; d++) {
      cur = hooks.before(d, cur);
      this.levels[d] = cur;
      const next = new Level(threads);
      let base = 0;
      const sink: Sink = (c, streakT, accesses, index, code) => next.push(c, streakT, accesses, base + index, code);
      let i = 0;
      for (;;) {
        while (i < cur.n && violation === undefined && stopped === undefined && !stop()) {
          const j = Math.min(i + CHUNK, cur.n);
          base = i;
          const r = expander.expandPacked(j - i, (k) => cur.at(base + k), d, stop, sink);
          if (r.stopped === 'full' && r.violation === undefined) {
            // The chunk is redone in the larger table: what it inserted is `seen` there, so nothing twice.
            if (this.table.canGrow(maxSlots(ctl))) Atomics.store(ctl, CTL.grow, 1);
            else {
              stopped = 'full';
              Atomics.store(ctl, CTL.stop, 1);
            }
            break;
          }
          this.transitions += r.transitions;
          this.ampleStates += r.ampleStates;
          this.stats[this.index] = this.transitions;
          if (r.violation !== undefined) {
            const p = this.path(d, base + r.violation.index);
            if (r.violation.code >= 0) p.labels.push(decodeLabel(r.violation.code));
            violation = { finding: r.violation.finding, ...p };
            Atomics.store(ctl, CTL.stop, 1);
          } else if (r.stopped === 'stop') stopped = 'stop';
          else i = j;
          hooks.poll();
        }
        if (i < cur.n && violation === undefined && stopped === undefined && stop()) stopped = 'stop';
        Atomics.store(ctl, CTL.next + this.index, next.n);
        this.table.flush();
        const decision = this.barrier(hooks);
        if (decision === DECISION.grow) {
          hooks.grow(this);
          continue;
        }
        if (decision === DECISION.next) {
          this.depth = d + 1;
          break;
        }
        return this.result(violation, stopped);
      }
      cur.retire();
      cur = next;
    }
  }
}

/** The largest table the search may grow to (slots), kept in the control words' header. */
function maxSlots(ctl: Int32Array): number {
  return 2 ** Atomics.load(ctl, CTL.maxSlotsLog);
}

/**
 * Level 0 of a search by `expander`: the initial state's representative, claimed in its table; the
 * representative is the store's, valid until its next canonical form.
 */
export function rootLevel(expander: LevelExpander): { level: Level; root: Packed & { hi: number; lo: number } } {
  const { store } = expander;
  const root = store.canon(store.pack(initialState(expander.world)));
  expander.table.insert(root.hi, root.lo, 0);
  const level = new Level(expander.world.inst.threads);
  level.push(root, -1, 0, -1, 0);
  return { level, root };
}

/** The most states a worker expands on its own while it waits for its part (`warmUp`). */
const WARM_STATES = 4096;

/**
 * While it waits for its part, a worker expands the first levels of the search on its own, in a
 * table of its own that is then dropped, until the coordinator posts the parts (or ends the search),
 * the first `WARM_STATES` states are found, or the search is done: a new thread's code runs slowly
 * until the engine has compiled it, and a worker that took its part cold kept the coordinator
 * waiting at the first barrier. Nothing of it is kept but compiled code and what the store has met.
 */
function warmUp(part: Participant, ctl: Int32Array): void {
  const { expander } = part;
  const shared = expander.table;
  const own = new SharedFingerprints(WARM_STATES);
  expander.table = own;
  try {
    const { threads } = expander.world.inst;
    let cur = rootLevel(expander).level;
    const called = () => Atomics.load(ctl, CTL.go) !== 0;
    for (let d = 0; cur.n > 0 && !called(); d++) {
      const next = new Level(threads);
      const at = (i: number) => cur.at(i);
      const r = expander.expandPacked(cur.n, at, d, called, (c, t, a, i, code) => next.push(c, t, a, i, code));
      if (r.violation !== undefined || r.stopped !== undefined) return;
      cur = next;
    }
  } finally {
    expander.table = shared;
  }
}

/** The hooks of a worker: it waits at barriers, and takes each grown table from the coordinator. */
function workerHooks(ctl: Int32Array, port: MessagePort): Hooks {
  const hooks: Hooks = {
    before: (_, level) => level,
    poll: () => {},
    waiting: () => Atomics.load(ctl, CTL.failed) > 0,
    grow: (part) => {
      // The coordinator posts the larger table before it arrives at this barrier.
      if (part.barrier(hooks, false) === DECISION.stop) return;
      const m = receiveMessageOnPort(port) as { message: ToWorker } | undefined;
      if (m?.message.kind !== 'table') throw new Error('impossible: no grown table after the barrier');
      part.copyInto(new SharedFingerprints(m.message.table), hooks);
    },
  };
  return hooks;
}

/** A worker's search: its part of the split level, posted by the coordinator, and the levels after. */
function runWorker(part: Participant, data: WorkerData, ctl: Int32Array): PartResult {
  const m = receiveMessageOnPort(data.port) as { message: ToWorker } | undefined;
  if (m?.message.kind !== 'split') throw new Error('impossible: a worker started without its part');
  const { table, depth, states, links } = m.message;
  part.table = new SharedFingerprints(table);
  part.from = depth;
  const { store } = part.expander;
  const level = new Level(data.inst.threads);
  for (let i = 0; i < states.length; i++) {
    const { p, streak } = RowCodec.parse(store, states[i]!);
    const hi = links[4 * i + 2]!;
    const lo = links[4 * i + 3]!;
    level.push({ ...p, hi, lo }, streak.t, streak.accesses, links[4 * i]!, links[4 * i + 1]!);
  }
  return part.run(depth, level, workerHooks(ctl, data.port));
}

/**
 * Runs this thread's part when it was started as a worker of the parallel search. A subject is made of
 * functions, which cannot cross threads: `resolve` (given by the worker script, outside the engine)
 * builds it here from the instance, which names it. The worker builds its store, says it is ready,
 * and waits for its part (or for the end: a search can finish before it is needed).
 */
export function serveParallelWorker(resolve: (inst: Instance) => Subject | undefined): void {
  if (workerData === null || (workerData as Partial<WorkerData>).port === undefined) return;
  const data = workerData as WorkerData;
  const ctl = new Int32Array(data.ctl);
  // A thread that ends without posting (an error thrown past this function, process.exit in a
  // subject) still says so, as a failure: the coordinator waits on these words, not on events.
  let ended = false;
  process.once('exit', () => {
    if (ended) return;
    Atomics.store(ctl, CTL.stop, 1);
    Atomics.add(ctl, CTL.failed, 1);
    Atomics.add(ctl, CTL.posted, 1);
    for (const w of [CTL.ready, CTL.gen, CTL.posted]) Atomics.notify(ctl, w);
  });
  // Kernel aborts are outcomes here, thrown on many paths: their stack traces would dominate the run.
  Error.stackTraceLimit = 0;
  let result: PartResult | undefined;
  try {
    const table = new SharedFingerprints(data.table);
    const stats = new Float64Array(data.stats);
    const part = new Participant(data.inst, table, resolve(data.inst), data.bound, ctl, stats, data.index);
    Atomics.add(ctl, CTL.ready, 1);
    Atomics.notify(ctl, CTL.ready);
    warmUp(part, ctl);
    while (Atomics.load(ctl, CTL.go) === 0) Atomics.wait(ctl, CTL.go, 0);
    if (Atomics.load(ctl, CTL.go) === GO.split) result = runWorker(part, data, ctl);
  } catch (e) {
    Error.stackTraceLimit = 10;
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    result = { ...NO_PART, error };
    Atomics.store(ctl, CTL.stop, 1);
    data.port.postMessage(result);
    Atomics.add(ctl, CTL.failed, 1);
    Atomics.notify(ctl, CTL.gen);
    result = undefined;
  }
  try {
    if (result !== undefined) data.port.postMessage(result);
  } catch (e) {
    // A result that cannot cross threads: the coordinator must still hear of the end, as a failure.
    data.port.postMessage({ ...NO_PART, error: `its result could not be posted: ${String(e)}` });
    Atomics.add(ctl, CTL.failed, 1);
  } finally {
    ended = true;
    data.port.close();
    Atomics.add(ctl, CTL.posted, 1);
    Atomics.notify(ctl, CTL.posted);
    Atomics.notify(ctl, CTL.gen);
  }
}
