/**
 * vostd HEAD's contracts of `ostd/src/mm/frame/meta.rs`, clause by clause: `mapping::frame_to_meta`,
 * `mapping::meta_to_frame`, `get_slot`, `MetaSlot::addr_of`, `get_from_unused`, `get_from_in_use`,
 * `inc_ref_count`, `frame_paddr`, `write_meta`, `drop_last_in_place` and `drop_meta_in_place`.
 *
 * What moved since the seed: `has_safe_slot` is `valid_frame_paddr`; `MetadataInnerPerms` is
 * `MetadataPerms` plus `ref_count_perm`/`in_list_perm` on the owner; `self_addr` is `slot_vaddr`;
 * `meta_addr` is `index_to_meta`. Slot permissions are `&'static` borrows that never leave
 * `regions.slots`, so `get_from_unused` returns a bare `PPtr` and promises `final(regions).inv()` on
 * success (no re-park); `get_slot` takes the tracked `Option<&'static PointsTo<MetaSlot>>`;
 * `get_from_in_use_loop` and `GetFrameError::Retry` are gone (the loop is inside `get_from_in_use`);
 * `as_meta_ptr` is commented out; `write_meta` threads `M::ReprPerm` and promises
 * `M::wf`/`M::from_repr_spec`. The TypeScript types of states, arguments and results are the seed
 * mirror's, so the contract layer runs either table over the same real calls.
 *
 * @see vostd b5b972861 `ostd/src/mm/frame/meta.rs`, `ostd/specs/mm/frame/meta_specs.rs`
 */
import type { Clause, OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE, type Paddr, type Vaddr } from '../vocab.ts';
import { clauseMaker, implies } from '../meta/clause.ts';
import { frameToIndex, frameToMeta, hasSafeSlot, metaToFrame } from '../meta/mapping.ts';
import {
  claimedOwner,
  getFromInUse,
  getFromInUseSuccess,
  slotError,
  type ClaimedSlot,
  type GetFromUnusedArgs,
} from '../meta/MetaSlot.ts';
import { dropLastInPlace, dropMetaInPlace, framePaddr, incRefCount, writeMeta } from '../meta/MetaSlotOps.ts';
import type { SlotView, WriteMetaState } from '../meta/MetaSlotOps.ts';
import {
  refCountAt,
  regionEq,
  slotOwner,
  slotOwnersAgreeExcept,
  slotPerm,
  slotsChanged,
  withSlotOwner,
  type MetaRegionOwners,
  type SlotPerm,
} from '../meta/MetaRegionOwners.ts';
import { rc, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { ghostEq, isInit, valueOf } from '../meta/perms.ts';
import { err, ok, type Res } from '../meta/results.ts';
import { headRegionInvAt } from './MetaRegionOwners.ts';
import { REWORD_PROBLEMS, reword } from './reword.ts';

const ret = <S, R>(final: S, result: R): Outcome<S, R> => Object.freeze({ kind: 'return', final, result });
const never = <C>(op: string) => clauseMaker<C>(op, 'may_panic')('never', '(no may_panic clause)', () => false);
const every = (parts: Record<string, boolean>) => Object.values(parts).every(Boolean);
type Empty = Readonly<Record<string, never>>;

/** `valid_frame_paddr(paddr)`: `paddr % PAGE_SIZE == 0 && paddr < MAX_PADDR` (seed: `has_safe_slot`). */
export const validFramePaddr = hasSafeSlot;

// mapping::frame_to_meta, mapping::meta_to_frame ------------------------------------------------------

type FtmPre = PreCtx<Empty, Readonly<{ paddr: Paddr }>>;
type FtmPost = PostCtx<Empty, Readonly<{ paddr: Paddr }>, Vaddr>;

/** `mapping::frame_to_meta(paddr) -> Vaddr` (`no_unwind`). */
export const frameToMetaOp: OpSpec<Empty, Readonly<{ paddr: Paddr }>, Vaddr> = Object.freeze({
  name: 'frame_to_meta',
  rust: 'mapping::frame_to_meta',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    clauseMaker<FtmPre>('frame_to_meta', 'requires')('valid', 'valid_frame_paddr(paddr)', (c) =>
      validFramePaddr(c.args.paddr, c.p.maxPaddr),
    ),
  ],
  mayPanic: never('frame_to_meta'),
  ensures: [
    clauseMaker<FtmPost>('frame_to_meta', 'ensures')(
      'aligned',
      'res % META_SLOT_SIZE == 0',
      (c) => c.result % BigInt(META_SLOT_SIZE) === 0n,
    ),
    clauseMaker<FtmPost>('frame_to_meta', 'returns')(
      'spec',
      'returns frame_to_meta(paddr)',
      (c) => c.result === frameToMeta(c.args.paddr),
      (c) => ({ res: c.result, 'frame_to_meta(paddr)': frameToMeta(c.args.paddr) }),
    ),
  ],
  next: (c) => ret(c.old, frameToMeta(c.args.paddr)),
  footprint: () => [],
});

type MtfArgs = Readonly<{ vaddr: Vaddr }>;
const mtfReq = clauseMaker<PreCtx<Empty, MtfArgs>>('meta_to_frame', 'requires');

/** `mapping::meta_to_frame(vaddr) -> Paddr`. */
export const metaToFrameOp: OpSpec<Empty, MtfArgs, Paddr> = Object.freeze({
  name: 'meta_to_frame',
  rust: 'mapping::meta_to_frame',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    mtfReq(
      'in_range',
      'FRAME_METADATA_RANGE.start <= vaddr < FRAME_METADATA_RANGE.end',
      (c) => FRAME_METADATA_RANGE.start <= c.args.vaddr && c.args.vaddr < FRAME_METADATA_RANGE.end,
    ),
    mtfReq('aligned', 'vaddr % META_SLOT_SIZE == 0', (c) => c.args.vaddr % BigInt(META_SLOT_SIZE) === 0n),
  ],
  mayPanic: never('meta_to_frame'),
  ensures: [
    clauseMaker<PostCtx<Empty, MtfArgs, Paddr>>('meta_to_frame', 'ensures')(
      'aligned',
      'res % PAGE_SIZE == 0',
      (c) => c.result % PAGE_SIZE === 0,
    ),
    clauseMaker<PostCtx<Empty, MtfArgs, Paddr>>('meta_to_frame', 'returns')(
      'spec',
      'returns meta_to_frame(vaddr)',
      (c) => c.result === metaToFrame(c.args.vaddr),
    ),
  ],
  next: (c) => ret(c.old, metaToFrame(c.args.vaddr)),
  footprint: () => [],
});

// get_slot -------------------------------------------------------------------------------------------

/**
 * `get_slot(paddr)` with `Tracked(slot_perm): Tracked<Option<&'static PointsTo<MetaSlot>>>`: `slotPerm`
 * is the tracked option (`null` = `None`); left out, it is what a verified caller passes —
 * `Some(regions.slots[frame_to_index(paddr)])` for a valid address, else `None`.
 */
export type HeadGetSlotArgs = Readonly<{ paddr: Paddr; slotPerm?: SlotPerm | null }>;
type GsPre = PreCtx<MetaRegionOwners, HeadGetSlotArgs>;
type GsPost = PostCtx<MetaRegionOwners, HeadGetSlotArgs, Res<Vaddr>>;

/** The tracked `slot_perm` of a `get_slot` call (see {@link HeadGetSlotArgs}). */
export function trackedSlotPerm(c: GsPre): SlotPerm | undefined {
  if (c.args.slotPerm !== undefined) return c.args.slotPerm ?? undefined;
  return validFramePaddr(c.args.paddr, c.p.maxPaddr) ? slotPerm(c.old, frameToIndex(c.args.paddr)) : undefined;
}

const gsEns = clauseMaker<GsPost>('get_slot', 'ensures');

/** `get_slot(paddr) -> Result<&'static MetaSlot, GetFrameError>` (the reference as its address). */
export const headGetSlot: OpSpec<MetaRegionOwners, HeadGetSlotArgs, Res<Vaddr>> = Object.freeze({
  name: 'get_slot',
  rust: 'get_slot',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    clauseMaker<GsPre>('get_slot', 'requires')(
      'slot_perm',
      'valid_frame_paddr(paddr) ==> { &&& slot_perm is Some &&& slot_perm->0.addr() == frame_to_meta(paddr) &&& slot_perm->0.is_init() }',
      (c) =>
        implies(validFramePaddr(c.args.paddr, c.p.maxPaddr), () => {
          const perm = trackedSlotPerm(c);
          return perm !== undefined && perm.addr === frameToMeta(c.args.paddr) && isInit(perm);
        }),
      (c) => ({ slot_perm: trackedSlotPerm(c) ?? null, 'frame_to_meta(paddr)': frameToMeta(c.args.paddr) }),
    ),
  ],
  mayPanic: never('get_slot'),
  ensures: [
    gsEns(
      'valid_iff_ok',
      'valid_frame_paddr(paddr) == res is Ok',
      (c) => validFramePaddr(c.args.paddr, c.p.maxPaddr) === c.result.ok,
      (c) => ({ 'valid_frame_paddr(paddr)': validFramePaddr(c.args.paddr, c.p.maxPaddr), 'res is Ok': c.result.ok }),
    ),
    gsEns(
      'ok_value',
      'res is Ok ==> res->Ok_0 == slot_perm->0.value()',
      (c) =>
        implies(c.result.ok, () => {
          const perm = trackedSlotPerm(c);
          return c.result.ok && perm !== undefined && isInit(perm) && c.result.value === perm.addr;
        }),
      (c) => ({ res: c.result, slot_perm: trackedSlotPerm(c) ?? null }),
    ),
    gsEns(
      'error_order',
      'paddr % PAGE_SIZE != 0 ==> Err(NotAligned); else paddr >= max_paddr() ==> Err(OutOfBound)',
      (c) => c.result.ok || c.result.error === slotError(c.args.paddr),
      (c) => ({ res: c.result, expected: slotError(c.args.paddr) }),
      'upstream',
    ),
  ],
  next: (c) =>
    ret(
      c.old,
      validFramePaddr(c.args.paddr, c.p.maxPaddr) ? ok(frameToMeta(c.args.paddr)) : err(slotError(c.args.paddr)),
    ),
  footprint: () => [],
});

// MetaSlot::addr_of ---------------------------------------------------------------------------------

/** `MetaSlot::addr_of(&self) -> Vaddr` (`external_body`: its contract is trusted). */
export const addrOf: OpSpec<SlotView, Empty, Vaddr> = Object.freeze({
  name: 'addr_of',
  rust: 'MetaSlot::addr_of',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    clauseMaker<PreCtx<SlotView, Empty>>('addr_of', 'requires')('perm_value', 'self == perm.value()', (c) =>
      ghostEq(valueOf(c.old.perm), c.old.slot),
    ),
  ],
  mayPanic: never('addr_of'),
  ensures: [
    clauseMaker<PostCtx<SlotView, Empty, Vaddr>>('addr_of', 'returns')(
      'addr',
      'returns perm.addr()',
      (c) => c.result === c.old.perm.addr,
    ),
  ],
  next: (c) => ret(c.old, c.old.perm.addr),
  footprint: () => [],
});

// get_from_unused -------------------------------------------------------------------------------------

type GfuPre = PreCtx<MetaRegionOwners, GetFromUnusedArgs>;
type GfuPost = PostCtx<MetaRegionOwners, GetFromUnusedArgs, Res<ClaimedSlot>>;
const idx = (c: { args: { paddr: Paddr } }) => frameToIndex(c.args.paddr);
const validIdx = (c: GfuPre) => (validFramePaddr(c.args.paddr, c.p.maxPaddr) ? [idx(c)] : []);

/** HEAD `MetaSlot::get_from_unused_spec(paddr, as_unique, pre, post)`, conjunct by conjunct. */
export function headGetFromUnusedSpec(paddr: Paddr, asUnique: boolean, pre: MetaRegionOwners, post: MetaRegionOwners) {
  const i = frameToIndex(paddr);
  const a = slotOwner(pre, i);
  const b = slotOwner(post, i);
  const perms = b.innerPerms;
  return {
    pre_unused: rc(a) === pre.p.refCountUnused,
    owner_ref_count: rc(b) === (asUnique ? pre.p.refCountUnique : 1n),
    owner_in_list_zero: perms.inList.value === 0n,
    owner_storage_init: isInit(perms.storage),
    owner_vtable_init: isInit(perms.vtablePtr),
    usage_frame: b.usage === 'Frame',
    slot_vaddr_kept: b.selfAddr === a.selfAddr,
    paths_kept: ghostEq(b.pathsInPt, a.pathsInPt),
    // `post =~= pre.insert_slot_owner(paddr, post_owner)`: only `slot_owners[idx]` moves.
    others_unchanged: slotOwnersAgreeExcept(pre, post, i),
    slots_unchanged: slotsChanged(pre, post).length === 0,
    obligations_unchanged: post.frameObligations.equals(pre.frameObligations),
  };
}

/** `<M as Repr<MetaSlotStorage>>::wf(storage, repr_perm)`: the storage holds a value of `M`'s representation. */
function reprWf(stored: MetaSlotStorage | undefined, metadata: MetaSlotStorage): boolean {
  return stored !== undefined && stored.type === metadata.type;
}

const gfuEns = clauseMaker<GfuPost>('get_from_unused', 'ensures');
const storedAt = (c: GfuPost): MetaSlotStorage | undefined => valueOf(slotOwner(c.final, idx(c)).innerPerms.storage);

/** `MetaSlot::get_from_unused(paddr, metadata, as_unique_ptr)` with `Tracked(regions)`, `Tracked(repr_perm)`. */
export const headGetFromUnused: OpSpec<MetaRegionOwners, GetFromUnusedArgs, Res<ClaimedSlot>> = Object.freeze({
  name: 'get_from_unused',
  rust: 'MetaSlot::get_from_unused',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    clauseMaker<GfuPre>('get_from_unused', 'requires')('regions_inv', 'old(regions).inv()', (c) =>
      headRegionInvAt(c.old, validIdx(c)),
    ),
  ],
  mayPanic: never('get_from_unused'),
  ensures: [
    gfuEns('err_unchanged', 'res is Err ==> *final(regions) == *old(regions)', (c) =>
      implies(!c.result.ok, () => regionEq(c.old, c.final)),
    ),
    gfuEns(
      'ok_addr',
      'res matches Ok(res) ==> res.addr() == frame_to_meta(paddr)',
      (c) => implies(c.result.ok, () => c.result.ok && c.result.value.ptr === frameToMeta(c.args.paddr)),
      (c) => ({ res: c.result, 'frame_to_meta(paddr)': frameToMeta(c.args.paddr) }),
    ),
    gfuEns('ok_inv', 'res matches Ok(res) ==> final(regions).inv()', (c) =>
      implies(c.result.ok, () => headRegionInvAt(c.final, validIdx(c))),
    ),
    gfuEns(
      'ok_spec',
      'res matches Ok(res) ==> Self::get_from_unused_spec(paddr, as_unique_ptr, *old(regions), *final(regions))',
      (c) => implies(c.result.ok, () => every(headGetFromUnusedSpec(c.args.paddr, c.args.asUnique, c.old, c.final))),
      (c) => ({
        conjuncts: headGetFromUnusedSpec(c.args.paddr, c.args.asUnique, c.old, c.final),
        'old owner': slotOwner(c.old, idx(c)),
        'final owner': slotOwner(c.final, idx(c)),
      }),
    ),
    gfuEns(
      'ok_repr_wf',
      'res matches Ok(res) ==> <M as Repr<MetaSlotStorage>>::wf(final(regions).slot_owner(paddr).storage_perm().value(), *final(repr_perm))',
      (c) => implies(c.result.ok, () => reprWf(storedAt(c), c.args.metadata)),
      (c) => ({ stored: storedAt(c), metadata: c.args.metadata }),
    ),
    gfuEns(
      'ok_metadata',
      'res matches Ok(res) ==> M::from_repr_spec(final(regions).slot_owner(paddr).storage_perm().value(), *final(repr_perm)) == metadata',
      (c) => implies(c.result.ok, () => ghostEq(storedAt(c), c.args.metadata)),
      (c) => ({ stored: storedAt(c), metadata: c.args.metadata }),
    ),
    gfuEns('ok_valid', 'res is Ok ==> valid_frame_paddr(paddr)', (c) =>
      implies(c.result.ok, () => validFramePaddr(c.args.paddr, c.p.maxPaddr)),
    ),
  ],
  next: (c) => {
    const { paddr, metadata, asUnique } = c.args;
    if (!validFramePaddr(paddr, c.p.maxPaddr)) return ret(c.old, err(slotError(paddr)));
    const i = frameToIndex(paddr);
    const v = refCountAt(c.old, i);
    if (v !== c.p.refCountUnused)
      return ret(c.old, err(v === c.p.refCountUnique ? 'Unique' : v === 0n ? 'Busy' : 'InUse'));
    // No extraction: the `&'static` slot permission stays in `regions.slots`.
    const final = withSlotOwner(c.old, i, claimedOwner(slotOwner(c.old, i), metadata, asUnique, c.p));
    return ret(final, ok({ ptr: frameToMeta(paddr), perm: slotPerm(c.old, i) as SlotPerm }));
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

// get_from_in_use -------------------------------------------------------------------------------------

type GfiuPost = PostCtx<MetaRegionOwners, Readonly<{ paddr: Paddr }>, Res<Vaddr>>;

/** HEAD `MetaSlot::get_from_in_use_success(paddr, pre, post)`: the seed's conjuncts, `self_addr` as `slot_vaddr`. */
export function headGetFromInUseSuccess(paddr: Paddr, pre: MetaRegionOwners, post: MetaRegionOwners) {
  const { self_addr, ...rest } = getFromInUseSuccess(paddr, pre, post);
  return { ...rest, slot_vaddr: self_addr };
}

const gfiuOkValid: Clause<GfiuPost> = clauseMaker<GfiuPost>('get_from_in_use', 'ensures')(
  'ok_valid',
  'res is Ok ==> valid_frame_paddr(paddr)',
  (c) => implies(c.result.ok, () => validFramePaddr(c.args.paddr, c.p.maxPaddr)),
);
const gfiuOkSuccess: Clause<GfiuPost> = clauseMaker<GfiuPost>('get_from_in_use', 'ensures')(
  'ok_success',
  'res is Ok ==> Self::get_from_in_use_success(paddr, *old(regions), *final(regions))',
  (c) => implies(c.result.ok, () => every(headGetFromInUseSuccess(c.args.paddr, c.old, c.final))),
  (c) => ({ conjuncts: headGetFromInUseSuccess(c.args.paddr, c.old, c.final) }),
);
const headRegionsInv = (c: PreCtx<MetaRegionOwners, Readonly<{ paddr: Paddr }>>) =>
  headRegionInvAt(c.old, validFramePaddr(c.args.paddr, c.p.maxPaddr) ? [idx(c)] : []);

/** `MetaSlot::get_from_in_use(paddr)`: the retry loop is inside; no `Retry` error, no `get_from_in_use_loop`. */
export const headGetFromInUse: OpSpec<MetaRegionOwners, Readonly<{ paddr: Paddr }>, Res<Vaddr>> = reword(getFromInUse, {
  texts: {
    'get_from_in_use.may_panic.at_max':
      'valid_frame_paddr(paddr) ==> old(regions).ref_count(frame_to_index(paddr)) >= REF_COUNT_MAX ==> may_panic()',
    'get_from_in_use.ensures.ok_ptr': 'res matches Ok(ptr) ==> ptr == old(regions).slots[frame_to_index(paddr)].pptr()',
    'get_from_in_use.ensures.err_unchanged': 'res is Err ==> *final(regions) == *old(regions)',
    'get_from_in_use.ensures.obligations_unchanged':
      'final(regions).frame_obligations == old(regions).frame_obligations',
    'get_from_in_use.ensures.err_kind':
      'res is Err ==> the error names the observed count: UNUSED → Unused, UNIQUE → Unique, 0 → Busy',
  },
  drop: [
    'get_from_in_use.requires.regions_inv',
    'get_from_in_use.ensures.final_inv',
    'get_from_in_use.ensures.unsafe_err',
    'get_from_in_use.ensures.ok_success',
  ],
  addRequires: [
    clauseMaker<PreCtx<MetaRegionOwners, Readonly<{ paddr: Paddr }>>>('get_from_in_use', 'requires')(
      'regions_inv',
      'old(regions).inv()',
      headRegionsInv,
    ),
  ],
  addEnsures: [
    clauseMaker<GfiuPost>('get_from_in_use', 'ensures')('final_inv', 'final(regions).inv()', (c) =>
      headRegionInvAt(c.final, validFramePaddr(c.args.paddr, c.p.maxPaddr) ? [idx(c)] : []),
    ),
    gfiuOkValid,
    gfiuOkSuccess,
  ],
});

// inc_ref_count, frame_paddr: HEAD's texts are the seed's --------------------------------------------

/** `MetaSlot::inc_ref_count(&self)` with `Tracked(rc_perm): Tracked<&mut PermissionU64>`. */
export const headIncRefCount = reword(incRefCount, {
  texts: {
    'inc_ref_count.requires.is_for': 'old(rc_perm).is_for(self.ref_count)',
    'inc_ref_count.requires.not_unused': 'old(rc_perm).value() != REF_COUNT_UNUSED',
    'inc_ref_count.may_panic.at_max': 'old(rc_perm).value() >= REF_COUNT_MAX ==> may_panic()',
    'inc_ref_count.ensures.rc_inc': 'final(rc_perm).value() == old(rc_perm).value() + 1',
    'inc_ref_count.ensures.old_below_max': 'old(rc_perm).value() < REF_COUNT_MAX',
    'inc_ref_count.ensures.id': 'final(rc_perm).id() == old(rc_perm).id()',
  },
});

/** `MetaSlot::frame_paddr(&self) -> Paddr` with `Tracked(perm): Tracked<&PointsTo<MetaSlot>>`. */
export const headFramePaddr = reword(framePaddr, {
  texts: {
    'frame_paddr.requires.perm_value': 'perm.value() == self',
    'frame_paddr.requires.safety_cond': 'Self::frame_paddr_safety_cond(*perm)',
    'frame_paddr.returns.meta_to_frame': 'returns meta_to_frame(perm.addr())',
  },
});

// write_meta ------------------------------------------------------------------------------------------

type WmPost = PostCtx<WriteMetaState, Readonly<{ metadata: MetaSlotStorage }>, undefined>;

/** `MetaSlot::write_meta(&self, metadata)` with `Tracked(meta_perm)`, `Tracked(repr_perm)`, `Tracked(vtable_perm)`. */
export const headWriteMeta = reword(writeMeta, {
  texts: {
    'write_meta.requires.storage_id': 'self.storage.id() == old(meta_perm).id()',
    'write_meta.requires.vtable_pptr': 'self.vtable_ptr == old(vtable_perm).pptr()',
    'write_meta.requires.vtable_uninit': 'old(vtable_perm).is_uninit()',
    'write_meta.ensures.storage_id': 'final(meta_perm).id() == old(meta_perm).id()',
    'write_meta.ensures.storage_init': 'final(meta_perm).is_init()',
    'write_meta.ensures.vtable_pptr': 'final(vtable_perm).pptr() == old(vtable_perm).pptr()',
    'write_meta.ensures.vtable_init': 'final(vtable_perm).is_init()',
    'write_meta.ensures.metadata': 'M::from_repr_spec(final(meta_perm).value(), *final(repr_perm)) == metadata',
  },
  addEnsures: [
    clauseMaker<WmPost>('write_meta', 'ensures')(
      'repr_wf',
      '<M as Repr<MetaSlotStorage>>::wf(final(meta_perm).value(), *final(repr_perm))',
      (c) => reprWf(valueOf(c.final.metaPerm), c.args.metadata),
      (c) => ({ stored: valueOf(c.final.metaPerm), metadata: c.args.metadata }),
    ),
  ],
});

// drop_last_in_place, drop_meta_in_place --------------------------------------------------------------

/** HEAD's texts of the owner fields both drops keep, with the binder each op uses (`owner` / `slot_own`). */
function keptFieldTexts(op: string, b: string): Record<string, string> {
  return {
    [`${op}.ensures.storage_id`]: `final(${b}).storage_perm().id() == old(${b}).storage_perm().id()`,
    [`${op}.ensures.storage_uninit`]: `final(${b}).storage_perm().is_uninit()`,
    [`${op}.ensures.vtable_uninit`]: `final(${b}).vtable_ptr_perm().is_uninit()`,
    [`${op}.ensures.vtable_pptr`]: `final(${b}).vtable_ptr_perm().pptr() == old(${b}).vtable_ptr_perm().pptr()`,
    [`${op}.ensures.in_list`]: `final(${b}).in_list_perm == old(${b}).in_list_perm`,
    [`${op}.ensures.usage`]: `final(${b}).usage == old(${b}).usage`,
    [`${op}.ensures.paths_in_pt`]: `final(${b}).paths_in_pt == old(${b}).paths_in_pt`,
  };
}

/** The seed's `self_addr` ensures of `seed` under HEAD's name `slot_vaddr` (same predicate). */
function slotVaddrClause<S, A, R>(seed: OpSpec<S, A, R>, b: string): Clause<PostCtx<S, A, R>>[] {
  const c = seed.ensures.find((e) => e.name === `${seed.name}.ensures.self_addr`);
  if (c === undefined) {
    REWORD_PROBLEMS.push(`no seed clause ${seed.name}.ensures.self_addr`);
    return [];
  }
  const verus = `final(${b}).slot_vaddr == old(${b}).slot_vaddr`;
  return [Object.freeze({ ...c, name: `${seed.name}.ensures.slot_vaddr`, verus })];
}

/** `MetaSlot::drop_last_in_place(&self)` with `Tracked(owner): Tracked<&mut MetaSlotOwner>`. */
export const headDropLastInPlace = reword(dropLastInPlace, {
  texts: {
    'drop_last_in_place.requires.owner_inv': 'old(owner).inv()',
    'drop_last_in_place.requires.rc_id': 'self.ref_count.id() == old(owner).ref_count_perm.id()',
    'drop_last_in_place.requires.safety_cond': 'Self::drop_last_in_place_safety_cond(*old(owner))',
    'drop_last_in_place.ensures.owner_inv': 'final(owner).inv()',
    'drop_last_in_place.ensures.rc_unused': 'final(owner).ref_count() == REF_COUNT_UNUSED',
    'drop_last_in_place.ensures.rc_id': 'final(owner).ref_count_perm.id() == old(owner).ref_count_perm.id()',
    ...keptFieldTexts('drop_last_in_place', 'owner'),
  },
  drop: ['drop_last_in_place.ensures.self_addr'],
  addEnsures: slotVaddrClause(dropLastInPlace, 'owner'),
});

/** `MetaSlot::drop_meta_in_place(&self)` with `Tracked(slot_own)` (`external_body`: its contract is trusted). */
export const headDropMetaInPlace = reword(dropMetaInPlace, {
  texts: {
    'drop_meta_in_place.requires.rc_zero_or_unique':
      'old(slot_own).ref_count() == 0 || old(slot_own).ref_count() == REF_COUNT_UNIQUE',
    'drop_meta_in_place.requires.storage_init': 'old(slot_own).storage_perm().is_init()',
    'drop_meta_in_place.requires.in_list_zero': 'old(slot_own).in_list_perm.value() == 0',
    'drop_meta_in_place.ensures.ref_count': 'final(slot_own).ref_count_perm == old(slot_own).ref_count_perm',
    ...keptFieldTexts('drop_meta_in_place', 'slot_own'),
  },
  drop: ['drop_meta_in_place.ensures.self_addr'],
  addEnsures: slotVaddrClause(dropMetaInPlace, 'slot_own'),
});

/** Every HEAD op spec of `meta.rs`, in source order. */
export const HEAD_META_OPS = [
  frameToMetaOp,
  metaToFrameOp,
  headGetSlot,
  addrOf,
  headGetFromUnused,
  headGetFromInUse,
  headIncRefCount,
  headFramePaddr,
  headWriteMeta,
  headDropLastInPlace,
  headDropMetaInPlace,
] as const;
