/**
 * `framecheck clauses [--spec seed|head] [--json] [--coverage FILE|DIR]`: every mirrored Verus clause, with
 * how often the last `npm test` run saw it true and false; `--diff A B`: the clauses of the
 * layers both tables mirror (the frame metadata, the Frame handle) added, removed and changed from A to B.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
import { mergeParts, type CoveragePart } from '../../contract/coverage.ts';

const CoverageFile = z.object({
  generated: z.string(),
  clauses: z.record(z.string(), z.tuple([z.number(), z.number()])),
  /** Per clause, the wrong implementations and callers that made it false in a checked run (absent in older files). */
  falsifiedBy: z.record(z.string(), z.array(z.string())).optional(),
});
/** A coverage file read, or a directory's parts added up (`parts`: how many files). */
type Coverage = z.infer<typeof CoverageFile> & { parts?: number };

/** One process's part, as `FRAMECHECK_CLAUSE_COVERAGE=DIR` writes it (`flushCoverage`). */
const CoveragePartFile = z.object({
  counts: z.record(z.string(), z.tuple([z.number(), z.number()])),
  falsifiedBy: z.record(z.string(), z.array(z.string())),
});

function parseFile(file: string): unknown {
  const json = parseJson(readFileSync(file, 'utf8'));
  if ('error' in json) throw new UsageError(`${file}: ${json.error}`);
  return json.value;
}

/** A directory: every `*.json` in it (parts or merged files) added up; `generated` is the newest file's time. */
function readCoverageDir(dir: string): Coverage {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new UsageError(`${dir}: no clause-coverage parts (*.json) in this directory`);
  let newest = 0;
  const parts: CoveragePart[] = files.map((f) => {
    const file = join(dir, f);
    newest = Math.max(newest, statSync(file).mtimeMs);
    const raw = parseFile(file);
    const part = CoveragePartFile.safeParse(raw);
    if (part.success) return part.data;
    const merged = CoverageFile.safeParse(raw);
    if (merged.success) return { counts: merged.data.clauses, falsifiedBy: merged.data.falsifiedBy ?? {} };
    throw new UsageError(
      `${file}: neither a clause-coverage part nor a merged file (${part.error.issues[0]!.message})`,
    );
  });
  const m = mergeParts(parts);
  return {
    generated: new Date(newest).toISOString(),
    parts: files.length,
    clauses: Object.fromEntries(m.counts),
    falsifiedBy: Object.fromEntries(m.falsifiedBy),
  };
}

function readCoverage(file: string, given: boolean): Coverage | undefined {
  if (!existsSync(file)) {
    if (given) throw new UsageError(`${file}: no such clause-coverage file or directory`);
    return undefined;
  }
  if (statSync(file).isDirectory()) return readCoverageDir(file);
  const r = CoverageFile.safeParse(parseFile(file));
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
      'PATH',
      'the counts to show: a merged file (default .framecheck/clause-coverage.json, written by npm test) or a directory of parts (what FRAMECHECK_CLAUSE_COVERAGE=DIR writes; merged files there are added too)',
    ),
  },
  exits: {
    0: 'the table (or the diff) was printed',
    2: 'bad input (an unknown spec version, a coverage file or directory that is missing, empty or malformed)',
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
      io.out(
        JSON.stringify({
          spec,
          coverage: cov
            ? { file, generated: cov.generated, ...(cov.parts === undefined ? {} : { parts: cov.parts }) }
            : null,
          clauses: rows,
          notes,
        }),
      );
      return EXIT.ok;
    }
    const both = rows.filter((r) => r.seenTrue > 0 && r.seenFalse > 0).length;
    for (const r of rows)
      io.out(`${String(r.seenTrue).padStart(7)} ${String(r.seenFalse).padStart(6)}  ${r.name.padEnd(58)} ${r.verus}`);
    io.out(
      `${rows.length} clauses mirrored (spec ${spec}, vostd ${SPEC_COMMITS[spec]}); ${both} seen both true and false${cov ? ` (coverage of ${cov.generated}${cov.parts === undefined ? '' : `, ${cov.parts} parts`})` : ' (no coverage file: run `npm test` first)'}`,
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
