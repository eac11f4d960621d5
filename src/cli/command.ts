/**
 * What a CLI command is: its flag table (how each flag parses and one line of help), a one-line
 * summary, its synopsis, its exit codes, and a run function returning the exit code (0 holds,
 * 1 violation, 2 bad input, 3 incomplete). `--help` is generated from the same table the parser
 * reads, so the two cannot drift.
 */
import type { FlagKind, RawArgs } from './args.ts';

export type Io = Readonly<{
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether progress lines may be printed (stderr is a TTY, or --progress). */
  progress: boolean;
  cwd: string;
}>;

/** One flag: how it parses, the placeholder of its value (string flags), and one line of help. */
export type Flag = Readonly<{ kind: FlagKind; value?: string; help: string }>;

export type Command = Readonly<{
  summary: string;
  /** The synopsis: one or more `framecheck NAME …` lines (operands, defaults). */
  usage: string;
  /** The flag table; a bare kind is a flag without a help line yet. */
  flags: Readonly<Record<string, FlagKind | Flag>>;
  /** What each exit code means for this command. */
  exits?: Readonly<Partial<Record<ExitCode, string>>>;
  /** Whether the command stops at Ctrl-C with partial results (it polls `interrupted()`). */
  interruptible?: boolean;
  run: (args: RawArgs, io: Io) => Promise<number> | number;
}>;

export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3 } as const;

/** An exit code of the table above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A flag table entry written as `[kind, value placeholder, help]` or `[kind, help]` for brevity. */
export function flag(kind: 'boolean', help: string): Flag;
export function flag(kind: 'string', value: string, help: string): Flag;
export function flag(kind: FlagKind, a: string, b?: string): Flag {
  return b === undefined ? { kind, help: a } : { kind, value: a, help: b };
}

/** The kinds the argument splitter needs, from a flag table. */
export function flagKinds<T extends Command['flags']>(flags: T): { [K in keyof T]: FlagKind } {
  return Object.fromEntries(Object.entries(flags).map(([k, f]) => [k, typeof f === 'string' ? f : f.kind])) as {
    [K in keyof T]: FlagKind;
  };
}
