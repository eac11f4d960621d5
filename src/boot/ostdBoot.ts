/**
 * `framecheck boot --flavor ostd`: simulates OSTD's frame boot path on a memory map, with the real
 * metadata region, `Segment`, early allocator and buddy allocator, and accounts for every frame.
 *
 * Order, as upstream: `init_early_allocator` (the largest usable parts below and above 4 GiB) →
 * the early allocations that precede the metadata (none by default; `earlyAllocations` models e.g.
 * the boot page table's frames) → `meta::init` → `allocator::init`.
 *
 * @see upstream `ostd/src/mm/frame/meta.rs` (`init`), `ostd/src/mm/frame/allocator.rs`
 *      (`init_early_allocator`, `init`); the memory maps it reads: docs/formats.md, "Memory maps"
 */
import { KernelAbort } from '../../impl/meta/abort.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { hexAddr, kernelRegion, type KernelRange } from './bootKernel.ts';
import { MAX_BOOT_PADDR, type BootResult } from './bootResult.ts';
import { isPhysical, type MemoryRegion } from './MemoryRegion.ts';
import { intoNonOverlapping } from './normalize.ts';
import { accountOstd, type OstdAccounting } from './ostdAccounting.ts';
import { allocatorInit } from './ostdAllocatorInit.ts';
import { newOstdMachine, unwrap, type OstdMachine } from './ostdMachine.ts';
import { metaInit } from './ostdMetaInit.ts';

export type { OstdAccounting, MetaCounts } from './ostdAccounting.ts';

/** Options of `bootOstd`. */
export type OstdBootOptions = Readonly<{
  /** The kernel image, laid over the map as a `Kernel` region before normalization. */
  kernel?: KernelRange;
  /** Page counts early-allocated, in order, before `meta::init` (e.g. boot page-table frames). */
  earlyAllocations?: readonly number[];
}>;

/**
 * Boots OSTD's frame layer on `regions` (as parsed; normalized here with `into_non_overlapping`,
 * which leaves an already normalized map as it is) and returns the frame accounting.
 *
 * ## Postconditions
 * - **Success**: the accounting of the final state; a kernel panic on the way (an `unwrap` of a
 *   failed allocation or claim) is reported among `violations`, with the state it left.
 * - **Failure**: no physical region (upstream's `max().unwrap()` has nothing to take), or a
 *   `max_paddr` past {@link MAX_BOOT_PADDR}.
 */
export function bootOstd(regions: readonly MemoryRegion[], opts: OstdBootOptions = {}): BootResult<OstdAccounting> {
  const firmware = intoNonOverlapping(regions);
  const map = opts.kernel === undefined ? firmware : intoNonOverlapping([...regions, kernelRegion(opts.kernel)]);
  const maxPaddr = physicalMaxPaddr(map);
  if (maxPaddr === undefined)
    return { ok: false, error: 'the map has no physical memory region: max_paddr is undefined' };
  if (maxPaddr > BigInt(MAX_BOOT_PADDR))
    return {
      ok: false,
      error: `max_paddr ${hexAddr(maxPaddr)} is past the ${hexAddr(MAX_BOOT_PADDR)} framecheck simulates`,
    };
  const m = newOstdMachine(map, Number(maxPaddr));
  const earlier = runBoot(m, opts.earlyAllocations ?? []);
  return { ok: true, accounting: accountOstd(m, firmware, earlier) };
}

/** `max_paddr`: the highest end of a region whose type `is_physical()`. */
export function physicalMaxPaddr(map: readonly MemoryRegion[]): bigint | undefined {
  return map
    .filter((r) => isPhysical(r.type))
    .reduce<bigint | undefined>((max, r) => (max === undefined || r.end > max ? r.end : max), undefined);
}

/** Runs the boot steps; a kernel abort stops them and becomes a violation. */
function runBoot(m: OstdMachine, earlyAllocations: readonly number[]): string[] {
  try {
    for (const pages of earlyAllocations)
      unwrap(m.early.alloc({ size: pages * PAGE_SIZE, align: PAGE_SIZE }), 'early_alloc');
    metaInit(m);
    return allocatorInit(m);
  } catch (e) {
    if (!(e instanceof KernelAbort)) throw e;
    m.panic = e.message;
    return [`boot panicked: ${e.message}`];
  }
}
