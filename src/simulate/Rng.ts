/**
 * A small seeded generator (mulberry32): every random choice of a simulation comes from one, so a run
 * is reproduced by its seed alone.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit value. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A whole number in `0 .. n - 1` (`n >= 1`). */
  int(n: number): number {
    return this.next() % n;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Whether an event of probability `num / den` happens. */
  chance(num: number, den: number): boolean {
    return this.int(den) < num;
  }
}
