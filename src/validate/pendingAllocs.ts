/**
 * Allocations whose outcome is unknown tie frames together: such an `alloc` may have taken any frame
 * not allocated, so a frame whose sub-history fails on its own may be explained by one of them. Each
 * wildcard is tried as an extra, optional claim on a failing frame; a frame that passes with some
 * set of wildcards keeps the smallest set found greedily, and those wildcards are used up (an
 * `alloc` of n frames covers at most n frames, all within n consecutive frames). Every other frame
 * keeps its independent verdict.
 */
import { PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { historyOp } from '../ops/opTable.ts';
import { addSub, type FrameHistory } from './frameHistories.ts';
import type { HistoryOp } from './History.ts';
import { linearize } from './linearize.ts';

/** How many wildcards are tried on one frame at most (the latest ones invoked before its failure). */
export const MAX_WILDCARDS_PER_FRAME = 12;

type Use = { op: HistoryOp; frames: number[] };

/** `h` with optional claims by each of `ws`. */
function withWildcards(h: FrameHistory, ws: readonly HistoryOp[]): FrameHistory {
  const b = { subs: [...h.subs], entries: [...h.entries] };
  for (const w of ws) addSub(b, w, historyOp(w.f)!);
  b.entries.sort((x, y) => x.seq - y.seq || (x.type === 'close' ? 0 : 1) - (y.type === 'close' ? 0 : 1));
  return { ...h, subs: b.subs, entries: b.entries };
}

/** Whether wildcard use `u` can also cover frame `paddr`. */
function fits(u: Use, paddr: number): boolean {
  const n = u.op.args.nframes ?? 1;
  if (u.frames.length >= n) return false;
  const all = [...u.frames, paddr];
  return Math.max(...all) - Math.min(...all) < n * PAGE_SIZE;
}

/** The smallest subset of `ws` (greedily) with which `h` passes, or `undefined`. */
function explainWith(h: FrameHistory, ws: HistoryOp[], p: ModelParams): HistoryOp[] | undefined {
  if (ws.length === 0 || !linearize(withWildcards(h, ws), p).ok) return undefined;
  const kept = [...ws];
  for (let k = kept.length - 1; k >= 0; k--) {
    const without = kept.filter((_, j) => j !== k);
    if (linearize(withWildcards(h, without), p).ok) kept.splice(k, 1);
  }
  return kept;
}

/**
 * The failing frames some wildcards explain. `failing` maps each failing frame to the event
 * sequence number where it failed.
 */
export function explainedByWildcards(
  failing: ReadonlyMap<number, { h: FrameHistory; seq: number }>,
  wildcards: readonly HistoryOp[],
  p: ModelParams,
): Set<number> {
  const uses = new Map<number, Use>();
  const explained = new Set<number>();
  for (const [paddr, { h, seq }] of failing) {
    const candidates = wildcards
      .filter((w) => w.invoke.seq < seq && (uses.get(w.id) === undefined || fits(uses.get(w.id)!, paddr)))
      .slice(-MAX_WILDCARDS_PER_FRAME);
    const used = explainWith(h, candidates, p);
    if (used === undefined) continue;
    explained.add(paddr);
    for (const w of used) {
      const u = uses.get(w.id) ?? { op: w, frames: [] };
      u.frames.push(paddr);
      uses.set(w.id, u);
    }
  }
  return explained;
}
