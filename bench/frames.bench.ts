/**
 * Frame allocation end to end against the MetaSlot layer alone, measured in the same run.
 *
 * Baseline: `get_from_unused` + `drop_last_in_place` on one slot of a region (the metadata protocol a
 * frame's life costs at least). Measured: `FrameAllocOptions::alloc_frame` over a `BuddyAllocator` and a
 * `FrameLayer` (allocator lock, block split, claim, zeroing) and the frame's last drop (teardown, then
 * `dealloc` back to the buddy, merging) — with `zeroed` (the default) and without; and the same through
 * the contract-checked build (every alloc, claim, drop and dealloc checked, accounting on).
 */
import { BuddyAllocator } from '../impl/alloc/BuddyAllocator.ts';
import { FrameAllocOptions } from '../impl/alloc/FrameAllocOptions.ts';
import { FrameLayer } from '../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../impl/meta/frameMeta.ts';
import { MetaRegion } from '../impl/meta/MetaSlot.ts';
import { CheckedFrameAllocOptions } from '../src/contract/CheckedFrameAllocOptions.ts';
import { measure, row } from './harness.ts';

const P = 4096;
const NFRAMES = 1024;
const MAX = NFRAMES * P;
const META = unit(KernelMeta);

function metaSlotOnly(): (n: number) => void {
  const region = new MetaRegion({ maxPaddr: MAX });
  return (n) => {
    for (let k = 0; k < n; k++) {
      const slot = region.getFromUnused(5 * P, META, false) as number;
      region.dropLastInPlace(slot);
    }
  };
}

function allocDrop(zeroed: boolean): (n: number) => void {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: NFRAMES });
  buddy.addFreeMemory(0, MAX);
  const layer = new FrameLayer(new MetaRegion({ maxPaddr: MAX }), { dealloc: (p, s) => buddy.dealloc(p, s) });
  const options = new FrameAllocOptions(layer, buddy).zeroed(zeroed);
  return (n) => {
    for (let k = 0; k < n; k++) layer.drop(options.allocFrame(META) as number);
  };
}

function checkedAllocDrop(): (n: number) => void {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: NFRAMES });
  const o = CheckedFrameAllocOptions.create(buddy, { maxPaddr: MAX });
  o.allocator.addFreeMemory(0, MAX);
  return (n) => {
    for (let k = 0; k < n; k++) o.frames.drop(o.allocFrameWith(META) as never);
  };
}

/** Runs the frame benchmarks and returns the printed lines. */
export async function framesBench(): Promise<string[]> {
  const base = measure('get_from_unused + drop_last_in_place (MetaSlot only, baseline)', metaSlotOnly());
  const zeroed = measure('alloc_frame + drop (buddy, FrameLayer, zeroed: the default)', allocDrop(true), {
    n: 100_000,
  });
  const raw = measure('alloc_frame + drop (buddy, FrameLayer, zeroed(false))', allocDrop(false), { n: 100_000 });
  const checked = measure('alloc_frame + drop (contract-checked, level full)', checkedAllocDrop(), {
    n: 5_000,
    rounds: 5,
  });
  return [
    '## Frame alloc + drop against the MetaSlot-only path (median ns per pair)',
    row(base, base),
    row(zeroed, base),
    row(raw, base),
    row(checked, base),
  ];
}
