/**
 * The parallel search (`--workers N`) and the sharded one (`--shard I/N`): a level-synchronized
 * breadth-first search (`parallelWorker.ts`). This thread is the first participant: it starts the
 * workers, runs the first levels alone while they load, hands each worker its part of the first
 * level of `handoff` states once they are ready, and from then on expands its own part like them,
 * polling the limits between chunks and at the barriers. A level is finished before the next starts,
 * so the first violation met is at the least depth (a shortest counterexample), and the states
 * visited do not depend on the number of workers: `--workers 1` runs the same search on this thread.
 *
 * A shard runs the same search but, at the first level with enough states to share out, keeps only
 * the states whose fingerprint is its index modulo the shard count: every state below that level is
 * reached from exactly one shard's part, so the union of the shards' visited sets is the whole space.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Finding } from '../checks.ts';
import type { Label } from '../model.ts';
import { framesSymmetric, type Instance } from '../instance.ts';
import type { Subject } from '../world.ts';
import type { Limits, Progress, SearchResult, Stats } from './search.ts';
import {
  CTL,
  ctlWords,
  GO,
  Level,
  NO_PART,
  Participant,
  RowCodec,
  rootLevel,
  type Hooks,
  type PartResult,
  type ToWorker,
  type WorkerData,
} from './parallelWorker.ts';
import { SharedFingerprints } from './SharedFingerprints.ts';
import { parallelWorkerScript } from './workerScriptSync.ts';

/**
 * The most fingerprints the shared table may grow to hold: 2^30 slots of 12 bytes (it grows fourfold
 * from 2^16 as it fills; the pages of a larger table cost nothing until it is grown to).
 */
export const TABLE_MAX_STATES = 3 * 2 ** 28;

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
   * with a subject runs on this thread alone (the same search, the same states).
   */
  workerScript?: () => string;
  shard?: Shard;
  opAccessBound?: number;
  /** The states this thread visits alone before it shares the search out (default `PROBE_STATES`). */
  probeStates?: number;
  /** The least level size at which the search is shared out (default `HANDOFF`). */
  handoff?: number;
  /**
   * Wait there for the workers to be ready (default: share out at the first such level they are
   * ready for, so that this thread never idles while they load; the states are the same either way).
   */
  awaitWorkers?: boolean;
  /** The states the table is first sized for (default 2^15); it grows fourfold whenever it fills. */
  tableStates?: number;
  /**
   * Grow the table between levels once it is half full (default), so that it rarely fills in the
   * middle of a level (then every thread pauses and redoes its chunk in the larger table).
   */
  growEarly?: boolean;
}>;

/** What one participant of the search did: its wait at the barriers, the thread states its store met. */
export type PartStats = Readonly<{ waitSeconds: number; threadStates: number }>;

/**
 * The outcome, the table of visited fingerprints, the level at which a shard took its part, the
 * threads that expanded states (1 when the search ended before the workers took their parts), and
 * what each of them did (this thread first).
 */
export type ParallelResult = Readonly<{
  result: SearchResult;
  table: SharedFingerprints;
  shardLevel: number;
  participants: number;
  parts: readonly PartStats[];
  /** Some participant's step touched a frame its thread's future did not name. */
  escaped: boolean;
}>;

/** The states a level needs for a shard to take its part there: enough that the parts are even. */
const SHARD_SPREAD = 64;
/** The states this thread visits alone at least (a search this small is over before workers help). */
export const PROBE_STATES = 4096;
/** The least level size at which the workers take their parts. */
const HANDOFF = 1024;

/**
 * Explores `inst` level by level on `opts.workers` threads (this one and `workers - 1` workers); one
 * thread when a subject is given without the worker script that rebuilds it.
 */
export function exploreParallel(inst: Instance, opts: ParallelOptions): ParallelResult {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const r = new Coordinator(inst, opts).run();
    if (!(r.result.verdict === 'ok' && inst.por && r.escaped)) return r;
    // As in the one-thread search (`explore`): the implementation reached into a frame its thread's
    // future did not name, so the persistent sets' footprints do not hold for it. A shard's part is
    // cut by them, so it says so; a whole search is run again without them.
    if (opts.shard !== undefined)
      return {
        ...r,
        result: {
          ...r.result,
          verdict: 'incomplete',
          reason: 'the implementation touches other frames than its own: run with --no-por',
        },
      };
    return new Coordinator({ ...inst, por: false }, opts).run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** This thread's side of the search: the workers, the limits, the split, the outcome. */
class Coordinator {
  private readonly inst: Instance;
  private readonly opts: ParallelOptions;
  /** Participants: this thread and the workers. */
  private readonly P: number;
  private readonly ctl: Int32Array;
  private readonly stats: Float64Array;
  private readonly maxSlots: number;
  private table: SharedFingerprints;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly t0 = performance.now();
  private lastProgress = this.t0;
  private stopReason: string | undefined;
  private split = false;
  private shardLevel = -1;
  private part!: Participant;
  private parts: PartStats[] = [];
  private escaped = false;

  constructor(inst: Instance, opts: ParallelOptions) {
    this.inst = inst;
    this.opts = opts;
    // A subject (a mutant, a third party's code) is made of functions, which cannot cross to a worker:
    // only a worker script that rebuilds it by name can run it there.
    const workersCan = opts.subject === undefined || opts.workerScript !== undefined;
    this.P = workersCan ? Math.max(1, opts.workers) : 1;
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * ctlWords(this.P)));
    this.stats = new Float64Array(new SharedArrayBuffer(8 * this.P));
    const most = Math.min(opts.limits.maxStates, TABLE_MAX_STATES);
    this.maxSlots = SharedFingerprints.slotsFor(most);
    this.table = new SharedFingerprints(Math.min(most, opts.tableStates ?? 2 ** 15), opts.limits.maxStates);
    this.ctl[CTL.maxSlotsLog] = Math.log2(this.maxSlots);
    this.ctl[CTL.active] = 1;
    this.ctl[CTL.growEarly] = opts.growEarly === false ? 0 : 1;
    if (this.P === 1) return;
    const file = (opts.workerScript ?? parallelWorkerScript)();
    for (let index = 1; index < this.P; index++) {
      const { port1, port2 } = new MessageChannel();
      const workerData: WorkerData = {
        inst,
        ctl: this.ctl.buffer as SharedArrayBuffer,
        stats: this.stats.buffer as SharedArrayBuffer,
        table: this.table.buffer,
        port: port2,
        bound: opts.opAccessBound ?? 256,
        index,
      };
      this.workers.push(new Worker(file, { workerData, transferList: [port2] }));
      this.ports.push(port1);
    }
  }

  run(): ParallelResult {
    const { ctl, inst } = this;
    try {
      const part = (this.part = new Participant(
        inst,
        this.table,
        this.opts.subject,
        this.opts.opAccessBound ?? 256,
        ctl,
        this.stats,
        0,
      ));
      const { level: first, root } = rootLevel(part.expander);
      const bad = part.expander.store.firstFinding(root);
      if (bad !== undefined)
        return this.done({ verdict: 'violation', violation: { finding: bad, labels: [] }, ...this.statsNow() });
      const hooks: Hooks = {
        before: (d, level) => this.before(d, level),
        poll: () => this.poll(),
        waiting: () => {
          this.poll();
          return Atomics.load(ctl, CTL.failed) > 0;
        },
        grow: (p) => this.grow(p, hooks),
      };
      const all = [part.run(0, first, hooks), ...this.results()];
      this.parts = all.map((r) => ({ waitSeconds: r.waitSeconds, threadStates: r.threadStates }));
      this.escaped = all.some((r) => r.escaped);
      return this.done(this.outcome(all));
    } finally {
      Atomics.store(ctl, CTL.stop, 1);
      if (!this.split) Atomics.store(ctl, CTL.go, GO.never);
      Atomics.notify(ctl, CTL.go);
      for (const p of this.ports) p.close();
      for (const w of this.workers) void w.terminate();
    }
  }

  private done(result: SearchResult): ParallelResult {
    const participants = this.split ? this.P : 1;
    const { table, shardLevel, parts, escaped } = this;
    return { result, table, shardLevel, participants, parts, escaped };
  }

  /** Before level `d` is expanded: a shard keeps its part of it, or the workers take theirs. */
  private before(d: number, level: Level): Level {
    const { shard } = this.opts;
    if (shard !== undefined && this.shardLevel < 0 && (level.n >= SHARD_SPREAD * shard.count || d >= 64)) {
      this.shardLevel = d;
      const keep: number[] = [];
      for (let i = 0; i < level.n; i++) if (level.shardOf(i, shard.count) === shard.index) keep.push(i);
      level = level.select(keep);
    }
    const { P, ctl } = this;
    const due =
      P > 1 &&
      !this.split &&
      d >= 1 &&
      (shard === undefined || this.shardLevel >= 0) &&
      level.n >= (this.opts.handoff ?? HANDOFF) &&
      this.table.size >= (this.opts.probeStates ?? PROBE_STATES);
    if (!due) return level;
    if (this.opts.awaitWorkers === true)
      for (let n; (n = Atomics.load(ctl, CTL.ready)) < P - 1 && Atomics.load(ctl, CTL.failed) === 0;)
        Atomics.wait(ctl, CTL.ready, n, 50);
    if (Atomics.load(ctl, CTL.ready) < P - 1) return level;
    // The split: each worker's part as text (its ids mean nothing in another store), once.
    this.split = true;
    const codec = new RowCodec(this.part.expander.store);
    const parts: number[][] = Array.from({ length: P }, () => []);
    for (let i = 0; i < level.n; i++) parts[level.participantOf(i, P)]!.push(i);
    for (let k = 1; k < P; k++) {
      const rows = parts[k]!;
      const links = new Int32Array(4 * rows.length);
      const states = rows.map((i, j) => {
        links.set([level.parent(i), level.code(i), level.hi(i), level.lo(i)], 4 * j);
        const { p, streak } = level.at(i);
        return codec.text(p, streak);
      });
      const m: ToWorker = { kind: 'split', table: this.table.buffer, depth: d, states, links };
      this.ports[k - 1]!.postMessage(m);
    }
    Atomics.store(ctl, CTL.active, P);
    Atomics.store(ctl, CTL.go, GO.split);
    Atomics.notify(ctl, CTL.go);
    return level.select(parts[0]!);
  }

  /**
   * All participants are paused at a barrier: the table is replaced by one four times larger, which
   * every participant fills with its part of the old one's slots at once.
   */
  private grow(part: Participant, hooks: Hooks): void {
    const next = this.table.larger(this.maxSlots);
    if (next === undefined) throw new Error('impossible: the table grew past its largest size');
    if (this.split) {
      const m: ToWorker = { kind: 'table', table: next.buffer };
      for (const p of this.ports) p.postMessage(m);
      part.barrier(hooks, false);
    }
    part.copyInto(next, hooks);
    this.table = next;
  }

  /** Between chunks and while waiting: stops the search at a limit or Ctrl-C; progress every 2 s. */
  private poll(): void {
    if (this.stopReason !== undefined) return;
    const { limits } = this.opts;
    const now = performance.now();
    let why: string | undefined;
    if (this.table.size >= limits.maxStates) why = `--max-states ${limits.maxStates} reached`;
    else if (now - this.t0 > limits.timeLimitMs) why = '--time-limit reached';
    else if (limits.interrupted?.() === true) why = 'interrupted';
    else if (now - this.lastProgress > 2000) {
      this.lastProgress = now;
      const s = this.statsNow();
      if (s.memoryBytes > limits.maxMemoryBytes) why = '--max-memory reached';
      else this.opts.onProgress?.({ ...s, workers: this.P });
    }
    if (why === undefined) return;
    this.stopReason = why;
    Atomics.store(this.ctl, CTL.stop, 1);
  }

  /** The workers' results, once each has posted its own (none when they never took a part). */
  private results(): PartResult[] {
    if (!this.split) {
      // A worker that failed before it took its part: its error (or its silent end) is the outcome.
      if (Atomics.load(this.ctl, CTL.failed) === 0) return [];
      const said = this.ports.map((p) => (receiveMessageOnPort(p) as { message: PartResult } | undefined)?.message);
      return [said.find((r) => r?.error !== undefined) ?? { ...NO_PART, error: 'its thread ended before its part' }];
    }
    const { ctl } = this;
    const W = this.P - 1;
    for (let n; (n = Atomics.load(ctl, CTL.posted)) < W;) Atomics.wait(ctl, CTL.posted, n, 50);
    return this.ports.map((p) => {
      const m = receiveMessageOnPort(p) as { message: PartResult } | undefined;
      if (m !== undefined) return m.message;
      // The worker's thread ended without posting (its exit handler counted it as failed).
      return { ...NO_PART, error: 'its thread ended without a result' };
    });
  }

  /** The verdict of the participants' results: the shortest violation (the lowest participant's among equals). */
  private outcome(results: readonly PartResult[]): SearchResult {
    const failed = results.find((r) => r.error !== undefined);
    if (failed !== undefined) throw new Error(`a worker of the parallel search failed: ${failed.error}`);
    let bad: { finding: Finding; labels: Label[] } | undefined;
    for (const r of results) {
      const v = r.violation;
      if (v === undefined) continue;
      const labels = [...this.part.path(v.from, v.parent).labels, ...v.labels];
      if (bad === undefined || labels.length < bad.labels.length) bad = { finding: v.finding, labels };
    }
    const sum = (f: (r: PartResult) => number) => results.reduce((a, r) => a + f(r), 0);
    const s = this.statsNow(
      sum((r) => r.transitions),
      sum((r) => r.ampleStates),
    );
    if (bad !== undefined) return { verdict: 'violation', violation: bad, ...s };
    if (results.some((r) => r.stopped === 'full')) return { verdict: 'incomplete', reason: this.fullReason(), ...s };
    if (this.stopReason !== undefined || results.some((r) => r.stopped !== undefined))
      return { verdict: 'incomplete', reason: this.stopReason ?? 'interrupted', ...s };
    return { verdict: 'ok', ...s };
  }

  /** Why a search that filled its table stopped. */
  private fullReason(): string {
    const { maxStates } = this.opts.limits;
    return maxStates <= TABLE_MAX_STATES
      ? `--max-states ${maxStates} reached`
      : `the shared fingerprint table (${TABLE_MAX_STATES} states) is full`;
  }

  private statsNow(transitions?: number, ampleStates?: number): Stats {
    const seconds = (performance.now() - this.t0) / 1000;
    // The table takes no state past the limit (threads claiming at the same instant may pass it by a
    // batch each: the search stopped at the limit).
    const states = Math.min(this.table.size, this.opts.limits.maxStates);
    const { inst } = this;
    let t = transitions;
    if (t === undefined) {
      t = 0;
      for (let k = 0; k < this.P; k++) t += this.stats[k]!;
    }
    return {
      states,
      transitions: t,
      queue: 0,
      depth: this.part.depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(states / seconds) : states,
      // Every thread's heap, the table and the levels: the process's resident memory.
      memoryBytes: process.memoryUsage().rss,
      reductions: {
        symmetry: inst.symmetry,
        frameSymmetry: inst.symmetry && inst.frames > 1 && framesSymmetric(inst),
        por: inst.por,
        sleepPruned: 0,
        ampleStates: ampleStates ?? this.part.ampleStates,
        hashCompaction: '64-bit',
      },
    };
  }
}
