/**
 * The checked build's `FrameLayerApi`: `CheckedFrameAllocOptions` (a checked frame layer, checked
 * segments, a checked buddy allocator) behind the interface the release build also implements, so
 * that swapping builds changes what is checked, never what compiles.
 */
import type { FrameAllocError } from '../../impl/alloc/FrameAllocOptions.ts';
import type { PaddrRange } from '../../impl/frame/Segment.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { GetFrameError } from '../../impl/meta/MetaSlot.ts';
import type { UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedFrameAllocOptions } from './CheckedFrameAllocOptions.ts';
import { CheckedSegment } from './CheckedSegment.ts';
import type {
  Frame,
  FrameLayerApi,
  FrameLayerOptions,
  FrameList,
  SegmentRef,
  TryUnique,
  UniqueFrame,
} from './FrameLayerApi.ts';
import type { Violation } from './report.ts';
import { buddyOver } from './ReleaseFrameLayer.ts';

/** The checked frame layer behind the user-facing interface. */
export class CheckedFrameApi implements FrameLayerApi {
  readonly checked = true;
  /** The checked allocation options, when the layer has an allocator (`allocatable`). */
  readonly alloc: CheckedFrameAllocOptions | undefined;
  readonly frames: CheckedFrameLayer;
  readonly segments: CheckedSegment;

  constructor(opts: FrameLayerOptions) {
    const init = {
      maxPaddr: opts.maxPaddr,
      ...(opts.refCountMax !== undefined && { refCountMax: opts.refCountMax }),
      ...(opts.mode !== undefined && { mode: opts.mode }),
      ...(opts.level !== undefined && { level: opts.level }),
    };
    if (opts.allocatable === undefined) {
      this.alloc = undefined;
      this.frames = new CheckedFrameLayer(init);
      this.segments = new CheckedSegment(this.frames);
    } else {
      this.alloc = CheckedFrameAllocOptions.create(buddyOver(opts.allocatable), init);
      this.frames = this.alloc.frames;
      this.segments = this.alloc.segments;
    }
  }

  get violations(): readonly Violation[] {
    return this.frames.violations;
  }

  fromUnused(paddr: number, meta: FrameMeta): Frame | GetFrameError {
    return this.frames.fromUnused(paddr, meta);
  }

  fromInUse(paddr: number): Frame | GetFrameError {
    return this.frames.fromInUse(paddr);
  }

  clone(f: Frame): Frame {
    return this.frames.clone(f);
  }

  drop(f: Frame): boolean {
    return this.frames.drop(f);
  }

  referenceCount(f: Frame | UniqueFrame): bigint {
    return this.frames.impl.refCount(f.slot);
  }

  paddrOf(f: Frame | UniqueFrame): number {
    return this.frames.impl.framePaddr(f.slot);
  }

  uniqueFromUnused(paddr: number, meta: FrameMeta): UniqueFrame | GetFrameError {
    return this.frames.uniqueFromUnused(paddr, meta);
  }

  intoShared(u: UniqueFrame): Frame {
    return this.frames.intoShared(tracked(u));
  }

  tryIntoUnique(f: Frame): TryUnique {
    return this.frames.tryIntoUnique(f);
  }

  dropUnique(u: UniqueFrame): void {
    this.frames.dropUnique(tracked(u));
  }

  segmentFromUnused(range: PaddrRange, metaFn: (paddr: number) => FrameMeta): SegmentRef | GetFrameError {
    return this.segments.fromUnused(range, metaFn);
  }

  cloneSegment(s: SegmentRef): SegmentRef {
    return this.segments.clone(s);
  }

  splitSegment(s: SegmentRef, offset: number): [SegmentRef, SegmentRef] {
    return this.segments.split(s, offset);
  }

  segmentRange(s: SegmentRef): PaddrRange | undefined {
    return this.segments.rangeOf(s);
  }

  dropSegment(s: SegmentRef): void {
    this.segments.drop(s);
  }

  newList(): FrameList {
    const list = this.frames.newList();
    return {
      size: () => list.size(),
      isEmpty: () => list.isEmpty(),
      pushFront: (u) => list.pushFront(tracked(u)),
      pushBack: (u) => list.pushBack(tracked(u)),
      popFront: () => list.popFront(),
      popBack: () => list.popBack(),
      contains: (paddr) => list.contains(paddr),
      drop: () => list.drop(),
    };
  }

  allocFrame(meta?: FrameMeta): Frame | FrameAllocError {
    if (this.alloc === undefined) return 'NoMemory';
    return meta === undefined ? this.alloc.allocFrame() : this.alloc.allocFrameWith(meta);
  }

  allocSegment(nframes: number, metaFn?: (paddr: number) => FrameMeta): SegmentRef | FrameAllocError {
    if (this.alloc === undefined) return Number.isSafeInteger(nframes) && nframes > 0 ? 'NoMemory' : 'InvalidArgs';
    return metaFn === undefined ? this.alloc.allocSegment(nframes) : this.alloc.allocSegmentWith(nframes, metaFn);
  }
}

/**
 * The tracked handle behind a `UniqueFrame` this layer handed out (it carries its `UniqueFrameOwner`).
 * A handle built by hand has none: that is a caller error, refused before anything runs.
 */
function tracked(u: UniqueFrame): UniqueHandle {
  if (!('owner' in u)) throw new TypeError(`unique#${u.id} was not handed out by this frame layer`);
  return u as UniqueHandle;
}
