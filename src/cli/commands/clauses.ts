/**
 * `framecheck clauses [--spec seed|head] [--json] [--coverage FILE]`: every mirrored Verus clause, with
 * how often the last `npm test` run saw it true and false; `--diff A B`: the clauses of the
 * layers both tables mirror (the frame metadata, the Frame handle) added, removed and changed from A to B.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  clauseTableOf,
  diffClauses,
  headNoteTable,
  SPEC_COMMITS,
  type ClauseDiff,
} from '../../../spec/head/registry.ts';
import { noteTable } from '../../../spec/registry.ts';
import { UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command } from '../command.ts';
import { parseJson } from '../../jsonSyntax.ts';
import { SPEC_FLAG, specVersionSchema } from '../specFlag.ts';
import { coverageKey } from '../../../spec/head/specSet.ts';

const CoverageFile = z.object({
  generated: z.string(),
  clauses: z.record(z.string(), z.tuple([z.number(), z.number()])),
  /** Per clause, the wrong implementations and callers that made it false in a checked run (absent in older files). */
  falsifiedBy: z.record(z.string(), z.array(z.string())).optional(),
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

/** The text form of a clause diff: one line per clause, then a count line. */
function diffLines(d: ClauseDiff): string[] {
  const out = [
    `clauses of the layers both tables mirror, ${d.from} (vostd ${SPEC_COMMITS[d.from]}) -> ${d.to} (vostd ${SPEC_COMMITS[d.to]})`,
  ];
  for (const r of d.removed) out.push(`- ${r.name.padEnd(56)} ${r.verus}`);
  for (const r of d.added) out.push(`+ ${r.name.padEnd(56)} ${r.verus}`);
  for (const c of d.changed) {
    out.push(`~ ${c.name}${c.renamedFrom ? ` (was ${c.renamedFrom})` : ''}`);
    if (c.from !== c.to) out.push(`    - ${c.from}`, `    + ${c.to}`);
    if (c.fromOrigin !== c.toOrigin) out.push(`    origin ${c.fromOrigin} -> ${c.toOrigin}`);
  }
  out.push(
    `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged`,
  );
  return out;
}

/** `--diff A B`: A is the flag's value, B the one positional. */
function diffPair(a: string, positionals: readonly string[]) {
  if (positionals.length !== 1)
    throw new UsageError('--diff takes two spec versions: --diff A B (e.g. --diff seed head)');
  const from = validate(z.object({ diff: specVersionSchema }), { diff: a }).diff;
  const to = validate(z.object({ diff: specVersionSchema }), { diff: positionals[0] }).diff;
  if (from === to) throw new UsageError(`--diff: both sides are ${from}; give two different spec versions`);
  return { from, to };
}

export const clauses: Command = {
  summary: 'list every mirrored Verus clause with how often `npm test` saw it true and false',
  usage: 'usage: framecheck clauses [flags] | framecheck clauses --diff A B [--json]',
  flags: {
    json: flag('boolean', 'one JSON object on stdout'),
    spec: SPEC_FLAG,
    diff: flag('string', 'A B', 'the clauses added, removed and changed from spec version A to B (seed, head)'),
    coverage: flag(
      'string',
      'FILE',
      'the counts to show (default .framecheck/clause-coverage.json, written by npm test)',
    ),
  },
  exits: {
    0: 'the table (or the diff) was printed',
    2: 'bad input (an unknown spec version, a coverage file that is missing or malformed)',
  },
  run(args, io) {
    const opts = validate(
      z.object({
        json: z.boolean().optional(),
        coverage: z.string().optional(),
        spec: specVersionSchema.optional(),
        diff: z.string().optional(),
      }),
      args.flags,
    );
    if (opts.diff !== undefined) {
      if (opts.spec !== undefined) throw new UsageError('--diff names both spec versions; drop --spec');
      const { from, to } = diffPair(opts.diff, args.positionals);
      const d = diffClauses(from, to);
      if (opts.json) io.out(JSON.stringify({ diff: d }));
      else for (const line of diffLines(d)) io.out(line);
      return EXIT.ok;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const spec = opts.spec ?? 'seed';
    const file = resolve(io.cwd, opts.coverage ?? '.framecheck/clause-coverage.json');
    const cov = readCoverage(file, opts.coverage !== undefined);
    const rows = clauseTableOf(spec).map((r) => {
      const [seenTrue, seenFalse] = cov?.clauses[coverageKey(spec, r.name)] ?? [0, 0];
      const falsifiedBy = cov?.falsifiedBy?.[coverageKey(spec, r.name)] ?? [];
      return { ...r, seenTrue, seenFalse, falsifiedBy };
    });
    const notes = spec === 'seed' ? noteTable() : headNoteTable();
    if (opts.json) {
      io.out(JSON.stringify({ spec, coverage: cov ? { file, generated: cov.generated } : null, clauses: rows, notes }));
      return EXIT.ok;
    }
    const both = rows.filter((r) => r.seenTrue > 0 && r.seenFalse > 0).length;
    for (const r of rows)
      io.out(`${String(r.seenTrue).padStart(7)} ${String(r.seenFalse).padStart(6)}  ${r.name.padEnd(58)} ${r.verus}`);
    io.out(
      `${rows.length} clauses mirrored (spec ${spec}, vostd ${SPEC_COMMITS[spec]}); ${both} seen both true and false${cov ? ` (coverage of ${cov.generated})` : ' (no coverage file: run `npm test` first)'}`,
    );
    for (const n of notes) io.out(`   note         ${n.name.padEnd(58)} ${n.verus} (not checked: ${n.why})`);
    const never = rows.filter((r) => r.seenFalse === 0).map((r) => r.name);
    const falsified = rows.filter((r) => r.falsifiedBy.length > 0).length;
    if (cov)
      io.out(`${falsified} of ${rows.length} clauses made false by a wrong implementation or caller in a checked run`);
    if (cov && never.length > 0) io.out(`never seen false: ${never.join(', ')}`);
    return EXIT.ok;
  },
};
