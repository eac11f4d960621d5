/**
 * The Z3 verdicts on the trusted base: consistent (by a quantifier-free witness or a model),
 * inconsistent with an unsat core, and unknown when the budget runs out — never consistent then —
 * and `framecheck axioms` end to end (exit 1 on a finding, 3 on an undecided item, 2 on bad input).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedBase, type TrustedItem } from '../../spec/axioms/trustedBase.ts';
import { cliIn } from '../../test/cli.ts';
import type { Z3 } from '../prove/Obligation.ts';
import { closeZ3, openZ3 } from '../prove/z3.ts';
import { checkConsistency } from './consistency.ts';

let z: Z3;
beforeAll(async () => {
  z = await openZ3();
});
afterAll(closeZ3);
const run = cliIn();

type Row = {
  name: string;
  file: string;
  consistent: boolean | 'unknown' | null;
  violatedOnRealStates: boolean | null;
  evidence: string;
};

describe('checkConsistency', () => {
  it('head: the three embedded axioms Z3 timed out on are decided consistent by explicit final states', async () => {
    const c = await checkConsistency(z, 'head');
    for (const n of ['frame_from_unused_embedded', 'frame_from_in_use_embedded', 'frame_drop_embedded']) {
      expect(c.verdicts.get(n)).toBe('consistent');
      expect(c.how.get(n)).toMatch(/explicit final state/);
    }
    expect(c.verdicts.get('axiom_mmio_paddr_huge_page_closed')).toBe('consistent');
    expect(c.cores).toContainEqual(['from_unique_embedded']);
    expect(c.verdicts.get('from_unique_embedded')).toBe('inconsistent');
    expect(c.verdicts.get('axiom_mmio_usage_iff_mmio_paddr')).toBe('inconsistent');
    expect([...c.verdicts.values()].filter((v) => v === 'unknown')).toEqual([]);
  });

  it('a witness that fails its ensures proves nothing: the item falls back to the quantified check', async () => {
    const fromUnique = trustedBase('head').find((t) => t.name === 'from_unique_embedded')!;
    const m = fromUnique.meaning;
    if (m.kind !== 'transition') throw new Error('from_unique_embedded is a transition');
    // the shared-frame final state with in_list kept: false when a unique frame is on a list
    const item: TrustedItem = {
      ...fromUnique,
      meaning: { ...m, witness: (a, o) => ({ ok: a.t, fin: { ...o, rc: a.k(1n) } }) },
    };
    const c = await checkConsistency(z, 'head', { timeoutMs: 20_000 }, [item]);
    expect(c.verdicts.get('from_unique_embedded')).toBe('inconsistent');
    expect(c.cores).toEqual([['from_unique_embedded']]);
  });

  it('an exhausted budget gives unknown, never consistent', async () => {
    const c = await checkConsistency(z, 'head', { timeoutMs: 20_000, rlimit: 1 });
    expect(c.verdicts.size).toBeGreaterThan(5);
    expect([...c.verdicts.values()].filter((v) => v === 'consistent')).toEqual([]);
  });
});

describe('framecheck axioms', () => {
  it('--spec head --json: every trusted item classified; the findings of F28; exit 1', async () => {
    const r = await run('axioms', '--spec', 'head', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out[0]!) as { spec: string; operations: number; interfered: number; axioms: Row[] };
    expect(j.axioms.length).toBe(trustedBase('head').length);
    const row = (n: string) => j.axioms.find((a) => a.name === n)!;
    expect(row('from_unique_embedded')).toMatchObject({ consistent: false, violatedOnRealStates: false });
    expect(row('from_unique_embedded').evidence).toMatch(/unsat core from_unique_embedded/);
    expect(row('max_paddr')).toMatchObject({ consistent: true, violatedOnRealStates: true });
    expect(row('frame_drop_embedded')).toMatchObject({ consistent: true, violatedOnRealStates: false });
    expect(row('unique_from_unused_embedded').evidence).toMatch(/requires unmet where the implementation succeeds/);
    expect(row('acquire_fence')).toMatchObject({ consistent: null, violatedOnRealStates: null });
    expect(j.operations).toBeGreaterThan(0);
    expect(j.interfered).toBeGreaterThan(0);
  });

  it('text: one row per item with its verdicts in words, and a summary line', async () => {
    const r = await run('axioms', '--spec', 'head');
    expect(r.out.find((l) => l.startsWith('from_unique_embedded '))).toMatch(/ INCONSISTENT +holds /);
    expect(r.out.find((l) => l.startsWith('acquire_fence '))).toMatch(/ - +- +no executable meaning/);
    expect(r.out.at(-1)).toMatch(/^37 trusted items of vostd HEAD b5b972861; real states: \d+ states/);
  });

  it('--spec seed: consistent and true on real states, exit 0; with a budget Z3 cannot work in, unknown and exit 3', async () => {
    expect((await run('axioms', '--spec', 'seed')).code).toBe(0);
    const r = await run('axioms', '--spec', 'seed', '--rlimit', '1', '--json');
    expect(r.code).toBe(3);
    const j = JSON.parse(r.out[0]!) as { axioms: Row[] };
    expect(j.axioms.map((a) => a.consistent)).not.toContain(true);
    expect(j.axioms.filter((a) => a.consistent === 'unknown').length).toBeGreaterThan(0);
  });

  it('--mutant: a wrong implementation makes from_unique_embedded false on a real state', async () => {
    const r = await run('axioms', '--mutant', 'into_shared_stores_two', '--json');
    const j = JSON.parse(r.out[0]!) as { axioms: Row[] };
    expect(j.axioms.find((a) => a.name === 'from_unique_embedded')?.violatedOnRealStates).toBe(true);
  });

  it('bad input: one line, exit 2', async () => {
    for (const argv of [
      ['--spec', 'tip'],
      ['--mutant', 'nope'],
      ['--timeout', '0'],
    ]) {
      const r = await run('axioms', ...argv);
      expect(r.code).toBe(2);
      expect(r.err.length).toBe(1);
    }
  });

  it('--help: the flag table', async () => {
    const r = await run('axioms', '--help');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/--spec seed\|head +which vostd/);
  });
});
