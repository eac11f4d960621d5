/**
 * The release build's `FrameLayerApi`: the real `FrameLayer`, `Segment`, `LinkedList` and
 * `FrameAllocOptions` over a buddy allocator, behind handles, with no contract code at all (this file
 * imports only `impl/`, so a release bundle carries no spec).
 */
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameAllocOptions, type FrameAllocError } from '../../impl/alloc/FrameAllocOptions.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { LinkedList, ListIdAllocator } from '../../impl/frame/LinkedList.ts';
import { Segment, type PaddrRange } from '../../impl/frame/Segment.ts';
import { unit, UnitMeta, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { MetaRegion, type GetFrameError, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type {
  Frame,
  FrameLayerApi,
  FrameLayerOptions,
  FrameList,
  SegmentRef,
  TryUnique,
  UniqueFrame,
} from './FrameLayerApi.ts';

/** A buddy allocator whose free memory is `range`. */
export function buddyOver(range: PaddrRange): BuddyAllocator {
  const nframes = (range.end - range.start) / PAGE_SIZE;
  const buddy = BuddyAllocator.create({ basePaddr: range.start, nframes });
  if (nframes > 0) buddy.addFreeMemory(range.start, nframes * PAGE_SIZE);
  return buddy;
}

/** No allocator: frames return nowhere, and every allocation is `NoMemory`. */
const NO_SOURCE = Object.freeze({ alloc: () => undefined, dealloc: () => undefined });

const unitMeta = (): FrameMeta => unit(UnitMeta);

/** The release frame layer. */
export class ReleaseFrameLayer implements FrameLayerApi {
  readonly checked = false;
  readonly violations: readonly never[] = Object.freeze([]);
  readonly layer: FrameLayer;
  private readonly options: FrameAllocOptions;
  private readonly segments = new Map<number, Segment>();
  private readonly ids = new ListIdAllocator();
  private nextId = 1;

  constructor(opts: FrameLayerOptions) {
    const buddy = opts.allocatable === undefined ? NO_SOURCE : buddyOver(opts.allocatable);
    const region = new MetaRegion({
      maxPaddr: opts.maxPaddr,
      ...(opts.refCountMax !== undefined && { refCountMax: opts.refCountMax }),
    });
    this.layer = new FrameLayer(region, buddy);
    this.options = new FrameAllocOptions(this.layer, buddy);
  }

  fromUnused(paddr: number, meta: FrameMeta): Frame | GetFrameError {
    return this.frameOr(this.layer.fromUnused(paddr, meta));
  }

  fromInUse(paddr: number): Frame | GetFrameError {
    return this.frameOr(this.layer.fromInUse(paddr));
  }

  clone(f: Frame): Frame {
    this.layer.clone(f.slot);
    return this.frame(f.slot);
  }

  drop(f: Frame): boolean {
    return this.layer.drop(f.slot);
  }

  referenceCount(f: Frame | UniqueFrame): bigint {
    return this.layer.referenceCount(f.slot);
  }

  paddrOf(f: Frame | UniqueFrame): number {
    return this.layer.region.framePaddr(f.slot);
  }

  uniqueFromUnused(paddr: number, meta: FrameMeta): UniqueFrame | GetFrameError {
    const out = this.layer.uniqueFromUnused(paddr, meta);
    return typeof out === 'number' ? this.unique(out) : out;
  }

  intoShared(u: UniqueFrame): Frame {
    this.layer.intoShared(u.slot);
    return this.frame(u.slot);
  }

  tryIntoUnique(f: Frame): TryUnique {
    return this.layer.tryIntoUnique(f.slot) ? { ok: true, unique: this.unique(f.slot) } : { ok: false, frame: f };
  }

  dropUnique(u: UniqueFrame): void {
    this.layer.dropUnique(u.slot);
  }

  segmentFromUnused(range: PaddrRange, metaFn: (paddr: number) => FrameMeta): SegmentRef | GetFrameError {
    const out = Segment.fromUnused(this.layer, range, metaFn);
    return typeof out === 'string' ? out : this.segment(out);
  }

  cloneSegment(s: SegmentRef): SegmentRef {
    return this.segment(this.live(s).clone());
  }

  splitSegment(s: SegmentRef, offset: number): [SegmentRef, SegmentRef] {
    const [a, b] = this.live(s).split(offset);
    this.segments.delete(s.id);
    return [this.segment(a), this.segment(b)];
  }

  segmentRange(s: SegmentRef): PaddrRange | undefined {
    const seg = this.segments.get(s.id);
    return seg === undefined ? undefined : { start: seg.startPaddr, end: seg.endPaddr };
  }

  dropSegment(s: SegmentRef): void {
    this.live(s).drop();
    this.segments.delete(s.id);
  }

  newList(): FrameList {
    const list = new LinkedList(this.layer, this.ids);
    const take = (slot: SlotPtr | null) => (slot === null ? null : this.unique(slot));
    return {
      size: () => list.size(),
      isEmpty: () => list.isEmpty(),
      pushFront: (u) => list.pushFront(u.slot),
      pushBack: (u) => list.pushBack(u.slot),
      popFront: () => take(list.popFront()),
      popBack: () => take(list.popBack()),
      contains: (paddr) => list.contains(paddr),
      drop: () => list.drop(),
    };
  }

  allocFrame(meta: FrameMeta = unitMeta()): Frame | FrameAllocError {
    const out = this.options.allocFrame(meta);
    return typeof out === 'number' ? this.frame(out) : out;
  }

  allocSegment(nframes: number, metaFn: (paddr: number) => FrameMeta = unitMeta): SegmentRef | FrameAllocError {
    const out = this.options.allocSegment(nframes, metaFn);
    return typeof out === 'string' ? out : this.segment(out);
  }

  private frameOr(out: SlotPtr | GetFrameError): Frame | GetFrameError {
    return typeof out === 'number' ? this.frame(out) : out;
  }

  private frame(slot: SlotPtr): Frame {
    return Object.freeze({ kind: 'frame', id: this.nextId++, slot });
  }

  private unique(slot: SlotPtr): UniqueFrame {
    return Object.freeze({ kind: 'unique', id: this.nextId++, slot });
  }

  private segment(seg: Segment): SegmentRef {
    const h: SegmentRef = Object.freeze({ kind: 'segment', id: this.nextId++ });
    this.segments.set(h.id, seg);
    return h;
  }

  /** The segment behind a live handle; a consumed one is a use after move, which upstream rejects at compile time. */
  private live(s: SegmentRef): Segment {
    const seg = this.segments.get(s.id);
    if (seg === undefined) throw new TypeError(`segment #${s.id} was consumed`);
    return seg;
  }
}
