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
import { EXIT, type Command } from '../command.ts';
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
      { limits: LIMITS },
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
  const survivors = results.filter((r) => !r.killed).map((r) => r.name);
  return {
    job: 'mutant catalog',
    verdict: results.every((r) => r.killed || r.weakMemory) ? 'ok' : 'violation',
    detail: `${killed}/${results.length} seeded bugs killed${survivors.length > 0 ? `; survived: ${survivors.join(', ')}` : ''}`,
    seconds,
  };
}

export const defaultSuite: Command = {
  summary: 'run the default suite and print one summary table',
  usage: 'framecheck default [--runs N] [--seed N] [--quick] [--json]',
  flags: { runs: 'string', seed: 'string', json: 'boolean', quick: 'boolean' },
  async run(args, io) {
    const opts = validate(
      z.object({
        runs: intFlag(1, 1_000_000).optional(),
        seed: intFlag(0, 2 ** 31 - 1).optional(),
        json: z.boolean().optional(),
        quick: z.boolean().optional(),
      }),
      args.flags,
    );
    const seed = opts.seed ?? 1;
    const depth = opts.quick ? 2 : 3;
    const rows: Row[] = [checkRow('current', depth), checkRow('legacy', depth), mutantsRow()];
    const [mbt, s] = timed(() => runModelBased({ runs: opts.runs ?? 500, seed, frames: 3 }));
    rows.push({
      job: 'model-based run of the contract-checked MetaSlot layer',
      verdict: mbt.ok ? 'ok' : 'violation',
      detail: mbt.ok
        ? `${mbt.runs} random sequences, every call checked (seed ${seed})`
        : `${mbt.message} — ${mbt.counterexample}`,
      seconds: s,
    });
    rows.push(await proofsRow());
    if (opts.json) io.out(JSON.stringify({ rows }));
    else {
      io.out('job'.padEnd(60) + 'verdict'.padEnd(11) + 'seconds'.padEnd(9) + 'detail');
      for (const r of rows) io.out(r.job.padEnd(60) + r.verdict.padEnd(11) + r.seconds.toFixed(2).padEnd(9) + r.detail);
      if (!mbt.ok && mbt.violation) io.out(formatViolation(mbt.violation));
    }
    return rows.every((r) => r.verdict === 'ok')
      ? EXIT.ok
      : rows.some((r) => r.verdict === 'violation')
        ? EXIT.violation
        : EXIT.incomplete;
  },
};
