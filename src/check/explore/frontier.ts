/**
 * The search's frontier: packed states waiting to be expanded, in one typed array (no object per
 * state). Which entry is expanded next is the strategy's choice (`SearchOrder`: bfs.ts takes the
 * oldest, dfs.ts the newest); the frontier only stores them.
 */

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

const FIELDS = 6;

/** The states waiting to be expanded, taken from either end. */
export class Frontier {
  private data: Int32Array;
  private sleeps: (readonly number[])[] = [];
  private head = 0;
  private count = 0;
  private readonly stride: number;
  readonly cur: FrontierEntry;

  constructor(threads: number) {
    this.stride = FIELDS + threads;
    this.data = new Int32Array(this.stride * 4096);
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
    if ((this.count + 1) * S > this.data.length) {
      if (this.head > 0 && 2 * this.head >= this.count) {
        // Drop the taken prefix once it is half the queue: amortized O(1) per entry.
        this.data.copyWithin(0, this.head * S, this.count * S);
        this.sleeps.splice(0, this.head);
        this.count -= this.head;
        this.head = 0;
      } else {
        const d = new Int32Array(this.data.length * 2);
        d.set(this.data);
        this.data = d;
      }
    }
    const o = this.count * S;
    const d = this.data;
    d[o] = words;
    d[o + 1] = halted ? 1 : 0;
    d[o + 2] = streakT;
    d[o + 3] = streakA;
    d[o + 4] = id;
    d[o + 5] = depth;
    for (let t = 0; t < S - FIELDS; t++) d[o + FIELDS + t] = threads[t]!;
    this.sleeps[this.count] = sleep;
    this.count++;
  }

  /** Loads the oldest entry into `cur`; false when the frontier is empty. */
  takeOldest(): boolean {
    if (this.count === this.head) return false;
    this.load(this.head++);
    return true;
  }

  /** Loads the newest entry into `cur`; false when the frontier is empty. */
  takeNewest(): boolean {
    if (this.count === this.head) return false;
    this.load(--this.count);
    this.sleeps.length = this.count;
    return true;
  }

  private load(k: number): void {
    const o = k * this.stride;
    const d = this.data;
    const c = this.cur;
    c.words = d[o]!;
    c.halted = d[o + 1] === 1;
    c.streakT = d[o + 2]!;
    c.streakA = d[o + 3]!;
    c.id = d[o + 4]!;
    c.depth = d[o + 5]!;
    for (let t = 0; t < c.threads.length; t++) c.threads[t] = d[o + FIELDS + t]!;
    c.sleep = this.sleeps[k]!;
  }
}
