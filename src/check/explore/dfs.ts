/** Depth-first: the newest waiting state first (less memory for the frontier; traces not shortest). */
import type { SearchOrder } from './SearchOrder.ts';

/** `--dfs`. */
export const DFS: SearchOrder = { name: 'dfs', next: (frontier) => frontier.takeNewest() };
