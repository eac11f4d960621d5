/** `check --axioms`: the trusted axioms on the checked instance's real states, reported beside the check's own result. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-axioms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliIn(() => dir);
const WRONG = ['--frames', '1', '--threads', '1', '--program', '0:from_unused_unique,into_shared'];

type Out = { verdict: string; axioms?: { states: number; complete: boolean }; axiomViolations?: { axiom: string }[] };

describe('check --axioms', () => {
  it('off by default: no axiom evaluation in the output', async () => {
    const r = await run('check', '--frames', '1', '--threads', '2', '--depth', '2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).not.toHaveProperty('axiomViolations');
  });

  it('the real implementation: every axiom holds on every state, the JSON object says so, exit 0', async () => {
    const r = await run('check', '--frames', '1', '--threads', '2', '--depth', '2', '--axioms', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]!) as Out;
    expect(j.axioms?.complete).toBe(true);
    expect(j.axioms?.states).toBeGreaterThan(20);
    expect(j.axiomViolations).toEqual([]);
  });

  it('a wrong implementation: the axiom it makes false is a finding, in the JSON object and as a text line', async () => {
    const j = JSON.parse(
      (await run('check', ...WRONG, '--mutant', 'into_shared_stores_two', '--axioms', '--json')).out[0]!,
    ) as Out;
    expect(j.axiomViolations?.map((v) => v.axiom)).toEqual(['from_unique_embedded']);
    const t = await run('check', ...WRONG, '--mutant', 'into_shared_stores_two', '--axioms');
    expect(t.code).toBe(1);
    expect(t.out).toContainEqual(
      expect.stringMatching(/^axiom false on a real state: from_unique_embedded — into_shared on frame 0/),
    );
  });
});

describe('simulate --axioms', () => {
  const SIM = [
    '--frames',
    '2',
    '--threads',
    '2',
    '--ops',
    'from_unused_unique,into_shared,drop',
    '--ops-per-thread',
    '4',
  ];
  it('the axioms along random runs of the real implementation hold; off by default', async () => {
    const r = await run('simulate', ...SIM, '--steps', '200', '--runs', '3', '--seed', '1', '--axioms', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]!) as Out;
    expect(j.axioms?.states).toBeGreaterThan(10);
    expect(j.axiomViolations).toEqual([]);
    const plain = await run('simulate', ...SIM, '--steps', '200', '--runs', '3', '--seed', '1', '--json');
    expect(JSON.parse(plain.out[0]!)).not.toHaveProperty('axioms');
  });
  it('a wrong implementation makes from_unique_embedded false along a run', async () => {
    const r = await run(
      'simulate',
      ...SIM,
      '--steps',
      '200',
      '--runs',
      '3',
      '--seed',
      '1',
      '--axioms',
      '--json',
      '--mutant',
      'into_shared_stores_two',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out[0]!) as Out;
    expect(j.axiomViolations?.map((v) => v.axiom)).toEqual(['from_unique_embedded']);
  });
});
