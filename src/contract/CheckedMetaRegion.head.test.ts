/**
 * The checked MetaSlot layer under `spec: 'head'` (vostd b5b972861): HEAD's clause table on the same
 * real calls, no slot-permission extraction and re-park, HEAD's invariant conjuncts after each call,
 * and `FRAMECHECK_SPEC` as the option's default.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KernelMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { MetaRegion, type GetFrameError, type MetaRegionOptions, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { slotPerm } from '../../spec/meta/MetaRegionOwners.ts';
import { CheckedMetaRegion, type CheckedOptions } from './CheckedMetaRegion.ts';
import { SpecVersionError } from './specOption.ts';

const MAX = 16 * PAGE_SIZE;
const P = 3 * PAGE_SIZE;
type Impl = new (o: MetaRegionOptions) => MetaRegion;
const make = (opts: Partial<CheckedOptions> = {}, Impl: Impl = MetaRegion) =>
  new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', refCountMax: 4n, ...opts }, (o) => new Impl(o));
const seen = (r: CheckedMetaRegion) => r.violations.map((v) => `${v.clause} / ${v.blame}`);

/** Seeded bug: a claim publishes the count 2. */
class ClaimStoresTwo extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = super.getFromUnused(paddr, meta, asUnique);
    if (typeof slot === 'number' && !asUnique) this.mem.store(this.refCountWord(slot), 2n, Ordering.Release);
    return slot;
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('CheckedMetaRegion under spec head', () => {
  it('runs a claim, an acquire and both drops of the correct implementation without a violation', () => {
    const r = make({ spec: 'head' });
    expect(r.getSlot(P)).toBe(3);
    expect(r.getFromUnused(P, unit(KernelMeta), false)).toBe(3);
    expect(r.getFromInUse(P)).toBe(3);
    r.incRefCount(3);
    expect(r.framePaddr(3)).toBe(P);
    expect(r.getFromUnused(P + 8, unit(KernelMeta), false)).toBe('NotAligned');
    expect(r.violations).toEqual([]);
    expect(r.spec).toBe('head');
  });

  it("keeps the slot permission in regions.slots: nothing is handed out to re-park (the seed's caller must)", () => {
    const head = make({ spec: 'head', repark: 'caller' });
    head.getFromUnused(P, unit(KernelMeta), false);
    expect(head.takeTracked()).toEqual([]);
    expect(slotPerm(head.ghost, 3)).toBeDefined();
    head.getFromInUse(P);
    expect(head.violations).toEqual([]);
    // The seed's extraction with the re-park left to a caller who forgets it: its regions.inv() breaks.
    const seed = make({ spec: 'seed', repark: 'caller' });
    seed.getFromUnused(P, unit(KernelMeta), false);
    expect(slotPerm(seed.ghost, 3)).toBeUndefined();
    seed.getFromInUse(P);
    expect(seen(seed)).toContain('get_from_in_use.requires.regions_inv / caller');
  });

  it("reports a wrong claim against HEAD's clauses and texts", () => {
    const r = make({ spec: 'head' }, ClaimStoresTwo);
    r.getFromUnused(P, unit(KernelMeta), false);
    const okSpec = r.violations.find((v) => v.clause === 'get_from_unused.ensures.ok_spec');
    expect(okSpec?.verus).toBe(
      'res matches Ok(res) ==> Self::get_from_unused_spec(paddr, as_unique_ptr, *old(regions), *final(regions))',
    );
    expect(seen(r)).toEqual([
      'get_from_unused.ensures.ok_spec / implementation',
      'get_from_unused.refinement / implementation',
    ]);
  });

  it('passes the calls HEAD removed (get_from_in_use_loop, as_meta_ptr) through unchecked', () => {
    const r = make({ spec: 'head' });
    r.getFromUnused(P, unit(KernelMeta), false);
    const calls = r.checker.calls;
    expect(r.getFromInUseLoop(3)).toBe(3);
    expect(r.asMetaPtr(3, KernelMeta).slot).toBe(3);
    expect(r.checker.calls).toBe(calls);
  });
});

describe('FRAMECHECK_SPEC', () => {
  it('is the default of the spec option', () => {
    vi.stubEnv('FRAMECHECK_SPEC', 'head');
    expect(make().spec).toBe('head');
    expect(make({ spec: 'seed' }).spec).toBe('seed');
    vi.stubEnv('FRAMECHECK_SPEC', '');
    expect(make().spec).toBe('seed');
  });

  it('names an unknown value in one line, never falling back to a default', () => {
    vi.stubEnv('FRAMECHECK_SPEC', 'tip');
    expect(() => make()).toThrow(SpecVersionError);
    expect(() => make()).toThrow("FRAMECHECK_SPEC: unknown spec version 'tip' (expected seed or head)");
  });
});
