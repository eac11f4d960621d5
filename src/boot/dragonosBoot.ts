/**
 * `framecheck boot --flavor dragonos`: simulates DragonOS's x86-64 `allocator_init` on a memory map
 * and accounts for every frame.
 *
 * Order, as DragonOS: the memory areas from the multiboot2 map (type 1 only, zero-length skipped,
 * at most 512) → a `BumpAllocator` from the kernel's end → a new kernel page table built with it:
 * the direct map of every area with `kernel_page_flags`, then the 32 MiB low identity remap →
 * `BuddyAllocator::new(bump)` takes the bump allocator's leftover → after SMP bring-up the identity
 * remap is removed with `unmap_parents`, which frees its now-empty tables to the buddy allocator.
 *
 * Divergences, on purpose: DragonOS's buddy allocator takes a few bookkeeping frames from the bump
 * allocator before the hand-over; the `BuddyAllocator` here keeps its state outside simulated memory.
 * DragonOS frees the identity tables with `free`, which its buddy accepts for any frame; ours keeps
 * freed and added memory apart, so frames it never managed join through `addFreeMemory`.
 *
 * @see DragonOS `kernel/src/arch/x86_64/mm/mod.rs` (`init_memory_area_from_multiboot2`,
 *      `allocator_init`, `LowAddressRemapping`)
 */
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { BumpAllocator, type PhysMemoryArea } from '../../impl/alloc/BumpAllocator.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { hexAddr, type KernelRange } from './bootKernel.ts';
import { MAX_BOOT_PADDR, type BootResult } from './bootResult.ts';
import { type AddrRange } from './bootRanges.ts';
import { defaultSections, DEFAULT_KERNEL_BASE, DEFAULT_KERNEL_SIZE, type KernelSections } from './dragonosKernel.ts';
import { createMapper, countPages, mapTables, type DragonosMapper } from './dragonosMapper.ts';
import { accountDragonos, type DragonosAccounting } from './dragonosAccounting.ts';
import type { MemoryRegion } from './MemoryRegion.ts';

export type { DragonosAccounting } from './dragonosAccounting.ts';

/** `PHYS_MEMORY_AREAS` holds 512 areas. */
export const MAX_PHYS_MEMORY_AREAS = 512;
/** `LowAddressRemapping::REMAP_SIZE`: 32 MiB. */
export const LOW_REMAP_SIZE = 32 * 2 ** 20;

/** Options of `bootDragonos`. */
export type DragonosBootOptions = Readonly<{
  /** The kernel image `_text.._end`; without it, 8 MiB at DragonOS's default load base (1 MiB). */
  kernel?: KernelRange;
}>;

/** The simulated machine during and after `allocator_init`. */
export type DragonosRun = {
  readonly areas: readonly PhysMemoryArea[];
  readonly kernel: AddrRange;
  readonly kernelAssumed: boolean;
  readonly sections: KernelSections;
  readonly bump: BumpAllocator;
  /** Frames in the areas below the bump offset before anything is allocated. */
  readonly usedAtStart: number;
  mapper: DragonosMapper | undefined;
  buddy: BuddyAllocator | undefined;
  handedOver: AddrRange[];
  identityFreed: number[];
  identityMapped: number;
  panic: string | undefined;
  refused: string[];
};

/**
 * `init_memory_area_from_multiboot2`: the type-1 (usable) regions with a non-zero length, in map
 * order, unaligned and overlapping as given.
 */
export function physMemoryAreas(regions: readonly MemoryRegion[]): PhysMemoryArea[] {
  return regions
    .filter((r) => r.type === 'Usable' && r.end > r.base)
    .map((r) => ({ base: Number(r.base), size: Number(r.end - r.base) }));
}

/**
 * Runs DragonOS's `allocator_init` and the later identity-unmap on `regions` (as parsed) and returns
 * the accounting; a panic on the way is reported among `violations`.
 *
 * Fails (bad input) when the map has no usable area, or reaches past {@link MAX_BOOT_PADDR}.
 */
export function bootDragonos(
  regions: readonly MemoryRegion[],
  opts: DragonosBootOptions = {},
): BootResult<DragonosAccounting> {
  const usable = regions.filter((r) => r.type === 'Usable' && r.end > r.base);
  if (usable.length === 0) return { ok: false, error: 'the map has no usable (multiboot2 type 1) memory area' };
  const top = usable.reduce((max, r) => (r.end > max ? r.end : max), opts.kernel?.end ?? 0n);
  if (top > BigInt(MAX_BOOT_PADDR))
    return {
      ok: false,
      error: `memory up to ${hexAddr(top)} is past the ${hexAddr(MAX_BOOT_PADDR)} framecheck simulates`,
    };
  const run = newRun(physMemoryAreas(regions), opts.kernel);
  allocatorInit(run);
  return { ok: true, accounting: accountDragonos(run) };
}

function newRun(areas: PhysMemoryArea[], given: KernelRange | undefined): DragonosRun {
  const kernel =
    given === undefined
      ? { start: DEFAULT_KERNEL_BASE, end: DEFAULT_KERNEL_BASE + DEFAULT_KERNEL_SIZE }
      : { start: Number(given.start), end: Number(given.end) };
  const bump = new BumpAllocator(areas, Math.ceil(kernel.end / PAGE_SIZE) * PAGE_SIZE);
  return {
    areas,
    kernel,
    kernelAssumed: given === undefined,
    sections: defaultSections(kernel),
    bump,
    usedAtStart: bump.usage().used,
    mapper: undefined,
    buddy: undefined,
    handedOver: [],
    identityFreed: [],
    identityMapped: 0,
    panic: undefined,
    refused: [],
  };
}

/** `allocator_init`, then `unmap_at_low_address`; stops at the first panic. */
function allocatorInit(run: DragonosRun): void {
  run.panic = buildKernelTable(run);
  if (run.panic !== undefined) return;
  const top = run.areas.reduce((max, a) => Math.max(max, a.base + a.size), 0);
  run.buddy = BuddyAllocator.create({ basePaddr: 0, nframes: Math.ceil(top / PAGE_SIZE) });
  run.handedOver = run.bump.intoBuddy(run.buddy);
  unmapLowAddress(run, run.buddy);
}

/** The new kernel page table: the direct map of every area, then the low identity remap. */
function buildKernelTable(run: DragonosRun): string | undefined {
  if (run.areas.length > MAX_PHYS_MEMORY_AREAS)
    return `init_memory_area_from_multiboot2: ${run.areas.length} areas overflow PHYS_MEMORY_AREAS[${MAX_PHYS_MEMORY_AREAS}]`;
  const mapper = createMapper(run.bump);
  if (mapper === undefined) return 'PageMapper::create: Failed to create page mapper (the bump allocator is empty)';
  run.mapper = mapper;
  for (const area of run.areas) {
    const failed = mapArea(run, mapper, area);
    if (failed !== undefined) return failed;
  }
  run.identityMapped = LOW_REMAP_SIZE / PAGE_SIZE;
  return mapTables(mapper, 'identity', 0, run.identityMapped);
}

/** Maps `ceil(size / 4096)` pages of `area` at `PHYS_OFFSET + paddr`; `map_phys` refuses an unaligned frame. */
function mapArea(run: DragonosRun, mapper: DragonosMapper, area: PhysMemoryArea): string | undefined {
  if (area.base % PAGE_SIZE !== 0)
    return `map_phys(${hexAddr(area.base)}): Failed to map frame (the area base is not page aligned)`;
  const npages = Math.ceil(area.size / PAGE_SIZE);
  if (area.size % PAGE_SIZE !== 0) mapper.partialPages++;
  countPages(mapper, run.sections, area.base, npages);
  return mapTables(mapper, 'direct', area.base, npages);
}

/** `unmap_at_low_address`: every identity page unmapped; each emptied table goes back to the buddy allocator. */
function unmapLowAddress(run: DragonosRun, buddy: BuddyAllocator): void {
  for (const frame of run.mapper?.tablesBySpace.identity ?? []) {
    const r = buddy.addFreeMemory(frame, PAGE_SIZE);
    if (r.ok) run.identityFreed.push(frame);
    else run.refused.push(`unmap_at_low_address: freeing table frame ${hexAddr(frame)} refused: ${r.error}`);
  }
}
