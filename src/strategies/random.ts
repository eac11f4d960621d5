/**
 * The random walk: at every step, a thread chosen uniformly among the runnable ones. `random(…)` is
 * `check --strategy random` (seeded runs of the explorer's world); `RandomScheduler` is also what
 * `simulate --scheduler random` steps its large instances with.
 */
import type { Rng } from '../simulate/Rng.ts';
import type { Scheduler, Strategy } from './Strategy.ts';
import { walks, type SampleStats, type Sampling } from './walk.ts';

export class RandomScheduler implements Scheduler {
  readonly name = 'random';
  private rng: Rng | undefined;

  begin(rng: Rng): void {
    this.rng = rng;
  }

  pick(runnable: readonly number[]): number {
    return this.rng!.pick(runnable);
  }

  end(): void {}
}

/** `s.runs` random walks from seed `s.seed` on. */
export function random(s: Sampling): Strategy<SampleStats> {
  return { name: 'random', search: (inst, o) => walks(inst, o, new RandomScheduler(), s) };
}
