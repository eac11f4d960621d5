/**
 * The op specs of `MetaSlot` that act on one slot's permissions: `inc_ref_count`, `frame_paddr`,
 * `as_meta_ptr`, `write_meta`, `drop_last_in_place` and `drop_meta_in_place`.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/meta.rs`
 */
import type { OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import type { Paddr, Vaddr } from '../vocab.ts';
import { clauseMaker, withAbortsExactly } from './clause.ts';
import { framePaddrSafetyCond, metaToFrame } from './mapping.ts';
import type { SlotPerm } from './MetaRegionOwners.ts';
import { META_SLOT_OWNER_INV, rc, type MetaSlot, type MetaSlotOwner, type MetaSlotStorage } from './MetaSlotOwner.ts';
import {
  ghostEq,
  init,
  isInit,
  UNINIT,
  valueOf,
  type CellPointsTo,
  type PermissionU64,
  type PointsTo,
} from './perms.ts';

const ret = <S, R>(final: S, result: R): Outcome<S, R> => Object.freeze({ kind: 'return', final, result });
const never = <C>(op: string) => clauseMaker<C>(op, 'may_panic')('never', '(no may_panic clause)', () => false);
type Empty = Readonly<Record<string, never>>;

// inc_ref_count ------------------------------------------------------------------------------------

/** The tracked state of `inc_ref_count`: the slot (`self`) and the caller's `&mut PermissionU64`. */
export type IncState = Readonly<{ slot: MetaSlot; rcPerm: PermissionU64 }>;
const incReq = clauseMaker<PreCtx<IncState, Empty>>('inc_ref_count', 'requires');
const incEns = clauseMaker<PostCtx<IncState, Empty, undefined>>('inc_ref_count', 'ensures');

/** `MetaSlot::inc_ref_count(&self)`. */
export const incRefCount: OpSpec<IncState, Empty, undefined> = withAbortsExactly({
  name: 'inc_ref_count',
  rust: 'MetaSlot::inc_ref_count',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    incReq('is_for', 'old(rc_perm).is_for(self.ref_count)', (c) => c.old.rcPerm.id === c.old.slot.refCountId),
    incReq('not_unused', 'old(rc_perm).value() != REF_COUNT_UNUSED', (c) => c.old.rcPerm.value !== c.p.refCountUnused),
  ],
  mayPanic: clauseMaker<PreCtx<IncState, Empty>>('inc_ref_count', 'may_panic')(
    'at_max',
    'old(rc_perm).value() >= REF_COUNT_MAX ==> may_panic()',
    (c) => c.old.rcPerm.value >= c.p.refCountMax,
    (c) => ({ 'old(rc_perm).value()': c.old.rcPerm.value, REF_COUNT_MAX: c.p.refCountMax }),
  ),
  ensures: [
    incEns(
      'rc_inc',
      'final(rc_perm).value() == old(rc_perm).value() + 1',
      (c) => c.final.rcPerm.value === c.old.rcPerm.value + 1n,
      (c) => ({ 'final(rc_perm).value()': c.final.rcPerm.value, 'old(rc_perm).value()': c.old.rcPerm.value }),
    ),
    incEns('old_below_max', 'old(rc_perm).value() < REF_COUNT_MAX', (c) => c.old.rcPerm.value < c.p.refCountMax),
    incEns('id', 'final(rc_perm).id() == old(rc_perm).id()', (c) => c.final.rcPerm.id === c.old.rcPerm.id),
  ],
  next: (c) =>
    c.old.rcPerm.value >= c.p.refCountMax
      ? Object.freeze({ kind: 'panic' })
      : ret(
          Object.freeze({ ...c.old, rcPerm: Object.freeze({ id: c.old.rcPerm.id, value: c.old.rcPerm.value + 1n }) }),
          undefined,
        ),
  footprint: () => [],
});

// frame_paddr, as_meta_ptr -----------------------------------------------------------------------

/** The tracked state of `frame_paddr` / `as_meta_ptr`: `self` and `&PointsTo<MetaSlot>`. */
export type SlotView = Readonly<{ slot: MetaSlot; perm: SlotPerm }>;
const fpReq = clauseMaker<PreCtx<SlotView, Empty>>('frame_paddr', 'requires');
const fpRet = clauseMaker<PostCtx<SlotView, Empty, Paddr>>('frame_paddr', 'returns');
const selfIsPerm = (c: PreCtx<SlotView, unknown>) => ghostEq(valueOf(c.old.perm), c.old.slot);

/** `MetaSlot::frame_paddr(&self) -> Paddr`. */
export const framePaddr: OpSpec<SlotView, Empty, Paddr> = Object.freeze({
  name: 'frame_paddr',
  rust: 'MetaSlot::frame_paddr',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    fpReq('perm_value', 'perm.value() == self', selfIsPerm),
    fpReq('safety_cond', 'Self::frame_paddr_safety_cond(*perm)', (c) => framePaddrSafetyCond(c.old.perm.addr)),
  ],
  mayPanic: never('frame_paddr'),
  ensures: [
    fpRet(
      'meta_to_frame',
      'returns meta_to_frame(perm.addr())',
      (c) => c.result === metaToFrame(c.old.perm.addr),
      (c) => ({ result: c.result, 'meta_to_frame(perm.addr())': metaToFrame(c.old.perm.addr) }),
    ),
  ],
  next: (c) => ret(c.old, metaToFrame(c.old.perm.addr)),
  footprint: () => [],
});

/** `ReprPtr<MetaSlot, Metadata<M>>` as the ghost sees it. */
export type MetaPtrView = Readonly<{ ptrAddr: Vaddr; addr: Vaddr }>;
const ampReq = clauseMaker<PreCtx<SlotView, Empty>>('as_meta_ptr', 'requires');
const ampEns = clauseMaker<PostCtx<SlotView, Empty, MetaPtrView>>('as_meta_ptr', 'ensures');

/** `MetaSlot::as_meta_ptr<M>(&self)`. */
export const asMetaPtr: OpSpec<SlotView, Empty, MetaPtrView> = Object.freeze({
  name: 'as_meta_ptr',
  rust: 'MetaSlot::as_meta_ptr',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [ampReq('perm_value', 'self == perm.value()', selfIsPerm)],
  mayPanic: never('as_meta_ptr'),
  ensures: [
    ampEns('ptr_addr', 'res.ptr.addr() == perm.addr()', (c) => c.result.ptrAddr === c.old.perm.addr),
    ampEns('addr', 'res.addr() == perm.addr()', (c) => c.result.addr === c.old.perm.addr),
  ],
  next: (c) => ret(c.old, Object.freeze({ ptrAddr: c.old.perm.addr, addr: c.old.perm.addr })),
  footprint: () => [],
});

// write_meta --------------------------------------------------------------------------------------

/** The tracked state of `write_meta`: `self`, the storage cell permission and the vtable permission. */
export type WriteMetaState = Readonly<{
  slot: MetaSlot;
  metaPerm: CellPointsTo<MetaSlotStorage>;
  vtablePerm: PointsTo<string>;
}>;
type WriteMetaArgs = Readonly<{ metadata: MetaSlotStorage }>;
const wmReq = clauseMaker<PreCtx<WriteMetaState, WriteMetaArgs>>('write_meta', 'requires');
const wmEns = clauseMaker<PostCtx<WriteMetaState, WriteMetaArgs, undefined>>('write_meta', 'ensures');

/** `MetaSlot::write_meta(&self, metadata)`. */
export const writeMeta: OpSpec<WriteMetaState, WriteMetaArgs, undefined> = Object.freeze({
  name: 'write_meta',
  rust: 'MetaSlot::write_meta',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    wmReq('storage_id', 'self.storage.id() == old(meta_perm).id()', (c) => c.old.slot.storageId === c.old.metaPerm.id),
    wmReq(
      'vtable_pptr',
      'self.vtable_ptr == old(vtable_perm).pptr()',
      (c) => c.old.slot.vtablePtr === c.old.vtablePerm.addr,
    ),
    wmReq('vtable_uninit', 'old(vtable_perm).is_uninit()', (c) => !isInit(c.old.vtablePerm)),
  ],
  mayPanic: never('write_meta'),
  ensures: [
    wmEns(
      'storage_id',
      'final(meta_perm).id() == old(meta_perm).id()',
      (c) => c.final.metaPerm.id === c.old.metaPerm.id,
    ),
    wmEns('storage_init', 'final(meta_perm).is_init()', (c) => isInit(c.final.metaPerm)),
    wmEns(
      'vtable_pptr',
      'final(vtable_perm).pptr() == old(vtable_perm).pptr()',
      (c) => c.final.vtablePerm.addr === c.old.vtablePerm.addr,
    ),
    wmEns('vtable_init', 'final(vtable_perm).is_init()', (c) => isInit(c.final.vtablePerm)),
    wmEns(
      'metadata',
      'Metadata::<M>::metadata_from_inner_perms(*final(meta_perm)) == metadata',
      (c) => ghostEq(valueOf(c.final.metaPerm), c.args.metadata),
      (c) => ({ stored: valueOf(c.final.metaPerm), metadata: c.args.metadata }),
    ),
  ],
  next: (c) =>
    ret(
      Object.freeze({
        ...c.old,
        metaPerm: Object.freeze({ id: c.old.metaPerm.id, contents: init(c.args.metadata) }),
        vtablePerm: Object.freeze({ addr: c.old.vtablePerm.addr, contents: init(c.args.metadata.type) }),
      }),
      undefined,
    ),
  footprint: () => [],
});

// drop_last_in_place, drop_meta_in_place ------------------------------------------------------------

/** The tracked state of `drop_last_in_place`: `self` and `&mut MetaSlotOwner`. */
export type DropState = Readonly<{ slot: MetaSlot; owner: MetaSlotOwner }>;
type DropPre = PreCtx<DropState, Empty>;
type DropPost = PostCtx<DropState, Empty, undefined>;
const dlReq = clauseMaker<DropPre>('drop_last_in_place', 'requires');
const dlEns = clauseMaker<DropPost>('drop_last_in_place', 'ensures');
const ownerInv = (o: MetaSlotOwner, p: PreCtx<unknown, unknown>['p']) =>
  META_SLOT_OWNER_INV.every((c) => c.holds({ value: o, p }));

/** `MetaSlot::drop_last_in_place_safety_cond(owner)`, conjunct by conjunct. */
export function dropLastInPlaceSafetyCond(o: MetaSlotOwner, p: PreCtx<unknown, unknown>['p']) {
  return {
    rc_zero_or_unique: rc(o) === 0n || rc(o) === p.refCountUnique,
    storage_init: isInit(o.innerPerms.storage),
    in_list_zero: o.innerPerms.inList.value === 0n,
    paths_empty: o.pathsInPt.size === 0,
  };
}

/** What dropping the metadata leaves: storage and vtable uninitialized, everything else kept. */
function droppedOwner(o: MetaSlotOwner): MetaSlotOwner {
  return Object.freeze({
    ...o,
    innerPerms: Object.freeze({
      ...o.innerPerms,
      storage: Object.freeze({ id: o.innerPerms.storage.id, contents: UNINIT }),
      vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: UNINIT }),
    }),
  });
}

/** The fields both drops keep, in the op's own Verus binder (`owner` for drop_last_in_place, `slot_own` for drop_meta_in_place). */
const keptFields = <C extends { old: { owner: MetaSlotOwner }; final: { owner: MetaSlotOwner } }>(
  op: string,
  binder: 'owner' | 'slot_own',
) => {
  const ens = (name: string, verus: string, holds: (c: C) => boolean) =>
    clauseMaker<C>(op, 'ensures')(name, verus.replaceAll('(owner)', `(${binder})`), holds);
  return [
    ens(
      'storage_id',
      'final(owner).inner_perms.storage.id() == old(owner).inner_perms.storage.id()',
      (c) => c.final.owner.innerPerms.storage.id === c.old.owner.innerPerms.storage.id,
    ),
    ens(
      'storage_uninit',
      'final(owner).inner_perms.storage.is_uninit()',
      (c) => !isInit(c.final.owner.innerPerms.storage),
    ),
    ens(
      'vtable_uninit',
      'final(owner).inner_perms.vtable_ptr.is_uninit()',
      (c) => !isInit(c.final.owner.innerPerms.vtablePtr),
    ),
    ens(
      'vtable_pptr',
      'final(owner).inner_perms.vtable_ptr.pptr() == old(owner).inner_perms.vtable_ptr.pptr()',
      (c) => c.final.owner.innerPerms.vtablePtr.addr === c.old.owner.innerPerms.vtablePtr.addr,
    ),
    ens('in_list', 'final(owner).inner_perms.in_list == old(owner).inner_perms.in_list', (c) =>
      ghostEq(c.final.owner.innerPerms.inList, c.old.owner.innerPerms.inList),
    ),
    ens(
      'self_addr',
      'final(owner).self_addr == old(owner).self_addr',
      (c) => c.final.owner.selfAddr === c.old.owner.selfAddr,
    ),
    ens('usage', 'final(owner).usage == old(owner).usage', (c) => c.final.owner.usage === c.old.owner.usage),
    ens('paths_in_pt', 'final(owner).paths_in_pt == old(owner).paths_in_pt', (c) =>
      ghostEq(c.final.owner.pathsInPt, c.old.owner.pathsInPt),
    ),
  ];
};

/** `MetaSlot::drop_last_in_place(&self)`: drop the metadata, then publish `REF_COUNT_UNUSED`. */
export const dropLastInPlace: OpSpec<DropState, Empty, undefined> = Object.freeze({
  name: 'drop_last_in_place',
  rust: 'MetaSlot::drop_last_in_place',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    dlReq('owner_inv', 'old(owner).inv()', (c) => ownerInv(c.old.owner, c.p)),
    dlReq(
      'rc_id',
      'self.ref_count.id() == old(owner).inner_perms.ref_count.id()',
      (c) => c.old.slot.refCountId === c.old.owner.innerPerms.refCount.id,
    ),
    dlReq(
      'safety_cond',
      'Self::drop_last_in_place_safety_cond(*old(owner))',
      (c) => Object.values(dropLastInPlaceSafetyCond(c.old.owner, c.p)).every(Boolean),
      (c) => ({ conjuncts: dropLastInPlaceSafetyCond(c.old.owner, c.p), ref_count: rc(c.old.owner) }),
    ),
  ],
  mayPanic: never('drop_last_in_place'),
  ensures: [
    dlEns('owner_inv', 'final(owner).inv()', (c) => ownerInv(c.final.owner, c.p)),
    dlEns(
      'rc_unused',
      'final(owner).inner_perms.ref_count.value() == REF_COUNT_UNUSED',
      (c) => rc(c.final.owner) === c.p.refCountUnused,
    ),
    dlEns(
      'rc_id',
      'final(owner).inner_perms.ref_count.id() == old(owner).inner_perms.ref_count.id()',
      (c) => c.final.owner.innerPerms.refCount.id === c.old.owner.innerPerms.refCount.id,
    ),
    ...keptFields<DropPost>('drop_last_in_place', 'owner'),
  ],
  next: (c) => {
    const o = droppedOwner(c.old.owner);
    const refCount = Object.freeze({ id: o.innerPerms.refCount.id, value: c.p.refCountUnused });
    return ret(
      Object.freeze({
        ...c.old,
        owner: Object.freeze({ ...o, innerPerms: Object.freeze({ ...o.innerPerms, refCount }) }),
      }),
      undefined,
    );
  },
  footprint: () => [],
});

/** The tracked state of `drop_meta_in_place`: `&mut MetaSlotOwner`. */
export type DropMetaState = Readonly<{ owner: MetaSlotOwner }>;
type DmPre = PreCtx<DropMetaState, Empty>;
type DmPost = PostCtx<DropMetaState, Empty, undefined>;
const dmReq = clauseMaker<DmPre>('drop_meta_in_place', 'requires');
const dmEns = clauseMaker<DmPost>('drop_meta_in_place', 'ensures');

/** `MetaSlot::drop_meta_in_place(&self)` (`external_body` in vostd: its contract is trusted). */
export const dropMetaInPlace: OpSpec<DropMetaState, Empty, undefined> = Object.freeze({
  name: 'drop_meta_in_place',
  rust: 'MetaSlot::drop_meta_in_place',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    dmReq(
      'rc_zero_or_unique',
      'old(slot_own).inner_perms.ref_count.value() == 0 || old(slot_own).inner_perms.ref_count.value() == REF_COUNT_UNIQUE',
      (c) => rc(c.old.owner) === 0n || rc(c.old.owner) === c.p.refCountUnique,
    ),
    dmReq('storage_init', 'old(slot_own).inner_perms.storage.is_init()', (c) => isInit(c.old.owner.innerPerms.storage)),
    dmReq(
      'in_list_zero',
      'old(slot_own).inner_perms.in_list.value() == 0',
      (c) => c.old.owner.innerPerms.inList.value === 0n,
    ),
  ],
  mayPanic: never('drop_meta_in_place'),
  ensures: [
    dmEns('ref_count', 'final(slot_own).inner_perms.ref_count == old(slot_own).inner_perms.ref_count', (c) =>
      ghostEq(c.final.owner.innerPerms.refCount, c.old.owner.innerPerms.refCount),
    ),
    ...keptFields<DmPost>('drop_meta_in_place', 'slot_own'),
  ],
  next: (c) => ret(Object.freeze({ owner: droppedOwner(c.old.owner) }), undefined),
  footprint: () => [],
});
