import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
