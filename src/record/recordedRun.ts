/**
 * A recorded concurrent run of the real implementation: a metadata region in `SharedArrayBuffer`s,
 * several `worker_threads` running random programs on it at once, each recording its events with
 * tickets from one shared clock, merged into one history in real-time order.
 */
import { Worker } from 'node:worker_threads';
import { CURRENT_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory } from '../../impl/meta/memory.ts';
import { mergeHistories, TicketClock, type HistoryEvent, type Stamped } from './HistoryRecorder.ts';
import type { RecordWorkerData } from './recordWorker.ts';

/** The run: how many workers, frames and operations per worker, and the seed. */
export type RecordedRunOptions = Readonly<{
  workers: number;
  frames: number;
  opsPerWorker: number;
  seed: number;
  workerFile?: string | URL;
}>;

function runWorker(file: string | URL, data: RecordWorkerData): Promise<Stamped[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData: data });
    w.once('message', (events: Stamped[]) => resolve(events));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`recording worker exited with ${code}`)));
  });
}

/** Runs the workers together and returns the merged history. */
export async function recordedRun(o: RecordedRunOptions): Promise<HistoryEvent[]> {
  const memory = new AtomicsMemory(regionShape(CURRENT_LAYOUT, o.frames));
  const buffers = memory.share();
  const clock = new TicketClock();
  const gate = new SharedArrayBuffer(8);
  const file = o.workerFile ?? new URL('./recordWorker.js', import.meta.url);
  const runs = Array.from({ length: o.workers }, (_, p) =>
    runWorker(file, {
      buffers,
      clock: clock.buffer,
      gate,
      process: p,
      frames: o.frames,
      ops: o.opsPerWorker,
      seed: o.seed * 7919 + p + 1,
    }),
  );
  let failure: unknown;
  for (const r of runs) r.catch((e: unknown) => (failure ??= e));
  const g = new Int32Array(gate);
  while (Atomics.load(g, 0) < o.workers) {
    if (failure !== undefined) throw failure;
    await new Promise((r) => setTimeout(r, 1));
  }
  Atomics.store(g, 1, 1);
  Atomics.notify(g, 1);
  return mergeHistories(await Promise.all(runs));
}
