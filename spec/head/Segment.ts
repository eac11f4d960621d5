/**
 * vostd HEAD's contracts of `Segment<M>` (`ostd/src/mm/frame/segment.rs`, `ostd/specs/mm/frame/segment.rs`),
 * clause by clause.
 *
 * What HEAD changed: there is no `SegmentOwner` any more. `Segment::invariants(regions)` is
 * `self.inv() && regions.inv() && self.relate_regions(regions)`, with `relate_regions` over the
 * segment's own range ("the segment's own `range` is the only identity source"), `regions.contains(idx)`
 * for the two membership conjuncts and `slot_vaddr == index_to_meta(idx)`; `from_unused` promises
 * `seg.invariants(*final(regions))` (the seed left `relate_regions` out) and `range.start < range.end <=
 * MAX_PADDR` on `Ok`; `from_raw` requires the rebuilt segment's `invariants` and ensures them back;
 * `into_raw` hands back no owner; `Iterator for Segment::next` is `external_body`: the verified step is
 * `SegmentIterator::next_inner`, whose ensures say only where the range moved and the yielded frame's
 * address — nothing about the frame's region relation or its drop obligation (the seed's four `some_*`
 * clauses are gone). Everything else is the seed's predicate under HEAD's text, with HEAD's
 * `MetaRegionOwners::inv()` wherever a clause says `inv()`.
 *
 * The distinctness conjunct of `relate_regions` is a note: `frame_to_index(start + i * PAGE_SIZE)` is
 * strictly increasing in `i`, so it cannot fail in this representation.
 *
 * @see vostd b5b972861 `ostd/src/mm/frame/segment.rs`, `ostd/specs/mm/frame/segment.rs`
 */
import type { Clause, ClauseNote, PostCtx, PreCtx } from '../Op.ts';
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { clauseMaker, implies, note } from '../meta/clause.ts';
import { metaAddr } from '../meta/mapping.ts';
import { slotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { rc } from '../meta/MetaSlotOwner.ts';
import type { FrameIndex } from '../vocab.ts';
import type { PaddrRange } from '../frame/accounting.ts';
import { ownersContain } from '../frame/regionFacts.ts';
import {
  segmentClone,
  segmentDrop,
  segmentFromRaw,
  segmentFromUnused,
  segmentIntoRaw,
  segmentNext,
  segmentSlice,
  segmentSplit,
  type SegFromUnusedArgs,
  type SegFromUnusedResult,
  type SegNextResult,
} from '../frame/Segment.ts';
import {
  allIndices,
  rangeInv,
  RANGE_INV_TEXT,
  rangeInvRequires,
  RELATE_TEXT,
  segIndices,
  segmentInv,
  type SegmentValue,
} from '../frame/SegmentOwner.ts';
import { regionsContain } from './Frame.ts';
import { headRegionInv } from './MetaRegionOwners.ts';
import { reword, type Rewording } from './reword.ts';

type Region = MetaRegionOwners;
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);

/** HEAD's `regions.inv()` over the slots of a range (all of them only when the range is a valid segment range). */
export function headRangeRegionInv(r: Region, range: PaddrRange): boolean {
  return !every(rangeInv(range, r.p)) || headRegionInv(r, segIndices(range));
}

/** The per-frame conjuncts of HEAD's `Segment::relate_regions` at slot `idx`. */
export function headRelateRegionsAt(r: Region, idx: FrameIndex) {
  const has = ownersContain(idx);
  const o = slotOwner(r, idx);
  return {
    obligation: r.frameObligations.count(idx) >= 1,
    contains: regionsContain(r, idx),
    slot_vaddr: has && o.selfAddr === metaAddr(idx),
    rc_pos: has && rc(o) > 0n,
    rc_le_max: has && rc(o) <= r.p.refCountMax,
    paths_empty: has && o.pathsInPt.size === 0,
    usage_frame: has && o.usage === 'Frame',
  };
}

type RelateKey = keyof ReturnType<typeof headRelateRegionsAt>;

/** The Verus text of each per-frame conjunct of HEAD's `relate_regions`. */
export const HEAD_RELATE_TEXT: Readonly<Record<RelateKey, string>> = {
  obligation: 'regions.frame_obligations.count(idx) >= 1',
  contains: 'regions.contains(idx)',
  slot_vaddr: 'regions.slot_owners[idx].slot_vaddr == index_to_meta(idx)',
  rc_pos: 'regions.slot_owners[idx].ref_count() > 0',
  rc_le_max: 'regions.slot_owners[idx].ref_count() <= crate::mm::frame::meta::REF_COUNT_MAX',
  paths_empty: 'regions.slot_owners[idx].paths_in_pt.is_empty()',
  usage_frame: 'regions.slot_owners[idx].usage is Frame',
};

/** HEAD `self.relate_regions(regions)` over the segment's own range. */
export function headRelateRegions(s: SegmentValue, r: Region): boolean {
  return allIndices(s.range, (i) => every(headRelateRegionsAt(r, i)));
}

/** The first frame of `s` at which HEAD's `relate_regions` fails, with its conjuncts (for a report). */
export function headRelateWitness(s: SegmentValue, r: Region) {
  let bad: FrameIndex | null = null;
  allIndices(s.range, (i) => every(headRelateRegionsAt(r, i)) || ((bad = i), false));
  return bad === null ? { idx: null } : { idx: bad, conjuncts: headRelateRegionsAt(r, bad) };
}

/** HEAD `self.invariants(regions)`: `self.inv() && regions.inv() && self.relate_regions(regions)`. */
export function headInvariants(s: SegmentValue, r: Region): boolean {
  return segmentInv(s, r.p) && headRangeRegionInv(r, s.range) && headRelateRegions(s, r);
}

/**
 * The `requires` clauses of HEAD's `invariants(*old(regions))` on the segment `seg(args)`, one per
 * conjunct of `inv`, `regions.inv()` and `relate_regions` (kept apart so a report names the conjunct).
 */
export function headInvariantsRequires<A>(
  op: string,
  prefix: string,
  seg: (a: A) => SegmentValue,
): Clause<PreCtx<Region, A>>[] {
  const req = clauseMaker<PreCtx<Region, A>>(op, 'requires');
  const out = rangeInvRequires<A>(op, prefix, (a) => seg(a).range);
  out.push(req('regions_inv', `${prefix}: regions.inv()`, (c) => headRangeRegionInv(c.old, seg(c.args).range)));
  for (const [k, text] of Object.entries(HEAD_RELATE_TEXT)) {
    const key = k as RelateKey;
    out.push(
      req(
        `relate_regions.${key}`,
        `${prefix}: self.relate_regions(regions): forall|i| 0 <= i < seg_nframes(self.range) ==> ${text}`,
        (c) => allIndices(seg(c.args).range, (i) => headRelateRegionsAt(c.old, i)[key]),
        (c) => headRelateWitness(seg(c.args), c.old),
      ),
    );
  }
  return out;
}

/** The seed's `invariants(&owner, ..)` requires of `op`: HEAD states them over the segment alone. */
function seedInvariants(op: string): string[] {
  return [
    ...Object.keys(RANGE_INV_TEXT).map((k) => `${op}.requires.inv.${k}`),
    `${op}.requires.wf`,
    `${op}.requires.owner_inv`,
    `${op}.requires.regions_inv`,
    ...Object.keys(RELATE_TEXT).map((k) => `${op}.requires.relate_regions.${k}`),
  ];
}

/** Seed clause → HEAD clause for the renamed conjuncts of `relate_regions` in `op`'s requires. */
function relateRenames(op: string): Record<string, string> {
  return {
    [`${op}.requires.relate_regions.owners_contain`]: `${op}.requires.relate_regions.contains`,
    [`${op}.requires.relate_regions.self_addr`]: `${op}.requires.relate_regions.slot_vaddr`,
  };
}

/** Seed → HEAD names the clause diff follows for the `Segment` layer (conjuncts re-added, not reworded). */
export const HEAD_SEGMENT_RENAMES: Readonly<Record<string, string>> = Object.fromEntries(
  ['Segment::split', 'Segment::slice', 'Segment::into_raw', 'Segment::next', 'Segment::drop'].flatMap((op) =>
    Object.entries(relateRenames(op)),
  ),
);

/** The HEAD rewording of an op whose requires are `self.invariants(*old(regions))` (and, for drop, more). */
function overInvariants<A extends { segment: SegmentValue }, R>(
  op: string,
  prefix: string,
  w: Omit<Rewording<Region, A, R>, 'addRequires'> & { addRequires?: Rewording<Region, A, R>['addRequires'] },
): Rewording<Region, A, R> {
  return {
    ...w,
    drop: [...seedInvariants(op), ...(w.drop ?? [])],
    addRequires: [...headInvariantsRequires<A>(op, prefix, (a) => a.segment), ...(w.addRequires ?? [])],
  };
}

// Segment::from_unused ------------------------------------------------------------------------------

const FU = 'Segment::from_unused';
type FuPost = PostCtx<Region, SegFromUnusedArgs, SegFromUnusedResult>;
const okSeg = (c: FuPost): SegmentValue | undefined => (c.result.ok ? c.result.value.segment : undefined);

/** `Segment::from_unused(range, metadata_fn)` with `Tracked(regions)`, `Tracked(repr_perm)`. */
export const headSegmentFromUnused = reword(segmentFromUnused, {
  texts: {
    [`${FU}.requires.regions_inv`]: 'old(regions).inv()',
    [`${FU}.requires.range_usize`]: '(typing) range: Range<Paddr>: both ends are usize values',
    [`${FU}.may_panic.empty`]: '!(range.end <= MAX_PADDR ==> range.start < range.end) ==> may_panic()',
    [`${FU}.ensures.final_inv`]: 'final(regions).inv()',
    [`${FU}.ensures.err_obligations`]:
      'r is Err ==> final(regions).frame_obligations == old(regions).frame_obligations',
    [`${FU}.ensures.not_aligned`]:
      '(range.start % PAGE_SIZE != 0 || range.end % PAGE_SIZE != 0) ==> r == Err::<Self, _>(GetFrameError::NotAligned)',
    [`${FU}.ensures.out_of_bound`]:
      '(range.start % PAGE_SIZE == 0 && range.end % PAGE_SIZE == 0 && range.end > MAX_PADDR) ==> r == Err::<Self, _>(GetFrameError::OutOfBound)',
    [`${FU}.ensures.ok_nonempty`]: 'r matches Ok(seg) ==> range.start < range.end <= MAX_PADDR',
    [`${FU}.ensures.ok_start`]: 'r matches Ok(seg) ==> seg.start_paddr() == range.start',
    [`${FU}.ensures.ok_end`]: 'r matches Ok(seg) ==> seg.end_paddr() == range.end',
    [`${FU}.ensures.ok_start_lt_end`]: 'r matches Ok(seg) ==> seg.start_paddr() < seg.end_paddr()',
    [`${FU}.ensures.ok_obligations`]:
      'r matches Ok(seg) ==> seg_obligations_minted(*old(regions), *final(regions), range.start, seg_nframes(range))',
    [`${FU}.ensures.ok_slots_contain`]:
      'r matches Ok(seg) ==> forall|paddr: Paddr| (range.start <= paddr < range.end && paddr % PAGE_SIZE == 0) ==> final(regions).contains(frame_to_index(paddr))',
    [`${FU}.ensures.ok_invariants`]: 'r matches Ok(seg) ==> seg.invariants(*final(regions))',
    [`${FU}.ensures.ok_frames`]:
      'r is Ok ==> every frame of the range is claimed as by Frame::from_unused: old count REF_COUNT_UNUSED, count 1, in_list 0, metadata_fn(paddr) written, usage Frame',
    [`${FU}.ensures.others_unchanged`]: 'slot owners outside the range and every slot permission are unchanged',
    [`${FU}.ensures.err_rollback`]:
      'r is Err ==> the partial segment is dropped: every slot has its old count, metadata and in_list again (only the sticky usage may now be Frame)',
    [`${FU}.ensures.err_kind`]:
      "r is Err for an aligned, in-bound range ==> the error is Frame::from_unused's at the first frame that cannot be claimed (UNIQUE → Unique, 0 → Busy, other → InUse)",
    [`${FU}.ensures.rollback_dealloc`]:
      "the partial segment's Drop returns each frame claimed before the refusal to the global allocator, front to back; otherwise nothing is deallocated",
  },
  renames: {
    [`${FU}.ensures.ok_nonempty`]: `${FU}.ensures.ok_range`,
    [`${FU}.ensures.ok_slots_contain`]: `${FU}.ensures.ok_contains`,
  },
  requiresHolds: {
    [`${FU}.requires.regions_inv`]: (c) => headRangeRegionInv(c.old, c.args.range),
  },
  ensuresHolds: {
    [`${FU}.ensures.final_inv`]: (c) => headRangeRegionInv(c.final, c.args.range),
    [`${FU}.ensures.ok_nonempty`]: (c) =>
      implies(c.result.ok, () => c.args.range.start < c.args.range.end && c.args.range.end <= c.p.maxPaddr),
    [`${FU}.ensures.ok_slots_contain`]: (c) =>
      implies(c.result.ok, () => allIndices(c.args.range, (i) => regionsContain(c.final, i))),
    [`${FU}.ensures.ok_invariants`]: (c) => {
      const s = okSeg(c);
      return s === undefined || headInvariants(s, c.final);
    },
  },
  // HEAD has no segment owner: `seg.inv()` is the first conjunct of `seg.invariants(..)`.
  drop: [`${FU}.ensures.ok_owner`],
});

// Segment::from_raw ---------------------------------------------------------------------------------

const FR = 'Segment::from_raw';
const FR_PREFIX = '(Segment { range, _marker: PhantomData::<M> }).invariants(*old(regions))';

/** `Segment::from_raw(range)` (`unsafe`, `pub(crate)`) with `Tracked(regions)`. */
export const headSegmentFromRaw = reword(segmentFromRaw, {
  texts: {
    [`${FR}.ensures.range`]: 'r.range() == range',
    [`${FR}.ensures.r_inv`]: 'r.invariants(*final(regions))',
    [`${FR}.ensures.final_inv`]: 'final(regions).inv()',
    [`${FR}.ensures.regions_unchanged`]: '*final(regions) == *old(regions)',
  },
  renames: { [`${FR}.ensures.r_inv`]: `${FR}.ensures.r_invariants` },
  ensuresHolds: {
    [`${FR}.ensures.r_inv`]: (c) => headInvariants(c.result, c.final),
    [`${FR}.ensures.final_inv`]: (c) => headRangeRegionInv(c.final, c.args.range),
  },
  drop: [
    `${FR}.requires.regions_inv`,
    `${FR}.requires.owner_inv`,
    `${FR}.requires.range_owner`,
    `${FR}.requires.relate_regions`,
    `${FR}.ensures.wf`,
  ],
  addRequires: headInvariantsRequires(FR, FR_PREFIX, (a) => ({ range: a.range })),
});

// Segment::split ------------------------------------------------------------------------------------

const SP = 'Segment::split';
const SELF = 'self.invariants(*old(regions))';

/** `Segment::split(self, offset)` with `Tracked(regions)`. */
export const headSegmentSplit = reword(
  segmentSplit,
  overInvariants(SP, SELF, {
    texts: {
      [`${SP}.may_panic.bad_offset`]:
        'offset % PAGE_SIZE != 0 ==> may_panic(); !(0 < offset && offset < self.size()) ==> may_panic()',
      [`${SP}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
      [`${SP}.ensures.owners_unchanged`]: 'final(regions).slot_owners == old(regions).slot_owners',
      [`${SP}.ensures.obligations_unchanged`]: 'final(regions).frame_obligations == old(regions).frame_obligations',
      [`${SP}.ensures.split_spec`]: '(r.0, r.1) == self.split_spec(offset)',
      [`${SP}.ensures.left_invariants`]: 'r.0.invariants(*final(regions))',
      [`${SP}.ensures.right_invariants`]: 'r.1.invariants(*final(regions))',
    },
    ensuresHolds: {
      [`${SP}.ensures.left_invariants`]: (c) => headInvariants(c.result[0].segment, c.final),
      [`${SP}.ensures.right_invariants`]: (c) => headInvariants(c.result[1].segment, c.final),
    },
  }),
);

// Segment::slice ------------------------------------------------------------------------------------

const SL = 'Segment::slice';

/** `Segment::slice(&self, range)` with `Tracked(regions)`. */
export const headSegmentSlice = reword(
  segmentSlice,
  overInvariants(SL, SELF, {
    texts: {
      [`${SL}.may_panic.bad_range`]:
        'range.start % PAGE_SIZE != 0 ==> may_panic(); range.end % PAGE_SIZE != 0 ==> may_panic(); range.start > range.end ==> may_panic(); range.end > self.size() ==> may_panic(); self.page_in_range_saturated(range, *old(regions)) ==> may_panic()',
      [`${SL}.ensures.start_aligned`]: 'range.start % PAGE_SIZE == 0',
      [`${SL}.ensures.end_aligned`]: 'range.end % PAGE_SIZE == 0',
      [`${SL}.ensures.ordered`]: 'range.start <= range.end',
      [`${SL}.ensures.within`]: 'self.range.start + range.end <= self.range.end',
      [`${SL}.ensures.not_saturated`]: '!self.page_in_range_saturated(range, *old(regions))',
      [`${SL}.ensures.r_inv`]: 'r.inv()',
      [`${SL}.ensures.r_start`]: 'r.start_paddr() == self.start_paddr() + range.start',
      [`${SL}.ensures.r_end`]: 'r.end_paddr() == self.start_paddr() + range.end',
      [`${SL}.ensures.r_end_le`]: 'r.end_paddr() <= self.end_paddr()',
      [`${SL}.ensures.final_inv`]: 'final(regions).inv()',
      [`${SL}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
      [`${SL}.ensures.domain`]: 'final(regions).slot_owners.dom() == old(regions).slot_owners.dom()',
      [`${SL}.ensures.obligations_unchanged`]: 'final(regions).frame_obligations == old(regions).frame_obligations',
      [`${SL}.ensures.rc_inc`]:
        'inc_frame_ref_count per frame of the slice: its count + 1, every other field and every other slot unchanged',
    },
    ensuresHolds: {
      [`${SL}.ensures.final_inv`]: (c) => headRangeRegionInv(c.final, c.args.segment.range),
    },
  }),
);

// Segment::clone (RCClone) ----------------------------------------------------------------------------

const CL = 'Segment::clone';
const cloneFrame = (verus: string) =>
  `clone_requires: forall|pa: Paddr| (self.start_paddr() <= pa < self.end_paddr() && pa % PAGE_SIZE == 0) ==> ${verus}`;

/** `<Segment<M> as RCClone>::clone(&self, Tracked(perm))`. */
export const headSegmentClone = reword(segmentClone, {
  texts: {
    [`${CL}.requires.inv`]: 'clone_requires: self.inv()',
    [`${CL}.requires.regions_inv`]: 'clone_requires: perm.inv()',
    [`${CL}.requires.slots_contain`]: cloneFrame('perm.contains(frame_to_index(pa))'),
    [`${CL}.requires.safe_slot`]: cloneFrame('valid_frame_paddr(pa)'),
    [`${CL}.requires.rc_pos`]: cloneFrame('perm.slot_owners[idx].ref_count() > 0'),
    [`${CL}.requires.rc_below_max`]: cloneFrame('perm.slot_owners[idx].ref_count() + 1 < REF_COUNT_MAX'),
    [`${CL}.requires.not_panic_cond`]: cloneFrame(
      '!MetaSlot::inc_ref_count_panic_cond(perm.slot_owners[idx].ref_count_perm)',
    ),
    [`${CL}.ensures.range`]: 'clone_ensures: res.range() == self.range()',
    [`${CL}.ensures.res_inv`]: 'clone_ensures: res.inv()',
    [`${CL}.ensures.regions_inv`]: 'clone_ensures: new_perm.inv()',
    [`${CL}.ensures.obligations_unchanged`]:
      'clone_ensures: new_perm.frame_obligations =~= old_perm.frame_obligations (inc_frame_ref_count preserves the ledger)',
    [`${CL}.ensures.rc_inc`]:
      'inc_frame_ref_count per frame: its count + 1, every other field and every other slot unchanged',
  },
  renames: {
    [`${CL}.requires.slots_contain`]: `${CL}.requires.contains`,
    [`${CL}.requires.safe_slot`]: `${CL}.requires.valid_frame_paddr`,
  },
  requiresHolds: {
    [`${CL}.requires.regions_inv`]: (c) => headRangeRegionInv(c.old, c.args.segment.range),
    [`${CL}.requires.slots_contain`]: (c) => allIndices(c.args.segment.range, (i) => regionsContain(c.old, i)),
  },
  ensuresHolds: {
    [`${CL}.ensures.regions_inv`]: (c) => headRangeRegionInv(c.final, c.args.segment.range),
  },
});

// Segment::into_raw ---------------------------------------------------------------------------------

const IR = 'Segment::into_raw';

/** `Segment::into_raw(self)` (`pub(crate)`) with `Tracked(regions)`: no owner is handed back in HEAD. */
export const headSegmentIntoRaw = reword(
  segmentIntoRaw,
  overInvariants(IR, SELF, {
    texts: {
      [`${IR}.ensures.result`]: 'r == self.range()',
      [`${IR}.ensures.final_inv`]: 'final(regions).inv()',
      [`${IR}.ensures.regions_unchanged`]: '*final(regions) == *old(regions)',
    },
    ensuresHolds: { [`${IR}.ensures.final_inv`]: (c) => headRangeRegionInv(c.final, c.args.segment.range) },
    drop: [`${IR}.ensures.owner`],
  }),
);

// Segment::next (SegmentIterator::next_inner) ---------------------------------------------------------

const NX = 'Segment::next';
type NxPost = PostCtx<Region, { segment: SegmentValue }, SegNextResult>;
const nxEns = clauseMaker<NxPost>(NX, 'ensures');

/**
 * `Segment::next(&mut self)`: HEAD's `Iterator for Segment` is `external_body`; the verified step over a
 * range of the segment is `SegmentIterator::next_inner(segment, &mut range)`, read here with
 * `old(range) == old(self).range` and `segment.range.end == old(self).range.end`.
 */
export const headSegmentNext = reword(
  { ...segmentNext, rust: 'SegmentIterator::next_inner (Iterator for Segment::next is external_body)' },
  overInvariants(NX, '(Segment { range: old(range).start..old(range).end, .. }).invariants(**old(regions_ref))', {
    texts: {
      [`${NX}.ensures.relate_regions`]:
        '(Segment { range: final(range).start..final(range).end, .. }).invariants(**final(regions_ref))',
      [`${NX}.ensures.none_exhausted`]:
        'res is None ==> final(range).start == old(range).start && final(range).end == old(range).end',
      [`${NX}.ensures.some_advance`]: 'res matches Some(item) ==> final(range).start == old(range).start + PAGE_SIZE',
      [`${NX}.ensures.some_paddr`]: 'res matches Some(item) ==> item.0.paddr() == old(range).start',
      [`${NX}.ensures.regions_unchanged`]:
        '*final(regions) == *old(regions): the reference moves from the segment to the frame (from_raw mints, the segment redeems)',
    },
    renames: {
      [`${NX}.ensures.relate_regions`]: `${NX}.ensures.final_invariants`,
      [`${NX}.ensures.none_exhausted`]: `${NX}.ensures.none_unchanged`,
    },
    ensuresHolds: {
      [`${NX}.ensures.relate_regions`]: (c) => headInvariants(c.result.segment, c.final),
      [`${NX}.ensures.none_exhausted`]: (c) =>
        c.result.item !== null ||
        (c.result.segment.range.start === c.args.segment.range.start &&
          c.result.segment.range.end === c.args.segment.range.end),
    },
    // `final(regions).inv()` and `final(self).inv()` are conjuncts of the final `invariants`; HEAD says
    // nothing of the yielded frame but its address.
    drop: [
      `${NX}.ensures.final_inv`,
      `${NX}.ensures.self_inv`,
      `${NX}.ensures.end_kept`,
      `${NX}.ensures.some_slots_contain`,
      `${NX}.ensures.some_inv_with_regions`,
      `${NX}.ensures.some_obligation`,
    ],
    addEnsures: [
      nxEns(
        'end_kept',
        'segment.range.start <= final(range).start && final(range).end == segment.range.end',
        (c) =>
          c.result.segment.range.end === c.args.segment.range.end &&
          c.result.segment.range.start >= c.args.segment.range.start,
        (c) => ({ 'final(range)': c.result.segment.range, 'old(range)': c.args.segment.range }),
      ),
    ],
  }),
);

// Segment::drop -------------------------------------------------------------------------------------

const DR = 'Segment::drop';

/** `Segment::drop(self)` with `Tracked(regions)`. */
export const headSegmentDrop = reword(
  segmentDrop,
  overInvariants(DR, SELF, {
    texts: {
      [`${DR}.requires.last_ref_init`]:
        'forall|i| 0 <= i < seg_nframes(self.range) ==> old(regions).slot_owners[idx].ref_count() == 1 ==> { old(regions).slot_owners[idx].storage_perm().is_init() &&& old(regions).slot_owners[idx].in_list_perm.value() == 0 }',
      [`${DR}.ensures.final_inv`]: 'final(regions).inv()',
      [`${DR}.ensures.rc_dec`]:
        'each frame: old count > 1 ==> count − 1, metadata kept; old count == 1 ==> REF_COUNT_UNUSED with its metadata dropped; other slots unchanged',
      [`${DR}.ensures.obligations`]:
        "tracked_redeem_seg_obligations: final(regions).frame_obligations =~= old(regions).frame_obligations minus one entry per frame (the segment's)",
      [`${DR}.ensures.dealloc`]:
        'each frame whose last reference this was is returned with get_global_frame_allocator().dealloc(paddr, PAGE_SIZE), front to back',
      [`${DR}.ensures.slots_unchanged`]: 'final(regions).slots =~= old(regions).slots',
    },
    ensuresHolds: { [`${DR}.ensures.final_inv`]: (c) => headRangeRegionInv(c.final, c.args.segment.range) },
  }),
);

/** HEAD's `Segment` conjuncts that cannot fail in this representation, and why. */
export const HEAD_SEGMENT_NOTES: readonly ClauseNote[] = [
  note(
    `${FU}.requires.metadata_fn_requires`,
    'forall|paddr_in: Paddr| (range.start <= paddr_in < range.end && paddr_in % PAGE_SIZE == 0) ==> metadata_fn.requires((paddr_in,))',
    'metadata_fn is a total TypeScript function `(paddr) => M`: it has no precondition to state',
  ),
  note(
    `${FU}.requires.metadata_fn_paddr`,
    'forall|paddr_in: Paddr, paddr_out: Paddr, m: M| metadata_fn.ensures((paddr_in,), (paddr_out, m)) ==> paddr_in == paddr_out',
    "HEAD's closure is `Fn(Paddr) -> (Paddr, M)`; the model's returns only the metadata (upstream's `FnMut(Paddr) -> M`), so the address handed back is the one passed in",
  ),
  note(
    'Segment::relate_regions.distinct',
    'forall|i: int, j: int| 0 <= i < j < seg_nframes(self.range) ==> frame_to_index(self.range.start + i * PAGE_SIZE) != frame_to_index(self.range.start + j * PAGE_SIZE)',
    '`frame_to_index(start + i * PAGE_SIZE)` is strictly increasing in `i` (lemma_frame_to_index_injective): no range makes it false',
  ),
  note(
    `${NX}.ensures.remaining`,
    'res matches Some(item) ==> old(remaining).seq() == seq![item] + final(remaining).seq(); res is None ==> old(remaining).seq() == Seq::empty() && final(remaining).seq() == Seq::empty()',
    "the prophecy sequence of SegmentIterator's remaining items is ghost bookkeeping with no counterpart in a run: the items a run yields are the prophecy",
  ),
];

/** Every HEAD `Segment` op spec, in the seed's order. */
export const HEAD_SEGMENT_OPS = [
  headSegmentFromUnused,
  headSegmentFromRaw,
  headSegmentSplit,
  headSegmentSlice,
  headSegmentClone,
  headSegmentIntoRaw,
  headSegmentNext,
  headSegmentDrop,
] as const;

/** The `Segment` op specs of one spec version, as the checked segment layer runs them. */
export type SegmentOpTable = Readonly<{
  fromUnused: typeof segmentFromUnused;
  fromRaw: typeof segmentFromRaw;
  split: typeof segmentSplit;
  slice: typeof segmentSlice;
  clone: typeof segmentClone;
  intoRaw: typeof segmentIntoRaw;
  next: typeof segmentNext;
  drop: typeof segmentDrop;
}>;

const SEED_TABLE: SegmentOpTable = Object.freeze({
  fromUnused: segmentFromUnused,
  fromRaw: segmentFromRaw,
  split: segmentSplit,
  slice: segmentSlice,
  clone: segmentClone,
  intoRaw: segmentIntoRaw,
  next: segmentNext,
  drop: segmentDrop,
});
const HEAD_TABLE: SegmentOpTable = Object.freeze({
  fromUnused: headSegmentFromUnused,
  fromRaw: headSegmentFromRaw,
  split: headSegmentSplit,
  slice: headSegmentSlice,
  clone: headSegmentClone,
  intoRaw: headSegmentIntoRaw,
  next: headSegmentNext,
  drop: headSegmentDrop,
});

/** The `Segment` op specs of `spec`. */
export function segmentOpsOf(spec: SpecVersion): SegmentOpTable {
  return spec === 'head' ? HEAD_TABLE : SEED_TABLE;
}
