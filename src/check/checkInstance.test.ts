/**
 * `checkInstance` is the whole pipeline: verdict, statistics and (on a violation) the minimized,
 * rendered counterexample — the same one the mutant tests pin.
 */
import { describe, expect, it } from 'vitest';
import { mutantByName } from '../mutants/catalog.ts';
import { mutantInstance, showLabels } from '../mutants/engines/checkEngine.ts';
import { checkInstance } from './checkInstance.ts';
import { buildInstance } from './instance.ts';

describe('checkInstance', () => {
  it('holds on the correct implementation, with statistics and no counterexample', () => {
    const r = checkInstance(buildInstance({ frames: 1, threads: 2, depth: 2 }, () => false));
    expect(r.verdict).toBe('ok');
    expect(r.failed).toBe(false);
    expect(r.stats.states).toBeGreaterThan(1);
  });

  it("returns a mutant's minimized counterexample and its ITF trace", () => {
    const m = mutantByName('claim_load_then_store')!;
    const r = checkInstance(mutantInstance(m)!, { subject: m });
    expect(r.verdict).toBe('violation');
    if (r.verdict !== 'violation') return;
    expect(r.counterexample.finding.property).toBe('accounting.busy');
    expect(showLabels(r.counterexample.labels)).toBe('T0:from_unused@0 T1:from_unused@0 T0:step T1:step');
    expect(r.counterexample.trace['#meta'].property).toBe('accounting.busy');
    expect(r.counterexample.trace.states.length).toBe(r.counterexample.labels.length + 1);
  });

  it('stops at a limit as incomplete', () => {
    const r = checkInstance(
      buildInstance({ frames: 2, threads: 2, depth: 2 }, () => false),
      {
        limits: { maxStates: 5 },
      },
    );
    expect(r).toMatchObject({ verdict: 'incomplete', interrupted: true });
  });
});
