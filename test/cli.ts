/** Runs the CLI in-process for tests: its exit code and the lines it printed on stdout and stderr. */
import { main } from '../src/cli/main.ts';

export type CliRun = Readonly<{ code: number; out: string[]; err: string[] }>;

/** A runner of `framecheck …` command lines in working directory `cwd` (evaluated at each call). */
export function cliIn(cwd: () => string = () => process.cwd()): (...argv: string[]) => Promise<CliRun> {
  return async (...argv) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: false, cwd: cwd() });
    return { code, out, err };
  };
}
