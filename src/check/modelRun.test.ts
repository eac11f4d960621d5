import { describe, expect, it } from 'vitest';
import { MetaRegion, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { runModelBased } from './modelRun.ts';

/** A seeded bug: the claim publishes a count of 2. */
class ClaimStoresTwo extends MetaRegion {
  override getFromUnused(...a: Parameters<MetaRegion['getFromUnused']>): ReturnType<MetaRegion['getFromUnused']> {
    const r = super.getFromUnused(...a);
    if (typeof r === 'number' && !a[2]) this.mem.store(this.refCountWord(r as SlotPtr), 2n, 0);
    return r;
  }
}

describe('runModelBased', () => {
  it('finds no violation on the correct implementation', () => {
    expect(runModelBased({ runs: 150, seed: 42, frames: 3 })).toEqual({ ok: true, runs: 150, seed: 42 });
  });

  it('catches a claim that publishes the wrong count, shrunk to one call', () => {
    const r = runModelBased({ runs: 200, seed: 7, frames: 3, make: (o) => new ClaimStoresTwo(o) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.counterexample).toBe('get_from_unused(0, shared)');
    expect(r.violation?.clause).toBe('get_from_unused.ensures.ok_spec');
    expect(r.violation?.blame).toBe('implementation');
  });
});
