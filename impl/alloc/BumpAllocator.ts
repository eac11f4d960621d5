import type { GlobalFrameAllocator } from './GlobalFrameAllocator.ts';
import { alignDown, alignUp, PAGE_SIZE, rangeLen } from './vocab.ts';
import type { Paddr, Range } from './vocab.ts';

/** A physical memory area of the boot memory map (`PhysMemoryArea`): `size` bytes from `base`. */
export type PhysMemoryArea = Readonly<{ base: Paddr; size: number }>;

/** Frame counts (`PageFrameUsage`): `total` in the areas, `used` below the bump offset, `free` the rest. */
export type BumpUsage = Readonly<{ total: number; used: number; free: number }>;

/**
 * DragonOS's boot-time frame allocator: it hands out frames upward through the usable areas, one
 * bump of an offset at a time, and never frees. When the buddy allocator is ready, `intoBuddy` gives
 * it every frame above the offset.
 *
 * Areas are shrunk to page boundaries (base up, end down), sorted, clipped so they do not overlap,
 * and empty ones skipped. Everything in an area below the offset counts as used, including the
 * tail of an area that was too small for a multi-frame request (DragonOS skips it the same way).
 *
 * @see DragonOS `BumpAllocator` (kernel/src/mm/allocator/bump.rs), `allocator_init`
 *   (kernel/src/arch/x86_64/mm/mod.rs)
 */
export class BumpAllocator {
  readonly #areas: readonly Range[];
  #offset: Paddr;
  #retired = false;

  /** An allocator over `areas` whose first free byte is at or above `offset` (the kernel's end). */
  constructor(areas: readonly PhysMemoryArea[], offset: Paddr = 0) {
    this.#areas = normalize(areas);
    this.#offset = offset;
  }

  /** The next address the allocator considers free (everything below it counts as used). */
  get offset(): Paddr {
    return this.#offset;
  }

  /** The usable areas, page-aligned, sorted, disjoint and non-empty. */
  get areas(): readonly Range[] {
    return this.#areas;
  }

  /**
   * Allocates `count` contiguous frames: the first page-aligned place at or above the offset, in the
   * first area with room, then bumps the offset past them.
   *
   * ## Postconditions
   * - **Correctness**: the frames lie in one area, above everything allocated before.
   * - **Frame**: on `undefined` (no room, `count` not a positive integer, or after `intoBuddy`)
   *   nothing changes.
   */
  alloc(count = 1): Paddr | undefined {
    if (this.#retired || !Number.isSafeInteger(count) || count < 1) return undefined;
    for (const area of this.#areas) {
      const start = Math.max(area.start, alignUp(this.#offset, PAGE_SIZE) ?? Infinity);
      if (start + count * PAGE_SIZE <= area.end) {
        this.#offset = start + count * PAGE_SIZE;
        return start;
      }
    }
    return undefined;
  }

  /** Frames in the areas, and how many lie below the offset. */
  usage(): BumpUsage {
    const total = this.#areas.reduce((n, a) => n + rangeLen(a) / PAGE_SIZE, 0);
    const free = this.leftover().reduce((n, r) => n + rangeLen(r) / PAGE_SIZE, 0);
    return { total, used: total - free, free };
  }

  /** The unallocated rest: the part of each area at or above the page-aligned offset. */
  leftover(): Range[] {
    const from = alignUp(this.#offset, PAGE_SIZE) ?? Infinity;
    return this.#areas.map((a) => ({ start: Math.max(a.start, from), end: a.end })).filter((r) => r.start < r.end);
  }

  /**
   * Hands the unallocated rest to `target` with `addFreeMemory`, one call per range, and retires
   * this allocator: every later `alloc` returns `undefined`, so no frame is owned twice.
   * Returns the ranges handed over.
   */
  intoBuddy(target: GlobalFrameAllocator): Range[] {
    const rest = this.#retired ? [] : this.leftover();
    this.#retired = true;
    for (const r of rest) target.addFreeMemory(r.start, rangeLen(r));
    return rest;
  }
}

function normalize(areas: readonly PhysMemoryArea[]): Range[] {
  const pages = areas
    .map((a) => ({ start: alignUp(a.base, PAGE_SIZE) ?? Infinity, end: alignDown(a.base + a.size, PAGE_SIZE) }))
    .sort((x, y) => x.start - y.start);
  const out: Range[] = [];
  let end = -Infinity;
  for (const p of pages) {
    const clipped = { start: Math.max(p.start, end), end: p.end };
    if (clipped.start < clipped.end) out.push(clipped);
    end = Math.max(end, p.end);
  }
  return out;
}
