import { describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';

const run = cliIn();

describe('framecheck CLI', () => {
  it('lists its commands', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('clauses');
  });
  it.each([
    [['nosuch'], "unknown command 'nosuch'"],
    [['default', '--bogus'], 'unknown flag --bogus'],
    [['default', '--runs', '-1'], '--runs: must be between 1 and 1000000'],
    [['default', '--runs', 'x'], '--runs: must be a whole number'],
    [['default', '--runs'], 'flag --runs needs a value'],
    [['clauses', '--coverage', 'package.json'], 'not a clause-coverage file'],
  ])('%s: one line on stderr, exit 2', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
    expect(r.out).toEqual([]);
  });
  it('clauses --json lists every mirrored clause with its counts', async () => {
    const r = await run('clauses', '--json');
    const j = JSON.parse(r.out[0]!) as { clauses: { name: string; seenTrue: number; seenFalse: number }[] };
    expect(j.clauses.map((c) => c.name)).toContain('get_from_unused.ensures.err_unchanged');
    expect(j.clauses.every((c) => Number.isInteger(c.seenTrue) && Number.isInteger(c.seenFalse))).toBe(true);
  });
});
