/**
 * The frame layer as a library user gets it from `createFrameLayer`: `Frame`, `UniqueFrame`, `Segment`,
 * frame lists and `FrameAllocOptions` over one metadata region and a buddy allocator. The checked build
 * (`framecheck/checked`, the `development` condition, `FRAMECHECK_CONTRACTS=1`) and the release build
 * return the same interface; only the checked one checks every call against its spec.
 *
 * Handles are values with identity: a consumed handle (dropped, converted, pushed into a list) must not
 * be used again. The checked build reports that as a linearity violation of the caller.
 */
import type { FrameAllocError } from '../../impl/alloc/FrameAllocOptions.ts';
import type { PaddrRange } from '../../impl/frame/Segment.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { GetFrameError, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { Violation } from './report.ts';
import type { ContractLevel } from './level.ts';

/** A `Frame` handle: one reference to the frame in slot `slot`. */
export type Frame = Readonly<{ kind: 'frame'; id: number; slot: SlotPtr }>;
/** A `UniqueFrame` handle: the only reference to the frame in slot `slot`. */
export type UniqueFrame = Readonly<{ kind: 'unique'; id: number; slot: SlotPtr }>;
/** A `Segment` handle: one reference to each frame of a contiguous range. */
export type SegmentRef = Readonly<{ kind: 'segment'; id: number }>;
/** The result of `try_into_unique`: the unique frame, or the shared frame handed back. */
export type TryUnique = Readonly<{ ok: true; unique: UniqueFrame }> | Readonly<{ ok: false; frame: Frame }>;

/** How to build a frame layer. */
export type FrameLayerOptions = Readonly<{
  /** The bound on physical addresses (exclusive, a multiple of 4096): the region has one slot per frame below it. */
  maxPaddr: number;
  /** The reference-count bound (`REF_COUNT_MAX`); default the upstream one. */
  refCountMax?: bigint;
  /**
   * The frames a buddy allocator hands out (end exclusive), and where every last drop returns its frame
   * (`GlobalFrameAllocator::dealloc`: only allocated frames may go back). Default: no allocator, so
   * `alloc*` returns `NoMemory` and frames claimed by address return nowhere.
   */
  allocatable?: PaddrRange;
  /** Checked build only: `enforce` throws the first violation (default), `collect` records them all. */
  mode?: 'enforce' | 'collect';
  /** Checked build only: how much each call checks (`full`, default; `cheap`; `sample:N`). */
  level?: ContractLevel;
}>;

/** A frame list (`LinkedList<M>`): unique frames with link metadata (`link(meta)`), moved in and out. */
export interface FrameList {
  /** `LinkedList::size`. */
  size(): number;
  /** `LinkedList::is_empty`. */
  isEmpty(): boolean;
  /** `LinkedList::push_front`: the unique frame moves into the list (its handle is consumed). */
  pushFront(u: UniqueFrame): void;
  /** `LinkedList::push_back`. */
  pushBack(u: UniqueFrame): void;
  /** `LinkedList::pop_front`: the first frame, as a new unique handle. */
  popFront(): UniqueFrame | null;
  /** `LinkedList::pop_back`. */
  popBack(): UniqueFrame | null;
  /** `LinkedList::contains`: whether the frame at `paddr` is in this list. */
  contains(paddr: number): boolean;
  /** `LinkedList::drop`: every frame still in the list is dropped. */
  drop(): void;
}

/** The frame layer: the same interface in the checked and the release build. */
export interface FrameLayerApi {
  /** Whether every call is checked against its spec (the checked build). */
  readonly checked: boolean;
  /** The violations recorded so far (`mode: 'collect'` of the checked build; always empty in release). */
  readonly violations: readonly Violation[];
  /** `Frame::from_unused(paddr, metadata)`: a new frame with count 1, or the error. */
  fromUnused(paddr: number, meta: FrameMeta): Frame | GetFrameError;
  /** `Frame::from_in_use(paddr)`: another reference to a frame in use, or the error. */
  fromInUse(paddr: number): Frame | GetFrameError;
  /** `Frame::clone`. */
  clone(f: Frame): Frame;
  /** `Frame::drop`: whether this was the last reference (the frame then returns to the allocator). */
  drop(f: Frame): boolean;
  /** `Frame::reference_count` (a relaxed load). */
  referenceCount(f: Frame | UniqueFrame): bigint;
  /** `Frame::start_paddr`. */
  paddrOf(f: Frame | UniqueFrame): number;
  /** `UniqueFrame::from_unused(paddr, metadata)`. */
  uniqueFromUnused(paddr: number, meta: FrameMeta): UniqueFrame | GetFrameError;
  /** `From<UniqueFrame> for Frame`. */
  intoShared(u: UniqueFrame): Frame;
  /** `TryFrom<Frame> for UniqueFrame`: the frame comes back when other references exist. */
  tryIntoUnique(f: Frame): TryUnique;
  /** `UniqueFrame::drop`. */
  dropUnique(u: UniqueFrame): void;
  /** `Segment::from_unused(range, metadata_fn)`: every frame of `range` claimed, or the error (nothing claimed). */
  segmentFromUnused(range: PaddrRange, metaFn: (paddr: number) => FrameMeta): SegmentRef | GetFrameError;
  /** `Segment::clone`. */
  cloneSegment(s: SegmentRef): SegmentRef;
  /** `Segment::split(offset)`: the handle is consumed; two segments cover its range. */
  splitSegment(s: SegmentRef, offset: number): [SegmentRef, SegmentRef];
  /** The range of a live segment, or `undefined` once it was consumed. */
  segmentRange(s: SegmentRef): PaddrRange | undefined;
  /** `Segment::drop`: one reference to each frame dropped. */
  dropSegment(s: SegmentRef): void;
  /** `LinkedList::new()`. */
  newList(): FrameList;
  /** `FrameAllocOptions::alloc_frame_with(meta)` (default unit metadata): allocates and claims one frame. */
  allocFrame(meta?: FrameMeta): Frame | FrameAllocError;
  /** `FrameAllocOptions::alloc_segment_with(nframes, metaFn)` (default unit metadata). */
  allocSegment(nframes: number, metaFn?: (paddr: number) => FrameMeta): SegmentRef | FrameAllocError;
}
