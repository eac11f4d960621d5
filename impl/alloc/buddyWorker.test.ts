import { afterAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BuddyAllocator } from './BuddyAllocator.ts';
import { stress } from './buddyWorker.ts';
import type { BuddyWorkerData, BuddyWorkerReport } from './buddyWorker.ts';
import { PAGE_SIZE } from './vocab.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-buddy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles the real worker module (and the real allocator) into plain JS a `Worker` can load. */
function buildWorker(): string {
  const outfile = join(dir, 'buddyWorker.mjs');
  const entry = fileURLToPath(new URL('./buddyWorker.ts', import.meta.url));
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  return outfile;
}

function runWorker(file: string, data: BuddyWorkerData): Promise<BuddyWorkerReport> {
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData: data });
    w.once('message', (r: BuddyWorkerReport) => resolve(r));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

function setup(nframes: number): { a: BuddyAllocator; owners: SharedArrayBuffer } {
  const base = 0x4000_0000;
  const a = BuddyAllocator.create({ basePaddr: base, nframes });
  expect(a.addFreeMemory(base, nframes * PAGE_SIZE)).toEqual({ ok: true });
  return { a, owners: new SharedArrayBuffer(4 * nframes) };
}

function expectRestored(a: BuddyAllocator, owners: SharedArrayBuffer, reports: readonly BuddyWorkerReport[]): void {
  expect(reports.map((r) => [r.violations, r.errors])).toEqual(reports.map(() => [0, []]));
  expect(a.usage()).toEqual({ total: a.nframes, used: 0, free: a.nframes });
  expect(a.audit()).toEqual([]);
  expect(a.freeBlocks()).toEqual([{ addr: a.basePaddr, order: Math.log2(a.nframes) }]);
  expect(new Int32Array(owners).every((o) => o === 0)).toBe(true);
}

describe('BuddyAllocator shared across worker threads', () => {
  it('runs the stress protocol in one thread', () => {
    const { a, owners } = setup(256);
    const r = stress({ shared: a.sharedState, owners, id: 1, ops: 2000 });
    expect(r.allocs).toBeGreaterThan(500);
    expectRestored(a, owners, [r]);
  });
  it('never hands a frame to two workers at once, and ends with everything free', async () => {
    const { a, owners } = setup(1024);
    const file = buildWorker();
    const ops = 20_000;
    const gate = new SharedArrayBuffer(8);
    const g = new Int32Array(gate);
    const running = Promise.all(
      [1, 2, 3].map((id) => runWorker(file, { shared: a.sharedState, owners, id, ops, gate })),
    );
    for (let ready = Atomics.load(g, 0); ready < 3; ready = Atomics.load(g, 0))
      await Atomics.waitAsync(g, 0, ready).value;
    Atomics.store(g, 1, 1);
    Atomics.notify(g, 1);
    const reports = await running;
    expect(reports.every((r) => r.allocs + r.misses > ops / 3)).toBe(true);
    expectRestored(a, owners, reports);
  });
});
