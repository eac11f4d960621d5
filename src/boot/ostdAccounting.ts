/**
 * The frame accounting after an OSTD boot, read back from the machine's real state (the metadata
 * region's slots and the buddy allocator's free lists), and the invariants it must satisfy:
 *
 * 1. every usable frame is exactly one of: free in the allocator (and its slot `UNUSED`), or in
 *    use with metadata;
 * 2. `freeFrames + metaPages + earlyAllocatedFrames + kernelFramesInUsable == usableFrames`;
 * 3. the metadata counts are what `meta::init` wrote (its table, the meta pages, the early frames);
 * 4. the allocator's own representation invariant holds, and no boot mapping overlaps another.
 *
 * Cost: proportional to the written blocks of the region and the frames in use, never to
 * `max_paddr`: a free block whose slots were never written is known `UNUSED` in O(1) per block.
 */
import { rangeDifference } from '../../impl/alloc/rangeDifference.ts';
import { frameMetaByVtable } from '../../impl/meta/frameMeta.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { hexAddr } from './bootKernel.ts';
import { framesOf, intersect, rangesOfType, subtract, toRange, totalFrames, type AddrRange } from './bootRanges.ts';
import { SLOTS_PER_BLOCK } from './bootWriteTracker.ts';
import type { MemoryRegion } from './MemoryRegion.ts';
import type { OstdMachine } from './ostdMachine.ts';
import { MARK_TABLE, regionsToMark } from './ostdMetaInit.ts';

/** The metadata types `meta::init` writes, by upstream name. */
export const BOOT_META_TYPES = [
  'MetaPageMeta',
  'ReservedMemoryMeta',
  'UnusableMemoryMeta',
  'KernelMeta',
  'EarlyAllocatedFrameMeta',
] as const;

/** Frames in use per boot metadata type. */
export type MetaCounts = Record<(typeof BOOT_META_TYPES)[number], number>;

/** What `framecheck boot --flavor ostd` reports. */
export type OstdAccounting = {
  flavor: 'ostd';
  maxPaddr: string;
  totalFrames: number;
  usableFrames: number;
  metaPages: number;
  earlyAllocatedFrames: number;
  freeFrames: number;
  kernelFrames: number;
  kernelFramesInUsable: number;
  byMeta: MetaCounts;
  linearMappedPages: number;
  metaMappedPages: number;
  violations: string[];
};

const MAX_REPORTS_PER_CHECK = 5;

/** Collects violation sentences, at most a few per check, then a count of the rest. */
class Findings {
  readonly lines: string[] = [];
  #check = '';
  #inCheck = 0;

  begin(check: string): void {
    this.#flush();
    this.#check = check;
    this.#inCheck = 0;
  }

  add(line: string): void {
    if (this.#inCheck++ < MAX_REPORTS_PER_CHECK) this.lines.push(line);
  }

  done(): string[] {
    this.#flush();
    return this.lines;
  }

  #flush(): void {
    const more = this.#inCheck - MAX_REPORTS_PER_CHECK;
    if (more > 0) this.lines.push(`${this.#check}: ${more} more like the above`);
    this.#inCheck = 0;
  }
}

/** The accounting of `m`, with `firmware` the normalized map before the kernel overlay. */
export function accountOstd(
  m: OstdMachine,
  firmware: readonly MemoryRegion[],
  earlier: readonly string[],
): OstdAccounting {
  const limit = BigInt(m.maxPaddr);
  const usable = rangesOfType(firmware, 'Usable', limit);
  const kernel = rangesOfType(m.map, 'Kernel', limit);
  const meta = m.metaPageRange ?? { start: 0, end: 0 };
  const early = m.early.allocatedRegions().flatMap((r) => rangeDifference(r, meta));
  const byMeta = countByMeta(m, new Findings());
  const a: OstdAccounting = {
    flavor: 'ostd',
    maxPaddr: hexAddr(m.maxPaddr),
    totalFrames: Math.floor(m.maxPaddr / PAGE_SIZE),
    usableFrames: totalFrames(usable),
    metaPages: framesOf(meta),
    earlyAllocatedFrames: totalFrames(early),
    freeFrames: m.buddy.usage().free,
    kernelFrames: totalFrames(kernel),
    kernelFramesInUsable: totalFrames(intersect(kernel, usable)),
    byMeta: byMeta.counts,
    linearMappedPages: m.bootPt.pagesFor('linear'),
    metaMappedPages: m.bootPt.pagesFor('meta'),
    violations: [],
  };
  a.violations = [...earlier, ...byMeta.findings, ...checkInvariants(m, a, usable)];
  return a;
}

function checkInvariants(m: OstdMachine, a: OstdAccounting, usable: readonly AddrRange[]): string[] {
  const f = new Findings();
  const sum = a.freeFrames + a.metaPages + a.earlyAllocatedFrames + a.kernelFramesInUsable;
  if (sum !== a.usableFrames)
    f.add(
      `free ${a.freeFrames} + meta ${a.metaPages} + early ${a.earlyAllocatedFrames} + kernel ${a.kernelFramesInUsable} = ${sum} != usable ${a.usableFrames}`,
    );
  const free = m.buddy.freeBlocks().map((b) => ({ start: b.addr, end: b.addr + 2 ** b.order * PAGE_SIZE }));
  checkFreeFrames(m, free, usable, f);
  checkUsedFrames(m, subtract(usable, free), f);
  checkMetaCounts(m, a, f);
  f.begin('buddy');
  for (const p of m.buddy.audit()) f.add(`buddy allocator: ${p}`);
  for (const p of m.bootPt.overlaps()) f.add(p);
  return f.done();
}

/** Every free frame lies in usable memory and its slot is `UNUSED`. */
function checkFreeFrames(m: OstdMachine, free: readonly AddrRange[], usable: readonly AddrRange[], f: Findings): void {
  f.begin('free outside usable');
  for (const r of subtract(free, usable))
    f.add(`free frames ${hexAddr(r.start)}..${hexAddr(r.end)} are not usable memory`);
  f.begin('free but in use');
  for (const r of free)
    forEachWrittenSlot(m, r, (slot) => {
      if (m.region.refCount(slot) !== m.region.REF_COUNT_UNUSED)
        f.add(
          `frame ${hexAddr(slot * PAGE_SIZE)} is free in the allocator but its slot is in use (count ${m.region.refCount(slot)})`,
        );
    });
}

/** Calls `visit` on each slot of `r` inside a block that was written; unwritten blocks are all `UNUSED`. */
function forEachWrittenSlot(m: OstdMachine, r: AddrRange, visit: (slot: number) => void): void {
  const first = r.start / PAGE_SIZE;
  const end = r.end / PAGE_SIZE;
  for (let block = Math.floor(first / SLOTS_PER_BLOCK); block * SLOTS_PER_BLOCK < end; block++) {
    if (m.tracker.blockUntouched(block)) continue;
    const to = Math.min(end, (block + 1) * SLOTS_PER_BLOCK);
    for (let slot = Math.max(first, block * SLOTS_PER_BLOCK); slot < to; slot++) visit(slot);
  }
}

/** Every usable frame the allocator does not hold is in use with metadata. */
function checkUsedFrames(m: OstdMachine, used: readonly AddrRange[], f: Findings): void {
  f.begin('usable frame lost');
  const { layout, mem } = m.region;
  for (const r of used) {
    for (let slot = r.start / PAGE_SIZE; slot < r.end / PAGE_SIZE; slot++) {
      const inUse = m.region.refCount(slot) !== m.region.REF_COUNT_UNUSED;
      if (!inUse || mem.readPlain(slot * layout.wordsPerSlot + layout.vtable) === 0n)
        f.add(`usable frame ${hexAddr(slot * PAGE_SIZE)} is neither free in the allocator nor in use with metadata`);
    }
  }
}

/** Counts in-use slots by metadata type, reading only written blocks. */
function countByMeta(m: OstdMachine, f: Findings): { counts: MetaCounts; findings: string[] } {
  const counts: MetaCounts = {
    MetaPageMeta: 0,
    ReservedMemoryMeta: 0,
    UnusableMemoryMeta: 0,
    KernelMeta: 0,
    EarlyAllocatedFrameMeta: 0,
  };
  const { layout, mem } = m.region;
  f.begin('unexpected metadata');
  forEachWrittenSlot(m, { start: 0, end: m.maxPaddr }, (slot) => {
    if (m.region.refCount(slot) === m.region.REF_COUNT_UNUSED) return;
    const name = frameMetaByVtable(mem.readPlain(slot * layout.wordsPerSlot + layout.vtable))?.name ?? 'none';
    if (Object.hasOwn(counts, name)) counts[name as keyof MetaCounts]++;
    else f.add(`frame ${hexAddr(slot * PAGE_SIZE)} is in use with metadata ${name}, which boot never writes`);
  });
  return { counts, findings: f.done() };
}

/** The counts by type equal what `meta::init` marked: its table over the map, the meta pages, the early frames. */
function checkMetaCounts(m: OstdMachine, a: OstdAccounting, f: Findings): void {
  const expected: MetaCounts = {
    MetaPageMeta: a.metaPages,
    ReservedMemoryMeta: 0,
    UnusableMemoryMeta: 0,
    KernelMeta: 0,
    EarlyAllocatedFrameMeta: a.earlyAllocatedFrames,
  };
  for (const region of regionsToMark(m.map)) {
    const name = MARK_TABLE[region.type]?.name;
    if (name !== undefined && Object.hasOwn(expected, name))
      expected[name as keyof MetaCounts] += framesOf(toRange(region));
  }
  f.begin('metadata count');
  if (m.panic !== undefined) return;
  for (const type of Object.keys(expected) as (keyof MetaCounts)[]) {
    if (expected[type] !== a.byMeta[type])
      f.add(`${a.byMeta[type]} frames hold ${type}, but meta::init marked ${expected[type]}`);
  }
}
