/**
 * vostd HEAD's list-owner predicates (`ostd/specs/mm/frame/linked_list/linked_list_owners.rs`),
 * re-audited conjunct by conjunct against the seed's.
 *
 * HEAD's `relate_region_at(regions, i)` reads the slot through the region's `slots[idx]` and
 * `slot_owners[idx].metadata_perm` plus the list's own `repr_perms[i]` (the seed built a
 * `cast_ptr::PointsTo` from `slots[idx]` and `inner_perms`). Conjunct by conjunct:
 * - `regions.contains(idx)`, `slots[idx].addr() == list[i].paddr`, `ref_count() == REF_COUNT_UNIQUE`,
 *   the alignment and range of the address, the `prev`/`next` wiring, `list[i].in_list == list_id`:
 *   the seed's, same predicates;
 * - `slot_owners[idx].usage is Frame`: already in the seed mirror (`usage_frame`);
 * - `slot_owners[idx].in_list_perm.value() == self.list_id`: new — the slot's own `in_list` atomic
 *   must carry the list's id (the seed tied only the ghost `LinkOwner::in_list` to it);
 * - `meta_wf_at(regions, i)` (`typed_meta_wf`: the slot and its storage are init, the storage
 *   permission's id is the slot's storage cell, `Link::wf(storage, repr_perm)`): replaces the seed's
 *   `perm.is_init()` and the slot decoding as a `Link`; HEAD adds the storage-id match;
 * - the seed's `perm.wf(&perm.inner_perms)` (`MetaSlot::wf` over the whole slot) is gone.
 *
 * `CursorOwner::wf_with_region(regions)` is the seed's `inv_region(regions)` renamed: the index is in
 * `0..=len` and the list relates to the region (HEAD's `relate_region`).
 *
 * @see vostd b5b972861 `ostd/specs/mm/frame/linked_list/linked_list_owners.rs`, `meta_owners.rs` (`typed_meta_wf`)
 */
import { slotOwner, slotPerm, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { isInit, valueOf } from '../meta/perms.ts';
import {
  relateRegionAt,
  relateRegionFailure,
  slotOfAddr,
  type CursorOwner,
  type LinkedListOwner,
} from '../frame/LinkedListOwner.ts';

/** HEAD's `LinkedListOwner::relate_region_at(regions, i)`, conjunct by conjunct. */
export function headRelateRegionAt(own: LinkedListOwner, r: MetaRegionOwners, i: number) {
  const seed = relateRegionAt(own, r, i);
  const k = slotOfAddr(own.list[i]!.paddr);
  const o = slotOwner(r, k);
  const perm = seed.owners_contain ? slotPerm(r, k) : undefined;
  const slot = perm === undefined ? undefined : valueOf(perm);
  return {
    contains: seed.slots_contain && seed.owners_contain,
    slot_addr: seed.perm_addr,
    rc_unique: seed.rc_unique,
    usage_frame: seed.usage_frame,
    in_list_perm: o.innerPerms.inList.value === own.listId,
    meta_wf_at:
      perm !== undefined &&
      isInit(perm) &&
      isInit(o.innerPerms.storage) &&
      slot !== undefined &&
      o.innerPerms.storage.id === slot.storageId &&
      seed.link_wf,
    addr_ok: seed.addr_ok,
    prev_none_iff_first: seed.prev_none_iff_first,
    next_none_iff_last: seed.next_none_iff_last,
    prev_link: seed.prev_link,
    next_link: seed.next_link,
    in_list: seed.in_list,
  };
}

/** The first element and conjunct where HEAD's `relate_region` fails, or `undefined` when it holds. */
export function headRelateRegionFailure(
  own: LinkedListOwner,
  r: MetaRegionOwners,
): Readonly<{ i: number; conjunct: string }> | undefined {
  return relateRegionFailure(own, r, headRelateRegionAt);
}

/**
 * HEAD's `LinkedListOwner::relate_region(regions)`: `repr_perms.len() == list.len()` (one sequence in
 * this model), every position relates, positions name distinct slots, a non-empty list has an id.
 */
export function headRelateRegion(own: LinkedListOwner, r: MetaRegionOwners): boolean {
  return headRelateRegionFailure(own, r) === undefined;
}

/** HEAD's `CursorOwner::wf_with_region(regions)` (the seed's `inv_region`), conjunct by conjunct. */
export function headCursorWfWithRegion(own: CursorOwner, r: MetaRegionOwners) {
  return {
    index_in_bounds: own.index >= 0 && own.index <= own.listOwn.list.length,
    relate_region: headRelateRegion(own.listOwn, r),
  };
}
