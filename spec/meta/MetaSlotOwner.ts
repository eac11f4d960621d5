/**
 * The ghost owner of one metadata slot and its invariant, conjunct by conjunct.
 *
 * Ghost-only: `impl/` has no twin of this file. The contract layer builds an owner from real memory
 * (`src/contract/view.ts`) plus the ghost fields the proof code maintains (`usage`, `pathsInPt`).
 *
 * @see vostd (seed era) `ostd/specs/mm/frame/meta_owners.rs`: `MetadataInnerPerms`, `MetaSlotOwner`, `impl Inv for MetaSlotOwner`
 */
import { match, P } from 'ts-pattern';
import type { ClauseNote, Invariant } from '../Op.ts';
import { note } from './clause.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, type FrameIndex, type ModelParams, type Vaddr } from '../vocab.ts';
import { metaAddr } from './mapping.ts';
import {
  contentsEq,
  ghostEq,
  isInit,
  permEq,
  permissionU64,
  UNINIT,
  type CellPointsTo,
  type PermissionU64,
  type PointsTo,
} from './perms.ts';

/** `PageUsage`: what a frame is used for (ghost; sticky — nothing resets it to `Unused`). */
export type PageUsage = 'Unused' | 'Reserved' | 'Frame' | 'PageTable' | 'Meta' | 'Kernel' | 'MMIO';

/** `MetaSlotStorage`: the decoded contents of a slot's 40-byte storage (a metadata type and its fields). */
export type MetaSlotStorage = Readonly<{ type: string; fields: Readonly<Record<string, unknown>> }>;

/** The exec `MetaSlot` value as the ghost sees it: the identities of its four fields. */
export type MetaSlot = Readonly<{ storageId: number; refCountId: number; vtablePtr: Vaddr; inListId: number }>;

/** `MetadataInnerPerms { storage, ref_count, vtable_ptr, in_list }`. */
export type MetadataInnerPerms = Readonly<{
  storage: CellPointsTo<MetaSlotStorage>;
  refCount: PermissionU64;
  vtablePtr: PointsTo<string>;
  inList: PermissionU64;
}>;

/** `MetaSlotOwner { inner_perms, self_addr, usage, paths_in_pt }`. */
export type MetaSlotOwner = Readonly<{
  innerPerms: MetadataInnerPerms;
  selfAddr: Vaddr;
  usage: PageUsage;
  pathsInPt: ReadonlySet<string>;
}>;

const idsCache = new Map<FrameIndex, MetaSlot>();

/** The field identities of slot `i`: each atomic or cell has a stable identity derived from its address. */
export function slotIds(i: FrameIndex): MetaSlot {
  let ids = idsCache.get(i);
  if (ids === undefined) {
    if (idsCache.size > 4096) idsCache.clear();
    ids = Object.freeze({ storageId: 4 * i, refCountId: 4 * i + 1, vtablePtr: metaAddr(i) + 48n, inListId: 4 * i + 3 });
    idsCache.set(i, ids);
  }
  return ids;
}

/** `a == b` on two slot owners, field by field. */
export function ownerEq(a: MetaSlotOwner, b: MetaSlotOwner): boolean {
  if (a === b) return true;
  const x = a.innerPerms;
  const y = b.innerPerms;
  return (
    a.selfAddr === b.selfAddr &&
    a.usage === b.usage &&
    (x === y ||
      (permEq(x.refCount, y.refCount) &&
        permEq(x.inList, y.inList) &&
        x.storage.id === y.storage.id &&
        x.vtablePtr.addr === y.vtablePtr.addr &&
        contentsEq(x.storage.contents, y.storage.contents) &&
        contentsEq(x.vtablePtr.contents, y.vtablePtr.contents))) &&
    (a.pathsInPt === b.pathsInPt || ghostEq(a.pathsInPt, b.pathsInPt))
  );
}

const NO_PATHS: ReadonlySet<string> = Object.freeze(new Set<string>());

/** The owner of a slot nobody has touched: `REF_COUNT_UNUSED`, everything uninitialized, usage `Unused`. */
export function defaultSlotOwner(i: FrameIndex, p: ModelParams): MetaSlotOwner {
  // the last one built is asked for again and again (a slot's default is read by each check there)
  const last = lastDefault;
  if (last !== undefined && last.i === i && last.unused === p.refCountUnused) return last.owner;
  const owner = buildDefaultSlotOwner(i, p);
  lastDefault = { i, unused: p.refCountUnused, owner };
  return owner;
}

let lastDefault: { i: FrameIndex; unused: bigint; owner: MetaSlotOwner } | undefined;

function buildDefaultSlotOwner(i: FrameIndex, p: ModelParams): MetaSlotOwner {
  const ids = slotIds(i);
  return Object.freeze({
    innerPerms: Object.freeze({
      storage: Object.freeze({ id: ids.storageId, contents: UNINIT }),
      refCount: permissionU64(ids.refCountId, p.refCountUnused),
      vtablePtr: Object.freeze({ addr: ids.vtablePtr, contents: UNINIT }),
      inList: permissionU64(ids.inListId, 0n),
    }),
    selfAddr: metaAddr(i),
    usage: 'Unused',
    pathsInPt: NO_PATHS,
  });
}

/** An owner with some fields replaced (explicit construction: object spread is slow on hot paths). */
export function withOwnerFields(
  o: MetaSlotOwner,
  f: Partial<MetadataInnerPerms> & Partial<Pick<MetaSlotOwner, 'usage' | 'pathsInPt'>>,
): MetaSlotOwner {
  const q = o.innerPerms;
  return Object.freeze({
    innerPerms: Object.freeze({
      storage: f.storage ?? q.storage,
      refCount: f.refCount ?? q.refCount,
      vtablePtr: f.vtablePtr ?? q.vtablePtr,
      inList: f.inList ?? q.inList,
    }),
    selfAddr: o.selfAddr,
    usage: f.usage ?? o.usage,
    pathsInPt: f.pathsInPt ?? o.pathsInPt,
  });
}

/** `MetaSlotStatus`: the state a slot's count puts it in (vostd's `MetaSlotModel::status`). */
export type MetaSlotStatus = 'UNUSED' | 'UNIQUE' | 'SHARED' | 'OVERFLOW' | 'UNDER_CONSTRUCTION';

/** The status of a slot whose count is `v`: UNUSED, UNIQUE, 0 → UNDER_CONSTRUCTION, 1..=MAX → SHARED, else OVERFLOW. */
export function metaSlotStatus(v: bigint, p: ModelParams): MetaSlotStatus {
  return match(v)
    .with(
      P.when((x) => x === p.refCountUnused),
      () => 'UNUSED' as const,
    )
    .with(
      P.when((x) => x === p.refCountUnique),
      () => 'UNIQUE' as const,
    )
    .with(0n, () => 'UNDER_CONSTRUCTION' as const)
    .with(
      P.when((x) => x >= 1n && x <= p.refCountMax),
      () => 'SHARED' as const,
    )
    .otherwise(() => 'OVERFLOW' as const);
}

/** `rc(o)`: the value of the owner's reference-count permission. */
export function rc(o: MetaSlotOwner): bigint {
  return o.innerPerms.refCount.value;
}

type OwnerInv = Invariant<MetaSlotOwner>;
const SLOT_SIZE = BigInt(META_SLOT_SIZE);

const inv = (name: string, verus: string, holds: (o: MetaSlotOwner, p: ModelParams) => boolean): OwnerInv => ({
  name: `MetaSlotOwner::inv.${name}`,
  verus,
  holds: (c) => holds(c.value, c.p),
  explain: (c) => ({
    ref_count: c.value.innerPerms.refCount.value,
    storage_init: isInit(c.value.innerPerms.storage),
    vtable_init: isInit(c.value.innerPerms.vtablePtr),
    in_list: c.value.innerPerms.inList.value,
    usage: c.value.usage,
    self_addr: c.value.selfAddr,
  }),
});
const perms = (o: MetaSlotOwner) => o.innerPerms;

/** `MetaSlotOwner::inv()`, one entry per conjunct. */
export const META_SLOT_OWNER_INV: readonly OwnerInv[] = [
  inv(
    'unused',
    'inner_perms.ref_count.value() == REF_COUNT_UNUSED ==> { storage.is_uninit() &&& vtable_ptr.is_uninit() &&& in_list.value() == 0 &&& (usage != PageUsage::MMIO ==> paths_in_pt.is_empty()) }',
    (o, p) =>
      rc(o) !== p.refCountUnused ||
      (!isInit(perms(o).storage) &&
        !isInit(perms(o).vtablePtr) &&
        perms(o).inList.value === 0n &&
        (o.usage === 'MMIO' || o.pathsInPt.size === 0)),
  ),
  inv(
    'unique',
    'inner_perms.ref_count.value() == REF_COUNT_UNIQUE ==> { vtable_ptr.is_init() &&& storage.is_init() }',
    (o, p) => rc(o) !== p.refCountUnique || (isInit(perms(o).vtablePtr) && isInit(perms(o).storage)),
  ),
  inv(
    'shared',
    '0 < inner_perms.ref_count.value() <= REF_COUNT_MAX ==> { vtable_ptr.is_init() &&& storage.is_init() &&& in_list.value() == 0 }',
    (o, p) =>
      !(rc(o) > 0n && rc(o) <= p.refCountMax) ||
      (isInit(perms(o).vtablePtr) && isInit(perms(o).storage) && perms(o).inList.value === 0n),
  ),
  inv(
    'illegal_band',
    'REF_COUNT_MAX < inner_perms.ref_count.value() < REF_COUNT_UNIQUE ==> { false }',
    (o, p) => !(rc(o) > p.refCountMax && rc(o) < (p.refCountUnique ?? p.refCountUnused)),
  ),
  inv(
    'busy',
    'inner_perms.ref_count.value() == 0 ==> { in_list.value() == 0 }',
    (o) => rc(o) !== 0n || perms(o).inList.value === 0n,
  ),
  inv(
    'self_addr_in_range',
    'FRAME_METADATA_RANGE.start <= self_addr < FRAME_METADATA_RANGE.end',
    (o) => FRAME_METADATA_RANGE.start <= o.selfAddr && o.selfAddr < FRAME_METADATA_RANGE.end,
  ),
  inv('self_addr_aligned', 'self_addr % META_SLOT_SIZE == 0', (o) => o.selfAddr % SLOT_SIZE === 0n),
];

/** The conjuncts of `MetaSlotOwner::inv()` that cannot fail in this representation, and why. */
export const META_SLOT_OWNER_NOTES: readonly ClauseNote[] = [
  note('MetaSlotOwner::inv.paths_finite', 'paths_in_pt.finite()', 'a JavaScript `Set` holds finitely many elements'),
];

/** `MetaSlot::wf(owner)` (`impl OwnerOf for MetaSlot`), one entry per conjunct. */
export const META_SLOT_WF: readonly Invariant<Readonly<{ slot: MetaSlot; owner: MetaSlotOwner }>>[] = [
  {
    name: 'MetaSlot::wf.storage_id',
    verus: 'self.storage.id() == owner.inner_perms.storage.id()',
    holds: (c) => c.value.slot.storageId === c.value.owner.innerPerms.storage.id,
  },
  {
    name: 'MetaSlot::wf.ref_count_id',
    verus: 'self.ref_count.id() == owner.inner_perms.ref_count.id()',
    holds: (c) => c.value.slot.refCountId === c.value.owner.innerPerms.refCount.id,
  },
  {
    name: 'MetaSlot::wf.vtable_ptr',
    verus: 'self.vtable_ptr == owner.inner_perms.vtable_ptr.pptr()',
    holds: (c) => c.value.slot.vtablePtr === c.value.owner.innerPerms.vtablePtr.addr,
  },
  {
    name: 'MetaSlot::wf.in_list_id',
    verus: 'self.in_list.id() == owner.inner_perms.in_list.id()',
    holds: (c) => c.value.slot.inListId === c.value.owner.innerPerms.inList.id,
  },
];
