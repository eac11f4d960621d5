/**
 * The ghost side of `Segment<M>`: the segment value, its tracked `SegmentOwner { range }`, and the
 * predicates the seed-era segment contracts are built from — `Segment::inv`, `Segment::wf`,
 * `SegmentOwner::inv`, `SegmentOwner::relate_regions`, `Segment::invariants` and
 * `seg_obligations_minted` — each conjunct by conjunct, so a violation names the conjunct that failed.
 *
 * A segment owns one forgotten reference per frame; the ledger holds one `frame_obligations` entry per
 * frame for it (minted by `from_unused`, redeemed by `drop`).
 *
 * @see vostd (seed era) `ostd/specs/mm/frame/segment.rs`, `ostd/src/mm/frame/segment.rs` (`impl Inv for Segment`)
 */
import type { Clause, PreCtx } from '../Op.ts';
import { clauseMaker } from '../meta/clause.ts';
import { frameToIndex, metaAddr } from '../meta/mapping.ts';
import { slotOwner, slotsContain, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { rc } from '../meta/MetaSlotOwner.ts';
import { PAGE_SIZE, type FrameIndex, type ModelParams, type Paddr } from '../vocab.ts';
import type { PaddrRange } from './accounting.ts';
import { ownersContain, regionInv } from './regionFacts.ts';

/** `Segment<M> { range }` as the ghost sees it. */
export type SegmentValue = Readonly<{ range: PaddrRange }>;
/** `SegmentOwner<M> { range }` (seed era; a ghost range, no permissions: "Design B, Arc-style"). */
export type SegmentOwner = Readonly<{ range: PaddrRange }>;
/** A segment with the tracked owner that goes with it. */
export type SegmentWithOwner = Readonly<{ segment: SegmentValue; owner: SegmentOwner }>;

/** The range `start..end`. */
export function paddrRange(start: Paddr, end: Paddr): PaddrRange {
  return Object.freeze({ start, end });
}

/** The segment over `start..end` and its owner. */
export function segmentWithOwner(start: Paddr, end: Paddr): SegmentWithOwner {
  const range = paddrRange(start, end);
  return Object.freeze({ segment: Object.freeze({ range }), owner: Object.freeze({ range }) });
}

/** `seg_nframes(range) = (range.end − range.start) / PAGE_SIZE` (0 for an empty or reversed range). */
export function segNframes(range: PaddrRange): number {
  return Math.max(0, Math.floor((range.end - range.start) / PAGE_SIZE));
}

/** `frame_idx_at(range_start, j) = frame_to_index(range_start + j * PAGE_SIZE)`. */
export function frameIdxAt(rangeStart: Paddr, j: number): FrameIndex {
  return frameToIndex(rangeStart + j * PAGE_SIZE);
}

/** The slot indices of a segment's frames, front to back (`frame_idx_at(start, i)` for `0 <= i < nframes`). */
export function segIndices(range: PaddrRange): FrameIndex[] {
  const n = segNframes(range);
  const out = new Array<FrameIndex>(n);
  for (let j = 0; j < n; j++) out[j] = frameIdxAt(range.start, j);
  return out;
}

/** The page-aligned physical addresses of a range, front to back. */
export function segPaddrs(range: PaddrRange): Paddr[] {
  return segIndices(range).map((i) => i * PAGE_SIZE);
}

/** `impl Inv for Segment` (and for `SegmentOwner`): conjunct by conjunct. */
export function rangeInv(range: PaddrRange, p: ModelParams) {
  return {
    start_aligned: range.start % PAGE_SIZE === 0,
    end_aligned: range.end % PAGE_SIZE === 0,
    start_le_end: range.start <= range.end,
    end_le_max: range.end <= p.maxPaddr,
  };
}

/** The Verus text of each conjunct of `rangeInv`. */
export const RANGE_INV_TEXT: Readonly<Record<keyof ReturnType<typeof rangeInv>, string>> = {
  start_aligned: 'start_paddr() % PAGE_SIZE == 0',
  end_aligned: 'end_paddr() % PAGE_SIZE == 0',
  start_le_end: 'start_paddr() <= end_paddr()',
  end_le_max: 'end_paddr() <= MAX_PADDR',
};

const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);

/** `Segment::inv()`. */
export function segmentInv(s: SegmentValue, p: ModelParams): boolean {
  return every(rangeInv(s.range, p));
}

/** `SegmentOwner::inv()`. */
export function segmentOwnerInv(o: SegmentOwner, p: ModelParams): boolean {
  return every(rangeInv(o.range, p));
}

/** `Segment::wf(&owner)`: `self.range == owner.range`. */
export function segmentWf(s: SegmentValue, o: SegmentOwner): boolean {
  return s.range.start === o.range.start && s.range.end === o.range.end;
}

/** The per-frame conjuncts of `SegmentOwner::relate_regions` at slot `idx`. */
export function relateRegionsAt(r: MetaRegionOwners, idx: FrameIndex) {
  const has = ownersContain(idx);
  const o = slotOwner(r, idx);
  return {
    obligation: r.frameObligations.count(idx) >= 1,
    owners_contain: has,
    slots_contain: slotsContain(r, idx),
    self_addr: has && o.selfAddr === metaAddr(idx),
    rc_pos: has && rc(o) > 0n,
    rc_le_max: has && rc(o) <= r.p.refCountMax,
    paths_empty: has && o.pathsInPt.size === 0,
    usage_frame: has && o.usage === 'Frame',
  };
}

/** The Verus text of each per-frame conjunct of `relate_regions`. */
export const RELATE_TEXT: Readonly<Record<keyof ReturnType<typeof relateRegionsAt>, string>> = {
  obligation: 'regions.frame_obligations.count(idx) >= 1',
  owners_contain: 'regions.slot_owners.contains_key(idx)',
  slots_contain: 'regions.slots.contains_key(idx)',
  self_addr: 'regions.slot_owners[idx].self_addr == meta_addr(idx)',
  rc_pos: 'regions.slot_owners[idx].inner_perms.ref_count.value() > 0',
  rc_le_max: 'regions.slot_owners[idx].inner_perms.ref_count.value() <= REF_COUNT_MAX',
  paths_empty: 'regions.slot_owners[idx].paths_in_pt.is_empty()',
  usage_frame: 'regions.slot_owners[idx].usage == PageUsage::Frame',
};

/** A per-frame conjunct of `relate_regions` (its distinctness conjunct is a note, `SEGMENT_NOTES`). */
export type RelateConjunct = keyof typeof RELATE_TEXT;

/** The distinctness conjunct of `owner.relate_regions(regions)`, as vostd states it. */
export const RELATE_DISTINCT_TEXT =
  'owner.relate_regions(regions): forall|i, j| 0 <= i < j < seg_nframes(owner.range) ==> frame_idx_at(start, i) != frame_idx_at(start, j)';

/** Whether `f` holds at every slot index of `range`, front to back (stops at the first failure). */
export function allIndices(range: PaddrRange, f: (i: FrameIndex) => boolean): boolean {
  const n = segNframes(range);
  for (let j = 0; j < n; j++) if (!f(frameIdxAt(range.start, j))) return false;
  return true;
}

/** Whether one per-frame conjunct of `owner.relate_regions(r)` holds (at every frame of the owner's range). */
export function relateRegionsHolds(o: SegmentOwner, r: MetaRegionOwners, k: RelateConjunct): boolean {
  return allIndices(o.range, (i) => relateRegionsAt(r, i)[k]);
}

/** `owner.relate_regions(r)`. */
export function relateRegions(o: SegmentOwner, r: MetaRegionOwners): boolean {
  return allIndices(o.range, (i) => every(relateRegionsAt(r, i)));
}

/** The first frame of `o` at which `relate_regions` fails, with its conjuncts (for a report). */
export function relateRegionsWitness(o: SegmentOwner, r: MetaRegionOwners) {
  let bad: FrameIndex | null = null;
  allIndices(o.range, (i) => every(relateRegionsAt(r, i)) || ((bad = i), false));
  return bad === null ? { idx: null } : { idx: bad, conjuncts: relateRegionsAt(r, bad), rc: rc(slotOwner(r, bad)) };
}

/** `regions.inv()` over the slots of a range (all of them only when the range is a valid segment range). */
export function rangeRegionInv(r: MetaRegionOwners, range: PaddrRange): boolean {
  return !every(rangeInv(range, r.p)) || regionInv(r, segIndices(range));
}

/**
 * `seg_obligations_minted(pre, post, range_start, n)`, conjunct by conjunct: every segment frame's count
 * grew by at least one, and every other slot's count is untouched.
 */
export function segObligationsMinted(pre: MetaRegionOwners, post: MetaRegionOwners, rangeStart: Paddr, n: number) {
  const seg = new Set<FrameIndex>();
  for (let j = 0; j < n; j++) seg.add(frameIdxAt(rangeStart, j));
  let grew = true;
  for (const i of seg) if (post.frameObligations.count(i) < pre.frameObligations.count(i) + 1) grew = false;
  let others = true;
  for (const ledger of [pre.frameObligations, post.frameObligations])
    for (const [i] of ledger.entries())
      if (!seg.has(i) && post.frameObligations.count(i) !== pre.frameObligations.count(i)) others = false;
  return { each_minted: grew, others_untouched: others };
}

/** The `requires` clauses of `self.inv()` inside `prefix`, one per conjunct, on the range `rangeOf(args)`. */
export function rangeInvRequires<A>(
  op: string,
  prefix: string,
  rangeOf: (a: A) => PaddrRange,
): Clause<PreCtx<MetaRegionOwners, A>>[] {
  const req = clauseMaker<PreCtx<MetaRegionOwners, A>>(op, 'requires');
  return Object.entries(RANGE_INV_TEXT).map(([k, text]) => {
    const key = k as keyof typeof RANGE_INV_TEXT;
    return req(
      `inv.${key}`,
      `${prefix}: self.inv(): ${text}`,
      (c) => rangeInv(rangeOf(c.args), c.p)[key],
      (c) => ({ range: rangeOf(c.args), MAX_PADDR: c.p.maxPaddr }),
    );
  });
}

/** What `Segment::invariants(&owner, regions)` is checked on: a segment, its owner and a region. */
export type InvariantsSubject = Readonly<{ segment: SegmentValue; owner: SegmentOwner }>;

/**
 * The `requires` clauses of `self.invariants(&owner, *old(regions))`, one per conjunct of `inv`,
 * `wf`, `owner.inv()`, `regions.inv()` and `relate_regions` (vostd bundles the five; framecheck keeps
 * them apart so a report names the conjunct).
 */
export function invariantsRequires<A extends InvariantsSubject>(
  op: string,
  prefix = 'self.invariants(&owner, *old(regions))',
): Clause<PreCtx<MetaRegionOwners, A>>[] {
  const req = clauseMaker<PreCtx<MetaRegionOwners, A>>(op, 'requires');
  const out = rangeInvRequires<A>(op, prefix, (a) => a.segment.range);
  out.push(
    req(
      'wf',
      `${prefix}: self.wf(&owner) (self.range == owner.range)`,
      (c) => segmentWf(c.args.segment, c.args.owner),
      (c) => ({ 'self.range': c.args.segment.range, 'owner.range': c.args.owner.range }),
    ),
    req('owner_inv', `${prefix}: owner.inv()`, (c) => segmentOwnerInv(c.args.owner, c.p)),
    req('regions_inv', `${prefix}: regions.inv()`, (c) => rangeRegionInv(c.old, c.args.owner.range)),
  );
  for (const [k, text] of Object.entries(RELATE_TEXT)) {
    const key = k as keyof typeof RELATE_TEXT;
    out.push(
      req(
        `relate_regions.${key}`,
        `${prefix}: owner.relate_regions(regions): forall|i| 0 <= i < seg_nframes(owner.range) ==> ${text}`,
        (c) => relateRegionsHolds(c.args.owner, c.old, key),
        (c) => relateRegionsWitness(c.args.owner, c.old),
      ),
    );
  }
  return out;
}

/** `Segment::invariants(&owner, regions)` as one predicate (for `ensures` that restate it). */
export function invariants(s: SegmentValue, o: SegmentOwner, r: MetaRegionOwners): boolean {
  return (
    segmentInv(s, r.p) &&
    segmentWf(s, o) &&
    segmentOwnerInv(o, r.p) &&
    rangeRegionInv(r, o.range) &&
    relateRegions(o, r)
  );
}
