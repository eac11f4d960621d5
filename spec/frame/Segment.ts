/**
 * The op specs of `Segment<M>` over `MetaRegionOwners`: `from_unused`, `split`, `slice`, `clone`,
 * `into_raw`, `from_raw`, `drop` and the iterator step `next`. Every seed-era requires/ensures clause
 * is one named predicate carrying its Verus text; the `invariants` bundle and `relate_regions` are
 * split into their conjuncts (`SegmentOwner.ts`).
 *
 * vostd's weak spots are mirrored as they are: `clone` and `slice` mint no ledger entries for the new
 * segment, `drop` ensures only `regions.inv()`, and the seed's `from_unused` does not hand back
 * `relate_regions`. `origin: 'upstream'` clauses state what upstream guarantees (the counts, the
 * rollback of a partial construction, the deallocations), so a wrong implementation that satisfies
 * every vostd clause is still caught.
 *
 * Arithmetic on ranges is the mathematical (`int`) one: `slice` and `split` check their offsets against
 * the size before any address is formed, so the overflow of asterinas issue #3165 cannot happen.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/segment.rs`, `ostd/specs/mm/frame/segment.rs`
 */
import type { Clause, ClauseNote, OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies, note, withAbortsExactly } from '../meta/clause.ts';
import { frameToIndex } from '../meta/mapping.ts';
import {
  ownersChanged,
  regionEq,
  slotOwner,
  slotOwnersDomEq,
  slotsContain,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { rc, withOwnerFields, type MetaSlotOwner, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { ghostEq, isInit, permissionU64, valueOf } from '../meta/perms.ts';
import { PAGE_SIZE, type FrameIndex, type GetFrameError, type ModelParams, type Paddr } from '../vocab.ts';
import type { PaddrRange } from './accounting.ts';
import {
  claimError,
  frameAt,
  frameDrop,
  frameFromRaw,
  frameFromUnused,
  indexOf,
  invWithRegions,
  type FromRawResult,
} from './Frame.ts';
import { neverPanics, PANIC, ret, slotsUnchanged } from './regionFacts.ts';
import {
  allIndices,
  invariants,
  invariantsRequires,
  RELATE_DISTINCT_TEXT,
  paddrRange,
  rangeInv,
  rangeRegionInv,
  relateRegions,
  relateRegionsWitness,
  segIndices,
  segmentInv,
  segmentOwnerInv,
  segmentWf,
  segmentWithOwner,
  segNframes,
  segObligationsMinted,
  type InvariantsSubject,
  type SegmentOwner,
  type SegmentValue,
  type SegmentWithOwner,
} from './SegmentOwner.ts';

const P = PAGE_SIZE;
const SOURCE = 'ostd/src/mm/frame/segment.rs';
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const rcOf = (r: MetaRegionOwners, i: FrameIndex): bigint => rc(slotOwner(r, i));
const inRange = (range: PaddrRange, i: FrameIndex) => i * P >= range.start && i * P < range.end;

/** Whether `x` is a `usize` value (an integer in `0 .. 2^64`; JavaScript numbers are exact on page multiples there). */
export function isUsize(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < 2 ** 64;
}

/** `a + b` as a mathematical integer (exact past 2^53 for integers): what Verus's `as int` arithmetic means. */
function intAdd(a: number, b: number): bigint | number {
  return Number.isInteger(a) && Number.isInteger(b) ? BigInt(a) + BigInt(b) : a + b;
}
/** `x == a + b` in `int`. */
const sumIs = (x: number, a: number, b: number): boolean => {
  const s = intAdd(a, b);
  return typeof s === 'bigint' ? Number.isInteger(x) && BigInt(x) === s : x === s;
};

/** Every owner field but the count equal (what a count change leaves alone). */
function sameExceptRc(a: MetaSlotOwner, b: MetaSlotOwner): boolean {
  return (
    a.selfAddr === b.selfAddr &&
    a.usage === b.usage &&
    ghostEq(a.innerPerms.storage, b.innerPerms.storage) &&
    ghostEq(a.innerPerms.vtablePtr, b.innerPerms.vtablePtr) &&
    ghostEq(a.innerPerms.inList, b.innerPerms.inList) &&
    a.innerPerms.refCount.id === b.innerPerms.refCount.id &&
    ghostEq(a.pathsInPt, b.pathsInPt)
  );
}

/** Only slots of `range` changed owner, and each changed slot's count moved by `delta` with nothing else touched. */
function countsMovedBy(old: MetaRegionOwners, final: MetaRegionOwners, range: PaddrRange, delta: bigint): boolean {
  return (
    ownersChanged(old, final).every((i) => inRange(range, i)) &&
    allIndices(range, (i) => {
      const a = slotOwner(old, i);
      const b = slotOwner(final, i);
      return rc(b) === rc(a) + delta && sameExceptRc(a, b);
    })
  );
}

/** The region with every count of `range` raised by one (`inc_frame_ref_count` per frame). */
function bumped(r: MetaRegionOwners, range: PaddrRange): MetaRegionOwners {
  let out = r;
  for (const i of segIndices(range)) {
    const o = slotOwner(out, i);
    out = withSlotOwner(out, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, rc(o) + 1n) }));
  }
  return out;
}

/** `final.frame_obligations =~= old.frame_obligations`. */
const ledgerEq = (a: MetaRegionOwners, b: MetaRegionOwners) => b.frameObligations.equals(a.frameObligations);

// Segment::from_unused ------------------------------------------------------------------------------

/** The arguments of `Segment::from_unused`: the range and the metadata function (`FnMut(Paddr) -> M`). */
export type SegFromUnusedArgs = Readonly<{ range: PaddrRange; metadataFn: (paddr: Paddr) => MetaSlotStorage }>;
/** `Result<Segment, GetFrameError>` with the owner, plus the frames a rollback returned to the global allocator. */
export type SegFromUnusedResult = (
  Readonly<{ ok: true; value: SegmentWithOwner }> | Readonly<{ ok: false; error: GetFrameError }>
) &
  Readonly<{ dealloc: readonly Paddr[] }>;
type FuPre = PreCtx<MetaRegionOwners, SegFromUnusedArgs>;
type FuPost = PostCtx<MetaRegionOwners, SegFromUnusedArgs, SegFromUnusedResult>;
const fuReq = clauseMaker<FuPre>('Segment::from_unused', 'requires');
const fuEns = clauseMaker<FuPost>('Segment::from_unused', 'ensures');
const aligned = (r: PaddrRange) => r.start % P === 0 && r.end % P === 0;
/** The range's slots when the call may touch them: aligned, in bound and non-empty. */
const touchable = (r: PaddrRange, p: ModelParams) => aligned(r) && r.end <= p.maxPaddr && r.start < r.end;

/**
 * Where a construction over `range` stops: the first frame `Frame::from_unused` refuses and its error,
 * or `undefined` when every frame can be claimed. Only for a touchable range.
 */
export function firstRefusal(r: MetaRegionOwners, range: PaddrRange): { paddr: Paddr; error: string } | undefined {
  for (let paddr = range.start; paddr < range.end; paddr += P) {
    const error = claimError(r, paddr);
    if (error !== '(none)') return { paddr, error };
  }
  return undefined;
}

/** The frames the rollback of a construction over `range` deallocates: those claimed before the refusal. */
function rollbackDeallocs(r: MetaRegionOwners, range: PaddrRange): Paddr[] {
  if (!touchable(range, r.p)) return [];
  const stop = firstRefusal(r, range);
  const out: Paddr[] = [];
  if (stop !== undefined) for (let q = range.start; q < stop.paddr; q += P) out.push(q);
  return out;
}

/** The per-frame conjuncts of a frame claimed by `Frame::from_unused` (count 1, metadata written, usage Frame). */
export function claimedAt(old: MetaRegionOwners, final: MetaRegionOwners, i: FrameIndex, metadata: MetaSlotStorage) {
  const a = slotOwner(old, i);
  const b = slotOwner(final, i);
  return {
    pre_unused: rc(a) === old.p.refCountUnused,
    rc_one: rc(b) === 1n,
    in_list_zero: b.innerPerms.inList.value === 0n,
    storage_init: isInit(b.innerPerms.storage),
    vtable_init: isInit(b.innerPerms.vtablePtr),
    metadata: ghostEq(valueOf(b.innerPerms.storage), metadata),
    usage_frame: b.usage === 'Frame',
    self_addr_kept: b.selfAddr === a.selfAddr,
    paths_kept: ghostEq(b.pathsInPt, a.pathsInPt),
  };
}

/** `ManuallyDrop::new(frame)` after each claim, `from_raw` + `drop` for each frame when a claim fails. */
function rollback(r0: MetaRegionOwners, start: Paddr, stop: Paddr, error: GetFrameError, p: ModelParams) {
  let r = r0;
  const dealloc: Paddr[] = [];
  for (let q = start; q < stop; q += P) {
    const raw = frameFromRaw.next({ old: r, args: { paddr: q }, p });
    if (raw.kind === 'panic') return PANIC;
    const d = frameDrop.next({ old: raw.final, args: raw.result, p });
    if (d.kind === 'panic') return PANIC;
    r = d.final;
    dealloc.push(...d.result.dealloc);
  }
  return ret<MetaRegionOwners, SegFromUnusedResult>(r, Object.freeze({ ok: false, error, dealloc }));
}

/** The ghost transition of `Segment::from_unused` (shared with `FrameAllocOptions::alloc_segment_with`). */
export function segmentFromUnusedNext(c: FuPre): Outcome<MetaRegionOwners, SegFromUnusedResult> {
  const { start, end } = c.args.range;
  const fail = (error: GetFrameError) => ret(c.old, Object.freeze({ ok: false as const, error, dealloc: [] }));
  if (!aligned(c.args.range)) return fail('NotAligned');
  if (end > c.p.maxPaddr) return fail('OutOfBound');
  if (!(start < end)) return PANIC;
  let r = c.old;
  for (let paddr = start; paddr < end; paddr += P) {
    const out = frameFromUnused.next({ old: r, args: { paddr, metadata: c.args.metadataFn(paddr) }, p: c.p });
    if (out.kind === 'panic') return PANIC;
    if (!out.result.ok) return rollback(r, start, paddr, out.result.error, c.p);
    // `ManuallyDrop::new(frame)`: the frame's obligation becomes the segment's (minted below).
    r = withLedger(out.final, out.final.frameObligations.redeem(frameToIndex(paddr)));
  }
  let ledger = r.frameObligations;
  for (const i of segIndices(c.args.range)) ledger = ledger.mint(i);
  return ret(
    withLedger(r, ledger),
    Object.freeze({ ok: true as const, value: segmentWithOwner(start, end), dealloc: [] }),
  );
}

/** The `Segment` conjuncts that cannot fail in this representation, and why. */
export const SEGMENT_NOTES: readonly ClauseNote[] = [
  note(
    'Segment::next.ensures.some_obl',
    'res matches Some(pair) ==> pair.1@.value() == frame_to_index(pair.0.paddr())',
    "the yielded frame's `ptr` and its obligation are both made from the one slot the iterator yielded, so no body can make them disagree",
  ),
  note(
    'Segment::into_raw.ensures.owner',
    'frame_perms@ == owner',
    "the tracked owner handed back is the handle's owner, passed through by the checked layer: only proof code could change it, and the port has no returned tracked value for a body to alter",
  ),
  note(
    'Segment::from_unused.requires.metadata_fn_requires',
    'forall|paddr_in: Paddr| (range.start <= paddr_in < range.end && paddr_in % PAGE_SIZE == 0) ==> metadata_fn.requires((paddr_in,))',
    'metadata_fn is a total TypeScript function `(paddr) => M`: it has no precondition to state',
  ),
  note(
    'Segment::from_unused.requires.metadata_fn_paddr',
    'forall|paddr_in, paddr_out, m| metadata_fn.ensures((paddr_in,), (paddr_out, m)) ==> paddr_in == paddr_out',
    'metadata_fn returns only the metadata (upstream `FnMut(Paddr) -> M`), so there is no returned address to compare',
  ),
  ...(['Segment::split', 'Segment::slice', 'Segment::into_raw', 'Segment::next', 'Segment::drop'] as const).map((op) =>
    note(
      `${op}.requires.relate_regions.distinct`,
      `${op === 'Segment::next' ? 'old(self).invariants(old(owner), *old(regions))' : 'self.invariants(&owner, *old(regions))'}: ${RELATE_DISTINCT_TEXT}`,
      '`frame_idx_at(start, j)` is strictly increasing in `j` (lemma_frame_to_index_injective): no range makes two frames of it share a slot index',
    ),
  ),
];

/** `Segment::from_unused(range, metadata_fn)`: claims every frame or none (a partial construction is undone). */
export const segmentFromUnused: OpSpec<MetaRegionOwners, SegFromUnusedArgs, SegFromUnusedResult> = Object.freeze({
  name: 'Segment::from_unused',
  rust: 'Segment::from_unused',
  source: SOURCE,
  requires: [
    fuReq(
      'regions_inv',
      'old(regions).inv()',
      (c) => !touchable(c.args.range, c.p) || rangeRegionInv(c.old, c.args.range),
    ),
    fuReq(
      'range_usize',
      '(typing) range: Range<Paddr>: both ends are usize values',
      (c) => isUsize(c.args.range.start) && isUsize(c.args.range.end),
      (c) => ({ range: c.args.range }),
      'upstream',
    ),
  ],
  mayPanic: clauseMaker<FuPre>('Segment::from_unused', 'may_panic')(
    'empty',
    '!(range.end <= MAX_PADDR ==> range.start < range.end) ==> may_panic()',
    (c) => c.args.range.end <= c.p.maxPaddr && !(c.args.range.start < c.args.range.end),
    (c) => ({ range: c.args.range, MAX_PADDR: c.p.maxPaddr }),
  ),
  ensures: [
    fuEns(
      'final_inv',
      'final(regions).inv()',
      (c) => !touchable(c.args.range, c.p) || rangeRegionInv(c.final, c.args.range),
    ),
    fuEns('err_obligations', 'r is Err ==> final(regions).frame_obligations =~= old(regions).frame_obligations', (c) =>
      implies(!c.result.ok, () => ledgerEq(c.old, c.final)),
    ),
    fuEns(
      'not_aligned',
      '(range.start % PAGE_SIZE != 0 || range.end % PAGE_SIZE != 0) ==> r == Err(GetFrameError::NotAligned)',
      (c) => implies(!aligned(c.args.range), () => !c.result.ok && c.result.error === 'NotAligned'),
      (c) => ({ range: c.args.range, r: c.result }),
    ),
    fuEns(
      'out_of_bound',
      '(range.start % PAGE_SIZE == 0 && range.end % PAGE_SIZE == 0 && range.end > MAX_PADDR) ==> r == Err(GetFrameError::OutOfBound)',
      (c) =>
        implies(
          aligned(c.args.range) && c.args.range.end > c.p.maxPaddr,
          () => !c.result.ok && c.result.error === 'OutOfBound',
        ),
      (c) => ({ range: c.args.range, MAX_PADDR: c.p.maxPaddr, r: c.result }),
    ),
    fuEns('ok_nonempty', 'r is Ok ==> range.end <= MAX_PADDR ==> range.start < range.end', (c) =>
      implies(c.result.ok && c.args.range.end <= c.p.maxPaddr, () => c.args.range.start < c.args.range.end),
    ),
    fuEns('ok_start', 'r matches Ok(seg) ==> seg.start_paddr() == range.start', (c) =>
      implies(c.result.ok, () => c.result.ok && c.result.value.segment.range.start === c.args.range.start),
    ),
    fuEns('ok_end', 'r matches Ok(seg) ==> seg.end_paddr() == range.end', (c) =>
      implies(c.result.ok, () => c.result.ok && c.result.value.segment.range.end === c.args.range.end),
    ),
    fuEns('ok_start_lt_end', 'r matches Ok(seg) ==> seg.start_paddr() < seg.end_paddr()', (c) =>
      implies(c.result.ok, () => c.result.ok && c.result.value.segment.range.start < c.result.value.segment.range.end),
    ),
    fuEns(
      'ok_obligations',
      'r matches Ok(seg) ==> seg_obligations_minted(*old(regions), *final(regions), range.start, seg_nframes(range))',
      (c) =>
        implies(c.result.ok, () =>
          every(segObligationsMinted(c.old, c.final, c.args.range.start, segNframes(c.args.range))),
        ),
      (c) => ({ conjuncts: segObligationsMinted(c.old, c.final, c.args.range.start, segNframes(c.args.range)) }),
    ),
    fuEns('ok_owner', 'r matches Ok(seg) ==> owner@ matches Some(owner) && { seg.inv() &&& seg.wf(&owner) }', (c) =>
      implies(
        c.result.ok,
        () =>
          c.result.ok &&
          segmentInv(c.result.value.segment, c.p) &&
          segmentWf(c.result.value.segment, c.result.value.owner),
      ),
    ),
    fuEns(
      'ok_slots_contain',
      'r is Ok ==> forall|paddr| (range.start <= paddr < range.end && paddr % PAGE_SIZE == 0) ==> final(regions).slots.contains_key(frame_to_index(paddr))',
      (c) => implies(c.result.ok, () => allIndices(c.args.range, (i) => slotsContain(c.final, i))),
    ),
    fuEns(
      'ok_invariants',
      'r matches Ok(seg) ==> seg.invariants(&owner, *final(regions)) (the seed leaves out relate_regions, which every later Segment op requires)',
      (c) =>
        implies(c.result.ok, () => c.result.ok && invariants(c.result.value.segment, c.result.value.owner, c.final)),
      (c) => (c.result.ok ? relateRegionsWitness(c.result.value.owner, c.final) : {}),
      'vostd-head',
    ),
    fuEns(
      'ok_frames',
      'r is Ok ==> every frame of the range is claimed as by Frame::from_unused: old count REF_COUNT_UNUSED, count 1, in_list 0, metadata_fn(paddr) written, usage Frame',
      (c) =>
        implies(c.result.ok, () =>
          allIndices(c.args.range, (i) => every(claimedAt(c.old, c.final, i, c.args.metadataFn(i * P)))),
        ),
      (c) => {
        let bad: FrameIndex | undefined;
        allIndices(
          c.args.range,
          (i) => every(claimedAt(c.old, c.final, i, c.args.metadataFn(i * P))) || ((bad = i), false),
        );
        return bad === undefined
          ? {}
          : { idx: bad, conjuncts: claimedAt(c.old, c.final, bad, c.args.metadataFn(bad * P)) };
      },
      'upstream',
    ),
    fuEns(
      'others_unchanged',
      'slot owners outside the range and every slot permission are unchanged',
      (c) => ownersChanged(c.old, c.final).every((i) => inRange(c.args.range, i)) && slotsUnchanged(c.old, c.final),
      (c) => ({ 'changed owners': ownersChanged(c.old, c.final) }),
      'upstream',
    ),
    fuEns(
      'err_rollback',
      'r is Err ==> the partial segment is dropped: every slot has its old count, metadata and in_list again (only the sticky usage may now be Frame)',
      (c) =>
        implies(!c.result.ok, () =>
          ownersChanged(c.old, c.final).every((i) => {
            const a = slotOwner(c.old, i);
            const b = slotOwner(c.final, i);
            return (
              inRange(c.args.range, i) && rc(a) === rc(b) && sameExceptRc(a, withOwnerFields(b, { usage: a.usage }))
            );
          }),
        ),
      (c) => ({ 'changed owners': ownersChanged(c.old, c.final) }),
      'upstream',
    ),
    fuEns(
      'err_kind',
      "r is Err for an aligned, in-bound range ==> the error is Frame::from_unused's at the first frame that cannot be claimed (UNIQUE → Unique, 0 → Busy, other → InUse)",
      (c) =>
        c.result.ok || !touchable(c.args.range, c.p) || c.result.error === firstRefusal(c.old, c.args.range)?.error,
      (c) => ({ r: c.result, expected: touchable(c.args.range, c.p) ? firstRefusal(c.old, c.args.range) : undefined }),
      'upstream',
    ),
    fuEns(
      'rollback_dealloc',
      "the partial segment's Drop returns each frame claimed before the refusal to the global allocator, front to back; otherwise nothing is deallocated",
      (c) => ghostEq(c.result.dealloc, c.result.ok ? [] : rollbackDeallocs(c.old, c.args.range)),
      (c) => ({ dealloc: c.result.dealloc, expected: c.result.ok ? [] : rollbackDeallocs(c.old, c.args.range) }),
      'upstream',
    ),
  ],
  next: segmentFromUnusedNext,
  footprint: (a) => (aligned(a.range) ? segIndices(a.range) : []),
});

// Segment::split ------------------------------------------------------------------------------------

/** The arguments of `Segment::split(self, offset)` with the tracked owner. */
export type SplitArgs = InvariantsSubject & Readonly<{ offset: number }>;
/** `(Segment, Segment)` with `result_owners`. */
export type SplitResult = readonly [SegmentWithOwner, SegmentWithOwner];
type SpPre = PreCtx<MetaRegionOwners, SplitArgs>;
type SpPost = PostCtx<MetaRegionOwners, SplitArgs, SplitResult>;
const spEns = clauseMaker<SpPost>('Segment::split', 'ensures');
const sizeOf = (s: SegmentValue) => s.range.end - s.range.start;

/** `self.split_spec(offset)`: `(start..start+offset, start+offset..end)`. */
export function splitSpec(s: SegmentValue, offset: number): readonly [SegmentValue, SegmentValue] {
  const at = s.range.start + offset;
  return [{ range: paddrRange(s.range.start, at) }, { range: paddrRange(at, s.range.end) }];
}

/** `Segment::split(self, offset)`: two segments at a page-aligned offset strictly inside; no count changes. */
export const segmentSplit: OpSpec<MetaRegionOwners, SplitArgs, SplitResult> = withAbortsExactly({
  name: 'Segment::split',
  rust: 'Segment::split',
  source: SOURCE,
  requires: invariantsRequires<SplitArgs>('Segment::split'),
  mayPanic: clauseMaker<SpPre>('Segment::split', 'may_panic')(
    'bad_offset',
    'offset % PAGE_SIZE != 0 ==> may_panic(); !(0 < offset && offset < self.size()) ==> may_panic()',
    (c) => c.args.offset % P !== 0 || !(0 < c.args.offset && c.args.offset < sizeOf(c.args.segment)),
    (c) => ({ offset: c.args.offset, 'self.size()': sizeOf(c.args.segment) }),
  ),
  ensures: [
    spEns('slots_unchanged', 'final(regions).slots =~= old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    spEns(
      'owners_unchanged',
      'final(regions).slot_owners =~= old(regions).slot_owners',
      (c) => ownersChanged(c.old, c.final).length === 0,
    ),
    spEns('obligations_unchanged', 'final(regions).frame_obligations =~= old(regions).frame_obligations', (c) =>
      ledgerEq(c.old, c.final),
    ),
    spEns(
      'split_spec',
      '(r.0, r.1) == self.split_spec(offset)',
      (c) => {
        const [a, b] = splitSpec(c.args.segment, c.args.offset);
        return ghostEq(c.result[0].segment, a) && ghostEq(c.result[1].segment, b);
      },
      (c) => ({
        r: [c.result[0].segment.range, c.result[1].segment.range],
        split_spec: splitSpec(c.args.segment, c.args.offset),
      }),
    ),
    spEns(
      'left_invariants',
      'r.0.invariants(&result_owners.0@, *final(regions))',
      (c) => invariants(c.result[0].segment, c.result[0].owner, c.final),
      (c) => relateRegionsWitness(c.result[0].owner, c.final),
    ),
    spEns(
      'right_invariants',
      'r.1.invariants(&result_owners.1@, *final(regions))',
      (c) => invariants(c.result[1].segment, c.result[1].owner, c.final),
      (c) => relateRegionsWitness(c.result[1].owner, c.final),
    ),
  ],
  next: (c) => {
    if (segmentSplit.mayPanic.holds(c)) return PANIC;
    const [a, b] = splitSpec(c.args.segment, c.args.offset);
    return ret(c.old, [
      segmentWithOwner(a.range.start, a.range.end),
      segmentWithOwner(b.range.start, b.range.end),
    ] as const);
  },
  footprint: (a) => segIndices(a.segment.range),
});

// Segment::slice ------------------------------------------------------------------------------------

/** The arguments of `Segment::slice(&self, range)`: byte offsets inside the segment. */
export type SliceArgs = InvariantsSubject & Readonly<{ range: PaddrRange }>;
type SlPre = PreCtx<MetaRegionOwners, SliceArgs>;
type SlPost = PostCtx<MetaRegionOwners, SliceArgs, SegmentValue>;
const slEns = clauseMaker<SlPost>('Segment::slice', 'ensures');

/**
 * `self.page_in_range_saturated(range, regions)`: some page the slice would bump is at `REF_COUNT_MAX`.
 * Pages past the segment's end are not visited (a range reaching there fails `within` already).
 */
export function pageInRangeSaturated(s: SegmentValue, range: PaddrRange, r: MetaRegionOwners): boolean {
  const lo = Math.max(0, Math.ceil(range.start / P));
  const hi = Math.min(Math.ceil(range.end / P), segNframes(s.range) + 1);
  for (let j = lo; j < hi; j++) if (rcOf(r, frameToIndex(s.range.start + j * P)) >= r.p.refCountMax) return true;
  return false;
}

/** Whether the offsets are aligned, ordered and inside the segment, compared without forming an address. */
function sliceBoundsOk(s: SegmentValue, range: PaddrRange): boolean {
  return range.start % P === 0 && range.end % P === 0 && range.start <= range.end && range.end <= sizeOf(s);
}

/** The slice's range: `self.start + range.start .. self.start + range.end` (only after `sliceBoundsOk`). */
export function sliceRange(s: SegmentValue, range: PaddrRange): PaddrRange {
  return paddrRange(s.range.start + range.start, s.range.start + range.end);
}

/** `Segment::slice(&self, range)`: a new segment over part of this one, one more reference per frame. */
export const segmentSlice: OpSpec<MetaRegionOwners, SliceArgs, SegmentValue> = withAbortsExactly({
  name: 'Segment::slice',
  rust: 'Segment::slice',
  source: SOURCE,
  requires: invariantsRequires<SliceArgs>('Segment::slice'),
  mayPanic: clauseMaker<SlPre>('Segment::slice', 'may_panic')(
    'bad_range',
    'range.start % PAGE_SIZE != 0 ==> may_panic(); range.end % PAGE_SIZE != 0 ==> may_panic(); range.start > range.end ==> may_panic(); self.range.start as int + range.end as int > self.range.end as int ==> may_panic(); self.page_in_range_saturated(range, *old(regions)) ==> may_panic()',
    (c) => !sliceBoundsOk(c.args.segment, c.args.range) || pageInRangeSaturated(c.args.segment, c.args.range, c.old),
    (c) => ({
      range: c.args.range,
      'self.size()': sizeOf(c.args.segment),
      saturated:
        sliceBoundsOk(c.args.segment, c.args.range) && pageInRangeSaturated(c.args.segment, c.args.range, c.old),
    }),
  ),
  ensures: [
    slEns('start_aligned', 'range.start % PAGE_SIZE == 0', (c) => c.args.range.start % P === 0),
    slEns('end_aligned', 'range.end % PAGE_SIZE == 0', (c) => c.args.range.end % P === 0),
    slEns('ordered', 'range.start <= range.end', (c) => c.args.range.start <= c.args.range.end),
    slEns(
      'within',
      'self.range.start as int + range.end as int <= self.range.end as int',
      (c) => intAdd(c.args.segment.range.start, c.args.range.end) <= c.args.segment.range.end,
      (c) => ({ 'self.range': c.args.segment.range, range: c.args.range }),
    ),
    slEns(
      'not_saturated',
      '!self.page_in_range_saturated(range, *old(regions))',
      (c) => !pageInRangeSaturated(c.args.segment, c.args.range, c.old),
    ),
    slEns(
      'r_inv',
      'r.inv()',
      (c) => segmentInv(c.result, c.p),
      (c) => ({ r: c.result.range }),
    ),
    slEns(
      'r_start',
      'r.start_paddr() == self.start_paddr() + range.start',
      (c) => sumIs(c.result.range.start, c.args.segment.range.start, c.args.range.start),
      (c) => ({ r: c.result.range, 'self.start_paddr()': c.args.segment.range.start, range: c.args.range }),
    ),
    slEns(
      'r_end',
      'r.end_paddr() == self.start_paddr() + range.end',
      (c) => sumIs(c.result.range.end, c.args.segment.range.start, c.args.range.end),
      (c) => ({ r: c.result.range, 'self.start_paddr()': c.args.segment.range.start, range: c.args.range }),
    ),
    slEns('r_end_le', 'r.end_paddr() <= self.end_paddr()', (c) => c.result.range.end <= c.args.segment.range.end),
    slEns('final_inv', 'final(regions).inv()', (c) => rangeRegionInv(c.final, c.args.segment.range)),
    slEns('slots_unchanged', 'final(regions).slots =~= old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    slEns('domain', 'final(regions).slot_owners.dom() =~= old(regions).slot_owners.dom()', (c) =>
      slotOwnersDomEq(c.old, c.final),
    ),
    slEns(
      'obligations_unchanged',
      'final(regions).frame_obligations =~= old(regions).frame_obligations (the slice gets no entries of its own)',
      (c) => ledgerEq(c.old, c.final),
    ),
    slEns(
      'rc_inc',
      'inc_frame_ref_count per frame of the slice: its count + 1, every other field and every other slot unchanged',
      (c) =>
        sliceBoundsOk(c.args.segment, c.args.range) &&
        countsMovedBy(c.old, c.final, sliceRange(c.args.segment, c.args.range), 1n),
      (c) => ({ 'changed owners': ownersChanged(c.old, c.final) }),
      'upstream',
    ),
  ],
  next: (c) => {
    if (segmentSlice.mayPanic.holds(c)) return PANIC;
    const range = sliceRange(c.args.segment, c.args.range);
    return ret(bumped(c.old, range), Object.freeze({ range }));
  },
  footprint: (a) => segIndices(a.segment.range),
});

// Segment::clone (RCClone) ----------------------------------------------------------------------------

/** The arguments of `<Segment as RCClone>::clone(&self)`. */
export type SegmentArgs = Readonly<{ segment: SegmentValue }>;
type ClPre = PreCtx<MetaRegionOwners, SegmentArgs>;
type ClPost = PostCtx<MetaRegionOwners, SegmentArgs, SegmentValue>;
const clReq = clauseMaker<ClPre>('Segment::clone', 'requires');
const clEns = clauseMaker<ClPost>('Segment::clone', 'ensures');
const cloneFrame = (verus: string) =>
  `clone_requires: forall|pa: Paddr| (self.start_paddr() <= pa < self.end_paddr() && pa % PAGE_SIZE == 0) ==> ${verus}`;
/** The first frame of the segment at which `f` fails, for a report. */
const firstBad = (s: SegmentValue, r: MetaRegionOwners, f: (i: FrameIndex) => boolean) => {
  let bad: FrameIndex | undefined;
  allIndices(s.range, (i) => f(i) || ((bad = i), false));
  return bad === undefined ? {} : { idx: bad, rc: rcOf(r, bad) };
};
const perFrame = (name: string, verus: string, f: (r: MetaRegionOwners, i: FrameIndex) => boolean): Clause<ClPre> =>
  clReq(
    name,
    cloneFrame(verus),
    (c) => allIndices(c.args.segment.range, (i) => f(c.old, i)),
    (c) => firstBad(c.args.segment, c.old, (i) => f(c.old, i)),
  );

/** `<Segment<M> as RCClone>::clone`: one more reference to every frame; vostd mints no ledger entry for it. */
export const segmentClone: OpSpec<MetaRegionOwners, SegmentArgs, SegmentValue> = Object.freeze({
  name: 'Segment::clone',
  rust: '<Segment<M> as RCClone>::clone',
  source: SOURCE,
  requires: [
    clReq(
      'inv',
      'clone_requires: self.inv()',
      (c) => segmentInv(c.args.segment, c.p),
      (c) => rangeInv(c.args.segment.range, c.p),
    ),
    clReq('regions_inv', 'clone_requires: perm.inv()', (c) => rangeRegionInv(c.old, c.args.segment.range)),
    perFrame('slots_contain', 'perm.slots.contains_key(frame_to_index(pa))', (r, i) => slotsContain(r, i)),
    perFrame('safe_slot', 'has_safe_slot(pa)', (r, i) => i * P < r.p.maxPaddr),
    perFrame('rc_pos', 'perm.slot_owners[idx].inner_perms.ref_count.value() > 0', (r, i) => rcOf(r, i) > 0n),
    perFrame(
      'rc_below_max',
      'perm.slot_owners[idx].inner_perms.ref_count.value() + 1 < REF_COUNT_MAX',
      (r, i) => rcOf(r, i) + 1n < r.p.refCountMax,
    ),
    perFrame(
      'not_panic_cond',
      '!MetaSlot::inc_ref_count_panic_cond(perm.slot_owners[idx].inner_perms.ref_count)',
      (r, i) => rcOf(r, i) < r.p.refCountMax,
    ),
  ],
  mayPanic: neverPanics<ClPre>('Segment::clone'),
  ensures: [
    clEns('range', 'res.range() == self.range()', (c) => ghostEq(c.result.range, c.args.segment.range)),
    clEns('res_inv', 'res.inv()', (c) => segmentInv(c.result, c.p)),
    clEns('regions_inv', 'new_perm.inv()', (c) => rangeRegionInv(c.final, c.args.segment.range)),
    clEns(
      'obligations_unchanged',
      'new_perm.frame_obligations =~= old_perm.frame_obligations (inc_frame_ref_count is net-zero on the ledger)',
      (c) => ledgerEq(c.old, c.final),
    ),
    clEns(
      'rc_inc',
      'inc_frame_ref_count per frame: its count + 1, every other field and every other slot unchanged',
      (c) => countsMovedBy(c.old, c.final, c.args.segment.range, 1n),
      (c) => ({ 'changed owners': ownersChanged(c.old, c.final) }),
      'upstream',
    ),
  ],
  next: (c) => ret(bumped(c.old, c.args.segment.range), Object.freeze({ range: c.args.segment.range })),
  footprint: (a) => segIndices(a.segment.range),
});

// Segment::into_raw, from_raw -------------------------------------------------------------------------

/** What `Segment::into_raw` returns: the range and the owner handed back (`frame_perms`). */
export type IntoRawResult = Readonly<{ range: PaddrRange; owner: SegmentOwner }>;
type IrPost = PostCtx<MetaRegionOwners, InvariantsSubject, IntoRawResult>;
const irEns = clauseMaker<IrPost>('Segment::into_raw', 'ensures');

/** `Segment::into_raw(self) -> Range<Paddr>`: forgets the segment; its references and ledger entries stay. */
export const segmentIntoRaw: OpSpec<MetaRegionOwners, InvariantsSubject, IntoRawResult> = Object.freeze({
  name: 'Segment::into_raw',
  rust: 'Segment::into_raw',
  source: SOURCE,
  requires: invariantsRequires<InvariantsSubject>('Segment::into_raw'),
  mayPanic: neverPanics<PreCtx<MetaRegionOwners, InvariantsSubject>>('Segment::into_raw'),
  ensures: [
    irEns('result', 'r == self.range()', (c) => ghostEq(c.result.range, c.args.segment.range)),
    irEns('final_inv', 'final(regions).inv()', (c) => rangeRegionInv(c.final, c.args.segment.range)),
    irEns('regions_unchanged', '*final(regions) =~= *old(regions)', (c) => regionEq(c.old, c.final)),
  ],
  next: (c) => ret(c.old, Object.freeze({ range: c.args.segment.range, owner: c.args.owner })),
  footprint: (a) => segIndices(a.segment.range),
});

/** The arguments of `Segment::from_raw(range)` with the tracked owner given back. */
export type SegFromRawArgs = Readonly<{ range: PaddrRange; owner: SegmentOwner }>;
type FrPre = PreCtx<MetaRegionOwners, SegFromRawArgs>;
type FrPost = PostCtx<MetaRegionOwners, SegFromRawArgs, SegmentValue>;
const frReq = clauseMaker<FrPre>('Segment::from_raw', 'requires');
const frEns = clauseMaker<FrPost>('Segment::from_raw', 'ensures');

/** `Segment::from_raw(range)` (`unsafe`): the segment a forgotten range and its owner stand for; nothing changes. */
export const segmentFromRaw: OpSpec<MetaRegionOwners, SegFromRawArgs, SegmentValue> = Object.freeze({
  name: 'Segment::from_raw',
  rust: 'Segment::from_raw',
  source: SOURCE,
  requires: [
    frReq('regions_inv', 'old(regions).inv()', (c) => rangeRegionInv(c.old, c.args.owner.range)),
    frReq(
      'owner_inv',
      'owner.inv()',
      (c) => segmentOwnerInv(c.args.owner, c.p),
      (c) => rangeInv(c.args.owner.range, c.p),
    ),
    frReq(
      'range_owner',
      'range == owner.range',
      (c) => ghostEq(c.args.range, c.args.owner.range),
      (c) => ({ range: c.args.range, 'owner.range': c.args.owner.range }),
    ),
    frReq(
      'relate_regions',
      'owner.relate_regions(*old(regions))',
      (c) => relateRegions(c.args.owner, c.old),
      (c) => relateRegionsWitness(c.args.owner, c.old),
    ),
  ],
  mayPanic: neverPanics<FrPre>('Segment::from_raw'),
  ensures: [
    frEns('range', 'r.range() == range', (c) => ghostEq(c.result.range, c.args.range)),
    frEns('r_inv', 'r.inv()', (c) => segmentInv(c.result, c.p)),
    frEns('wf', 'r.wf(&owner)', (c) => segmentWf(c.result, c.args.owner)),
    frEns('final_inv', 'final(regions).inv()', (c) => rangeRegionInv(c.final, c.args.range)),
    frEns('regions_unchanged', '*final(regions) =~= *old(regions)', (c) => regionEq(c.old, c.final)),
  ],
  next: (c) => ret(c.old, Object.freeze({ range: c.args.range })),
  footprint: (a) => segIndices(a.range),
});

// Segment::drop --------------------------------------------------------------------------------------

/** What a segment's drop did besides the region: the frames it returned to the global allocator. */
export type SegmentDropTrace = Readonly<{ dealloc: readonly Paddr[] }>;
type DrPre = PreCtx<MetaRegionOwners, InvariantsSubject>;
type DrPost = PostCtx<MetaRegionOwners, InvariantsSubject, SegmentDropTrace>;
const drReq = clauseMaker<DrPre>('Segment::drop', 'requires');
const drEns = clauseMaker<DrPost>('Segment::drop', 'ensures');

/** The frames whose last reference the segment holds, front to back. */
function lastRefs(r: MetaRegionOwners, range: PaddrRange): Paddr[] {
  return segIndices(range)
    .filter((i) => rcOf(r, i) === 1n)
    .map((i) => i * P);
}

/** `Segment::drop(self)`: each frame `from_raw` + `Frame::drop` (−1; the last reference tears down and deallocates). */
export const segmentDrop: OpSpec<MetaRegionOwners, InvariantsSubject, SegmentDropTrace> = Object.freeze({
  name: 'Segment::drop',
  rust: 'Segment::drop',
  source: SOURCE,
  requires: [
    ...invariantsRequires<InvariantsSubject>('Segment::drop'),
    drReq(
      'last_ref_init',
      'forall|i| 0 <= i < seg_nframes(self.range) ==> old(regions).slot_owners[idx].inner_perms.ref_count.value() == 1 ==> { storage.is_init() &&& in_list.value() == 0 }',
      (c) =>
        allIndices(c.args.segment.range, (i) => {
          const o = slotOwner(c.old, i);
          return rc(o) !== 1n || (isInit(o.innerPerms.storage) && o.innerPerms.inList.value === 0n);
        }),
    ),
  ],
  mayPanic: neverPanics<DrPre>('Segment::drop'),
  ensures: [
    drEns('final_inv', 'final(regions).inv()', (c) => rangeRegionInv(c.final, c.args.segment.range)),
    drEns(
      'rc_dec',
      'each frame: old count > 1 ==> count − 1, metadata kept; old count == 1 ==> REF_COUNT_UNUSED with its metadata dropped; other slots unchanged',
      (c) =>
        ownersChanged(c.old, c.final).every((i) => inRange(c.args.segment.range, i)) &&
        allIndices(c.args.segment.range, (i) => {
          const a = slotOwner(c.old, i);
          const b = slotOwner(c.final, i);
          if (rc(a) !== 1n) return rc(b) === rc(a) - 1n && sameExceptRc(a, b);
          return rc(b) === c.p.refCountUnused && !isInit(b.innerPerms.storage) && !isInit(b.innerPerms.vtablePtr);
        }),
      (c) => ({ 'changed owners': ownersChanged(c.old, c.final) }),
      'upstream',
    ),
    drEns(
      'obligations',
      "tracked_redeem_seg_obligations: final(regions).frame_obligations =~= old(regions).frame_obligations minus one entry per frame (the segment's)",
      (c) => {
        let ledger = c.old.frameObligations;
        for (const i of segIndices(c.args.segment.range)) ledger = ledger.redeem(i);
        return c.final.frameObligations.equals(ledger);
      },
      undefined,
      'upstream',
    ),
    drEns(
      'dealloc',
      'each frame whose last reference this was is returned with get_global_frame_allocator().dealloc(paddr, PAGE_SIZE), front to back',
      (c) => ghostEq(c.result.dealloc, lastRefs(c.old, c.args.segment.range)),
      (c) => ({ dealloc: c.result.dealloc, expected: lastRefs(c.old, c.args.segment.range) }),
      'upstream',
    ),
    drEns(
      'slots_unchanged',
      'final(regions).slots =~= old(regions).slots',
      (c) => slotsUnchanged(c.old, c.final),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    let r = c.old;
    let ledger = r.frameObligations;
    for (const i of segIndices(c.args.segment.range)) ledger = ledger.redeem(i);
    r = withLedger(r, ledger);
    const dealloc: Paddr[] = [];
    for (const i of segIndices(c.args.segment.range)) {
      const raw = frameFromRaw.next({ old: r, args: { paddr: i * P }, p: c.p });
      if (raw.kind === 'panic') return PANIC;
      const d = frameDrop.next({ old: raw.final, args: raw.result, p: c.p });
      if (d.kind === 'panic') return PANIC;
      r = d.final;
      dealloc.push(...d.result.dealloc);
    }
    return ret(r, Object.freeze({ dealloc }));
  },
  footprint: (a) => segIndices(a.segment.range),
});

// Segment::next (the verified Iterator::next) -------------------------------------------------------

/** What `Segment::next(&mut self)` returns: the frame and its drop obligation, and the advanced segment and owner. */
export type SegNextResult = Readonly<{ item: FromRawResult | null; segment: SegmentValue; owner: SegmentOwner }>;
type NxPost = PostCtx<MetaRegionOwners, InvariantsSubject, SegNextResult>;
const nxEns = clauseMaker<NxPost>('Segment::next', 'ensures');
const some = (c: NxPost, f: (item: FromRawResult) => boolean) => c.result.item === null || f(c.result.item);
const itemIdx = (item: FromRawResult) => indexOf(item.frame);

/** `Segment::next(&mut self)`: the front frame as a `Frame` that now owns the segment's reference, or `None`. */
export const segmentNext: OpSpec<MetaRegionOwners, InvariantsSubject, SegNextResult> = Object.freeze({
  name: 'Segment::next',
  rust: 'Segment::next',
  source: SOURCE,
  requires: invariantsRequires<InvariantsSubject>('Segment::next', 'old(self).invariants(old(owner), *old(regions))'),
  mayPanic: neverPanics<PreCtx<MetaRegionOwners, InvariantsSubject>>('Segment::next'),
  ensures: [
    nxEns('final_inv', 'final(regions).inv()', (c) => rangeRegionInv(c.final, c.args.segment.range)),
    nxEns('self_inv', 'final(self).inv()', (c) => segmentInv(c.result.segment, c.p)),
    nxEns(
      'relate_regions',
      'final(owner).relate_regions(*final(regions))',
      (c) => relateRegions(c.result.owner, c.final),
      (c) => relateRegionsWitness(c.result.owner, c.final),
    ),
    nxEns(
      'none_exhausted',
      'res is None ==> final(self).start_paddr() == old(self).end_paddr()',
      (c) => c.result.item !== null || c.result.segment.range.start === c.args.segment.range.end,
      (c) => ({ 'final(self).range': c.result.segment.range, 'old(self).range': c.args.segment.range }),
    ),
    nxEns('some_advance', 'res is Some ==> final(self).start_paddr() == old(self).start_paddr() + PAGE_SIZE', (c) =>
      some(c, () => c.result.segment.range.start === c.args.segment.range.start + P),
    ),
    nxEns(
      'some_paddr',
      'res matches Some(pair) ==> pair.0.paddr() == old(self).start_paddr()',
      (c) => some(c, (item) => itemIdx(item) * P === c.args.segment.range.start),
      (c) => ({ item: c.result.item, 'old(self).start_paddr()': c.args.segment.range.start }),
    ),
    nxEns(
      'some_slots_contain',
      'res matches Some(pair) ==> final(regions).slots.contains_key(frame_to_index(pair.0.paddr()))',
      (c) => some(c, (item) => slotsContain(c.final, itemIdx(item))),
    ),
    nxEns(
      'some_inv_with_regions',
      'res matches Some(pair) ==> pair.0.inv_with_regions(*final(regions))',
      (c) => some(c, (item) => every(invWithRegions(item.frame, c.final))),
      (c) => (c.result.item === null ? {} : { conjuncts: invWithRegions(c.result.item.frame, c.final) }),
    ),
    nxEns(
      'some_obligation',
      'res matches Some(pair) ==> final(regions).frame_obligations.count(frame_to_index(pair.0.paddr())) >= 1',
      (c) => some(c, (item) => c.final.frameObligations.count(itemIdx(item)) >= 1),
    ),
    nxEns(
      'end_kept',
      'final(self).end_paddr() == old(self).end_paddr() && final(self).wf(&final(owner))',
      (c) => c.result.segment.range.end === c.args.segment.range.end && segmentWf(c.result.segment, c.result.owner),
      (c) => ({ 'final(self).range': c.result.segment.range, 'final(owner).range': c.result.owner.range }),
      'upstream',
    ),
    nxEns(
      'regions_unchanged',
      '*final(regions) == *old(regions): the reference moves from the segment to the frame (from_raw mints, the segment redeems)',
      (c) => regionEq(c.old, c.final),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    const { start, end } = c.args.segment.range;
    if (!(start < end)) return ret(c.old, Object.freeze({ item: null, segment: c.args.segment, owner: c.args.owner }));
    const rest = segmentWithOwner(start + P, end);
    const item: FromRawResult = Object.freeze({ frame: frameAt(start), obl: frameToIndex(start) });
    return ret(c.old, Object.freeze({ item, segment: rest.segment, owner: rest.owner }));
  },
  footprint: (a) => (a.segment.range.start < a.segment.range.end ? [frameToIndex(a.segment.range.start)] : []),
});

/** Every `Segment` op spec, in source order. */
export const SEGMENT_OPS = [
  segmentFromUnused,
  segmentFromRaw,
  segmentSplit,
  segmentSlice,
  segmentClone,
  segmentIntoRaw,
  segmentNext,
  segmentDrop,
] as const;
