/**
 * What a CLI command is: its flags, a one-line summary, a usage text, and a run function returning
 * the exit code (0 holds, 1 violation, 2 bad input, 3 incomplete).
 */
import type { FlagKind, RawArgs } from './args.ts';

export type Io = Readonly<{
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether progress lines may be printed (stderr is a TTY, or --progress). */
  progress: boolean;
  cwd: string;
}>;

export type Command = Readonly<{
  summary: string;
  usage: string;
  flags: Readonly<Record<string, FlagKind>>;
  run: (args: RawArgs, io: Io) => Promise<number> | number;
}>;

export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3 } as const;
