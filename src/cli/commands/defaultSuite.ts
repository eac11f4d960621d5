/**
 * `framecheck default` (what `npm start` runs): the default suite — a bounded exhaustive check of the
 * canonical instance in both protocol variants, the mutant catalog, a contract-checked model-based
 * run — with one summary table.
 */
import { z } from 'zod';
import { explore } from '../../check/explore/search.ts';
import { buildInstance, type InstanceFlags } from '../../check/instance.ts';
import { runModelBased } from '../../check/modelRun.ts';
import { formatViolation } from '../../contract/report.ts';
import { allMutants, mutantByName } from '../../mutants/catalog.ts';
import { intFlag, validate } from '../args.ts';
import { EXIT, flag, type Command } from '../command.ts';
import { interrupted } from '../interrupt.ts';
import { killMutants } from './mutants.ts';
import { proofsRow } from './prove.ts';

type Verdict = 'ok' | 'violation' | 'incomplete';
export type Row = { job: string; verdict: Verdict; detail: string; seconds: number };

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

const CANONICAL: InstanceFlags = {
  frames: 2,
  threads: 3,
  depth: 3,
  ops: 'from_unused,from_in_use,drop',
  refCountMax: 2,
};
const LIMITS = { maxStates: 20_000_000, timeLimitMs: 600_000, maxMemoryBytes: 8 * 2 ** 30 };

function checkRow(variant: 'current' | 'legacy', depth: number): Row {
  const [r, seconds] = timed(() =>
    explore(
      buildInstance({ ...CANONICAL, depth, variant }, (n) => mutantByName(n) !== undefined),
      { limits: { ...LIMITS, interrupted } },
    ),
  );
  const detail =
    r.verdict === 'violation'
      ? `${r.violation.finding.property}: ${r.violation.finding.message}`
      : `${r.states} states, ${r.transitions} transitions, ${r.statesPerSecond} states/s${r.verdict === 'incomplete' ? ` (${r.reason})` : ''}`;
  return {
    job: `check: 3 threads × 2 frames, depth ${depth}, ${variant} protocol`,
    verdict: r.verdict,
    detail,
    seconds,
  };
}

function mutantsRow(): Row {
  const [results, seconds] = timed(() => killMutants(allMutants().map((m) => m.name)));
  const killed = results.filter((r) => r.killed).length;
  // The weak-memory explorer kills the ordering-only mutants too: any survivor is unexpected.
  const unexpected = results.filter((r) => !r.killed).map((r) => r.name);
  const survived = [...(unexpected.length > 0 ? [`SURVIVED unexpectedly: ${unexpected.join(', ')}`] : [])];
  return {
    job: 'mutant catalog',
    verdict: unexpected.length === 0 ? 'ok' : 'violation',
    detail: [`${killed}/${results.length} seeded bugs killed`, ...survived].join('; '),
    seconds,
  };
}

/** The suite's closing line: whether everything passed, and what did not. */
export function closingLine(rows: readonly Row[]): string {
  const bad = rows.filter((r) => r.verdict !== 'ok');
  if (bad.length === 0) return `all ${rows.length} jobs passed`;
  return `${rows.length - bad.length}/${rows.length} jobs passed; not: ${bad.map((r) => `${r.job} (${r.verdict})`).join(', ')}`;
}

/** The jobs of the suite, in order; each runs only if no Ctrl-C came before it. */
function jobs(depth: number, runs: number, seed: number): readonly (readonly [string, () => Row | Promise<Row>])[] {
  return [
    [`check, current protocol`, () => checkRow('current', depth)],
    [`check, legacy protocol`, () => checkRow('legacy', depth)],
    ['mutant catalog', mutantsRow],
    ['model-based run', () => modelRow(runs, seed)],
    ['proofs', proofsRow],
  ];
}

function modelRow(runs: number, seed: number): Row & { violation?: string } {
  const [mbt, s] = timed(() => runModelBased({ runs, seed, frames: 3 }));
  return {
    job: 'model-based run of the contract-checked MetaSlot layer',
    verdict: mbt.ok ? 'ok' : 'violation',
    detail: mbt.ok
      ? `${mbt.runs} random sequences, every call checked (seed ${seed})`
      : `${mbt.message} — ${mbt.counterexample}`,
    seconds: s,
    ...(!mbt.ok && mbt.violation && { violation: formatViolation(mbt.violation) }),
  };
}

export const defaultSuite: Command = {
  summary: 'run the default suite (checks, mutant catalog, model-based run, proofs) and print one summary table',
  usage: 'usage: framecheck default [flags]',
  flags: {
    runs: flag('string', 'N', 'random sequences of the model-based run (default 500)'),
    seed: flag('string', 'S', "the model-based run's seed (default 1)"),
    quick: flag('boolean', 'check to depth 2 instead of 3'),
    json: flag('boolean', 'one JSON object on stdout'),
  },
  exits: {
    0: 'every job passed',
    1: 'a job found a violation (or a mutant survived unexpectedly)',
    2: 'bad input',
    3: 'incomplete: a job hit its limit, or Ctrl-C stopped the suite (the jobs run so far are shown)',
  },
  interruptible: true,
  async run(args, io) {
    const opts = validate(
      z.object({
        runs: intFlag(1, 1_000_000).optional(),
        seed: intFlag(0, 2 ** 31 - 1).optional(),
        json: z.boolean().optional(),
        quick: z.boolean().optional(),
        progress: z.boolean().optional(),
      }),
      args.flags,
    );
    const seed = opts.seed ?? 1;
    const all = jobs(opts.quick ? 2 : 3, opts.runs ?? 500, seed);
    const rows: (Row & { violation?: string })[] = [];
    for (const [k, [name, job]] of all.entries()) {
      if (interrupted()) {
        rows.push({ job: name, verdict: 'incomplete', detail: 'not run: interrupted', seconds: 0 });
        continue;
      }
      if (io.progress) io.err(`[${k + 1}/${all.length}] ${name}…`);
      const row = await job();
      rows.push(row);
      if (io.progress) io.err(`[${k + 1}/${all.length}] ${name}: ${row.verdict} (${row.seconds.toFixed(1)} s)`);
    }
    if (opts.json) io.out(JSON.stringify({ rows: rows.map(({ violation: _v, ...r }) => r) }));
    else {
      io.out('job'.padEnd(60) + 'verdict'.padEnd(11) + 'seconds'.padEnd(9) + 'detail');
      for (const r of rows) io.out(r.job.padEnd(60) + r.verdict.padEnd(11) + r.seconds.toFixed(2).padEnd(9) + r.detail);
      for (const r of rows) if (r.violation !== undefined) io.out(r.violation);
      io.out(closingLine(rows));
    }
    return rows.every((r) => r.verdict === 'ok')
      ? EXIT.ok
      : rows.some((r) => r.verdict === 'violation')
        ? EXIT.violation
        : EXIT.incomplete;
  },
};
