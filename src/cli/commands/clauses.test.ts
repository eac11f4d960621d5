import { describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const run = cliIn();

describe('framecheck clauses --spec', () => {
  it('lists the seed table by default and the HEAD table with --spec head', async () => {
    const seed = await run('clauses', '--json');
    const head = await run('clauses', '--spec', 'head', '--json');
    expect([seed.code, head.code]).toEqual([0, 0]);
    const names = (o: string) => (JSON.parse(o) as { clauses: { name: string }[] }).clauses.map((c) => c.name);
    const s = names(seed.out[0]!);
    const h = names(head.out[0]!);
    expect(s).toContain('get_from_in_use_loop.ensures.ok_rc_inc');
    expect(h).not.toContain('get_from_in_use_loop.ensures.ok_rc_inc');
    expect(h).toContain('get_slot.requires.slot_perm');
    expect((JSON.parse(head.out[0]!) as { spec: string }).spec).toBe('head');
  });

  it.each([
    [['clauses', '--spec', 'tip'], /unknown spec version "tip" \(expected seed or head\)/],
    [['clauses', '--diff', 'seed', 'tip'], /unknown spec version "tip"/],
    [['clauses', '--diff', 'seed'], /--diff takes two spec versions/],
    [['clauses', '--diff', 'head', 'head'], /both sides are head/],
    [['clauses', '--diff', 'seed', 'head', '--spec', 'head'], /drop --spec/],
    [['check', '--spec', 'tip'], /--spec: unknown spec version "tip"/],
  ])('%j: one line, exit 2', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(r.out).toEqual([]);
  });
});

describe('framecheck clauses --diff seed head', () => {
  it('prints removed, added and changed clauses with the text change, then the counts', async () => {
    const r = await run('clauses', '--diff', 'seed', 'head');
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^- get_from_in_use_loop\.ensures\.ok_rc_inc /m);
    expect(text).toMatch(/^\+ get_slot\.requires\.slot_perm +valid_frame_paddr\(paddr\) ==> /m);
    expect(text).toMatch(/^~ get_slot\.ensures\.valid_iff_ok \(was get_slot\.ensures\.safe_iff_ok\)$/m);
    expect(text).toContain('    - has_safe_slot(paddr) <==> res is Ok');
    expect(text).toContain('    + valid_frame_paddr(paddr) == res is Ok');
    expect(r.out.at(-1)).toMatch(/^\d+ added, \d+ removed, \d+ changed, \d+ unchanged$/);
  });

  it('--json: the diff as one object', async () => {
    const r = await run('clauses', '--diff', 'seed', 'head', '--json');
    const d = (JSON.parse(r.out[0]!) as { diff: { from: string; to: string; removed: { name: string }[] } }).diff;
    expect([d.from, d.to]).toEqual(['seed', 'head']);
    expect(d.removed.map((x) => x.name)).toContain('as_meta_ptr.refinement');
  });
});
