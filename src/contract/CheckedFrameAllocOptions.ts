/**
 * Contract-checked `FrameAllocOptions`: `alloc_frame(_with)` and `alloc_segment(_with)` of the real
 * options (`impl/alloc/FrameAllocOptions.ts`) checked against `spec/alloc/FrameAllocOptions.ts` over
 * the ghost region and the allocator ghost together, with the same report format as every other
 * checked call.
 *
 * The parts share one `ContractChecker`: the options allocate from a `CheckedAllocator` (so each
 * `alloc` inside is checked too), and the frame layer returns dropped frames to it (each `dealloc` is
 * checked, and the accounting invariant sees the allocator's free set: a free frame must be unused).
 * Whether allocated frames read as zeros is observed in the region's physical memory after the call.
 */
import type { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameAllocOptions, type FrameAllocError, type FrameSource } from '../../impl/alloc/FrameAllocOptions.ts';
import type { Deallocator, FrameLayer } from '../../impl/frame/Frame.ts';
import type { Segment } from '../../impl/frame/Segment.ts';
import { unit, UnitMeta, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import {
  allocFrameWith,
  allocSegmentWith,
  allocWorldEq,
  type AllocatedFrame,
  type AllocatedSegment,
  type AllocRes,
  type AllocWorld,
} from '../../spec/alloc/FrameAllocOptions.ts';
import { segIndices } from '../../spec/frame/SegmentOwner.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import { withLedger, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import type { MetaSlotStorage } from '../../spec/meta/MetaSlotOwner.ts';
import { PAGE_SIZE, type Paddr } from '../../spec/vocab.ts';
import type { FrameHandle } from './accounting.ts';
import { CheckedAllocator, type AllocatorImpl, type CheckedAllocatorOptions } from './CheckedAllocator.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedSegment, segmentValueOf, withClaimedUsage, type SegmentHandle } from './CheckedSegment.ts';
import { ContractChecker, type ContractLevel, type ContractMode } from './ContractChecker.ts';
import type { Violation } from './report.ts';
import { storageOf } from './view.ts';

const P = PAGE_SIZE;
const regionOf = (w: AllocWorld) => w.region;

/** How to build the checked options and the parts under them. */
export type CheckedFrameAllocOptionsInit = Readonly<{
  maxPaddr: number;
  refCountMax?: bigint;
  mode?: ContractMode;
  level?: ContractLevel;
  /** Builds the options under test (default: the real `FrameAllocOptions`); a seeded-bug subclass goes here. */
  makeOptions?: (layer: FrameLayer, source: FrameSource) => FrameAllocOptions;
  /** Builds the frame layer under test (default: the real `FrameLayer`). */
  makeLayer?: (region: MetaRegion, allocator: Deallocator) => FrameLayer;
  /** Check the accounting invariant after every call (default: true). */
  accounting?: boolean;
}>;

/** `FrameAllocOptions` with every allocation checked. */
export class CheckedFrameAllocOptions {
  readonly frames: CheckedFrameLayer;
  readonly segments: CheckedSegment;
  readonly allocator: CheckedAllocator;
  readonly impl: FrameAllocOptions;

  constructor(
    frames: CheckedFrameLayer,
    segments: CheckedSegment,
    allocator: CheckedAllocator,
    impl: FrameAllocOptions,
  ) {
    this.frames = frames;
    this.segments = segments;
    this.allocator = allocator;
    this.impl = impl;
  }

  /**
   * The checked options over `allocator` (a `BuddyAllocator` is checked with its free blocks as the
   * view; another allocator with `allocatorOptions`), a fresh checked frame layer and checked segments.
   */
  static create(
    allocator: BuddyAllocator | AllocatorImpl,
    init: CheckedFrameAllocOptionsInit,
    allocatorOptions: Omit<CheckedAllocatorOptions, 'checker' | 'mode' | 'level'> = {},
  ): CheckedFrameAllocOptions {
    const checker = new ContractChecker(init.mode ?? 'enforce', init.level ?? 'full');
    const checked =
      'freeBlocks' in allocator
        ? CheckedAllocator.overBuddy(allocator, { checker })
        : new CheckedAllocator(allocator, { ...allocatorOptions, checker });
    const frames = new CheckedFrameLayer({
      maxPaddr: init.maxPaddr,
      ...(init.refCountMax !== undefined && { refCountMax: init.refCountMax }),
      ...(init.makeLayer !== undefined && { makeLayer: init.makeLayer }),
      ...(init.accounting !== undefined && { accounting: init.accounting }),
      checker,
      allocator: checked,
      free: () => checked.ghost.free,
    });
    const make = init.makeOptions ?? ((l: FrameLayer, s: FrameSource) => new FrameAllocOptions(l, s));
    return new CheckedFrameAllocOptions(frames, new CheckedSegment(frames), checked, make(frames.layer, checked));
  }

  /** Every violation recorded so far (in `collect` mode). */
  get violations(): readonly Violation[] {
    return this.frames.violations;
  }

  /** `zeroed(bool)`: whether the allocated frames are filled with zeros (default true). */
  zeroed(zeroed: boolean): this {
    this.impl.zeroed(zeroed);
    return this;
  }

  /** Checked `alloc_frame()`: `alloc_frame_with(())`. */
  allocFrame(): FrameHandle | FrameAllocError {
    return this.allocFrameWith(unit(UnitMeta));
  }

  /** Checked `alloc_segment(nframes)`: `alloc_segment_with(nframes, |_| ())`. */
  allocSegment(nframes: number): SegmentHandle | FrameAllocError {
    return this.allocSegmentWith(nframes, () => unit(UnitMeta));
  }

  /** Checked `alloc_frame_with(metadata)`: a frame handle, or `NoMemory` (on its footprint first, see `allocFastForms.ts`). */
  allocFrameWith(meta: FrameMeta): FrameHandle | FrameAllocError {
    const f = this.frames;
    const zeroed = this.impl.isZeroed;
    const metadata = storageOf(meta);
    const level = f.checker.nextCallLevel();
    const fast = f.fastAllocFrame(
      this.allocator,
      () => this.impl.allocFrame(meta),
      metadata,
      zeroed,
      (i) => this.readsZero(i * P, P),
      level,
    );
    if (typeof fast === 'object' && 'done' in fast)
      return typeof fast.done === 'number' ? f.store.mintFrame(fast.done) : fast.done;
    const replay = fast === 'declined' ? undefined : fast;
    let out: number | FrameAllocError = replay?.out ?? 'NoMemory';
    let handle: FrameHandle | undefined;
    const value = (): AllocRes<AllocatedFrame> => {
      if (typeof out === 'string') return { ok: false, error: out };
      const readsZero = zeroed ? this.readsZero(out * P, P) : undefined;
      return { ok: true, value: { frame: { ptr: metaAddr(out) }, readsZero } };
    };
    if (replay !== undefined) f.renumber(replay, false);
    f.checkedCall<AllocWorld, { metadata: MetaSlotStorage; zeroed: boolean }, AllocRes<AllocatedFrame>>(
      {
        spec: allocFrameWith,
        old: { region: f.ghost, alloc: replay?.old ?? this.allocator.observe() },
        args: { metadata, zeroed },
        footprint: [],
        run:
          replay === undefined
            ? () => ((out = this.impl.allocFrame(meta)), value())
            : () => {
                f.renumber(replay, true);
                if (replay.threw !== undefined) throw replay.threw;
                return value();
              },
        final: (region, v) => ({
          region: v.ok ? this.minted(withClaimedUsage(f, region), [out as number]) : withClaimedUsage(f, region),
          alloc: this.allocator.observe(),
        }),
        regionOf,
        eq: allocWorldEq,
        commit: (v) => void (v.ok && (handle = f.store.mintFrame(out as number))),
      },
      level,
      replay !== undefined,
    );
    return handle ?? (out as FrameAllocError);
  }

  /** Checked `alloc_segment_with(nframes, metadata_fn)`: a segment handle, `InvalidArgs` or `NoMemory`. */
  allocSegmentWith(nframes: number, metaFn: (paddr: Paddr) => FrameMeta): SegmentHandle | FrameAllocError {
    const f = this.frames;
    const zeroed = this.impl.isZeroed;
    const metas = new Map<Paddr, FrameMeta>();
    const metaOf = (paddr: Paddr): FrameMeta => {
      let m = metas.get(paddr);
      if (m === undefined) metas.set(paddr, (m = metaFn(paddr)));
      return m;
    };
    let out: Segment | FrameAllocError = 'NoMemory';
    let handle: SegmentHandle | undefined;
    f.checkedCall({
      spec: allocSegmentWith,
      old: { region: f.ghost, alloc: this.allocator.observe() },
      args: { nframes, metadataFn: (paddr: Paddr) => storageOf(metaOf(paddr)), zeroed },
      footprint: [],
      run: (): AllocRes<AllocatedSegment> => {
        out = this.impl.allocSegment(nframes, metaOf);
        if (typeof out === 'string') return { ok: false, error: out };
        const segment = segmentValueOf(out);
        const { start, end } = segment.range;
        return {
          ok: true,
          value: { segment, owner: segment, readsZero: zeroed ? this.readsZero(start, end - start) : undefined },
        };
      },
      final: (region, v) => ({
        region: v.ok
          ? this.minted(withClaimedUsage(f, region), segIndices(v.value.segment.range))
          : withClaimedUsage(f, region),
        alloc: this.allocator.observe(),
      }),
      regionOf,
      eq: allocWorldEq,
      commit: (v) => void (v.ok && (handle = this.segments.adopt(out as Segment, v.value.owner))),
    });
    return handle ?? (out as FrameAllocError);
  }

  /** Whether `len` bytes of physical memory at `paddr` read as zeros. */
  private readsZero(paddr: Paddr, len: number): boolean {
    const bytes = this.frames.impl.phys.read(paddr, len);
    const words = new Uint32Array(bytes.buffer, 0, len >>> 2);
    for (let k = 0; k < words.length; k++) if (words[k] !== 0) return false;
    for (let k = words.length * 4; k < len; k++) if (bytes[k] !== 0) return false;
    return true;
  }

  /** The ledger with one entry per claimed frame (`Frame::from_unused` / `Segment::from_unused` proof code). */
  private minted(g: MetaRegionOwners, slots: readonly number[]): MetaRegionOwners {
    let ledger = g.frameObligations;
    for (const i of slots) ledger = ledger.mint(i);
    return withLedger(g, ledger);
  }
}
