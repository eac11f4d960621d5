import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'fc-clauses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliIn(() => dir);

type Row = { name: string; falsifiedBy: string[] };
type Out = { clauses: Row[]; notes: { name: string; why: string }[] };

describe('framecheck clauses --json: falsifiedBy and notes', () => {
  it('gives each clause the falsifiers the coverage file recorded, and lists the notes apart', async () => {
    const file = join(dir, 'cov.json');
    const falsifiedBy = { 'inc_ref_count.ensures.aborts_exactly': ['mutant:IncNoAbort'] };
    writeFileSync(file, JSON.stringify({ generated: 'g', clauses: {}, falsifiedBy }));
    const r = await run('clauses', '--json', '--coverage', file);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out[0]!) as Out;
    const row = (n: string) => out.clauses.find((c) => c.name === n)?.falsifiedBy;
    expect([row('inc_ref_count.ensures.aborts_exactly'), row('inc_ref_count.ensures.id')]).toEqual([
      ['mutant:IncNoAbort'],
      [],
    ]);
    expect(out.notes.map((n) => n.name)).toContain('MetaRegionOwners::inv.slots_finite');
    expect(out.clauses.map((c) => c.name)).not.toContain('MetaRegionOwners::inv.slots_finite');
  });

  it('a coverage file whose falsifiedBy is not a list of labels: one line, exit 2', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ generated: 'g', clauses: {}, falsifiedBy: { x: 3 } }));
    const r = await run('clauses', '--coverage', file);
    expect([r.code, r.err.length]).toEqual([2, 1]);
  });
});

describe('framecheck clauses --coverage DIR: a directory of coverage parts', () => {
  const parts = join(dir, 'parts');
  mkdirSync(parts);
  // Two processes' parts, as FRAMECHECK_CLAUSE_COVERAGE=DIR writes them, and a merged file beside them.
  writeFileSync(
    join(parts, '1-a.json'),
    JSON.stringify({
      counts: { 'inc_ref_count.ensures.id': [3, 1] },
      falsifiedBy: { 'inc_ref_count.ensures.id': ['mutant:B'] },
    }),
  );
  writeFileSync(
    join(parts, '2-b.json'),
    JSON.stringify({
      counts: { 'inc_ref_count.ensures.id': [2, 0] },
      falsifiedBy: { 'inc_ref_count.ensures.id': ['mutant:A', 'mutant:B'] },
    }),
  );
  writeFileSync(
    join(parts, 'base.json'),
    JSON.stringify({
      generated: 'g',
      clauses: { 'inc_ref_count.ensures.id': [10, 0], 'get_slot.ensures.ok_addr': [1, 1] },
      falsifiedBy: { 'get_slot.ensures.ok_addr': ['caller:T'] },
    }),
  );
  writeFileSync(join(parts, 'notes.txt'), 'not a part');

  it('adds the counts up and unites the falsifiers of every *.json in it', async () => {
    const r = await run('clauses', '--json', '--coverage', parts);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out[0]!) as {
      clauses: (Row & { seenTrue: number; seenFalse: number })[];
      coverage: { parts: number };
    };
    const row = (n: string) => out.clauses.find((c) => c.name === n)!;
    const id = row('inc_ref_count.ensures.id');
    expect([id.seenTrue, id.seenFalse, id.falsifiedBy]).toEqual([15, 1, ['mutant:A', 'mutant:B']]);
    expect(row('get_slot.ensures.ok_addr').falsifiedBy).toEqual(['caller:T']);
    expect(out.coverage.parts).toBe(3);
  });

  it('the text table names the number of parts', async () => {
    const r = await run('clauses', '--coverage', parts);
    expect(r.out.find((l) => l.includes('clauses mirrored'))).toMatch(/, 3 parts\)/);
  });

  it.each([
    [
      'an empty directory',
      () => {
        const d = join(dir, 'empty');
        mkdirSync(d, { recursive: true });
        return d;
      },
      /no clause-coverage parts/,
    ],
    [
      'a part that is neither shape',
      () => {
        const d = join(dir, 'badpart');
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'x.json'), JSON.stringify({ counts: { a: [1] }, falsifiedBy: {} }));
        return d;
      },
      /x\.json: neither a clause-coverage part nor a merged file/,
    ],
    [
      'a part that is not JSON',
      () => {
        const d = join(dir, 'notjson');
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'y.json'), '{');
        return d;
      },
      /y\.json: /,
    ],
    ['a path that does not exist', () => join(dir, 'missing'), /no such clause-coverage file or directory/],
  ])('%s: one line, exit 2', async (_what, make, message) => {
    const r = await run('clauses', '--coverage', make());
    expect([r.code, r.err.length, r.out]).toEqual([2, 1, []]);
    expect(r.err[0]).toMatch(message);
  });
});
