import { describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SpinLock } from './SpinLock.ts';

/**
 * A worker adding 1 to words[1] `n` times with a plain (non-atomic) read-modify-write under the lock.
 * It counts itself ready in words[2] (and wakes the test waiting on it), then waits for words[3] so that
 * all workers start together.
 */
const WORKER = `
import { workerData, parentPort } from 'node:worker_threads';
import { SpinLock } from './SpinLock.ts';
const words = new Int32Array(workerData.buffer);
const lock = new SpinLock(words, 0);
Atomics.add(words, 2, 1);
Atomics.notify(words, 2);
Atomics.wait(words, 3, 0);
for (let k = 0; k < workerData.n; k++) lock.withLock(() => { words[1] = words[1] + 1; });
parentPort.postMessage('done');
`;

function words(): Int32Array<SharedArrayBuffer> {
  return new Int32Array(new SharedArrayBuffer(8));
}

describe('SpinLock', () => {
  it('moves the word between free (0) and held (1)', () => {
    const w = words();
    const lock = new SpinLock(w, 0);
    lock.lock();
    expect(w[0]).toBe(1);
    lock.unlock();
    expect(w[0]).toBe(0);
  });
  it('releases the lock when the critical section throws', () => {
    const w = words();
    const lock = new SpinLock(w, 0);
    expect(() =>
      lock.withLock(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(w[0]).toBe(0);
    expect(lock.withLock(() => 7)).toBe(7);
  });
  it('clears a contended word and wakes sleepers on unlock', () => {
    const w = words();
    const lock = new SpinLock(w, 0);
    lock.lock();
    Atomics.store(w, 0, 2);
    lock.unlock();
    expect(w[0]).toBe(0);
  });
  it('makes plain increments from several workers exact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framecheck-lock-'));
    try {
      const outfile = join(dir, 'lockWorker.mjs');
      const resolveDir = dirname(fileURLToPath(import.meta.url));
      buildSync({
        stdin: { contents: WORKER, resolveDir, loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile,
      });
      const buffer = new SharedArrayBuffer(16);
      const w = new Int32Array(buffer);
      const n = 400_000;
      const run = (): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const worker = new Worker(outfile, { workerData: { buffer, n } });
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      const done = Promise.all([run(), run(), run()]);
      for (let ready = Atomics.load(w, 2); ready < 3; ready = Atomics.load(w, 2))
        await Atomics.waitAsync(w, 2, ready).value;
      Atomics.store(w, 3, 1);
      Atomics.notify(w, 3);
      await done;
      expect(w[1]).toBe(3 * n);
      expect(w[0]).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
