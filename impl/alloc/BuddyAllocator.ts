import { auditBuddy } from './buddyAudit.ts';
import { allocBlock, forEachBlock, freeBlock, freeOrderAt, headOf, summarize } from './buddyBlocks.ts';
import { ADDED, createBuddyBuffer, FREE, MAX_FRAMES, MAX_ORDER_LIMIT, NIL, viewsOf, W } from './buddyLayout.ts';
import type { BuddySharedState, BuddyViews } from './buddyLayout.ts';
import type { FrameAllocError, FrameAllocResult, GlobalFrameAllocator } from './GlobalFrameAllocator.ts';
import { SpinLock } from './SpinLock.ts';
import { ceilLog2, isIndex, isPageAligned, isPowerOfTwo, PAGE_SIZE } from './vocab.ts';
import type { Layout, Paddr } from './vocab.ts';

export type { BuddySharedState } from './buddyLayout.ts';

/** The parameters of a new allocator: the frames it may ever manage, and its largest block order. */
export type BuddyOptions = Readonly<{ basePaddr: Paddr; nframes: number; maxOrder?: number }>;

/** Frame counts (`PageFrameUsage`): `total` added, `used` handed out, `free` on the free lists. */
export type FrameUsage = Readonly<{ total: number; used: number; free: number }>;

/** A free block: 2^`order` frames from `addr`. */
export type FreeBlock = Readonly<{ addr: Paddr; order: number }>;

/** DragonOS's default: blocks up to 2^20 frames (4 GiB). */
export const DEFAULT_MAX_ORDER = 20;

const OK: FrameAllocResult = { ok: true };
const err = (error: FrameAllocError): FrameAllocResult => ({ ok: false, error });

/**
 * A buddy allocator of physical frames whose whole state lives in one `SharedArrayBuffer`, so that
 * several `worker_threads` allocate and free concurrently through `attach`.
 *
 * Memory is handed out in blocks of 2^k frames aligned to their size: `alloc` rounds the frame count
 * up to a power of two (as DragonOS does) and splits a larger free block; freeing merges a block with
 * its buddy while the buddy is a free block of the same order.
 *
 * ## Safety
 * Every operation runs under one `SpinLock` in the buffer. Misuse never corrupts the state silently:
 * `dealloc` and `addFreeMemory` check the range frame by frame first and return an error value,
 * changing nothing, when the caller broke a `GlobalFrameAllocator` rule.
 *
 * @see DragonOS `BuddyAllocator` (kernel/src/mm/allocator/buddy.rs); OSTD `GlobalFrameAllocator`
 */
export class BuddyAllocator implements GlobalFrameAllocator {
  readonly #v: BuddyViews;
  readonly #buffer: SharedArrayBuffer;
  readonly #lock: SpinLock;

  private constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    this.#v = viewsOf(buffer);
    this.#lock = new SpinLock(this.#v.words, W.lock);
  }

  /**
   * A new allocator that may manage the `nframes` frames from `basePaddr`; none is free until added
   * with `addFreeMemory`. Takes 9 bytes per frame.
   *
   * ## Panics
   * Throws `RangeError` on a misaligned base, a frame count past 2^31 − 1, or an order past 30:
   * these are the embedder's constants, and there is no allocator yet to report through.
   */
  static create(options: BuddyOptions): BuddyAllocator {
    const { basePaddr, nframes, maxOrder = DEFAULT_MAX_ORDER } = options;
    if (!isPageAligned(basePaddr) || !Number.isSafeInteger(basePaddr + nframes * PAGE_SIZE)) {
      throw new RangeError(`BuddyAllocator: bad basePaddr ${basePaddr}`);
    }
    if (!isIndex(nframes) || nframes > MAX_FRAMES) throw new RangeError(`BuddyAllocator: bad nframes ${nframes}`);
    if (!isIndex(maxOrder) || maxOrder > MAX_ORDER_LIMIT)
      throw new RangeError(`BuddyAllocator: bad maxOrder ${maxOrder}`);
    return new BuddyAllocator(createBuddyBuffer(basePaddr, nframes, maxOrder));
  }

  /** The allocator whose state is `shared`, as made by `create` in another thread. */
  static attach(shared: BuddySharedState): BuddyAllocator {
    return new BuddyAllocator(shared.buffer);
  }

  /** What to post to a worker so that it can `attach`. */
  get sharedState(): BuddySharedState {
    return { buffer: this.#buffer };
  }

  /** The first byte of the memory this allocator may manage. */
  get basePaddr(): Paddr {
    return this.#v.basePaddr;
  }

  /** How many frames this allocator may manage. */
  get nframes(): number {
    return this.#v.nframes;
  }

  /** The largest block order. */
  get maxOrder(): number {
    return this.#v.maxOrder;
  }

  /**
   * Allocates `layout.size` bytes as one block of 2^k frames, k the smallest with 2^k pages ≥ size,
   * at an address aligned to `max(2^k pages, layout.align)`.
   *
   * ## Postconditions
   * - **Correctness**: the block was wholly free and is now wholly allocated; `undefined` for size 0,
   *   a malformed layout, or when no free block is large enough.
   * - **Frame**: on `undefined` nothing changes.
   */
  alloc(layout: Layout): Paddr | undefined {
    const orders = ordersFor(layout, this.#v.maxOrder);
    if (orders === undefined) return undefined;
    const i = this.#lock.withLock(() => allocBlock(this.#v, orders.keep, orders.need));
    return i === undefined ? undefined : this.#v.basePaddr + i * PAGE_SIZE;
  }

  /**
   * Frees `size` bytes at `addr`: a power-of-two number of frames, all allocated. A range not aligned
   * to its size (a piece of a larger allocation) is freed as its maximal aligned blocks.
   *
   * ## Preconditions (checked, in this order)
   * - `Misaligned`: `addr` and `size` are multiples of `PAGE_SIZE`.
   * - `NotPowerOfTwo`: `size / PAGE_SIZE` is a power of two.
   * - `OutOfRange`: every frame was added to this allocator.
   * - `DoubleFree`: no frame is free.
   * ## Postconditions
   * - **Correctness**: on `ok` the frames are free and merged with their free buddies.
   * - **Frame**: on error nothing changes.
   */
  dealloc(addr: Paddr, size: number): FrameAllocResult {
    const span = this.#span(addr, size);
    if (typeof span === 'string') return err(span);
    if (!isPowerOfTwo(span.count)) return err('NotPowerOfTwo');
    return this.#lock.withLock(() => {
      const { any, all } = summarize(this.#v, span.i, span.i + span.count);
      if (!(all & ADDED)) return err('OutOfRange');
      if (any & FREE) return err('DoubleFree');
      forEachBlock(this.#v, span.i, span.count, (i, k) => freeBlock(this.#v, i, k));
      return OK;
    });
  }

  /**
   * Adds `size` bytes at `addr`, inside the managed frames and never added before, as free memory,
   * split into maximal aligned power-of-two blocks and merged with free neighbours.
   *
   * ## Preconditions (checked, in this order)
   * - `Misaligned`, `OutOfRange`: page-aligned and inside `basePaddr .. basePaddr + nframes pages`.
   * - `OverlapsFree`: no frame is free. `AlreadyAdded`: no frame was added before.
   * ## Postconditions
   * - **Frame**: on error nothing changes; a size of 0 changes nothing.
   */
  addFreeMemory(addr: Paddr, size: number): FrameAllocResult {
    const span = this.#span(addr, size);
    if (typeof span === 'string') return err(span);
    return this.#lock.withLock(() => {
      const { any } = summarize(this.#v, span.i, span.i + span.count);
      if (any & FREE) return err('OverlapsFree');
      if (any & ADDED) return err('AlreadyAdded');
      this.#v.words[W.added] = (this.#v.words[W.added] ?? 0) + span.count;
      forEachBlock(this.#v, span.i, span.count, (i, k) => freeBlock(this.#v, i, k));
      return OK;
    });
  }

  /** Frame counts: `total` added, `free` on the lists, `used` = `total − free`. */
  usage(): FrameUsage {
    return this.#lock.withLock(() => {
      const total = this.#v.words[W.added] ?? 0;
      const free = this.#v.words[W.free] ?? 0;
      return { total, used: total - free, free };
    });
  }

  /** Every free block, by address: the allocator's abstract free set, for views and tests. */
  freeBlocks(): FreeBlock[] {
    const blocks = this.#lock.withLock(() => listBlocks(this.#v));
    return blocks.sort((a, b) => a.addr - b.addr);
  }

  /** The violated representation invariants (see `auditBuddy`); empty when well formed. */
  audit(): string[] {
    return this.#lock.withLock(() => auditBuddy(this.#v));
  }

  #span(addr: Paddr, size: number): Readonly<{ i: number; count: number }> | 'Misaligned' | 'OutOfRange' {
    if (!isPageAligned(addr) || !isPageAligned(size)) return 'Misaligned';
    const i = (addr - this.#v.basePaddr) / PAGE_SIZE;
    const count = size / PAGE_SIZE;
    return i < 0 || i + count > this.#v.nframes ? 'OutOfRange' : { i, count };
  }
}

/** The block order to keep (frames rounded up to 2^keep) and the order to take (≥ the alignment). */
function ordersFor(layout: Layout, maxOrder: number): Readonly<{ keep: number; need: number }> | undefined {
  if (!isIndex(layout.size) || layout.size === 0 || !isPowerOfTwo(layout.align)) return undefined;
  const keep = ceilLog2(Math.ceil(layout.size / PAGE_SIZE));
  const need = Math.max(keep, ceilLog2(layout.align / PAGE_SIZE));
  return need <= maxOrder ? { keep, need } : undefined;
}

function listBlocks(v: BuddyViews): FreeBlock[] {
  const blocks: FreeBlock[] = [];
  for (let k = 0; k <= v.maxOrder; k++) {
    for (let i = headOf(v, k), n = 0; i !== NIL && n <= v.nframes; i = v.next[i] ?? NIL, n++) {
      blocks.push({ addr: v.basePaddr + i * PAGE_SIZE, order: freeOrderAt(v, i) ?? -1 });
    }
  }
  return blocks;
}
