/**
 * The state an OSTD boot simulation runs on: the normalized memory map, the early allocator, the
 * metadata region (sparse, write-tracked), the frame layer, the global buddy allocator and the boot
 * page table, plus what `meta::init` and `allocator::init` leave behind for the accounting.
 */
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { EarlyFrameAllocator } from '../../impl/alloc/EarlyFrameAllocator.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { abort } from '../../impl/meta/abort.ts';
import { CURRENT_LAYOUT } from '../../impl/meta/layout.ts';
import { MetaRegion, type GetFrameError } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { BootPageTable } from './bootPageTable.ts';
import type { AddrRange } from './bootRanges.ts';
import { rangesOfType } from './bootRanges.ts';
import { WriteTracker } from './bootWriteTracker.ts';
import type { MemoryRegion } from './MemoryRegion.ts';

/** The simulated machine during and after boot. */
export type OstdMachine = {
  /** The normalized map the kernel sees (the `--kernel` region laid over the firmware's). */
  readonly map: readonly MemoryRegion[];
  readonly maxPaddr: number;
  readonly early: EarlyFrameAllocator;
  readonly region: MetaRegion;
  readonly tracker: WriteTracker;
  readonly layer: FrameLayer;
  readonly buddy: BuddyAllocator;
  readonly bootPt: BootPageTable;
  /** `meta_pages..meta_pages + nr_meta_pages·4096`, once `alloc_meta_frames` ran. */
  metaPageRange: AddrRange | undefined;
  /** The panic that stopped the boot, if any. */
  panic: string | undefined;
};

/** A fresh machine for `map` with `MAX_PADDR = maxPaddr`: every slot unused, no memory free yet. */
export function newOstdMachine(map: readonly MemoryRegion[], maxPaddr: number): OstdMachine {
  const nslots = maxPaddr / PAGE_SIZE;
  let tracker: WriteTracker | undefined;
  const region = new MetaRegion({
    maxPaddr,
    wrapMemory: (base) => (tracker = new WriteTracker(base, CURRENT_LAYOUT.wordsPerSlot, nslots)),
  });
  if (tracker === undefined) throw new Error('MetaRegion did not call wrapMemory'); // its constructor always does
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: nslots });
  const usable = rangesOfType(map, 'Usable', BigInt(maxPaddr)).map((r) => ({ base: r.start, end: r.end }));
  return {
    map,
    maxPaddr,
    early: new EarlyFrameAllocator(usable),
    region,
    tracker,
    layer: new FrameLayer(region, buddy),
    buddy,
    bootPt: new BootPageTable(),
    metaPageRange: undefined,
    panic: undefined,
  };
}

/** `Result::unwrap`: the value, or a kernel abort naming `what` and the error. */
export function unwrap<T>(result: T | GetFrameError | undefined, what: string): T {
  if (result === undefined) abort('unwrap_failed', `${what}: called unwrap() on None`);
  if (typeof result === 'string') abort('unwrap_failed', `${what}: called unwrap() on Err(${result})`);
  return result;
}
