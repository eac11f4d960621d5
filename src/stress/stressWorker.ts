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
import { TicketClock } from '../record/HistoryRecorder.ts';
import { HistoryBuffer, OPS, RESULTS, type StressOp, type StressResult } from './HistoryBuffer.ts';

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
  layer: FrameLayer;
  buddy: BuddyAllocator;
  held: Held;
  published: Int32Array;
  rand: (n: number) => number;
  violations: string[];
};

const errorOf = (r: number | string): StressResult => (typeof r === 'number' ? 'ok' : (r as StressResult));
const take = (xs: number[], k: number) => xs.splice(k % xs.length, 1)[0]!;

/** `alloc_frame()`: a frame from the buddy allocator, claimed; a refused claim means a double handout. */
function alloc(x: Rig): [StressResult, number] {
  const p = x.buddy.alloc({ size: PAGE_SIZE, align: PAGE_SIZE });
  if (p === undefined) return ['NoMemory', -1];
  const r = x.layer.fromUnused(p, unit(UnitMeta));
  if (typeof r !== 'number')
    return (x.violations.push(`the allocator handed out frame ${p}, whose claim failed with ${r}`), [errorOf(r), p]);
  x.held.shared.push(r);
  Atomics.store(x.published, x.rand(x.published.length), p);
  return ['ok', p];
}

/** Runs `op` on the rig; returns its outcome and the address it names. */
function runOp(x: Rig, op: StressOp, k: number, paddr: number): StressResult {
  const L = x.layer;
  switch (op) {
    case 'from_in_use': {
      const r = L.fromInUse(paddr);
      if (typeof r === 'number') x.held.shared.push(r);
      return errorOf(r);
    }
    case 'clone':
      return (L.clone(paddr / PAGE_SIZE), x.held.shared.push(paddr / PAGE_SIZE), 'ok');
    case 'drop':
      return L.drop(take(x.held.shared, k)) ? 'last' : 'notLast';
    case 'try_into_unique': {
      const slot = take(x.held.shared, k);
      if (L.tryIntoUnique(slot)) return (x.held.unique.push(slot), 'ok');
      return (x.held.shared.push(slot), 'InUse');
    }
    case 'into_shared':
      return (L.intoShared(take(x.held.unique, k)), x.held.shared.push(paddr / PAGE_SIZE), 'ok');
    case 'drop_unique':
      return (L.dropUnique(take(x.held.unique, k)), 'ok');
    case 'alloc':
      return 'ok';
  }
}

/** The next operation: a weighted choice among those the worker can make, and its argument. */
function choose(x: Rig): [StressOp, number, number] {
  const { shared, unique } = x.held;
  const roll = x.rand(100);
  const k = x.rand(64);
  if (shared.length === 0 && unique.length === 0)
    return roll < 60 ? ['alloc', k, -1] : ['from_in_use', k, Atomics.load(x.published, k % x.published.length)];
  if (shared.length + unique.length >= MAX_HELD)
    return shared.length > 0
      ? ['drop', k, shared[k % shared.length]! * PAGE_SIZE]
      : ['drop_unique', k, unique[k % unique.length]! * PAGE_SIZE];
  if (unique.length > 0 && roll < 15)
    return [roll < 7 ? 'into_shared' : 'drop_unique', k, unique[k % unique.length]! * PAGE_SIZE];
  if (shared.length > 0 && roll < 25) return ['try_into_unique', k, shared[k % shared.length]! * PAGE_SIZE];
  if (roll < 45 && shared.length < 32) return ['alloc', k, -1];
  if (roll < 60) return ['from_in_use', k, Atomics.load(x.published, k % x.published.length)];
  if (shared.length > 0 && roll < 70) return ['clone', k, shared[k % shared.length]! * PAGE_SIZE];
  if (shared.length > 0) return ['drop', k, shared[k % shared.length]! * PAGE_SIZE];
  return ['drop_unique', k, unique[k % unique.length]! * PAGE_SIZE];
}

/** Records and runs one operation; a full history buffer is a violation (events would be lost). */
function record(x: Rig, h: HistoryBuffer, clock: TicketClock, op: StressOp, k: number, paddr: number): void {
  if (h.length + 2 > h.capacity) return void x.violations.push('the history buffer is full');
  const code = OPS.indexOf(op);
  if (op === 'alloc') {
    h.push(clock.next(), false, code, -1, 0);
    const [r, p] = alloc(x);
    h.push(clock.next(), true, code, p, RESULTS.indexOf(r));
    return;
  }
  if (paddr < 0) return;
  h.push(clock.next(), false, code, paddr, 0);
  const r = runOp(x, op, k, paddr);
  h.push(clock.next(), true, code, paddr, RESULTS.indexOf(r));
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
  const region = new MetaRegion({
    maxPaddr: d.frames * PAGE_SIZE,
    memory: d.crashAfter === undefined ? mem : crashing(mem, armed),
  });
  const x: Rig = {
    layer: new FrameLayer(region, { dealloc }),
    buddy,
    held: { shared: [], unique: [] },
    published: new Int32Array(d.published),
    rand: rng(d.seed),
    violations,
  };
  const h = new HistoryBuffer(0, d.history);
  const clock = new TicketClock(d.clock);
  const gate = new Int32Array(d.gate);
  Atomics.add(gate, 0, 1);
  Atomics.wait(gate, 1, 0);
  for (; done < d.ops; done++) record(x, h, clock, ...choose(x));
  while (x.held.shared.length > 0) record(x, h, clock, 'drop', 0, x.held.shared[0]! * PAGE_SIZE);
  while (x.held.unique.length > 0) record(x, h, clock, 'drop_unique', 0, x.held.unique[0]! * PAGE_SIZE);
  return { ops: done, violations };
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'published' in workerData) {
  parentPort.postMessage(runStressWorker(workerData as StressWorkerData));
}
