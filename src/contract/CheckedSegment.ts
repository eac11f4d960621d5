/**
 * Contract-checked segments over a `CheckedFrameLayer`: every call of the real `Segment`
 * (`impl/frame/Segment.ts`) is checked against `spec/frame/Segment.ts` (vostd HEAD's `spec/head/Segment.ts` when the
 * frame layer checks `--spec head`) with the frame layer's
 * machinery — the ghost region and its ledger, requires (blame the caller), ensures and refinement
 * (blame the implementation), the region invariant and the accounting invariant, in which every live
 * segment counts once per frame it covers (`rc == #handles + #mappings + #segments covering`).
 *
 * The ghost follows memory, plus what only proof code does: a claim sets `usage` to `Frame`,
 * `from_unused` mints one ledger entry per frame and `drop` redeems them. vostd's `clone` and `slice`
 * mint nothing for the new segment; the checked layer then mints its entries as the caller's proof
 * must (`tracked_mint_seg_obligations`), after checking the call against vostd's clause that the
 * ledger is unchanged — otherwise a correct upstream program (clone, drop both) would be blamed.
 */
import type { FrameLayer } from '../../impl/frame/Frame.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { GetFrameError, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import type { SegFromUnusedResult } from '../../spec/frame/Segment.ts';
import { segmentOpsOf, type SegmentOpTable } from '../../spec/head/Segment.ts';
import {
  paddrRange,
  segIndices,
  segmentWithOwner,
  type SegmentOwner,
  type SegmentValue,
} from '../../spec/frame/SegmentOwner.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import { slotOwner, withLedger, withSlotOwner, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import { withOwnerFields, type MetaSlotStorage } from '../../spec/meta/MetaSlotOwner.ts';
import { PAGE_SIZE, type FrameIndex, type Paddr } from '../../spec/vocab.ts';
import type { FrameHandle } from './accounting.ts';
import type { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import type { CallLevel } from './ContractChecker.ts';
import type { FastCheck } from './fastPath.ts';
import {
  segmentAccepted,
  segmentAfter,
  segmentBefore,
  segmentCommit,
  segmentFastOn,
  segmentReplayFrom,
  segmentRequires,
} from './segmentFastPath.ts';
import {
  newSegFootprint,
  segmentCloneFast,
  segmentDropFast,
  segmentSliceFast,
  segmentSplitFast,
  type SegFootprint,
} from './segmentFastForms.ts';
import { storageOf } from './view.ts';

/** A live segment: a value with identity, consumed by `drop`, `split` and `intoRaw`. */
export type SegmentHandle = Readonly<{ kind: 'segment'; id: number }>;
/** A forgotten segment (`into_raw`): its range and the tracked owner handed back. */
export type RawSegment = Readonly<{ range: PaddrRange; owner: SegmentOwner }>;

/** The real segment behind a handle, the ghost owner that goes with it, and its iterator once started. */
type Entry = { seg: Segment; owner: SegmentOwner; iter: Iterator<SlotPtr> | undefined };

const id = (r: MetaRegionOwners) => r;
let nextHandleId = 1;
const NO_DEALLOC: readonly Paddr[] = Object.freeze([]);

/**
 * A call tried on its footprint (`segmentFastPath.ts`): `declined` when nothing ran (the full check
 * runs the call), `accepted` when every clause held there, else the call ran (returned `value` or
 * threw `threw`) and the full check replays it.
 */
type FastOutcome<T> = 'declined' | Readonly<{ accepted: boolean; threw: unknown; value: T | undefined }>;

/** At a sampled-out clone: the copy covers the segment's range. */
const sameRange = (x: SegFootprint) => x.r0start === x.start && x.r0end === x.end;
/** At a sampled-out drop: no frame lost its last reference (that teardown is the full check's). */
const noLast = (x: SegFootprint) => !x.anyLast;

/** Rethrows what a call threw, when the full check replays it. */
function throwIt(e: unknown): never {
  throw e;
}

/**
 * `Segment::from_raw(range)` on the real implementation (`Segment.fromRaw`, so a wrong `from_raw` is what
 * the contract checks). A range with an end off a page boundary fails only upstream's `debug_assert!`s;
 * vostd's `from_raw` has no such panic (`may_panic` is `false`) and a caller passing one has already broken
 * `owner_inv`, so that voided call gets `Self { range }` as a build without debug assertions does.
 */
function rawSegment(layer: FrameLayer, range: PaddrRange): Segment {
  if (range.start % PAGE_SIZE === 0 && range.end % PAGE_SIZE === 0) return Segment.fromRaw(layer, range);
  return Reflect.construct(Segment, [layer, range.start, range.end]) as Segment;
}

/** The real segment's range as the ghost sees it. */
export function segmentValueOf(seg: Segment): SegmentValue {
  return segmentValue(seg.startPaddr, seg.endPaddr);
}

/** The segment over `start..end` as the ghost sees it (a call that ran may have moved the real one's range since). */
function segmentValue(start: Paddr, end: Paddr): SegmentValue {
  return Object.freeze({ range: paddrRange(start, end) });
}

/** The region with one more ledger entry per frame of `range` (`tracked_mint_seg_obligations`). */
function minted(g: MetaRegionOwners, range: PaddrRange): MetaRegionOwners {
  let ledger = g.frameObligations;
  for (const i of segIndices(range)) ledger = ledger.mint(i);
  return withLedger(g, ledger);
}

/** The region with one ledger entry per frame of `range` redeemed (`tracked_redeem_seg_obligations`). */
function redeemed(g: MetaRegionOwners, range: PaddrRange): MetaRegionOwners {
  let ledger = g.frameObligations;
  for (const i of segIndices(range)) ledger = ledger.redeem(i);
  return withLedger(g, ledger);
}

/** Checked `Segment<M>` operations over a checked frame layer. */
export class CheckedSegment {
  readonly layer: CheckedFrameLayer;
  private readonly live = new Map<number, Entry>();
  /** The `Segment` op specs of the frame layer's spec version. */
  private readonly ops: SegmentOpTable;
  /** The fast forms (the seed's clauses: HEAD's calls take the full check) and the footprint they read. */
  private readonly splitFast: FastCheck<SegFootprint> | undefined;
  private readonly dropFast: FastCheck<SegFootprint> | undefined;
  private readonly cloneFast: FastCheck<SegFootprint> | undefined;
  private readonly sliceFast: FastCheck<SegFootprint> | undefined;
  private readonly fx = newSegFootprint();

  constructor(layer: CheckedFrameLayer) {
    this.layer = layer;
    this.ops = segmentOpsOf(layer.spec);
    const seed = layer.spec === 'seed';
    this.splitFast = seed ? segmentSplitFast(layer.p) : undefined;
    this.dropFast = seed ? segmentDropFast() : undefined;
    this.cloneFast = seed ? segmentCloneFast(layer.p) : undefined;
    this.sliceFast = seed ? segmentSliceFast(layer.p) : undefined;
  }

  /** The range a live segment covers now, or `undefined` once it was consumed. */
  rangeOf(h: SegmentHandle): PaddrRange | undefined {
    return this.live.get(h.id)?.owner.range;
  }

  /** Whether `h` is live. */
  isLive(h: SegmentHandle): boolean {
    return this.live.has(h.id);
  }

  /** Checked `Segment::from_unused(range, metadata_fn)`: a segment, or the error (nothing claimed then). */
  fromUnused(range: PaddrRange, metaFn: (paddr: Paddr) => FrameMeta): SegmentHandle | GetFrameError {
    const f = this.layer;
    const metas = new Map<Paddr, FrameMeta>();
    const storages = new Map<Paddr, MetaSlotStorage>();
    // One call of the user's function per frame, whoever asks first (the implementation, in order).
    const metaOf = (paddr: Paddr): FrameMeta => {
      let m = metas.get(paddr);
      if (m === undefined) metas.set(paddr, (m = metaFn(paddr)));
      return m;
    };
    const metadataFn = (paddr: Paddr): MetaSlotStorage => {
      let s = storages.get(paddr);
      if (s === undefined) storages.set(paddr, (s = storageOf(metaOf(paddr))));
      return s;
    };
    let out: Segment | GetFrameError = 'NotAligned';
    let handle: SegmentHandle | undefined;
    const inBound = f.index(range.start) !== undefined && range.end <= f.impl.maxPaddr && range.start < range.end;
    this.layer.regionOp(
      this.ops.fromUnused,
      { range, metadataFn },
      inBound ? this.ops.fromUnused.footprint({ range, metadataFn }) : [],
      (): SegFromUnusedResult => {
        out = Segment.fromUnused(f.layer, range, metaOf);
        const dealloc = f.lastDeallocs();
        return typeof out === 'string'
          ? { ok: false, error: out, dealloc }
          : { ok: true, value: segmentWithOwner(out.startPaddr, out.endPaddr), dealloc };
      },
      (g, v) => {
        const claimed = withClaimedUsage(this.layer, g);
        return v.ok ? minted(claimed, v.value.owner.range) : claimed;
      },
      (v) => void (v.ok && (handle = this.register(out as Segment, v.value.owner))),
    );
    return handle ?? (out as GetFrameError);
  }

  /** Checked `<Segment as RCClone>::clone`: a new segment over the same frames (on its footprint first). */
  clone(h: SegmentHandle): SegmentHandle {
    const e = this.entry(h, 'Segment::clone');
    let copy: Segment | undefined;
    let handle: SegmentHandle | undefined;
    const level = this.layer.checker.nextCallLevel();
    const { startPaddr: start, endPaddr: end } = e.seg;
    const fast = this.tryFast(
      this.cloneFast,
      start,
      end,
      start,
      end,
      level,
      1,
      () => {
        copy = e.seg.clone();
        this.fx.r0start = copy.startPaddr;
        this.fx.r0end = copy.endPaddr;
        return copy;
      },
      sameRange,
    );
    if (fast !== 'declined' && fast.accepted)
      return this.register(copy!, { range: paddrRange(copy!.startPaddr, copy!.endPaddr) });
    const segment = segmentValue(start, end);
    const replay = fast !== 'declined';
    this.layer.regionOp(
      this.ops.clone,
      { segment },
      segIndices(segment.range),
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : segmentValueOf(copy!))
        : () => ((copy = e.seg.clone()), segmentValueOf(copy)),
      id,
      (v) => {
        this.layer.ghost = minted(this.layer.ghost, v.range);
        handle = this.register(copy!, { range: v.range });
      },
      level,
      replay,
    );
    return handle!;
  }

  /** Checked `Segment::slice(&self, range)`: a new segment over byte offsets `range` of this one (on its footprint first). */
  slice(h: SegmentHandle, range: PaddrRange): SegmentHandle {
    const e = this.entry(h, 'Segment::slice');
    let part: Segment | undefined;
    let handle: SegmentHandle | undefined;
    const level = this.layer.checker.nextCallLevel();
    const x = this.fx;
    x.sliceStart = range.start;
    x.sliceEnd = range.end;
    const run = () => {
      part = e.seg.slice(range);
      x.r0start = x.oblStart = part.startPaddr;
      x.r0end = x.oblEnd = part.endPaddr;
      return part;
    };
    // The new segment's entries are minted at its own frames: those of the range it was asked for.
    const same = (f: SegFootprint) =>
      f.sliceStart >= 0 && f.r0start === f.start + f.sliceStart && f.r0end === f.start + f.sliceEnd && f.r0end <= f.end;
    const own = e.owner.range;
    const fast = this.tryFast(
      this.sliceFast,
      e.seg.startPaddr,
      e.seg.endPaddr,
      own.start,
      own.end,
      level,
      1,
      run,
      same,
    );
    if (fast !== 'declined' && fast.accepted)
      return this.register(part!, { range: paddrRange(part!.startPaddr, part!.endPaddr) });
    const segment = segmentValueOf(e.seg);
    const replay = fast !== 'declined';
    this.layer.regionOp(
      this.ops.slice,
      { segment, owner: e.owner, range },
      segIndices(segment.range),
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : segmentValueOf(part!))
        : () => ((part = e.seg.slice(range)), segmentValueOf(part)),
      id,
      (v) => {
        this.layer.ghost = minted(this.layer.ghost, v.range);
        handle = this.register(part!, { range: v.range });
      },
      level,
      replay,
    );
    return handle!;
  }

  /** Checked `Segment::split(self, offset)`: consumes the segment, returns the two halves (on its footprint first). */
  split(h: SegmentHandle, offset: number): [SegmentHandle, SegmentHandle] {
    const e = this.consume(h, 'Segment::split');
    let halves: [Segment, Segment] | undefined;
    let out: [SegmentHandle, SegmentHandle] | undefined;
    const level = this.layer.checker.nextCallLevel();
    this.fx.offset = offset;
    const own = e.owner.range;
    const { startPaddr: start, endPaddr: end } = e.seg;
    const fast = this.tryFast(this.splitFast, start, end, own.start, own.end, level, 0, () => {
      halves = e.seg.split(offset);
      const x = this.fx;
      x.r0start = halves[0].startPaddr;
      x.r0end = halves[0].endPaddr;
      x.r1start = halves[1].startPaddr;
      x.r1end = halves[1].endPaddr;
      return halves;
    });
    const owners = () => {
      const [a, b] = halves!;
      return [segmentWithOwner(a.startPaddr, a.endPaddr), segmentWithOwner(b.startPaddr, b.endPaddr)] as const;
    };
    const commit = (a: SegmentOwner, b: SegmentOwner) => {
      this.layer.liveSegments.delete(h.id);
      out = [this.register(halves![0], a), this.register(halves![1], b)];
    };
    if (fast !== 'declined' && fast.accepted) {
      // The owners only (the segment values are the full check's result): a range each, as `clone` registers.
      const [a, b] = halves!;
      commit({ range: paddrRange(a.startPaddr, a.endPaddr) }, { range: paddrRange(b.startPaddr, b.endPaddr) });
      return out!;
    }
    const segment = segmentValue(start, end);
    const replay = fast !== 'declined';
    this.layer.regionOp(
      this.ops.split,
      { segment, owner: e.owner, offset },
      segIndices(segment.range),
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : owners())
        : () => ((halves = e.seg.split(offset)), owners()),
      id,
      (v) => commit(v[0].owner, v[1].owner),
      level,
      replay,
    );
    return out!;
  }

  /** Checked `Segment::drop(self)`; returns the frames it returned to the allocator (on its footprint first). */
  drop(h: SegmentHandle): readonly Paddr[] {
    const e = this.consume(h, 'Segment::drop');
    const level = this.layer.checker.nextCallLevel();
    const own = e.owner.range;
    const { startPaddr: start, endPaddr: end } = e.seg;
    // A last drop tears its frame down: the full check's (at every level, a sampled-out one included).
    const fast = this.tryFast(this.dropFast, start, end, own.start, own.end, level, -1, () => e.seg.drop(), noLast);
    if (fast !== 'declined' && fast.accepted) return (this.layer.liveSegments.delete(h.id), NO_DEALLOC);
    const segment = segmentValue(start, end);
    const replay = fast !== 'declined';
    const trace = this.layer.regionOp(
      this.ops.drop,
      { segment, owner: e.owner },
      segIndices(segment.range),
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : { dealloc: this.layer.lastDeallocs() })
        : () => (e.seg.drop(), { dealloc: this.layer.lastDeallocs() }),
      (g) => redeemed(g, e.owner.range),
      () => void this.layer.liveSegments.delete(h.id),
      level,
      replay,
    );
    return trace.dealloc;
  }

  /** Checked `Segment::into_raw(self)`: the segment is forgotten; its references now count as raw. */
  intoRaw(h: SegmentHandle): RawSegment {
    const e = this.consume(h, 'Segment::into_raw');
    const segment = segmentValueOf(e.seg);
    return this.layer.regionOp(
      this.ops.intoRaw,
      { segment, owner: e.owner },
      segIndices(segment.range),
      () => ({ range: e.seg.forget(), owner: e.owner }),
      id,
      (v) => {
        this.layer.liveSegments.delete(h.id);
        for (const i of segIndices(v.range)) this.layer.store.raw(i, 1);
      },
    );
  }

  /** Checked `Segment::from_raw(range)` (`unsafe`); the owner defaults to the one a caller's proof builds for `range`. */
  fromRaw(range: PaddrRange, owner: SegmentOwner = { range }): SegmentHandle {
    const f = this.layer;
    let seg: Segment | undefined;
    let handle: SegmentHandle | undefined;
    const ok = range.start % PAGE_SIZE === 0 && range.end <= f.impl.maxPaddr && range.start <= range.end;
    f.regionOp(
      this.ops.fromRaw,
      { range, owner },
      ok ? segIndices(range) : [],
      () => ((seg = rawSegment(f.layer, range)), segmentValueOf(seg)),
      id,
      (v) => {
        for (const i of segIndices(v.range)) if ((f.store.ptes.get(i * PAGE_SIZE) ?? 0) > 0) f.store.raw(i, -1);
        // HEAD has no segment owner: the segment's own range is its identity.
        handle = this.register(seg!, f.spec === 'head' ? { range } : owner);
      },
    );
    return handle!;
  }

  /** Checked `Segment::next(&mut self)`: the front frame as a `Frame` handle, or `undefined` when empty. */
  next(h: SegmentHandle): FrameHandle | undefined {
    const e = this.entry(h, 'Segment::next');
    let frame: FrameHandle | undefined;
    const segment = segmentValueOf(e.seg);
    this.layer.regionOp(
      this.ops.next,
      { segment, owner: e.owner },
      this.ops.next.footprint({ segment, owner: e.owner }),
      () => {
        e.iter ??= e.seg[Symbol.iterator]();
        const step = e.iter.next();
        const after = segmentValueOf(e.seg);
        const item = step.done === true ? null : { frame: { ptr: metaAddr(step.value) }, obl: step.value };
        return { item, segment: after, owner: { range: after.range } };
      },
      id,
      (v) => {
        e.owner = v.owner;
        this.layer.liveSegments.set(h.id, v.owner.range);
        if (v.item !== null) frame = this.layer.store.mintFrame(v.item.obl);
      },
    );
    return frame;
  }

  /** Every remaining frame of the segment, each as a `Frame` handle the caller now owns (checked `next` per step). */
  *frames(h: SegmentHandle): Generator<FrameHandle, void, undefined> {
    for (let f = this.next(h); f !== undefined; f = this.next(h)) yield f;
  }

  /** Takes a segment the implementation built under another checked call (`FrameAllocOptions::alloc_segment`). */
  adopt(seg: Segment, owner: SegmentOwner): SegmentHandle {
    return this.register(seg, owner);
  }

  /**
   * Runs one call on its footprint (`segmentFastPath.ts`): the requires and the accounting at every frame
   * of `start..end` (whose owner's range is `ownerStart..ownerEnd`), `run`, then the ensures on what its
   * atomics wrote. An accepted call's counts and `obl` ledger entries per frame go into the ghost here.
   */
  private tryFast<T>(
    check: FastCheck<SegFootprint> | undefined,
    start: Paddr,
    end: Paddr,
    ownerStart: Paddr,
    ownerEnd: Paddr,
    level: CallLevel,
    obl: number,
    run: () => T,
    /** At a sampled-out call (no clause checked): whether the ghost steps this path takes are the full check's for the result. */
    same: (x: SegFootprint) => boolean = () => true,
  ): FastOutcome<T> {
    const f = this.layer;
    const x = this.fx;
    if (check === undefined || !segmentFastOn(f)) return 'declined';
    if (!segmentBefore(f, x, start, end, ownerStart, ownerEnd, level)) return 'declined';
    if (!segmentRequires(check, x, level)) return 'declined';
    x.oblStart = start;
    x.oblEnd = end;
    f.callStarts();
    let value: T;
    try {
      value = run();
    } catch (threw) {
      segmentAfter(f, x);
      segmentReplayFrom(f, x);
      return { accepted: false, threw, value: undefined };
    }
    segmentAfter(f, x);
    if (!segmentAccepted(check, x, level) || (level === 'skip' && !same(x))) {
      segmentReplayFrom(f, x);
      return { accepted: false, threw: undefined, value };
    }
    segmentCommit(f, x, obl);
    return { accepted: true, threw: undefined, value };
  }

  /** Registers a live segment and its owner. */
  private register(seg: Segment, owner: SegmentOwner): SegmentHandle {
    const h: SegmentHandle = Object.freeze({ kind: 'segment', id: nextHandleId++ });
    this.live.set(h.id, { seg, owner, iter: undefined });
    this.layer.liveSegments.set(h.id, owner.range);
    return h;
  }

  /** The entry of a live handle; a use after a move is a linearity violation of the caller. */
  private entry(h: SegmentHandle, op: string): Entry {
    const e = this.live.get(h.id);
    if (e !== undefined) return e;
    this.layer.checker.linearity(
      op,
      `segment#${h.id}`,
      'caller',
      'a Segment used after it was moved (dropped, split or forgotten)',
    );
    // Rust rejects a use after a move at compile time, so there is no call to check: stop here.
    throw new Error(`${op}: segment#${h.id} was moved`);
  }

  /** The entry of a live handle, consumed (`self` by value). */
  private consume(h: SegmentHandle, op: string): Entry {
    const e = this.entry(h, op);
    this.live.delete(h.id);
    return e;
  }
}

/** The slots the last checked call claimed: a successful CAS of the count from `REF_COUNT_UNUSED` to 0. */
export function claimedSlots(layer: CheckedFrameLayer): FrameIndex[] {
  const { layout, REF_COUNT_UNUSED } = layer.impl;
  const out: FrameIndex[] = [];
  for (const a of layer.tracking.log)
    if (a.observed === REF_COUNT_UNUSED && a.written === 0n && a.word % layout.wordsPerSlot === layout.refCount)
      out.push(Math.floor(a.word / layout.wordsPerSlot));
  return out;
}

/** The region with usage `Frame` at every slot the last call claimed (proof code: `slot_own.usage = PageUsage::Frame`). */
export function withClaimedUsage(layer: CheckedFrameLayer, g: MetaRegionOwners): MetaRegionOwners {
  return claimedSlots(layer).reduce(
    (r, i) => withSlotOwner(r, i, withOwnerFields(slotOwner(r, i), { usage: 'Frame' })),
    g,
  );
}
