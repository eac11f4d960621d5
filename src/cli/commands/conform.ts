/**
 * `framecheck conform --impl MODULE [--runs N] [--seed S] [--json]`: runs the contract suite, the
 * model-based tests and the explorer on an implementation of the conformance interface, and reports
 * per job. MODULE is a path to a JavaScript module exporting `createImplementation`, or a built-in:
 * `framecheck:current`, `framecheck:legacy`, `framecheck:mutant/NAME`. Exit 0 conforms, 1 fails,
 * 2 bad input (a module that does not load or has the wrong shape), 3 incomplete.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { builtinModule } from '../../conform/builtin.ts';
import { asModule, conform as runConform, type ConformReport } from '../../conform/conform.ts';
import type { ImplementationModule } from '../../conform/Implementation.ts';
import { intFlag, UsageError, validate } from '../args.ts';
import { EXIT, type Command, type Io } from '../command.ts';

const Flags = z.object({
  impl: z.string({ error: 'is required: a module path or framecheck:current|legacy|mutant/NAME' }),
  runs: intFlag(1, 100_000).optional(),
  seed: intFlag(0, 2 ** 31 - 1).optional(),
  json: z.boolean().optional(),
});

/** Loads the implementation module `spec`. */
export async function loadImplementation(spec: string, io: Io): Promise<ImplementationModule> {
  if (spec.startsWith('framecheck:')) {
    const b = builtinModule(spec);
    if ('error' in b) throw new UsageError(`--impl: ${b.error}`);
    return b;
  }
  let ns: unknown;
  try {
    ns = await import(pathToFileURL(resolve(io.cwd, spec)).href);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UsageError(`--impl ${spec}: cannot load the module (${msg})`);
  }
  const m = asModule(ns, spec);
  if ('error' in m) throw new UsageError(`--impl ${spec}: ${m.error}`);
  return m;
}

/** The conformance report as text. */
export function formatConform(r: ConformReport): string[] {
  const out = [`conform ${r.implementation} (${r.protocol} protocol): ${r.verdict}`];
  for (const j of r.jobs) {
    out.push(`  ${j.job.padEnd(9)} ${j.verdict.padEnd(10)} ${j.summary} (${j.seconds.toFixed(2)} s)`);
    if (j.verdict !== 'pass') for (const d of j.details) out.push(`      ${d}`);
  }
  return out;
}

export const conform: Command = {
  summary: 'run the contract suite, model-based tests and explorer on a third-party implementation',
  usage:
    'framecheck conform --impl MODULE [--runs N] [--seed S] [--json]\n' +
    '  MODULE  a JavaScript module exporting createImplementation(options) (README: "Writing an implementation for framecheck conform"),\n' +
    '          or framecheck:current, framecheck:legacy, framecheck:mutant/NAME\n' +
    'exit 0 conforms, 1 fails, 2 bad input, 3 incomplete',
  flags: { impl: 'string', runs: 'string', seed: 'string', json: 'boolean' },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument '${args.positionals[0]}' (use --impl MODULE)`);
    const f = validate(Flags, args.flags);
    const m = await loadImplementation(f.impl, io);
    const r = runConform(m, {
      ...(f.runs !== undefined && { runs: f.runs }),
      ...(f.seed !== undefined && { seed: f.seed }),
    });
    if (f.json === true) io.out(JSON.stringify(r));
    else for (const line of formatConform(r)) io.out(line);
    return r.verdict === 'conforms' ? EXIT.ok : r.verdict === 'incomplete' ? EXIT.incomplete : EXIT.violation;
  },
};
