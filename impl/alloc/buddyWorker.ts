/**
 * A worker-thread entry point that stresses a shared `BuddyAllocator`: it attaches to the state in
 * `workerData`, runs a seeded random mix of allocs and frees, frees what it still holds, and posts a
 * `BuddyWorkerReport`.
 *
 * Ownership is tracked in a shared `Int32Array` with one word per frame: a worker claims each frame it
 * is handed with `compareExchange(0 → id)` and releases it (`id → 0`) before freeing it, so a frame
 * handed to two workers at once makes a claim fail, and shows up as a `violation`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BuddyAllocator } from './BuddyAllocator.ts';
import type { BuddySharedState } from './BuddyAllocator.ts';
import { PAGE_SIZE } from './vocab.ts';

/**
 * What the test posts to each worker. `id` must be non-zero. With a `gate` (two int32 words), the
 * worker counts itself ready in word 0 (waking whoever waits on it) and waits until word 1 is set, so
 * that workers start together.
 */
export type BuddyWorkerData = Readonly<{
  shared: BuddySharedState;
  owners: SharedArrayBuffer;
  id: number;
  ops: number;
  gate?: SharedArrayBuffer;
}>;

/** What each worker posts back. */
export type BuddyWorkerReport = Readonly<{
  allocs: number;
  frees: number;
  misses: number;
  violations: number;
  errors: readonly string[];
}>;

type Held = { i: number; count: number };

/** Runs the stress protocol and returns the report. */
export function stress(data: BuddyWorkerData): BuddyWorkerReport {
  const a = BuddyAllocator.attach(data.shared);
  const owners = new Int32Array(data.owners);
  const report = { allocs: 0, frees: 0, misses: 0, violations: 0, errors: [] as string[] };
  const held: Held[] = [];
  if (data.gate !== undefined) awaitGate(new Int32Array(data.gate));
  let seed = data.id * 0x9e3779b1 || 1;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  for (let op = 0; op < data.ops; op++) {
    if (held.length === 0 || (held.length < 48 && rand(100) < 55))
      allocOne(a, owners, data.id, 2 ** rand(4), held, report);
    else freeOne(a, owners, data.id, held.splice(rand(held.length), 1), rand(4) === 0, report);
  }
  freeOne(a, owners, data.id, held, false, report);
  return report;
}

function awaitGate(gate: Int32Array): void {
  Atomics.add(gate, 0, 1);
  Atomics.notify(gate, 0);
  Atomics.wait(gate, 1, 0);
}

function allocOne(
  a: BuddyAllocator,
  owners: Int32Array,
  id: number,
  count: number,
  held: Held[],
  report: { allocs: number; misses: number; violations: number },
): void {
  const p = a.alloc({ size: count * PAGE_SIZE, align: PAGE_SIZE });
  if (p === undefined) {
    report.misses++;
    return;
  }
  const i = (p - a.basePaddr) / PAGE_SIZE;
  for (let f = i; f < i + count; f++) if (Atomics.compareExchange(owners, f, 0, id) !== 0) report.violations++;
  held.push({ i, count });
  report.allocs++;
}

function freeOne(
  a: BuddyAllocator,
  owners: Int32Array,
  id: number,
  blocks: readonly Held[],
  piecewise: boolean,
  report: { frees: number; violations: number; errors: string[] },
): void {
  for (const h of blocks) {
    for (let f = h.i; f < h.i + h.count; f++) if (Atomics.compareExchange(owners, f, id, 0) !== id) report.violations++;
    const pieces = piecewise ? Array.from({ length: h.count }, (_, j) => ({ i: h.i + j, count: 1 })) : [h];
    for (const p of pieces) {
      const r = a.dealloc(a.basePaddr + p.i * PAGE_SIZE, p.count * PAGE_SIZE);
      if (!r.ok) report.errors.push(`${r.error} at frame ${p.i}`);
    }
    report.frees++;
  }
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'shared' in workerData) {
  parentPort.postMessage(stress(workerData as BuddyWorkerData));
}
