/**
 * The explorer evaluates the mirrored specs and counts them in clause coverage: the op specs' clauses
 * at linearization points, `MetaSlotOwner::inv` and `ACCOUNTING_INV` in states. Before, it checked its
 * own state machine only, and `framecheck clauses` counted none of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { coverageSnapshot, setCoverageEnabled } from '../contract/coverage.ts';
import { explore } from './explore/search.ts';
import { buildInstance } from './instance.ts';

const LIMITS = { maxStates: 100_000, timeLimitMs: 60_000, maxMemoryBytes: 2 ** 31 };

describe('explorer clause coverage', () => {
  afterEach(() => setCoverageEnabled(process.env['FRAMECHECK_CLAUSE_COVERAGE'] !== undefined));

  it('counts the op specs, the slot invariant and the accounting invariant it evaluates', () => {
    setCoverageEnabled(true);
    const before = new Map([...coverageSnapshot()].map(([k, v]) => [k, v[0] + v[1]]));
    // frames/threads/ops chosen so that no other test's explorer memo already holds these points
    const inst = buildInstance(
      {
        frames: 1,
        threads: 2,
        depth: 2,
        ops: 'from_unused,from_unused_unique,from_in_use,clone,drop,try_into_unique,into_shared',
        refCountMax: 5,
      },
      () => false,
    );
    expect(explore(inst, { limits: LIMITS }).verdict).toBe('ok');
    const grew = (name: string) =>
      (coverageSnapshot()
        .get(name)
        ?.reduce((a, b) => a + b, 0) ?? 0) > (before.get(name) ?? 0);
    for (const name of [
      'Frame::from_unused.ensures.ok_spec',
      'Frame::from_in_use.ensures.ok_rc_inc',
      'Frame::clone.ensures.rc_inc',
      'Frame::drop.requires.obligation',
      'UniqueFrame::try_from_shared.requires.frame_inv',
      'MetaSlotOwner::inv.unused',
      'accounting.rc_equation',
      'accounting.unique_owned',
    ])
      expect(grew(name), name).toBe(true);
  });
});
