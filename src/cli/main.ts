/**
 * `framecheck <command> [flags]`: argv → zod → job → output. Bad input gets one line on stderr and
 * exit 2; nothing else escapes as a stack trace.
 */
import { splitArgs, UsageError } from './args.ts';
import { EXIT, type Command, type Io } from './command.ts';
import { COMMANDS } from './commands/index.ts';

function help(io: Io): number {
  io.out('framecheck — a model checker with executable specs for the OSTD frame-metadata layer');
  io.out('usage: framecheck <command> [flags]   (framecheck <command> --help for its flags)');
  for (const [name, c] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(10)} ${c.summary}`);
  return EXIT.ok;
}

/** Runs one command line; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') return help(io);
  const command: Command | undefined = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (command === undefined) throw new UsageError(`unknown command '${name}' (try framecheck --help)`);
    if (rest.includes('--help')) {
      io.out(command.usage);
      return EXIT.ok;
    }
    return await command.run(splitArgs(rest, { ...command.flags, progress: 'boolean' }), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`framecheck: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
}

/** The process entry point. */
export async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  const io: Io = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    progress: process.stderr.isTTY === true || argv.includes('--progress'),
    cwd: process.cwd(),
  };
  try {
    process.exitCode = await main(argv, io);
  } catch (e) {
    io.err(`framecheck: internal error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 70;
  }
}
