/**
 * A memory interceptor for contract checking: every access goes to the production memory, and the
 * accesses of the current call are logged, so the contract layer knows which slots a call wrote and
 * which values its linearizing atomic observed.
 */
import type { Memory, Ordering } from '../../impl/meta/memory.ts';

/** One logged atomic access: the word, the value observed (if any) and the value written (if any). */
export type Access = { word: number; observed: bigint | undefined; written: bigint | undefined };

export class TrackingMemory implements Memory {
  readonly base: Memory;
  readonly log: Access[] = [];
  readonly plainWrites: number[] = [];
  /** Access records reused from call to call: logging allocates nothing once warm. */
  private readonly pool: Access[] = [];

  constructor(base: Memory) {
    this.base = base;
  }

  /** Forgets the log of the previous call. */
  reset(): void {
    // A few entries at most: popping them is cheaper than setting the length (a runtime call).
    const log = this.log;
    while (log.length > 0) log.pop();
    const plain = this.plainWrites;
    while (plain.length > 0) plain.pop();
  }

  private record(word: number, observed: bigint | undefined, written: bigint | undefined): void {
    const k = this.log.length;
    let a = this.pool[k];
    if (a === undefined) this.pool.push((a = { word, observed, written }));
    else {
      a.word = word;
      a.observed = observed;
      a.written = written;
    }
    this.log.push(a);
  }

  load(word: number, order: Ordering): bigint {
    const v = this.base.load(word, order);
    this.record(word, v, undefined);
    return v;
  }

  store(word: number, value: bigint, order: Ordering): void {
    this.base.store(word, value, order);
    this.record(word, undefined, value);
  }

  compareExchange(word: number, expected: bigint, desired: bigint, order: Ordering): bigint {
    const v = this.base.compareExchange(word, expected, desired, order);
    this.record(word, v, v === expected ? desired : undefined);
    return v;
  }

  compareExchangeWeak(word: number, expected: bigint, desired: bigint, order: Ordering): bigint {
    const v = this.base.compareExchangeWeak(word, expected, desired, order);
    this.record(word, v < 0n ? undefined : v, v === expected ? desired : undefined);
    return v;
  }

  fetchAdd(word: number, delta: bigint, order: Ordering): bigint {
    const v = this.base.fetchAdd(word, delta, order);
    this.record(word, v, v + delta);
    return v;
  }

  fetchSub(word: number, delta: bigint, order: Ordering): bigint {
    const v = this.base.fetchSub(word, delta, order);
    this.record(word, v, v - delta);
    return v;
  }

  fence(order: Ordering): void {
    this.base.fence(order);
  }

  readPlain(word: number): bigint {
    return this.base.readPlain(word);
  }

  writePlain(word: number, value: bigint): void {
    this.base.writePlain(word, value);
    this.plainWrites.push(word);
  }

  /** Whether this call wrote anything, atomically or not, since log entry `logFrom` and plain write `plainFrom`. */
  wroteAny(logFrom = 0, plainFrom = 0): boolean {
    if (this.plainWrites.length > plainFrom) return true;
    for (let k = logFrom; k < this.log.length; k++) if (this.log[k]!.written !== undefined) return true;
    return false;
  }

  /** The words this call wrote, atomically or not. */
  writtenWords(): Set<number> {
    const out = new Set<number>(this.plainWrites);
    for (const a of this.log) if (a.written !== undefined) out.add(a.word);
    return out;
  }

  /**
   * The value of `word` at this call's linearization point: what its first effective write observed
   * (a successful CAS or RMW), or, when it wrote nothing, what it last observed.
   */
  linearizedOld(word: number): bigint | undefined {
    let last: bigint | undefined;
    for (const a of this.log) {
      if (a.word !== word) continue;
      if (a.written !== undefined) return a.observed ?? last;
      if (a.observed !== undefined) last = a.observed;
    }
    return last;
  }

  /** The last value this call wrote to `word`, if it wrote one. */
  lastWritten(word: number): bigint | undefined {
    for (let k = this.log.length - 1; k >= 0; k--) {
      const a = this.log[k]!;
      if (a.word === word && a.written !== undefined) return a.written;
    }
    return undefined;
  }
}
