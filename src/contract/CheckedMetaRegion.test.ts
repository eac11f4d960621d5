import { describe, expect, it } from 'vitest';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { slotOwner } from '../../spec/meta/MetaRegionOwners.ts';

const P = 0x3000;
const make = (opts = {}) => new CheckedMetaRegion({ maxPaddr: 0x10_0000, mode: 'collect', ...opts });

describe('CheckedMetaRegion on the correct implementation', () => {
  it('claims, acquires and releases a frame without a violation', () => {
    const r = make();
    const s = r.getFromUnused(P, unit(KernelMeta), false);
    expect(s).toBe(3);
    expect(r.getFromUnused(P, unit(KernelMeta), false)).toBe('InUse');
    expect(r.getFromInUse(P)).toBe(3);
    expect(r.impl.refCount(3)).toBe(2n);
    expect(slotOwner(r.ghost, 3).usage).toBe('Frame');
    expect(r.violations).toEqual([]);
  });
});
