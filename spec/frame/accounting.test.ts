import { describe, expect, it } from 'vitest';
import { modelParams, PAGE_SIZE, REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../vocab.ts';
import {
  ACCOUNTING_CLAUSES,
  ACCOUNTING_INV,
  accountingFrames,
  accountingViolations,
  countByFrame,
  frameRefs,
  type AccountingState,
} from './accounting.ts';

const p = modelParams();
const A = 0x3000;
const B = 0x4000;
const empty = new Map<number, number>();

/** A state with the given counts; every other part empty. */
function state(parts: Partial<AccountingState>): AccountingState {
  return { p, rc: new Map(), handles: empty, uniques: empty, ptes: empty, segments: [], ...parts };
}
const clauses = (s: AccountingState) => accountingViolations(s).map((v) => `${v.clause}@${v.frame.toString(16)}`);

describe('accountingViolations', () => {
  it('holds for handles, mappings and segments that add up to each count', () => {
    const s = state({
      rc: new Map([
        [A, 4n],
        [B, REF_COUNT_UNIQUE],
        [0x5000, 1n],
      ]),
      handles: countByFrame([A, A]),
      ptes: countByFrame([A]),
      segments: [
        { start: A, end: A + PAGE_SIZE },
        { start: 0x5000, end: 0x6000 },
      ],
      uniques: countByFrame([B]),
      free: [{ start: 0x10_0000, end: 0x20_0000 }],
    });
    expect(accountingViolations(s)).toEqual([]);
    expect(accountingFrames(s)).toEqual([A, B, 0x5000]);
  });

  it('rc_equation: a count that is not the number of references', () => {
    const s = state({
      rc: new Map([[A, 3n]]),
      handles: countByFrame([A]),
      segments: [{ start: A, end: A + PAGE_SIZE }],
    });
    expect(accountingViolations(s)).toEqual([
      {
        frame: A,
        clause: 'accounting.rc_equation',
        expected: 'rc == 2 (handles 1, uniques 0, mappings 0, segments 1)',
        actual: 'rc == 3',
      },
    ]);
  });

  it('shared_active: a shared count nobody holds (a leak)', () => {
    expect(clauses(state({ rc: new Map([[A, 1n]]) }))).toEqual(['accounting.shared_active@3000']);
  });

  it('unused_unreferenced: a handle to an unused frame (a use after free)', () => {
    expect(clauses(state({ handles: countByFrame([A]) }))).toEqual(['accounting.unused_unreferenced@3000']);
    expect(clauses(state({ uniques: countByFrame([A]) }))).toEqual(['accounting.unused_unreferenced@3000']);
  });

  it('unique clauses: one owner, no sharing, and a UNIQUE count always owned', () => {
    const unique = new Map([[A, REF_COUNT_UNIQUE]]);
    expect(clauses(state({ rc: unique, uniques: countByFrame([A, A]) }))).toEqual([
      'accounting.unique_at_most_one@3000',
    ]);
    expect(clauses(state({ rc: unique, uniques: countByFrame([A]), handles: countByFrame([A]) }))).toEqual([
      'accounting.unique_exclusive@3000',
    ]);
    expect(clauses(state({ rc: new Map([[A, 1n]]), uniques: countByFrame([A]) }))).toEqual([
      'accounting.shared_active@3000',
      'accounting.unique_exclusive@3000',
    ]);
    expect(clauses(state({ rc: unique }))).toEqual(['accounting.unique_owned@3000']);
    expect(clauses(state({ rc: unique, listed: countByFrame([A]) }))).toEqual([]);
  });

  it('no_transient and free_unused', () => {
    expect(clauses(state({ rc: new Map([[A, 0n]]) }))).toEqual(['accounting.no_transient@3000']);
    const s = state({ rc: new Map([[A, 1n]]), handles: countByFrame([A]), free: [{ start: 0, end: 0x10_0000 }] });
    expect(clauses(s)).toEqual(['accounting.free_unused@3000']);
    expect(accountingViolations(s, [B])).toEqual([]);
  });

  it('only usage-Frame slots obey the equation', () => {
    const s = state({ rc: new Map([[A, 2n]]), usage: new Map([[A, 'PageTable']]) });
    expect(accountingViolations(s)).toEqual([]);
    expect(frameRefs(s, A)).toEqual({
      rc: 2n,
      usage: 'PageTable',
      handles: 0,
      uniques: 0,
      ptes: 0,
      segments: 0,
      free: false,
    });
  });

  it("every clause is an invariant with its embedding text, origin vostd-head but for framecheck's three", () => {
    expect(ACCOUNTING_INV.map((c) => c.name)).toEqual(Object.values(ACCOUNTING_CLAUSES).map((c) => c.name));
    expect(ACCOUNTING_INV.every((c) => c.verus.length > 10)).toBe(true);
    expect(ACCOUNTING_INV.filter((c) => c.origin !== 'vostd-head').map((c) => [c.name, c.origin])).toEqual([
      ['accounting.unique_owned', 'framecheck'],
      ['accounting.no_transient', 'framecheck'],
      ['accounting.free_unused', 'framecheck'],
    ]);
    const bad = { value: { state: state({ rc: new Map([[A, 1n]]) }), frame: A }, p };
    expect(ACCOUNTING_INV.filter((c) => !c.holds(bad)).map((c) => c.name)).toEqual(['accounting.shared_active']);
    expect(ACCOUNTING_INV[1]!.explain!(bad)).toMatchObject({ frame: A, rc: 1n, actual: 'rc == 1 with no reference' });
    expect(frameRefs(state({}), B).rc).toBe(REF_COUNT_UNUSED);
  });
});
