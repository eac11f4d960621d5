/**
 * `framecheck <command> [flags]`: argv → zod → job → output. Bad input gets one line on stderr and
 * exit 2 (under `--json`, also `{"error": "…"}` on stdout); nothing else escapes as a stack trace.
 * The process entry (entry.ts) runs it on a worker thread.
 */
import { splitArgs, UsageError } from './args.ts';
import { EXIT, flagKinds, type Command, type Io } from './command.ts';
import { COMMANDS } from './commands/index.ts';

/** The flags every command takes. */
const COMMON: Command['flags'] = {
  progress: { kind: 'boolean', help: 'progress lines on stderr (the default when stderr is a terminal)' },
};

/** The footer of every help text: the bad-input convention. */
export const BAD_INPUT_NOTE =
  'bad input: one line naming the problem on stderr, exit 2; under --json also {"error": "…"} on stdout';

function help(io: Io): number {
  io.out('framecheck — a model checker with executable specs for the OSTD frame-metadata layer');
  io.out('usage: framecheck <command> [flags]   (framecheck <command> --help for its flags and exit codes)');
  for (const [name, c] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(10)} ${c.summary}`);
  io.out(BAD_INPUT_NOTE);
  return EXIT.ok;
}

/** A command's help: synopsis, one line per flag of its table, its exit codes, the bad-input note. */
export function commandHelp(c: Command): string[] {
  const rows = Object.entries({ ...c.flags, ...COMMON }).map(([name, f]) => {
    const spec = typeof f === 'string' ? { kind: f, help: '' } : f;
    const shown =
      spec.kind === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? name.toUpperCase().replace(/-/g, '_')}`;
    return [shown, spec.help] as const;
  });
  const width = Math.max(...rows.map(([s]) => s.length)) + 2;
  const exits = Object.entries(c.exits ?? {});
  return [
    ...c.usage.split('\n'),
    c.summary,
    '',
    'flags (a boolean flag --x is turned off by --no-x):',
    ...rows.map(([s, h]) => `  ${s.padEnd(width)}${h}`.trimEnd()),
    ...(exits.length > 0 ? ['', 'exit codes:', ...exits.map(([k, v]) => `  ${k}  ${v}`)] : []),
    '',
    BAD_INPUT_NOTE,
  ];
}

/** Whether the command line asks for JSON output (bad input then also goes to stdout as JSON). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--json' || (a.startsWith('--json=') && a !== '--json=false'));
}

/** Runs one command line; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') return help(io);
  const command: Command | undefined = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (command === undefined) throw new UsageError(`unknown command '${name}' (try framecheck --help)`);
    if (rest.includes('--help')) {
      for (const line of commandHelp(command)) io.out(line);
      return EXIT.ok;
    }
    return await command.run(splitArgs(rest, flagKinds({ ...command.flags, ...COMMON })), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`framecheck: ${e.message}`);
      if (wantsJson(rest)) io.out(JSON.stringify({ error: e.message }));
      return EXIT.usage;
    }
    throw e;
  }
}

/** Whether the command named first in `argv` stops gracefully at Ctrl-C. */
export function interruptible(argv: readonly string[]): boolean {
  const name = argv[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) && COMMANDS[name]!.interruptible === true;
}
