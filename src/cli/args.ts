/**
 * Argument parsing at the edge: argv → `{ flags, positionals }` checked against what a command
 * declares, then validated by the command's zod schema. Bad input becomes a `UsageError` (one line,
 * exit 2), never a stack trace.
 */
import { z } from 'zod';

/** Bad input or usage: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagKind = 'string' | 'boolean';
export type RawArgs = { flags: Record<string, string | boolean>; positionals: string[] };

/** Splits argv by the declared flags: `--name value`, `--name=value`, `--flag`, `--no-flag`. */
export function splitArgs(argv: readonly string[], declared: Readonly<Record<string, FlagKind>>): RawArgs {
  const out: RawArgs = { flags: {}, positionals: [] };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (!a.startsWith('--') || a === '--') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    let name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    let value: string | boolean | undefined = eq < 0 ? undefined : a.slice(eq + 1);
    if (declared[name] === undefined && name.startsWith('no-') && declared[name.slice(3)] === 'boolean') {
      name = name.slice(3);
      value = false;
    }
    const kind = declared[name];
    if (kind === undefined) throw new UsageError(`unknown flag --${name}`);
    if (kind === 'boolean') out.flags[name] = value === undefined ? true : value === false ? false : value !== 'false';
    else {
      const given = typeof value === 'string' ? value : argv[++k];
      if (given === undefined || given.startsWith('--')) throw new UsageError(`flag --${name} needs a value`);
      out.flags[name] = given;
    }
  }
  return out;
}

/** Validates with a zod schema; the first issue becomes a one-line `UsageError`. */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? `--${issue.path.join('.')}: ` : '';
  throw new UsageError(`${where}${issue.message}`);
}

/** A whole number flag within bounds, given as a decimal string. */
export function intFlag(min: number, max: number) {
  return z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);
}
