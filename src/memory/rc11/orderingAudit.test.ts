import { describe, expect, test } from 'vitest';
import { Ordering } from '../../../impl/meta/memory.ts';
import { UPSTREAM_ORDERINGS } from '../../../impl/meta/orderings.ts';
import { auditSite, strongerByOne, weakerByOne } from './orderingAudit.ts';

describe('the ordering lattice', () => {
  test('one step weaker and stronger', () => {
    expect(weakerByOne(Ordering.SeqCst)).toEqual([Ordering.AcqRel]);
    expect(weakerByOne(Ordering.AcqRel)).toEqual([Ordering.Acquire, Ordering.Release]);
    expect(weakerByOne(Ordering.Release)).toEqual([Ordering.Relaxed]);
    expect(strongerByOne(Ordering.Relaxed)).toEqual([Ordering.Acquire, Ordering.Release]);
  });
});

describe('auditSite', () => {
  test("Frame::drop's acquire fence is load-bearing: without it the reader races with the teardown", () => {
    const r = auditSite('frameDropFence', 'current');
    expect(r).toMatchObject({
      rust: 'Frame::drop',
      access: 'fence',
      ordering: 'Acquire',
      weakest: 'Acquire',
      loadBearing: true,
      tooWeak: false,
    });
    expect(r.weakenings).toEqual([expect.objectContaining({ ordering: 'Relaxed', passes: false })]);
    expect(r.counterexample?.kind).toBe('data_race');
  });
  test('inc_ref_count is Relaxed and nothing weaker exists: not load-bearing', () => {
    const r = auditSite('incRefCount', 'current');
    expect(r).toMatchObject({ ordering: 'Relaxed', weakest: 'Relaxed', loadBearing: false, exercised: true });
  });
  test('a site whose upstream ordering fails is audited from its repair (F27)', () => {
    const fixed = {
      ...UPSTREAM_ORDERINGS,
      tryIntoUniqueCas: { ...UPSTREAM_ORDERINGS.tryIntoUniqueCas, order: Ordering.Acquire },
    };
    const r = auditSite('tryIntoUniqueCas', 'current', fixed);
    expect(r).toMatchObject({ ordering: 'Relaxed', weakest: 'Acquire', loadBearing: true, tooWeak: true });
  });
});
