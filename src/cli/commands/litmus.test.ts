import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const run = cliIn(() => join(import.meta.dirname, '../../..'));

describe('framecheck litmus', () => {
  test('exit 0 when the exists condition is never observed, with herd-style lines', async () => {
    const r = await run('litmus', 'litmus/MP+rel+acq.litmus');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Positive: 0 Negative: 3');
    expect(r.out).toContain('Observation MP+rel+acq Never 0 3');
  });
  test('exit 1 when it is observed; --json has the documented fields', async () => {
    const r = await run('litmus', 'litmus/SB.litmus', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out[0]!);
    expect(Object.keys(j)).toEqual([
      'test',
      'condition',
      'observation',
      'positive',
      'negative',
      'executions',
      'states',
      'races',
    ]);
    expect(j).toMatchObject({ test: 'SB', observation: 'Sometimes', positive: 1, negative: 3, executions: 4 });
  });
  test('a data race is reported with both accesses and what ordering is missing', async () => {
    const r = await run('litmus', 'litmus/RACE-MP-na.litmus', '--json');
    const race = JSON.parse(r.out[0]!).races[0];
    expect(race.first).toMatchObject({ thread: 'P0', line: 5, access: 'write', loc: 'x', order: 'plain' });
    expect(race.second).toMatchObject({ thread: 'P1', line: 11, access: 'read', loc: 'x', order: 'plain' });
    expect(race.missing).toMatch(/no happens-before/);
  });
  test('a file outside the subset: one line naming the line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-litmus-'));
    writeFileSync(join(dir, 'bad.litmus'), 'C Bad\n{ }\nP0 (atomic_int* x) {\n  for (;;) {}\n}\nexists (x=1)\n');
    const r = await cliIn(() => dir)('litmus', 'bad.litmus');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      expect.stringMatching(/^framecheck: bad\.litmus: line 4: 'for': loops are outside the subset$/),
    ]);
  });
  test('a missing file: exit 2', async () => {
    const r = await run('litmus', 'litmus/none.litmus');
    expect(r.code).toBe(2);
  });
});
