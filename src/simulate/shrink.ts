/**
 * Shrinking a failing simulation: the run's script is replayed on ever smaller candidates, keeping each
 * one on which the same property still fails — fixed programs instead of random ones, then fewer
 * operations and fewer steps (delta debugging over operations, then over single steps), fewer threads
 * (a thread left with nothing to do disappears) and fewer frames (the frames used, renumbered in order).
 */
import type { Instance, Program, ProgramStep } from '../check/instance.ts';
import type { Subject } from '../check/world.ts';
import { scriptRun, type RunOutcome } from './simRun.ts';
import type { Script } from './Script.ts';

export type Shrunk = Readonly<{ inst: Instance; script: Script; run: RunOutcome; attempts: number }>;

export type ShrinkBudget = Readonly<{ maxAttempts: number; deadline: number }>;

type Ctx = { property: string; subject: Subject | undefined; budget: ShrinkBudget; attempts: number };

/** The instance whose threads run the script's programs as fixed programs. */
export function fixedInstance(base: Instance, script: Script): Instance {
  const programs: Program[] = script.programs.map((steps) => ({ kind: 'fixed', steps: steps.map((s) => ({ ...s })) }));
  return { ...base, frames: script.frames, threads: programs.length, programs, symmetry: false, por: false };
}

/** Replays a candidate; on the same violation, the script as it ran (skipped and later entries dropped). */
function attempt(c: Ctx, base: Instance, script: Script): Shrunk | undefined {
  if (c.attempts >= c.budget.maxAttempts || performance.now() > c.budget.deadline) return undefined;
  c.attempts++;
  const inst = fixedInstance(base, script);
  const run = scriptRun(inst, script, c.subject);
  if (run.finding?.property !== c.property) return undefined;
  return { inst, script: { ...script, schedule: run.script.schedule }, run, attempts: c.attempts };
}

/** Classic delta debugging: the smallest subsequence of `items` (by removing chunks) that `test` accepts. */
function ddmin<T>(items: readonly T[], test: (kept: readonly T[]) => boolean): readonly T[] {
  let n = 2;
  while (items.length >= 1) {
    const chunk = Math.ceil(items.length / n);
    let reduced = false;
    for (let i = 0; i < items.length && !reduced; i += chunk) {
      const cand = [...items.slice(0, i), ...items.slice(i + chunk)];
      if (test(cand)) {
        items = cand;
        n = Math.max(n - 1, 2);
        reduced = true;
      }
    }
    if (!reduced) {
      if (chunk === 1) break;
      n = Math.min(n * 2, items.length);
    }
  }
  return items;
}

/** For each executed step, the operation (thread, program index) it belongs to; -1 for a final drop. */
function unitsOf(run: RunOutcome): string[] {
  const current = new Map<number, number>();
  return run.labels.map((l, i) => {
    if (l.op !== undefined) current.set(l.t, run.served[i]!);
    const k = current.get(l.t) ?? -1;
    return k < 0 ? '' : `${l.t}/${k}`;
  });
}

/** Removes whole operations (their program steps and their scheduled steps). */
function dropOps(c: Ctx, base: Instance, best: Shrunk): Shrunk {
  const units = unitsOf(best.run);
  const all = best.script.programs.flatMap((p, t) => p.map((_, k) => `${t}/${k}`));
  let found = best;
  ddmin(all, (kept) => {
    const keep = new Set(kept);
    const programs = best.script.programs.map((p, t) => p.filter((_, k) => keep.has(`${t}/${k}`)));
    const schedule = best.script.schedule.filter((_, i) => units[i] === '' || keep.has(units[i]!));
    const r = attempt(c, base, { frames: best.script.frames, programs, schedule });
    if (r !== undefined) found = r;
    return r !== undefined;
  });
  return found;
}

/** Removes single scheduled steps (which may reorder what the others do). */
function dropSteps(c: Ctx, base: Instance, best: Shrunk): Shrunk {
  let found = best;
  const idx = best.script.schedule.map((_, i) => i);
  ddmin(idx, (kept) => {
    const r = attempt(c, base, { ...best.script, schedule: kept.map((i) => best.script.schedule[i]!) });
    if (r !== undefined) found = r;
    return r !== undefined;
  });
  return found;
}

/** Removes the threads that take no step, and renumbers the rest in the order of their first step. */
function dropIdleThreads(c: Ctx, base: Instance, best: Shrunk): Shrunk {
  const used = [...new Set(best.script.schedule)];
  if (used.length === best.script.programs.length && used.every((t, i) => t === i)) return best;
  const renum = new Map(used.map((t, i) => [t, i]));
  const script: Script = {
    frames: best.script.frames,
    programs: used.map((t) => best.script.programs[t]!),
    schedule: best.script.schedule.map((t) => renum.get(t)!),
  };
  return attempt(c, base, script) ?? best;
}

/** Renumbers the frames the programs name to 0, 1, … in order, and drops the others. */
function compactFrames(c: Ctx, base: Instance, best: Shrunk): Shrunk {
  const used = [...new Set(best.script.programs.flatMap((p) => p.map((s) => s.frame)).filter((f) => f >= 0))].sort(
    (a, b) => a - b,
  );
  const frames = Math.max(1, used.length);
  if (frames >= best.script.frames) return best;
  const renum = new Map(used.map((f, i) => [f, i]));
  const step = (s: ProgramStep): ProgramStep => ({ op: s.op, frame: s.frame < 0 ? s.frame : renum.get(s.frame)! });
  return (
    attempt(c, base, {
      frames,
      programs: best.script.programs.map((p) => p.map(step)),
      schedule: best.script.schedule,
    }) ?? best
  );
}

const size = (s: Shrunk) => [s.script.schedule.length, s.script.programs.length, s.script.frames].join('/');

/** Shrinks a failing script; `undefined` when its fixed-program replay does not fail the same way. */
export function shrink(
  base: Instance,
  script: Script,
  property: string,
  subject: Subject | undefined,
  budget: ShrinkBudget,
): Shrunk | undefined {
  const c: Ctx = { property, subject, budget, attempts: 0 };
  let best = attempt(c, base, script);
  if (best === undefined) return undefined;
  best = compactFrames(c, base, best);
  for (let round = 0; round < 4; round++) {
    const before = size(best);
    best = dropIdleThreads(c, base, dropSteps(c, base, dropOps(c, base, best)));
    best = compactFrames(c, base, best);
    if (size(best) === before) break;
  }
  return { ...best, attempts: c.attempts };
}
