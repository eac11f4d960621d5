/**
 * How a simulation picks the next thread to step: the one interface both schedulers implement
 * (STYLE rule 8: one strategy per file).
 */
import type { Rng } from './Rng.ts';

export interface Scheduler {
  /** The name printed with results, e.g. `random` or `pct(d=3)`. */
  readonly name: string;
  /** Starts a run of `threads` threads expected to take about `steps` steps. */
  begin(rng: Rng, threads: number, steps: number): void;
  /** The thread to step at step `step` (0-based), among the non-empty `runnable` ones. */
  pick(runnable: readonly number[], step: number): number;
  /** Called after each run with its length, so that estimates can adapt. */
  end(steps: number): void;
}
