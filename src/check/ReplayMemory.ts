/**
 * The explorer's memory interceptor. Words live in a plain array (the state vector); the running
 * thread's operation is re-executed from its start against the log of what its earlier accesses
 * returned (replay), performs exactly one new atomic access for real, and stops (`PAUSE`) at the next
 * one. The implementation stays plain synchronous code, and a thread's state is a small value: its
 * operation and that log.
 */
import type { Memory, Ordering } from '../../impl/meta/memory.ts';

/** One access of the running operation: the word, what it observed and what it wrote. */
export type Access = Readonly<{
  /** What the access was: load, store, cas, add, sub, read (plain), write (plain). */
  kind: 'load' | 'store' | 'cas' | 'add' | 'sub' | 'read' | 'write';
  word: number;
  atomic: boolean;
  observed: bigint | undefined;
  written: bigint | undefined;
  /** The word's value just before this access: ghost information the explorer records for checks. */
  before: bigint;
}>;

/** Thrown at the second new atomic access of a step: the step is over. */
export const PAUSE = Symbol('framecheck.pause');

export class ReplayMemory implements Memory {
  words: bigint[];
  /** The accesses of the running operation (the replayed prefix plus this step's). */
  log: Access[] = [];
  private pos = 0;
  private newAtomic = false;
  /** Words this step accessed for real (its footprint, for partial-order reduction). */
  readonly touched: number[] = [];

  /** The width of a word: arithmetic wraps at 2^bits (64, or 32 for the legacy layout). */
  readonly bits: number;

  /**
   * Called after every new write with the word written: the explorer checks the slot invariant there,
   * inside a step, because between two accesses of one thread another thread could observe the slot
   * (e.g. a count published before the metadata is dropped).
   */
  onWrite: (word: number) => void = () => {};

  constructor(words: bigint[], bits = 64) {
    this.words = words;
    this.bits = bits;
  }

  /** Starts a step of an operation whose earlier accesses are `prefix`. */
  begin(words: bigint[], prefix: readonly Access[]): void {
    this.words = words;
    this.log = prefix.slice();
    this.pos = 0;
    this.newAtomic = false;
    this.touched.length = 0;
  }

  private access(
    kind: Access['kind'],
    word: number,
    atomic: boolean,
    act: () => Readonly<{ observed?: bigint; written?: bigint }>,
  ): bigint | undefined {
    if (this.pos < this.log.length) {
      const a = this.log[this.pos++]!;
      // Replay must follow the same path: the implementation is deterministic given what it observed.
      if (a.word !== word || a.kind !== kind)
        throw new Error(`replay diverged at access ${this.pos - 1}: word ${a.word} vs ${word}`);
      return a.observed;
    }
    if (atomic) {
      if (this.newAtomic) throw PAUSE;
      this.newAtomic = true;
    }
    const before = this.words[word]!;
    const r = act();
    if (!this.touched.includes(word)) this.touched.push(word);
    this.log.push({ kind, word, atomic, observed: r.observed, written: r.written, before });
    this.pos++;
    if (r.written !== undefined) this.onWrite(word);
    return r.observed;
  }

  private w(word: number): bigint {
    return this.words[word]!;
  }

  load(word: number, _o: Ordering): bigint {
    return this.access('load', word, true, () => ({ observed: this.w(word) }))!;
  }

  store(word: number, value: bigint, _o: Ordering): void {
    this.access('store', word, true, () => {
      this.words[word] = value;
      return { written: value };
    });
  }

  compareExchange(word: number, expected: bigint, desired: bigint, _o: Ordering): bigint {
    return this.access('cas', word, true, () => {
      const v = this.w(word);
      if (v !== expected) return { observed: v };
      this.words[word] = desired;
      return { observed: v, written: desired };
    })!;
  }

  compareExchangeWeak(word: number, expected: bigint, desired: bigint, o: Ordering): bigint {
    return this.compareExchange(word, expected, desired, o);
  }

  fetchAdd(word: number, delta: bigint, _o: Ordering): bigint {
    return this.access('add', word, true, () => {
      const v = this.w(word);
      const n = BigInt.asUintN(this.bits, v + delta);
      this.words[word] = n;
      return { observed: v, written: n };
    })!;
  }

  fetchSub(word: number, delta: bigint, _o: Ordering): bigint {
    return this.access('sub', word, true, () => {
      const v = this.w(word);
      const n = BigInt.asUintN(this.bits, v - delta);
      this.words[word] = n;
      return { observed: v, written: n };
    })!;
  }

  fence(_o: Ordering): void {
    // Sequentially consistent exploration: a fence orders nothing further.
  }

  readPlain(word: number): bigint {
    return this.access('read', word, false, () => ({ observed: this.w(word) }))!;
  }

  writePlain(word: number, value: bigint): void {
    this.access('write', word, false, () => {
      this.words[word] = value;
      return { written: value };
    });
  }
}
