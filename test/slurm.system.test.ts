/**
 * End to end on a real single-node Slurm: test/system/slurm/start-slurm.sh configures and starts
 * munge, slurmctld and slurmd on this machine (installing Debian's slurm-wlm and munge when root);
 * the shipped job-array script (deploy/slurm/check-array.sbatch) is submitted with sbatch, waited
 * for, and its shards merged: the verdict and the exact state count are the unsharded run's, on
 * correct code and on a mutant.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from './systemTools.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'bin', 'framecheck.js');

beforeAll(() => {
  const start = spawnSync('bash', [join(root, 'test/system/slurm/start-slurm.sh')], { encoding: 'utf8' });
  requireTools(
    start.status === 0 ? undefined : `single-node Slurm did not start: ${start.stderr.trim().split('\n')[0]}`,
  );
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
}, 600_000);

const INSTANCE = [
  '--frames',
  '2',
  '--threads',
  '3',
  '--depth',
  '2',
  '--ops',
  'from_unused,from_in_use,drop',
  '--no-por',
];

function json(argv: readonly string[], cwd: string): { status: number | null; out: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [cli, ...argv, '--json'], { cwd, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return { status: r.status, out: JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('a sharded check as a Slurm job array', () => {
  it.each([
    ['correct code', []],
    ['a mutant', ['--mutant', 'no_overflow_abort']],
  ])('%s: sbatch --array=0-3, then merge: the unsharded verdict and states', (_, extra) => {
    const dir = mkdtempSync(join(tmpdir(), 'framecheck-slurm-'));
    const flags = [...INSTANCE, ...extra];
    const sub = spawnSync(
      'sbatch',
      ['--wait', '--array=0-3', '--cpus-per-task=1', join(root, 'deploy/slurm/check-array.sbatch'), ...flags],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, FRAMECHECK: `${process.execPath} ${cli}` } },
    );
    expect(sub.stdout).toMatch(/Submitted batch job \d+/);
    const files = readdirSync(join(dir, 'framecheck-results')).sort();
    expect(files).toEqual([0, 1, 2, 3].map((i) => `shard-${i}-of-4.json`));
    const merged = json(
      ['merge', '--out', join(dir, 'out'), ...files.map((f) => join(dir, 'framecheck-results', f))],
      dir,
    );
    const one = json(['check', ...flags, '--workers', '1', '--out', join(dir, 'one')], dir);
    expect([merged.status, merged.out['verdict']]).toEqual([one.status, one.out['verdict']]);
    if (one.out['verdict'] === 'ok') expect(merged.out['states']).toBe(one.out['states']);
    else
      expect((merged.out['counterexample'] as { steps: number }).steps).toBe(
        (one.out['counterexample'] as { steps: number }).steps,
      );
  });
});
