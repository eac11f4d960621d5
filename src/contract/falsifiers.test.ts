/**
 * Falsifiers: a clause a checked call finds false is recorded with who made it false — the mutant under
 * `withFalsifier`, else the running test as a wrong caller or a wrong implementation — and a clause
 * evaluated on a hand-built context (`evaluate`) records none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpSpec } from '../../spec/Op.ts';
import { modelParams, PAGE_SIZE } from '../../spec/vocab.ts';
import { ContractChecker, evaluate } from './ContractChecker.ts';
import { coverageEnabled, falsifierSnapshot, setCoverageEnabled, setCurrentTest, withFalsifier } from './coverage.ts';
import { clauseMutants } from '../mutants/catalog.ts';
import { runClauseMutant } from '../mutants/engines/clauseEngine.ts';

const p = modelParams({ maxPaddr: 4 * PAGE_SIZE, refCountMax: 4n });
/** `inc(x)`: requires `x > 0`, ensures `result == x + 1`. */
const inc: OpSpec<number, Readonly<{ x: number }>, number> = {
  name: 'falsifier_probe',
  rust: 'falsifier_probe',
  source: '-',
  requires: [{ name: 'falsifier_probe.requires.pos', verus: 'x > 0', holds: (c) => c.args.x > 0 }],
  mayPanic: { name: 'falsifier_probe.may_panic.never', verus: '-', holds: () => false },
  ensures: [{ name: 'falsifier_probe.ensures.inc', verus: 'res == x + 1', holds: (c) => c.result === c.args.x + 1 }],
  next: (c) => ({ kind: 'return', final: c.old, result: c.args.x + 1 }),
  footprint: () => [],
};
const call = (x: number, impl: (x: number) => number) => ({
  spec: inc,
  old: 0,
  args: { x },
  p,
  run: () => impl(x),
  final: () => 0,
  eq: (a: number, b: number) => a === b,
  diff: () => ({}),
});
const labels = (clause: string) => [...(falsifierSnapshot().get(clause) ?? [])].sort();

describe('falsifiedBy', () => {
  const was = coverageEnabled();
  beforeEach(() => setCoverageEnabled(true));
  afterEach(() => {
    setCoverageEnabled(was);
    setCurrentTest(undefined);
  });

  it('names the mutant under withFalsifier, the test as caller or implementation otherwise', () => {
    setCurrentTest('probe test');
    const c = new ContractChecker('collect');
    withFalsifier('mutant:OffByTwo', () => c.check(call(1, (x) => x + 2)));
    c.check(call(0, (x) => x + 1));
    c.check(call(2, (x) => x));
    expect(labels('falsifier_probe.ensures.inc')).toEqual(['mutant:OffByTwo', 'mutant:probe test']);
    expect(labels('falsifier_probe.requires.pos')).toEqual(['caller:probe test']);
  });

  it('a clause mutant is recorded as the falsifier of every clause it breaks, not only of the first', () => {
    const m = clauseMutants().find((x) => x.name === 'Frame::clone/rc-up')!;
    const run = runClauseMutant(m);
    expect(run.clauses.length).toBeGreaterThan(1);
    const missing = run.clauses.filter((c) => !labels(c).includes('mutant:Frame::clone/rc-up'));
    expect(missing).toEqual([]);
    expect(run.clauses).toContain('Frame::clone.ensures.rc_inc');
  });

  it('a wrong caller inside the implementation (an internal call) is recorded as the mutant and kills it', () => {
    const m = clauseMutants().find((x) => x.name === 'drop_meta_in_place/reversed-reader')!;
    const run = runClauseMutant(m);
    expect(run.killed).toBe(true);
    expect(run.clauses).toContain('on_drop.requires.reader_inv');
    expect(labels('on_drop.requires.reader_inv')).toContain('mutant:drop_meta_in_place/reversed-reader');
  });

  it('a clause false on a hand-built context records no falsifier', () => {
    setCurrentTest('crafted');
    const clause = { name: 'falsifier_probe.ensures.crafted', verus: '-', holds: () => 1 > 2 };
    expect(evaluate(clause, {}).ok).toBe(false);
    expect(falsifierSnapshot().has('falsifier_probe.ensures.crafted')).toBe(false);
  });
});
