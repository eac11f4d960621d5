/**
 * vostd HEAD's contracts of `UniqueFrame<M>` (`ostd/src/mm/frame/unique.rs`, `ostd/specs/mm/frame/unique.rs`),
 * clause by clause, over HEAD's owner model.
 *
 * HEAD's `UniqueFrameOwner<M>` is `{ meta_own, repr_perm: Option<M::ReprPerm>, slot_index }`: the
 * metadata is read through the representation permission (`meta_value(regions)` is
 * `M::from_repr_spec(storage, repr_perm)`), and `owner.inv()` requires `repr_perm is Some`.
 * `global_inv` loses the seed's `perm.wf` conjunct and gains `usage is Frame`; the teardowns require
 * `self.wf_with_region(owner, regions)` (the seed's explicit storage/vtable/self_addr conjuncts are
 * derived from `regions.inv()` there); `from_unused` and `repurpose` take the new metadata's
 * `M::Owner` and `M::ReprPerm` and promise `meta_own` and `meta_value`; `meta_mut` states what it
 * keeps. New in HEAD: `UniqueFrame::into_raw`, `UniqueFrame::from_raw` and `transmute`
 * (`external_body`). Every `inv()` is HEAD's `MetaRegionOwners::inv()`.
 *
 * Left out, as for `Frame`: `size`/`level` (literals), `slot` and `start_paddr` (read-only accessors
 * the model has no state for), the proof-only `TrackDrop` trait methods.
 *
 * @see vostd b5b972861 `ostd/src/mm/frame/unique.rs`, `ostd/specs/mm/frame/unique.rs`
 */
import type { Clause, ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies, note, paddrIndex, safeIndices } from '../meta/clause.ts';
import { frameToIndex, frameToMeta, metaAddr, metaToFrame, metaToIndex } from '../meta/mapping.ts';
import { regionEq, slotOwner, slotPerm, withLedger, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { rc, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { ghostEq, isInit, valueOf } from '../meta/perms.ts';
import { ok, type Res } from '../meta/results.ts';
import { MAX_META_SLOTS, type FrameIndex, type ModelParams, type Paddr } from '../vocab.ts';
import {
  frameFromUnique,
  uniqueDrop,
  uniqueFromUnused,
  uniqueMetaMut,
  uniqueRepurpose,
  uniqueResetAsUnused,
  uniqueTryFromShared,
  uniqueWf,
  type MetaOwner,
  type UniqueFrameOwner,
  type UniqueFrameValue,
} from '../frame/UniqueFrame.ts';
import { frameAt, type FrameValue, type TeardownTrace } from '../frame/Frame.ts';
import {
  maxNrPages,
  neverPanics,
  othersUnchanged,
  ownersAt,
  ownersContain,
  ret,
  slotsUnchanged,
} from '../frame/regionFacts.ts';
import { regionsContain } from './Frame.ts';
import { headRegionInv } from './MetaRegionOwners.ts';
import { headGetFromUnusedSpec, validFramePaddr } from './MetaSlot.ts';
import { reword } from './reword.ts';

type Region = MetaRegionOwners;
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);

/** `M::ReprPerm` as framecheck sees it: the representation the metadata of type `type` is decoded with. */
export type ReprPerm = Readonly<{ type: string }>;

/** HEAD `UniqueFrameOwner<M> { meta_own, repr_perm: Option<M::ReprPerm>, slot_index }` (`undefined` is `None`). */
export type HeadUniqueFrameOwner = UniqueFrameOwner & Readonly<{ reprPerm?: ReprPerm }>;

/** The owner `from_unused`/`from_raw`/`repurpose` build for slot `i` and metadata of type `type`: `repr_perm` is `Some`. */
export function headUniqueOwner(i: FrameIndex, type: string): HeadUniqueFrameOwner {
  return Object.freeze({ metaOwn: Object.freeze({ type }), reprPerm: Object.freeze({ type }), slotIndex: i });
}

/** HEAD `impl Inv for UniqueFrameOwner<M>`, conjunct by conjunct. */
export function headUniqueOwnerInv(o: HeadUniqueFrameOwner, p: ModelParams) {
  return {
    slot_index_lt_max_nr_pages: o.slotIndex >= 0 && o.slotIndex < maxNrPages(p),
    slot_index_lt_max_meta_slots: o.slotIndex < MAX_META_SLOTS,
    repr_perm_some: o.reprPerm !== undefined,
  };
}

/** `UniqueFrameOwner::meta_value(regions)`: `M::from_repr_spec(storage_perm().value(), repr_perm->0)` (undefined when it does not decode). */
export function headMetaValue(o: HeadUniqueFrameOwner, r: Region): MetaSlotStorage | undefined {
  const v = ownersContain(o.slotIndex) ? valueOf(slotOwner(r, o.slotIndex).innerPerms.storage) : undefined;
  return o.reprPerm !== undefined && v !== undefined && v.type === o.reprPerm.type ? v : undefined;
}

/** `UniqueFrameOwner::meta_wf(regions)`: `typed_meta_wf::<M>(*slots[idx], metadata_perm, repr_perm->0)`. */
export function headMetaWf(o: HeadUniqueFrameOwner, r: Region): boolean {
  const i = o.slotIndex;
  if (!ownersContain(i)) return false;
  const perm = slotPerm(r, i);
  const storage = slotOwner(r, i).innerPerms.storage;
  const slot = perm === undefined ? undefined : valueOf(perm);
  const v = valueOf(storage);
  return (
    slot !== undefined &&
    isInit(storage) &&
    storage.id === slot.storageId &&
    o.reprPerm !== undefined &&
    v !== undefined &&
    v.type === o.reprPerm.type
  );
}

/** HEAD `UniqueFrameOwner::global_inv(regions)`, conjunct by conjunct. */
export function headGlobalInv(o: HeadUniqueFrameOwner, r: Region) {
  const i = o.slotIndex;
  const has = ownersContain(i);
  const so = slotOwner(r, i);
  const value = headMetaValue(o, r);
  return {
    contains: has && regionsContain(r, i),
    meta_wf: headMetaWf(o, r),
    slot_addr: has && slotPerm(r, i)?.addr === metaAddr(i),
    meta_value_wf: value !== undefined && value.type === o.metaOwn.type,
    slot_vaddr: has && so.selfAddr === metaAddr(i),
    rc_unique: has && rc(so) === r.p.refCountUnique,
    usage_frame: has && so.usage === 'Frame',
    obligation: r.frameObligations.count(i) > 0,
  };
}

const GLOBAL_INV_TEXT: Readonly<Record<keyof ReturnType<typeof headGlobalInv>, string>> = {
  contains: 'regions.contains(self.slot_index)',
  meta_wf: 'self.meta_wf(regions)',
  slot_addr: 'regions.slots[self.slot_index].addr() == index_to_meta(self.slot_index)',
  meta_value_wf: 'self.meta_value(regions).wf(self.meta_own)',
  slot_vaddr: 'regions.slot_owners[self.slot_index].slot_vaddr == index_to_meta(self.slot_index)',
  rc_unique: 'regions.slot_owners[self.slot_index].ref_count() == REF_COUNT_UNIQUE',
  usage_frame: 'regions.slot_owners[self.slot_index].usage is Frame',
  obligation: 'regions.frame_obligations.count(self.slot_index) > 0',
};

/** HEAD `UniqueFrame::wf_with_region(owner, s)`, conjunct by conjunct. */
export function headUniqueWfWithRegion(u: UniqueFrameValue, o: HeadUniqueFrameOwner, s: Region) {
  const i = o.slotIndex;
  const has = ownersContain(i);
  const so = slotOwner(s, i);
  return {
    wf: uniqueWf(u, o),
    owner_inv: every(headUniqueOwnerInv(o, s.p)),
    regions_inv: headRegionInv(s, has ? [i] : []),
    rc_unique: has && rc(so) === s.p.refCountUnique,
    in_list_zero: has && so.innerPerms.inList.value === 0n,
    paths_empty: has && so.pathsInPt.size === 0,
  };
}

/** The arguments of an op on a live `UniqueFrame` and HEAD's tracked owner. */
export type HeadUniqueArgs = Readonly<{ unique: UniqueFrameValue; owner: HeadUniqueFrameOwner }>;
/** `Ok(UniqueFrame)` with HEAD's tracked owner. */
export type HeadUniqueWithOwner = Readonly<{ unique: UniqueFrameValue; owner: HeadUniqueFrameOwner }>;
/** The tracked inputs of `from_unused`, `from_raw` and `repurpose`: the new metadata's `M::Owner` and `M::ReprPerm`. */
export type MetaTracked = Readonly<{ metaOwn: MetaOwner; reprPerm: ReprPerm }>;

type UPre<A extends HeadUniqueArgs = HeadUniqueArgs> = PreCtx<Region, A>;
const uIdx = (c: { args: HeadUniqueArgs }) => c.args.owner.slotIndex;
const uAt = (c: { args: HeadUniqueArgs }) => (ownersContain(uIdx(c)) ? [uIdx(c)] : []);
/** `UniqueFrame::index()`: `frame_to_index(meta_to_frame(self.ptr.addr()))` (the handle's, not the owner's). */
const selfIdx = (c: { args: HeadUniqueArgs }) => metaToIndex(c.args.unique.ptr);
const ownerInvText =
  'owner.inv() (0 <= slot_index < MAX_NR_PAGES && slot_index < max_meta_slots() && repr_perm is Some)';

/** `owner.inv()`, `self.wf(*owner)`, then each conjunct of `owner.global_inv(*regions)` as its own requires clause. */
function globalRequires<A extends HeadUniqueArgs>(op: string, selfOld: boolean): Clause<UPre<A>>[] {
  const req = clauseMaker<UPre<A>>(op, 'requires');
  return [
    req('owner_inv', ownerInvText, (c) => every(headUniqueOwnerInv(c.args.owner, c.p))),
    req(
      'wf',
      `${selfOld ? 'old(self)' : 'self'}.wf(*owner) (self.ptr.addr() == index_to_meta(owner.slot_index))`,
      (c) => uniqueWf(c.args.unique, c.args.owner),
      (c) => ({ ptr: c.args.unique.ptr, 'index_to_meta(slot_index)': metaAddr(c.args.owner.slotIndex) }),
    ),
    ...Object.entries(GLOBAL_INV_TEXT).map(([k, text]) => {
      const key = k as keyof typeof GLOBAL_INV_TEXT;
      return req(
        `global_inv.${key}`,
        `owner.global_inv(*${selfOld ? 'old(regions)' : 'regions'}): ${text}`,
        (c) => headGlobalInv(c.args.owner, c.old)[key],
        (c) => ({ conjuncts: headGlobalInv(c.args.owner, c.old) }),
      );
    }),
  ];
}

// UniqueFrame::from_unused ---------------------------------------------------------------------------

const UF = 'UniqueFrame::from_unused';
/** The arguments of HEAD's `UniqueFrame::from_unused(paddr, metadata)` with `Tracked(meta_own_in)`, `Tracked(repr_perm_in)`. */
export type HeadUniqueFromUnusedArgs = Readonly<{ paddr: Paddr; metadata: MetaSlotStorage }> & MetaTracked;
type UfPre = PreCtx<Region, HeadUniqueFromUnusedArgs>;
type UfPost = PostCtx<Region, HeadUniqueFromUnusedArgs, Res<HeadUniqueWithOwner>>;
const ufEns = clauseMaker<UfPost>(UF, 'ensures');
const okOwner = (c: UfPost): HeadUniqueFrameOwner | undefined => (c.result.ok ? c.result.value.owner : undefined);

/** `UniqueFrame::from_unused(paddr, metadata)`: HEAD's owner carries the caller's `meta_own` and `repr_perm`. */
export const headUniqueFromUnused: OpSpec<Region, HeadUniqueFromUnusedArgs, Res<HeadUniqueWithOwner>> = reword<
  Region,
  HeadUniqueFromUnusedArgs,
  Res<HeadUniqueWithOwner>
>(uniqueFromUnused, {
  texts: {
    [`${UF}.requires.owners_contain`]: 'old(regions).contains(frame_to_index(paddr))',
    [`${UF}.requires.usage_unused`]: 'old(regions).slot_owner(paddr).usage is Unused',
    [`${UF}.requires.regions_inv`]: 'old(regions).inv()',
    [`${UF}.ensures.unsafe_err`]: '!valid_frame_paddr(paddr) ==> res is Err',
    [`${UF}.ensures.ok_obligations`]:
      'res is Ok ==> final(regions).frame_obligations == old(regions).frame_obligations.insert(frame_to_index(paddr))',
    [`${UF}.ensures.err_obligations`]:
      'res is Err ==> final(regions).frame_obligations == old(regions).frame_obligations',
    [`${UF}.ensures.final_inv`]: 'final(regions).inv()',
    [`${UF}.ensures.ok_claimed`]:
      'res is Ok ==> MetaSlot::get_from_unused_spec(paddr, true, *old(regions), *final(regions)) but for the minted obligation (upstream: the slot is claimed UNIQUE)',
    [`${UF}.ensures.err_unchanged`]: 'res is Err ==> *final(regions) == *old(regions)',
    [`${UF}.ensures.err_kind`]:
      'get_from_unused: NotAligned, then OutOfBound, then the observed count: UNIQUE → Unique, 0 → Busy, any other → InUse',
  },
  renames: {
    [`${UF}.requires.owners_contain`]: `${UF}.requires.contains`,
    [`${UF}.ensures.unsafe_err`]: `${UF}.ensures.invalid_err`,
  },
  requiresHolds: {
    [`${UF}.requires.owners_contain`]: (c) => regionsContain(c.old, paddrIndex(c)),
    [`${UF}.requires.regions_inv`]: (c) => headRegionInv(c.old, safeIndices(c)),
  },
  ensuresHolds: {
    [`${UF}.ensures.final_inv`]: (c) => headRegionInv(c.final, safeIndices(c)),
    [`${UF}.ensures.ok_claimed`]: (c) =>
      implies(c.result.ok, () => {
        const { obligations_unchanged: _, ...claim } = headGetFromUnusedSpec(c.args.paddr, true, c.old, c.final);
        return every(claim);
      }),
  },
  // HEAD's owner says what the seed's `ok_owner` did through `meta_own` and `meta_value`.
  drop: [`${UF}.ensures.ok_owner`],
  addRequires: [
    clauseMaker<UfPre>(UF, 'requires')(
      'meta_own_wf',
      '<M as OwnerOf>::wf(metadata, meta_own_in)',
      (c) => c.args.metaOwn.type === c.args.metadata.type,
      (c) => ({ metadata: c.args.metadata.type, meta_own_in: c.args.metaOwn.type }),
    ),
  ],
  addEnsures: [
    ufEns('ok_meta_own', 'res is Ok ==> owner@->0.meta_own == meta_own_in', (c) =>
      implies(c.result.ok, () => ghostEq(okOwner(c)?.metaOwn, c.args.metaOwn)),
    ),
    ufEns(
      'ok_meta_value',
      'res is Ok ==> owner@->0.meta_value(*final(regions)) == metadata',
      (c) => implies(c.result.ok, () => ghostEq(headMetaValue(okOwner(c)!, c.final), c.args.metadata)),
      (c) => ({ meta_value: c.result.ok ? headMetaValue(c.result.value.owner, c.final) : null }),
    ),
  ],
  next: (c) => {
    const out = uniqueFromUnused.next(c);
    if (out.kind !== 'return' || !out.result.ok) return out;
    const owner = Object.freeze({ ...out.result.value.owner, metaOwn: c.args.metaOwn, reprPerm: c.args.reprPerm });
    return ret(out.final, ok({ unique: out.result.value.unique, owner }));
  },
});

// UniqueFrame::meta, meta_mut ---------------------------------------------------------------------------

type MePost = PostCtx<Region, HeadUniqueArgs, MetaSlotStorage | undefined>;
const MT = 'UniqueFrame::meta';

/** `UniqueFrame::meta(&self) -> &'a M` with `Tracked(owner)`, `Tracked(regions)` (both shared borrows). */
export const headUniqueMeta: OpSpec<Region, HeadUniqueArgs, MetaSlotStorage | undefined> = Object.freeze({
  name: MT,
  rust: MT,
  source: 'ostd/src/mm/frame/unique.rs',
  requires: globalRequires<HeadUniqueArgs>(MT, false),
  mayPanic: neverPanics<UPre>(MT),
  ensures: [
    clauseMaker<MePost>(MT, 'ensures')(
      'result',
      'owner.meta_value(*regions) == l',
      (c) => ghostEq(c.result, headMetaValue(c.args.owner, c.old)),
      (c) => ({ l: c.result, meta_value: headMetaValue(c.args.owner, c.old) }),
    ),
    clauseMaker<MePost>(MT, 'ensures')(
      'regions_unchanged',
      'Tracked(regions): Tracked<&MetaRegionOwners> (a shared borrow): *final(regions) == *old(regions)',
      (c) => regionEq(c.old, c.final),
    ),
  ],
  next: (c) => ret(c.old, headMetaValue(c.args.owner, c.old)),
  footprint: (a) => [a.owner.slotIndex],
});

const MM = 'UniqueFrame::meta_mut';
/** The arguments of `meta_mut`: the handle, HEAD's owner, and the value the caller stores through the `&mut M`. */
export type HeadMetaMutArgs = HeadUniqueArgs & Readonly<{ value: MetaSlotStorage }>;
type MmPost = PostCtx<Region, HeadMetaMutArgs, Readonly<{ addr: bigint }>>;
const mmReq = clauseMaker<UPre<HeadMetaMutArgs>>(MM, 'requires');
const mmEns = clauseMaker<MmPost>(MM, 'ensures');
const kept = (name: string, field: string, pick: (o: ReturnType<typeof slotOwner>) => unknown) =>
  mmEns(
    `kept_${name}`,
    `final(regions).slot_owners[final(owner).slot_index].${field} == old(regions).slot_owners[old(owner).slot_index].${field}`,
    (c) => {
      const [a, b] = ownersAt(c.old, c.final, uIdx(c));
      return ghostEq(pick(a), pick(b));
    },
  );

/** `UniqueFrame::meta_mut(&'a mut self) -> &'a mut M`, with the caller's store through the returned reference. */
export const headUniqueMetaMut: OpSpec<Region, HeadMetaMutArgs, Readonly<{ addr: bigint }>> = Object.freeze({
  name: MM,
  rust: MM,
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ...globalRequires<HeadMetaMutArgs>(MM, true),
    mmReq('regions_inv', 'old(regions).inv()', (c) => headRegionInv(c.old, uAt(c))),
    mmReq(
      'value_typed',
      '(typing) the value stored through `&mut M` is an `M`',
      (c) => c.args.value.type === c.args.owner.metaOwn.type,
      undefined,
      'upstream',
    ),
  ],
  mayPanic: neverPanics<UPre<HeadMetaMutArgs>>(MM),
  ensures: [
    mmEns(
      'final_res',
      '*final(res) == final(owner).meta_value(*final(regions))',
      (c) => ghostEq(headMetaValue(c.args.owner, c.final), c.args.value),
      (c) => ({ meta_value: headMetaValue(c.args.owner, c.final), stored: c.args.value }),
    ),
    mmEns('meta_wf', 'final(owner).meta_wf(*final(regions))', (c) => headMetaWf(c.args.owner, c.final)),
    mmEns('final_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, uAt(c))),
    mmEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    mmEns(
      'others_unchanged',
      'forall|j: int| j != old(owner).slot_index ==> final(regions).slot_owners[j] == old(regions).slot_owners[j]',
      (c) => othersUnchanged(c.old, c.final, uIdx(c)),
    ),
    kept('slot_vaddr', 'slot_vaddr', (o) => o.selfAddr),
    kept('usage', 'usage', (o) => o.usage),
    kept('ref_count_perm', 'ref_count_perm', (o) => o.innerPerms.refCount),
    kept('in_list_perm', 'in_list_perm', (o) => o.innerPerms.inList),
    kept('paths_in_pt', 'paths_in_pt', (o) => o.pathsInPt),
    mmEns('obligations', 'final(regions).frame_obligations == old(regions).frame_obligations', (c) =>
      c.final.frameObligations.equals(c.old.frameObligations),
    ),
    mmEns(
      'global_inv_kept',
      '<M as OwnerOf>::wf(final(owner).meta_value(*final(regions)), final(owner).meta_own) ==> final(owner).global_inv(*final(regions))',
      (c) => {
        const v = headMetaValue(c.args.owner, c.final);
        return implies(v !== undefined && v.type === c.args.owner.metaOwn.type, () =>
          every(headGlobalInv(c.args.owner, c.final)),
        );
      },
      (c) => ({ conjuncts: headGlobalInv(c.args.owner, c.final) }),
    ),
  ],
  next: (c) => uniqueMetaMut.next(c),
  footprint: (a) => [a.owner.slotIndex],
});

/** The `meta_mut` conjuncts about the handle and the owner, which the implementation is never given. */
export const HEAD_UNIQUE_FRAME_NOTES: readonly ClauseNote[] = [
  note(
    `${MM}.ensures.res_addr`,
    'res.addr() == final(self).ptr.addr()',
    "the port's `meta_mut` returns no reference: the checked layer builds the result's address from the handle's slot",
  ),
  note(
    'UniqueFrame::repurpose.ensures.res_wf',
    'res.wf(new_owner@)',
    "the result's `ptr` and the new owner's `slot_index` are both the handle's slot, as the checked layer builds them",
  ),
  note(
    'UniqueFrame::from_unused.ensures.ok_wf',
    'res is Ok ==> res.unwrap().wf(owner@->0)',
    "the handle's `ptr` and the owner's `slot_index` are made from the one slot the implementation returned",
  ),
  note(
    'Frame::from_unique.ensures.same_ptr',
    'the frame is the unique frame transmuted: res.ptr == unique.ptr',
    "the port's `intoShared` returns nothing: the checked layer builds the result's `ptr` from the handle's slot",
    'upstream',
  ),
  note(
    'UniqueFrame::try_from_shared.ensures.same_ptr',
    "the result (either side) has the frame's pointer",
    "the port's `tryIntoUnique` returns a boolean: the checked layer builds either side's `ptr` from the handle's slot",
    'upstream',
  ),
  note(
    `${MM}.ensures.res`,
    '*res == old(owner).meta_value(*old(regions))',
    "the model's `&mut M` is the value the caller stores through it; its referent before the store is the slot's storage by construction of the view",
  ),
  note(
    `${MM}.ensures.self_unchanged`,
    '*final(self) == *old(self)',
    'the handle is an immutable value the implementation is never given: `meta_mut` receives the slot, not the handle',
  ),
  note(
    `${MM}.ensures.owner_kept`,
    'final(owner).meta_own == old(owner).meta_own && final(owner).slot_index == old(owner).slot_index && final(owner).inv() && (*final(self)).wf(*final(owner))',
    'the tracked owner is ghost state the implementation never receives; the checked layer keeps it as it was',
  ),
  note(
    `${MM}.ensures.dom`,
    'final(regions).slots.dom() == old(regions).slots.dom() && final(regions).slot_owners.dom() == old(regions).slot_owners.dom()',
    '`slots.dom()` is implied by the checked `slots_unchanged`; the owner domain is the lazy [0, max_meta_slots)',
  ),
  note(
    `${UF}.ensures.owner_some`,
    'res is Ok ==> owner@ is Some; res is Err ==> owner@ is None',
    'the TypeScript result carries the owner inside `Ok` and none in `Err`',
  ),
];

// Frame::from_unique, UniqueFrame::try_from_shared -------------------------------------------------------------

const FQ = 'Frame::from_unique';

/** `Frame::from_unique(unique)` with `Tracked(owner)`, `Tracked(regions)`: HEAD's `owner.inv()` and `regions.inv()`. */
export const headFrameFromUnique = reword<Region, HeadUniqueArgs, FrameValue>(frameFromUnique, {
  texts: {
    [`${FQ}.requires.wf`]: 'unique.wf(owner)',
    [`${FQ}.requires.owner_inv`]: 'owner.inv()',
    [`${FQ}.requires.regions_inv`]: 'old(regions).inv()',
    [`${FQ}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
    [`${FQ}.ensures.domain`]: 'final(regions).slot_owners.dom() == old(regions).slot_owners.dom()',
    [`${FQ}.ensures.rc_one`]:
      'live UniqueFrame (old ref_count == REF_COUNT_UNIQUE) ==> slot.ref_count.store(1): final ref_count == 1',
    [`${FQ}.ensures.final_inv`]: 'live UniqueFrame ==> final(regions).inv()',
    [`${FQ}.ensures.slot_kept`]:
      'live UniqueFrame ==> metadata_perm and in_list_perm of the slot unchanged; other slot owners unchanged',
    [`${FQ}.ensures.obligations`]:
      "frame_obligations unchanged: the unique frame's obligation is inherited by the Frame",
  },
  requiresHolds: {
    [`${FQ}.requires.owner_inv`]: (c) => every(headUniqueOwnerInv(c.args.owner, c.p)),
    [`${FQ}.requires.regions_inv`]: (c) => headRegionInv(c.old, uAt(c)),
  },
  ensuresHolds: {
    [`${FQ}.ensures.final_inv`]: (c) =>
      implies(ownersContain(uIdx(c)) && rc(slotOwner(c.old, uIdx(c))) === c.p.refCountUnique, () =>
        headRegionInv(c.final, uAt(c)),
      ),
  },
});

const TF = 'UniqueFrame::try_from_shared';
type TfArgs = Parameters<typeof uniqueTryFromShared.next>[0]['args'];
const tAt = (c: { args: TfArgs; p: ModelParams }) => {
  const i = metaToIndex(c.args.frame.ptr);
  return ownersContain(i) ? [i] : [];
};

/** `UniqueFrame::try_from_shared(frame)` with `Tracked(regions)`: CAS 1 → `REF_COUNT_UNIQUE`. */
export const headUniqueTryFromShared = reword(uniqueTryFromShared, {
  texts: {
    [`${TF}.requires.frame_inv`]: 'frame.inv()',
    [`${TF}.requires.regions_inv`]: 'old(regions).inv()',
    [`${TF}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
    [`${TF}.ensures.domain`]: 'final(regions).slot_owners.dom() == old(regions).slot_owners.dom()',
    [`${TF}.ensures.ok_iff_sole`]:
      'Ok iff slot.ref_count.compare_exchange(1, REF_COUNT_UNIQUE) succeeded: res is Ok <==> old ref_count == 1',
    [`${TF}.ensures.ok_unique`]: 'res is Ok ==> final ref_count == REF_COUNT_UNIQUE',
    [`${TF}.ensures.err_unchanged`]: 'res is Err ==> *final(regions) == *old(regions)',
    [`${TF}.ensures.final_inv`]: 'final(regions).inv()',
    [`${TF}.ensures.slot_kept`]:
      'metadata_perm and in_list_perm of the slot unchanged; other slot owners unchanged; frame_obligations unchanged',
  },
  requiresHolds: { [`${TF}.requires.regions_inv`]: (c) => headRegionInv(c.old, tAt(c)) },
  ensuresHolds: { [`${TF}.ensures.final_inv`]: (c) => headRegionInv(c.final, tAt(c)) },
});

// UniqueFrame::drop, reset_as_unused -------------------------------------------------------------------------

const wfr = (self: string, part: string) => `${self}.wf_with_region(owner, *old(regions)): ${part}`;
/** The seed's teardown requires HEAD derives from `wf_with_region` (through `regions.inv()`), not requires. */
const DERIVED = ['owners_contain', 'self_addr', 'storage_init', 'vtable_init'];

function teardownTexts(op: string, self: string): Readonly<Record<string, string>> {
  return {
    [`${op}.requires.owner_inv`]: wfr(self, 'owner.inv()'),
    [`${op}.requires.wf`]: wfr(self, 'self.wf(owner)'),
    [`${op}.requires.regions_inv`]: wfr(self, 's.inv()'),
    [`${op}.requires.rc_unique`]: wfr(self, 'so.ref_count() == REF_COUNT_UNIQUE'),
    [`${op}.requires.in_list_zero`]: wfr(self, 'so.in_list_perm.value() == 0'),
    [`${op}.requires.paths_empty`]: wfr(self, 'so.paths_in_pt.is_empty()'),
  };
}
const teardownHolds = (c: UPre) => ({
  owner_inv: every(headUniqueOwnerInv(c.args.owner, c.p)),
  regions_inv: headRegionInv(c.old, uAt(c)),
});

const UD = 'UniqueFrame::drop';

/** `UniqueFrame::drop(&mut self)` with `Tracked(owner)`, `Tracked(regions)`. */
export const headUniqueDrop = reword<Region, HeadUniqueArgs, TeardownTrace>(uniqueDrop, {
  texts: {
    ...teardownTexts(UD, 'old(self)'),
    [`${UD}.requires.obligation`]: 'old(regions).frame_obligations.count(owner.slot_index) > 0',
    [`${UD}.ensures.final_inv`]: 'final(regions).inv()',
    [`${UD}.ensures.slots_unchanged`]: 'final(regions).slots == old(regions).slots',
    [`${UD}.ensures.others_unchanged`]:
      'forall|i: int| i != owner.slot_index ==> final(regions).slot_owners[i] == old(regions).slot_owners[i]',
    [`${UD}.ensures.obligations`]:
      'final(regions).frame_obligations == old(regions).frame_obligations.remove(owner.slot_index)',
    [`${UD}.ensures.unused`]: 'the slot ends REF_COUNT_UNUSED with its metadata dropped',
    [`${UD}.ensures.through_zero`]:
      'self.slot().ref_count.store(0, Relaxed) before drop_last_in_place (vostd drops straight from REF_COUNT_UNIQUE)',
    [`${UD}.ensures.dealloc`]:
      'get_global_frame_allocator().dealloc(self.start_paddr(), PAGE_SIZE) after the teardown (vostd HEAD comments it out)',
  },
  requiresHolds: {
    [`${UD}.requires.owner_inv`]: (c) => teardownHolds(c).owner_inv,
    [`${UD}.requires.regions_inv`]: (c) => teardownHolds(c).regions_inv,
  },
  ensuresHolds: { [`${UD}.ensures.final_inv`]: (c) => headRegionInv(c.final, uAt(c)) },
  drop: DERIVED.map((n) => `${UD}.requires.${n}`),
});

const RS = 'UniqueFrame::reset_as_unused';

/** `UniqueFrame::reset_as_unused(self)` with `Tracked(owner)`, `Tracked(regions)`: HEAD promises `final(regions).inv()` only. */
export const headUniqueResetAsUnused = reword<Region, HeadUniqueArgs, TeardownTrace>(uniqueResetAsUnused, {
  texts: {
    ...teardownTexts(RS, 'self'),
    [`${RS}.ensures.final_inv`]: 'final(regions).inv()',
    [`${RS}.ensures.unused`]: 'the slot ends REF_COUNT_UNUSED with its metadata dropped',
    [`${RS}.ensures.through_zero`]: 'slot.ref_count.store(0), then drop_last_in_place',
    [`${RS}.ensures.no_dealloc`]: 'reset_as_unused does not up-call the allocator',
    [`${RS}.ensures.others_unchanged`]: 'other slot owners and all slot permissions unchanged',
  },
  requiresHolds: {
    [`${RS}.requires.owner_inv`]: (c) => teardownHolds(c).owner_inv,
    [`${RS}.requires.regions_inv`]: (c) => teardownHolds(c).regions_inv,
  },
  ensuresHolds: { [`${RS}.ensures.final_inv`]: (c) => headRegionInv(c.final, uAt(c)) },
  drop: DERIVED.map((n) => `${RS}.requires.${n}`),
});

// UniqueFrame::repurpose, transmute ------------------------------------------------------------------------------

const RP = 'UniqueFrame::repurpose';
/** The arguments of `repurpose(self, metadata)` with `Tracked(owner)`, `Tracked(meta_own_in)`, `Tracked(repr_perm_in)`. */
export type HeadRepurposeArgs = HeadUniqueArgs & Readonly<{ metadata: MetaSlotStorage }> & MetaTracked;
type RpPre = UPre<HeadRepurposeArgs>;
type RpPost = PostCtx<Region, HeadRepurposeArgs, HeadUniqueWithOwner>;
const rpReq = clauseMaker<RpPre>(RP, 'requires');
const rpEns = clauseMaker<RpPost>(RP, 'ensures');
const seedRpRcUnique = uniqueRepurpose.ensures.find((c) => c.name === `${RP}.ensures.rc_unique`)!;

/** `UniqueFrame::repurpose(self, metadata: M1) -> UniqueFrame<M1>`, returning `Tracked(new_owner)`. */
export const headUniqueRepurpose: OpSpec<Region, HeadRepurposeArgs, HeadUniqueWithOwner> = Object.freeze({
  name: RP,
  rust: RP,
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    ...globalRequires<HeadRepurposeArgs>(RP, true),
    rpReq(
      'in_list_zero',
      'old(regions).slot_owners[self.index()].in_list_perm.value() == 0',
      (c) => slotOwner(c.old, selfIdx(c)).innerPerms.inList.value === 0n,
    ),
    rpReq('regions_inv', 'old(regions).inv()', (c) => headRegionInv(c.old, uAt(c))),
    rpReq(
      'meta_own_wf',
      '<M1 as OwnerOf>::wf(metadata, meta_own_in)',
      (c) => c.args.metaOwn.type === c.args.metadata.type,
      (c) => ({ metadata: c.args.metadata.type, meta_own_in: c.args.metaOwn.type }),
    ),
  ],
  mayPanic: neverPanics<RpPre>(RP),
  ensures: [
    rpEns('meta_own', 'new_owner@.meta_own == meta_own_in', (c) => ghostEq(c.result.owner.metaOwn, c.args.metaOwn)),
    rpEns(
      'meta_value',
      'new_owner@.meta_value(*final(regions)) == metadata',
      (c) => ghostEq(headMetaValue(c.result.owner, c.final), c.args.metadata),
      (c) => ({ meta_value: headMetaValue(c.result.owner, c.final), metadata: c.args.metadata }),
    ),
    rpEns('final_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, uAt(c))),
    seedRpRcUnique,
  ],
  next: (c) => {
    const out = uniqueRepurpose.next(c);
    if (out.kind !== 'return') return out;
    const owner = Object.freeze({ ...out.result.owner, metaOwn: c.args.metaOwn, reprPerm: c.args.reprPerm });
    return ret(out.final, Object.freeze({ unique: out.result.unique, owner }));
  },
  footprint: (a) => [a.owner.slotIndex],
});

const TM = 'UniqueFrame::transmute';
type TmArgs = Readonly<{ unique: UniqueFrameValue }>;

/** `UniqueFrame::transmute::<M1>(self)` (`external_body`): the same slot pointer under another metadata type. */
export const uniqueTransmute: OpSpec<Region, TmArgs, UniqueFrameValue> = Object.freeze({
  name: TM,
  rust: TM,
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [],
  mayPanic: neverPanics<PreCtx<Region, TmArgs>>(TM),
  ensures: [
    clauseMaker<PostCtx<Region, TmArgs, UniqueFrameValue>>(TM, 'ensures')(
      'transmute_spec',
      'Self::transmute_spec(self, res): transmuted.ptr.addr() == self.ptr.addr()',
      (c) => c.result.ptr === c.args.unique.ptr,
      (c) => ({ 'res.ptr': c.result.ptr, 'self.ptr': c.args.unique.ptr }),
    ),
  ],
  next: (c) => ret(c.old, Object.freeze({ ptr: c.args.unique.ptr })),
  footprint: (a) => [metaToIndex(a.unique.ptr)],
});

// UniqueFrame::into_raw, from_raw (new in HEAD) ---------------------------------------------------------------------

const IR = 'UniqueFrame::into_raw';
type IrPre = UPre;
type IrPost = PostCtx<Region, HeadUniqueArgs, Paddr>;
const irReq = clauseMaker<IrPre>(IR, 'requires');
const irEns = clauseMaker<IrPost>(IR, 'ensures');
const sAt = (c: { args: HeadUniqueArgs }) => (ownersContain(selfIdx(c)) ? [selfIdx(c)] : []);
const rcAtIdx = (r: Region, i: FrameIndex) => (ownersContain(i) ? rc(slotOwner(r, i)) : r.p.refCountUnused);

/** `UniqueFrame::into_raw(self) -> Paddr` with `Tracked(owner)`, `Tracked(regions)`: the value forgotten, its obligation redeemed. */
export const uniqueIntoRaw: OpSpec<Region, HeadUniqueArgs, Paddr> = Object.freeze({
  name: IR,
  rust: IR,
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    irReq(
      'into_raw_requires.contains',
      'Self::into_raw_requires(self, *old(regions)): regions.contains(self.index())',
      (c) => regionsContain(c.old, selfIdx(c)),
    ),
    irReq(
      'into_raw_requires.obligation',
      'Self::into_raw_requires(self, *old(regions)): regions.frame_obligations.count(self.index()) > 0',
      (c) => c.old.frameObligations.count(selfIdx(c)) > 0,
    ),
    irReq('into_raw_requires.regions_inv', 'Self::into_raw_requires(self, *old(regions)): regions.inv()', (c) =>
      headRegionInv(c.old, sAt(c)),
    ),
    irReq('wf', 'self.wf(*owner)', (c) => uniqueWf(c.args.unique, c.args.owner)),
    irReq('owner_inv', 'owner.inv()', (c) => every(headUniqueOwnerInv(c.args.owner, c.p))),
    irReq('regions_inv', 'old(regions).inv()', (c) => headRegionInv(c.old, sAt(c))),
    irReq(
      'rc_not_unused',
      'old(regions).slot_owners[self.index()].ref_count() != REF_COUNT_UNUSED',
      (c) => rcAtIdx(c.old, selfIdx(c)) !== c.p.refCountUnused,
    ),
  ],
  mayPanic: neverPanics<IrPre>(IR),
  ensures: [
    irEns(
      'into_raw_ensures.result',
      'Self::into_raw_ensures(self, *old(regions), *final(regions), r): r == meta_to_frame(self.ptr.addr())',
      (c) => c.result === metaToFrame(c.args.unique.ptr),
      (c) => ({ r: c.result, 'meta_to_frame(self.ptr)': metaToFrame(c.args.unique.ptr) }),
    ),
    irEns('into_raw_ensures.regions_inv', 'Self::into_raw_ensures(..): regions.inv()', (c) =>
      headRegionInv(c.final, sAt(c)),
    ),
    irEns('into_raw_ensures.slots_unchanged', 'Self::into_raw_ensures(..): regions.slots == old_regions.slots', (c) =>
      slotsUnchanged(c.old, c.final),
    ),
    irEns(
      'into_raw_ensures.owners_unchanged',
      'Self::into_raw_ensures(..): regions.slot_owners == old_regions.slot_owners',
      // No index is excepted: every owner agrees.
      (c) => othersUnchanged(c.old, c.final, -1),
    ),
    irEns(
      'into_raw_ensures.obligations',
      'Self::into_raw_ensures(..): regions.frame_obligations == old_regions.frame_obligations.remove(self.index())',
      (c) => c.final.frameObligations.equals(c.old.frameObligations.redeem(selfIdx(c))),
    ),
    irEns('final_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, sAt(c))),
  ],
  next: (c) => ret(withLedger(c.old, c.old.frameObligations.redeem(selfIdx(c))), metaToFrame(c.args.unique.ptr)),
  footprint: (a) => [metaToIndex(a.unique.ptr)],
});

const FR = 'UniqueFrame::from_raw';
/** The arguments of `UniqueFrame::from_raw(paddr)` with `Tracked(regions)`, `Tracked(meta_own)`, `Tracked(repr_perm)`. */
export type UniqueFromRawArgs = Readonly<{ paddr: Paddr }> & MetaTracked;
type FrPre = PreCtx<Region, UniqueFromRawArgs>;
type FrPost = PostCtx<Region, UniqueFromRawArgs, HeadUniqueWithOwner>;
const frReq = clauseMaker<FrPre>(FR, 'requires');
const frEns = clauseMaker<FrPost>(FR, 'ensures');
const pAt = (c: { args: { paddr: Paddr } }) => (ownersContain(paddrIndex(c)) ? [paddrIndex(c)] : []);

/** `UniqueFrame::from_raw(paddr) -> (Self, Tracked<UniqueFrameOwner<M>>)` (`unsafe`): a live value rebuilt, its obligation minted. */
export const uniqueFromRaw: OpSpec<Region, UniqueFromRawArgs, HeadUniqueWithOwner> = Object.freeze({
  name: FR,
  rust: FR,
  source: 'ostd/src/mm/frame/unique.rs',
  requires: [
    frReq('valid', 'valid_frame_paddr(paddr)', (c) => validFramePaddr(c.args.paddr, c.p.maxPaddr)),
    frReq('regions_inv', 'old(regions).inv()', (c) => headRegionInv(c.old, pAt(c))),
    frReq('contains', 'old(regions).contains(frame_to_index(paddr))', (c) => regionsContain(c.old, paddrIndex(c))),
    frReq(
      'rc_unique',
      'old(regions).slot_owner(paddr).ref_count() == REF_COUNT_UNIQUE',
      (c) => rcAtIdx(c.old, paddrIndex(c)) === c.p.refCountUnique,
      (c) => ({ rc: rcAtIdx(c.old, paddrIndex(c)) }),
    ),
    frReq(
      'forgotten_unique',
      '# Safety: paddr points to a forgotten frame previously cast by into_raw — no live UniqueFrame holds it: frame_obligations.count(frame_to_index(paddr)) == 0',
      (c) => c.old.frameObligations.count(paddrIndex(c)) === 0,
      (c) => ({ 'frame_obligations.count(idx)': c.old.frameObligations.count(paddrIndex(c)) }),
      'upstream',
    ),
  ],
  mayPanic: neverPanics<FrPre>(FR),
  ensures: [
    frEns('ptr', 'res.0.ptr.addr() == frame_to_meta(paddr)', (c) => c.result.unique.ptr === frameToMeta(c.args.paddr)),
    frEns('wf', 'res.0.wf(res.1@)', (c) => uniqueWf(c.result.unique, c.result.owner)),
    frEns('meta_own', 'res.1@.meta_own == meta_own', (c) => ghostEq(c.result.owner.metaOwn, c.args.metaOwn)),
    frEns('repr_perm', 'res.1@.repr_perm == Some(repr_perm)', (c) => ghostEq(c.result.owner.reprPerm, c.args.reprPerm)),
    frEns(
      'slot_index',
      'res.1@.slot_index == frame_to_index(paddr)',
      (c) => c.result.owner.slotIndex === paddrIndex(c),
    ),
    frEns('final_inv', 'final(regions).inv()', (c) => headRegionInv(c.final, pAt(c))),
    frEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    frEns('owners_unchanged', 'final(regions).slot_owners == old(regions).slot_owners', (c) =>
      othersUnchanged(c.old, c.final, -1),
    ),
    frEns(
      'obligations',
      'final(regions).frame_obligations == old(regions).frame_obligations.insert(frame_to_index(paddr))',
      (c) => c.final.frameObligations.equals(c.old.frameObligations.mint(paddrIndex(c))),
    ),
  ],
  next: (c) => {
    const i = paddrIndex(c);
    const owner = Object.freeze({ metaOwn: c.args.metaOwn, reprPerm: c.args.reprPerm, slotIndex: i });
    return ret(
      withLedger(c.old, c.old.frameObligations.mint(i)),
      Object.freeze({ unique: frameAt(c.args.paddr), owner }),
    );
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

/** Every HEAD `UniqueFrame` op spec (and the conversions), in source order of `unique.rs`. */
export const HEAD_UNIQUE_FRAME_OPS = [
  headUniqueFromUnused,
  uniqueTransmute,
  headUniqueRepurpose,
  headUniqueMeta,
  headUniqueMetaMut,
  headUniqueResetAsUnused,
  uniqueIntoRaw,
  uniqueFromRaw,
  headUniqueDrop,
  headFrameFromUnique,
  headUniqueTryFromShared,
] as const;
