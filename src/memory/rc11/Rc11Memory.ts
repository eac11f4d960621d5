/**
 * The memory interface under RC11, for running the real implementation by replay: an operation is
 * re-run from its start against the log of what its earlier accesses returned, and the first access
 * beyond the log is where it pauses — an atomic access becomes the step's last event (its outcome is
 * the explorer's choice), and the plain accesses made since the previous atomic one become the step's
 * plain events, one per run of reads or writes of one slot's metadata (their values are the last plain
 * writes', see `exploreGraphs`).
 */
import { Ordering, SPURIOUS_FAILURE, type Memory } from '../../../impl/meta/memory.ts';
import type { ExecutionGraph, MemOrder } from './ExecutionGraph.ts';
import type { PendingAccess } from './exploreGraphs.ts';

/** What one access returned, as the replay log keeps it. */
export type LogEntry = Readonly<{ value: bigint | undefined; failed?: boolean }>;

/** Thrown to stop an operation at its first access beyond the log. */
export const PAUSE_RC11 = Symbol('rc11 pause');

const ORDER: Readonly<Record<Ordering, MemOrder>> = {
  [Ordering.Relaxed]: 'rlx',
  [Ordering.Acquire]: 'acq',
  [Ordering.Release]: 'rel',
  [Ordering.AcqRel]: 'acq_rel',
  [Ordering.SeqCst]: 'sc',
};

/** Where each word lives: an atomic location name, or the plain block (a slot's metadata) it belongs to. */
export type WordMap = Readonly<{
  atomic: (word: number) => string;
  plain: (word: number) => string;
  /** A word's value before any write. */
  initial: (word: number) => bigint;
}>;

export class Rc11Memory implements Memory {
  private readonly map: WordMap;
  private log: readonly LogEntry[] = [];
  private next = 0;
  private graph: ExecutionGraph | undefined;
  /** The plain accesses beyond the log, in order, and the words each wrote or read. */
  plain: { loc: string; write: boolean; words: Map<number, bigint>; values: bigint[] }[] = [];
  /** The atomic access the operation paused at. */
  pending: PendingAccess | undefined;
  /** Every word the current run accessed (its footprint). */
  readonly touched = new Set<number>();

  constructor(map: WordMap) {
    this.map = map;
  }

  private spuriousBound = 1;
  private spurious = 0;

  /**
   * Starts (re-)running an operation against `log` over graph `g`; a weak CAS of this operation may fail
   * spuriously `spuriousBound` times (which bounds its retry loop).
   */
  begin(log: readonly LogEntry[], g: ExecutionGraph, spuriousBound = 1): void {
    this.log = log;
    this.spuriousBound = spuriousBound;
    this.spurious = 0;
    this.next = 0;
    this.graph = g;
    this.plain = [];
    this.pending = undefined;
    this.touched.clear();
  }

  /** The logged value of the next access, or pauses the run at an atomic access beyond the log. */
  private atomic(word: number, access: PendingAccess): LogEntry {
    this.touched.add(word);
    const e = this.log[this.next];
    if (e !== undefined && this.plain.length === 0) {
      this.next++;
      return e;
    }
    this.pending = access;
    throw PAUSE_RC11;
  }

  load(word: number, order: Ordering): bigint {
    return this.atomic(word, { kind: 'load', loc: this.map.atomic(word), order: ORDER[order] }).value!;
  }
  store(word: number, value: bigint, order: Ordering): void {
    this.atomic(word, { kind: 'store', loc: this.map.atomic(word), value, order: ORDER[order] });
  }
  compareExchange(
    word: number,
    expected: bigint,
    desired: bigint,
    order: Ordering,
    failure: Ordering = Ordering.Relaxed,
  ): bigint {
    return this.cas(word, expected, desired, order, failure, false);
  }
  compareExchangeWeak(
    word: number,
    expected: bigint,
    desired: bigint,
    order: Ordering,
    failure: Ordering = Ordering.Relaxed,
  ): bigint {
    return this.cas(word, expected, desired, order, failure, true);
  }
  private cas(
    word: number,
    expected: bigint,
    desired: bigint,
    order: Ordering,
    failure: Ordering,
    weak: boolean,
  ): bigint {
    const loc = this.map.atomic(word);
    const mayFail = weak && this.spurious < this.spuriousBound;
    const e = this.atomic(word, {
      kind: 'cas',
      loc,
      expected,
      desired,
      success: ORDER[order],
      failure: ORDER[failure],
      weak: mayFail,
    });
    if (e.failed !== true || e.value !== expected) return e.value!;
    this.spurious++;
    return SPURIOUS_FAILURE;
  }
  fetchAdd(word: number, delta: bigint, order: Ordering): bigint {
    return this.atomic(word, { kind: 'rmw', loc: this.map.atomic(word), order: ORDER[order], update: (v) => v + delta })
      .value!;
  }
  fetchSub(word: number, delta: bigint, order: Ordering): bigint {
    return this.atomic(word, { kind: 'rmw', loc: this.map.atomic(word), order: ORDER[order], update: (v) => v - delta })
      .value!;
  }
  fence(order: Ordering): void {
    // A relaxed fence is no fence (Rust rejects one; C11 makes it a no-op).
    if (order === Ordering.Relaxed) return;
    this.atomic(-1, { kind: 'fence', order: ORDER[order] });
  }

  readPlain(word: number): bigint {
    const e = this.log[this.next];
    if (e !== undefined && this.plain.length === 0) {
      this.next++;
      return e.value!;
    }
    this.touched.add(word);
    const v = this.plainValue(word);
    this.plainAccess(word, false).values.push(v);
    return v;
  }
  writePlain(word: number, value: bigint): void {
    const e = this.log[this.next];
    if (e !== undefined && this.plain.length === 0) {
      this.next++;
      return;
    }
    this.touched.add(word);
    const block = this.plainAccess(word, true);
    block.words.set(word, value);
    block.values.push(value);
  }

  /** The current value of a plain word: this run's own last write of it, else the graph's, else its initial value. */
  private plainValue(word: number): bigint {
    for (let i = this.plain.length - 1; i >= 0; i--) {
      const v = this.plain[i]!.write ? this.plain[i]!.words.get(word) : undefined;
      if (v !== undefined) return v;
    }
    return this.graph!.plainWord(word) ?? this.map.initial(word);
  }

  /** The run of plain accesses `word` joins: the last one, when it is of the same kind and block. */
  private plainAccess(word: number, write: boolean) {
    const loc = this.map.plain(word);
    const last = this.plain.at(-1);
    if (last !== undefined && last.loc === loc && last.write === write) return last;
    const block = { loc, write, words: new Map<number, bigint>(), values: [] as bigint[] };
    this.plain.push(block);
    return block;
  }

  /** The step the run ended with: its plain accesses, then the atomic one it paused at (if it did). */
  stepAccesses(): PendingAccess[] {
    const out: PendingAccess[] = this.plain.map((b) => ({
      kind: 'plain',
      loc: b.loc,
      write: b.write,
      ...(b.write && { words: b.words }),
    }));
    if (this.pending !== undefined) out.push(this.pending);
    return out;
  }

  /** The log entries the step adds: one per plain access value, then the atomic access's. */
  plainLog(): LogEntry[] {
    return this.plain.flatMap((b) => b.values.map((value) => ({ value })));
  }
}
