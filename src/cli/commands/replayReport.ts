/**
 * What `replay` makes of a re-run: the trace's instance checked against the bounds `check` applies,
 * whether the recorded property came back (on the recorded path, or after fewer of its steps), and
 * the report as text or as one JSON object carrying the message and the timeline.
 */
import type { Run } from '../../check/explore/search.ts';
import { timelineText } from '../../check/timeline.ts';
import type { Trace } from '../../check/trace.ts';
import { UsageError } from '../args.ts';
import { InstanceFlagsSchema } from './check.ts';

/** The trace's field each instance flag of `check` stands for. */
const FIELD: Readonly<Record<string, string>> = {
  frames: 'frames',
  threads: 'threads',
  depth: 'programs[].depth',
  'ref-count-max': 'refCountMax',
  variant: 'variant',
  mutant: 'mutant',
};

/**
 * Checks a trace's instance with the schema of `check`'s instance flags, so that replay runs no
 * instance `check` would refuse; a bad one is a `UsageError` naming the field and the flag.
 */
export function checkTraceInstance(file: string, i: Trace['#meta']['instance']): void {
  const depths = i.programs.flatMap((p) => (p.kind === 'any' ? [p.depth] : []));
  const flags = {
    frames: String(i.frames),
    threads: String(i.threads),
    'ref-count-max': i.refCountMax,
    variant: i.variant,
    ...(i.mutant !== undefined && { mutant: i.mutant }),
    ...(depths.length > 0 && { depth: String(Math.max(...depths)) }),
  };
  const r = InstanceFlagsSchema.safeParse(flags);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const flag = String(issue.path[0] ?? '');
    throw new UsageError(`${file}: #meta.instance.${FIELD[flag] ?? flag}: ${issue.message} (as for check --${flag})`);
  }
  for (const p of i.programs)
    if (p.kind === 'fixed')
      for (const s of p.steps)
        if (s.frame >= i.frames)
          throw new UsageError(
            `${file}: #meta.instance.programs: a step names frame ${s.frame}, but the instance has ${i.frames} frame(s)`,
          );
}

/** The outcome of a re-run. */
export type Replayed = Readonly<{
  reproduced: boolean;
  /** Reproduced after fewer steps than the trace records: the rest of the trace is never reached. */
  shorter: boolean;
}>;

/** Whether `run` reproduces the property `trace` records (also when it needs fewer of the trace's steps). */
export function replayedOf(trace: Trace, run: Run): Replayed {
  const reproduced = run.diverged === undefined && run.finding?.property === trace['#meta'].property;
  return { reproduced, shorter: reproduced && run.labels.length < trace['#meta'].labels.length };
}

/** The verdict line of a replay. */
export function replayLine(trace: Trace, run: Run, r: Replayed): string {
  const m = trace['#meta'];
  if (!r.reproduced)
    return `not reproduced: ${run.finding ? `found ${run.finding.property} instead` : 'no violation on this implementation'}`;
  const steps = r.shorter
    ? ` (after ${run.labels.length} of the trace's ${m.labels.length} steps: the trace is longer than the violation needs)`
    : '';
  return `reproduced: ${m.property}${steps} — ${run.finding!.message}`;
}

/** The replay as one JSON object: the verdict, the messages (found and recorded) and the timeline. */
export function replayJson(trace: Trace, run: Run, threads: number, r: Replayed): Record<string, unknown> {
  const m = trace['#meta'];
  return {
    reproduced: r.reproduced,
    shorter: r.shorter,
    property: m.property,
    found: run.finding?.property ?? null,
    message: run.finding?.message ?? null,
    recordedMessage: m.message,
    blame: run.finding?.blame ?? null,
    steps: run.labels.length,
    recordedSteps: m.labels.length,
    summary: replayLine(trace, run, r),
    timeline: timelineText(run, threads),
  };
}
