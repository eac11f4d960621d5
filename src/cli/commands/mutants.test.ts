import { describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';
import { clauseMutants } from '../../mutants/catalog.ts';

const run = cliIn();

type Out = {
  verdict: string;
  failed: boolean;
  mutants: { name: string; killed: boolean; by: string[]; clauses: string[] }[];
};

describe('framecheck mutants --only: a clause mutant, by the name clauses --json records', () => {
  it('a wrong implementation is killed by clauses of its own op, listed', async () => {
    const name = 'Frame::clone/rc-up';
    expect(clauseMutants().some((m) => m.name === name)).toBe(true);
    const r = await run('mutants', '--only', name, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out[0]!) as Out;
    expect([out.verdict, out.failed, out.mutants.map((m) => [m.name, m.killed, m.by])]).toEqual([
      'ok',
      false,
      [[name, true, ['clauses']]],
    ]);
    expect(out.mutants[0]!.clauses.filter((c) => c.startsWith('Frame::clone.')).length).toBeGreaterThan(0);
  });

  it('wrong proof code no clause catches survives: exit 1, SURVIVED in the text', async () => {
    const r = await run('mutants', '--only', 'on_drop/proof-usage');
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^SURVIVED on_drop\/proof-usage by -$/);
  });

  it('--list --only names the clause mutant', async () => {
    const r = await run('mutants', '--list', '--only', 'Frame::clone/proof-domain-grown');
    expect([r.code, r.out.length]).toEqual([0, 1]);
    expect(r.out[0]).toMatch(/^Frame::clone\/proof-domain-grown +Frame::clone: its proof code records/);
  });

  it.each([
    [['mutants', '--only', 'Frame::clone/no-such-operator'], /unknown mutant 'Frame::clone\/no-such-operator'/],
    [['mutants', '--only', 'Frame::clone/rc-up', '--runs', '5'], /a clause mutant takes no --runs, --seed or --out/],
  ])('%j: one line, exit 2', async (argv, message) => {
    const r = await run(...argv);
    expect([r.code, r.err.length, r.out]).toEqual([2, 1, []]);
    expect(r.err[0]).toMatch(message);
  });
});
