import { describe, expect, it } from 'vitest';
import { FrameLayer } from '../frame/Frame.ts';
import { unit, UnitMeta } from '../meta/frameMeta.ts';
import { MetaRegion } from '../meta/MetaSlot.ts';
import { BuddyAllocator } from './BuddyAllocator.ts';
import { FrameAllocOptions } from './FrameAllocOptions.ts';
import { PAGE_SIZE } from './vocab.ts';

function rig(nframes = 8) {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes });
  buddy.addFreeMemory(0, nframes * PAGE_SIZE);
  const layer = new FrameLayer(new MetaRegion({ maxPaddr: nframes * PAGE_SIZE }), {
    dealloc: (p, s) => buddy.dealloc(p, s),
  });
  return { buddy, layer, options: new FrameAllocOptions(layer, buddy) };
}

describe('FrameAllocOptions', () => {
  it('zeroes a reused frame by default', () => {
    const { layer, options } = rig(1);
    const slot = options.allocFrame(unit(UnitMeta)) as number;
    layer.region.phys.write(0, new Uint8Array([1, 2, 3]));
    expect(layer.drop(slot)).toBe(true);
    expect(options.allocFrame(unit(UnitMeta))).toBe(0);
    expect([...layer.region.phys.read(0, 3)]).toEqual([0, 0, 0]);
  });

  it('keeps the old bytes when zeroed(false)', () => {
    const { layer, options } = rig(1);
    const slot = options.zeroed(false).allocFrame(unit(UnitMeta)) as number;
    layer.region.phys.write(0, new Uint8Array([7]));
    layer.drop(slot);
    options.allocFrame(unit(UnitMeta));
    expect(layer.region.phys.read(0, 1)[0]).toBe(7);
  });

  it('allocates a segment of claimed frames, and refuses zero frames or too many', () => {
    const { layer, options } = rig(4);
    const seg = options.allocSegment(2, () => unit(UnitMeta));
    expect(typeof seg).toBe('object');
    expect(layer.region.refCount(0)).toBe(1n);
    expect(options.allocSegment(0, () => unit(UnitMeta))).toBe('InvalidArgs');
    expect(options.allocSegment(4, () => unit(UnitMeta))).toBe('NoMemory');
  });
});
