/**
 * The explorer's strategy: which waiting state it expands next (STYLE rule 8, after shuttle's
 * `Scheduler`). One strategy per file: `bfs.ts`, `dfs.ts`. The simulator's strategies (random, PCT)
 * implement `simulate/Scheduler.ts`, and replay (`replay.ts`) runs one given path.
 */
import type { Frontier } from './frontier.ts';

/** A search order over the frontier. */
export interface SearchOrder {
  /** The name counterexamples record as their strategy. */
  readonly name: 'bfs' | 'dfs';
  /** Loads the next state to expand into `frontier.cur`; false when none is left. */
  next(frontier: Frontier): boolean;
}
