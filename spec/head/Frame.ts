/**
 * vostd HEAD's contracts of `Frame<M>` (`ostd/src/mm/frame/mod.rs`, `frame_specs.rs`), `FrameRef`
 * (`frame_ref.rs`) and `inc_frame_ref_count`, clause by clause.
 *
 * The seed's predicates are kept wherever HEAD's clause means the same thing (only the text moves:
 * `has_safe_slot` → `valid_frame_paddr`, `inner_perms.ref_count.value()` → `ref_count()`,
 * `self_addr` → `slot_vaddr`); every `inv()` is HEAD's `MetaRegionOwners::inv()`. What HEAD changed:
 * `from_unused` promises `Self::from_unused_spec` (the claim and the minted obligation in one
 * equation) and drops the re-park and the separate obligation clauses; `clone_requires` no longer
 * lists `slots`/`slot_owners` membership; `wf_with_region` and `from_raw_requires_safety` say
 * `regions.contains(idx)` (both maps); `drop` counts the obligation at `self.index()`. New in HEAD:
 * `Frame::borrow`, `Frame::reference_count`, `FrameRef::borrow_paddr` and `inc_frame_ref_count`.
 *
 * @see vostd b5b972861 `ostd/src/mm/frame/mod.rs`, `ostd/src/mm/frame/frame_ref.rs`, `ostd/specs/mm/frame/frame_specs.rs`
 */
import type { ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies, paddrIndex, safeIndices, withAbortsExactly } from '../meta/clause.ts';
import { frameToIndex, frameToMeta } from '../meta/mapping.ts';
import {
  regionEq,
  slotOwner,
  slotPerm,
  slotsContain,
  withSlotOwner,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { META_SLOT_WF, rc, withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { ghostEq, isInit, permissionU64, valueOf } from '../meta/perms.ts';
import type { Res } from '../meta/results.ts';
import { type FrameIndex, type Paddr } from '../vocab.ts';
import {
  frameAt,
  frameClone,
  frameDrop,
  frameFromInUse,
  FRAME_NOTES,
  frameFromRaw,
  frameFromUnused,
  frameInv,
  frameIntoRaw,
  indexOf,
  invWithRegions,
  type FrameArgs,
  type FromUnusedArgs,
  type FrameValue,
  type PaddrArgs,
} from '../frame/Frame.ts';
import { neverPanics, othersUnchanged, ownersContain, PANIC, ret, slotsUnchanged } from '../frame/regionFacts.ts';
import { headRegionInv } from './MetaRegionOwners.ts';
import { headGetFromUnusedSpec, validFramePaddr } from './MetaSlot.ts';
import { headNote, reword } from './reword.ts';

type Region = MetaRegionOwners;
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const rcOf = (r: Region, i: FrameIndex): bigint => (ownersContain(i) ? rc(slotOwner(r, i)) : r.p.refCountUnused);
const fIdx = (c: { args: FrameArgs }) => indexOf(c.args.frame);
const fAt = (c: { args: FrameArgs; p: Region['p'] }) => (frameInv(c.args.frame, c.p) ? [fIdx(c)] : []);
/** HEAD's `regions.contains(i)`: `slot_owners.contains_key(i) && slots.contains_key(i)`. */
export const regionsContain = (r: Region, i: FrameIndex): boolean => ownersContain(i) && slotsContain(r, i);

// Frame::from_unused ------------------------------------------------------------------------------

/**
 * HEAD `Frame::from_unused_spec(paddr, pre, post)`: the seed's claim conjuncts, with `post =~=
 * pre.insert_slot_owner(paddr, post_owner).mint_frame_obligation(idx)` (the obligation minted in it).
 */
export function headFromUnusedSpec(paddr: Paddr, pre: Region, post: Region) {
  const { obligations_unchanged: _, ...claim } = headGetFromUnusedSpec(paddr, false, pre, post);
  return {
    ...claim,
    obligation_minted: post.frameObligations.equals(pre.frameObligations.mint(frameToIndex(paddr))),
  };
}

type FuPost = PostCtx<Region, FromUnusedArgs, Res<FrameValue>>;

/** `Frame::from_unused(paddr, metadata)` with `Tracked(regions)`, `Tracked(repr_perm)`. */
export const headFrameFromUnused = reword(frameFromUnused, {
  texts: {
    'Frame::from_unused.requires.regions_inv': 'old(regions).inv()',
    'Frame::from_unused.ensures.final_inv': 'final(regions).inv()',
    'Frame::from_unused.ensures.ok_ptr': 'r matches Ok(res) ==> res.ptr.addr() == frame_to_meta(paddr)',
    'Frame::from_unused.ensures.unsafe_err': '!valid_frame_paddr(paddr) ==> r is Err',
    'Frame::from_unused.ensures.err_unchanged': 'r is Err ==> *final(regions) == *old(regions)',
    'Frame::from_unused.ensures.err_kind':
      'get_from_unused: NotAligned, then OutOfBound, then the observed count: UNIQUE → Unique, 0 → Busy, any other → InUse',
    'Frame::from_unused.ensures.ok_metadata':
      'r is Ok ==> the slot holds exactly `metadata` (upstream write_meta; vostd HEAD states it only for MetaSlot::get_from_unused)',
  },
  renames: { 'Frame::from_unused.ensures.unsafe_err': 'Frame::from_unused.ensures.invalid_err' },
  requiresHolds: { 'Frame::from_unused.requires.regions_inv': (c) => headRegionInv(c.old, safeIndices(c)) },
  ensuresHolds: { 'Frame::from_unused.ensures.final_inv': (c) => headRegionInv(c.final, safeIndices(c)) },
  drop: [
    'Frame::from_unused.ensures.ok_spec',
    'Frame::from_unused.ensures.ok_reparked',
    'Frame::from_unused.ensures.ok_obligations',
    'Frame::from_unused.ensures.err_obligations',
  ],
  addEnsures: [
    clauseMaker<FuPost>('Frame::from_unused', 'ensures')(
      'ok_spec',
      'r matches Ok(res) ==> Self::from_unused_spec(paddr, *old(regions), *final(regions))',
      (c) => implies(c.result.ok, () => every(headFromUnusedSpec(c.args.paddr, c.old, c.final))),
      (c) => ({ conjuncts: headFromUnusedSpec(c.args.paddr, c.old, c.final) }),
    ),
  ],
  // The seed's `next` extracts the slot permission and re-parks the same one: HEAD's no-extraction state.
});

// Frame::from_in_use --------------------------------------------------------------------------------

const FIU = 'Frame::from_in_use';

/** `Frame::from_in_use(paddr)` with `Tracked(regions)`. */
export const headFrameFromInUse = reword(frameFromInUse, {
  texts: {
    [`${FIU}.requires.regions_inv`]: 'old(regions).inv()',
    [`${FIU}.may_panic.at_max`]:
      'valid_frame_paddr(paddr) ==> old(regions).ref_count(frame_to_index(paddr)) >= REF_COUNT_MAX ==> may_panic()',
    [`${FIU}.ensures.final_inv`]: 'final(regions).inv()',
    [`${FIU}.ensures.ok_rc_inc`]:
      'res matches Ok(res) ==> final(regions).ref_count(frame_to_index(paddr)) == old(regions).ref_count(frame_to_index(paddr)) + 1',
    [`${FIU}.ensures.ok_ptr`]: 'res matches Ok(res) ==> res.ptr == old(regions).slots[frame_to_index(paddr)].pptr()',
    [`${FIU}.ensures.ok_obligations`]:
      'res matches Ok(res) ==> MetaSlot::live_frame_obligations_ok_spec(paddr, *old(regions), *final(regions))',
    [`${FIU}.ensures.unsafe_err`]: '!valid_frame_paddr(paddr) ==> res is Err',
    [`${FIU}.ensures.others_unchanged`]:
      'old(regions).slot_owners_agree_except(*final(regions), frame_to_index(paddr))',
    [`${FIU}.ensures.err_unchanged`]: 'res is Err ==> *old(regions) == *final(regions)',
    [`${FIU}.ensures.err_kind`]:
      'res is Err ==> the error names the observed count: UNUSED → Unused, UNIQUE → Unique, 0 → Busy',
  },
  renames: { [`${FIU}.ensures.unsafe_err`]: `${FIU}.ensures.invalid_err` },
  requiresHolds: { [`${FIU}.requires.regions_inv`]: (c) => headRegionInv(c.old, safeIndices(c)) },
  ensuresHolds: { [`${FIU}.ensures.final_inv`]: (c) => headRegionInv(c.final, safeIndices(c)) },
  drop: [`${FIU}.ensures.err_obligations`],
});

// Frame::clone (RCClone) -----------------------------------------------------------------------------

const CL = 'Frame::clone';
const cloneField = (f: string) => `clone_ensures: new_perm.slot_owners[idx].${f} == old_perm.slot_owners[idx].${f}`;

/** `<Frame<M> as RCClone>::clone(&self, Tracked(perm))`. */
export const headFrameClone = reword(frameClone, {
  texts: {
    [`${CL}.requires.frame_inv`]: 'clone_requires: self.inv()',
    [`${CL}.requires.regions_inv`]: 'clone_requires: perm.inv()',
    [`${CL}.requires.rc_pos`]: 'clone_requires: perm.slot_owners[idx].ref_count() > 0',
    [`${CL}.requires.rc_not_unused`]: 'clone_requires: perm.slot_owners[idx].ref_count() != REF_COUNT_UNUSED',
    [`${CL}.requires.safe_slot`]: 'clone_requires: valid_frame_paddr(self.paddr())',
    [`${CL}.may_panic.at_max`]: 'clone_requires: perm.slot_owners[idx].ref_count() >= REF_COUNT_MAX ==> may_panic()',
    [`${CL}.ensures.regions_inv`]: 'clone_ensures: new_perm.inv()',
    [`${CL}.ensures.rc_inc`]:
      'clone_ensures: new_perm.slot_owners[idx].ref_count() == old_perm.slot_owners[idx].ref_count() + 1',
    [`${CL}.ensures.rc_id`]: cloneField('ref_count_perm.id()'),
    [`${CL}.ensures.storage`]: cloneField('storage_perm()'),
    [`${CL}.ensures.vtable_ptr`]: cloneField('vtable_ptr_perm()'),
    [`${CL}.ensures.in_list`]: cloneField('in_list_perm'),
    [`${CL}.ensures.paths_in_pt`]: cloneField('paths_in_pt'),
    [`${CL}.ensures.self_addr`]: cloneField('slot_vaddr'),
    [`${CL}.ensures.usage`]: cloneField('usage'),
    [`${CL}.ensures.slots_unchanged`]: 'clone_ensures: new_perm.slots == old_perm.slots',
    [`${CL}.ensures.others_unchanged`]:
      'clone_ensures: forall|i: int| i != idx ==> new_perm.slot_owners[i] == old_perm.slot_owners[i]',
    [`${CL}.ensures.domain`]: 'clone_ensures: new_perm.slot_owners.dom() == old_perm.slot_owners.dom()',
    [`${CL}.ensures.obligations`]:
      'clone_ensures: new_perm.frame_obligations == old_perm.frame_obligations.insert(idx)',
  },
  renames: {
    [`${CL}.requires.safe_slot`]: `${CL}.requires.valid_paddr`,
    [`${CL}.ensures.self_addr`]: `${CL}.ensures.slot_vaddr`,
  },
  requiresHolds: { [`${CL}.requires.regions_inv`]: (c) => headRegionInv(c.old, fAt(c)) },
  ensuresHolds: { [`${CL}.ensures.regions_inv`]: (c) => headRegionInv(c.final, fAt(c)) },
  // HEAD's clone_requires no longer lists `slots`/`slot_owners` membership (implied by `perm.inv()`).
  drop: [`${CL}.requires.slots_contain`, `${CL}.requires.owners_contain`],
});

// Frame::drop (TrackDrop) ------------------------------------------------------------------------------

const DR = 'Frame::drop';
const wf = (part: string) => `drop_requires: self.wf_with_region(s): ${part}`;
type DrArgs = Parameters<typeof frameDrop.next>[0]['args'];
const dIdx = (c: { args: DrArgs }) => indexOf(c.args.frame);
const dAt = (c: { args: DrArgs; p: Region['p'] }) => (frameInv(c.args.frame, c.p) ? [dIdx(c)] : []);

/** `<Frame<M> as Drop>::drop(self, Tracked(regions), Tracked(obl))` under HEAD's `TrackDrop` contract. */
export const headFrameDrop = reword(frameDrop, {
  texts: {
    [`${DR}.requires.frame_inv`]: wf('self.inv()'),
    [`${DR}.requires.regions_inv`]: wf('s.inv()'),
    [`${DR}.requires.slots_contain`]: wf('s.contains(idx)'),
    [`${DR}.requires.slot_pptr`]: wf('s.slots[idx].pptr() == self.ptr'),
    [`${DR}.requires.rc_not_unused`]: wf('slot_own.ref_count() != REF_COUNT_UNUSED'),
    [`${DR}.requires.rc_not_unique`]: wf('slot_own.ref_count() != REF_COUNT_UNIQUE'),
    [`${DR}.requires.rc_pos`]: wf('slot_own.ref_count() > 0'),
    [`${DR}.requires.rc_le_max`]: wf('slot_own.ref_count() <= REF_COUNT_MAX'),
    [`${DR}.requires.last_paths_empty`]: 'drop_requires: slot_own.ref_count() == 1 ==> slot_own.paths_in_pt.is_empty()',
    [`${DR}.requires.obligation`]: 'drop_requires: s.frame_obligations.count(self.index()) > 0',
    [`${DR}.requires.obl_key`]: 'drop_requires: obl.value() == self.index()',
    [`${DR}.ensures.regions_inv`]: 'drop_ensures: s1.inv()',
    [`${DR}.ensures.others_unchanged`]:
      'drop_ensures: forall|i: int| i != idx ==> s1.slot_owners[i] == s0.slot_owners[i]',
    [`${DR}.ensures.slots_unchanged`]: 'drop_ensures: s1.slots =~= s0.slots',
    [`${DR}.ensures.domain`]: 'drop_ensures: s1.slot_owners.dom() =~= s0.slot_owners.dom()',
    [`${DR}.ensures.self_addr`]: 'drop_ensures: so1.slot_vaddr == so0.slot_vaddr',
    [`${DR}.ensures.usage`]: 'drop_ensures: so1.usage == so0.usage',
    [`${DR}.ensures.paths_in_pt`]: 'drop_ensures: so1.paths_in_pt == so0.paths_in_pt',
    [`${DR}.ensures.last_unused`]: 'drop_ensures: so0.ref_count() == 1 ==> so1.ref_count() == REF_COUNT_UNUSED',
    [`${DR}.ensures.dec`]: 'drop_ensures: so0.ref_count() > 1 ==> so1.ref_count() == (so0.ref_count() - 1) as u64',
    [`${DR}.ensures.obligations`]: 'drop_ensures: s1.frame_obligations =~= s0.frame_obligations.remove(self.index())',
    [`${DR}.ensures.last_iff_one`]:
      'the drop released the last reference iff the old count was 1 (fetch_sub returned 1)',
    [`${DR}.ensures.last_through_zero`]:
      'last reference: the count goes 1 → 0 (fetch_sub), the metadata is dropped, then REF_COUNT_UNUSED is published',
    [`${DR}.ensures.last_dealloc`]:
      'last reference: get_global_frame_allocator().dealloc(paddr, PAGE_SIZE) after drop_last_in_place; otherwise no deallocation (vostd HEAD: no deallocation)',
  },
  renames: {
    [`${DR}.requires.slots_contain`]: `${DR}.requires.contains`,
    [`${DR}.ensures.self_addr`]: `${DR}.ensures.slot_vaddr`,
  },
  requiresHolds: {
    [`${DR}.requires.regions_inv`]: (c) => headRegionInv(c.old, dAt(c)),
    [`${DR}.requires.slots_contain`]: (c) => regionsContain(c.old, dIdx(c)),
    [`${DR}.requires.obligation`]: (c) => c.old.frameObligations.count(dIdx(c)) > 0,
  },
  ensuresHolds: {
    [`${DR}.ensures.regions_inv`]: (c) => headRegionInv(c.final, dAt(c)),
    [`${DR}.ensures.obligations`]: (c) => c.final.frameObligations.equals(c.old.frameObligations.redeem(dIdx(c))),
  },
  // `s.contains(idx)` is both maps: the seed's separate owner-domain conjunct is part of `contains`.
  drop: [`${DR}.requires.owners_contain`],
});

/** HEAD `Frame::wf_with_region(s)`, conjunct by conjunct (the seed's `inv_with_regions`, `contains` for both maps, HEAD's `inv()`). */
export function wfWithRegion(f: FrameValue, s: Region) {
  const { slots_contain: _s, owners_contain: _o, regions_inv: _r, ...rest } = invWithRegions(f, s);
  const i = indexOf(f);
  return { ...rest, regions_inv: headRegionInv(s, frameInv(f, s.p) ? [i] : []), contains: regionsContain(s, i) };
}

// Frame::into_raw, Frame::from_raw ---------------------------------------------------------------------

const IR = 'Frame::into_raw';

/** `Frame::into_raw(self)` with `Tracked(regions)`. */
export const headFrameIntoRaw = reword(frameIntoRaw, {
  texts: {
    [`${IR}.requires.frame_inv`]: 'self.inv()',
    [`${IR}.requires.regions_inv`]: 'old(regions).inv()',
    [`${IR}.requires.rc_not_unused`]: 'old(regions).slot_owners[self.index()].ref_count() != REF_COUNT_UNUSED',
    [`${IR}.requires.not_page_table`]: 'old(regions).slot_owners[self.index()].usage !is PageTable',
    [`${IR}.requires.obligation`]: 'old(regions).frame_obligations.count(self.index()) > 0',
    [`${IR}.ensures.regions_inv`]: 'final(regions).inv()',
    [`${IR}.ensures.result`]: 'r == self.paddr()',
    [`${IR}.ensures.usage`]:
      'final(regions).slot_owners[self.index()].usage == old(regions).slot_owners[self.index()].usage',
    [`${IR}.ensures.noninterference`]:
      'self.into_raw_post_noninterference(*old(regions), *final(regions)) (other slots and owners unchanged, owner domain unchanged)',
    [`${IR}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
    [`${IR}.ensures.obligations`]:
      'final(regions).frame_obligations == old(regions).frame_obligations.remove(self.index())',
    [`${IR}.ensures.own_owner_unchanged`]:
      'the slot owner is unchanged: the forgotten reference keeps its count (vostd never states it)',
  },
  requiresHolds: { [`${IR}.requires.regions_inv`]: (c) => headRegionInv(c.old, fAt(c)) },
  ensuresHolds: { [`${IR}.ensures.regions_inv`]: (c) => headRegionInv(c.final, fAt(c)) },
  // HEAD no longer requires `slots.contains_key(self.index())` (implied by `regions.inv()`).
  drop: [`${IR}.requires.slots_contain`],
});

const FR = 'Frame::from_raw';
const safety = (t: string) => `from_raw_requires_safety: ${t}`;
const raws = (t: string) => `from_raw_ensures: ${t}`;
const pAt = (c: { args: PaddrArgs }) => [paddrIndex(c)];

/** `Frame::from_raw(paddr)` (`unsafe`, `no_unwind`) with `Tracked(regions)`, returning `Tracked(obl)`. */
export const headFrameFromRaw = reword(frameFromRaw, {
  texts: {
    [`${FR}.requires.owners_contain`]: safety('regions.contains(frame_to_index(paddr))'),
    [`${FR}.requires.self_addr`]: safety('regions.slot_owner(paddr).slot_vaddr == frame_to_meta(paddr)'),
    [`${FR}.requires.safe_slot`]: safety('valid_frame_paddr(paddr)'),
    [`${FR}.requires.regions_inv`]: safety('regions.inv()'),
    [`${FR}.requires.rc_not_unused`]: safety('regions.slot_owner(paddr).ref_count() != REF_COUNT_UNUSED'),
    [`${FR}.requires.slots_contain`]: 'old(regions).contains(frame_to_index(paddr))',
    [`${FR}.requires.alive`]: 'old(regions).slot_owner(paddr).ref_count() != REF_COUNT_UNUSED',
    [`${FR}.requires.forgotten_reference`]:
      '# Safety: restore only a Frame previously forgotten with into_raw, and only once — some counted reference is held by no live handle: ref_count > frame_obligations.count(idx)',
    [`${FR}.ensures.regions_inv`]: raws('new_regions.inv()'),
    [`${FR}.ensures.slots_contain`]: raws('new_regions.contains(frame_to_index(paddr))'),
    [`${FR}.ensures.owner_unchanged`]: raws('new_regions.slot_owner(paddr) =~= old_regions.slot_owner(paddr)'),
    [`${FR}.ensures.self_addr`]: raws('new_regions.slot_owner(paddr).slot_vaddr == r.ptr.addr()'),
    [`${FR}.ensures.others_unchanged`]: raws(
      'forall|i: int| i != frame_to_index(paddr) ==> new_regions.slot_owners[i] == old_regions.slot_owners[i]',
    ),
    [`${FR}.ensures.others_slots`]: raws(
      'forall|i: int| i != frame_to_index(paddr) ==> new_regions.contains(i) == old_regions.contains(i)',
    ),
    [`${FR}.ensures.ptr`]: raws('r.ptr.addr() == frame_to_meta(paddr)'),
    [`${FR}.ensures.paddr`]: raws('r.paddr() == paddr'),
    [`${FR}.ensures.frame_inv`]: raws('r.inv()'),
    [`${FR}.ensures.obligations`]: raws(
      'new_regions.frame_obligations =~= old_regions.frame_obligations.insert(frame_to_index(paddr))',
    ),
    [`${FR}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
  },
  renames: {
    [`${FR}.requires.owners_contain`]: `${FR}.requires.contains`,
    [`${FR}.requires.self_addr`]: `${FR}.requires.slot_vaddr`,
    [`${FR}.requires.safe_slot`]: `${FR}.requires.valid_paddr`,
    [`${FR}.requires.slots_contain`]: `${FR}.requires.regions_contains`,
    [`${FR}.ensures.slots_contain`]: `${FR}.ensures.contains`,
    [`${FR}.ensures.self_addr`]: `${FR}.ensures.slot_vaddr`,
  },
  requiresHolds: {
    [`${FR}.requires.owners_contain`]: (c) => regionsContain(c.old, paddrIndex(c)),
    [`${FR}.requires.slots_contain`]: (c) => regionsContain(c.old, paddrIndex(c)),
    [`${FR}.requires.regions_inv`]: (c) => headRegionInv(c.old, pAt(c)),
  },
  ensuresHolds: {
    [`${FR}.ensures.regions_inv`]: (c) => headRegionInv(c.final, pAt(c)),
    [`${FR}.ensures.slots_contain`]: (c) => regionsContain(c.final, paddrIndex(c)),
  },
});

// Frame::borrow, FrameRef::borrow_paddr, Frame::reference_count (new in HEAD) ---------------------------

/** A `FrameRef<'a, M>` as the ghost sees it: its `inner@`, the borrowed frame handle. */
export type FrameRefValue = Readonly<{ inner: FrameValue }>;
type BoPre = PreCtx<Region, FrameArgs>;
type BoPost = PostCtx<Region, FrameArgs, FrameRefValue>;
const boReq = clauseMaker<BoPre>('Frame::borrow', 'requires');
const boEns = clauseMaker<BoPost>('Frame::borrow', 'ensures');
const wfPart = (name: keyof ReturnType<typeof wfWithRegion>, verus: string) =>
  boReq(
    name,
    `self.wf_with_region(*old(regions)): ${verus}`,
    (c) => wfWithRegion(c.args.frame, c.old)[name],
    (c) => ({ conjuncts: wfWithRegion(c.args.frame, c.old) }),
  );

/** `Frame::borrow(&self) -> FrameRef<'a, M>` with `Tracked(regions)`: a borrowed handle, the region untouched. */
export const frameBorrow: OpSpec<Region, FrameArgs, FrameRefValue> = Object.freeze({
  name: 'Frame::borrow',
  rust: 'Frame::borrow',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    wfPart('frame_inv', 'self.inv()'),
    wfPart('regions_inv', 's.inv()'),
    wfPart('contains', 's.contains(idx)'),
    wfPart('slot_pptr', 's.slots[idx].pptr() == self.ptr'),
    wfPart('rc_not_unused', 'slot_own.ref_count() != REF_COUNT_UNUSED'),
    wfPart('rc_not_unique', 'slot_own.ref_count() != REF_COUNT_UNIQUE'),
    wfPart('rc_pos', 'slot_own.ref_count() > 0'),
    wfPart('rc_le_max', 'slot_own.ref_count() <= REF_COUNT_MAX'),
  ],
  mayPanic: neverPanics<BoPre>('Frame::borrow'),
  ensures: [
    boEns('regions_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, fAt(c))),
    boEns(
      'ptr',
      'res.inner@.ptr.addr() == self.ptr.addr()',
      (c) => c.result.inner.ptr === c.args.frame.ptr,
      (c) => ({ 'res.inner@.ptr': c.result.inner.ptr, 'self.ptr': c.args.frame.ptr }),
    ),
    boEns('unchanged', '*final(regions) == *old(regions)', (c) => regionEq(c.old, c.final)),
  ],
  next: (c) => ret(c.old, Object.freeze({ inner: c.args.frame })),
  footprint: (a) => [indexOf(a.frame)],
});

type BpPre = PreCtx<Region, PaddrArgs>;
type BpPost = PostCtx<Region, PaddrArgs, FrameRefValue>;
const bpReq = clauseMaker<BpPre>('FrameRef::borrow_paddr', 'requires');
const bpEns = clauseMaker<BpPost>('FrameRef::borrow_paddr', 'ensures');
const rawSafety = (name: string) => {
  const c = headFrameFromRaw.requires.find((r) => r.name === `${FR}.requires.${name}`)!;
  return bpReq(
    name,
    `Frame::<M>::from_raw_requires_safety(*old(regions), raw): ${c.verus.slice(safety('').length)}`,
    (x) => c.holds(x),
  );
};

/** `FrameRef::borrow_paddr(raw)` (`unsafe`) with `Tracked(regions)`: `from_raw` then forget, the region as it was. */
export const frameRefBorrowPaddr: OpSpec<Region, PaddrArgs, FrameRefValue> = Object.freeze({
  name: 'FrameRef::borrow_paddr',
  rust: 'FrameRef::borrow_paddr',
  source: 'ostd/src/mm/frame/frame_ref.rs',
  requires: ['contains', 'slot_vaddr', 'valid_paddr', 'regions_inv', 'rc_not_unused'].map(rawSafety),
  mayPanic: neverPanics<BpPre>('FrameRef::borrow_paddr'),
  ensures: [
    bpEns('regions_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, pAt(c))),
    bpEns(
      'ptr',
      'r.inner@.ptr.addr() == frame_to_meta(raw)',
      (c) => c.result.inner.ptr === frameToMeta(c.args.paddr),
      (c) => ({ 'r.inner@.ptr': c.result.inner.ptr, 'frame_to_meta(raw)': frameToMeta(c.args.paddr) }),
    ),
    bpEns(
      'owners_unchanged',
      'final(regions).slot_owners == old(regions).slot_owners',
      // No index is excepted: every owner agrees.
      (c) => othersUnchanged(c.old, c.final, -1),
    ),
    bpEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    bpEns('obligations_unchanged', 'final(regions).frame_obligations == old(regions).frame_obligations', (c) =>
      c.final.frameObligations.equals(c.old.frameObligations),
    ),
  ],
  next: (c) => ret(c.old, Object.freeze({ inner: frameAt(c.args.paddr) })),
  footprint: (a) => [frameToIndex(a.paddr)],
});

type RcPre = PreCtx<Region, FrameArgs>;
type RcPost = PostCtx<Region, FrameArgs, bigint>;
const rcReq = clauseMaker<RcPre>('Frame::reference_count', 'requires');
const slotValue = (c: RcPre) => {
  const perm = slotPerm(c.old, fIdx(c));
  return perm !== undefined && isInit(perm) ? valueOf(perm) : undefined;
};

/**
 * `Frame::reference_count(&self) -> u64` with `Tracked(slot_own)`, `Tracked(points_to)`: the ghost
 * arguments are the region's own (`slot_owners[idx]`, `slots[idx]`), as a verified caller passes them.
 */
export const frameReferenceCount: OpSpec<Region, FrameArgs, bigint> = Object.freeze({
  name: 'Frame::reference_count',
  rust: 'Frame::reference_count',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    rcReq('pptr', 'points_to.pptr() == self.ptr', (c) => slotPerm(c.old, fIdx(c))?.addr === c.args.frame.ptr),
    rcReq('is_init', 'points_to.is_init()', (c) => {
      const perm = slotPerm(c.old, fIdx(c));
      return perm !== undefined && isInit(perm);
    }),
    rcReq('wf', 'points_to.value().wf(*slot_own)', (c) => {
      const slot = slotValue(c);
      const owner = slotOwner(c.old, fIdx(c));
      return slot !== undefined && META_SLOT_WF.every((w) => w.holds({ value: { slot, owner }, p: c.p }));
    }),
  ],
  mayPanic: neverPanics<RcPre>('Frame::reference_count'),
  ensures: [
    clauseMaker<RcPost>('Frame::reference_count', 'returns')(
      'ref_count',
      'returns slot_own.ref_count()',
      (c) => c.result === rcOf(c.old, fIdx(c)),
      (c) => ({ res: c.result, 'slot_own.ref_count()': rcOf(c.old, fIdx(c)) }),
    ),
  ],
  next: (c) => ret(c.old, rcOf(c.old, fIdx(c))),
  footprint: (a) => [indexOf(a.frame)],
});

// inc_frame_ref_count ----------------------------------------------------------------------------------

type IcPre = PreCtx<Region, PaddrArgs>;
type IcPost = PostCtx<Region, PaddrArgs, undefined>;
const icReq = clauseMaker<IcPre>('inc_frame_ref_count', 'requires');
const icEns = clauseMaker<IcPost>('inc_frame_ref_count', 'ensures');
const at = (c: { args: PaddrArgs }) => paddrIndex(c);
const ownerField = (name: string, field: string, pick: (o: ReturnType<typeof slotOwner>) => unknown) =>
  icEns(name, `final(regions).slot_owner(paddr).${field} == old(regions).slot_owner(paddr).${field}`, (c) =>
    ghostEq(pick(slotOwner(c.old, at(c))), pick(slotOwner(c.final, at(c)))),
  );

/** `inc_frame_ref_count(paddr)` (`unsafe`, `pub(in crate::mm)`) with `Tracked(regions)`: what `Frame::clone` and `Segment::clone` call. */
export const incFrameRefCount: OpSpec<Region, PaddrArgs, undefined> = withAbortsExactly({
  name: 'inc_frame_ref_count',
  rust: 'inc_frame_ref_count',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    icReq('regions_inv', 'old(regions).inv()', (c) => headRegionInv(c.old, safeIndices(c))),
    icReq('contains', 'old(regions).contains(frame_to_index(paddr))', (c) => regionsContain(c.old, at(c))),
    icReq('valid', 'valid_frame_paddr(paddr)', (c) => validFramePaddr(c.args.paddr, c.p.maxPaddr)),
    icReq('rc_pos', 'old(regions).slot_owner(paddr).ref_count() > 0', (c) => rcOf(c.old, at(c)) > 0n),
    icReq(
      'rc_not_unused',
      'old(regions).slot_owner(paddr).ref_count() != REF_COUNT_UNUSED',
      (c) => rcOf(c.old, at(c)) !== c.p.refCountUnused,
    ),
  ],
  mayPanic: clauseMaker<IcPre>('inc_frame_ref_count', 'may_panic')(
    'at_max',
    'old(regions).slot_owner(paddr).ref_count() >= REF_COUNT_MAX ==> may_panic()',
    (c) => rcOf(c.old, at(c)) >= c.p.refCountMax,
    (c) => ({ rc: rcOf(c.old, at(c)), REF_COUNT_MAX: c.p.refCountMax }),
  ),
  ensures: [
    icEns('regions_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, safeIndices(c))),
    icEns(
      'rc_inc',
      'final(regions).slot_owner(paddr).ref_count() == old(regions).slot_owner(paddr).ref_count() + 1',
      (c) => rcOf(c.final, at(c)) === rcOf(c.old, at(c)) + 1n,
      (c) => ({ 'old rc': rcOf(c.old, at(c)), 'final rc': rcOf(c.final, at(c)) }),
    ),
    ownerField('rc_id', 'ref_count_perm.id()', (o) => o.innerPerms.refCount.id),
    ownerField('storage', 'storage_perm()', (o) => o.innerPerms.storage),
    ownerField('vtable_ptr', 'vtable_ptr_perm()', (o) => o.innerPerms.vtablePtr),
    ownerField('in_list', 'in_list_perm', (o) => o.innerPerms.inList),
    ownerField('paths_in_pt', 'paths_in_pt', (o) => o.pathsInPt),
    ownerField('slot_vaddr', 'slot_vaddr', (o) => o.selfAddr),
    ownerField('usage', 'usage', (o) => o.usage),
    icEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    icEns(
      'others_unchanged',
      'forall|i: int| i != frame_to_index(paddr) ==> final(regions).slot_owners[i] == old(regions).slot_owners[i]',
      (c) => othersUnchanged(c.old, c.final, at(c)),
    ),
    icEns('obligations_unchanged', 'final(regions).frame_obligations == old(regions).frame_obligations', (c) =>
      c.final.frameObligations.equals(c.old.frameObligations),
    ),
  ],
  next: (c) => {
    const i = at(c);
    const o = slotOwner(c.old, i);
    if (rc(o) >= c.p.refCountMax) return PANIC;
    const refCount = permissionU64(o.innerPerms.refCount.id, rc(o) + 1n);
    return ret(withSlotOwner(c.old, i, withOwnerFields(o, { refCount })), undefined);
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

/**
 * HEAD's `Frame` ensures kept as notes where the seed table keeps them as notes (`FRAME_NOTES`): the
 * checked frame layer builds both sides from one value under either table. `res == *self` is
 * `RCClone::clone`'s (`ostd/src/mm/page_table/mod.rs`), `obl@.value()` `Frame::from_raw`'s.
 */
export const HEAD_FRAME_NOTES: readonly ClauseNote[] = [
  headNote(FRAME_NOTES, 'Frame::clone.ensures.res_eq_self', 'res == *self'),
  headNote(FRAME_NOTES, 'Frame::from_raw.ensures.obl_value', 'obl@.value() == frame_to_index(paddr)'),
];

/** Every HEAD `Frame`/`FrameRef` op spec, in source order. */
export const HEAD_FRAME_OPS = [
  headFrameFromUnused,
  headFrameFromInUse,
  frameReferenceCount,
  frameBorrow,
  headFrameIntoRaw,
  headFrameFromRaw,
  headFrameClone,
  headFrameDrop,
  incFrameRefCount,
  frameRefBorrowPaddr,
] as const;
