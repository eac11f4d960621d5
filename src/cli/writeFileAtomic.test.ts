import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-out-'));
const run = cliIn(() => dir);

/** A check that finds a violation at once and so writes its counterexample (and history). */
const RACE = ['check', '--frames', '1', '--threads', '2', '--depth', '1', '--mutant', 'from_in_use_accepts_zero'];
const TRACE = 'from_in_use_accepts_zero-linearizability.from_in_use.itf.json';

describe('bad output paths', () => {
  writeFileSync(join(dir, 'a-file'), 'x');
  mkdirSync(join(dir, 'a-dir'));
  mkdirSync(join(dir, 'out'));
  it.each([
    [['--out', 'a-file'], `cannot write ${join(dir, 'a-file')}: `],
    [['--out', 'a-file/sub'], `cannot write ${join(dir, 'a-file/sub')}: a file is in the way`],
    [['--out', '/proc/framecheck'], 'cannot write /proc/framecheck: '],
    [['--out', 'out', '--history', 'a-dir'], `cannot write ${join(dir, 'a-dir')}: it is a directory`],
    [['--out', 'out', '--history', 'missing/h.jsonl'], `cannot write ${join(dir, 'missing/h.jsonl')}: its directory`],
    [['--out', 'out', '--history', '/proc/h.jsonl'], 'cannot write /proc/h.jsonl: '],
  ])('check %j: one line "cannot write", exit 2, nothing left behind', async (flags, msg) => {
    const r = await run(...RACE, ...flags);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
    expect(r.err[0]).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('replay --html DIR: exit 2, "cannot write"', async () => {
    expect((await run(...RACE, '--out', 'out')).code).toBe(1);
    const r = await run('replay', join(dir, 'out', TRACE), '--html', 'a-dir');
    expect(r.err).toEqual([`framecheck: cannot write ${join(dir, 'a-dir')}: it is a directory`]);
    expect(r.code).toBe(2);
  });
});
