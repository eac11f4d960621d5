/**
 * A lock-free set of 64-bit state fingerprints in a `SharedArrayBuffer`, shared by the threads of a
 * parallel search: open addressing with linear probing, a slot claimed by `Atomics.compareExchange`
 * on its high word, so two threads inserting the same state agree on which one found it first (a
 * half that is 0 is stored as 1: 0 marks an empty slot). Each slot also records the BFS level of its
 * state (written after the claim; 0 until then). A table never moves; a search starts with a small
 * one (it stays in the caches: a table sized for millions of states up front made each probe a cache
 * and TLB miss) and, when `insert` reports `full`, replaces it by `grown()` at a point where no thread
 * is inserting.
 */
const META = 4;

/** What `insert` did. */
export type Insert = 'new' | 'seen' | 'full';

export class SharedFingerprints {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  /** Per slot: the fingerprint's high word (the claim), its low word, and its level + 1 (0: not yet written). */
  private readonly slots: Int32Array;
  /** `[0]`: states stored; `[1]`: the most it may hold (0: three quarters of its slots). */
  private readonly count: Int32Array;
  private readonly mask: number;
  private readonly limit: number;

  /**
   * A table for at least `states` fingerprints (256 slots at least), or a view of `buffer` (another
   * thread's table); `most`: a limit on the states it takes below three quarters of its slots (a
   * search's state limit, met exactly: `insert` is `full` there).
   */
  constructor(states: number | SharedArrayBuffer, most?: number) {
    const cap = typeof states === 'number' ? SharedFingerprints.slotsFor(states) : (states.byteLength - 4 * META) / 12;
    this.buffer = typeof states === 'number' ? new SharedArrayBuffer(cap * 12 + 4 * META) : states;
    this.capacity = cap;
    this.slots = new Int32Array(this.buffer, 0, 3 * cap);
    this.count = new Int32Array(this.buffer, cap * 12, META);
    this.mask = cap - 1;
    if (typeof states === 'number' && most !== undefined) this.count[1] = Math.min(most, 2 ** 31 - 1);
    const bound = this.count[1]!;
    this.limit = bound > 0 ? Math.min(bound, Math.floor((cap * 3) / 4)) : Math.floor((cap * 3) / 4);
    // 64 claims per flush from 2^16 slots on (a quarter free: 16384 slots, room for 256 views' batches).
    this.batch = Math.max(1, Math.min(64, cap >>> 10));
    this.known = Atomics.load(this.count, 0);
  }

  /** The slots of a table for `states` fingerprints (a power of two, at least 256). */
  static slotsFor(states: number): number {
    return 2 ** Math.max(8, Math.ceil(Math.log2((states * 4) / 3 + 1)));
  }

  /** How many fingerprints are stored. */
  get size(): number {
    return Atomics.load(this.count, 0) + this.pending;
  }

  /**
   * Claims this view has made and not yet added to the shared count: adding each at once made every
   * new state write one word all threads read (its cache line moving between cores). Up to `batch`
   * wait; `flush` adds them (before a barrier, so that the count is exact there).
   */
  private pending = 0;
  /** The shared count as this view last saw it. */
  private known = 0;
  private readonly batch: number;

  /** Adds this view's pending claims to the shared count. */
  flush(): void {
    if (this.pending === 0) return;
    this.known = Atomics.add(this.count, 0, this.pending) + this.pending;
    this.pending = 0;
  }

  /** Whether a larger table (up to `maxCapacity` slots) would take more states: the limit is its slots'. */
  canGrow(maxCapacity: number): boolean {
    return this.capacity < maxCapacity && this.limit === Math.floor((this.capacity * 3) / 4);
  }

  /** The bytes the table occupies. */
  get bytes(): number {
    return this.buffer.byteLength;
  }

  /**
   * Inserts (hi, lo), found at BFS `level`, unless present; `full` past three quarters of the slots.
   * A slot is claimed by a compare-and-exchange of its high word; its low word follows, and a thread
   * that meets a claimed slot waits for it (a few instructions) before comparing.
   */
  insert(hi: number, lo: number, level: number): Insert {
    const h = hi | 0 || 1;
    const l = lo | 0 || 1;
    const { slots, mask } = this;
    // Plain reads while probing: aligned 32-bit elements never tear, and a stale 0 is settled by the CAS.
    for (let i = slotOf(h, l) & mask; ; i = (i + 1) & mask) {
      let k = slots[3 * i]!;
      if (k === 0) {
        // Each view may pass the limit by its batch at most: far fewer than the free quarter.
        if (this.known + this.pending >= this.limit) {
          this.flush();
          this.known = Atomics.load(this.count, 0);
          if (this.known >= this.limit) return 'full';
        }
        k = Atomics.compareExchange(slots, 3 * i, 0, h);
        if (k === 0) {
          Atomics.store(slots, 3 * i + 1, l);
          Atomics.store(slots, 3 * i + 2, level + 1);
          if (++this.pending >= this.batch) this.flush();
          return 'new';
        }
      }
      if (k !== h) continue;
      const low = slots[3 * i + 1]!;
      if ((low === 0 ? this.low(i) : low) === l) return 'seen';
    }
  }

  /** Slot `i`'s low word, once its claimer has written it. */
  private low(i: number): number {
    for (;;) {
      const l = Atomics.load(this.slots, 3 * i + 1);
      if (l !== 0) return l;
    }
  }

  /**
   * The BFS level (hi, lo) was stored at: -1 when absent, `Infinity` while its inserter has not yet
   * written it (it is being found at the level under expansion, so it is newer than any level before).
   */
  levelOf(hi: number, lo: number): number {
    const h = hi | 0 || 1;
    const l = lo | 0 || 1;
    const { slots, mask } = this;
    for (let i = slotOf(h, l) & mask; ; i = (i + 1) & mask) {
      const k = slots[3 * i]!;
      if (k === 0) return -1;
      if (k !== h) continue;
      const low = slots[3 * i + 1]!;
      if ((low === 0 ? this.low(i) : low) !== l) continue;
      const at = Atomics.load(slots, 3 * i + 2);
      return at === 0 ? Infinity : at - 1;
    }
  }

  /** Inserts every fingerprint of this table, at its level, into `other` (`false`: `other` filled up). */
  copyInto(other: SharedFingerprints): boolean {
    return this.copyPart(other, 0, 1);
  }

  /**
   * Inserts the fingerprints of part `part` of `parts` of this table's slots, at their levels, into
   * `other` (`false`: `other` filled up). The parts together are every slot: the threads of a search
   * copy their parts at once, each into the same `other` (its inserts are lock-free).
   */
  copyPart(other: SharedFingerprints, part: number, parts: number): boolean {
    const { slots } = this;
    const from = Math.floor((this.capacity * part) / parts);
    const to = Math.floor((this.capacity * (part + 1)) / parts);
    for (let i = from; i < to; i++) {
      const k = slots[3 * i]!;
      if (k !== 0 && other.insert(k, slots[3 * i + 1]!, slots[3 * i + 2]! - 1) === 'full') return false;
    }
    other.flush();
    return true;
  }

  /**
   * An empty table with `factor` times the slots (at most `maxCapacity`) and this one's state limit;
   * `undefined` when this one already has `maxCapacity` slots.
   */
  larger(maxCapacity: number, factor = 4): SharedFingerprints | undefined {
    if (!this.canGrow(maxCapacity)) return undefined;
    const cap = Math.min(this.capacity * factor, maxCapacity);
    // A table for 3/4 of `cap` states has exactly `cap` slots.
    const bound = this.count[1]!;
    return new SharedFingerprints((cap * 3) / 4 - 1, bound > 0 ? bound : undefined);
  }

  /**
   * A table with `factor` times the slots (at most `maxCapacity`) holding every fingerprint of this
   * one at its level; `undefined` when this one already has `maxCapacity` slots. No thread may insert
   * into this table meanwhile.
   */
  grown(maxCapacity: number, factor = 4): SharedFingerprints | undefined {
    const next = this.larger(maxCapacity, factor);
    if (next !== undefined && !this.copyInto(next)) throw new Error('impossible: a grown table filled while copying');
    return next;
  }

  /** Every stored fingerprint as (hi, lo) pairs, sorted (a canonical form of the set). */
  sorted(): Uint32Array {
    const all = new BigUint64Array(this.size);
    let n = 0;
    for (let i = 0; i < this.capacity; i++) {
      const k = this.slots[3 * i]!;
      if (k !== 0) all[n++] = (BigInt(k >>> 0) << 32n) | BigInt(this.slots[3 * i + 1]! >>> 0);
    }
    all.subarray(0, n).sort();
    const out = new Uint32Array(2 * n);
    for (let j = 0; j < n; j++) {
      out[2 * j] = Number(all[j]! >> 32n);
      out[2 * j + 1] = Number(all[j]! & 0xffffffffn);
    }
    return out;
  }
}

function slotOf(hi: number, lo: number): number {
  return ((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) & 0x7fffffff;
}
