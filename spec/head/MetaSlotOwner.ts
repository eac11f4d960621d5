/**
 * vostd HEAD's `MetaSlotOwner::inv()` and `MetaSlot::wf(owner)`, conjunct by conjunct, over the same
 * ghost owner value the seed mirror uses.
 *
 * HEAD splits the seed's `MetadataInnerPerms` into `MetadataPerms { storage_perm, vtable_ptr_perm }`
 * (the permissions of one installed metadata value) plus `ref_count_perm` and `in_list_perm` directly
 * on the owner, and renames `self_addr` to `slot_vaddr`. The TypeScript owner keeps one shape for both
 * specs: `innerPerms.storage` is `storage_perm()`, `innerPerms.vtablePtr` is `vtable_ptr_perm()`,
 * `innerPerms.refCount` is `ref_count_perm`, `innerPerms.inList` is `in_list_perm`, `selfAddr` is
 * `slot_vaddr`. Only the clause texts and the conjunct set differ.
 *
 * @see vostd b5b972861 `ostd/specs/mm/frame/meta_owners.rs`: `impl Inv for MetaSlotOwner`, `impl OwnerOf for MetaSlot`
 */
import type { Invariant } from '../Op.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, type ModelParams } from '../vocab.ts';
import { META_SLOT_WF, rc, type MetaSlot, type MetaSlotOwner } from '../meta/MetaSlotOwner.ts';
import { isInit } from '../meta/perms.ts';

type OwnerInv = Invariant<MetaSlotOwner>;
const inv = (name: string, verus: string, holds: (o: MetaSlotOwner, p: ModelParams) => boolean): OwnerInv => ({
  name: `MetaSlotOwner::inv.${name}`,
  verus,
  holds: (c) => holds(c.value, c.p),
  explain: (c) => ({
    'ref_count()': rc(c.value),
    'storage_perm().is_init()': isInit(c.value.innerPerms.storage),
    'vtable_ptr_perm().is_init()': isInit(c.value.innerPerms.vtablePtr),
    'in_list_perm.value()': c.value.innerPerms.inList.value,
    usage: c.value.usage,
    'paths_in_pt.len()': c.value.pathsInPt.size,
    slot_vaddr: c.value.selfAddr,
  }),
});
const storageInit = (o: MetaSlotOwner) => isInit(o.innerPerms.storage);
const vtableInit = (o: MetaSlotOwner) => isInit(o.innerPerms.vtablePtr);
const inList = (o: MetaSlotOwner) => o.innerPerms.inList.value;
const unmappedUnlessMmio = (o: MetaSlotOwner) => o.usage === 'MMIO' || o.pathsInPt.size === 0;

/** vostd HEAD `MetaSlotOwner::inv()`, one entry per conjunct. */
export const HEAD_META_SLOT_OWNER_INV: readonly OwnerInv[] = [
  inv(
    'unused',
    'self.ref_count() == REF_COUNT_UNUSED ==> { self.storage_perm().is_uninit() &&& self.vtable_ptr_perm().is_uninit() &&& self.in_list_perm.value() == 0 &&& (self.usage != PageUsage::MMIO ==> self.paths_in_pt.is_empty()) }',
    (o, p) =>
      rc(o) !== p.refCountUnused || (!storageInit(o) && !vtableInit(o) && inList(o) === 0n && unmappedUnlessMmio(o)),
  ),
  inv(
    'unique',
    'self.ref_count() == REF_COUNT_UNIQUE ==> { self.vtable_ptr_perm().is_init() &&& self.storage_perm().is_init() &&& (self.usage != PageUsage::MMIO ==> self.paths_in_pt.is_empty()) }',
    (o, p) => rc(o) !== p.refCountUnique || (vtableInit(o) && storageInit(o) && unmappedUnlessMmio(o)),
  ),
  inv(
    'shared',
    '0 < self.ref_count() <= REF_COUNT_MAX ==> { self.vtable_ptr_perm().is_init() &&& self.storage_perm().is_init() &&& self.in_list_perm.value() == 0 }',
    (o, p) => !(rc(o) > 0n && rc(o) <= p.refCountMax) || (vtableInit(o) && storageInit(o) && inList(o) === 0n),
  ),
  inv(
    'illegal_band',
    'REF_COUNT_MAX < self.ref_count() < REF_COUNT_UNIQUE ==> { false }',
    (o, p) => !(rc(o) > p.refCountMax && rc(o) < (p.refCountUnique ?? p.refCountUnused)),
  ),
  inv('busy', 'self.ref_count() == 0 ==> { self.in_list_perm.value() == 0 }', (o) => rc(o) !== 0n || inList(o) === 0n),
  inv(
    'slot_vaddr_in_range',
    'FRAME_METADATA_RANGE.start <= self.slot_vaddr < FRAME_METADATA_RANGE.end',
    (o) => FRAME_METADATA_RANGE.start <= o.selfAddr && o.selfAddr < FRAME_METADATA_RANGE.end,
  ),
  inv('slot_vaddr_aligned', 'self.slot_vaddr % META_SLOT_SIZE == 0', (o) => o.selfAddr % BigInt(META_SLOT_SIZE) === 0n),
];

/** HEAD's text of each `MetaSlot::wf` conjunct; the predicates are the seed's (the fields are the same values). */
const WF_TEXT: Readonly<Record<string, string>> = {
  'MetaSlot::wf.storage_id': 'self.storage.id() == owner.storage_perm().id()',
  'MetaSlot::wf.ref_count_id': 'self.ref_count.id() == owner.ref_count_perm.id()',
  'MetaSlot::wf.vtable_ptr': 'self.vtable_ptr == owner.vtable_ptr_perm().pptr()',
  'MetaSlot::wf.in_list_id': 'self.in_list.id() == owner.in_list_perm.id()',
};

/** vostd HEAD `MetaSlot::wf(owner)` (`impl OwnerOf for MetaSlot`), one entry per conjunct. */
export const HEAD_META_SLOT_WF: readonly Invariant<Readonly<{ slot: MetaSlot; owner: MetaSlotOwner }>>[] =
  META_SLOT_WF.map((c) => Object.freeze({ ...c, verus: WF_TEXT[c.name] ?? c.verus }));

/** Whether `o` satisfies HEAD's `MetaSlotOwner::inv()`. */
export function headOwnerInv(o: MetaSlotOwner, p: ModelParams): boolean {
  return HEAD_META_SLOT_OWNER_INV.every((c) => c.holds({ value: o, p }));
}
