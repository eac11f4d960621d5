/**
 * The metadata region: one 64-byte `MetaSlot` per frame, with the reference-count protocol of
 * `ostd/src/mm/frame/meta.rs`, on real u64 atomics.
 *
 * A slot pointer (`SlotPtr`) is the slot's index; its virtual address is
 * `FRAME_METADATA_RANGE.start + index * 64`. Operation failures are values (`GetFrameError` strings);
 * an overflow of the count aborts the kernel (`KernelAbort`).
 *
 * Every atomic and plain access goes through `this.mem`, so a checker can observe or interleave them.
 *
 * @see upstream `ostd/src/mm/frame/meta.rs`; vostd `ostd/src/mm/frame/meta.rs` (the seed)
 */
import { abort } from './abort.ts';
import { frameMetaByVtable, type FrameMeta, type FrameMetaType } from './frameMeta.ts';
import { CURRENT_LAYOUT, LEGACY_LAYOUT, regionShape, type SlotLayout } from './layout.ts';
import { AtomicsMemory, AtomicsMemory32, type Memory } from './memory.ts';
import { UPSTREAM_ORDERINGS, type Orderings } from './orderings.ts';
import { PAGE_SIZE } from './pageSize.ts';
import { PhysMemory, vmReader, type VmReader } from './physMemory.ts';

/** The index of a slot: `PPtr<MetaSlot>` in index form. */
export type SlotPtr = number;

/**
 * A metadata address as the implementation holds it: its byte offset into `FRAME_METADATA_RANGE`
 * (the address less the range's start; a slot's is `index * META_SLOT_SIZE`).
 */
export type MetaOffset = number;

/** `size_of::<MetaSlot>()`. */
export const META_SLOT_SIZE = 64;

/** `GetFrameError` as returned by the implementation. */
export type GetFrameError = 'InUse' | 'Unused' | 'Busy' | 'Unique' | 'OutOfBound' | 'NotAligned' | 'Retry';

/** The errors `get_slot` returns. */
export type SlotError = 'NotAligned' | 'OutOfBound';

const U64_MAX = (1n << 64n) - 1n;

export type MetaRegionOptions = Readonly<{
  /** `MAX_PADDR`: one past the last physical address with a slot. */
  maxPaddr: number;
  /** Lowers `REF_COUNT_MAX` (a checker makes the overflow path reachable with it). */
  refCountMax?: bigint;
  /** Wraps the production memory, e.g. with an interceptor. */
  wrapMemory?: (base: Memory) => Memory;
  /** The memory to use instead of a fresh one (a worker attaching to shared buffers). */
  memory?: Memory;
  phys?: PhysMemory;
  /** The ordering of each atomic access site (upstream's by default; the ordering audit weakens one). */
  orderings?: Orderings;
}>;

/** The MetaSlot layer of the current protocol. */
export class MetaRegion {
  readonly mem: Memory;
  readonly layout: SlotLayout;
  readonly maxPaddr: number;
  readonly nslots: number;
  readonly phys: PhysMemory;
  readonly REF_COUNT_UNUSED: bigint;
  readonly REF_COUNT_UNIQUE: bigint;
  readonly REF_COUNT_MAX: bigint;
  readonly orders: Orderings;

  constructor(opts: MetaRegionOptions, layout: SlotLayout = CURRENT_LAYOUT) {
    this.layout = layout;
    this.maxPaddr = opts.maxPaddr;
    this.nslots = Math.ceil(opts.maxPaddr / PAGE_SIZE);
    const shape = regionShape(layout, this.nslots);
    const base = opts.memory ?? (layout.width === 64 ? new AtomicsMemory(shape) : new AtomicsMemory32(shape));
    this.mem = opts.wrapMemory ? opts.wrapMemory(base) : base;
    this.phys = opts.phys ?? new PhysMemory();
    this.orders = opts.orderings ?? UPSTREAM_ORDERINGS;
    this.REF_COUNT_UNUSED = layout.refCountUnused;
    this.REF_COUNT_UNIQUE = layout.refCountUnused - 1n;
    this.REF_COUNT_MAX = opts.refCountMax ?? (layout.width === 64 ? (1n << 63n) - 1n : (1n << 31n) - 1n);
  }

  /** The word index of slot `slot`'s `ref_count`. */
  refCountWord(slot: SlotPtr): number {
    return slot * this.layout.wordsPerSlot + this.layout.refCount;
  }

  /**
   * `get_slot`: the slot of the frame at `paddr`. `NotAligned` is checked before `OutOfBound`.
   * A value that is not a non-negative integer is never turned into a slot.
   */
  getSlot(paddr: number): SlotPtr | SlotError {
    if (paddr % PAGE_SIZE !== 0 || !Number.isInteger(paddr)) return 'NotAligned';
    if (paddr >= this.maxPaddr || !(paddr >= 0)) return 'OutOfBound';
    return this.slotAt(this.frameToMeta(paddr));
  }

  /**
   * `mapping::frame_to_meta(paddr)`: the address of the frame's metadata slot, as a byte offset into
   * `FRAME_METADATA_RANGE` (`base + (paddr / PAGE_SIZE) * META_SLOT_SIZE` less `base`; integer division).
   */
  frameToMeta(paddr: number): MetaOffset {
    return Math.floor(paddr / PAGE_SIZE) * META_SLOT_SIZE;
  }

  /** `mapping::meta_to_frame(vaddr)`: the frame whose metadata slot is at byte offset `vaddr` of the range. */
  metaToFrame(vaddr: MetaOffset): number {
    return Math.floor(vaddr / META_SLOT_SIZE) * PAGE_SIZE;
  }

  /** `MetaSlot::addr_of(&self)`: the slot's own address (`&self as *const _ as Vaddr`), as a byte offset of the range. */
  addrOf(slot: SlotPtr): MetaOffset {
    return slot * META_SLOT_SIZE;
  }

  /** The slot a metadata address names (`PPtr::from_addr`): the slot containing byte offset `vaddr`. */
  slotAt(vaddr: MetaOffset): SlotPtr {
    return Math.floor(vaddr / META_SLOT_SIZE);
  }

  /**
   * `MetaSlot::get_from_unused`: claims an unused slot (CAS `UNUSED → 0`), writes `meta`, then
   * publishes the count 1, or `REF_COUNT_UNIQUE` when `asUnique`.
   */
  getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = this.getSlot(paddr);
    if (typeof slot !== 'number') return slot;
    const word = this.refCountWord(slot);
    const { claimCas, claimStoreUnique, claimStoreShared } = this.orders;
    const observed = this.mem.compareExchange(word, this.REF_COUNT_UNUSED, 0n, claimCas.order, claimCas.failure);
    if (observed !== this.REF_COUNT_UNUSED) return this.claimError(observed);
    this.writeMeta(slot, meta);
    if (asUnique) this.mem.store(word, this.REF_COUNT_UNIQUE, claimStoreUnique.order);
    else this.mem.store(word, 1n, claimStoreShared.order);
    return slot;
  }

  /** The error a failed claim reports for the count it observed. */
  protected claimError(observed: bigint): GetFrameError {
    if (observed === this.REF_COUNT_UNIQUE) return 'Unique';
    if (observed === 0n) return 'Busy';
    return 'InUse';
  }

  /**
   * The loop body of `MetaSlot::get_from_in_use` (seed era `get_from_in_use_loop`): one load and, for a
   * shared count below `REF_COUNT_MAX`, one weak CAS `rc → rc + 1`; `Retry` when the CAS fails.
   */
  getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const word = this.refCountWord(slot);
    const { acquireLoad, acquireCas } = this.orders;
    const rc = this.mem.load(word, acquireLoad.order);
    if (rc === this.REF_COUNT_UNUSED) return 'Unused';
    if (rc === this.REF_COUNT_UNIQUE) return 'Unique';
    if (rc === 0n) return 'Busy';
    if (rc >= this.REF_COUNT_MAX) abort('ref_count_overflow', `get_from_in_use observed ${rc} >= REF_COUNT_MAX`);
    if (this.mem.compareExchangeWeak(word, rc, rc + 1n, acquireCas.order, acquireCas.failure) === rc) return slot;
    return 'Retry';
  }

  /** `MetaSlot::get_from_in_use`: another reference to an in-use slot, spinning on `Retry`. */
  getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const slot = this.getSlot(paddr);
    if (typeof slot !== 'number') return slot;
    for (;;) {
      const r = this.getFromInUseLoop(slot);
      if (r !== 'Retry') return r;
    }
  }

  /** `MetaSlot::inc_ref_count`: the caller already holds a reference; aborts when the old count is at least `REF_COUNT_MAX`. */
  incRefCount(slot: SlotPtr): void {
    const last = this.mem.fetchAdd(this.refCountWord(slot), 1n, this.orders.incRefCount.order);
    if (last >= this.REF_COUNT_MAX) abort('ref_count_overflow', `inc_ref_count observed ${last} >= REF_COUNT_MAX`);
  }

  /** `MetaSlot::frame_paddr`: the physical address of the slot's frame. */
  framePaddr(slot: SlotPtr): number {
    return this.metaToFrame(this.addrOf(slot));
  }

  /** `MetaSlot::as_meta_ptr`: a typed pointer to the slot's metadata (`slot`, and the slot's address offset). */
  asMetaPtr<M>(slot: SlotPtr, type: FrameMetaType<M>): MetaPtr<M> {
    return Object.freeze({ slot, type });
  }

  /** Reads the metadata stored in `slot` through a typed pointer (`*ptr`); `undefined` when the type differs. */
  readMeta<M>(ptr: MetaPtr<M>): M | undefined {
    const vtable = this.mem.readPlain(ptr.slot * this.layout.wordsPerSlot + this.layout.vtable);
    if (vtable !== ptr.type.vtable) return undefined;
    return ptr.type.decode(this.storageView(ptr.slot));
  }

  /** The metadata in `slot` decoded by the type its `vtable_ptr` names, or `undefined` when uninitialized. */
  dynMeta(slot: SlotPtr): FrameMeta | undefined {
    const type = frameMetaByVtable(this.mem.readPlain(slot * this.layout.wordsPerSlot + this.layout.vtable));
    if (type === undefined) return undefined;
    return Object.freeze({ type, value: type.decode(this.storageView(slot)) });
  }

  /** `MetaSlot::write_meta`: writes the vtable and the storage without reading or dropping the old value. */
  writeMeta(slot: SlotPtr, meta: FrameMeta): void {
    const base = slot * this.layout.wordsPerSlot;
    this.mem.writePlain(base + this.layout.vtable, meta.type.vtable);
    const bytes = new DataView(new ArrayBuffer(this.layout.storageBytes));
    meta.type.encode(meta.value, bytes);
    this.writeStorage(slot, bytes);
  }

  /**
   * Writes `meta`'s value into the storage of `slot`, whose metadata is of `meta`'s type: what a write
   * through `&mut M` does (`UniqueFrame::meta_mut`); the vtable is not touched.
   */
  writeMetaValue(slot: SlotPtr, meta: FrameMeta): void {
    const bytes = new DataView(new ArrayBuffer(this.layout.storageBytes));
    meta.type.encode(meta.value, bytes);
    this.writeStorage(slot, bytes);
  }

  /** `MetaSlot::drop_last_in_place`: drops the metadata, then publishes `REF_COUNT_UNUSED` (Release). */
  dropLastInPlace(slot: SlotPtr): void {
    this.dropMetaInPlace(slot);
    this.mem.store(this.refCountWord(slot), this.REF_COUNT_UNUSED, this.orders.dropLastStore.order);
  }

  /**
   * `MetaSlot::drop_meta_in_place`: runs the type's `on_drop` with a reader over the frame, then leaves
   * the storage and the vtable uninitialized (the vtable word is cleared).
   */
  dropMetaInPlace(slot: SlotPtr): void {
    const meta = this.dynMeta(slot);
    if (meta !== undefined) this.onDrop(slot, meta, vmReader(this.phys, this.framePaddr(slot), PAGE_SIZE));
    this.mem.writePlain(slot * this.layout.wordsPerSlot + this.layout.vtable, 0n);
  }

  /**
   * `(*meta_ptr).on_drop(&mut reader)`: the metadata type's `AnyFrameMeta::on_drop` (the trait's default,
   * which does nothing, when the type defines none) with the reader over the frame `slot` describes.
   */
  onDrop(_slot: SlotPtr, meta: FrameMeta, reader: VmReader): void {
    meta.type.onDrop?.(meta.value, reader);
  }

  /** `in_list` of `slot` (0 when the layout has none). */
  inList(slot: SlotPtr): bigint {
    if (this.layout.inList < 0) return 0n;
    return this.mem.load(slot * this.layout.wordsPerSlot + this.layout.inList, this.orders.inListLoad.order);
  }

  /** Stores `in_list` of `slot` (linked lists only). */
  setInList(slot: SlotPtr, id: bigint): void {
    this.mem.store(slot * this.layout.wordsPerSlot + this.layout.inList, id, this.orders.inListStore.order);
  }

  /** The raw reference count (a relaxed load, for observation and audits). */
  refCount(slot: SlotPtr): bigint {
    return this.mem.load(this.refCountWord(slot), this.orders.referenceCountLoad.order);
  }

  private storageView(slot: SlotPtr): DataView {
    const words = this.layout.storageBytes / (this.layout.width / 8);
    const buf = new DataView(new ArrayBuffer(this.layout.storageBytes));
    const base = slot * this.layout.wordsPerSlot;
    for (let w = 0; w < words; w++) {
      const v = this.mem.readPlain(base + w);
      if (this.layout.width === 64) buf.setBigUint64(w * 8, v & U64_MAX, true);
      else buf.setUint32(w * 4, Number(v), true);
    }
    return buf;
  }

  private writeStorage(slot: SlotPtr, bytes: DataView): void {
    const words = this.layout.storageBytes / (this.layout.width / 8);
    const base = slot * this.layout.wordsPerSlot;
    for (let w = 0; w < words; w++) {
      const v = this.layout.width === 64 ? bytes.getBigUint64(w * 8, true) : BigInt(bytes.getUint32(w * 4, true));
      this.mem.writePlain(base + w, v);
    }
  }
}

/** `ReprPtr<MetaSlot, Metadata<M>>`: a typed pointer to a slot's metadata. */
export type MetaPtr<M> = Readonly<{ slot: SlotPtr; type: FrameMetaType<M> }>;

/**
 * The legacy protocol of the older `meta.rs`: u32 counts, no unique state, no `in_list`, and the
 * frame deallocated inside `drop_last_in_place`, after `REF_COUNT_UNUSED` is published.
 */
export class LegacyMetaRegion extends MetaRegion {
  /** Where a last drop returns the frame (the old `PAGE_ALLOCATOR`). */
  dealloc: (paddr: number) => void = () => {};

  constructor(opts: MetaRegionOptions) {
    super(opts, LEGACY_LAYOUT);
  }

  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    if (asUnique) throw new RangeError('the legacy protocol has no unique frames');
    return super.getFromUnused(paddr, meta, false);
  }

  protected override claimError(observed: bigint): GetFrameError {
    return observed === 0n ? 'Busy' : 'InUse';
  }

  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const word = this.refCountWord(slot);
    const { acquireLoad, acquireCas } = this.orders;
    const rc = this.mem.load(word, acquireLoad.order);
    if (rc === this.REF_COUNT_UNUSED) return 'Unused';
    if (rc === 0n) return 'Busy';
    if (rc >= this.REF_COUNT_MAX) abort('ref_count_overflow', `get_from_in_use observed ${rc} >= REF_COUNT_MAX`);
    if (this.mem.compareExchangeWeak(word, rc, rc + 1n, acquireCas.order, acquireCas.failure) === rc) return slot;
    return 'Retry';
  }

  override dropLastInPlace(slot: SlotPtr): void {
    super.dropLastInPlace(slot);
    this.dealloc(this.framePaddr(slot));
  }
}
