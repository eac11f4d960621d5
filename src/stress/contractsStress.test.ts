import { describe, expect, it } from 'vitest';
import { runStress } from './stress.ts';

describe('contracts under worker_threads', () => {
  it('10^6 checked operations over 2 workers: no false alarm, and an exact audit', async () => {
    const r = await runStress({
      workers: 2,
      ops: 1_000_000,
      frames: 256,
      seed: 4,
      contracts: true,
      validate: false,
      timeoutMs: 240_000,
    });
    expect(r.workers.map((w) => [w.status, w.violations])).toEqual([
      ['finished', []],
      ['finished', []],
    ]);
    expect(r.ops).toBeGreaterThanOrEqual(1_000_000);
    expect(r.audit).toMatchObject({ frames: 256, free: 256, inUse: 0, violations: [], exact: true });
  }, 300_000);

  it('a seeded bug only a concurrent run shows (get_from_in_use accepts a count of 0) is caught with blame', async () => {
    const r = await runStress({
      workers: 2,
      ops: 200_000,
      frames: 8,
      seed: 2,
      contracts: true,
      mutant: 'from_in_use_accepts_zero',
      validate: false,
      timeoutMs: 120_000,
    });
    const lines = r.workers.flatMap((w) => w.violations);
    expect(lines.some((l) => /^from_in_use\.refinement \(blame: implementation\).*old rc 0 /.test(l))).toBe(true);
  }, 200_000);
});
