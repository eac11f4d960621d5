/**
 * Replay: one given path of labels, run from the initial state with every check the search makes
 * (`runLabels`, src/check/explore/replay.ts); a violation on the path is what it finds.
 */
import { runLabels, type Run } from '../check/explore/replay.ts';
import type { Label } from '../check/model.ts';
import type { Strategy } from './Strategy.ts';

/**
 * What a replay did: its steps, the step at which the path stopped fitting the instance, and the run
 * itself (its states and step results, for a timeline of the path whatever the verdict).
 */
export type ReplayStats = Readonly<{ steps: number; seconds: number; diverged?: number; run: Run }>;

/** Replays `path` (`canonical`: labels on symmetry representatives, as the exhaustive search records them). */
export function replay(path: readonly Label[], canonical: boolean): Strategy<ReplayStats> {
  return {
    name: 'replay',
    search(inst, o) {
      const t0 = performance.now();
      const run = runLabels(inst, path, canonical, o.subject);
      const stats: ReplayStats = {
        steps: run.labels.length,
        seconds: (performance.now() - t0) / 1000,
        ...(run.diverged !== undefined && { diverged: run.diverged }),
        run,
      };
      if (run.finding !== undefined)
        return { verdict: 'violation', finding: run.finding, labels: run.labels, canonical: false, stats };
      if (run.diverged !== undefined)
        return { verdict: 'incomplete', reason: `the path does not fit the instance at step ${run.diverged}`, stats };
      return { verdict: 'ok', stats };
    },
  };
}
