import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliIn } from '../../test/cli.ts';
import { jsonDump, slot } from '../audit/testDumps.ts';
import { toJsonl } from '../record/HistoryRecorder.ts';
import { syntheticHistory } from '../record/syntheticHistory.ts';
import { exactInt } from '../validate/u64.ts';
import { COMMANDS } from './commands/index.ts';
import { closingLine } from './commands/defaultSuite.ts';

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

describe('help from the flag tables', () => {
  it.each(Object.entries(COMMANDS))('%s --help lists every flag it parses on its own line', async (name, c) => {
    const r = await run(name, '--help');
    expect(r.code).toBe(0);
    for (const f of Object.keys(c.flags)) expect(r.out.some((l) => l.trimStart().startsWith(`--${f}`))).toBe(true);
    expect(r.out.at(-1)).toContain('{"error": "…"}');
  });
  it.each(Object.entries(COMMANDS))('%s: a help line for every flag, and its exit codes', (_name, c) => {
    const bare = Object.entries(c.flags).filter(([, f]) => typeof f === 'string' || f.help.trim() === '');
    expect(bare.map(([k]) => k)).toEqual([]);
    expect(Object.keys(c.exits ?? {})).toEqual(expect.arrayContaining(['0', '2']));
  });
  it('check --help: one described line per flag, and the exit codes', async () => {
    const r = await run('check', '--help');
    expect(r.out).toContainEqual(expect.stringMatching(/^ {2}--max-memory SIZE +stop with exit 3 above/));
    expect(r.out).toContainEqual(expect.stringMatching(/^ {2}3 {2}incomplete: a limit or Ctrl-C/));
  });
});

describe('bad input, one convention', () => {
  it.each([
    [['check', '--max-memory', '0', '--json'], '--max-memory: must be at least 1M'],
    [['clauses', '--coverage', 'no/such/file.json', '--json'], 'no/such/file.json: no such clause-coverage file'],
    [['check', '--frames', '99', '--json'], '--frames: must be between 1 and 16'],
  ])('%j: one line on stderr, {"error"} on stdout, exit 2', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
    expect(r.out).toHaveLength(1);
    expect((JSON.parse(r.out[0]!) as { error: string }).error).toContain(msg);
  });
  it('clauses --coverage MISSING exits 2 without --json too', async () => {
    const r = await run('clauses', '--coverage', '/nonexistent/coverage.json');
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
  });
});

describe('outputs', () => {
  it('prove --certify --json prints one JSON object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framecheck-cert-'));
    const r = await run(
      'prove',
      '--certify',
      '--frames',
      '1',
      '--threads',
      '1',
      '--depth',
      '1',
      '--certificates',
      dir,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ certified: true, name: 'frames-1-threads-1-depth-1' });
  });
  it('clauses prints each Verus clause whole', async () => {
    const r = await run('clauses', '--json');
    const longest = (JSON.parse(r.out[0]!) as { clauses: { verus: string }[] }).clauses
      .map((c) => c.verus)
      .reduce((a, b) => (b.length > a.length ? b : a));
    expect(longest.length).toBeGreaterThan(90);
    expect((await run('clauses')).out.some((l) => l.endsWith(longest))).toBe(true);
  });
  it('u64 values print as their exact digits', () => {
    expect(exactInt(2 ** 64 - 4096)).toBe('18446744073709547520');
    expect(exactInt(4096)).toBe('4096');
    expect(exactInt(2n ** 64n - 1n)).toBe('18446744073709551615');
  });
  it('the default suite closes with whether everything passed', () => {
    const row = (job: string, verdict: 'ok' | 'violation' | 'incomplete') => ({ job, verdict, detail: '', seconds: 0 });
    expect(closingLine([row('a', 'ok'), row('b', 'ok')])).toBe('all 2 jobs passed');
    expect(closingLine([row('a', 'ok'), row('b', 'incomplete')])).toBe('1/2 jobs passed; not: b (incomplete)');
  });
});

describe('a UTF-8 byte-order mark is accepted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'framecheck-bom-'));
  const inDir = cliIn(() => dir);
  it.each([
    ['audit', 'd.json', jsonDump([slot(0x1000, 1, '()')])],
    ['validate', 'h.jsonl', toJsonl(syntheticHistory({ frames: 2, processes: 2, ops: 6, seed: 1 }))],
  ])('%s FILE with a BOM', async (command, name, text) => {
    writeFileSync(join(dir, name), `\uFEFF${text}`);
    const r = await inDir(command, name);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('descriptions', () => {
  it('no mutant description stops mid-sentence', async () => {
    const r = await run('mutants', '--list', '--json');
    const cut = (JSON.parse(r.out[0]!) as { mutants: { name: string; description: string }[] }).mutants.filter((m) =>
      /\b(a|an|the|and|or|can|to|of|is|with|by|from)$/.test(m.description),
    );
    expect(cut).toEqual([]);
  });
});
