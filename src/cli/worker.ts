/**
 * The thread that runs a command for the process entry (`cli()` in entry.ts): its output lines and
 * exit code go back as messages, and Ctrl-C reaches it through the shared interrupt flag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useInterruptBuffer } from './interrupt.ts';
import type { WorkerData, WorkerMessage } from './entry.ts';
import { interruptible, main } from './main.ts';

const data = workerData as WorkerData;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
useInterruptBuffer(data.interrupt);
post({ kind: 'ready', interruptible: interruptible(data.argv) });
try {
  const code = await main(data.argv, {
    out: (line) => post({ kind: 'out', line }),
    err: (line) => post({ kind: 'err', line }),
    progress: data.progress,
    cwd: data.cwd,
  });
  post({ kind: 'done', code });
} catch (e) {
  post({ kind: 'internal', message: e instanceof Error ? e.message : String(e) });
}
