/**
 * The op specs of `UniqueFrame<M>` over `MetaRegionOwners`: `from_unused`, `meta`, `meta_mut`,
 * `repurpose`, `reset_as_unused`, `drop`, and the conversions `Frame::from_unique`
 * (`From<UniqueFrame> for Frame`) and `try_from_shared` (`TryFrom<Frame> for UniqueFrame`).
 *
 * vostd's postconditions of the conversions and of the teardowns are weak (they do not even restate
 * `regions.inv()` or the new count); they are mirrored as they are, and `origin: 'upstream'` clauses
 * state what upstream actually guarantees, so a wrong implementation that satisfies every vostd clause
 * is still caught.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/unique.rs`, `ostd/specs/mm/frame/unique.rs`
 */
import type { Clause, ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies, note, paddrIndex, safeIndices } from '../meta/clause.ts';
import { frameToIndex, frameToMeta, hasSafeSlot, metaAddr, metaToFrame, metaToIndex } from '../meta/mapping.ts';
import { getFromUnused, getFromUnusedSpec } from '../meta/MetaSlot.ts';
import {
  regionEq,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  slotOwnersDomEq,
  slotsContain,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { META_SLOT_WF, rc, withOwnerFields, type MetaSlotOwner, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { ghostEq, init, isInit, permissionU64, UNINIT, valueOf } from '../meta/perms.ts';
import { err, ok, type Res } from '../meta/results.ts';
import { MAX_META_SLOTS, type FrameIndex, type ModelParams, type Paddr, type Vaddr } from '../vocab.ts';
import { claimError, frameAt, frameInv, indexOf, paddrOf, type FrameValue, type TeardownTrace } from './Frame.ts';
import {
  maxNrPages,
  neverPanics,
  othersUnchanged,
  ownersAt,
  ownersContain,
  PANIC,
  rcAt,
  regionInv,
  ret,
  slotsUnchanged,
} from './regionFacts.ts';

/** `UniqueFrame<M> { ptr: PPtr<MetaSlot> }` as the ghost sees it. */
export type UniqueFrameValue = Readonly<{ ptr: Vaddr }>;

/** `M::Owner` as framecheck sees it: the metadata type the owner vouches for (`metadata.wf(meta_own)`). */
export type MetaOwner = Readonly<{ type: string }>;

/** `UniqueFrameOwner<M> { meta_own, slot_index }` (seed era: no `repr_perm`). */
export type UniqueFrameOwner<O extends MetaOwner = MetaOwner> = Readonly<{ metaOwn: O; slotIndex: FrameIndex }>;

/** The owner of a unique frame at slot `i` holding metadata of type `type`. */
export function uniqueOwner(i: FrameIndex, type: string): UniqueFrameOwner {
  return Object.freeze({ metaOwn: Object.freeze({ type }), slotIndex: i });
}

/** `impl Inv for UniqueFrameOwner<M>`, conjunct by conjunct. */
export function uniqueOwnerInv(o: UniqueFrameOwner, p: ModelParams) {
  return {
    slot_index_lt_max_nr_pages: o.slotIndex >= 0 && o.slotIndex < maxNrPages(p),
    slot_index_lt_max_meta_slots: o.slotIndex < MAX_META_SLOTS,
  };
}

/** `impl OwnerOf for UniqueFrame<M>`: `self.ptr.addr() == meta_addr(owner.slot_index)`. */
export function uniqueWf(u: UniqueFrameValue, o: UniqueFrameOwner): boolean {
  return u.ptr === metaAddr(o.slotIndex);
}

/** `perm.value().metadata.wf(self.meta_own)`: the slot holds initialized metadata of the owner's type. */
export function metaWf(o: MetaSlotOwner, own: MetaOwner): boolean {
  const v = valueOf(o.innerPerms.storage);
  return v !== undefined && v.type === own.type;
}

/** `UniqueFrameOwner::global_inv(regions)`, conjunct by conjunct. */
export function globalInv(own: UniqueFrameOwner, r: MetaRegionOwners) {
  const i = own.slotIndex;
  const perm = ownersContain(i) ? slotPerm(r, i) : undefined;
  const o = slotOwner(r, i);
  const slot = perm === undefined ? undefined : valueOf(perm);
  return {
    slots_contain: ownersContain(i) && slotsContain(r, i),
    owners_contain: ownersContain(i),
    perm_init: perm !== undefined && isInit(perm) && isInit(o.innerPerms.storage),
    perm_wf: slot !== undefined && META_SLOT_WF.every((w) => w.holds({ value: { slot, owner: o }, p: r.p })),
    perm_addr: perm?.addr === metaAddr(i),
    metadata_wf: metaWf(o, own.metaOwn),
    self_addr: o.selfAddr === metaAddr(i),
    rc_unique: rc(o) === r.p.refCountUnique,
    obligation: r.frameObligations.count(i) > 0,
  };
}

const GLOBAL_INV_TEXT: Readonly<Record<keyof ReturnType<typeof globalInv>, string>> = {
  slots_contain: 'regions.slots.contains_key(self.slot_index)',
  owners_contain: 'regions.slot_owners.contains_key(self.slot_index)',
  perm_init: 'perm.is_init()',
  perm_wf: 'perm.wf(&perm.inner_perms)',
  perm_addr: 'perm.addr() == meta_addr(self.slot_index)',
  metadata_wf: 'perm.value().metadata.wf(self.meta_own)',
  self_addr: 'regions.slot_owners[self.slot_index].self_addr == meta_addr(self.slot_index)',
  rc_unique: 'regions.slot_owners[self.slot_index].inner_perms.ref_count.value() == REF_COUNT_UNIQUE',
  obligation: 'regions.frame_obligations.count(self.slot_index) > 0',
};

/** The arguments of an op on a live `UniqueFrame` and its tracked owner. */
export type UniqueArgs = Readonly<{ unique: UniqueFrameValue; owner: UniqueFrameOwner }>;
type UPre<A extends UniqueArgs = UniqueArgs> = PreCtx<MetaRegionOwners, A>;

const uIdx = (c: { args: UniqueArgs }) => c.args.owner.slotIndex;
const uSafe = (c: { args: UniqueArgs }) => (ownersContain(uIdx(c)) ? [uIdx(c)] : []);
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const rcOf = (r: MetaRegionOwners, i: FrameIndex): bigint => (ownersContain(i) ? rcAt(r, i) : r.p.refCountUnused);

/** The `requires` clauses `owner.inv()`, `self.wf(owner)` and each conjunct of `owner.global_inv(regions)`. */
function ownerRequires<A extends UniqueArgs>(op: string, globalInvRequired: boolean): Clause<UPre<A>>[] {
  const req = clauseMaker<UPre<A>>(op, 'requires');
  const out = [
    req('owner_inv', 'owner.inv() (slot_index < MAX_NR_PAGES && slot_index < max_meta_slots())', (c) =>
      every(uniqueOwnerInv(c.args.owner, c.p)),
    ),
    req(
      'wf',
      'self.wf(owner) (self.ptr.addr() == meta_addr(owner.slot_index))',
      (c) => uniqueWf(c.args.unique, c.args.owner),
      (c) => ({
        ptr: c.args.unique.ptr,
        'meta_addr(slot_index)': metaAddr(c.args.owner.slotIndex),
      }),
    ),
  ];
  if (!globalInvRequired) return out;
  for (const [k, text] of Object.entries(GLOBAL_INV_TEXT)) {
    const key = k as keyof typeof GLOBAL_INV_TEXT;
    out.push(
      req(
        `global_inv.${key}`,
        `owner.global_inv(*regions): ${text}`,
        (c) => globalInv(c.args.owner, c.old)[key],
        (c) => ({ conjuncts: globalInv(c.args.owner, c.old) }),
      ),
    );
  }
  return out;
}

/** The seed's explicit teardown preconditions of `reset_as_unused` and `drop`: the slot is a UNIQUE, unlisted, unmapped frame. */
function teardownRequires(op: string): Clause<UPre>[] {
  const req = clauseMaker<UPre>(op, 'requires');
  const so = (c: UPre) => slotOwner(c.old, uIdx(c));
  return [
    req('owners_contain', 'old(regions).slot_owners.contains_key(owner.slot_index)', (c) => ownersContain(uIdx(c))),
    req(
      'self_addr',
      'old(regions).slot_owners[owner.slot_index].self_addr == meta_addr(owner.slot_index)',
      (c) => so(c).selfAddr === metaAddr(uIdx(c)),
    ),
    req(
      'rc_unique',
      'old(regions).slot_owners[owner.slot_index].inner_perms.ref_count.value() == REF_COUNT_UNIQUE',
      (c) => rc(so(c)) === c.p.refCountUnique,
      (c) => ({
        rc: rcOf(c.old, uIdx(c)),
      }),
    ),
    req(
      'in_list_zero',
      'old(regions).slot_owners[owner.slot_index].inner_perms.in_list.value() == 0',
      (c) => so(c).innerPerms.inList.value === 0n,
      (c) => ({
        in_list: so(c).innerPerms.inList.value,
      }),
    ),
    req('storage_init', 'old(regions).slot_owners[owner.slot_index].inner_perms.storage.is_init()', (c) =>
      isInit(so(c).innerPerms.storage),
    ),
    req('vtable_init', 'old(regions).slot_owners[owner.slot_index].inner_perms.vtable_ptr.is_init()', (c) =>
      isInit(so(c).innerPerms.vtablePtr),
    ),
    req('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, uSafe(c))),
    req(
      'paths_empty',
      'old(regions).slot_owners[owner.slot_index].paths_in_pt.is_empty()',
      (c) => so(c).pathsInPt.size === 0,
    ),
  ];
}

/** The owner of a slot whose metadata was dropped and whose count was set to `value`. */
function tornDown(o: MetaSlotOwner, value: bigint): MetaSlotOwner {
  return withOwnerFields(o, {
    refCount: permissionU64(o.innerPerms.refCount.id, value),
    storage: Object.freeze({ id: o.innerPerms.storage.id, contents: UNINIT }),
    vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: UNINIT }),
  });
}

/** The owner of a slot holding `metadata` with count `value`. */
function holding(o: MetaSlotOwner, metadata: MetaSlotStorage, value: bigint): MetaSlotOwner {
  return withOwnerFields(o, {
    refCount: permissionU64(o.innerPerms.refCount.id, value),
    storage: Object.freeze({ id: o.innerPerms.storage.id, contents: init(metadata) }),
    vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: init(metadata.type) }),
  });
}

const sameInnerExceptRc = (a: MetaSlotOwner, b: MetaSlotOwner) =>
  ghostEq(a.innerPerms.storage, b.innerPerms.storage) &&
  ghostEq(a.innerPerms.vtablePtr, b.innerPerms.vtablePtr) &&
  ghostEq(a.innerPerms.inList, b.innerPerms.inList);

// UniqueFrame::from_unused ---------------------------------------------------------------------------

/** The arguments of `UniqueFrame::from_unused`. */
export type UniqueFromUnusedArgs = Readonly<{ paddr: Paddr; metadata: MetaSlotStorage }>;
/** `Ok(UniqueFrame)` together with the tracked `Option<UniqueFrameOwner>` it returns. */
export type UniqueWithOwner = Readonly<{ unique: UniqueFrameValue; owner: UniqueFrameOwner }>;
type UfPre = PreCtx<MetaRegionOwners, UniqueFromUnusedArgs>;
type UfPost = PostCtx<MetaRegionOwners, UniqueFromUnusedArgs, Res<UniqueWithOwner>>;
const ufReq = clauseMaker<UfPre>('UniqueFrame::from_unused', 'requires');
const ufEns = clauseMaker<UfPost>('UniqueFrame::from_unused', 'ensures');
const pIdx = paddrIndex;
const safeIdx = safeIndices;

/** `UniqueFrame::from_unused(paddr, metadata)`: a new frame with count `REF_COUNT_UNIQUE` and one minted obligation. */
export const uniqueFromUnused: OpSpec<MetaRegionOwners, UniqueFromUnusedArgs, Res<UniqueWithOwner>> = Object.freeze({
  name: 'UniqueFrame::from_unused',
  rust: 'UniqueFrame::from_unused',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ufReq('owners_contain', 'old(regions).slot_owners.contains_key(frame_to_index(paddr))', (c) =>
      ownersContain(pIdx(c)),
    ),
    ufReq(
      'usage_unused',
      'old(regions).slot_owners[frame_to_index(paddr)].usage is Unused',
      (c) => slotOwner(c.old, pIdx(c)).usage === 'Unused',
      (c) => ({ usage: slotOwner(c.old, pIdx(c)).usage, rc: rcOf(c.old, pIdx(c)) }),
    ),
    ufReq('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, safeIdx(c))),
  ],
  mayPanic: neverPanics<UfPre>('UniqueFrame::from_unused'),
  ensures: [
    ufEns('unsafe_err', '!has_safe_slot(paddr) ==> res is Err', (c) =>
      implies(!hasSafeSlot(c.args.paddr, c.p.maxPaddr), () => !c.result.ok),
    ),
    ufEns(
      'ok_obligations',
      'res is Ok ==> final(regions).frame_obligations =~= old(regions).frame_obligations.insert(frame_to_index(paddr))',
      (c) => implies(c.result.ok, () => c.final.frameObligations.equals(c.old.frameObligations.mint(pIdx(c)))),
    ),
    ufEns(
      'err_obligations',
      'res is Err ==> final(regions).frame_obligations =~= old(regions).frame_obligations',
      (c) => implies(!c.result.ok, () => c.final.frameObligations.equals(c.old.frameObligations)),
    ),
    ufEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, safeIdx(c))),
    ufEns(
      'ok_owner',
      'UniqueFrameOwner::tracked_from_unused_owner: res.slot_index == frame_to_index(paddr) && res.meta_perm_of(regions).value().metadata == metadata',
      (c) =>
        implies(c.result.ok, () => {
          if (!c.result.ok) return false;
          const own = c.result.value.owner;
          return (
            own.slotIndex === pIdx(c) &&
            ghostEq(valueOf(slotOwner(c.final, pIdx(c)).innerPerms.storage), c.args.metadata)
          );
        }),
    ),
    ufEns(
      'ok_claimed',
      'res is Ok ==> MetaSlot::get_from_unused_spec(paddr, true, *old(regions), *final(regions)) (upstream: the slot is claimed UNIQUE)',
      (c) => implies(c.result.ok, () => every(getFromUnusedSpec(c.args.paddr, true, c.old, c.final))),
      (c) => ({ conjuncts: getFromUnusedSpec(c.args.paddr, true, c.old, c.final) }),
      'upstream',
    ),
    ufEns(
      'err_unchanged',
      'res is Err ==> *final(regions) == *old(regions)',
      (c) => implies(!c.result.ok, () => regionEq(c.old, c.final)),
      undefined,
      'upstream',
    ),
    ufEns(
      'err_kind',
      'get_from_unused: NotAligned, then OutOfBound, then the observed count: UNIQUE → Unique, 0 → Busy, any other → InUse',
      (c) => c.result.ok || c.result.error === claimError(c.old, c.args.paddr),
      (c) => ({ res: c.result, expected: claimError(c.old, c.args.paddr) }),
      'upstream',
    ),
  ],
  next: (c) => {
    const out = getFromUnused.next({
      old: c.old,
      args: { paddr: c.args.paddr, metadata: c.args.metadata, asUnique: true },
      p: c.p,
    });
    if (out.kind === 'panic') return PANIC;
    if (!out.result.ok) return ret(c.old, err(out.result.error));
    const i = pIdx(c);
    const parked = reparkSlotPerm(out.final, i, out.result.value.perm);
    const unique = frameAt(c.args.paddr);
    return ret(
      withLedger(parked, parked.frameObligations.mint(i)),
      ok({ unique, owner: uniqueOwner(i, c.args.metadata.type) }),
    );
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

// UniqueFrame::meta, meta_mut --------------------------------------------------------------------------

type MePre = UPre;
type MePost = PostCtx<MetaRegionOwners, UniqueArgs, MetaSlotStorage | undefined>;

/** `UniqueFrame::meta(&self) -> &M`: the metadata the owner vouches for. */
export const uniqueMeta: OpSpec<MetaRegionOwners, UniqueArgs, MetaSlotStorage | undefined> = Object.freeze({
  name: 'UniqueFrame::meta',
  rust: 'UniqueFrame::meta',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: ownerRequires<UniqueArgs>('UniqueFrame::meta', true),
  mayPanic: neverPanics<MePre>('UniqueFrame::meta'),
  ensures: [
    clauseMaker<MePost>('UniqueFrame::meta', 'ensures')(
      'result',
      'owner.meta_perm_of(*regions).mem_contents().value().metadata == l',
      (c) => ghostEq(c.result, valueOf(slotOwner(c.old, uIdx(c)).innerPerms.storage)),
      (c) => ({ l: c.result, stored: valueOf(slotOwner(c.old, uIdx(c)).innerPerms.storage) }),
    ),
    clauseMaker<MePost>('UniqueFrame::meta', 'ensures')(
      'regions_unchanged',
      'Tracked(regions): Tracked<&MetaRegionOwners> (a shared borrow): *final(regions) == *old(regions)',
      (c) => regionEq(c.old, c.final),
    ),
  ],
  next: (c) => ret(c.old, valueOf(slotOwner(c.old, uIdx(c)).innerPerms.storage)),
  footprint: (a) => [a.owner.slotIndex],
});

/** The `UniqueFrame` conjuncts that cannot fail in this representation, and why. */
export const UNIQUE_FRAME_NOTES: readonly ClauseNote[] = [
  note(
    'UniqueFrame::from_unused.ensures.ok_wf',
    'res is Ok ==> res.unwrap().wf(owner@.unwrap())',
    "`wf` is `ptr == meta_addr(owner.slot_index)`: the checked layer makes the handle's `ptr` and the owner's `slot_index` from the one slot the implementation returned, so no body can make them disagree",
  ),
  note(
    'UniqueFrame::meta_mut.ensures.res_addr',
    'res.addr() == final(self).ptr.addr()',
    "the port's `meta_mut` returns no reference: the checked layer builds the result's address from the handle's slot, as `&mut *self.ptr` does",
  ),
  note(
    'Frame::from_unique.ensures.same_ptr',
    'the frame is the unique frame transmuted: res.ptr == unique.ptr',
    "the port's `intoShared` takes a slot and returns nothing: the checked layer builds the result's `ptr` from the handle's slot, as Rust's transmute does",
    'upstream',
  ),
  note(
    'UniqueFrame::try_from_shared.ensures.same_ptr',
    "the result (either side) has the frame's pointer",
    "the port's `tryIntoUnique` takes a slot and returns a boolean: the checked layer builds either side's `ptr` from the handle's slot",
    'upstream',
  ),
  note(
    'UniqueFrame::repurpose.ensures.res_wf',
    'res.wf(new_owner@)',
    "`wf` is `ptr == meta_addr(owner.slot_index)`: the result's `ptr` and the new owner's `slot_index` are both the handle's slot, as the checked layer builds them",
  ),
  note(
    'UniqueFrame::meta_mut.ensures.self_unchanged',
    '*final(self) == *old(self)',
    'the handle is an immutable value the implementation is never given: `meta_mut` receives the slot, not the handle',
  ),
];

/** The arguments of `meta_mut`: the handle, its owner, and the value the caller stores through the `&mut M`. */
export type MetaMutArgs = UniqueArgs & Readonly<{ value: MetaSlotStorage }>;
type MmPre = UPre<MetaMutArgs>;
type MmPost = PostCtx<MetaRegionOwners, MetaMutArgs, Readonly<{ addr: Vaddr }>>;
const mmReq = clauseMaker<MmPre>('UniqueFrame::meta_mut', 'requires');
const mmEns = clauseMaker<MmPost>('UniqueFrame::meta_mut', 'ensures');

/** `UniqueFrame::meta_mut(&mut self)`, with the caller's store through the returned reference. */
export const uniqueMetaMut: OpSpec<MetaRegionOwners, MetaMutArgs, Readonly<{ addr: Vaddr }>> = Object.freeze({
  name: 'UniqueFrame::meta_mut',
  rust: 'UniqueFrame::meta_mut',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ...ownerRequires<MetaMutArgs>('UniqueFrame::meta_mut', true),
    mmReq(
      'value_typed',
      '(typing) the value stored through `&mut M` is an `M`',
      (c) => c.args.value.type === c.args.owner.metaOwn.type,
      undefined,
      'upstream',
    ),
  ],
  mayPanic: neverPanics<MmPre>('UniqueFrame::meta_mut'),
  ensures: [
    mmEns(
      'stored',
      'final referent == the value stored (vostd HEAD: *final(res) == owner.meta_value(*final(regions)))',
      (c) => ghostEq(valueOf(slotOwner(c.final, uIdx(c)).innerPerms.storage), c.args.value),
      undefined,
      'vostd-head',
    ),
    mmEns(
      'slot_kept',
      'at the slot: slot_vaddr, usage, ref_count_perm, in_list_perm, paths_in_pt unchanged (vostd HEAD)',
      (c) => {
        const [a, b] = ownersAt(c.old, c.final, uIdx(c));
        return (
          a.selfAddr === b.selfAddr &&
          a.usage === b.usage &&
          ghostEq(a.innerPerms.refCount, b.innerPerms.refCount) &&
          ghostEq(a.innerPerms.inList, b.innerPerms.inList) &&
          ghostEq(a.pathsInPt, b.pathsInPt)
        );
      },
      undefined,
      'vostd-head',
    ),
    mmEns(
      'others_unchanged',
      'other slot owners unchanged; slots unchanged (vostd HEAD)',
      (c) => othersUnchanged(c.old, c.final, uIdx(c)) && slotsUnchanged(c.old, c.final),
      undefined,
      'vostd-head',
    ),
    mmEns(
      'obligations',
      'frame_obligations unchanged (vostd HEAD)',
      (c) => c.final.frameObligations.equals(c.old.frameObligations),
      undefined,
      'vostd-head',
    ),
  ],
  next: (c) => {
    const i = uIdx(c);
    const o = slotOwner(c.old, i);
    return ret(withSlotOwner(c.old, i, holding(o, c.args.value, rc(o))), { addr: c.args.unique.ptr });
  },
  footprint: (a) => [a.owner.slotIndex],
});

// Frame::from_unique (From<UniqueFrame> for Frame) -----------------------------------------------------

type FuqPost = PostCtx<MetaRegionOwners, UniqueArgs, FrameValue>;
const fuqEns = clauseMaker<FuqPost>('Frame::from_unique', 'ensures');
const fuqReq = clauseMaker<UPre>('Frame::from_unique', 'requires');
/** A live `UniqueFrame` holds its slot at `REF_COUNT_UNIQUE`; vostd's `from_unique` does not require it. */
const live = (c: { old: MetaRegionOwners; args: UniqueArgs }) => rcOf(c.old, uIdx(c)) === c.old.p.refCountUnique;

/** `Frame::from_unique(unique)`: the count goes from `REF_COUNT_UNIQUE` to 1; the obligation carries over. */
export const frameFromUnique: OpSpec<MetaRegionOwners, UniqueArgs, FrameValue> = Object.freeze({
  name: 'Frame::from_unique',
  rust: 'Frame::from_unique',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    fuqReq('wf', 'unique.wf(owner)', (c) => uniqueWf(c.args.unique, c.args.owner)),
    fuqReq('owner_inv', 'owner.inv()', (c) => every(uniqueOwnerInv(c.args.owner, c.p))),
    fuqReq('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, uSafe(c))),
  ],
  mayPanic: neverPanics<UPre>('Frame::from_unique'),
  ensures: [
    fuqEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    fuqEns('domain', 'final(regions).slot_owners.dom() == old(regions).slot_owners.dom()', (c) =>
      slotOwnersDomEq(c.old, c.final),
    ),
    fuqEns(
      'rc_one',
      'live UniqueFrame (old ref_count == REF_COUNT_UNIQUE) ==> unique.slot().ref_count.store(1, Release): final ref_count == 1',
      (c) => implies(live(c), () => rcOf(c.final, uIdx(c)) === 1n),
      (c) => ({
        'old rc': rcOf(c.old, uIdx(c)),
        'final rc': rcOf(c.final, uIdx(c)),
      }),
      'upstream',
    ),
    fuqEns(
      'final_inv',
      'live UniqueFrame ==> final(regions).inv()',
      (c) => implies(live(c), () => regionInv(c.final, uSafe(c))),
      undefined,
      'upstream',
    ),
    fuqEns(
      'slot_kept',
      'live UniqueFrame ==> metadata, vtable and in_list of the slot unchanged; other slot owners unchanged',
      (c) =>
        implies(live(c), () => {
          const [a, b] = ownersAt(c.old, c.final, uIdx(c));
          return sameInnerExceptRc(a, b) && othersUnchanged(c.old, c.final, uIdx(c));
        }),
      undefined,
      'upstream',
    ),
    fuqEns(
      'obligations',
      "frame_obligations unchanged: the unique frame's obligation is inherited by the Frame",
      (c) => c.final.frameObligations.equals(c.old.frameObligations),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    const i = uIdx(c);
    const o = slotOwner(c.old, i);
    return ret(
      withSlotOwner(c.old, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, 1n) })),
      Object.freeze({ ptr: c.args.unique.ptr }),
    );
  },
  footprint: (a) => [a.owner.slotIndex],
});

// UniqueFrame::try_from_shared (TryFrom<Frame> for UniqueFrame) ----------------------------------------

/** The arguments of `try_from_shared`. */
export type TryFromSharedArgs = Readonly<{ frame: FrameValue }>;
/** `Result<UniqueFrame, Frame>`. */
export type TryFromSharedResult =
  Readonly<{ ok: true; value: UniqueFrameValue }> | Readonly<{ ok: false; value: FrameValue }>;
type TfPre = PreCtx<MetaRegionOwners, TryFromSharedArgs>;
type TfPost = PostCtx<MetaRegionOwners, TryFromSharedArgs, TryFromSharedResult>;
const tfReq = clauseMaker<TfPre>('UniqueFrame::try_from_shared', 'requires');
const tfEns = clauseMaker<TfPost>('UniqueFrame::try_from_shared', 'ensures');
const tIdx = (c: { args: TryFromSharedArgs }) => indexOf(c.args.frame);
const tSafe = (c: { args: TryFromSharedArgs; p: ModelParams }) => (frameInv(c.args.frame, c.p) ? [tIdx(c)] : []);

/** `UniqueFrame::try_from_shared(frame)`: CAS 1 → `REF_COUNT_UNIQUE`; on failure the frame comes back. */
export const uniqueTryFromShared: OpSpec<MetaRegionOwners, TryFromSharedArgs, TryFromSharedResult> = Object.freeze({
  name: 'UniqueFrame::try_from_shared',
  rust: 'UniqueFrame::try_from_shared',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    tfReq('frame_inv', 'frame.inv()', (c) => frameInv(c.args.frame, c.p)),
    tfReq('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, tSafe(c))),
  ],
  mayPanic: neverPanics<TfPre>('UniqueFrame::try_from_shared'),
  ensures: [
    tfEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    tfEns('domain', 'final(regions).slot_owners.dom() == old(regions).slot_owners.dom()', (c) =>
      slotOwnersDomEq(c.old, c.final),
    ),
    tfEns(
      'ok_iff_sole',
      'Ok iff the CAS 1 → REF_COUNT_UNIQUE succeeded: res is Ok <==> old ref_count == 1',
      (c) => c.result.ok === (rcOf(c.old, tIdx(c)) === 1n),
      (c) => ({
        res: c.result.ok,
        'old rc': rcOf(c.old, tIdx(c)),
      }),
      'upstream',
    ),
    tfEns(
      'ok_unique',
      'res is Ok ==> final ref_count == REF_COUNT_UNIQUE',
      (c) => implies(c.result.ok, () => rcOf(c.final, tIdx(c)) === c.p.refCountUnique),
      (c) => ({
        'final rc': rcOf(c.final, tIdx(c)),
      }),
      'upstream',
    ),
    tfEns(
      'err_unchanged',
      'res is Err ==> *final(regions) == *old(regions)',
      (c) => implies(!c.result.ok, () => regionEq(c.old, c.final)),
      undefined,
      'upstream',
    ),
    tfEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, tSafe(c)), undefined, 'upstream'),
    tfEns(
      'slot_kept',
      'metadata, vtable and in_list of the slot unchanged; other slot owners unchanged; frame_obligations unchanged',
      (c) => {
        const [a, b] = ownersAt(c.old, c.final, tIdx(c));
        return (
          sameInnerExceptRc(a, b) &&
          othersUnchanged(c.old, c.final, tIdx(c)) &&
          c.final.frameObligations.equals(c.old.frameObligations)
        );
      },
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    const i = tIdx(c);
    const o = slotOwner(c.old, i);
    if (rc(o) !== 1n) return ret(c.old, { ok: false, value: c.args.frame });
    return ret(
      withSlotOwner(
        c.old,
        i,
        withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, c.p.refCountUnique ?? 1n) }),
      ),
      { ok: true, value: c.args.frame },
    );
  },
  footprint: (a) => [indexOf(a.frame)],
});

// UniqueFrame::drop, reset_as_unused ----------------------------------------------------------------------

type TdPost = PostCtx<MetaRegionOwners, UniqueArgs, TeardownTrace>;
const drEns = clauseMaker<TdPost>('UniqueFrame::drop', 'ensures');
const drReq = clauseMaker<UPre>('UniqueFrame::drop', 'requires');
const uPaddr = (c: { args: UniqueArgs }) => metaToFrame(c.args.unique.ptr);

/** `UniqueFrame::drop(&mut self)`: vostd drops the metadata straight from UNIQUE; upstream stores 0 first and deallocates. */
export const uniqueDrop: OpSpec<MetaRegionOwners, UniqueArgs, TeardownTrace> = Object.freeze({
  name: 'UniqueFrame::drop',
  rust: 'UniqueFrame::drop',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ...ownerRequires<UniqueArgs>('UniqueFrame::drop', false),
    ...teardownRequires('UniqueFrame::drop'),
    drReq(
      'obligation',
      'old(regions).frame_obligations.count(owner.slot_index) > 0',
      (c) => c.old.frameObligations.count(uIdx(c)) > 0,
    ),
  ],
  mayPanic: neverPanics<UPre>('UniqueFrame::drop'),
  ensures: [
    drEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, uSafe(c))),
    drEns('slots_unchanged', 'final(regions).slots =~= old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    drEns(
      'others_unchanged',
      'forall|i| i != owner.slot_index ==> final(regions).slot_owners[i] == old(regions).slot_owners[i]',
      (c) => othersUnchanged(c.old, c.final, uIdx(c)),
    ),
    drEns(
      'obligations',
      'final(regions).frame_obligations =~= old(regions).frame_obligations.remove(owner.slot_index)',
      (c) => c.final.frameObligations.equals(c.old.frameObligations.redeem(uIdx(c))),
    ),
    drEns(
      'unused',
      'the slot ends REF_COUNT_UNUSED with its metadata dropped',
      (c) => {
        const o = slotOwner(c.final, uIdx(c));
        return rc(o) === c.p.refCountUnused && !isInit(o.innerPerms.storage) && !isInit(o.innerPerms.vtablePtr);
      },
      (c) => ({ 'final rc': rcOf(c.final, uIdx(c)) }),
      'upstream',
    ),
    drEns(
      'through_zero',
      'self.slot().ref_count.store(0, Relaxed) before drop_last_in_place (vostd drops straight from REF_COUNT_UNIQUE)',
      (c) => ghostEq(c.result.rcWrites, [0n, c.p.refCountUnused]),
      (c) => ({ rcWrites: c.result.rcWrites }),
      'upstream',
    ),
    drEns(
      'dealloc',
      'get_global_frame_allocator().dealloc(self.start_paddr(), PAGE_SIZE) after the teardown (vostd comments it out)',
      (c) => ghostEq(c.result.dealloc, [uPaddr(c)]),
      (c) => ({ dealloc: c.result.dealloc }),
      'upstream',
    ),
  ],
  next: (c) => {
    const i = uIdx(c);
    const r = withSlotOwner(c.old, i, tornDown(slotOwner(c.old, i), c.p.refCountUnused));
    return ret(withLedger(r, r.frameObligations.redeem(i)), {
      last: true,
      rcWrites: [0n, c.p.refCountUnused],
      dealloc: [uPaddr(c)],
    });
  },
  footprint: (a) => [a.owner.slotIndex],
});

const rsEns = clauseMaker<TdPost>('UniqueFrame::reset_as_unused', 'ensures');

/** `UniqueFrame::reset_as_unused(self)`: count 0, drop the metadata, UNUSED; no deallocation, and vostd redeems no obligation. */
export const uniqueResetAsUnused: OpSpec<MetaRegionOwners, UniqueArgs, TeardownTrace> = Object.freeze({
  name: 'UniqueFrame::reset_as_unused',
  rust: 'UniqueFrame::reset_as_unused',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ...ownerRequires<UniqueArgs>('UniqueFrame::reset_as_unused', false),
    ...teardownRequires('UniqueFrame::reset_as_unused'),
  ],
  mayPanic: neverPanics<UPre>('UniqueFrame::reset_as_unused'),
  ensures: [
    rsEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, uSafe(c))),
    rsEns(
      'unused',
      'the slot ends REF_COUNT_UNUSED with its metadata dropped',
      (c) => {
        const o = slotOwner(c.final, uIdx(c));
        return rc(o) === c.p.refCountUnused && !isInit(o.innerPerms.storage);
      },
      (c) => ({ 'final rc': rcOf(c.final, uIdx(c)) }),
      'upstream',
    ),
    rsEns(
      'through_zero',
      'ref_count.store(0, Release), then drop_last_in_place',
      (c) => ghostEq(c.result.rcWrites, [0n, c.p.refCountUnused]),
      (c) => ({
        rcWrites: c.result.rcWrites,
      }),
      'upstream',
    ),
    rsEns(
      'no_dealloc',
      'reset_as_unused does not up-call the allocator',
      (c) => c.result.dealloc.length === 0,
      (c) => ({ dealloc: c.result.dealloc }),
      'upstream',
    ),
    rsEns(
      'others_unchanged',
      'other slot owners and all slot permissions unchanged',
      (c) => othersUnchanged(c.old, c.final, uIdx(c)) && slotsUnchanged(c.old, c.final),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    const i = uIdx(c);
    return ret(withSlotOwner(c.old, i, tornDown(slotOwner(c.old, i), c.p.refCountUnused)), {
      last: true,
      rcWrites: [0n, c.p.refCountUnused],
      dealloc: [],
    });
  },
  footprint: (a) => [a.owner.slotIndex],
});

// UniqueFrame::repurpose -------------------------------------------------------------------------------------

/** The arguments of `repurpose`: the handle, its owner and the new metadata. */
export type RepurposeArgs = UniqueArgs & Readonly<{ metadata: MetaSlotStorage }>;
type RpPre = UPre<RepurposeArgs>;
type RpPost = PostCtx<MetaRegionOwners, RepurposeArgs, UniqueWithOwner>;
const rpReq = clauseMaker<RpPre>('UniqueFrame::repurpose', 'requires');
const rpEns = clauseMaker<RpPost>('UniqueFrame::repurpose', 'ensures');

/** `UniqueFrame::repurpose(self, metadata) -> UniqueFrame<M1>`: drop the old metadata, write the new one. */
export const uniqueRepurpose: OpSpec<MetaRegionOwners, RepurposeArgs, UniqueWithOwner> = Object.freeze({
  name: 'UniqueFrame::repurpose',
  rust: 'UniqueFrame::repurpose',
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ...ownerRequires<RepurposeArgs>('UniqueFrame::repurpose', true),
    rpReq(
      'in_list_zero',
      'old(regions).slot_owners[frame_to_index(meta_to_frame(self.ptr.addr()))].inner_perms.in_list.value() == 0',
      (c) => slotOwner(c.old, metaToIndex(c.args.unique.ptr)).innerPerms.inList.value === 0n,
    ),
    rpReq('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, uSafe(c))),
  ],
  mayPanic: neverPanics<RpPre>('UniqueFrame::repurpose'),
  ensures: [
    rpEns(
      'metadata',
      'new_owner@.meta_perm_of(*final(regions)).value().metadata == metadata',
      (c) => ghostEq(valueOf(slotOwner(c.final, c.result.owner.slotIndex).innerPerms.storage), c.args.metadata),
      (c) => ({
        stored: valueOf(slotOwner(c.final, c.result.owner.slotIndex).innerPerms.storage),
        metadata: c.args.metadata,
      }),
    ),
    rpEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, uSafe(c))),
    rpEns(
      'rc_unique',
      'the count stays REF_COUNT_UNIQUE; in_list, usage and other slots unchanged; frame_obligations unchanged',
      (c) => {
        const [a, b] = ownersAt(c.old, c.final, uIdx(c));
        return (
          rc(b) === c.p.refCountUnique &&
          ghostEq(a.innerPerms.inList, b.innerPerms.inList) &&
          a.usage === b.usage &&
          othersUnchanged(c.old, c.final, uIdx(c)) &&
          c.final.frameObligations.equals(c.old.frameObligations)
        );
      },
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    const i = uIdx(c);
    const o = slotOwner(c.old, i);
    return ret(withSlotOwner(c.old, i, holding(o, c.args.metadata, rc(o))), {
      unique: c.args.unique,
      owner: uniqueOwner(i, c.args.metadata.type),
    });
  },
  footprint: (a) => [a.owner.slotIndex],
});

/** Every `UniqueFrame` op spec (and the conversions), in source order. */
export const UNIQUE_FRAME_OPS = [
  uniqueFromUnused,
  uniqueMeta,
  uniqueMetaMut,
  frameFromUnique,
  uniqueTryFromShared,
  uniqueDrop,
  uniqueResetAsUnused,
  uniqueRepurpose,
] as const;

/** The unique frame at `paddr`. */
export function uniqueAt(paddr: Paddr): UniqueFrameValue {
  return Object.freeze({ ptr: frameToMeta(paddr) });
}

/** The physical address of a unique frame. */
export function uniquePaddr(u: UniqueFrameValue): Paddr {
  return paddrOf(u);
}
