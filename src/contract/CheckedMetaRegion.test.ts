import { describe, expect, it } from 'vitest';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
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

describe('a negative page-aligned address', () => {
  it('is OutOfBound in the checked build, as in the release build, for every op that takes one', () => {
    const r = make();
    const release = new MetaRegion({ maxPaddr: 0x10_0000 });
    for (const paddr of [-PAGE_SIZE, -0x10_0000]) {
      expect(release.getFromUnused(paddr, unit(KernelMeta), false)).toBe('OutOfBound');
      expect(r.getFromUnused(paddr, unit(KernelMeta), false)).toBe('OutOfBound');
      expect(release.getFromInUse(paddr)).toBe('OutOfBound');
      expect(r.getFromInUse(paddr)).toBe('OutOfBound');
    }
    expect(r.violations).toEqual([]);
  });
});
