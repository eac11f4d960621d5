/**
 * `framecheck clauses [--json] [--coverage FILE]`: every mirrored Verus clause, with how often the last
 * `npm test` run saw it true and false.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { clauseTable } from '../../../spec/registry.ts';
import { UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command } from '../command.ts';
import { parseJson } from '../../jsonSyntax.ts';

const CoverageFile = z.object({
  generated: z.string(),
  clauses: z.record(z.string(), z.tuple([z.number(), z.number()])),
});

function readCoverage(file: string, given: boolean): z.infer<typeof CoverageFile> | undefined {
  if (!existsSync(file)) {
    if (given) throw new UsageError(`${file}: no such clause-coverage file`);
    return undefined;
  }
  const json = parseJson(readFileSync(file, 'utf8'));
  if ('error' in json) throw new UsageError(`${file}: ${json.error}`);
  const r = CoverageFile.safeParse(json.value);
  if (!r.success) throw new UsageError(`${file}: not a clause-coverage file (${r.error.issues[0]!.message})`);
  return r.data;
}

export const clauses: Command = {
  summary: 'list every mirrored Verus clause with how often `npm test` saw it true and false',
  usage: 'usage: framecheck clauses [flags]',
  flags: {
    json: flag('boolean', 'one JSON object on stdout'),
    coverage: flag(
      'string',
      'FILE',
      'the counts to show (default .framecheck/clause-coverage.json, written by npm test)',
    ),
  },
  exits: { 0: 'the table was printed', 2: 'bad input (a coverage file that is missing or malformed)' },
  run(args, io) {
    const opts = validate(z.object({ json: z.boolean().optional(), coverage: z.string().optional() }), args.flags);
    const file = resolve(io.cwd, opts.coverage ?? '.framecheck/clause-coverage.json');
    const cov = readCoverage(file, opts.coverage !== undefined);
    const rows = clauseTable().map((r) => {
      const [seenTrue, seenFalse] = cov?.clauses[r.name] ?? [0, 0];
      return { ...r, seenTrue, seenFalse };
    });
    if (opts.json) {
      io.out(JSON.stringify({ coverage: cov ? { file, generated: cov.generated } : null, clauses: rows }));
      return EXIT.ok;
    }
    const both = rows.filter((r) => r.seenTrue > 0 && r.seenFalse > 0).length;
    for (const r of rows)
      io.out(`${String(r.seenTrue).padStart(7)} ${String(r.seenFalse).padStart(6)}  ${r.name.padEnd(58)} ${r.verus}`);
    io.out(
      `${rows.length} clauses mirrored; ${both} seen both true and false${cov ? ` (coverage of ${cov.generated})` : ' (no coverage file: run `npm test` first)'}`,
    );
    const never = rows.filter((r) => r.seenFalse === 0).map((r) => r.name);
    if (cov && never.length > 0) io.out(`never seen false: ${never.join(', ')}`);
    return EXIT.ok;
  },
};
