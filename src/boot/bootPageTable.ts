/**
 * The boot page table as the boot simulations need it: a record of the base-page mappings added,
 * by purpose, with their first virtual and physical addresses. No table frames are built; the
 * mappings only have to be counted and checked not to overlap.
 *
 * @see upstream `ostd/src/mm/page_table/boot_pt.rs` (`BootPageTable::map_base_page`)
 */
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';

/** A run of `npages` base-page mappings `vaddr + i·4096 → paddr + i·4096`. */
export type BootMapping = Readonly<{ purpose: string; vaddr: bigint; paddr: number; npages: number }>;

const PAGE = BigInt(PAGE_SIZE);

/** Base-page mappings added during boot, in order. */
export class BootPageTable {
  readonly mappings: BootMapping[] = [];

  /** Maps `npages` base pages from `vaddr` to `paddr` (`map_base_page` in a loop). */
  mapBasePages(purpose: string, vaddr: bigint, paddr: number, npages: number): void {
    if (npages > 0) this.mappings.push({ purpose, vaddr, paddr, npages });
  }

  /** The number of pages mapped for `purpose`. */
  pagesFor(purpose: string): number {
    return this.mappings.filter((m) => m.purpose === purpose).reduce((n, m) => n + m.npages, 0);
  }

  /** Pairs of runs whose virtual ranges overlap (a page mapped twice), as sentences. */
  overlaps(): string[] {
    const sorted = [...this.mappings].sort((a, b) => (a.vaddr < b.vaddr ? -1 : a.vaddr > b.vaddr ? 1 : 0));
    const out: string[] = [];
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (prev.vaddr + BigInt(prev.npages) * PAGE > cur.vaddr)
        out.push(
          `boot page table: the ${prev.purpose} and ${cur.purpose} mappings overlap at 0x${cur.vaddr.toString(16)}`,
        );
    }
    return out;
  }
}
