import type { Layout, Paddr } from './vocab.ts';

/**
 * Why an allocator refused a `dealloc` or an `addFreeMemory`:
 * - `DoubleFree`: some of the range is already free.
 * - `NotPowerOfTwo`: a buddy allocator frees blocks of 2^k frames only (DragonOS asserts it).
 * - `Misaligned`: the address or the size is not a multiple of `PAGE_SIZE`.
 * - `OverlapsFree`: memory being added is already free.
 * - `AlreadyAdded`: memory being added was added before and is now allocated.
 * - `OutOfRange`: the range leaves the memory the allocator manages (for `dealloc`: memory never added).
 */
export type FrameAllocError =
  'DoubleFree' | 'NotPowerOfTwo' | 'Misaligned' | 'OverlapsFree' | 'AlreadyAdded' | 'OutOfRange';

/** The outcome of a checked `dealloc` or `addFreeMemory`: on error the allocator is unchanged. */
export type FrameAllocResult = Readonly<{ ok: true }> | Readonly<{ ok: false; error: FrameAllocError }>;

/**
 * The global frame allocator OSTD forwards every frame allocation to.
 *
 * The rules are prose in OSTD; the caller must keep them, and breaking one may only mess up the
 * allocator's own state, never memory safety:
 * - `alloc`: the caller guarantees `layout.size` is a multiple of `PAGE_SIZE`. Frames of one
 *   allocation are returned through `dealloc` when unused, possibly in any order and in any number of
 *   calls.
 * - `dealloc`: `addr` and `size` are multiples of `PAGE_SIZE`; the memory was handed out by `alloc`
 *   and must never overlap memory already deallocated or added without being allocated in between.
 *   It may be uninitialised.
 * - `addFreeMemory`: the memory must never overlap memory added before. It may be uninitialised.
 *
 * `dealloc` and `addFreeMemory` return nothing in Rust. An implementation here may return a
 * `FrameAllocResult`, so that the contract layer can blame a caller who broke a rule.
 *
 * @see OSTD `GlobalFrameAllocator` (ostd/src/mm/frame/allocator.rs)
 */
export interface GlobalFrameAllocator {
  /** Allocates a contiguous range of frames; `undefined` when there is no room. */
  alloc(layout: Layout): Paddr | undefined;
  /** Returns `size` bytes at `addr`, all from earlier `alloc`s, to the allocator. */
  dealloc(addr: Paddr, size: number): void;
  /** Gives `size` bytes at `addr`, never added before, to the allocator. */
  addFreeMemory(addr: Paddr, size: number): void;
}
