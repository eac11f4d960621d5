/**
 * A mutual-exclusion lock in one `Int32Array` word of shared memory, usable from every worker that
 * maps the same `SharedArrayBuffer`.
 *
 * The word is 0 (free), 1 (held) or 2 (held, and someone may sleep on it). `lock` spins on
 * `Atomics.compareExchange` for a short while, then sleeps with `Atomics.wait`; `unlock` wakes one
 * sleeper only when the word says there may be one (Drepper's "Futexes are tricky", mutex 2).
 *
 * ## Safety
 * Every `Atomics` operation is sequentially consistent, so plain typed-array accesses made while the
 * lock is held are ordered before those of the next holder: the protected data is race-free.
 */
export class SpinLock {
  readonly #words: Int32Array<SharedArrayBuffer>;
  readonly #index: number;

  /** A lock over `words[index]`, which must start at 0 and be used for nothing else. */
  constructor(words: Int32Array<SharedArrayBuffer>, index: number) {
    this.#words = words;
    this.#index = index;
  }

  /** Blocks until this thread holds the lock. Not re-entrant: locking twice deadlocks. */
  lock(): void {
    const w = this.#words;
    const i = this.#index;
    for (let spin = 0; spin < SPIN_LIMIT; spin++) {
      if (Atomics.compareExchange(w, i, FREE, HELD) === FREE) return;
    }
    while (Atomics.exchange(w, i, CONTENDED) !== FREE) Atomics.wait(w, i, CONTENDED);
  }

  /** Releases the lock, which this thread must hold. */
  unlock(): void {
    const w = this.#words;
    const i = this.#index;
    if (Atomics.sub(w, i, 1) !== HELD) {
      Atomics.store(w, i, FREE);
      Atomics.notify(w, i, 1);
    }
  }

  /** Runs `f` holding the lock, and releases it however `f` ends. */
  withLock<T>(f: () => T): T {
    this.lock();
    try {
      return f();
    } finally {
      this.unlock();
    }
  }
}

const FREE = 0;
const HELD = 1;
const CONTENDED = 2;
/** Critical sections are a few hundred nanoseconds; spin about that long before sleeping. */
const SPIN_LIMIT = 100;
