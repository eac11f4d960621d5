import { describe, expect, it } from 'vitest';
import { mutantByName } from '../mutants/catalog.ts';
import { assertFrameLayer, checkFrameLayer } from './frameLayerModel.ts';

describe('checkFrameLayer', () => {
  it('passes the real implementation, for a count limit of 2 and of 2^31 - 1', () => {
    expect(checkFrameLayer({}, { numRuns: 200, seed: 4, refCountMax: 2n })).toEqual({
      ok: true,
      numRuns: 200,
      seed: 4,
    });
    expect(() => assertFrameLayer({}, { numRuns: 100, seed: 5, refCountMax: 2n ** 31n - 1n })).not.toThrow();
  });

  it('shrinks a wrong result to the shortest sequence, naming the spec\u2019s answer', () => {
    const r = checkFrameLayer(mutantByName('unique_reported_as_in_use')!, { numRuns: 200, seed: 1 });
    expect(r).toMatchObject({
      ok: false,
      counterexample: 'from_unused_unique(1),from_unused(1)',
      error: 'from_unused(1) returned InUse at count 18446744073709551614; the spec returns Unique',
    });
  });

  it('sees deallocations: a last drop returns its frame, and only once its slot is unused', () => {
    expect(checkFrameLayer(mutantByName('unique_drop_leaks')!, { numRuns: 200, seed: 1 })).toMatchObject({
      ok: false,
      error: 'drop_unique(0) returned [] to the allocator; the spec returns [0]',
    });
    expect(checkFrameLayer(mutantByName('dealloc_before_reset')!, { numRuns: 200, seed: 1 })).toMatchObject({
      ok: false,
      counterexample: 'from_unused(0),drop(0)',
    });
  });

  it('stops a call that spins instead of hanging', () => {
    expect(checkFrameLayer(mutantByName('acquire_cas_expects_wrong_value')!, { numRuns: 100, seed: 1 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('Livelock'),
    });
  });

  it('throws the report for test suites', () => {
    expect(() => assertFrameLayer(mutantByName('into_shared_stores_two')!, { numRuns: 100, seed: 1 })).toThrow(
      /counterexample: from_unused_unique\(0\),into_shared\(0\)/,
    );
  });
});
