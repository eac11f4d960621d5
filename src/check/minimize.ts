/**
 * Minimizes a counterexample: the search is breadth-first, so its trace is shortest for the instance;
 * then smaller instances are tried — only the threads the trace schedules, smaller depths, fewer
 * frames — keeping each one on which the same property still fails.
 */
import { explore, runLabels, type Limits, type Run } from './explore/search.ts';
import type { Instance, Program } from './instance.ts';
import type { Subject } from './world.ts';

export type Minimized = Readonly<{ inst: Instance; run: Run }>;

function violatedSame(inst: Instance, property: string, limits: Limits, subject?: Subject): Run | undefined {
  const r = explore(inst, { limits, ...(subject !== undefined && { subject }) });
  if (r.verdict !== 'violation' || r.violation.finding.property !== property) return undefined;
  const run = runLabels(inst, r.violation.labels, true, subject);
  return run.finding?.property === property ? run : undefined;
}

function withPrograms(inst: Instance, programs: readonly Program[]): Instance {
  return { ...inst, programs, threads: programs.length };
}

/**
 * The smallest instance (by the moves above) on which `property` still fails, with its shortest run;
 * `subject` is what runs instead of the instance's implementation (a third party's, for `conform`).
 */
export function minimize(inst: Instance, first: Run, limits: Limits, subject?: Subject): Minimized {
  const property = first.finding!.property;
  let best: Minimized = { inst, run: first };
  const used = [...new Set(first.labels.map((l) => l.t))].sort((a, b) => a - b);
  if (used.length < inst.threads && used.length > 0) {
    const cand = withPrograms(
      inst,
      used.map((t) => inst.programs[t]!),
    );
    const run = violatedSame(cand, property, limits, subject);
    if (run !== undefined) best = { inst: cand, run };
  }
  // Then every single thread whose removal keeps the violation.
  for (let t = best.inst.threads - 1; t >= 0 && best.inst.threads > 1; t--) {
    const cand = withPrograms(
      best.inst,
      best.inst.programs.filter((_, k) => k !== t),
    );
    const run = violatedSame(cand, property, limits, subject);
    if (run !== undefined) best = { inst: cand, run };
  }
  for (;;) {
    const progs = best.inst.programs;
    if (!progs.some((p) => p.kind === 'any' && p.depth > 1)) break;
    const cand = withPrograms(
      best.inst,
      progs.map((p) => (p.kind === 'any' && p.depth > 1 ? { ...p, depth: p.depth - 1 } : p)),
    );
    const run = violatedSame(cand, property, limits, subject);
    if (run === undefined) break;
    best = { inst: cand, run };
  }
  const frames = new Set(best.run.labels.filter((l) => l.frame >= 0).map((l) => l.frame));
  const fixedFrames = best.inst.programs.every((p) => p.kind === 'any');
  if (fixedFrames && best.inst.frames > 1 && frames.size < best.inst.frames) {
    const cand = { ...best.inst, frames: frames.size };
    const run = violatedSame(cand, property, limits, subject);
    if (run !== undefined) best = { inst: cand, run };
  }
  return best;
}
