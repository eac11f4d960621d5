/**
 * The explorer's checks after one simulation step, on the frames the step could have changed: the
 * words it touched, the frame it named or returned, and every frame its operation has accessed so far
 * (whose claim/drop windows it may have opened or closed). The invariants held on every other frame
 * before the step and nothing of theirs changed, so this is the explorer's `stateFindings`, cheaply.
 */
import { accountingFindings, quiescentFindings, slotFindings, stateFindings, type Finding } from '../check/checks.ts';
import { transitionFinding } from '../check/explore/search.ts';
import type { Label, StepResult } from '../check/model.ts';
import type { Access } from '../check/ReplayMemory.ts';
import type { World } from '../check/world.ts';
import { asState, type SimState } from './SimState.ts';

/** The longest an operation may run (accesses) before it counts as a livelock, as in the explorer. */
export const OP_ACCESS_BOUND = 256;

function addFramesOf(world: World, log: readonly Access[], out: number[]): void {
  for (const a of log) {
    if (a.word >= world.allocWord) continue;
    const f = Math.floor(a.word / world.per);
    if (!out.includes(f)) out.push(f);
  }
}

/** The frames step `r` of label `l` may have changed. */
function affectedFrames(world: World, s: SimState, l: Label, r: StepResult): number[] {
  const out: number[] = [];
  for (const w of r.touched)
    if (w < world.allocWord && !out.includes(Math.floor(w / world.per))) out.push(Math.floor(w / world.per));
  if (l.frame >= 0 && !out.includes(l.frame)) out.push(l.frame);
  const done = r.completed?.frame ?? -1;
  if (done >= 0 && !out.includes(done)) out.push(done);
  addFramesOf(world, r.completed?.log ?? s.threads[l.t]!.log, out);
  return out;
}

/** The first violation of step `r`: the transition's own, then the invariants of the frames it changed. */
export function stepFinding(world: World, s: SimState, l: Label, r: StepResult): Finding | undefined {
  const own = transitionFinding(world, l, r, OP_ACCESS_BOUND);
  if (own !== undefined || s.halted) return own;
  for (const f of affectedFrames(world, s, l, r)) {
    const bad = slotFindings(world, s.words, f)[0] ?? accountingFindings(world, asState(s), f)[0];
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** The first violation of the initial state (every frame). */
export function initialFinding(world: World, s: SimState): Finding | undefined {
  return stateFindings(world, asState(s))[0];
}

/** The first violation of a finished run (every thread idle and empty-handed). */
export function quiescentFinding(world: World, s: SimState): Finding | undefined {
  return quiescentFindings(world, asState(s))[0];
}
