/**
 * OSTD's `meta::init`, step by step, on an `OstdMachine`: the temporary linear mapping above 4 GiB,
 * `alloc_meta_frames`, the metadata-page mappings, the early-allocated frames, `mark_unusable_ranges`
 * and the metadata pages' own segment.
 *
 * @see upstream `ostd/src/mm/frame/meta.rs` (`init`, `alloc_meta_frames`, `mark_unusable_ranges`,
 *      `add_temp_linear_mapping`)
 */
import { PADDR_4G } from '../../impl/alloc/EarlyFrameAllocator.ts';
import { rangeDifference } from '../../impl/alloc/rangeDifference.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { abort } from '../../impl/meta/abort.ts';
import {
  EarlyAllocatedFrameMeta,
  KernelMeta,
  MetaPageMeta,
  ReservedMemoryMeta,
  unit,
  UnusableMemoryMeta,
  type FrameMetaType,
} from '../../impl/meta/frameMeta.ts';
import { META_SLOT_SIZE, PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { FRAME_METADATA_RANGE, LINEAR_MAPPING_BASE_VADDR } from '../../spec/vocab.ts';
import type { AddrRange } from './bootRanges.ts';
import { toRange } from './bootRanges.ts';
import { isPhysical, type MemoryRegion, type MemoryRegionType } from './MemoryRegion.ts';
import { unwrap, type OstdMachine } from './ostdMachine.ts';

/** What `mark_unusable_ranges` writes for each region type; `Usable` frames stay unused. */
export const MARK_TABLE: Readonly<Record<MemoryRegionType, FrameMetaType<null> | undefined>> = {
  BadMemory: UnusableMemoryMeta,
  Unknown: ReservedMemoryMeta,
  NonVolatileSleep: UnusableMemoryMeta,
  Reserved: ReservedMemoryMeta,
  Kernel: KernelMeta,
  Module: UnusableMemoryMeta,
  Framebuffer: ReservedMemoryMeta,
  Reclaimable: UnusableMemoryMeta,
  Usable: undefined,
};

/** `meta::init` on `m`: every step in upstream order. Aborts where upstream panics. */
export function metaInit(m: OstdMachine): void {
  addTempLinearMapping(m);
  const metaPageRange = allocMetaFrames(m);
  const nrMetaPages = (metaPageRange.end - metaPageRange.start) / PAGE_SIZE;
  m.bootPt.mapBasePages('meta', FRAME_METADATA_RANGE.start, metaPageRange.start, nrMetaPages);
  for (const early of m.early.allocatedRegions()) {
    for (const r of rangeDifference(early, metaPageRange)) markForgotten(m, r, EarlyAllocatedFrameMeta, 'early');
  }
  markUnusableRanges(m);
  markForgotten(m, metaPageRange, MetaPageMeta, 'meta pages');
}

/** `add_temp_linear_mapping`: x86-64 maps `4G..align_up(max_paddr)` in the boot page table. */
function addTempLinearMapping(m: OstdMachine): void {
  if (m.maxPaddr <= PADDR_4G) return;
  const end = Math.ceil(m.maxPaddr / PAGE_SIZE) * PAGE_SIZE;
  m.bootPt.mapBasePages('linear', LINEAR_MAPPING_BASE_VADDR + BigInt(PADDR_4G), PADDR_4G, (end - PADDR_4G) / PAGE_SIZE);
}

/**
 * `alloc_meta_frames(tot_nr_frames)`: `nr_meta_pages = ceil(tot·64 / 4096)` (checked multiplication),
 * early-allocated; the slots themselves start unused, as the region does. Returns the meta-page range.
 */
function allocMetaFrames(m: OstdMachine): AddrRange {
  const totNrFrames = Math.floor(m.maxPaddr / PAGE_SIZE);
  const bytes = totNrFrames * META_SLOT_SIZE;
  if (!Number.isSafeInteger(bytes)) abort('unwrap_failed', 'alloc_meta_frames: tot_nr_frames * 64 overflows');
  const nrMetaPages = Math.ceil(bytes / PAGE_SIZE);
  const paddr = unwrap(m.early.alloc({ size: nrMetaPages * PAGE_SIZE, align: PAGE_SIZE }), 'early_alloc(meta pages)');
  m.metaPageRange = { start: paddr, end: paddr + nrMetaPages * PAGE_SIZE };
  return m.metaPageRange;
}

/** `Segment::from_unused(range, |_| meta).unwrap()` then `ManuallyDrop::new`. */
function markForgotten(m: OstdMachine, range: AddrRange, type: FrameMetaType<null>, what: string): void {
  const meta = unit(type);
  unwrap(
    Segment.fromUnused(m.layer, range, () => meta),
    `Segment::from_unused(${what})`,
  ).forget();
}

/**
 * `mark_unusable_ranges`: the regions in reverse, skipping until the first (highest) physical one,
 * each marked by `MARK_TABLE` with a forgotten segment.
 */
export function markUnusableRanges(m: OstdMachine): void {
  for (const region of regionsToMark(m.map)) {
    const type = MARK_TABLE[region.type];
    if (type !== undefined) markForgotten(m, toRange(region), type, region.type);
  }
}

/** `regions.iter().rev().skip_while(|r| !r.typ().is_physical())`. */
export function regionsToMark(map: readonly MemoryRegion[]): MemoryRegion[] {
  const reversed = [...map].reverse();
  const first = reversed.findIndex((r) => isPhysical(r.type));
  return first < 0 ? [] : reversed.slice(first);
}
