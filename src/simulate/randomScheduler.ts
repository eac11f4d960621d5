/** The random walk: at every step, a thread chosen uniformly among the runnable ones. */
import type { Rng } from './Rng.ts';
import type { Scheduler } from './Scheduler.ts';

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
