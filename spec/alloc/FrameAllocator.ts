/**
 * The ghost model of a global frame allocator and the rules of OSTD's `GlobalFrameAllocator`, as
 * named clauses the contract layer evaluates around every call.
 *
 * OSTD states these rules in prose only (there is no Verus contract for allocators: vostd comments
 * the allocator out), so every clause has origin `'upstream'` and carries the doc-comment sentence it
 * encodes. The model is two immutable range sets over physical addresses: the memory ever `added`,
 * and the part of it that is `free`. Allocated memory is `added \ free`.
 *
 * @see OSTD `GlobalFrameAllocator` (ostd/src/mm/frame/allocator.rs); DragonOS `LockedFrameAllocator::free`
 */
import type { Clause, PostCtx, PreCtx } from '../Op.ts';
import { PAGE_SIZE, type Paddr } from '../vocab.ts';
import { clauseMaker } from '../meta/clause.ts';
import { covers, EMPTY_RANGE_SET, overlapsAny, subtract, union, type Range, type RangeSet } from './rangeSet.ts';

export { rangesOverlap } from './rangeSet.ts';

/** The allocator's abstract state: memory ever added, and the free part of it. Both normalized. */
export type FreeSetModel = Readonly<{ added: RangeSet; free: RangeSet }>;

/** An allocator nothing was added to. */
export const EMPTY_FREE_SET: FreeSetModel = Object.freeze({ added: EMPTY_RANGE_SET, free: EMPTY_RANGE_SET });

/** `core::alloc::Layout`: `size` bytes aligned to `align` (a power of two). */
export type Layout = Readonly<{ size: number; align: number }>;
/** The arguments of `alloc`. */
export type AllocArgs = Readonly<{ layout: Layout }>;
/** What `alloc` returns: `Option<Paddr>`. */
export type AllocResult = Paddr | undefined;
/** The arguments of `dealloc` and `add_free_memory`. */
export type RangeArgs = Readonly<{ addr: Paddr; size: number }>;

/** The requires context of `alloc`. */
export type AllocPre = PreCtx<FreeSetModel, AllocArgs>;
/** The ensures context of `alloc`. */
export type AllocPost = PostCtx<FreeSetModel, AllocArgs, AllocResult>;
/** The requires context of `dealloc` and `add_free_memory`. */
export type RangePre = PreCtx<FreeSetModel, RangeArgs>;
/** The ensures context of `dealloc` and `add_free_memory` (they return nothing). */
export type RangePost = PostCtx<FreeSetModel, RangeArgs, undefined>;

/** The bytes `addr .. addr + size`. */
export function rangeAt(addr: Paddr, size: number): Range {
  return { start: addr, end: addr + size };
}

/** Whether `x` is a non-negative multiple of `PAGE_SIZE`. */
export function isPageAligned(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0 && x % PAGE_SIZE === 0;
}

/** Whether `size` is a positive, page-aligned size of 2^k frames (what a buddy allocator frees). */
export function isPowerOfTwoFrames(size: number): boolean {
  const frames = size / PAGE_SIZE;
  return isPageAligned(size) && frames > 0 && 2 ** Math.round(Math.log2(frames)) === frames;
}

/** The bytes an allocation of `layout` at `addr` covers: the size rounded up to whole pages. */
export function allocatedRange(addr: Paddr, layout: Layout): Range {
  return rangeAt(addr, Math.ceil(layout.size / PAGE_SIZE) * PAGE_SIZE);
}

const allocReq = clauseMaker<AllocPre>('GlobalFrameAllocator::alloc', 'requires');
const allocEns = clauseMaker<AllocPost>('GlobalFrameAllocator::alloc', 'ensures');
const deallocReq = clauseMaker<RangePre>('GlobalFrameAllocator::dealloc', 'requires');
const deallocEns = clauseMaker<RangePost>('GlobalFrameAllocator::dealloc', 'ensures');
const addReq = clauseMaker<RangePre>('GlobalFrameAllocator::add_free_memory', 'requires');
const addEns = clauseMaker<RangePost>('GlobalFrameAllocator::add_free_memory', 'ensures');
const buddyReq = clauseMaker<RangePre>('BuddyAllocator::dealloc', 'requires');

const argsRange = (c: RangePre): Range => rangeAt(c.args.addr, c.args.size);
const sameSet = (a: RangeSet, b: RangeSet): boolean =>
  a.length === b.length && a.every((r, i) => r.start === b[i]?.start && r.end === b[i]?.end);

/** `alloc` requires a page-aligned size. */
export const allocSizeAligned: Clause<AllocPre> = allocReq(
  'size_page_aligned',
  'The caller guarantees that `layout.size()` is aligned to [`PAGE_SIZE`].',
  (c) => isPageAligned(c.args.layout.size),
  (c) => ({ 'layout.size': c.args.layout.size }),
  'upstream',
);

/**
 * `alloc` ensures a fresh, aligned range: `None`, or `Some(p)` with `p..p+size` wholly free before
 * the call and `p` aligned to `max(layout.align, PAGE_SIZE)`.
 */
export const allocOk: Clause<AllocPost> = allocEns(
  'fresh',
  'Allocates a contiguous range of frames: res is Some(p) ==> p..p+size was free && p % max(align, PAGE_SIZE) == 0.',
  (c) =>
    c.result === undefined ||
    (covers(c.old.free, allocatedRange(c.result, c.args.layout)) &&
      c.result % Math.max(c.args.layout.align, PAGE_SIZE) === 0),
  (c) => ({
    res: c.result,
    range: c.result === undefined ? null : allocatedRange(c.result, c.args.layout),
    free: c.old.free,
  }),
  'upstream',
);

/** `alloc` takes what it returns, and only free memory; on `None` nothing changes. */
export const allocTaken: Clause<AllocPost> = allocEns(
  'taken',
  'res is Some(p) ==> p..p+size is no longer free && final.free ⊆ old.free; res is None ==> final == old.',
  (c) =>
    c.result === undefined
      ? sameSet(c.final.free, c.old.free)
      : !overlapsAny(c.final.free, allocatedRange(c.result, c.args.layout)) &&
        c.final.free.every((r) => covers(c.old.free, r)),
  (c) => ({ res: c.result, 'old.free': c.old.free, 'final.free': c.final.free }),
  'upstream',
);

/** `alloc` never adds memory. */
export const allocAddedUnchanged: Clause<AllocPost> = allocEns(
  'added_unchanged',
  'final.added == old.added',
  (c) => sameSet(c.final.added, c.old.added),
  undefined,
  'upstream',
);

/** `dealloc` requires a page-aligned address and size. */
export const deallocAligned: Clause<RangePre> = deallocReq(
  'page_aligned',
  'The caller guarantees that `addr` and `size` are both aligned to [`PAGE_SIZE`].',
  (c) => isPageAligned(c.args.addr) && isPageAligned(c.args.size),
  (c) => ({ addr: c.args.addr, size: c.args.size }),
  'upstream',
);

/** `dealloc` requires memory that came from `alloc`: added to the allocator and not free. */
export const deallocAllocated: Clause<RangePre> = deallocReq(
  'allocated',
  'The deallocated memory should always be allocated by [`GlobalFrameAllocator::alloc`].',
  (c) => covers(c.old.added, argsRange(c)),
  (c) => ({ range: argsRange(c), added: c.old.added }),
  'upstream',
);

/** `dealloc` requires that no byte of the range is free already (no double free). */
export const deallocPre: Clause<RangePre> = deallocReq(
  'not_free',
  'The deallocated memory must never overlap with any memory that is already deallocated or added, without being allocated in between.',
  (c) => !overlapsAny(c.old.free, argsRange(c)),
  (c) => ({ range: argsRange(c), free: c.old.free }),
  'upstream',
);

/** `dealloc` makes the range free. */
export const deallocFreed: Clause<RangePost> = deallocEns(
  'freed',
  'final.free == old.free ∪ addr..addr+size && final.added == old.added',
  (c) => sameSet(c.final.free, union(c.old.free, argsRange(c))) && sameSet(c.final.added, c.old.added),
  (c) => ({ 'old.free': c.old.free, 'final.free': c.final.free }),
  'upstream',
);

/** A buddy allocator frees 2^k frames at a time (DragonOS asserts it; OSTD does not ask it). */
export const buddyDeallocPowerOfTwo: Clause<RangePre> = buddyReq(
  'power_of_two',
  'assert!(count.data().is_power_of_two()) (DragonOS LockedFrameAllocator::free)',
  (c) => isPowerOfTwoFrames(c.args.size),
  (c) => ({ frames: c.args.size / PAGE_SIZE }),
  'upstream',
);

/** `add_free_memory` requires a page-aligned range. */
export const addFreeMemoryAligned: Clause<RangePre> = addReq(
  'page_aligned',
  'Adds a contiguous range of frames to the allocator (`addr` and `size` aligned to `PAGE_SIZE`).',
  (c) => isPageAligned(c.args.addr) && isPageAligned(c.args.size),
  (c) => ({ addr: c.args.addr, size: c.args.size }),
  'upstream',
);

/** `add_free_memory` requires memory never added before. */
export const addFreeMemoryPre: Clause<RangePre> = addReq(
  'not_added',
  'The memory being added must never overlap with any memory that was added before.',
  (c) => !overlapsAny(c.old.added, argsRange(c)),
  (c) => ({ range: argsRange(c), added: c.old.added }),
  'upstream',
);

/** `add_free_memory` adds the range, free. */
export const addFreeMemoryAdded: Clause<RangePost> = addEns(
  'added',
  'final.added == old.added ∪ addr..addr+size && final.free == old.free ∪ addr..addr+size',
  (c) =>
    sameSet(c.final.added, union(c.old.added, argsRange(c))) && sameSet(c.final.free, union(c.old.free, argsRange(c))),
  (c) => ({ 'final.added': c.final.added, 'final.free': c.final.free }),
  'upstream',
);

/** The ghost transition of a successful `alloc` at `addr`: the allocated range leaves the free set. */
export function allocNext(m: FreeSetModel, addr: Paddr, layout: Layout): FreeSetModel {
  return Object.freeze({ added: m.added, free: subtract(m.free, allocatedRange(addr, layout)) });
}

/** The ghost transition of `dealloc`: the range joins the free set. */
export function deallocNext(m: FreeSetModel, addr: Paddr, size: number): FreeSetModel {
  return Object.freeze({ added: m.added, free: union(m.free, rangeAt(addr, size)) });
}

/** The ghost transition of `add_free_memory`: the range joins both sets. */
export function addFreeMemoryNext(m: FreeSetModel, addr: Paddr, size: number): FreeSetModel {
  const r = rangeAt(addr, size);
  return Object.freeze({ added: union(m.added, r), free: union(m.free, r) });
}

/** The first-fit address for `layout` in `m`, the outcome `alloc`'s spec picks among the allowed ones. */
export function firstFit(m: FreeSetModel, layout: Layout): Paddr | undefined {
  const align = Math.max(layout.align, PAGE_SIZE);
  for (const r of m.free) {
    const addr = Math.ceil(r.start / align) * align;
    if (covers(m.free, allocatedRange(addr, layout)) && addr < r.end) return addr;
  }
  return undefined;
}
