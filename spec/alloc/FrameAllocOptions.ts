/**
 * The op specs of OSTD's `FrameAllocOptions`: `alloc_frame_with(metadata)` and
 * `alloc_segment_with(nframes, metadata_fn)` (`alloc_frame()` and `alloc_segment(n)` are the same with
 * unit metadata), over the metadata region and the global allocator together.
 *
 * vostd leaves the allocator out (`alloc_frame_with` is `external_body` with no contract), so every
 * clause is upstream's documented behaviour (`origin: 'upstream'`): the frames come from the global
 * allocator and are claimed with `Frame::from_unused` / `Segment::from_unused`; `zeroed` (default true)
 * makes them read as zeros; zero frames is `InvalidArgs`; an allocator that has no room gives
 * `NoMemory`; and an error leaves both the region and the allocator as they were — never a partial
 * allocation.
 *
 * What the frames read after the call is an observation the checked layer makes (`readsZero`); the
 * model has no frame contents.
 *
 * @see upstream `ostd/src/mm/frame/allocator.rs` (`FrameAllocOptions`); vostd `ostd/src/mm/frame/allocator.rs`
 */
import type { OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies } from '../meta/clause.ts';
import { frameToIndex, hasSafeSlot } from '../meta/mapping.ts';
import { ownersChanged, regionEq, slotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { rc, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { ghostEq } from '../meta/perms.ts';
import { PAGE_SIZE, type ModelParams, type Paddr } from '../vocab.ts';
import { frameAt, frameFromUnused, indexOf, type FrameValue } from '../frame/Frame.ts';
import { PANIC, ret, slotsUnchanged } from '../frame/regionFacts.ts';
import { claimedAt, segmentFromUnusedNext } from '../frame/Segment.ts';
import {
  invariants,
  paddrRange,
  segIndices,
  allIndices,
  type SegmentOwner,
  type SegmentValue,
} from '../frame/SegmentOwner.ts';
import {
  allocAddedUnchanged,
  allocNext,
  allocOk,
  allocTaken,
  firstFit,
  type FreeSetModel,
  type Layout,
} from './FrameAllocator.ts';
import { covers, overlapsAny, type Range } from './rangeSet.ts';

/** The state `FrameAllocOptions` acts on: the metadata region and the global allocator. */
export type AllocWorld = Readonly<{ region: MetaRegionOwners; alloc: FreeSetModel }>;
/** OSTD's `Error` values the options return. */
export type AllocError = 'NoMemory' | 'InvalidArgs';
/** `Result<T, ostd::Error>`. */
export type AllocRes<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; error: AllocError }>;
/** An allocated frame, and whether its bytes read as zeros (observed when `zeroed`, else `undefined`). */
export type AllocatedFrame = Readonly<{ frame: FrameValue; readsZero: boolean | undefined }>;
/** An allocated segment with its owner, and whether its bytes read as zeros (observed when `zeroed`). */
export type AllocatedSegment = Readonly<{ segment: SegmentValue; owner: SegmentOwner; readsZero: boolean | undefined }>;
/** The arguments of `alloc_frame_with`: the metadata and the options' `zeroed`. */
export type AllocFrameArgs = Readonly<{ metadata: MetaSlotStorage; zeroed: boolean }>;
/** The arguments of `alloc_segment_with`: the frame count, the metadata function and `zeroed`. */
export type AllocSegmentArgs = Readonly<{
  nframes: number;
  metadataFn: (paddr: Paddr) => MetaSlotStorage;
  zeroed: boolean;
}>;

const SOURCE = 'ostd/src/mm/frame/allocator.rs';
const P = PAGE_SIZE;
const PAGE: Layout = Object.freeze({ size: P, align: P });
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);

/** Two worlds are equal when their regions and allocator sets are. */
export function allocWorldEq(a: AllocWorld, b: AllocWorld): boolean {
  const same = (x: readonly Range[], y: readonly Range[]) =>
    x.length === y.length && x.every((r, i) => r.start === y[i]?.start && r.end === y[i]?.end);
  return regionEq(a.region, b.region) && same(a.alloc.added, b.alloc.added) && same(a.alloc.free, b.alloc.free);
}

/**
 * Whether the allocator holds as free a frame whose slot cannot be claimed — the only way
 * `Frame::from_unused(paddr, metadata).unwrap()` (or `Segment::from_unused(..).unwrap()`) panics.
 */
export function freeFrameInUse(w: AllocWorld, p: ModelParams): boolean {
  for (const r of w.alloc.free)
    for (let q = Math.ceil(r.start / P) * P; q < r.end; q += P)
      if (!hasSafeSlot(q, p.maxPaddr) || rc(slotOwner(w.region, frameToIndex(q))) !== p.refCountUnused) return true;
  return false;
}

/** The range of an allocation result. */
const rangeOfFrame = (f: FrameValue): Range => ({ start: indexOf(f) * P, end: indexOf(f) * P + P });

/**
 * The allocator part of the outcome is one `GlobalFrameAllocator::alloc` allows for `layout` returning
 * `at` (a buddy allocator takes a whole power-of-two block, more than `next`'s exact range).
 */
function allocAllows(old: FreeSetModel, final: FreeSetModel, layout: Layout, at: Paddr, p: ModelParams): boolean {
  const c = { old, final, args: { layout }, result: at, p };
  return allocOk.holds(c) && allocTaken.holds(c) && allocAddedUnchanged.holds(c);
}

// alloc_frame_with --------------------------------------------------------------------------------------

type AfPre = PreCtx<AllocWorld, AllocFrameArgs>;
type AfPost = PostCtx<AllocWorld, AllocFrameArgs, AllocRes<AllocatedFrame>>;
const afEns = clauseMaker<AfPost>('FrameAllocOptions::alloc_frame_with', 'ensures');

/** The outcome of `alloc_frame_with` when the allocator returns `at` (or nothing). */
function allocFrameAt(
  c: AfPre,
  at: Paddr | undefined,
  final?: FreeSetModel,
): Outcome<AllocWorld, AllocRes<AllocatedFrame>> {
  if (at === undefined) return ret(c.old, Object.freeze({ ok: false as const, error: 'NoMemory' as const }));
  const alloc = final ?? allocNext(c.old.alloc, at, PAGE);
  const out = frameFromUnused.next({ old: c.old.region, args: { paddr: at, metadata: c.args.metadata }, p: c.p });
  if (out.kind === 'panic' || !out.result.ok) return PANIC;
  const value = Object.freeze({ frame: frameAt(at), readsZero: c.args.zeroed ? true : undefined });
  return ret(Object.freeze({ region: out.final, alloc }), Object.freeze({ ok: true as const, value }));
}

/** `FrameAllocOptions::alloc_frame_with(metadata)`: one frame from the global allocator, claimed and (by default) zeroed. */
export const allocFrameWith: OpSpec<AllocWorld, AllocFrameArgs, AllocRes<AllocatedFrame>> = Object.freeze({
  name: 'FrameAllocOptions::alloc_frame_with',
  rust: 'FrameAllocOptions::alloc_frame_with',
  source: SOURCE,
  requires: [],
  mayPanic: clauseMaker<AfPre>('FrameAllocOptions::alloc_frame_with', 'may_panic')(
    'unwrap',
    'the allocator holds as free a frame whose slot is not unused ==> may_panic() (Frame::from_unused(paddr, metadata).unwrap() on Err)',
    (c) => freeFrameInUse(c.old, c.p),
    undefined,
    'upstream',
  ),
  ensures: [
    afEns(
      'ok_fresh',
      'res is Ok(frame) ==> GlobalFrameAllocator::alloc handed it out: frame.paddr()..+PAGE_SIZE was free',
      (c) => implies(c.result.ok, () => c.result.ok && covers(c.old.alloc.free, rangeOfFrame(c.result.value.frame))),
      (c) => ({ res: c.result, free: c.old.alloc.free }),
      'upstream',
    ),
    afEns(
      'ok_taken',
      'res is Ok(frame) ==> the frame is no longer free in the allocator',
      (c) =>
        implies(c.result.ok, () => c.result.ok && !overlapsAny(c.final.alloc.free, rangeOfFrame(c.result.value.frame))),
      (c) => ({ res: c.result, 'final free': c.final.alloc.free }),
      'upstream',
    ),
    afEns(
      'ok_claimed',
      'res is Ok(frame) ==> Frame::from_unused(frame.paddr(), metadata): old count REF_COUNT_UNUSED, count 1, metadata written, usage Frame',
      (c) =>
        implies(c.result.ok, () =>
          c.result.ok
            ? every(claimedAt(c.old.region, c.final.region, indexOf(c.result.value.frame), c.args.metadata))
            : false,
        ),
      (c) =>
        c.result.ok ? claimedAt(c.old.region, c.final.region, indexOf(c.result.value.frame), c.args.metadata) : {},
      'upstream',
    ),
    afEns(
      'ok_obligations',
      'res is Ok(frame) ==> final(regions).frame_obligations =~= old(regions).frame_obligations.insert(frame.index())',
      (c) =>
        implies(c.result.ok, () =>
          c.result.ok
            ? c.final.region.frameObligations.equals(c.old.region.frameObligations.mint(indexOf(c.result.value.frame)))
            : false,
        ),
      undefined,
      'upstream',
    ),
    afEns(
      'ok_zeroed',
      'zeroed && res is Ok(frame) ==> the frame reads as zeros (upstream writes zeros through the linear mapping)',
      (c) => implies(c.args.zeroed && c.result.ok, () => c.result.ok && c.result.value.readsZero === true),
      (c) => ({ zeroed: c.args.zeroed, res: c.result }),
      'upstream',
    ),
    afEns(
      'others_unchanged',
      "slot owners other than the frame's, and every slot permission, unchanged",
      (c) => {
        const i = c.result.ok ? indexOf(c.result.value.frame) : -1;
        return (
          ownersChanged(c.old.region, c.final.region).every((k) => k === i) &&
          slotsUnchanged(c.old.region, c.final.region)
        );
      },
      (c) => ({ 'changed owners': ownersChanged(c.old.region, c.final.region) }),
      'upstream',
    ),
    afEns(
      'err_no_memory',
      'res is Err ==> res == Err(Error::NoMemory)',
      (c) => c.result.ok || c.result.error === 'NoMemory',
      (c) => ({ res: c.result }),
      'upstream',
    ),
    afEns(
      'err_unchanged',
      'res is Err ==> the region and the allocator are unchanged (never a partial allocation)',
      (c) => implies(!c.result.ok, () => allocWorldEq(c.old, c.final)),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => allocFrameAt(c, firstFit(c.old.alloc, PAGE)),
  alsoAllows: (c) =>
    c.result.ok &&
    allocAllows(c.old.alloc, c.final.alloc, PAGE, indexOf(c.result.value.frame) * P, c.p) &&
    refinesAt(allocFrameAt(c, indexOf(c.result.value.frame) * P, c.final.alloc), c),
  footprint: () => [],
});

// alloc_segment_with ----------------------------------------------------------------------------------

type AsPre = PreCtx<AllocWorld, AllocSegmentArgs>;
type AsPost = PostCtx<AllocWorld, AllocSegmentArgs, AllocRes<AllocatedSegment>>;
const asReq = clauseMaker<AsPre>('FrameAllocOptions::alloc_segment_with', 'requires');
const asEns = clauseMaker<AsPost>('FrameAllocOptions::alloc_segment_with', 'ensures');
const segLayout = (n: number): Layout => ({ size: n * P, align: P });

/** The outcome of `alloc_segment_with` when the allocator returns `at` (or nothing). */
function allocSegmentAt(
  c: AsPre,
  at: Paddr | undefined,
  final?: FreeSetModel,
): Outcome<AllocWorld, AllocRes<AllocatedSegment>> {
  const fail = (error: AllocError) => ret(c.old, Object.freeze({ ok: false as const, error }));
  if (c.args.nframes === 0) return fail('InvalidArgs');
  if (at === undefined) return fail('NoMemory');
  const layout = segLayout(c.args.nframes);
  const alloc = final ?? allocNext(c.old.alloc, at, layout);
  const range = paddrRange(at, at + c.args.nframes * P);
  const out = segmentFromUnusedNext({ old: c.old.region, args: { range, metadataFn: c.args.metadataFn }, p: c.p });
  if (out.kind === 'panic' || !out.result.ok) return PANIC;
  const { segment, owner } = out.result.value;
  const value = Object.freeze({ segment, owner, readsZero: c.args.zeroed ? true : undefined });
  return ret(Object.freeze({ region: out.final, alloc }), Object.freeze({ ok: true as const, value }));
}

/** The segment range of a result. */
const segRange = (v: AllocatedSegment): Range => v.segment.range;

/** `FrameAllocOptions::alloc_segment_with(nframes, metadata_fn)`: `nframes` contiguous frames, claimed and (by default) zeroed. */
export const allocSegmentWith: OpSpec<AllocWorld, AllocSegmentArgs, AllocRes<AllocatedSegment>> = Object.freeze({
  name: 'FrameAllocOptions::alloc_segment_with',
  rust: 'FrameAllocOptions::alloc_segment_with',
  source: SOURCE,
  requires: [
    asReq(
      'nframes_usize',
      '(typing) nframes: usize',
      (c) => Number.isSafeInteger(c.args.nframes) && c.args.nframes >= 0,
      (c) => ({ nframes: c.args.nframes }),
      'upstream',
    ),
  ],
  mayPanic: clauseMaker<AsPre>('FrameAllocOptions::alloc_segment_with', 'may_panic')(
    'unwrap',
    'the allocator holds as free a frame whose slot is not unused ==> may_panic() (Segment::from_unused(range, metadata_fn).unwrap() on Err)',
    (c) => freeFrameInUse(c.old, c.p),
    undefined,
    'upstream',
  ),
  ensures: [
    asEns(
      'zero_invalid',
      'nframes == 0 ==> res == Err(Error::InvalidArgs)',
      (c) => implies(c.args.nframes === 0, () => !c.result.ok && c.result.error === 'InvalidArgs'),
      (c) => ({ nframes: c.args.nframes, res: c.result }),
      'upstream',
    ),
    asEns(
      'err_no_memory',
      'nframes > 0 && res is Err ==> res == Err(Error::NoMemory)',
      (c) => c.result.ok || c.args.nframes === 0 || c.result.error === 'NoMemory',
      (c) => ({ nframes: c.args.nframes, res: c.result }),
      'upstream',
    ),
    asEns(
      'ok_len',
      'res matches Ok(seg) ==> seg.end_paddr() − seg.start_paddr() == nframes * PAGE_SIZE',
      (c) =>
        implies(
          c.result.ok,
          () => c.result.ok && segRange(c.result.value).end - segRange(c.result.value).start === c.args.nframes * P,
        ),
      (c) => ({ res: c.result }),
      'upstream',
    ),
    asEns(
      'ok_fresh',
      'res matches Ok(seg) ==> GlobalFrameAllocator::alloc handed it out: seg.start_paddr()..seg.end_paddr() was free',
      (c) => implies(c.result.ok, () => c.result.ok && covers(c.old.alloc.free, segRange(c.result.value))),
      (c) => ({ res: c.result, free: c.old.alloc.free }),
      'upstream',
    ),
    asEns(
      'ok_taken',
      'res matches Ok(seg) ==> no frame of the segment is free in the allocator any more',
      (c) => implies(c.result.ok, () => c.result.ok && !overlapsAny(c.final.alloc.free, segRange(c.result.value))),
      (c) => ({ res: c.result, 'final free': c.final.alloc.free }),
      'upstream',
    ),
    asEns(
      'ok_frames',
      'res matches Ok(seg) ==> Segment::from_unused: every frame claimed with metadata_fn(paddr), count 1, usage Frame',
      (c) =>
        implies(c.result.ok, () =>
          c.result.ok
            ? allIndices(segRange(c.result.value), (i) =>
                every(claimedAt(c.old.region, c.final.region, i, c.args.metadataFn(i * P))),
              )
            : false,
        ),
      undefined,
      'upstream',
    ),
    asEns(
      'ok_obligations',
      'res matches Ok(seg) ==> frame_obligations =~= old plus one entry per frame of seg (Segment::from_unused)',
      (c) =>
        implies(c.result.ok, () => {
          if (!c.result.ok) return false;
          let ledger = c.old.region.frameObligations;
          for (const i of segIndices(segRange(c.result.value))) ledger = ledger.mint(i);
          return c.final.region.frameObligations.equals(ledger);
        }),
      undefined,
      'upstream',
    ),
    asEns(
      'ok_invariants',
      'res matches Ok(seg) ==> seg.invariants(&owner, *final(regions))',
      (c) =>
        implies(
          c.result.ok,
          () => c.result.ok && invariants(c.result.value.segment, c.result.value.owner, c.final.region),
        ),
      undefined,
      'upstream',
    ),
    asEns(
      'ok_zeroed',
      'zeroed && res is Ok(seg) ==> every frame of the segment reads as zeros',
      (c) => implies(c.args.zeroed && c.result.ok, () => c.result.ok && c.result.value.readsZero === true),
      (c) => ({ zeroed: c.args.zeroed, res: c.result }),
      'upstream',
    ),
    asEns(
      'others_unchanged',
      'slot owners outside the segment, and every slot permission, unchanged',
      (c) => {
        const r = c.result.ok ? segRange(c.result.value) : { start: 0, end: 0 };
        return (
          ownersChanged(c.old.region, c.final.region).every((k) => k * P >= r.start && k * P < r.end) &&
          slotsUnchanged(c.old.region, c.final.region)
        );
      },
      (c) => ({ 'changed owners': ownersChanged(c.old.region, c.final.region) }),
      'upstream',
    ),
    asEns(
      'err_unchanged',
      'res is Err ==> the region and the allocator are unchanged (never a partial allocation)',
      (c) => implies(!c.result.ok, () => allocWorldEq(c.old, c.final)),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => allocSegmentAt(c, c.args.nframes === 0 ? undefined : firstFit(c.old.alloc, segLayout(c.args.nframes))),
  alsoAllows: (c) =>
    c.result.ok &&
    allocAllows(c.old.alloc, c.final.alloc, segLayout(c.args.nframes), segRange(c.result.value).start, c.p) &&
    refinesAt(allocSegmentAt(c, segRange(c.result.value).start, c.final.alloc), c),
  footprint: () => [],
});

/** Whether `c`'s outcome is `expected` (the outcome for the address the allocator actually chose). */
function refinesAt<A, R>(expected: Outcome<AllocWorld, R>, c: PostCtx<AllocWorld, A, R>): boolean {
  return expected.kind === 'return' && allocWorldEq(expected.final, c.final) && ghostEq(expected.result, c.result);
}

/** Every `FrameAllocOptions` op spec. */
export const FRAME_ALLOC_OPTIONS_OPS = [allocFrameWith, allocSegmentWith] as const;
