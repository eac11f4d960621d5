/**
 * A stress worker: the real frame layer over the shared metadata region and the shared buddy allocator,
 * running a seeded random mix — allocations (`alloc_frame`: the buddy allocator, then
 * `Frame::from_unused`), `from_in_use` on addresses other workers published, clones, drops, unique
 * conversions — recording every operation in its shared history buffer, then dropping what it holds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BuddyAllocator, type BuddySharedState } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import { CURRENT_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory, type Memory } from '../../impl/meta/memory.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { dropOf, OP_TABLE, returned, type OpSubject } from '../ops/opTable.ts';
import { TicketClock } from '../record/HistoryRecorder.ts';
import { HistoryBuffer, OPS, RESULTS, type StressOp, type StressResult } from './HistoryBuffer.ts';
import { ThreadContracts } from '../contract/threadContracts.ts';
import { TrackingMemory } from '../contract/trackingMemory.ts';
import { allMutants } from '../mutants/catalog.ts';

/** What the main thread gives each worker. */
export type StressWorkerData = Readonly<{
  id: number;
  ops: number;
  seed: number;
  frames: number;
  region: readonly SharedArrayBuffer[];
  buddy: BuddySharedState;
  clock: SharedArrayBuffer;
  history: SharedArrayBuffer;
  /** Int32 words: frame addresses workers publish for each other's `from_in_use` (-1: none). */
  published: SharedArrayBuffer;
  /** Two int32 words: workers count themselves ready in word 0 and start when word 1 is set. */
  gate: SharedArrayBuffer;
  /** Crash in the middle of the first store after this many operations (fault injection). */
  crashAfter?: number;
  /** Check the contracts of this worker's `from_in_use` and `clone` calls on their footprint (`threadContracts.ts`). */
  contracts?: boolean;
  /** A MetaSlot mutant of the catalog to run instead of the real region (a seeded bug). */
  mutant?: string;
}>;

/** What a worker posts when it finishes. */
export type StressWorkerReport = Readonly<{ ops: number; violations: readonly string[] }>;

/** Thrown by the fault injector: the worker dies in the middle of an operation. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

type Held = { shared: number[]; unique: number[] };

/** A worker holds at most this many handles, so that its final drops fit its history buffer. */
export const MAX_HELD = 48;

/** A memory that throws at the first store once `armed()` says so (between an operation's atomic steps). */
function crashing(base: Memory, armed: () => boolean): Memory {
  return {
    load: (w, o) => base.load(w, o),
    store: (w, v, o) => {
      if (armed()) throw new InjectedCrash('injected crash in the middle of an operation');
      base.store(w, v, o);
    },
    compareExchange: (w, e, v, o) => base.compareExchange(w, e, v, o),
    compareExchangeWeak: (w, e, v, o) => base.compareExchangeWeak(w, e, v, o),
    fetchAdd: (w, v, o) => base.fetchAdd(w, v, o),
    fetchSub: (w, v, o) => base.fetchSub(w, v, o),
    fence: (o) => base.fence(o),
    readPlain: (w) => base.readPlain(w),
    writePlain: (w, v) => base.writePlain(w, v),
  };
}

/** A small seeded generator (xorshift32). */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

type Rig = {
  subject: OpSubject;
  held: Held;
  published: Int32Array;
  rand: (n: number) => number;
  violations: string[];
  contracts: ThreadContracts | undefined;
};

/** How often each operation is chosen among those the worker can make. */
const WEIGHTS: Readonly<Record<StressOp, number>> = {
  alloc: 20,
  from_in_use: 15,
  clone: 10,
  drop: 30,
  into_shared: 7,
  try_into_unique: 10,
  drop_unique: 8,
  meta: 5,
  meta_mut: 5,
  read: 5,
  write: 5,
  // the upstream operations added for the explorer are not part of the stress mix
  inc_frame_ref_count: 0,
  borrow: 0,
  reference_count: 0,
  unique_into_raw: 0,
  repurpose: 0,
  segment_slice: 0,
  segment_next: 0,
  segment_drop: 0,
  segment_split: 0,
  list_drop: 0,
};

/** Whether the worker can run `op` now: it holds the handle `op` needs, and a new handle fits. */
function possible(x: Rig, op: StressOp): boolean {
  const d = OP_TABLE[op];
  const held = x.held.shared.length + x.held.unique.length;
  if (d.needs !== undefined && x.held[d.needs].length === 0) return false;
  if (held >= MAX_HELD) return d.releases !== undefined;
  return d.target !== 'allocator' || x.held.shared.length < 32;
}

/** The next operation: a weighted choice among those the worker can make, and its argument. */
function choose(x: Rig): [StressOp, number] {
  const can = OPS.filter((o) => possible(x, o));
  let roll = x.rand(can.reduce((n, o) => n + WEIGHTS[o], 0));
  const k = x.rand(64);
  const op = can.find((o) => (roll -= WEIGHTS[o]) < 0) ?? can[0]!;
  const d = OP_TABLE[op];
  if (d.target === 'allocator') return [op, -1];
  if (d.needs === undefined) return [op, Atomics.load(x.published, k % x.published.length)];
  const held = x.held[d.needs];
  return [op, held[k % held.length]! * PAGE_SIZE];
}

/** Runs `op` on the handle or address the worker chose; returns its outcome and the address it names. */
function runOp(x: Rig, op: StressOp, paddr: number): [StressResult, number] {
  const d = OP_TABLE[op];
  const f = paddr / PAGE_SIZE;
  if (d.releases !== undefined) x.held[d.releases].splice(x.held[d.releases].indexOf(f), 1);
  const r = d.call(x.subject, f, paddr);
  const slot = r.slot ?? r.frame;
  const gains = returned(op, r.result);
  for (const kind of ['shared', 'unique'] as const) {
    if (gains[kind] === 1) x.held[kind].push(slot);
    if (gains[kind] === -1) x.held[kind].splice(x.held[kind].indexOf(f), 1);
  }
  const at = d.target === 'allocator' ? (r.frame < 0 ? -1 : r.frame * PAGE_SIZE) : paddr;
  if (d.target === 'allocator' && gains.shared === 1) Atomics.store(x.published, x.rand(x.published.length), at);
  return [r.result as StressResult, at];
}

/** Records and runs one operation; a full history buffer is a violation (events would be lost). */
function record(x: Rig, h: HistoryBuffer, clock: TicketClock, op: StressOp, paddr: number): void {
  if (h.length + 2 > h.capacity) return void x.violations.push('the history buffer is full');
  const code = OPS.indexOf(op);
  if (paddr < 0 && OP_TABLE[op].target !== 'allocator') return;
  h.push(clock.next(), false, code, paddr, 0);
  try {
    x.contracts?.begin();
    const [r, at] = runOp(x, op, paddr);
    if (x.contracts?.checks(op) === true) x.contracts.end(op, paddr / PAGE_SIZE, r === 'ok' ? undefined : r);
    h.push(clock.next(), true, code, at, RESULTS.indexOf(r));
  } catch (e) {
    // a claim of a frame the allocator handed out failed: the allocator handed it out twice
    if (!(e instanceof KernelAbort)) throw e;
    x.violations.push(`the allocator handed out a frame whose claim failed: ${e.message}`);
  }
}

/** Runs a worker's share of the stress. */
export function runStressWorker(d: StressWorkerData): StressWorkerReport {
  let done = 0;
  const armed = () => d.crashAfter !== undefined && done >= d.crashAfter;
  const shape = regionShape(CURRENT_LAYOUT, d.frames);
  const mem = new AtomicsMemory(shape, d.region);
  const buddy = BuddyAllocator.attach(d.buddy);
  const violations: string[] = [];
  const dealloc = (p: number, s: number) => {
    const r = buddy.dealloc(p, s);
    if (!r.ok) violations.push(`dealloc(${p}) refused: ${r.error}`);
  };
  let tracking: TrackingMemory | undefined;
  const opts = {
    maxPaddr: d.frames * PAGE_SIZE,
    memory: d.crashAfter === undefined ? mem : crashing(mem, armed),
    ...(d.contracts === true && { wrapMemory: (m: Memory) => (tracking = new TrackingMemory(m)) }),
  };
  const mutant = d.mutant === undefined ? undefined : allMutants().find((m) => m.name === d.mutant)?.region;
  if (d.mutant !== undefined && mutant === undefined) throw new Error(`no MetaSlot mutant named '${d.mutant}'`);
  const region = mutant === undefined ? new MetaRegion(opts) : mutant(opts, false);
  const x: Rig = {
    subject: {
      layer: new FrameLayer(region, { dealloc }),
      alloc: () => buddy.alloc({ size: PAGE_SIZE, align: PAGE_SIZE }),
      meta: unit(UnitMeta),
    },
    held: { shared: [], unique: [] },
    published: new Int32Array(d.published),
    rand: rng(d.seed),
    violations,
    contracts: tracking === undefined ? undefined : new ThreadContracts(region, tracking),
  };
  const h = new HistoryBuffer(0, d.history);
  const clock = new TicketClock(d.clock);
  const gate = new Int32Array(d.gate);
  Atomics.add(gate, 0, 1);
  Atomics.wait(gate, 1, 0);
  for (; done < d.ops; done++) record(x, h, clock, ...choose(x));
  for (const kind of ['shared', 'unique'] as const)
    while (x.held[kind].length > 0) record(x, h, clock, dropOf(kind) as StressOp, x.held[kind][0]! * PAGE_SIZE);
  return { ops: done, violations: x.contracts === undefined ? violations : [...violations, ...x.contracts.violations] };
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'published' in workerData) {
  parentPort.postMessage(runStressWorker(workerData as StressWorkerData));
}
