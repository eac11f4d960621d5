import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';
import { itfTraceProblems } from '../../contract/itf.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliIn(() => dir);

type Step = { t: number; op: string; frame: number; left: string[]; right: string[] };

/** `framecheck diff A B --frames 1 FLAGS… --json`: its exit code and its JSON object. */
async function diffJson(a: string, b: string, flags: string) {
  const r = await run('diff', a, b, '--frames', '1', ...flags.split(' '), '--json');
  expect(r.err).toEqual([]);
  return { code: r.code, j: JSON.parse(r.out[0]!) as { phase: string; steps: Step[] } };
}

describe('framecheck diff', () => {
  it('current against legacy: a UniqueFrame claim, which the legacy protocol has no operation for (exit 1, valid ITF)', async () => {
    const { code, j } = await diffJson('current', 'legacy', '--depth 1 --threads 1 --out d.itf.json');
    expect(code).toBe(1);
    expect(j.phase).toBe('sequential');
    expect(j.steps).toEqual([
      { t: 0, op: 'from_unused_unique', frame: 0, left: ['ok'], right: ['(no such operation)'] },
    ]);
    const file = JSON.parse(readFileSync(join(dir, 'd.itf.json'), 'utf8'));
    expect(itfTraceProblems(file)).toEqual([]);
    expect(file['#meta'].left).toBe('current');
    expect(file.states[1].left).toEqual({ '#set': ['ok'] });
    expect(file.states[1].right).toEqual({ '#set': ['(no such operation)'] });
  });

  it('current against legacy on the operations both have: no difference within the bounds (exit 0)', async () => {
    const r = await run(
      'diff',
      'current',
      'legacy',
      '--frames',
      '1',
      '--depth',
      '2',
      '--ops',
      'from_unused,from_in_use,clone,drop',
    );
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^no observable difference between current and legacy within the bounds/);
  });

  it('a mutant that reports Unique as InUse differs from current sequentially', async () => {
    const { code, j } = await diffJson('current', 'mutant/unique_reported_as_in_use', '--depth 2 --threads 1');
    expect(code).toBe(1);
    expect(j.steps.map((s) => s.op)).toEqual(['from_unused_unique', 'from_unused']);
    expect(j.steps[1]).toMatchObject({ left: ['Unique'], right: ['InUse'] });
  });

  it('a mutant whose difference needs two threads: found in the concurrent phase', async () => {
    // from_in_use treating a count of 0 as in use: one thread alone never sees the transient 0
    const { code, j } = await diffJson(
      'current',
      'mutant/from_in_use_accepts_zero',
      '--depth 1 --ops from_unused,from_in_use',
    );
    expect(code).toBe(1);
    expect(j.phase).toBe('concurrent');
    const last = j.steps[j.steps.length - 1]!;
    expect(last.op).toBe('from_in_use');
    expect(last.left).not.toEqual(last.right);
  });

  it('an --impl module as a side: framecheck:current is the current protocol, a built-in mutant differs', async () => {
    const same = await run(
      'diff',
      'current',
      'impl',
      '--impl',
      'framecheck:current',
      '--frames',
      '1',
      '--depth',
      '2',
      '--threads',
      '1',
    );
    expect(same.err).toEqual([]);
    expect(same.code).toBe(0);
    const { code, j } = await diffJson(
      'impl',
      'current',
      '--depth 2 --threads 1 --impl framecheck:mutant/unique_reported_as_in_use',
    );
    expect(code).toBe(1);
    expect(j.steps[1]).toMatchObject({ op: 'from_unused', left: ['InUse'], right: ['Unique'] });
  });

  it('a state limit: exit 3', async () => {
    const r = await run('diff', 'current', 'legacy', '--ops', 'from_unused,from_in_use,drop', '--max-states', '5');
    expect(r.code).toBe(3);
    expect(r.out[0]).toMatch(/^incomplete/);
  });

  it.each([
    [['current', 'current'], "diff compares two different sides; 'current' is given twice"],
    [['current', 'newer'], "unknown variant 'newer' (sides: current, legacy, mutant/NAME, impl)"],
    [
      ['current', 'mutant/nope'],
      "unknown variant 'mutant/nope': not a region or frame-layer mutant of the catalog (framecheck mutants --list)",
    ],
    [['current'], 'diff takes two sides: framecheck diff A B'],
    [['current', 'impl'], "the side 'impl' needs --impl MODULE"],
    [['impl', 'impl'], "diff compares two different sides; 'impl' is given twice"],
  ])('bad input %j: one line, exit 2', async (sides, msg) => {
    const r = await run('diff', ...sides);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([`framecheck: ${msg}`]);
  });
});
