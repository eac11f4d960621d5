/**
 * Seeded bugs in the allocators. The buddy variants replace `dealloc` on the allocator's shared state
 * (reached through its buffer, as another worker would); the early-allocator and `FrameAllocOptions`
 * variants override one method (the early allocator's bump state is private, so its variant keeps its
 * own copy of the two bump regions).
 */
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { buddyOf, forEachBlock, isFreeHead, pushFree, summarize, unlink } from '../../impl/alloc/buddyBlocks.ts';
import { ADDED, FREE, viewsOf, W, type BuddyViews } from '../../impl/alloc/buddyLayout.ts';
import { EarlyFrameAllocator, type UsableRegion } from '../../impl/alloc/EarlyFrameAllocator.ts';
import { FrameAllocOptions, type FrameSource } from '../../impl/alloc/FrameAllocOptions.ts';
import type { FrameAllocResult } from '../../impl/alloc/GlobalFrameAllocator.ts';
import { SpinLock } from '../../impl/alloc/SpinLock.ts';
import { isPageAligned, isPowerOfTwo, PAGE_SIZE, type Layout, type Paddr, type Range } from '../../impl/alloc/vocab.ts';
import type { FrameLayer } from '../../impl/frame/Frame.ts';
import type { BuddyLike } from './catalog.ts';

type Free = (v: BuddyViews, i: number, k: number) => void;

/** The real `dealloc`'s checks, then `free` on each block; `doubleFreeCheck: false` drops the `DoubleFree` refusal. */
function deallocWith(base: BuddyAllocator, free: Free, doubleFreeCheck: boolean): BuddyLike {
  const v = viewsOf(base.sharedState.buffer);
  const lock = new SpinLock(v.words, W.lock);
  const dealloc = (addr: Paddr, size: number): FrameAllocResult => {
    if (!isPageAligned(addr) || !isPageAligned(size)) return { ok: false, error: 'Misaligned' };
    const i = (addr - v.basePaddr) / PAGE_SIZE;
    const count = size / PAGE_SIZE;
    if (i < 0 || i + count > v.nframes) return { ok: false, error: 'OutOfRange' };
    if (!isPowerOfTwo(count)) return { ok: false, error: 'NotPowerOfTwo' };
    return lock.withLock((): FrameAllocResult => {
      const { any, all } = summarize(v, i, i + count);
      if (!(all & ADDED)) return { ok: false, error: 'OutOfRange' };
      if (doubleFreeCheck && any & FREE) return { ok: false, error: 'DoubleFree' };
      forEachBlock(v, i, count, (j, k) => free(v, j, k));
      return { ok: true };
    });
  };
  return {
    alloc: (l) => base.alloc(l),
    dealloc,
    addFreeMemory: (a, s) => base.addFreeMemory(a, s),
    usage: () => base.usage(),
    freeBlocks: () => base.freeBlocks(),
    audit: () => base.audit(),
  };
}

/** The real `freeBlock`, with the buddy of a block given by `buddy`. */
function freeMerging(buddy: (v: BuddyViews, i: number, k: number) => number): Free {
  return (v, i, k) => {
    v.state.fill(ADDED | FREE, i, i + 2 ** k);
    v.words[W.free] = (v.words[W.free] ?? 0) + 2 ** k;
    let at = i;
    let order = k;
    while (order < v.maxOrder) {
      const b = buddy(v, at, order);
      if (b < 0 || b + 2 ** order > v.nframes || !isFreeHead(v, b, order)) break;
      unlink(v, b, order);
      at = Math.min(at, b);
      order++;
    }
    pushFree(v, at, order);
  };
}

/** The buddy allocator merging a freed block with the block after it, whether or not that is its buddy. */
export function mergesNonBuddy(base: BuddyAllocator): BuddyLike {
  return deallocWith(
    base,
    freeMerging((_v, i, k) => i + 2 ** k),
    true,
  );
}

/** The buddy allocator freeing a block that is already free (no `DoubleFree` refusal). */
export function acceptsDoubleFree(base: BuddyAllocator): BuddyLike {
  return deallocWith(base, freeMerging(buddyOf), false);
}

type Tail = { readonly range: Range; next: number };

/**
 * The early allocator bumping without `checked_add`: the end of an allocation is computed in wrapping
 * u64 arithmetic, so a huge size wraps around, passes the bound check and moves the bump pointer back.
 */
export class EarlyAllocWrapping extends EarlyFrameAllocator {
  private readonly tails: Tail[];

  constructor(regions: readonly UsableRegion[]) {
    super(regions);
    this.tails = this.regions().map((range) => ({ range, next: range.start }));
  }

  override alloc(layout: Layout): Paddr | undefined {
    if (!Number.isInteger(layout.size) || layout.size < 0 || !isPowerOfTwo(layout.align)) return undefined;
    const size = BigInt(Math.ceil(layout.size / PAGE_SIZE)) * BigInt(PAGE_SIZE);
    const align = BigInt(Math.max(layout.align, PAGE_SIZE));
    for (const t of this.tails) {
      const start = ((BigInt(t.next) + align - 1n) / align) * align;
      const end = BigInt.asUintN(64, start + size);
      if (end > BigInt(t.range.end)) continue;
      t.next = Number(end);
      return Number(start);
    }
    return undefined;
  }

  override allocatedRegions(): [Range, Range] {
    const [a, b] = this.tails as [Tail, Tail];
    return [
      { start: a.range.start, end: a.next },
      { start: b.range.start, end: b.next },
    ];
  }
}

/** `FrameAllocOptions::new()` with `zeroed: false`: a new frame carries its previous owner's bytes. */
export class ZeroedDefaultsFalse extends FrameAllocOptions {
  constructor(layer: FrameLayer, source: FrameSource) {
    super(layer, source);
    this.isZeroed = false;
  }
}
