/**
 * `framecheck litmus FILE.litmus [--json]`: a C11 litmus test in herd7's C syntax, every execution RC11
 * allows. Exit 0 when an `exists`/`~exists` condition is never observed or a `forall` always holds, 1
 * otherwise, 2 for a file outside the subset (one line naming the line).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LitmusSyntaxError, parseLitmus } from '../../litmus/parseLitmus.ts';
import { litmusReport } from '../../litmus/litmusReport.ts';
import { runLitmus } from '../../litmus/runLitmus.ts';
import { UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command } from '../command.ts';

function readTest(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export const litmus: Command = {
  summary: "run a C11 litmus test (herd7's C syntax) under the RC11 memory model",
  usage: 'usage: framecheck litmus FILE.litmus [flags]',
  flags: { json: flag('boolean', 'the executions and the verdict as one JSON object on stdout') },
  exits: {
    0: 'an exists/~exists condition is never observed, or a forall always holds',
    1: 'otherwise',
    2: 'bad input: a file outside the supported subset (the line named)',
  },
  run(args, io) {
    const opts = validate(z.object({ json: z.boolean().optional() }), args.flags);
    if (args.positionals.length !== 1) throw new UsageError('litmus takes one FILE.litmus');
    const file = args.positionals[0]!;
    let test;
    try {
      test = parseLitmus(readTest(resolve(io.cwd, file)));
    } catch (e) {
      if (e instanceof LitmusSyntaxError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    const r = runLitmus(test);
    if (opts.json) {
      const { holds: _holds, ...json } = r;
      io.out(JSON.stringify(json));
    } else for (const line of litmusReport(r)) io.out(line);
    return r.holds ? EXIT.ok : EXIT.violation;
  },
};
