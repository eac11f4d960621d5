/**
 * A memory wrapper that counts the accesses of one call and stops a call that spins: a model-based
 * test runs calls one after another, so a loop that never returns is a livelock, not a wait.
 */
import type { Memory, Ordering } from '../../impl/meta/memory.ts';

/** Thrown out of a call that made more accesses than the guard allows. */
export class Livelock extends Error {
  override readonly name = 'Livelock';
}

export class AccessGuard {
  readonly limit: number;
  private count = 0;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  /** Starts counting a new call. */
  reset(): void {
    this.count = 0;
  }

  /** `base`, with every access counted. */
  wrap(base: Memory): Memory {
    const tick = () => {
      if (++this.count > this.limit)
        throw new Livelock(`a call made more than ${this.limit} memory accesses without returning: it spins`);
    };
    return {
      load: (w: number, o: Ordering) => (tick(), base.load(w, o)),
      store: (w: number, v: bigint, o: Ordering) => (tick(), base.store(w, v, o)),
      compareExchange: (w: number, e: bigint, d: bigint, o: Ordering) => (tick(), base.compareExchange(w, e, d, o)),
      compareExchangeWeak: (w: number, e: bigint, d: bigint, o: Ordering) => (
        tick(),
        base.compareExchangeWeak(w, e, d, o)
      ),
      fetchAdd: (w: number, d: bigint, o: Ordering) => (tick(), base.fetchAdd(w, d, o)),
      fetchSub: (w: number, d: bigint, o: Ordering) => (tick(), base.fetchSub(w, d, o)),
      fence: (o: Ordering) => base.fence(o),
      readPlain: (w: number) => (tick(), base.readPlain(w)),
      writePlain: (w: number, v: bigint) => (tick(), base.writePlain(w, v)),
    };
  }
}
