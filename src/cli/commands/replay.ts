/**
 * `framecheck replay FILE [--html OUT]`: re-runs a counterexample through the real code, prints its
 * timeline, and exits 1 when the violation reproduces (0 when it does not).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { checkInstance } from '../../check/checkInstance.ts';
import { replay as replayPath } from '../../strategies/replay.ts';
import { timelineHtml, timelineText } from '../../check/timeline.ts';
import { instanceOf, TraceSchema, type Trace } from '../../check/trace.ts';
import type { Label } from '../../check/model.ts';
import { mutantByName } from '../../mutants/catalog.ts';
import { UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command } from '../command.ts';
import { writeAtomic } from './check.ts';
import { checkTraceInstance, replayedOf, replayJson, replayLine } from './replayReport.ts';
import type { Subject } from '../../check/world.ts';
import { implSubject } from './conform.ts';
import { isRc11Trace, replayRc11 } from './checkRc11.ts';

/** Reads and validates a counterexample file; every problem is one line naming it. */
export function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${e instanceof Error ? e.message : e})`);
  }
  const r = TraceSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(`${file}: not a framecheck counterexample: ${i.path.join('.') || '(top)'}: ${i.message}`);
  }
  const m = r.data['#meta'];
  if (m.instance.mutant !== undefined && mutantByName(m.instance.mutant) === undefined)
    throw new UsageError(`${file}: unknown mutant '${m.instance.mutant}'`);
  if (m.instance.programs.length !== m.instance.threads)
    throw new UsageError(
      `${file}: #meta.instance has ${m.instance.threads} threads but ${m.instance.programs.length} programs`,
    );
  checkTraceInstance(file, m.instance);
  return r.data;
}

/** The file's JSON, or `undefined` when it is not JSON (`readTrace` then says why). */
function peekJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Re-runs a trace; returns whether the recorded property is violated again, and the run. */
export function reproduce(trace: Trace, overrides: { mutant?: string | null; subject?: Subject } = {}) {
  const base = instanceOf(trace);
  const inst = overrides.mutant === undefined ? base : { ...base, mutant: overrides.mutant ?? undefined };
  const labels: Label[] = trace['#meta'].labels.map((l) => ({
    t: l.t,
    op: (l.op ?? undefined) as Label['op'],
    frame: l.frame,
  }));
  for (const l of labels)
    if (l.t >= inst.threads)
      throw new UsageError(`trace step names thread ${l.t}, but the instance has ${inst.threads}`);
  // The subject is resolved here, at the edge: the trace's mutant, unless a module replaces it.
  const mutant = inst.mutant === undefined ? undefined : mutantByName(inst.mutant);
  const subject = overrides.subject ?? mutant;
  // The recorded path as it is (no smaller instance tried): the run is the replay's, whatever the verdict.
  const run = checkInstance(inst, {
    strategy: replayPath(labels, false),
    minimize: false,
    ...(subject !== undefined && { subject }),
  }).stats.run;
  if (run.diverged !== undefined && overrides.mutant === undefined) {
    const l = labels[run.diverged - 1]!;
    throw new UsageError(
      `the trace does not fit its instance: step ${run.diverged} (T${l.t} ${l.op ?? 'continues'}) is not possible in the state the trace reached`,
    );
  }
  return { inst, run, ...replayedOf(trace, run) };
}

export const replay: Command = {
  summary: 'replay a counterexample through the real code and print its timeline',
  usage: 'usage: framecheck replay FILE [--html OUT.html] [--json] [--impl MODULE]',
  flags: {
    html: flag('string', 'OUT.html', 'also write the timeline as an HTML page'),
    json: flag('boolean', 'one JSON object on stdout (the messages and the timeline)'),
    impl: flag('string', 'MODULE', 're-run the trace through a third-party implementation (as conform --impl)'),
  },
  exits: {
    0: 'the violation does not reproduce',
    1: 'the violation reproduces (possibly after fewer steps than the trace has); an RC11 trace: found again',
    2: 'bad input: not a trace, or a trace that does not fit its instance',
  },
  async run(args, io) {
    const f = validate(
      z.object({ html: z.string().optional(), json: z.boolean().optional(), impl: z.string().optional() }),
      args.flags,
    );
    if (args.positionals.length !== 1) throw new UsageError('replay takes one counterexample file');
    const file = resolve(io.cwd, args.positionals[0]!);
    const rc11 = peekJson(file);
    if (isRc11Trace(rc11))
      return replayRc11(file, rc11, { json: f.json ?? false, ...(f.html !== undefined && { html: f.html }) }, io);
    const trace = readTrace(file);
    const impl = f.impl === undefined ? undefined : await implSubject(f.impl, io);
    const { inst, run, reproduced, shorter } = reproduce(trace, impl === undefined ? {} : { subject: impl.subject });
    impl?.done();
    const m = trace['#meta'];
    if (f.html !== undefined)
      writeAtomic(
        resolve(io.cwd, f.html),
        timelineHtml(run, inst.threads, `${m.property} (blame: ${m.blame})`, run.finding?.message ?? m.message),
      );
    if (f.json) io.out(JSON.stringify(replayJson(trace, run, inst.threads, { reproduced, shorter })));
    else {
      for (const line of timelineText(run, inst.threads)) io.out(line);
      io.out(replayLine(trace, run, { reproduced, shorter }));
    }
    return reproduced ? EXIT.violation : EXIT.ok;
  },
};
