/**
 * A worker-thread entry point that runs a random program on the real frame layer over a shared
 * metadata region and records its own history: it attaches to the region's buffers and the ticket
 * clock in `workerData`, waits at the start gate so that all workers run together, and posts its
 * stamped events back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { CURRENT_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory } from '../../impl/meta/memory.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { HistoryRecorder, TicketClock, type Stamped } from './HistoryRecorder.ts';
import { planNext, planRelease, rng, type Handles } from './randomOps.ts';

/** What each worker is given. */
export type RecordWorkerData = Readonly<{
  buffers: readonly SharedArrayBuffer[];
  clock: SharedArrayBuffer;
  /** Two int32 words: workers count themselves ready in word 0 and start when word 1 is set. */
  gate: SharedArrayBuffer;
  process: number;
  frames: number;
  ops: number;
  seed: number;
}>;

/** Runs one worker's program and returns its stamped events. */
export function recordProgram(d: RecordWorkerData): Stamped[] {
  const shape = regionShape(CURRENT_LAYOUT, d.frames);
  const region = new MetaRegion({ maxPaddr: d.frames * PAGE_SIZE, memory: new AtomicsMemory(shape, d.buffers) });
  const layer = new FrameLayer(region);
  const rec = new HistoryRecorder(new TicketClock(d.clock), d.process);
  const rand = rng(d.seed);
  const h: Handles = { shared: [], unique: [] };
  const gate = new Int32Array(d.gate);
  Atomics.add(gate, 0, 1);
  Atomics.wait(gate, 1, 0);
  for (let k = 0; k < d.ops; k++) {
    const op = planNext(layer, h, d.frames, rand, true);
    rec.invoke(op.f, op.value);
    rec.ok(op.f, op.run());
  }
  for (let op = planRelease(layer, h); op !== undefined; op = planRelease(layer, h)) {
    rec.invoke(op.f, op.value);
    rec.ok(op.f, op.run());
  }
  return rec.events;
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'clock' in workerData) {
  parentPort.postMessage(recordProgram(workerData as RecordWorkerData));
}
