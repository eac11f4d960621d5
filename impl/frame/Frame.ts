/**
 * Frame handles over the MetaSlot layer: `Frame` (a shared reference), `UniqueFrame` (the only
 * reference), as the operations of `ostd/src/mm/frame/{mod,unique}.rs` on slot pointers.
 *
 * The operations are plain functions of a `FrameLayer` (region + global allocator) on slot indices, so
 * the hot path allocates nothing; `Frame`/`UniqueFrame` objects wrap them for users.
 *
 * @see upstream `ostd/src/mm/frame/mod.rs` (`Frame::{from_unused, from_in_use, clone, drop}`),
 *      `ostd/src/mm/frame/unique.rs`; vostd (seed) `ostd/src/mm/frame/mod.rs`, `unique.rs`
 */
import type { FrameMeta } from '../meta/frameMeta.ts';
import type { GetFrameError, MetaRegion, SlotPtr } from '../meta/MetaSlot.ts';
import { PAGE_SIZE } from '../meta/pageSize.ts';

/** Where a last drop returns its frame: `GlobalFrameAllocator::dealloc`. */
export type Deallocator = Readonly<{ dealloc: (paddr: number, size: number) => unknown }>;

const NO_ALLOCATOR: Deallocator = Object.freeze({ dealloc: () => undefined });

/** The frame layer: a metadata region and the allocator frames return to. */
export class FrameLayer {
  readonly region: MetaRegion;
  allocator: Deallocator;

  constructor(region: MetaRegion, allocator: Deallocator = NO_ALLOCATOR) {
    // A CheckedMetaRegion checks MetaSlot calls only; under it the frame layer would crash on its first drop.
    if (typeof (region as Partial<MetaRegion>).refCountWord !== 'function')
      throw new TypeError(
        `FrameLayer: ${region?.constructor?.name ?? String(region)} is not a MetaRegion; ` +
          'a checked frame layer comes from createFrameLayer',
      );
    this.region = region;
    this.allocator = allocator;
  }

  /** `Frame::from_unused(paddr, metadata)`: a new shared frame with count 1. */
  fromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return this.region.getFromUnused(paddr, meta, false);
  }

  /** `Frame::from_in_use(paddr)`: another reference to a frame in use. */
  fromInUse(paddr: number): SlotPtr | GetFrameError {
    return this.region.getFromInUse(paddr);
  }

  /** `Frame::clone`: the caller holds a reference. */
  clone(slot: SlotPtr): void {
    this.region.incRefCount(slot);
  }

  /**
   * `Frame::drop`: `fetch_sub(1, Release)`; the last reference (old count 1) fences (Acquire), drops the
   * metadata, publishes `REF_COUNT_UNUSED` and returns the frame to the allocator. Returns whether this
   * was the last reference.
   */
  drop(slot: SlotPtr): boolean {
    const r = this.region;
    const last = r.mem.fetchSub(r.refCountWord(slot), 1n, r.orders.frameDropDecrement.order);
    if (last !== 1n) return false;
    r.mem.fence(r.orders.frameDropFence.order);
    r.dropLastInPlace(slot);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
    return true;
  }

  /** `Frame::reference_count`: a relaxed load. */
  referenceCount(slot: SlotPtr): bigint {
    return this.region.refCount(slot);
  }

  /** `UniqueFrame::from_unused(paddr, metadata)`: a new frame with count `REF_COUNT_UNIQUE`. */
  uniqueFromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return this.region.getFromUnused(paddr, meta, true);
  }

  /** `From<UniqueFrame> for Frame`: the count goes from `REF_COUNT_UNIQUE` to 1 (Release). */
  intoShared(slot: SlotPtr): void {
    this.region.mem.store(this.region.refCountWord(slot), 1n, this.region.orders.intoSharedStore.order);
  }

  /** `TryFrom<Frame> for UniqueFrame`: CAS 1 → `REF_COUNT_UNIQUE`; on failure the frame stays shared. */
  tryIntoUnique(slot: SlotPtr): boolean {
    const r = this.region;
    const { order, failure } = r.orders.tryIntoUniqueCas;
    return r.mem.compareExchange(r.refCountWord(slot), 1n, r.REF_COUNT_UNIQUE, order, failure) === 1n;
  }

  /** `UniqueFrame::drop`: count 0 (Relaxed), drop the metadata, publish UNUSED, deallocate. */
  dropUnique(slot: SlotPtr): void {
    const r = this.region;
    r.mem.store(r.refCountWord(slot), 0n, r.orders.uniqueDropStore.order);
    r.dropLastInPlace(slot);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
  }

  /** `UniqueFrame::reset_as_unused`: count 0 (Release), drop the metadata, publish UNUSED; no deallocation. */
  resetAsUnused(slot: SlotPtr): void {
    const r = this.region;
    r.mem.store(r.refCountWord(slot), 0n, r.orders.resetAsUnusedStore.order);
    r.dropLastInPlace(slot);
  }

  /** `Frame::meta`: the metadata, read through a shared handle (plain reads of the vtable and the storage). */
  meta(slot: SlotPtr): FrameMeta | undefined {
    return this.region.dynMeta(slot);
  }

  /** `UniqueFrame::meta_mut`: a write of the metadata's value through the unique handle (plain writes). */
  metaMut(slot: SlotPtr, meta: FrameMeta): void {
    this.region.writeMetaValue(slot, meta);
  }

  /** `UniqueFrame::repurpose`: drop the old metadata and write the new one; the count stays UNIQUE. */
  repurpose(slot: SlotPtr, meta: FrameMeta): void {
    this.region.dropMetaInPlace(slot);
    this.region.writeMeta(slot, meta);
  }
}
