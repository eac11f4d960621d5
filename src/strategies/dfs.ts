/**
 * Depth-first exhaustive search: every interleaving, the newest waiting state first (less memory for
 * the frontier; the trace is not shortest until minimized).
 */
import { explore, type Stats } from '../check/explore/search.ts';
import { foundOf } from './bfs.ts';
import type { Strategy } from './Strategy.ts';

/** `check --strategy dfs` (`--dfs`). */
export const dfs: Strategy<Stats> = { name: 'dfs', search: (inst, o) => foundOf(explore(inst, { ...o, dfs: true })) };
