/** Breadth-first: the oldest waiting state first, so the first violation found has a shortest trace. */
import type { SearchOrder } from './SearchOrder.ts';

/** The default search order. */
export const BFS: SearchOrder = { name: 'bfs', next: (frontier) => frontier.takeOldest() };
