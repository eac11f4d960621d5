/**
 * `framecheck default` (what `npm start` runs): the default suite, with one summary table.
 */
import { z } from 'zod';
import { runModelBased } from '../../check/modelRun.ts';
import { formatViolation } from '../../contract/report.ts';
import { intFlag, validate } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

type Row = { job: string; verdict: 'ok' | 'violation' | 'incomplete'; detail: string; seconds: number };

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

export const defaultSuite: Command = {
  summary: 'run the default suite and print one summary table',
  usage: 'framecheck default [--runs N] [--seed N] [--json]',
  flags: { runs: 'string', seed: 'string', json: 'boolean' },
  run(args, io) {
    const opts = validate(
      z.object({ runs: intFlag(1, 1_000_000).optional(), seed: intFlag(0, 2 ** 31 - 1).optional(), json: z.boolean().optional() }),
      args.flags,
    );
    const seed = opts.seed ?? 1;
    const rows: Row[] = [];
    const [mbt, s] = timed(() => runModelBased({ runs: opts.runs ?? 500, seed, frames: 3 }));
    rows.push({
      job: 'model-based run of the contract-checked MetaSlot layer',
      verdict: mbt.ok ? 'ok' : 'violation',
      detail: mbt.ok ? `${mbt.runs} random sequences, every call checked (seed ${seed})` : `${mbt.message} — ${mbt.counterexample}`,
      seconds: s,
    });
    if (opts.json) io.out(JSON.stringify({ rows }));
    else {
      io.out('job'.padEnd(58) + 'verdict'.padEnd(11) + 'seconds'.padEnd(9) + 'detail');
      for (const r of rows) io.out(r.job.padEnd(58) + r.verdict.padEnd(11) + r.seconds.toFixed(2).padEnd(9) + r.detail);
      if (!mbt.ok && mbt.violation) io.out(formatViolation(mbt.violation));
    }
    return rows.every((r) => r.verdict === 'ok') ? EXIT.ok : EXIT.violation;
  },
};
