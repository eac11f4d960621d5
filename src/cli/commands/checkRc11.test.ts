import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { itfTraceProblems } from '../../contract/itf.ts';
import { cliIn } from '../../../test/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'fc-rc11-'));
const run = cliIn(() => dir);
const PROGRAM = ['--frames', '1', '--threads', '2', '--program', '0:from_unused,drop;1:from_in_use,meta,drop'];

describe('check --memory-model rc11', () => {
  test("the real implementation with upstream's orderings: ok, with the count of executions", async () => {
    const r = await run('check', '--memory-model', 'rc11', ...PROGRAM, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ memoryModel: 'rc11', verdict: 'ok', executions: 16 });
  });
  test('drop_relaxed_decrement: a data race, written as valid ITF with both accesses', async () => {
    const r = await run(
      'check',
      '--memory-model',
      'rc11',
      ...PROGRAM,
      '--mutant',
      'drop_relaxed_decrement',
      '--out',
      'cex',
    );
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(
      /^violation of data_race \(RC11\) — data race on meta\[0\]: T1 Frame::meta\(frame 0\): plain read meta\[0\] and T0 Frame::drop\(frame 0\): plain write/,
    );
    const trace = JSON.parse(readFileSync(join(dir, 'cex', 'drop_relaxed_decrement-rc11-data_race.itf.json'), 'utf8'));
    expect(itfTraceProblems(trace)).toEqual([]);
    expect(trace['#meta']).toMatchObject({ memoryModel: 'rc11', property: 'data_race' });
  });
  test('bad input: an unknown model, alloc under rc11, rc11 with workers', async () => {
    expect((await run('check', '--memory-model', 'tso')).code).toBe(2);
    const alloc = await run(
      'check',
      '--memory-model',
      'rc11',
      '--frames',
      '1',
      '--threads',
      '1',
      '--program',
      '0:alloc,drop',
    );
    expect(alloc.code).toBe(2);
    expect(alloc.err[0]).toMatch(/cannot run 'alloc'/);
    expect((await run('check', '--memory-model', 'rc11', ...PROGRAM, '--workers', '2')).code).toBe(2);
  });
});

describe('simulate --memory-model rc11', () => {
  const FLAGS = [
    '--frames',
    '2',
    '--threads',
    '3',
    '--ops-per-thread',
    '4',
    '--ops',
    'from_unused,from_in_use,meta,drop',
  ];
  test('finds a relaxed publishing store, and the printed seed reproduces it', async () => {
    const r = await run(
      'simulate',
      '--memory-model',
      'rc11',
      ...FLAGS,
      '--runs',
      '300',
      '--seed',
      '1',
      '--mutant',
      'claim_publish_relaxed',
      '--json',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out[0]!);
    expect(j.counterexample.property).toBe('data_race');
    const again = await run(
      'simulate',
      '--memory-model',
      'rc11',
      ...FLAGS,
      '--runs',
      '1',
      '--seed',
      String(j.seed),
      '--mutant',
      'claim_publish_relaxed',
      '--json',
    );
    expect(JSON.parse(again.out[0]!).counterexample.message).toBe(j.counterexample.message);
  });
  test('an instance too large for execution graphs is refused', async () => {
    const r = await run('simulate', '--memory-model', 'rc11');
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/needs --frames <= 16/);
  });
});

describe('replay of an RC11 trace', () => {
  test('re-explores its instance under RC11 and finds the recorded race again (exit 1)', async () => {
    const c = await run(
      'check',
      '--memory-model',
      'rc11',
      ...PROGRAM,
      '--mutant',
      'drop_fence_removed',
      '--out',
      'cex2',
    );
    expect(c.code).toBe(1);
    const r = await run('replay', join('cex2', 'drop_fence_removed-rc11-data_race.itf.json'));
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^reproduced \(RC11\): data_race — data race on meta\[0\]/);
    expect(r.out.filter((l) => l.endsWith('✗ race'))).toHaveLength(2);
  });
  test('--html: one column per thread, the two racing accesses marked', async () => {
    const r = await run('replay', join('cex2', 'drop_fence_removed-rc11-data_race.itf.json'), '--html', 'race.html');
    expect(r.code).toBe(1);
    const html = readFileSync(join(dir, 'race.html'), 'utf8');
    expect(html.match(/<tr data-step="\d+" class="marked">/g)).toHaveLength(2);
    expect(html).toContain('<th>T0</th><th>T1</th>');
    expect(html).toMatch(
      /class="marked"><td>\d+<\/td><td class="">(<\/td>)?<td class="act">Frame::meta\(frame 0\): plain read meta\[0\]/,
    );
  });
});
