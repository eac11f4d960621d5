/**
 * `framecheck mutants [--list] [--only NAME] [--json]`: the seeded-bug catalog, and whether the checker
 * kills each mutant.
 */
import { z } from 'zod';
import { explore } from '../../check/explore/search.ts';
import { allMutants, mutantByName } from '../../mutants/catalog.ts';
import { splitArgs, UsageError, validate } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { CHECK_FLAGS, instanceFromFlags } from './check.ts';

/** Splits a mutant's instance string into argv. */
function argvOf(instance: string): string[] {
  return [...instance.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** Runs the explorer on each mutant's instance; a mutant is killed when a violation is found. */
export function killMutants(names: readonly string[]) {
  return names.map((name) => {
    const m = mutantByName(name)!;
    const raw = splitArgs(argvOf(m.instance), CHECK_FLAGS);
    const flags = Object.fromEntries(Object.entries(raw.flags).map(([k, v]) => [k, v]));
    const inst = instanceFromFlags({ ...(flags as Record<string, never>), mutant: name });
    const r = explore(inst, { limits: { maxStates: 2_000_000, timeLimitMs: 120_000, maxMemoryBytes: 4 * 2 ** 30 } });
    return {
      name,
      description: m.description,
      killed: r.verdict === 'violation',
      by: r.verdict === 'violation' ? 'check' : null,
      property: r.verdict === 'violation' ? r.violation.finding.property : null,
      steps: r.verdict === 'violation' ? r.violation.labels.length : null,
      instance: m.instance,
    };
  });
}

export const mutants: Command = {
  summary: 'list the seeded-bug catalog, or run it and report the mutation score',
  usage: 'framecheck mutants [--list] [--only NAME] [--json]',
  flags: { list: 'boolean', only: 'string', json: 'boolean' },
  run(args, io) {
    const f = validate(z.object({ list: z.boolean().optional(), only: z.string().optional(), json: z.boolean().optional() }), args.flags);
    if (f.only !== undefined && mutantByName(f.only) === undefined) throw new UsageError(`unknown mutant '${f.only}'`);
    const names = f.only !== undefined ? [f.only] : allMutants().map((m) => m.name);
    if (f.list) {
      const list = names.map((n) => ({ name: n, description: mutantByName(n)!.description }));
      if (f.json) io.out(JSON.stringify({ mutants: list }));
      else for (const m of list) io.out(`${m.name.padEnd(28)} ${m.description}`);
      return EXIT.ok;
    }
    const results = killMutants(names);
    const score = results.filter((r) => r.killed).length / results.length;
    if (f.json) io.out(JSON.stringify({ mutants: results, score }));
    else {
      for (const r of results) io.out(`${r.killed ? 'killed' : 'SURVIVED'}  ${r.name.padEnd(28)} ${r.property ?? ''} ${r.steps !== null ? `(${r.steps} steps)` : ''}`);
      io.out(`mutation score: ${results.filter((r) => r.killed).length}/${results.length}`);
    }
    return results.every((r) => r.killed) ? EXIT.ok : EXIT.violation;
  },
};
