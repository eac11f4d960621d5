/**
 * DragonOS's kernel image as `kernel_page_flags` sees it: four sections in link order (text, data,
 * rodata, bss) and the page flags each gets in the direct map.
 *
 * DragonOS links the kernel in its direct map (`vaddr = PHYS_OFFSET + paddr`), so comparing a direct-map
 * address with the section symbols is comparing physical addresses; that is what is done here.
 *
 * @see DragonOS `kernel/src/arch/x86_64/mm/mod.rs` (`kernel_page_flags`, `X86_64MMBootstrapInfo`,
 *      `get_load_base_paddr`)
 */
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { AddrRange } from './bootRanges.ts';

/** The kernel's sections, physically: `_text.._etext`, `_etext.._edata`, `_edata.._erodata`, `_erodata.._end`. */
export type KernelSections = Readonly<{ text: AddrRange; data: AddrRange; rodata: AddrRange; bss: AddrRange }>;

/** A section name, or `other` for memory outside the kernel. */
export type SectionName = keyof KernelSections | 'other';

/**
 * The flag sets `kernel_page_flags` builds: `RWX` (`set_write(true).set_execute(true)`, for text and
 * everything outside rodata) and `R-X` (`set_execute(true)` only, for rodata).
 */
export type KernelPageFlags = 'RWX' | 'R-X';

/** DragonOS's load base when the bootloader gives none (`get_load_base_paddr`: "default to 1MB"). */
export const DEFAULT_KERNEL_BASE = 0x10_0000;
/** The image size assumed without `--kernel`: 8 MiB. */
export const DEFAULT_KERNEL_SIZE = 0x80_0000;

/**
 * The assumed split of an image `range` into sections, in link order: text 1/2, data 1/8, rodata 1/4,
 * bss the rest, each cut rounded down to a page boundary.
 */
export function defaultSections(range: AddrRange): KernelSections {
  const len = range.end - range.start;
  const cut = (part: number) => Math.floor((len * part) / PAGE_SIZE) * PAGE_SIZE;
  const t = range.start + cut(1 / 2);
  const d = t + cut(1 / 8);
  const r = d + cut(1 / 4);
  return {
    text: { start: range.start, end: t },
    data: { start: t, end: d },
    rodata: { start: d, end: r },
    bss: { start: r, end: range.end },
  };
}

/** The section holding `paddr`, or `other`. */
export function sectionOf(sections: KernelSections, paddr: number): SectionName {
  for (const name of ['text', 'data', 'rodata', 'bss'] as const) {
    if (sections[name].start <= paddr && paddr < sections[name].end) return name;
  }
  return 'other';
}

/** `kernel_page_flags(vaddr)` by section: rodata is read-only, the rest writable. */
export function kernelPageFlags(section: SectionName): KernelPageFlags {
  return section === 'rodata' ? 'R-X' : 'RWX';
}
