/**
 * `framecheck mutants [--list] [--only NAME] [--json] [--runs N] [--seed S] [--out DIR]`: the seeded-bug
 * catalog. Each mutant is run through every engine that applies — the contracts, the explorer, the
 * simulator and the model-based tests — with the engines that killed it, the minimized counterexample,
 * the spec gap it shows (no contract clause catches it), and the mutation score.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { allMutants, clauseMutants, mutantByName } from '../../mutants/catalog.ts';
import type { ClauseMutant } from '../../mutants/clauseMutants.ts';
import { runClauseMutant } from '../../mutants/engines/clauseEngine.ts';
import { runDetails } from '../../check/RunDetails.ts';
import { catalogDetails, runCatalog, runMutantSync, score, type MutantReport } from '../../mutants/runCatalog.ts';
import { report } from '../reporter.ts';
import { intFlag, UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command, type Io } from '../command.ts';
import { outputDir, writeFileAtomic as writeAtomic } from '../writeFileAtomic.ts';

const Flags = z.object({
  list: z.boolean().optional(),
  only: z.string().optional(),
  json: z.boolean().optional(),
  runs: intFlag(1, 100_000).optional(),
  seed: intFlag(0, 2 ** 31 - 1).optional(),
  out: z.string().optional(),
  progress: z.boolean().optional(),
});

/** Writes each killed mutant's explorer trace into `dir`; returns the files. */
function writeTraces(reports: readonly MutantReport[], dir: string): string[] {
  outputDir(dir);
  return reports.flatMap((r) => {
    if (r.itf === undefined) return [];
    const sim = r.itf['#meta'].strategy.startsWith('simulate') ? '.sim' : '';
    const file = join(dir, `${r.name}-${r.itf['#meta'].property.replace(/[^A-Za-z0-9_.-]/g, '_')}${sim}.itf.json`);
    writeAtomic(file, `${JSON.stringify(r.itf, null, 1)}\n`);
    return [file];
  });
}

function printText(reports: readonly MutantReport[], io: Io): void {
  for (const r of reports) {
    const verdict = r.killed ? 'killed  ' : r.weakMemory ? 'survived (needs the weak-memory mode)' : 'SURVIVED';
    io.out(`${verdict} ${r.name.padEnd(32)} by ${r.by.join(', ') || '-'}`);
    if (r.counterexample !== null)
      io.out(
        `           ${r.counterexample.engine}: ${r.counterexample.property} — ${r.counterexample.trace || '(the initial state)'}`,
      );
  }
  const section = (kind: 'contract' | 'vostd', title: string) => {
    const gaps = reports.filter((r) => r.gap?.kind === kind);
    io.out('');
    io.out(`${title} (${gaps.length}):`);
    for (const r of gaps)
      io.out(
        `  ${r.name}: ${r.gap!.op} — ${r.gap!.missing} [caught by ${r.gap!.caughtBy}${kind === 'contract' ? `; vostd ${r.gap!.vostd ? 'misses it too' : 'states it'}` : ''}]`,
      );
  };
  section('contract', 'spec gaps: no contract clause catches the mutant (op, missing fact)');
  section('vostd', "gaps in vostd's own spec: only framecheck's upstream-origin clauses catch the mutant");
  const s = score(reports);
  io.out('');
  io.out(
    `mutation score: ${s.killed}/${s.total}${s.weakMemorySurvivors > 0 ? ` (${s.weakMemorySurvivors} ordering-only survivor(s): the RC11 explorer missed them)` : ''}`,
  );
}

/**
 * `--only NAME` of a clause mutant (`OP/OPERATOR`, the label `mutant:NAME` of `clauses --json`'s
 * falsifiedBy): run through the clause engine's checked scenarios; killed when some clause of some call
 * is false, and those clauses are listed.
 */
function runOneClauseMutant(m: ClauseMutant, io: Io, json: boolean) {
  const r = runClauseMutant(m);
  const row = {
    name: m.name,
    description: m.description,
    killed: r.killed,
    by: r.killed ? ['clauses'] : [],
    clauses: r.clauses,
  };
  const d = runDetails(r.killed ? 'ok' : 'violation', { mutants: [row] }, { survivors: [m.name] }, undefined);
  return report(
    io,
    d,
    {
      stats: (st) => ({ ...st }),
      counterexample: (c) => c,
      text: () => [
        `${r.killed ? 'killed  ' : 'SURVIVED'} ${m.name} by ${r.killed ? 'clauses' : '-'}`,
        ...r.clauses.map((c) => `           ${c}`),
        `mutation score: ${r.killed ? 1 : 0}/1 (clause engine: ${m.description})`,
      ],
    },
    json,
  );
}

/** Runs the named mutants synchronously (the default suite's row): each one's verdict and engines. */
export function killMutants(names: readonly string[]): MutantReport[] {
  return names.map((n) => runMutantSync(mutantByName(n)!, { numRuns: 200 }));
}

export const mutants: Command = {
  summary: 'run the seeded-bug catalog through every engine: who kills each mutant, the spec gaps, the mutation score',
  usage: 'usage: framecheck mutants [flags]',
  flags: {
    list: flag('boolean', 'list the catalog (name and description) without running it'),
    only: flag(
      'string',
      'NAME',
      'run one mutant: a catalog mutant, or a clause mutant OP/OPERATOR (a mutant:NAME falsifier of clauses --json), run by the clause engine',
    ),
    json: flag('boolean', 'one JSON object on stdout'),
    runs: flag('string', 'N', 'runs per random engine (default 300)'),
    seed: flag('string', 'S', "the random engines' seed (default 1)"),
    out: flag('string', 'DIR', "write each killed mutant's counterexample into DIR"),
  },
  exits: {
    0: 'every mutant killed',
    1: 'a mutant survived',
    2: 'bad input',
  },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const f = validate(Flags, args.flags);
    const clauseMutant = f.only === undefined ? undefined : clauseMutants().find((m) => m.name === f.only);
    if (f.only !== undefined && mutantByName(f.only) === undefined && clauseMutant === undefined)
      throw new UsageError(`unknown mutant '${f.only}' (framecheck mutants --list; clause mutants are OP/OPERATOR)`);
    if (clauseMutant !== undefined && mutantByName(clauseMutant.name) === undefined) {
      if (f.list) {
        if (f.json)
          io.out(JSON.stringify({ mutants: [{ name: clauseMutant.name, description: clauseMutant.description }] }));
        else io.out(`${clauseMutant.name.padEnd(32)} ${clauseMutant.description}`);
        return EXIT.ok;
      }
      if (f.runs !== undefined || f.seed !== undefined || f.out !== undefined)
        throw new UsageError(`--only ${clauseMutant.name}: a clause mutant takes no --runs, --seed or --out`);
      return runOneClauseMutant(clauseMutant, io, f.json === true);
    }
    const chosen = f.only !== undefined ? [mutantByName(f.only)!] : allMutants();
    if (f.list) {
      const list = chosen.map((m) => ({ name: m.name, description: m.description }));
      if (f.json) io.out(JSON.stringify({ mutants: list }));
      else for (const m of list) io.out(`${m.name.padEnd(32)} ${m.description}`);
      return EXIT.ok;
    }
    const reports = await runCatalog(chosen, { numRuns: f.runs ?? 300, seed: f.seed ?? 1 });
    const files = f.out === undefined ? [] : writeTraces(reports, resolve(io.cwd, f.out));
    return report(
      io,
      catalogDetails(reports),
      {
        stats: (s) => ({ ...s }),
        counterexample: (c) => c,
        text: () => {
          const lines: string[] = [];
          printText(reports, { ...io, out: (l) => lines.push(l) });
          if (files.length > 0) lines.push(`${files.length} counterexample(s) written to ${resolve(io.cwd, f.out!)}`);
          return lines;
        },
      },
      f.json === true,
    );
  },
};
