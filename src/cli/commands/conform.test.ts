import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';
import { parseInstances } from './conform.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-conform-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliIn(() => dir);

describe('framecheck conform', () => {
  it('framecheck:current conforms: exit 0, one line per job', async () => {
    const r = await run('conform', '--impl', 'framecheck:current', '--runs', '50');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('conform framecheck:current (current protocol): conforms');
    expect(r.out.slice(1).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'contracts pass',
      'model pass',
      'explore pass',
    ]);
  });
  it("--spec head: the explorer's instances check vostd HEAD's contracts; framecheck:current conforms", async () => {
    const inst = 'frames=1 threads=2 depth=2 ops=from_unused,from_in_use,drop';
    const r = await run(
      'conform',
      '--impl',
      'framecheck:current',
      '--runs',
      '20',
      '--spec',
      'head',
      '--instances',
      inst,
    );
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('conform framecheck:current (current protocol): conforms');
    expect(parseInstances(inst, 'current', dir, 'head')[0]!.instance.spec).toBe('head');
    expect(parseInstances(`${inst} spec=seed`, 'current', dir, 'head')[0]!.instance.spec).toBe('seed');
    const bad = await run('conform', '--impl', 'framecheck:current', '--spec', 'tip');
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([expect.stringContaining('unknown spec version "tip" (expected seed or head)')]);
  });
  it('the example module, loaded from its path, conforms', async () => {
    const r = await run('conform', '--impl', resolve('examples/closureFrames.ts'), '--runs', '50', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ implementation: 'examples/closureFrames', verdict: 'conforms' });
  });
  it('a mutant fails: exit 1, with the failing job and its details', async () => {
    const r = await run('conform', '--impl', 'framecheck:mutant/into_shared_stores_two', '--runs', '50');
    expect(r.code).toBe(1);
    expect(r.out[0]).toBe('conform framecheck:mutant/into_shared_stores_two (current protocol): fails');
    expect(r.out.join('\n')).toContain('Frame::from_unique.ensures.rc_one');
  });
  it.each([
    [[], '--impl: is required'],
    [['--impl', 'missing.mjs'], '--impl missing.mjs: cannot load the module'],
    [['--impl', 'empty.mjs'], '--impl empty.mjs: createImplementation: must be a function'],
    [['--impl', 'framecheck:nope'], "--impl: unknown built-in implementation 'framecheck:nope'"],
    [['--impl', 'framecheck:current', '--runs', '0'], '--runs: must be between 1 and 100000'],
  ])('%j: one line, exit 2', async (argv, msg) => {
    writeFileSync(join(dir, 'empty.mjs'), 'export const name = "empty";\n');
    const r = await run('conform', ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
  });
});
