/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): every
 * thread gets a distinct random priority in `d .. d + n - 1`, and `d - 1` change points are drawn among
 * the first `k` steps. At each step the runnable thread of highest priority runs; at the `i`-th change
 * point the thread that ran gets priority `d - i`, below every initial one. A bug of depth `d` (one
 * needing `d` ordering constraints) is found with probability at least `1 / (n k^(d-1))` per run.
 *
 * `k` starts as the caller's estimate and grows to the longest run seen, as shuttle's PCT does.
 * `pct(…)` is `check --strategy pct`; `PctScheduler` is also `simulate --scheduler pct`.
 */
import type { Rng } from '../simulate/Rng.ts';
import type { Scheduler, Strategy } from './Strategy.ts';
import { walks, type SampleStats, type Sampling } from './walk.ts';

export class PctScheduler implements Scheduler {
  readonly name: string;
  readonly depth: number;
  private k = 0;
  private priority: number[] = [];
  private changes: number[] = [];

  constructor(depth: number) {
    this.depth = depth;
    this.name = `pct(d=${depth})`;
  }

  begin(rng: Rng, threads: number, steps: number): void {
    this.k = Math.max(this.k, steps, 1);
    const order = Array.from({ length: threads }, (_, t) => t);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    this.priority = new Array<number>(threads);
    order.forEach((t, rank) => (this.priority[t] = this.depth + rank));
    this.changes = Array.from({ length: this.depth - 1 }, () => rng.int(this.k));
  }

  pick(runnable: readonly number[], step: number): number {
    let best = runnable[0]!;
    for (const t of runnable) if (this.priority[t]! > this.priority[best]!) best = t;
    const i = this.changes.indexOf(step);
    if (i >= 0) this.priority[best] = this.depth - 1 - i;
    return best;
  }

  end(steps: number): void {
    this.k = Math.max(this.k, steps);
  }
}

/** `s.runs` PCT runs of bug depth `depth` from seed `s.seed` on (one scheduler: `k` adapts across runs). */
export function pct(s: Sampling & Readonly<{ depth: number }>): Strategy<SampleStats> {
  return { name: `pct(d=${s.depth})`, search: (inst, o) => walks(inst, o, new PctScheduler(s.depth), s) };
}
