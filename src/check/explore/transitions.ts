/**
 * What a single transition of the explorer means: a step guarded against the implementation
 * throwing, and the findings the step itself shows (a wrong return, an abort outside `may_panic`, a
 * livelock). Shared by the search strategies and by replay.
 */
import { completedFindings, abortFindings, type Finding } from '../checks.ts';
import { step, type Label, type State, type StepResult, type ThreadState } from '../model.ts';
import type { Instance } from '../instance.ts';
import type { World } from '../world.ts';
import type { Access } from '../ReplayMemory.ts';

/**
 * A step; an exception the implementation throws (other than a kernel abort, which is an outcome) is
 * a `crash` finding blamed on it, not a failure of the checker.
 */
export function guardedStep(world: World, inst: Instance, s: State, l: Label): StepResult | Finding {
  try {
    return step(world, inst, s, l);
  } catch (e) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return {
      property: 'crash',
      verus: '(the implementation threw)',
      blame: 'implementation',
      message: `thread ${l.t}: ${l.op ?? 'continuing'}(${l.frame}) threw ${what}`,
      frame: l.frame,
    };
  }
}

/** A violation caused by the transition itself: a wrong return, an abort outside may_panic, a livelock. */
export function transitionFinding(world: World, l: Label, r: StepResult, bound: number): Finding | undefined {
  if (r.abort !== undefined || r.midStep !== undefined || r.completed !== undefined) return stepFinding(world, r, l.t);
  return livelockFinding(l.t, r.state.threads[l.t]!, r.state.streak.accesses, bound);
}

/** The finding of a step that returned, aborted or broke a slot in its middle (its own checks decide). */
export function stepFinding(world: World, r: StepResult, t: number): Finding | undefined {
  // An allowed abort stops the kernel right there: what it wrote just before (an overflowed count,
  // as Arc::clone does) is never seen by anyone.
  if (r.abort !== undefined)
    return abortFindings(world, t, r.abort.op, r.abort.frame, r.abort.log, r.abort.error.reason)[0];
  if (r.midStep !== undefined) return r.midStep;
  if (r.completed !== undefined) return completedFindings(world, r.completed)[0];
  return undefined;
}

/** Thread `t` (now `th`) spins: its last `accesses` accesses, run alone, end in a cycle, or exceed `bound`. */
function livelockFinding(t: number, th: ThreadState, accesses: number, bound: number): Finding | undefined {
  // A cycle counts only when the thread ran it alone: then nothing but itself can end the loop.
  const cycle = spinCycle(th.log.slice(th.log.length - accesses));
  if (cycle > 0) {
    return {
      property: 'livelock',
      verus: '(termination) an operation spins without progress',
      blame: 'implementation',
      message: `thread ${t}: ${th.op}(${th.frame}) runs alone and repeats the same ${cycle} access(es), observing the same values and writing nothing: it spins forever (the last ${cycle} step(s) are the cycle of the lasso)`,
      frame: th.frame,
    };
  }
  if (th.log.length > bound) {
    return {
      property: 'livelock',
      verus: '(termination) an operation spins without progress',
      blame: 'implementation',
      message: `thread ${t}: ${th.op}(${th.frame}) made ${th.log.length} accesses without returning: it spins on a count that does not change`,
      frame: th.frame,
    };
  }
  return undefined;
}

/**
 * The length of a spin cycle at the end of an operation's log: the last block of accesses repeats the
 * one before it exactly (same words, same observed values) and writes nothing, so nothing the thread
 * does can end the loop. 0 when there is none.
 */
export function spinCycle(log: readonly Access[]): number {
  for (let k = 1; k <= 4 && 2 * k <= log.length; k++) {
    const n = log.length;
    let same = true;
    for (let j = 0; j < k && same; j++) {
      const a = log[n - 1 - j]!;
      const b = log[n - 1 - j - k]!;
      same =
        a.kind === b.kind &&
        a.word === b.word &&
        a.observed === b.observed &&
        a.written === undefined &&
        b.written === undefined;
    }
    if (same && log.slice(n - k).some((a) => a.atomic)) return k;
  }
  return 0;
}
