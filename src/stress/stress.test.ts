import { describe, expect, it } from 'vitest';
import { runStress } from './stress.ts';

describe('real threads on the shared region and buddy allocator', () => {
  it('ends with exact accounting, every frame free and unused, and a linearizable history', async () => {
    const r = await runStress({ workers: 3, ops: 45_000, frames: 256, seed: 3 });
    expect(r.workers.map((w) => [w.status, w.violations])).toEqual([0, 1, 2].map(() => ['finished', []]));
    expect(r.audit).toMatchObject({ frames: 256, free: 256, inUse: 0, explained: [], violations: [], exact: true });
    expect(r.ops).toBeGreaterThanOrEqual(45_000);
    expect(r.validation).toMatchObject({ verdict: 'linearizable' });
    expect(r.ok).toBe(true);
    const first = JSON.parse(r.history().split('\n')[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ type: 'invoke' });
  });

  it('reports a worker that crashes mid-operation with its history, and audits what the others left', async () => {
    const r = await runStress({ workers: 3, ops: 9000, frames: 64, seed: 5, crash: { worker: 1, afterOps: 1000 } });
    const crashed = r.workers[1]!;
    expect(crashed).toMatchObject({ status: 'crashed', error: expect.stringContaining('InjectedCrash') });
    expect(crashed.events).toBeGreaterThan(1500);
    expect(crashed.pending).toMatch(/^(alloc|drop|drop_unique|into_shared)\(/);
    expect(r.workers.filter((w) => w.status === 'finished')).toHaveLength(2);
    expect(r.audit.violations).toEqual([]);
    expect(r.audit.exact).toBe(true);
    expect(r.validation).toMatchObject({ verdict: 'linearizable' });
  });

  it('terminates workers still running at the deadline: nothing hangs', async () => {
    const r = await runStress({ workers: 2, ops: 50_000_000, frames: 64, seed: 1, timeoutMs: 300, validate: false });
    expect(r.workers.map((w) => w.status)).toEqual(['timeout', 'timeout']);
    expect(r.audit.frames).toBe(64);
  });
});
