/**
 * How the engine chooses its next step: the one interface every strategy implements (after shuttle's
 * `Scheduler`), one strategy per file —
 *
 * - `bfs.ts`, `dfs.ts`: exhaustive, every interleaving (the explorer, `src/check/explore/search.ts`,
 *   with its frontier order `SearchOrder`; BFS also on worker threads);
 * - `random.ts`, `pct.ts`: bounded seeded runs of the explorer's own world, each step's thread picked
 *   by a `Scheduler` (below), which `simulate` uses as well on instances too large to exhaust;
 * - `replay.ts`: one given path.
 *
 * A strategy only finds: it returns the verdict, its statistics and a violation's labels.
 * `checkInstance` (src/check/checkInstance.ts) replays, minimizes and renders what it found, the same
 * way whichever strategy found it, so every front end calls that one function with the strategy.
 */
import type { Finding } from '../check/checks.ts';
import type { Limits, Progress } from '../check/explore/search.ts';
import type { Instance } from '../check/instance.ts';
import type { Label } from '../check/model.ts';
import type { Subject } from '../check/world.ts';
import type { Rng } from '../simulate/Rng.ts';

/** What a strategy is given: the limits, the subject in place of framecheck's implementation, progress. */
export type StrategyOptions = Readonly<{
  limits: Limits;
  subject?: Subject;
  onProgress?: (p: Progress) => void;
}>;

/**
 * What a strategy found, with its statistics `S`: nothing, a limit, or a violation and the labels
 * that reach it (`canonical`: recorded on symmetry representatives, as the exhaustive search does).
 */
export type Found<S> =
  | Readonly<{ verdict: 'ok'; stats: S }>
  | Readonly<{ verdict: 'incomplete'; reason: string; stats: S }>
  | Readonly<{
      verdict: 'violation';
      finding: Finding;
      labels: readonly Label[];
      canonical: boolean;
      stats: S;
    }>;

/** A way of running an instance. */
export interface Strategy<S> {
  /** The name a counterexample records as its strategy (`#meta.strategy` in docs/formats.md). */
  readonly name: string;
  /** Runs `inst` within `o.limits`; a violation comes with its labels, not yet replayed or minimized. */
  search(inst: Instance, o: StrategyOptions): Found<S>;
}

/**
 * How a sampled run picks the thread that steps next (shuttle's `Scheduler`): `random.ts` and
 * `pct.ts` implement it, for `check --strategy random|pct` and for `simulate --scheduler`.
 */
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
