/**
 * Breadth-first exhaustive search (the default): every interleaving, the first violation found with a
 * shortest trace. Given `parallel`, the search is level-synchronized on that many threads sharing one
 * fingerprint table (`src/check/explore/parallel.ts`): the same states and verdict for every count.
 */
import { exploreParallel } from '../check/explore/parallel.ts';
import { explore, type SearchResult, type Stats } from '../check/explore/search.ts';
import type { Found, Strategy } from './Strategy.ts';

/** The explorer's result as a strategy's: its statistics apart, its labels canonical. */
export function foundOf(r: SearchResult): Found<Stats> {
  const { verdict: _v, ...rest } = r as SearchResult & { violation?: unknown; reason?: unknown };
  const { violation: _x, reason: _y, ...stats } = rest;
  if (r.verdict === 'ok') return { verdict: 'ok', stats };
  if (r.verdict === 'incomplete') return { verdict: 'incomplete', reason: r.reason, stats };
  return { verdict: 'violation', finding: r.violation.finding, labels: r.violation.labels, canonical: true, stats };
}

/** How the parallel search runs: its workers, and the script that rebuilds a named subject in each. */
export type Parallel = Readonly<{ workers: number; workerScript?: () => string }>;

/** Breadth-first: the one-thread explorer, or (`parallel`) the level-synchronized search. */
export function bfs(parallel?: Parallel): Strategy<Stats> {
  return {
    name: 'bfs',
    search: (inst, o) =>
      foundOf(
        parallel !== undefined
          ? exploreParallel(inst, { ...o, ...parallel }).result
          : explore(inst, { ...o, dfs: false }),
      ),
  };
}

/** A breadth-first result found elsewhere (merged shards): the strategy only hands it on. */
export function foundElsewhere(r: SearchResult): Strategy<Stats> {
  return { name: 'bfs', search: () => foundOf(r) };
}
