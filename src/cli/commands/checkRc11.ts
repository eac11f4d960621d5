/**
 * `framecheck check --memory-model rc11`: the instance explored under RC11 (src/memory/rc11) instead of
 * sequential consistency — every execution RC11 allows of the real implementation, data races included.
 * A counterexample is written as ITF: one state per event of the racy (or failing) execution.
 */
import { join, resolve } from 'node:path';
import type { Instance } from '../../check/instance.ts';
import type { Subject } from '../../check/world.ts';
import {
  exploreImplRc11,
  rc11Supports,
  sampleImplRc11,
  type Rc11Instance,
  type Rc11Program,
  type Rc11Result,
  type Rc11Violation,
} from '../../memory/rc11/exploreImpl.ts';
import { toItf } from '../../contract/itf.ts';
import { z } from 'zod';
import { mutantByName } from '../../mutants/catalog.ts';
import { splitArgs, UsageError, validate } from '../args.ts';
import { EXIT, flagKinds, type Io } from '../command.ts';
import { INSTANCE_FLAG_TABLE, InstanceFlagsSchema, instanceFromFlags } from './check.ts';
import { outputDir, writeFileAtomic } from '../writeFileAtomic.ts';

export type Rc11CheckOptions = Readonly<{
  out: string;
  json: boolean;
  maxStates: number;
  stop: () => boolean;
  subject?: Subject;
}>;

/** The instance's programs as the RC11 explorer takes them; an operation it cannot run is bad input. */
export function rc11Programs(inst: Instance): Rc11Program[] {
  return inst.programs.map((p) => {
    const ops = p.kind === 'fixed' ? p.steps.map((s) => s.op) : p.ops;
    const bad = ops.find((o) => !rc11Supports(o));
    if (bad !== undefined)
      throw new UsageError(
        `--memory-model rc11 cannot run '${bad}': its world has no allocator (use the sc model for alloc)`,
      );
    return p.kind === 'fixed' ? p.steps : { depth: p.depth, ops: p.ops };
  });
}

/** The instance flags of `check` that rebuild `inst` (what `replay` of an RC11 trace re-explores). */
export function instanceArgs(inst: Instance): string[] {
  const fixed = inst.programs.flatMap((p, t) =>
    p.kind === 'fixed' ? [`${t}:${p.steps.map((s) => `${s.op}@${s.frame}`).join(',')}`] : [],
  );
  const any = inst.programs.find((p) => p.kind === 'any');
  return [
    ...['--frames', String(inst.frames), '--threads', String(inst.threads)],
    ...['--ref-count-max', String(inst.refCountMax), '--variant', inst.variant],
    ...(fixed.length > 0 ? ['--program', fixed.join(';')] : []),
    ...(any?.kind === 'any' ? ['--depth', String(any.depth), '--ops', any.ops.join(',')] : []),
    ...(inst.mutant === undefined ? [] : ['--mutant', inst.mutant]),
  ];
}

/** The RC11 explorer's instance of `inst`, with `subject`'s region and frame layer in place of framecheck's. */
function rc11Instance(inst: Instance, subject?: Subject): Rc11Instance {
  return {
    frames: inst.frames,
    programs: rc11Programs(inst),
    variant: inst.variant,
    refCountMax: inst.refCountMax,
    ...(subject?.region && { region: subject.region }),
    ...(subject?.layer && { layer: subject.layer as never }),
  };
}

/** The ITF trace of an RC11 counterexample: the execution's events in the order they were added. */
export function rc11Trace(inst: Instance, r: Rc11Result): object {
  const v = r.violation!;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: 'framecheck check --memory-model rc11',
      memoryModel: 'rc11',
      property: v.kind,
      message: v.message,
      reproduce: instanceArgs(inst),
      ...(v.race && { race: { first: v.race[0], second: v.race[1] } }),
      instance: toItf({
        frames: inst.frames,
        threads: inst.threads,
        variant: inst.variant,
        refCountMax: inst.refCountMax,
        mutant: inst.mutant,
        programs: inst.programs.map((p) =>
          p.kind === 'fixed'
            ? p.steps.map((s) => `${s.op}@${s.frame}`).join(',')
            : `any(depth ${p.depth}: ${p.ops.join(',')})`,
        ),
      }),
    },
    vars: ['event', 'mbt::actionTaken', 'mbt::nondetPicks'],
    states: v.events.map((e, index) => ({
      '#meta': { index },
      event: e,
      'mbt::actionTaken': e,
      'mbt::nondetPicks': {},
    })),
  };
}

/** Runs the RC11 check and reports; returns the exit code. */
export function runCheckRc11(inst: Instance, opts: Rc11CheckOptions, io: Io): number {
  const t0 = performance.now();
  const r = exploreImplRc11({
    ...rc11Instance(inst, opts.subject),
    maxStates: opts.maxStates,
    stop: opts.stop,
  });
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    memoryModel: 'rc11',
    verdict: r.verdict,
    states: r.states,
    executions: r.executions,
    seconds: Number(seconds.toFixed(3)),
  };
  if (r.verdict !== 'violation') {
    if (opts.json) io.out(JSON.stringify(summary));
    else
      io.out(
        `${r.verdict === 'ok' ? 'ok' : 'incomplete: a limit stopped the exploration'} (RC11) — ${r.states} states, ${r.executions} complete executions, ${seconds.toFixed(2)} s`,
      );
    return r.verdict === 'ok' ? EXIT.ok : EXIT.incomplete;
  }
  const v = r.violation!;
  const dir = outputDir(resolve(io.cwd, opts.out));
  const file = join(dir, `${inst.mutant ?? inst.variant}-rc11-${v.kind}.itf.json`);
  writeFileAtomic(file, `${JSON.stringify(rc11Trace(inst, r), null, 1)}\n`);
  if (opts.json)
    io.out(
      JSON.stringify({ ...summary, counterexample: { file, property: v.kind, message: v.message, events: v.events } }),
    );
  else {
    io.out(`violation of ${v.kind} (RC11) — ${v.message}`);
    for (const line of rc11Timeline(v)) io.out(`  ${line}`);
    io.out(`${r.states} states explored; written to ${file}`);
  }
  return EXIT.violation;
}

/** `framecheck simulate --memory-model rc11`: `runs` random RC11 executions of the instance, from `seed`. */
export function runSimulateRc11(
  inst: Instance,
  opts: Readonly<{ runs: number; seed: number; out: string; json: boolean; stop: () => boolean; subject?: Subject }>,
  io: Io,
): number {
  const t0 = performance.now();
  const r = sampleImplRc11(
    {
      ...rc11Instance(inst, opts.subject),
      stop: opts.stop,
    },
    opts.runs,
    opts.seed,
  );
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    memoryModel: 'rc11',
    verdict: r.verdict,
    runs: r.runs,
    seed: r.seed,
    seconds: Number(seconds.toFixed(3)),
  };
  if (r.violation === undefined) {
    const complete = r.runs === opts.runs;
    if (opts.json) io.out(JSON.stringify({ ...summary, verdict: complete ? 'ok' : 'incomplete' }));
    else
      io.out(
        `${complete ? 'ok' : 'incomplete: a limit stopped the runs'} (RC11) — ${r.runs} random execution(s) from seed ${opts.seed}, ${seconds.toFixed(2)} s`,
      );
    return complete ? EXIT.ok : EXIT.incomplete;
  }
  const v = r.violation;
  const dir = outputDir(resolve(io.cwd, opts.out));
  const file = join(dir, `${inst.mutant ?? inst.variant}-rc11-${v.kind}.sim.itf.json`);
  writeFileAtomic(
    file,
    `${JSON.stringify(rc11Trace(inst, { verdict: 'violation', states: 0, executions: 1, violation: v }), null, 1)}\n`,
  );
  if (opts.json) io.out(JSON.stringify({ ...summary, counterexample: { file, property: v.kind, message: v.message } }));
  else {
    io.out(`violation of ${v.kind} (RC11) in the execution of seed ${r.seed} — ${v.message}`);
    for (const line of rc11Timeline(v)) io.out(`  ${line}`);
    io.out(
      `written to ${file}; reproduce: framecheck simulate --memory-model rc11 --runs 1 --seed ${r.seed} (same instance flags)`,
    );
  }
  return EXIT.violation;
}

/** Whether `json` is an RC11 trace (`#meta.memoryModel` is `rc11`). */
export function isRc11Trace(json: unknown): boolean {
  const m = (json as { '#meta'?: { memoryModel?: unknown } } | null)?.['#meta'];
  return typeof m === 'object' && m !== null && m.memoryModel === 'rc11';
}

/**
 * `framecheck replay` of an RC11 trace: its instance explored again under RC11; it reproduces when the
 * exploration finds the recorded violation (same kind and message). Exit 1 when it does, 0 when not.
 */
export function replayRc11(
  file: string,
  json: unknown,
  opts: Readonly<{ json: boolean; html?: string }>,
  io: Io,
): number {
  const m = (json as { '#meta': { reproduce?: unknown; property?: unknown; message?: unknown } })['#meta'];
  const args = z.array(z.string()).safeParse(m.reproduce);
  if (!args.success || typeof m.property !== 'string' || typeof m.message !== 'string')
    throw new UsageError(`${file}: an RC11 trace without #meta.reproduce, property and message`);
  const flags = validate(InstanceFlagsSchema, splitArgs(args.data, flagKinds(INSTANCE_FLAG_TABLE)).flags);
  const inst = instanceFromFlags(flags);
  const subject = inst.mutant === undefined ? undefined : mutantByName(inst.mutant);
  const r = exploreImplRc11(rc11Instance(inst, subject));
  const v = r.violation;
  const reproduced = v !== undefined && v.kind === m.property && v.message === m.message;
  const line = reproduced
    ? `reproduced (RC11): ${v.kind} — ${v.message}`
    : v === undefined
      ? `not reproduced (RC11): no violation in ${r.states} states`
      : `not reproduced (RC11): found ${v.kind} — ${v.message}`;
  if (opts.html !== undefined && v !== undefined)
    writeFileAtomic(resolve(io.cwd, opts.html), rc11Html(v, inst.threads));
  if (opts.json)
    io.out(
      JSON.stringify({
        memoryModel: 'rc11',
        reproduced,
        found: v ?? null,
        recorded: { property: m.property, message: m.message },
      }),
    );
  else {
    io.out(line);
    if (v !== undefined) for (const line of rc11Timeline(v)) io.out(`  ${line}`);
  }
  return reproduced ? EXIT.violation : EXIT.ok;
}

/** The events of a violation, numbered, with the two racing accesses marked. */
export function rc11Timeline(v: Rc11Violation): string[] {
  const w = String(v.events.length).length;
  return v.events.map((e, i) => `${String(i + 1).padStart(w)}  ${e}${v.race?.includes(i) === true ? '   ✗ race' : ''}`);
}

const esc = (x: string) => x.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** The violation as an HTML page: one column per thread, one row per event, the racing pair marked. */
export function rc11Html(v: Rc11Violation, threads: number): string {
  const head = Array.from({ length: threads }, (_, t) => `<th>T${t}</th>`).join('');
  const rows = v.events.map((e, i) => {
    const t = Number(/^T(\d+) /.exec(e)?.[1] ?? 0);
    const raced = v.race?.includes(i) === true;
    const cells = Array.from(
      { length: threads },
      (_, k) => `<td class="${k === t ? 'act' : ''}">${k === t ? esc(e.replace(/^T\d+ /, '')) : ''}</td>`,
    );
    const note = `<td class="${raced ? 'mark' : ''}">${raced ? '✗ race' : ''}</td>`;
    return `<tr data-step="${i + 1}"${raced ? ' class="marked"' : ''}><td>${i + 1}</td>${cells.join('')}${note}</tr>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(v.kind)} (RC11)</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
td.act{background:#eef4ff}td.mark{color:#a00;font-weight:600}tr.marked{outline:2px solid #a00}h1{font-size:18px}p.msg{color:#a00}</style></head><body>
<h1 id="property">${esc(v.kind)} (RC11)</h1><p class="msg" id="message">${esc(v.message)}</p>
<table id="timeline"><thead><tr><th>event</th>${head}<th>note</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>`;
}
