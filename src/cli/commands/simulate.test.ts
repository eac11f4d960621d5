import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const run = cliIn();

describe('framecheck simulate', () => {
  it('runs a 1,024-frame instance and reports its steps/s as one JSON object', async () => {
    const r = await run(
      'simulate',
      '--frames',
      '1024',
      '--threads',
      '16',
      '--steps',
      '5000',
      '--runs',
      '1',
      '--seed',
      '3',
      '--json',
    );
    expect([r.code, r.err]).toEqual([0, []]);
    const j = JSON.parse(r.out[0]!) as Record<string, unknown>;
    expect(j).toMatchObject({ verdict: 'ok', frames: 1024, threads: 16, seed: 3, runs: 1, scheduler: 'random' });
    expect(j['stepsPerSecond']).toBeGreaterThan(0);
  });

  it('shrinks a failure to a trace that replay reproduces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framecheck-sim-'));
    const r = await run(
      'simulate',
      '--frames',
      '8',
      '--threads',
      '4',
      '--steps',
      '2000',
      '--runs',
      '20',
      '--mutant',
      'claim_load_then_store',
      '--seed',
      '1',
      '--out',
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^violation of accounting\.busy .* in run \d+ \(seed \d+\)/);
    expect(r.out.join('\n')).toContain('reproduce: framecheck simulate --frames 8 --threads 4');
    const files = readdirSync(dir);
    expect(files).toEqual(['claim_load_then_store-accounting.busy.sim.itf.json']);
    const replay = await run('replay', join(dir, files[0]!), '--json');
    expect(JSON.parse(replay.out[0]!)).toMatchObject({ reproduced: true, property: 'accounting.busy' });
  });

  it('runs the DragonOS buddy stress', async () => {
    const r = await run('simulate', '--scenario', 'buddy-stress', '--runs', '2', '--mib', '4', '--seed', '5', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ scenario: 'buddy-stress', verdict: 'ok', rounds: 2, violations: [] });
  });

  it('runs worker threads on the shared region, writes their history and audits what they left', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'framecheck-threads-')), 'h.jsonl');
    const r = await run(
      'simulate',
      '--scenario',
      'threads',
      '--threads',
      '2',
      '--steps',
      '4000',
      '--frames',
      '64',
      '--history',
      file,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({
      scenario: 'threads',
      ok: true,
      ops: 4000,
      audit: { exact: true, frames: 64 },
      validation: 'linearizable',
    });
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/^\{"type":"invoke","process":\d,"f":"alloc"/);
  });

  it.each([
    [['--threads', '0'], '--threads: must be between 1 and 64'],
    [['--steps', '-5'], '--steps: must be between 1 and 1000000000'],
    [['--scheduler', 'pct', '--depth', '10', '--steps', '5'], '--depth 10 is larger than --steps 5'],
    [['--depth', '2'], '--depth is the PCT bug depth'],
    [['--scenario', 'nosuch'], '--scenario'],
    [['--mutant', 'nosuch'], "unknown mutant 'nosuch'"],
    [['--ops', 'alloc,from_unused'], 'alloc cannot run with from_unused'],
    [['--frames', '100000'], '--frames: must be between 1 and 65536'],
  ])('%s: one line on stderr, exit 2', async (argv, msg) => {
    const r = await run('simulate', ...argv);
    expect([r.code, r.out, r.err.length]).toEqual([2, [], 1]);
    expect(r.err[0]).toContain(msg);
  });
});

describe('framecheck mutants', () => {
  it('--list --json prints every name and description', async () => {
    const r = await run('mutants', '--list', '--json');
    const j = JSON.parse(r.out[0]!) as { mutants: { name: string; description: string }[] };
    expect(j.mutants.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(j.mutants[0]!)).toEqual(['name', 'description']);
  });

  it('--only NAME --json reports who killed it, the counterexample and the gap', async () => {
    const r = await run('mutants', '--only', 'unique_drop_leaks', '--json', '--runs', '100');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]!) as { mutants: Record<string, unknown>[]; score: number; specGaps: unknown[] };
    expect(j.score).toBe(1);
    expect(j.mutants[0]).toMatchObject({
      name: 'unique_drop_leaks',
      killed: true,
      by: ['contracts', 'check', 'simulate', 'model-based'],
      counterexample: { engine: 'check', property: 'accounting.leak' },
    });
    expect(j.specGaps).toEqual([
      expect.objectContaining({ mutant: 'unique_drop_leaks', kind: 'vostd', op: 'UniqueFrame::drop' }),
    ]);
  });

  it('an unknown mutant is one line, exit 2', async () => {
    const r = await run('mutants', '--only', 'nosuch');
    expect([r.code, r.err]).toEqual([
      2,
      ["framecheck: unknown mutant 'nosuch' (framecheck mutants --list; clause mutants are OP/OPERATOR)"],
    ]);
  });
});
