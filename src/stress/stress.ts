/**
 * Real threads: N `worker_threads` share one metadata region (`AtomicsMemory.share()`) and one buddy
 * allocator and run a random mix of frame operations, each recording its history in shared memory.
 * Once every worker has stopped — finished, crashed, or been terminated at the deadline, so nothing
 * hangs — the state they left is audited against their histories, and the merged history (docs/formats.md
 * "Histories") can be checked for linearizability by `validate`.
 */
import { Worker } from 'node:worker_threads';
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { CURRENT_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory } from '../../impl/meta/memory.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { mergeHistories, TicketClock, toJsonl } from '../record/HistoryRecorder.ts';
import type { ParseError } from '../validate/History.ts';
import { validateText, type ValidateResult } from '../validate/validateHistory.ts';
import { HistoryBuffer } from './HistoryBuffer.ts';
import { auditQuiescent, type AuditReport, type WorkerEnd } from './quiescentAudit.ts';
import { MAX_HELD, type StressWorkerData, type StressWorkerReport } from './stressWorker.ts';
import { stressWorkerScript } from './workerScript.ts';

export type StressOptions = Readonly<{
  workers: number;
  /** Operations in total, split evenly among the workers. */
  ops: number;
  frames?: number;
  seed?: number;
  /** Fault injection: worker `worker` dies in the middle of an operation after `afterOps` operations. */
  crash?: Readonly<{ worker: number; afterOps: number }>;
  /** Workers still running at the deadline are terminated (default 60 s). */
  timeoutMs?: number;
  /** Check the merged history for linearizability (default: when at most 200,000 operations). */
  validate?: boolean;
  /** Each worker checks the contracts of its own calls on their footprint (`src/contract/threadContracts.ts`). */
  contracts?: boolean;
  /** Every worker runs this MetaSlot mutant of the catalog instead of the real region (a seeded bug). */
  mutant?: string;
}>;

/** How one worker ended. */
export type WorkerOutcome = Readonly<{
  id: number;
  status: WorkerEnd['status'];
  ops: number;
  events: number;
  error?: string;
  violations: readonly string[];
  pending?: string;
}>;

export type StressReport = Readonly<{
  workers: readonly WorkerOutcome[];
  ops: number;
  seconds: number;
  opsPerSecond: number;
  audit: AuditReport;
  /** The merged history, as JSON Lines. */
  history: () => string;
  validation: ValidateResult | ParseError | undefined;
  validationSeconds: number;
  ok: boolean;
}>;

type Shared = {
  region: MetaRegion;
  mem: AtomicsMemory;
  buddy: BuddyAllocator;
  clock: TicketClock;
  published: SharedArrayBuffer;
  gate: SharedArrayBuffer;
  histories: HistoryBuffer[];
};

function setup(o: StressOptions, frames: number): Shared {
  const mem = new AtomicsMemory(regionShape(CURRENT_LAYOUT, frames));
  const region = new MetaRegion({ maxPaddr: frames * PAGE_SIZE, memory: mem });
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: frames });
  buddy.addFreeMemory(0, frames * PAGE_SIZE);
  const published = new SharedArrayBuffer(4 * 64);
  new Int32Array(published).fill(-1);
  const per = Math.ceil(o.ops / o.workers);
  const histories = Array.from({ length: o.workers }, () => new HistoryBuffer(2 * (per + MAX_HELD) + 16));
  return { region, mem, buddy, clock: new TicketClock(), published, gate: new SharedArrayBuffer(8), histories };
}

/** Runs one worker to its end: a report, a crash, or termination at the deadline. */
function runWorker(
  file: string,
  data: StressWorkerData,
  deadline: number,
): Promise<{ status: WorkerEnd['status']; report?: StressWorkerReport; error?: string }> {
  return new Promise((resolve) => {
    const w = new Worker(file, { workerData: data });
    let late = false;
    const timer = setTimeout(() => ((late = true), void w.terminate()), Math.max(0, deadline - Date.now()));
    const done = (r: { status: WorkerEnd['status']; report?: StressWorkerReport; error?: string }) => {
      clearTimeout(timer);
      resolve(late && r.status !== 'finished' ? { status: 'timeout', error: 'terminated at the deadline' } : r);
    };
    w.once('message', (report: StressWorkerReport) => done({ status: 'finished', report }));
    w.once('error', (e) =>
      done({ status: 'crashed', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
    );
    w.once('exit', (code) => done({ status: 'crashed', error: `exited with code ${code}` }));
  });
}

/** Opens the start gate once every worker is ready (or the deadline passes: a worker may never start). */
async function openGate(gate: SharedArrayBuffer, workers: number, deadline: number): Promise<void> {
  const g = new Int32Array(gate);
  while (Atomics.load(g, 0) < workers && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  Atomics.store(g, 1, 1);
  Atomics.notify(g, 1);
}

/** Runs the stress and audits what it left. */
export async function runStress(o: StressOptions): Promise<StressReport> {
  const frames = o.frames ?? 1024;
  const s = setup(o, frames);
  const file = await stressWorkerScript();
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  const buffers = s.mem.share();
  const per = Math.ceil(o.ops / o.workers);
  const data = (id: number): StressWorkerData => ({
    id,
    ops: per,
    seed: (o.seed ?? 1) * 7919 + id,
    frames,
    region: buffers,
    buddy: s.buddy.sharedState,
    clock: s.clock.buffer,
    history: s.histories[id]!.buffer,
    published: s.published,
    gate: s.gate,
    ...(o.crash?.worker === id && { crashAfter: o.crash.afterOps }),
    ...(o.contracts === true && { contracts: true }),
    ...(o.mutant !== undefined && { mutant: o.mutant }),
  });
  const running = Array.from({ length: o.workers }, (_, id) => runWorker(file, data(id), deadline));
  await openGate(s.gate, o.workers, deadline);
  const t0 = performance.now();
  const ends = await Promise.all(running);
  const seconds = (performance.now() - t0) / 1000;
  return report(o, s, frames, ends, seconds);
}

function report(
  o: StressOptions,
  s: Shared,
  frames: number,
  ends: Awaited<ReturnType<typeof runWorker>>[],
  seconds: number,
): StressReport {
  const workerEnds: WorkerEnd[] = ends.map((e, id) => ({
    id,
    status: e.status,
    events: s.histories[id]!.events(id),
    pending: e.status === 'finished' ? undefined : s.histories[id]!.pending(),
  }));
  const audit = auditQuiescent(s.region, s.buddy, frames, workerEnds);
  const ops = ends.reduce((n, e, id) => n + (e.report?.ops ?? Math.floor(workerEnds[id]!.events.length / 2)), 0);
  const history = () => toJsonl(mergeHistories(workerEnds.map((w) => w.events)));
  const t0 = performance.now();
  const validation =
    (o.validate ?? ops <= 200_000) ? validateText(history(), { maxPaddr: frames * PAGE_SIZE }) : undefined;
  const validationSeconds = (performance.now() - t0) / 1000;
  const workers = ends.map((e, id) => ({
    id,
    status: e.status,
    ops: e.report?.ops ?? Math.floor(workerEnds[id]!.events.length / 2),
    events: workerEnds[id]!.events.length,
    violations: e.report?.violations ?? [],
    ...(e.error !== undefined && { error: e.error }),
    ...(workerEnds[id]!.pending !== undefined && {
      pending: `${workerEnds[id]!.pending!.op}(${workerEnds[id]!.pending!.paddr})`,
    }),
  }));
  const clean =
    workers.every((w) => w.violations.length === 0) &&
    audit.exact &&
    (validation === undefined || ('verdict' in validation && validation.verdict !== 'not-linearizable'));
  return {
    workers,
    ops,
    seconds,
    opsPerSecond: Math.round(ops / Math.max(seconds, 1e-9)),
    audit,
    history,
    validation,
    validationSeconds,
    ok: clean,
  };
}
