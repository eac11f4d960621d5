/**
 * The page mapper DragonOS's `allocator_init` builds with the bump allocator: a four-level x86-64
 * table whose root and every missing PDPT/PD/PT is one frame taken from the bump allocator as
 * `map_phys` walks down. Only which tables exist is modelled, by their index at each level; page
 * mappings are counted by flags and section.
 *
 * @see DragonOS `kernel/src/arch/x86_64/mm/mod.rs` (`allocator_init`, `LowAddressRemapping`),
 *      `kernel/src/mm/page.rs` (`PageMapper::create`, `map_phys`, `unmap_phys` with `unmap_parents`)
 */
import type { BumpAllocator } from '../../impl/alloc/BumpAllocator.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { hexAddr } from './bootKernel.ts';
import { kernelPageFlags, type KernelPageFlags, type KernelSections, type SectionName } from './dragonosKernel.ts';

/** Bytes covered by one entry of a PT, a PD and a PDPT. */
const LEVEL_SPANS = [2 ** 39, 2 ** 30, 2 ** 21] as const;

/** Which address space a table serves: the direct map (`PHYS_OFFSET + paddr`) or the low identity map. */
export type MapSpace = 'direct' | 'identity';

/** A mapper under construction and what it has mapped. */
export type DragonosMapper = {
  readonly bump: BumpAllocator;
  /** Table frames taken from the bump allocator, in order (the root first). */
  readonly tables: number[];
  readonly tablesBySpace: Record<MapSpace, number[]>;
  readonly present: Set<string>;
  readonly byFlags: Record<KernelPageFlags, number>;
  readonly bySection: Record<SectionName, number>;
  mappedPages: number;
  partialPages: number;
};

/** `PageMapper::create(Kernel, &mut bump)`: the root table; `undefined` when the bump allocator is empty. */
export function createMapper(bump: BumpAllocator): DragonosMapper | undefined {
  const root = bump.alloc(1);
  if (root === undefined) return undefined;
  return {
    bump,
    tables: [root],
    tablesBySpace: { direct: [], identity: [] },
    present: new Set(),
    byFlags: { RWX: 0, 'R-X': 0 },
    bySection: { text: 0, data: 0, rodata: 0, bss: 0, other: 0 },
    mappedPages: 0,
    partialPages: 0,
  };
}

/** The tables `map_phys` creates for the 2 MiB block of `addr`, PDPT first; a panic reason when the bump allocator runs out. */
function ensureTables(m: DragonosMapper, space: MapSpace, addr: number): string | undefined {
  for (const [level, span] of LEVEL_SPANS.entries()) {
    const key = `${space}:${level}:${Math.floor(addr / span)}`;
    if (m.present.has(key)) continue;
    const frame = m.bump.alloc(1);
    if (frame === undefined) return `map_phys(${hexAddr(addr)}): the bump allocator has no frame for a page table`;
    m.present.add(key);
    m.tables.push(frame);
    m.tablesBySpace[space].push(frame);
  }
  return undefined;
}

/** Creates the tables for `npages` pages from `addr` in `space`, one 2 MiB block at a time. */
export function mapTables(m: DragonosMapper, space: MapSpace, addr: number, npages: number): string | undefined {
  const last = addr + npages * PAGE_SIZE - 1;
  for (let block = Math.floor(addr / LEVEL_SPANS[2]); block <= Math.floor(last / LEVEL_SPANS[2]); block++) {
    const failed = ensureTables(m, space, Math.max(addr, block * LEVEL_SPANS[2]));
    if (failed !== undefined) return failed;
  }
  return undefined;
}

/** How many of the pages `base + i·4096` (`0 <= i < npages`) start inside `[start, end)`. */
export function pagesStartingIn(base: number, npages: number, start: number, end: number): number {
  const first = Math.max(0, Math.ceil((start - base) / PAGE_SIZE));
  const past = Math.min(npages, Math.ceil((end - base) / PAGE_SIZE));
  return Math.max(0, past - first);
}

/** Counts `npages` direct-map pages from `base` by the flags and section `kernel_page_flags` gives each. */
export function countPages(m: DragonosMapper, sections: KernelSections, base: number, npages: number): void {
  let inKernel = 0;
  for (const name of ['text', 'data', 'rodata', 'bss'] as const) {
    const n = pagesStartingIn(base, npages, sections[name].start, sections[name].end);
    m.bySection[name] += n;
    m.byFlags[kernelPageFlags(name)] += n;
    inKernel += n;
  }
  m.bySection.other += npages - inKernel;
  m.byFlags[kernelPageFlags('other')] += npages - inKernel;
  m.mappedPages += npages;
}
