/**
 * Recorded histories are validated: the real implementation's own histories (from worker threads,
 * from the single-thread interleaver, from the explorer's paths and random walks) are linearizable,
 * and the same histories corrupted are not.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { buildInstance } from '../check/instance.ts';
import { mutantByName } from '../mutants/catalog.ts';
import { validateText } from '../validate/validateHistory.ts';
import { historyOfPath, randomWalkHistory } from './exploreHistory.ts';
import { HistoryRecorder, TicketClock, toJsonl, type HistoryEvent } from './HistoryRecorder.ts';
import { recordedRun } from './recordedRun.ts';
import { RecordingFrameLayer } from './RecordingFrameLayer.ts';
import { syntheticHistory } from './syntheticHistory.ts';

const MAX = 0x8000_0000;
const dir = mkdtempSync(join(tmpdir(), 'framecheck-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verdict(events: readonly HistoryEvent[], protocol: 'current' | 'legacy' = 'current') {
  const r = validateText(toJsonl(events), { maxPaddr: MAX, protocol });
  if ('error' in r) throw new Error(r.error);
  return r;
}

/** Removes a last drop of a frame that is claimed again later: its count then never returns to UNUSED. */
function dropALastDrop(events: readonly HistoryEvent[]): HistoryEvent[] {
  const invokeAt = new Map<number, number>();
  const lastDrop = new Map<unknown, [number, number]>();
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    if (e.type === 'invoke') invokeAt.set(e.process, k);
    if (e.type !== 'ok') continue;
    const i = invokeAt.get(e.process)!;
    const paddr = events[i]!.value!['paddr'];
    if (e.f === 'drop' && e.value?.['last'] === true) lastDrop.set(paddr, [i, k]);
    const drop = lastDrop.get(paddr);
    if (e.f === 'from_unused' && e.value?.['ok'] === true && drop !== undefined && drop[1] < i) {
      return events.filter((_, j) => j !== drop[0] && j !== drop[1]);
    }
  }
  throw new Error('no last drop followed by a reclaim');
}

/** Appends an acquire that succeeds on a frame every process has released. */
const acquireUnused = (events: readonly HistoryEvent[]): HistoryEvent[] => [
  ...events,
  { type: 'invoke', process: 999, f: 'from_in_use', value: { paddr: '0x0' } },
  { type: 'ok', process: 999, f: 'from_in_use', value: { ok: true } },
];

describe('recording the real implementation', () => {
  it('from several worker threads at once: a large history, linearizable; corrupted, not', async () => {
    const outfile = join(dir, 'recordWorker.mjs');
    const entry = fileURLToPath(new URL('./recordWorker.ts', import.meta.url));
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
    const events = await recordedRun({ workers: 4, frames: 8, opsPerWorker: 1500, seed: 1, workerFile: outfile });
    expect(events.length).toBeGreaterThan(12_000);
    expect(new Set(events.map((e) => e.process))).toEqual(new Set([0, 1, 2, 3]));
    expect(verdict(events).verdict).toBe('linearizable');
    expect(verdict(acquireUnused(events)).verdict).toBe('not-linearizable');
    const v = verdict(dropALastDrop(events));
    expect(v.verdict).toBe('not-linearizable');
    // Minimized from thousands of events to a handful; how few depends on the threads' real interleaving.
    expect(v.violation!.subHistory.length).toBeLessThanOrEqual(16);
  });
  it('through RecordingFrameLayer, in a debug build', () => {
    const rec = new HistoryRecorder(new TicketClock(), 0);
    const l = new RecordingFrameLayer(new FrameLayer(new MetaRegion({ maxPaddr: 16 * 4096 })), rec);
    const s = l.fromUnused(0x3000, unit(KernelMeta)) as number;
    l.clone(s);
    expect(l.tryIntoUnique(s)).toBe(false);
    expect(l.referenceCount(s)).toBe(2n);
    expect(l.fromUnused(0x3000, unit(KernelMeta))).toBe('InUse');
    l.drop(s);
    expect(l.tryIntoUnique(s)).toBe(true);
    l.intoShared(s);
    expect(l.drop(s)).toBe(true);
    const u = l.uniqueFromUnused(0x4000, unit(KernelMeta)) as number;
    expect(l.fromInUse(0x4000)).toBe('Unique');
    l.dropUnique(u);
    expect(rec.events.map((e) => e.ticket)).toEqual(rec.events.map((_, k) => k));
    expect(verdict(rec.events.map((e) => e.event)).verdict).toBe('linearizable');
  });
  it('under simulated concurrency in one thread: 10^5 events over 10^3 frames (its cost is in npm run bench -- validate)', () => {
    const events = syntheticHistory({ frames: 1000, processes: 8, ops: 50_000, seed: 3 });
    expect(events.length).toBeGreaterThan(100_000);
    const r = verdict(events);
    expect(r.verdict).toBe('linearizable');
    const small = syntheticHistory({ frames: 50, processes: 8, ops: 5000, seed: 4 });
    expect(verdict(dropALastDrop(small)).verdict).toBe('not-linearizable');
  });
});

describe('histories of the explorer', () => {
  const inst = (flags: Parameters<typeof buildInstance>[0]) =>
    buildInstance({ refCountMax: 2 ** 31 - 1, ...flags }, (n) => mutantByName(n) !== undefined);
  it('a path, as check exports it', () => {
    const i = inst({ frames: 1, threads: 2, program: '0:from_unused,drop;1:from_in_use,drop' });
    const events = historyOfPath(i, [
      { t: 0, op: 'from_unused', frame: 0 },
      { t: 1, op: 'from_in_use', frame: 0 },
      { t: 0, op: undefined, frame: 0 },
      { t: 0, op: 'drop', frame: 0 },
      { t: 0, op: undefined, frame: 0 },
    ]);
    expect(events.map((e) => `${e.type} ${e.process} ${e.f} ${JSON.stringify(e.value ?? null)}`)).toEqual([
      'invoke 0 from_unused {"paddr":"0x0","unique":false}',
      'invoke 1 from_in_use {"paddr":"0x0"}',
      'ok 1 from_in_use {"err":"Busy"}',
      'ok 0 from_unused {"ok":true}',
      'invoke 0 drop {"paddr":"0x0"}',
      'ok 0 drop {"ok":true,"last":true}',
    ]);
    expect(verdict(events).verdict).toBe('linearizable');
  });
  it.each([
    [
      'current, every op',
      {
        frames: 2,
        threads: 4,
        depth: 400,
        ops: 'from_unused,from_unused_unique,from_in_use,clone,drop,into_shared,try_into_unique,drop_unique',
      },
      'current',
    ],
    [
      'current, with the allocator',
      { frames: 3, threads: 3, depth: 400, ops: 'alloc,from_in_use,clone,drop' },
      'current',
    ],
    [
      'legacy',
      { frames: 2, threads: 3, depth: 400, ops: 'from_unused,from_in_use,clone,drop', variant: 'legacy' },
      'legacy',
    ],
  ] as const)('random walks (%s) are linearizable', (_, flags, protocol) => {
    for (let seed = 1; seed <= 3; seed++) {
      const events = randomWalkHistory(inst(flags), { steps: 4000, seed });
      expect(events.length).toBeGreaterThan(1000);
      expect(verdict(events, protocol).verdict).toBe('linearizable');
    }
  });
  it('a random walk of a mutant is not', () => {
    const i = inst({
      frames: 1,
      threads: 3,
      depth: 400,
      ops: 'from_unused,from_in_use,drop',
      mutant: 'from_in_use_accepts_zero',
    });
    const bad = [1, 2, 3, 4, 5].map((seed) => verdict(randomWalkHistory(i, { steps: 3000, seed })).verdict);
    expect(bad).toContain('not-linearizable');
  });
});
