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
import { abort } from '../meta/abort.ts';
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

  /** The count as a relaxed load (`Frame::reference_count` without its debug assertion; any handle). */
  referenceCount(slot: SlotPtr): bigint {
    return this.region.refCount(slot);
  }

  /**
   * `Frame::reference_count`: a relaxed load, and upstream's `debug_assert!(refcnt < REF_COUNT_MAX)`
   * (a debug build aborts on a count of `REF_COUNT_MAX`, which an increment from `REF_COUNT_MAX - 1` reaches).
   */
  frameReferenceCount(slot: SlotPtr): bigint {
    const refcnt = this.region.refCount(slot);
    if (refcnt >= this.region.REF_COUNT_MAX)
      abort('assertion_failed', `Frame::reference_count: debug_assert!(${refcnt} < REF_COUNT_MAX)`);
    return refcnt;
  }

  /**
   * `inc_frame_ref_count(paddr)`: one more reference to the frame at `paddr`, whose caller already holds
   * one (`debug_assert!`s the address is a page-aligned frame below `max_paddr`, then `inc_ref_count` on
   * the slot `frame_to_meta(paddr)` names).
   */
  incFrameRefCount(paddr: number): void {
    if (paddr % PAGE_SIZE !== 0) abort('assertion_failed', `inc_frame_ref_count: ${paddr} is not page aligned`);
    if (paddr >= this.region.maxPaddr) abort('assertion_failed', `inc_frame_ref_count: ${paddr} >= max_paddr()`);
    this.region.incRefCount(this.frameToMeta(paddr));
  }

  /** `mapping::frame_to_meta(paddr)` in slot form: the slot of the frame at `paddr`. */
  frameToMeta(paddr: number): SlotPtr {
    return paddr / PAGE_SIZE;
  }

  /** `Frame::into_raw`: forgets the handle (`ManuallyDrop`), the count unchanged; returns the frame's address. */
  intoRaw(slot: SlotPtr): number {
    return this.region.framePaddr(slot);
  }

  /** `Frame::from_raw(paddr)`: the handle `into_raw` forgot, restored; no count changes. */
  fromRaw(paddr: number): SlotPtr {
    return this.frameToMeta(paddr);
  }

  /** `Frame::borrow`: a `FrameRef` over the frame (`FrameRef::borrow_paddr`, a `ManuallyDrop<Frame>`); no count changes. */
  borrow(slot: SlotPtr): FrameRef {
    return new FrameRef(this, this.fromRaw(this.region.framePaddr(slot)));
  }

  /** `UniqueFrame::into_raw`: forgets the unique handle; the count stays `REF_COUNT_UNIQUE`. */
  uniqueIntoRaw(slot: SlotPtr): number {
    return this.region.framePaddr(slot);
  }

  /** `UniqueFrame::from_raw(paddr)`: the unique handle `into_raw` forgot, restored. */
  uniqueFromRaw(paddr: number): SlotPtr {
    return this.frameToMeta(paddr);
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

  /** `Frame::reader().read_val::<u64>()`: the frame's first word, read through a shared handle. */
  readContents(slot: SlotPtr): bigint {
    const bytes = this.region.phys.read(this.region.framePaddr(slot), 8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  }

  /** `UniqueFrame::writer().write_val(&v)`: the frame's first word, written through the unique handle. */
  writeContents(slot: SlotPtr, value: bigint): void {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, value, true);
    this.region.phys.write(this.region.framePaddr(slot), bytes);
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

/**
 * `FrameRef<'a, M>`: a `Frame` borrowed from another (`ManuallyDrop<Frame<M>>` with the lender's
 * lifetime): it reads like the `Frame` and its drop leaves the count alone. It must not outlive the
 * `Frame` it was borrowed from; `release` ends the borrow, and a use after it throws (the borrow checker's
 * error in Rust).
 */
export class FrameRef {
  readonly layer: FrameLayer;
  readonly #slot: SlotPtr;
  #ended = false;

  constructor(layer: FrameLayer, slot: SlotPtr) {
    this.layer = layer;
    this.#slot = slot;
  }

  /** `Deref for FrameRef`: the borrowed `Frame`'s slot. */
  get slot(): SlotPtr {
    if (this.#ended) throw new Error('FrameRef used after the borrow ended');
    return this.#slot;
  }

  /** `Frame::reference_count` through the borrow. */
  referenceCount(): bigint {
    return this.layer.frameReferenceCount(this.slot);
  }

  /** The end of the borrow: the `ManuallyDrop` is not dropped, so no count changes. */
  release(): void {
    this.#ended = true;
  }
}
