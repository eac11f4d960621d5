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
import { explore, type Limits, type Progress, type SearchResult, type Stats } from './search.ts';
import { CTL, CTL_WORDS, type WorkerData, type WorkerResult } from './parallelWorker.ts';
import { SharedFingerprints } from './SharedFingerprints.ts';
import { parallelWorkerScript } from './workerScriptSync.ts';

/** The most fingerprints the shared table is sized for (12 bytes a slot, allocated lazily by the OS). */
export const TABLE_MAX_STATES = 3 * 2 ** 23;

/** A part of a sharded search: `index` of `count`. */
export type Shard = Readonly<{ index: number; count: number }>;

export type ParallelOptions = Readonly<{
  workers: number;
  limits: Limits;
  onProgress?: (p: Progress & { workers: number }) => void;
  subject?: Subject;
  /**
   * The script a worker thread runs (it calls `serveParallelWorker` with a resolver that rebuilds
   * `subject` from the instance); default: framecheck's own implementation. Without it a search
   * with a subject runs on this thread.
   */
  workerScript?: () => string;
  shard?: Shard;
  opAccessBound?: number;
  /** The states the one-thread explorer tries before the workers take over (default `PROBE_STATES`; 0: none). */
  probeStates?: number;
  /** The level size at which the workers split the search (default `HANDOFF`). */
  handoff?: number;
}>;

/** The outcome, the table of visited fingerprints, and the level at which a shard took its part. */
export type ParallelResult = Readonly<{ result: SearchResult; table: SharedFingerprints; shardLevel: number }>;

type Level = { states: string[]; parent: Int32Array; code: Int32Array; hi: Uint32Array; lo: Uint32Array };

/** The states a level needs for a shard to take its part there: enough that the parts are even. */
const SHARD_SPREAD = 64;

/**
 * Explores `inst` level by level. With `opts.workers` above 1 (and no shard) the workers of
 * `parallelWorker.ts` split the search; a search that ends within `PROBE_STATES` states is run by the
 * one-thread explorer instead (while the workers start), so small instances print what `--workers 1`
 * prints. A shard, or a search of a subject other than framecheck's implementation, runs on this thread.
 */
export function exploreParallel(inst: Instance, opts: ParallelOptions): ParallelResult {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // A subject (a mutant, a third party's code) is made of functions, which cannot cross to a worker:
    // only a worker script that rebuilds it by name can run it there.
    const workersCan = opts.subject === undefined || opts.workerScript !== undefined;
    if (opts.workers > 1 && opts.shard === undefined && workersCan) return new Pool(inst, opts).run();
    return new Levels(inst, opts).run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The states the one-thread explorer tries first, before the workers take over. */
export const PROBE_STATES = 20_000;
/** The level size at which the workers split the search. */
const HANDOFF = 1024;

/** The worker threads of one search, and the coordinator's loop (limits, progress, the outcome). */
class Pool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS));
  private readonly table: SharedFingerprints;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly inst: Instance;
  private readonly opts: ParallelOptions;
  private readonly t0 = performance.now();

  constructor(inst: Instance, opts: ParallelOptions) {
    this.inst = inst;
    this.opts = opts;
    const capacity = Math.min(opts.limits.maxStates, TABLE_MAX_STATES);
    this.table = new SharedFingerprints(capacity);
    const file = (opts.workerScript ?? parallelWorkerScript)();
    for (let index = 0; index < opts.workers; index++) {
      const { port1, port2 } = new MessageChannel();
      const workerData: WorkerData = {
        inst,
        table: this.table.buffer,
        ctl: this.ctl.buffer,
        port: port2,
        bound: opts.opAccessBound ?? 256,
        index,
        workers: opts.workers,
        handoff: opts.handoff ?? HANDOFF,
        capacity,
      };
      this.workers.push(new Worker(file, { workerData, transferList: [port2] }));
      this.ports.push(port1);
    }
  }

  run(): ParallelResult {
    const done = (result: SearchResult): ParallelResult => ({ result, table: this.table, shardLevel: -1 });
    const probeStates = this.opts.probeStates ?? PROBE_STATES;
    try {
      if (probeStates > 0) {
        const { limits, opAccessBound } = this.opts;
        const probe = explore(this.inst, {
          limits: { ...limits, maxStates: Math.min(limits.maxStates, probeStates) },
          ...(this.opts.subject !== undefined && { subject: this.opts.subject }),
          ...(opAccessBound !== undefined && { opAccessBound }),
        });
        const more = probe.verdict === 'incomplete' && probe.reason.startsWith('--max-states');
        if (!more || limits.maxStates <= probeStates) return done(probe);
      }
      return done(this.search());
    } finally {
      Atomics.store(this.ctl, CTL.stop, 1);
      Atomics.store(this.ctl, CTL.go, 1);
      Atomics.notify(this.ctl, CTL.go);
      for (const p of this.ports) p.close();
      for (const w of this.workers) void w.terminate();
    }
  }

  /** Lets the workers go and waits for their results, stopping them at a limit. */
  private search(): SearchResult {
    const { ctl } = this;
    const W = this.workers.length;
    Atomics.store(ctl, CTL.go, 1);
    Atomics.notify(ctl, CTL.go);
    const results: WorkerResult[] = [];
    let stopReason: string | undefined;
    let lastProgress = this.t0;
    for (;;) {
      const finished = Atomics.load(ctl, CTL.finished);
      for (let k = 0; k < W; k++) {
        const m = receiveMessageOnPort(this.ports[k]!) as { message: WorkerResult } | undefined;
        if (m !== undefined) results[k] = m.message;
      }
      if (finished === W && results.filter((r) => r !== undefined).length === W) break;
      Atomics.wait(ctl, CTL.finished, finished, 100);
      if (stopReason !== undefined) continue;
      const { limits } = this.opts;
      const now = performance.now();
      if (this.table.size >= limits.maxStates) stopReason = `--max-states ${limits.maxStates} reached`;
      else if (now - this.t0 > limits.timeLimitMs) stopReason = '--time-limit reached';
      else if (limits.interrupted?.() === true) stopReason = 'interrupted';
      else if (now - lastProgress > 2000) {
        lastProgress = now;
        const s = this.stats(0, 0, 0, 0);
        if (s.memoryBytes > limits.maxMemoryBytes) stopReason = '--max-memory reached';
        else this.opts.onProgress?.({ ...s, workers: W });
      }
      if (stopReason !== undefined) Atomics.store(ctl, CTL.stop, 1);
    }
    const first = results[0]!;
    if (first.alone) {
      const s = this.stats(first.ownStates, first.before.transitions, first.before.ampleStates, first.depth);
      return this.outcome([first], s, stopReason);
    }
    const sum = (f: (r: WorkerResult) => number) => results.reduce((a, r) => a + f(r), 0);
    const s = this.stats(
      this.table.size,
      first.before.transitions + sum((r) => r.after.transitions),
      first.before.ampleStates + sum((r) => r.after.ampleStates),
      Math.max(...results.map((r) => r.depth)),
    );
    return this.outcome(results, s, stopReason);
  }

  /** The verdict of the workers' results: the shortest violation (the first worker's among equals). */
  private outcome(results: readonly WorkerResult[], s: Stats, stopReason: string | undefined): SearchResult {
    let bad: WorkerResult['violation'];
    for (const r of results)
      if (r.violation !== undefined && (bad === undefined || r.violation.labels.length < bad.labels.length))
        bad = r.violation;
    if (bad !== undefined) return { verdict: 'violation', violation: bad, ...s };
    if (results.some((r) => r.stopped === 'full'))
      return { verdict: 'incomplete', reason: fullReason(this.opts), ...s };
    if (results.some((r) => r.stopped !== undefined))
      return { verdict: 'incomplete', reason: stopReason ?? 'interrupted', ...s };
    return { verdict: 'ok', ...s };
  }

  private stats(states: number, transitions: number, ampleStates: number, depth: number): Stats {
    const seconds = (performance.now() - this.t0) / 1000;
    return {
      states,
      transitions,
      queue: 0,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(states / seconds) : states,
      memoryBytes: process.memoryUsage().heapUsed + Math.min(this.table.bytes, this.table.size * 16),
      reductions: reductionsOf(this.inst, 0, ampleStates),
    };
  }
}

/** Why a search that filled its table stopped. */
function fullReason(opts: ParallelOptions): string {
  return opts.limits.maxStates <= TABLE_MAX_STATES
    ? `--max-states ${opts.limits.maxStates} reached`
    : `the shared fingerprint table (${TABLE_MAX_STATES} states) is full`;
}

/** The reductions a level-synchronized search reports. */
function reductionsOf(inst: Instance, sleepPruned: number, ampleStates: number): Stats['reductions'] {
  return {
    symmetry: inst.symmetry,
    frameSymmetry: inst.symmetry && inst.frames > 1 && framesSymmetric(inst),
    por: inst.por,
    sleepPruned,
    ampleStates,
    hashCompaction: '64-bit',
  };
}

class Levels {
  private readonly inst: Instance;
  private readonly opts: ParallelOptions;
  private readonly table: SharedFingerprints;
  private readonly local: LevelExpander;
  private readonly levels: Level[] = [];
  private readonly t0 = performance.now();
  private lastProgress = this.t0;
  private transitions = 0;
  private ampleStates = 0;
  private shardLevel = -1;
  private stopReason: string | undefined;

  constructor(inst: Instance, opts: ParallelOptions) {
    this.inst = inst;
    this.opts = opts;
    this.table = new SharedFingerprints(Math.min(opts.limits.maxStates, TABLE_MAX_STATES));
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
      const results = this.expandHere(cur, d);
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
        const reason = stopped === 'full' ? fullReason(this.opts) : (this.stopReason ?? 'interrupted');
        return done({ verdict: 'incomplete', reason, ...this.stats(cur.states.length) });
      }
      this.levels.push(level(next));
      // Only the links are kept of a level once expanded.
      cur.states = [];
    }
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
      reductions: reductionsOf(this.inst, 0, this.ampleStates),
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
