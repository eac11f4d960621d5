/**
 * The parallel search (`--workers N`) and the sharded one (`--shard I/N`): a level-synchronized
 * breadth-first search. Each level's states are cut into slices that worker threads expand against
 * one lock-free fingerprint table in shared memory; the next level is what they found first. A level
 * is finished before the next starts, so the first violation met is at the least depth (a shortest
 * counterexample), and the states visited do not depend on the number of workers. States cross
 * threads as text (`stateCodec.ts`); each worker interns them in its own store.
 *
 * A shard runs the same search but, at the first level with enough states to share out, keeps only
 * the states whose fingerprint is its index modulo the shard count: every state below that level is
 * reached from exactly one shard's part, so the union of the shards' visited sets is the whole space.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { initialState, type Label } from '../model.ts';
import { framesSymmetric, type Instance } from '../instance.ts';
import type { Subject } from '../world.ts';
import { decodeLabel } from './components.ts';
import { LevelExpander, type Found, type LevelResult } from './LevelExpander.ts';
import type { Limits, Progress, SearchResult, Stats } from './search.ts';
import { SharedFingerprints } from './SharedFingerprints.ts';
import { parallelWorkerScript } from './workerScriptSync.ts';

/** Indices into the shared control words: the stop flag, and the count of slices finished. */
export const CTL_STOP = 0;
export const CTL_DONE = 1;

/** A slice of a level, as sent to a worker. */
export type Slice = Readonly<{ states: readonly string[]; indices: readonly number[]; level: number }>;

/** The most fingerprints the shared table is sized for (12 bytes a slot, allocated lazily by the OS). */
export const TABLE_MAX_STATES = 3 * 2 ** 23;

/** A part of a sharded search: `index` of `count`. */
export type Shard = Readonly<{ index: number; count: number }>;

export type ParallelOptions = Readonly<{
  workers: number;
  limits: Limits;
  onProgress?: (p: Progress & { workers: number }) => void;
  subject?: Subject;
  shard?: Shard;
  opAccessBound?: number;
}>;

/** The outcome, the table of visited fingerprints, and the level at which a shard took its part. */
export type ParallelResult = Readonly<{ result: SearchResult; table: SharedFingerprints; shardLevel: number }>;

type Level = { states: string[]; parent: Int32Array; code: Int32Array; hi: Uint32Array; lo: Uint32Array };

/** The states a level needs for a shard to take its part there: enough that the parts are even. */
const SHARD_SPREAD = 64;

/** Explores `inst` level by level with `opts.workers` threads (1: on this thread). */
export function exploreParallel(inst: Instance, opts: ParallelOptions): ParallelResult {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const pool = opts.workers > 1 ? new Pool(inst, opts) : undefined;
  try {
    return new Levels(inst, opts, pool).run();
  } finally {
    pool?.close();
    Error.stackTraceLimit = limit;
  }
}

class Pool {
  readonly ctl = new Int32Array(new SharedArrayBuffer(8));
  readonly table: SharedFingerprints;
  readonly workers: Worker[] = [];
  readonly ports: MessagePort[] = [];

  constructor(inst: Instance, opts: ParallelOptions) {
    this.table = new SharedFingerprints(Math.min(opts.limits.maxStates, TABLE_MAX_STATES));
    const file = parallelWorkerScript();
    for (let k = 0; k < opts.workers; k++) {
      const { port1, port2 } = new MessageChannel();
      const workerData = {
        inst,
        table: this.table.buffer,
        ctl: this.ctl.buffer,
        port: port2,
        bound: opts.opAccessBound ?? 256,
      };
      this.workers.push(new Worker(file, { workerData, transferList: [port2] }));
      this.ports.push(port1);
    }
  }

  close(): void {
    for (const p of this.ports) {
      p.postMessage('exit');
      p.close();
    }
    for (const w of this.workers) void w.terminate();
  }
}

class Levels {
  private readonly inst: Instance;
  private readonly opts: ParallelOptions;
  private readonly pool: Pool | undefined;
  private readonly table: SharedFingerprints;
  private readonly local: LevelExpander;
  private readonly levels: Level[] = [];
  private readonly t0 = performance.now();
  private lastProgress = this.t0;
  private transitions = 0;
  private ampleStates = 0;
  private shardLevel = -1;
  private stopReason: string | undefined;

  constructor(inst: Instance, opts: ParallelOptions, pool: Pool | undefined) {
    this.inst = inst;
    this.opts = opts;
    this.pool = pool;
    this.table = pool?.table ?? new SharedFingerprints(Math.min(opts.limits.maxStates, TABLE_MAX_STATES));
    this.local = new LevelExpander(inst, this.table, opts.subject, opts.opAccessBound);
  }

  run(): ParallelResult {
    const done = (result: SearchResult): ParallelResult => ({ result, table: this.table, shardLevel: this.shardLevel });
    const root = this.local.root(initialState(this.local.world));
    this.table.insert(root.hi, root.lo, 0);
    const one = (x: number) => Uint32Array.of(x);
    this.levels.push({
      states: [root.state],
      parent: Int32Array.of(-1),
      code: Int32Array.of(0),
      hi: one(root.hi),
      lo: one(root.lo),
    });
    if (root.finding !== undefined)
      return done({ verdict: 'violation', violation: { finding: root.finding, labels: [] }, ...this.stats(0) });
    for (let d = 0; ; d++) {
      let cur = this.levels[d]!;
      if (
        this.opts.shard !== undefined &&
        this.shardLevel < 0 &&
        (cur.states.length >= SHARD_SPREAD * this.opts.shard.count || d >= 64)
      ) {
        this.shardLevel = d;
        cur = this.levels[d] = part(cur, this.opts.shard);
      }
      if (cur.states.length === 0) return done({ verdict: 'ok', ...this.stats(0) });
      const why = this.limitReached();
      if (why !== undefined) return done({ verdict: 'incomplete', reason: why, ...this.stats(cur.states.length) });
      const results = this.pool === undefined ? this.expandHere(cur, d) : this.expandOnPool(cur, d, this.pool);
      const next: Found = { states: [], links: [] };
      let bad: NonNullable<LevelResult['violation']> | undefined;
      let stopped: LevelResult['stopped'];
      for (const r of results) {
        this.transitions += r.transitions;
        this.ampleStates += r.ampleStates;
        stopped ??= r.stopped;
        if (r.violation !== undefined && (bad === undefined || r.violation.index < bad.index)) bad = r.violation;
        for (const x of r.found.states) next.states.push(x);
        for (const x of r.found.links) next.links.push(x);
      }
      if (bad !== undefined) {
        const labels = this.pathTo(d, bad.index);
        if (bad.code >= 0) labels.push(decodeLabel(bad.code));
        return done({
          verdict: 'violation',
          violation: { finding: bad.finding, labels },
          ...this.stats(cur.states.length),
        });
      }
      if (stopped !== undefined) {
        const reason = stopped === 'full' ? this.fullReason() : (this.stopReason ?? 'interrupted');
        return done({ verdict: 'incomplete', reason, ...this.stats(cur.states.length) });
      }
      this.levels.push(level(next));
      // Only the links are kept of a level once expanded.
      cur.states = [];
    }
  }

  private fullReason(): string {
    return this.opts.limits.maxStates <= TABLE_MAX_STATES
      ? `--max-states ${this.opts.limits.maxStates} reached`
      : `the shared fingerprint table (${TABLE_MAX_STATES} states) is full`;
  }

  /** Why the search must stop now (a limit or Ctrl-C), or `undefined`; prints progress every 2 s. */
  private limitReached(): string | undefined {
    const { limits } = this.opts;
    const now = performance.now();
    if (this.table.size >= limits.maxStates) return `--max-states ${limits.maxStates} reached`;
    if (now - this.t0 > limits.timeLimitMs) return '--time-limit reached';
    if (limits.interrupted?.() === true) return 'interrupted';
    if (now - this.lastProgress > 2000) {
      this.lastProgress = now;
      const s = this.stats(0);
      if (s.memoryBytes > limits.maxMemoryBytes) return '--max-memory reached';
      this.opts.onProgress?.({ ...s, workers: this.opts.workers });
    }
    return undefined;
  }

  private expandHere(cur: Level, d: number): LevelResult[] {
    const out: LevelResult[] = [];
    const chunk = 256;
    for (let base = 0; base < cur.states.length; base += chunk) {
      const states = cur.states.slice(base, base + chunk);
      const r = this.local.expand(
        states,
        Array.from(states, (_, i) => base + i),
        d,
        () => false,
      );
      out.push(r);
      if (r.violation !== undefined || r.stopped !== undefined) break;
      const why = this.limitReached();
      if (why !== undefined) {
        this.stopReason = why;
        out.push({
          found: { states: [], links: [] },
          transitions: 0,
          ampleStates: 0,
          violation: undefined,
          stopped: 'stop',
        });
        break;
      }
    }
    return out;
  }

  /**
   * Hands the level out in slices, a new one to each worker that finishes, until all are done. A
   * state goes by preference to the worker its words hash to: a worker's store then meets the same
   * words again and runs each step through the implementation once (an idle worker takes from others).
   */
  private expandOnPool(cur: Level, d: number, pool: Pool): LevelResult[] {
    const W = pool.workers.length;
    const n = cur.states.length;
    const chunk = Math.max(16, Math.min(1024, Math.ceil(n / (8 * W))));
    const buckets = Array.from({ length: W }, () => [] as number[]);
    for (let i = 0; i < n; i++) buckets[wordsHash(cur.states[i]!) % W]!.push(i);
    const results: LevelResult[] = [];
    const busy = new Array<boolean>(W).fill(false);
    let violation = false;
    const give = (k: number) => {
      if (violation || Atomics.load(pool.ctl, CTL_STOP) !== 0) return;
      const from = buckets[k]!.length > 0 ? buckets[k]! : buckets.reduce((a, b) => (b.length > a.length ? b : a));
      if (from.length === 0) return;
      const indices = from.splice(Math.max(0, from.length - chunk));
      pool.ports[k]!.postMessage({ states: indices.map((i) => cur.states[i]!), indices, level: d } satisfies Slice);
      busy[k] = true;
    };
    for (let k = 0; k < W; k++) give(k);
    while (busy.some((b) => b)) {
      const seen = Atomics.load(pool.ctl, CTL_DONE);
      let got = false;
      for (let k = 0; k < W; k++) {
        if (!busy[k]) continue;
        const m = receiveMessageOnPort(pool.ports[k]!) as { message: LevelResult } | undefined;
        if (m === undefined) continue;
        got = true;
        busy[k] = false;
        results.push(m.message);
        violation ||= m.message.violation !== undefined;
        give(k);
      }
      if (got) continue;
      Atomics.wait(pool.ctl, CTL_DONE, seen, 200);
      const why = this.limitReached();
      if (why !== undefined && this.stopReason === undefined) {
        this.stopReason = why;
        Atomics.store(pool.ctl, CTL_STOP, 1);
      }
    }
    if (this.stopReason !== undefined)
      results.push({
        found: { states: [], links: [] },
        transitions: 0,
        ampleStates: 0,
        violation: undefined,
        stopped: 'stop',
      });
    return results;
  }

  private pathTo(d: number, index: number): Label[] {
    const out: Label[] = [];
    for (let l = d, i = index; l > 0; l--) {
      const lv = this.levels[l]!;
      out.push(decodeLabel(lv.code[i]!));
      i = lv.parent[i]!;
    }
    return out.reverse();
  }

  private stats(queue: number): Stats {
    const seconds = (performance.now() - this.t0) / 1000;
    const states = this.table.size;
    return {
      states,
      transitions: this.transitions,
      queue,
      depth: this.levels.findLastIndex((l) => l.parent.length > 0),
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(states / seconds) : states,
      // The table's pages in use (its reserved size is mostly untouched).
      memoryBytes: process.memoryUsage().heapUsed + Math.min(this.table.bytes, states * 16),
      reductions: {
        symmetry: this.inst.symmetry,
        frameSymmetry: this.inst.symmetry && this.inst.frames > 1 && framesSymmetric(this.inst),
        por: this.inst.por,
        sleepPruned: 0,
        ampleStates: this.ampleStates,
        hashCompaction: '64-bit',
      },
    };
  }
}

function level(found: Found): Level {
  const n = found.states.length;
  const lv = {
    states: found.states,
    parent: new Int32Array(n),
    code: new Int32Array(n),
    hi: new Uint32Array(n),
    lo: new Uint32Array(n),
  };
  const ls = found.links;
  for (let i = 0; i < n; i++) {
    lv.parent[i] = ls[4 * i]!;
    lv.code[i] = ls[4 * i + 1]!;
    lv.hi[i] = ls[4 * i + 2]!;
    lv.lo[i] = ls[4 * i + 3]!;
  }
  return lv;
}

/** The states of `lv` that belong to `shard` (by fingerprint), keeping their links. */
function part(lv: Level, shard: Shard): Level {
  const keep: number[] = [];
  for (let i = 0; i < lv.states.length; i++)
    if (((lv.lo[i]! ^ lv.hi[i]!) >>> 0) % shard.count === shard.index) keep.push(i);
  return {
    states: keep.map((i) => lv.states[i]!),
    parent: Int32Array.from(keep, (i) => lv.parent[i]!),
    code: Int32Array.from(keep, (i) => lv.code[i]!),
    hi: Uint32Array.from(keep, (i) => lv.hi[i]!),
    lo: Uint32Array.from(keep, (i) => lv.lo[i]!),
  };
}

/** A hash of the words part of a state's text (see stateCodec.ts: it runs from the first `|` to the second). */
function wordsHash(text: string): number {
  let h = 0x811c9dc5;
  for (let k = text.indexOf('|') + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 124) break;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}
