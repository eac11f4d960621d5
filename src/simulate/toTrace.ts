/**
 * A shrunk simulation failure as an explorer counterexample: its fixed programs and labels (an `alloc`
 * names frame 0, as a fixed program step does), replayed by the explorer's own `runLabels`, so that the
 * ITF file it writes is exactly what `framecheck replay` re-runs.
 */
import { runLabels, type Run } from '../check/explore/search.ts';
import { EXHAUSTIVE_BOUNDS, type Instance } from '../check/instance.ts';
import type { Label } from '../check/model.ts';
import { toTrace, type Trace } from '../check/trace.ts';
import type { Subject } from '../check/world.ts';
import type { Shrunk } from './shrink.ts';

/** The explorer's form of the shrunk instance and labels. */
export function explorerForm(s: Shrunk): { inst: Instance; labels: Label[] } {
  const programs = s.inst.programs.map((p) =>
    p.kind === 'fixed'
      ? { kind: 'fixed' as const, steps: p.steps.map((x) => ({ op: x.op, frame: Math.max(0, x.frame) })) }
      : p,
  );
  const labels = s.run.labels.map((l) => ({ t: l.t, op: l.op, frame: Math.max(0, l.frame) }));
  return { inst: { ...s.inst, programs }, labels };
}

/** Why a shrunk failure has no explorer trace, or its run there. */
export type ExplorerReplay = Readonly<{ ok: true; run: Run; inst: Instance } | { ok: false; reason: string }>;

/** Replays the shrunk failure through the explorer, running `subject`; it must fail with the same property. */
export function replayInExplorer(s: Shrunk, property: string, subject: Subject | undefined): ExplorerReplay {
  const { inst, labels } = explorerForm(s);
  if (inst.frames > EXHAUSTIVE_BOUNDS.frames || inst.threads > EXHAUSTIVE_BOUNDS.threads)
    return {
      ok: false,
      reason: `the shrunk instance (${inst.frames} frames, ${inst.threads} threads) is beyond the explorer's bounds`,
    };
  const run = runLabels(inst, labels, false, subject);
  if (run.diverged !== undefined || run.finding?.property !== property)
    return {
      ok: false,
      reason: `the explorer's replay found ${run.finding?.property ?? 'no violation'} instead of ${property}`,
    };
  return { ok: true, run, inst };
}

/** How the failure was found, recorded in the trace's `#meta`. */
export type Provenance = Readonly<{ scheduler: string; seed: number; run: number; step: number }>;

/** The ITF trace of a failure the explorer reproduced. */
export function simTrace(r: Extract<ExplorerReplay, { ok: true }>, how: Provenance): Trace {
  const t = toTrace(r.run.world, r.inst, r.run.finding!, r.run, `simulate/${how.scheduler}`);
  return { ...t, '#meta': { ...t['#meta'], ...{ seed: how.seed, run: how.run, foundAtStep: how.step } } };
}
