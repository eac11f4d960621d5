import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';
import { detailsJson, exitOf, quietLine } from './reporter.ts';

const run = cliIn();
const tmp = () => mkdtempSync(join(tmpdir(), 'framecheck-reporter-'));

describe('reporter', () => {
  it('maps each verdict to its exit code', () => {
    expect([exitOf('ok'), exitOf('violation'), exitOf('incomplete')]).toEqual([0, 1, 3]);
  });
  it('writes the line of a run without a violation', () => {
    expect(quietLine({ verdict: 'ok' }, '12 states')).toBe('ok — 12 states');
    expect(quietLine({ verdict: 'incomplete', reason: '--time-limit reached' }, '12 states')).toBe(
      'incomplete: --time-limit reached — 12 states',
    );
  });
  it('puts the head first, the reason only when interrupted, the counterexample only on a violation', () => {
    const r = { stats: (s: { n: number }) => ({ n: s.n }), counterexample: (c: string) => c, text: () => [] };
    const ok = detailsJson({ verdict: 'ok', failed: false, interrupted: false, stats: { n: 1 } }, r);
    const cut = detailsJson(
      { verdict: 'incomplete', failed: false, interrupted: true, reason: 'x', stats: { n: 2 } },
      r,
    );
    const bad = detailsJson(
      { verdict: 'violation', failed: true, interrupted: false, stats: { n: 3 }, counterexample: 'cx' },
      { ...r, verdictWord: (v) => (v === 'violation' ? 'fails' : v) },
    );
    expect([ok, cut, bad]).toEqual([
      { verdict: 'ok', failed: false, interrupted: false, n: 1 },
      { verdict: 'incomplete', failed: false, interrupted: true, reason: 'x', n: 2 },
      { verdict: 'fails', failed: true, interrupted: false, n: 3, counterexample: 'cx' },
    ]);
  });
});

describe('one result shape for check, simulate, conform and mutants (--json)', () => {
  const head = (line: string) => Object.keys(JSON.parse(line) as object).slice(0, 3);
  it.each([
    ['check --frames 1 --threads 2 --depth 1', 0],
    ['check --max-states 5', 3],
    ['check --frames 1 --threads 2 --depth 2 --strategy random --runs 5', 0],
    ['check --frames 1 --threads 2 --depth 1 --mutant from_in_use_accepts_zero', 1],
    ['simulate --frames 8 --threads 2 --steps 300 --runs 1 --seed 1', 0],
    ['simulate --frames 8 --threads 4 --steps 2000 --runs 20 --seed 1 --mutant claim_load_then_store', 1],
    ['conform --impl framecheck:mutant/from_in_use_accepts_zero --runs 10', 1],
    ['mutants --only from_in_use_accepts_zero --runs 20', 0],
  ])('%s', async (line, code) => {
    const r = await run(...line.split(' '), '--json', '--out', tmp());
    expect(r.code).toBe(code);
    expect(head(r.out[0]!)).toEqual(['verdict', 'failed', 'interrupted']);
    const j = JSON.parse(r.out[0]!) as Record<string, unknown>;
    expect([j['failed'], j['interrupted'], 'counterexample' in j, 'reason' in j]).toEqual([
      code === 1,
      code === 3,
      code === 1,
      code === 3,
    ]);
  });
});
