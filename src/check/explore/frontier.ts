/**
 * The search's frontier: packed states waiting to be expanded, in fixed-size Int32Array chunks (no
 * object per state, no JavaScript array growing with the queue; a chunk is released once every entry
 * in it has been taken from the front). Which entry is expanded next is the strategy's choice
 * (`SearchOrder`: bfs.ts takes the oldest, dfs.ts the newest); the frontier only stores them. Sleep
 * sets are interned: an entry holds its set's number (0: the empty set).
 */
import { allocInt32 } from '../chunks.ts';

/** The entry `take` loaded: overwritten by the next `take`. */
export type FrontierEntry = {
  words: number;
  halted: boolean;
  /** The thread that took the last step, and its accesses in its run of consecutive steps (path information). */
  streakT: number;
  streakA: number;
  id: number;
  depth: number;
  threads: Int32Array;
  sleep: readonly number[];
};

/** Per entry: words, halted | (streakT + 1) << 1, streakA, id, depth, sleep set number, then the threads. */
const FIELDS = 6;
/** log2 of the entries per chunk. */
const LOG = 16;
const PER = 1 << LOG;

/** The states waiting to be expanded, taken from either end. */
export class Frontier {
  /** Chunk `k` holds entries `(base + k) * PER ...`; chunks before the front's are released. */
  private chunks: Int32Array[] = [];
  private base = 0;
  private head = 0;
  private count = 0;
  private readonly stride: number;
  private readonly sleepIx = new Map<string, number>();
  private readonly sleepSets: (readonly number[])[] = [[]];
  readonly cur: FrontierEntry;

  constructor(threads: number) {
    this.stride = FIELDS + threads;
    this.cur = {
      words: 0,
      halted: false,
      streakT: -1,
      streakA: 0,
      id: 0,
      depth: 0,
      threads: new Int32Array(threads),
      sleep: [],
    };
  }

  /** Entries waiting. */
  get size(): number {
    return this.count - this.head;
  }

  /** The bytes the chunks occupy. */
  get bytes(): number {
    return this.chunks.length * PER * this.stride * 4;
  }

  /** The number of sleep set `sleep` (interned: equal sets, equal numbers; 0 for the empty set). */
  sleepId(sleep: readonly number[]): number {
    if (sleep.length === 0) return 0;
    const key = sleep.join(',');
    let id = this.sleepIx.get(key);
    if (id === undefined) {
      id = this.sleepSets.length;
      this.sleepIx.set(key, id);
      this.sleepSets.push(sleep);
    }
    return id;
  }

  /** The sleep set numbered `id`. */
  sleepSet(id: number): readonly number[] {
    return this.sleepSets[id]!;
  }

  /** Queues a packed state with its path information, id, depth and sleep set. */
  push(
    words: number,
    halted: boolean,
    streakT: number,
    streakA: number,
    id: number,
    depth: number,
    threads: ArrayLike<number>,
    sleep: readonly number[],
  ): void {
    const S = this.stride;
    const k = (this.count >>> LOG) - this.base;
    if (k === this.chunks.length) this.chunks.push(allocInt32(PER * S));
    const d = this.chunks[k]!;
    const o = (this.count & (PER - 1)) * S;
    d[o] = words;
    d[o + 1] = (halted ? 1 : 0) | ((streakT + 1) << 1);
    d[o + 2] = streakA;
    d[o + 3] = id;
    d[o + 4] = depth;
    d[o + 5] = this.sleepId(sleep);
    for (let t = 0; t < S - FIELDS; t++) d[o + FIELDS + t] = threads[t]!;
    this.count++;
  }

  /** Loads the oldest entry into `cur`; false when the frontier is empty. */
  takeOldest(): boolean {
    if (this.count === this.head) return false;
    this.load(this.head++);
    // The front chunk is used up: release it.
    if ((this.head & (PER - 1)) === 0 && this.head < this.count) {
      this.chunks.shift();
      this.base++;
    }
    if (this.head === this.count) {
      // Empty: start over in the chunk kept.
      this.chunks.length = Math.min(this.chunks.length, 1);
      this.head = this.count = this.base * PER;
    }
    return true;
  }

  /** Loads the newest entry into `cur`; false when the frontier is empty. */
  takeNewest(): boolean {
    if (this.count === this.head) return false;
    this.load(--this.count);
    // Two chunks beyond the newest entry are released (one is kept against back-and-forth at a boundary).
    const used = ((this.count + PER - 1) >>> LOG) - this.base;
    if (this.chunks.length > used + 1) this.chunks.length = used + 1;
    return true;
  }

  private load(k: number): void {
    const S = this.stride;
    const d = this.chunks[(k >>> LOG) - this.base]!;
    const o = (k & (PER - 1)) * S;
    const c = this.cur;
    c.words = d[o]!;
    const hs = d[o + 1]!;
    c.halted = (hs & 1) === 1;
    c.streakT = (hs >> 1) - 1;
    c.streakA = d[o + 2]!;
    c.id = d[o + 3]!;
    c.depth = d[o + 4]!;
    c.sleep = this.sleepSets[d[o + 5]!]!;
    for (let t = 0; t < S - FIELDS; t++) c.threads[t] = d[o + FIELDS + t]!;
  }
}
