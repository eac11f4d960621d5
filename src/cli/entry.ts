/**
 * The process entry point: runs the command line on a worker thread (worker.ts), so that Ctrl-C can
 * stop a synchronous search gracefully through the shared interrupt flag, and writes the command's
 * output here, where a closed pipe (`framecheck clauses | head -1`) ends the process quietly.
 */
import { Worker } from 'node:worker_threads';
import { RULES } from '../conform/guard.ts';
import { EXIT } from './command.ts';
import { interrupt, interruptBuffer, interrupted } from './interrupt.ts';

/** What the worker thread posts: whether its command is interruptible, a line of output, or the exit code. */
export type WorkerMessage =
  | Readonly<{ kind: 'ready'; interruptible: boolean }>
  | Readonly<{ kind: 'out' | 'err'; line: string }>
  | Readonly<{ kind: 'done'; code: number }>
  | Readonly<{ kind: 'internal'; message: string }>;

/** The data the worker thread starts with. */
export type WorkerData = Readonly<{ argv: string[]; progress: boolean; cwd: string; interrupt: SharedArrayBuffer }>;

/** Ends the process quietly when a reader closes the pipe (`framecheck clauses | head -1`). */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    process.exitCode = 70;
  });
}

/** The `--impl MODULE` of a command line (conform, check, replay), if any. */
export function implOf(argv: readonly string[]): string | undefined {
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--impl') return argv[k + 1];
    if (a.startsWith('--impl=')) return a.slice('--impl='.length);
  }
  return undefined;
}

/**
 * Why the command's thread ended before it finished: a third-party module (`--impl`) ended it past
 * the guard (a `process.exit` it held from before, `process.reallyExit`), which is bad input as the
 * guard reports it in process; otherwise framecheck's own failure.
 */
export function endedEarly(argv: readonly string[], code: number): { line: string; exit: number } {
  const impl = implOf(argv);
  if (impl === undefined || impl.startsWith('framecheck:'))
    return {
      line: `framecheck: internal error: the command ended the process (exit ${code}) before finishing`,
      exit: 70,
    };
  return {
    line: `framecheck: --impl ${impl}: the module breaks interface rule 7 (${RULES[7]}): it called process.exit(${code})`,
    exit: EXIT.usage,
  };
}

/** The process entry point. */
export async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const data: WorkerData = {
    argv,
    progress: process.stderr.isTTY === true || argv.includes('--progress'),
    cwd: process.cwd(),
    interrupt: interruptBuffer(),
  };
  let graceful = false;
  const onSigint = () => {
    if (graceful && !interrupted()) return interrupt();
    process.stderr.write('framecheck: interrupted\n');
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const worker = new Worker(new URL(`./worker.${ext}`, import.meta.url), { workerData: data });
  let done = false;
  await new Promise<void>((resolve) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'ready') graceful = m.interruptible;
      else if (m.kind === 'out') process.stdout.write(`${m.line}\n`);
      else if (m.kind === 'err') process.stderr.write(`${m.line}\n`);
      else {
        done = true;
        if (m.kind === 'internal') process.stderr.write(`framecheck: internal error: ${m.message}\n`);
        process.exitCode = m.kind === 'done' ? m.code : 70;
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      done = true;
      process.stderr.write(`framecheck: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 70;
    });
    worker.on('exit', (code) => {
      if (!done) {
        const why = endedEarly(argv, code);
        process.stderr.write(`${why.line}\n`);
        process.exitCode = why.exit;
      }
      resolve();
    });
  });
  process.off('SIGINT', onSigint);
}
