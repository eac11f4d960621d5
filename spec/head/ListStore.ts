/**
 * vostd HEAD's list store (`ostd/specs/mm/embedding/list_store.rs`): `ListStore::inv()` and
 * `list_registry_ok`, conjunct by conjunct, over a TypeScript store (the region, the list owners, the
 * loose `UniqueFrameOwner<Link<M>>`s and the cursor owners, keyed by position).
 *
 * No operation's contract names the store: `LinkedList`'s and `CursorMut`'s requires and ensures speak
 * of one list owner, one frame owner and the region. What the store adds over them is
 * `list_registry_ok`'s second half (a listed id is carried by no slot outside the list) and the loose
 * frames' `in_list_perm.value() == 0`: a body that writes the list's id into another frame's `in_list`
 * meets every `push_front` ensures (seed and HEAD) and breaks these two (docs/findings.md, F37).
 * The first half of `list_registry_ok` is HEAD's new `relate_region` conjunct (`in_list_perm`).
 *
 * @see vostd b5b972861 `ostd/specs/mm/embedding/list_store.rs`
 */
import type { Invariant } from '../Op.ts';
import type { FrameIndex } from '../vocab.ts';
import { PAGE_SIZE } from '../vocab.ts';
import { slotOwner, slotsContain, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import {
  frameLinkInv,
  slotOfAddr,
  type CursorOwner,
  type LinkFrameOwner,
  type LinkedListOwner,
} from '../frame/LinkedListOwner.ts';
import { regionInv } from '../frame/regionFacts.ts';
import { globalInv, uniqueOwnerInv } from '../frame/UniqueFrame.ts';
import { headCursorWfWithRegion, headRelateRegion } from './LinkedListOwner.ts';

/** A `ListStore<M>`: `lists`, `loose` and `cursors` are maps from ids; here, arrays whose positions are the ids. */
export type ListStoreView = Readonly<{
  regions: MetaRegionOwners;
  lists: readonly LinkedListOwner[];
  loose: readonly LinkFrameOwner[];
  cursors: readonly CursorOwner[];
}>;

const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const inList = (r: MetaRegionOwners, i: FrameIndex): bigint => slotOwner(r, i).innerPerms.inList.value;
/** The slot indices the region holds (`regions.contains(idx)`): one per frame below `max_paddr`. */
const regionSlots = (r: MetaRegionOwners): FrameIndex[] =>
  Array.from({ length: Math.floor(r.p.maxPaddr / PAGE_SIZE) }, (_, i) => i).filter((i) => slotsContain(r, i));

/** `list_registry_ok(regions, lo)`, its two conjuncts. */
export function listRegistryOk(r: MetaRegionOwners, lo: LinkedListOwner) {
  const listed = new Set(lo.list.map((l) => slotOfAddr(l.paddr)));
  return {
    listed_carry_id: [...listed].every((i) => inList(r, i) === lo.listId),
    registry_complete: lo.listId === 0n || regionSlots(r).every((i) => inList(r, i) !== lo.listId || listed.has(i)),
  };
}

/** `LinkedListOwner::inv()` (HEAD): a non-empty list has an id; each link's `in_list` is the id. */
const listOwnerInvHead = (lo: LinkedListOwner) =>
  (lo.list.length === 0 || lo.listId !== 0n) && lo.list.every((l) => l.inList === lo.listId);

/** Ids used by two entries (`id1 != id2` with the same non-zero list id). */
const distinctIds = (ids: readonly bigint[]) => {
  const nz = ids.filter((x) => x !== 0n);
  return new Set(nz).size === nz.length;
};

const inv = (name: string, verus: string, holds: (s: ListStoreView) => boolean): Invariant<ListStoreView> => ({
  name: `ListStore::inv.${name}`,
  verus,
  holds: (c) => holds(c.value),
});

/** HEAD's `ListStore::inv()`, conjunct by conjunct. */
export const HEAD_LIST_STORE_INV: readonly Invariant<ListStoreView>[] = [
  inv('regions_inv', 'self.regions.inv()', (s) =>
    regionInv(s.regions, [
      ...s.lists.flatMap((l) => l.list.map((x) => slotOfAddr(x.paddr))),
      ...s.loose.map((o) => o.slotIndex),
    ]),
  ),
  inv(
    'lists',
    'forall|id| self.lists.dom().contains(id) ==> self.lists[id].inv() && self.lists[id].relate_region(self.regions)',
    (s) => s.lists.every((l) => listOwnerInvHead(l) && headRelateRegion(l, s.regions)),
  ),
  inv(
    'loose',
    'forall|lid| self.loose.dom().contains(lid) ==> self.loose[lid].inv() && global_inv(self.regions) && frame_link_inv(self.regions) && self.regions.slot_owners[self.loose[lid].slot_index].in_list_perm.value() == 0',
    (s) =>
      s.loose.every(
        (o) =>
          every(uniqueOwnerInv(o, s.regions.p)) &&
          every(globalInv(o, s.regions)) &&
          every(frameLinkInv(o, s.regions)) &&
          inList(s.regions, o.slotIndex) === 0n,
      ),
  ),
  inv(
    'list_ids_distinct',
    'forall|id1, id2| lists[id1].list_id == lists[id2].list_id && lists[id1].list_id != 0 ==> id1 == id2',
    (s) => distinctIds(s.lists.map((l) => l.listId)),
  ),
  inv(
    'loose_distinct',
    'forall|lid1, lid2| loose[lid1].slot_index == loose[lid2].slot_index ==> lid1 == lid2',
    (s) => new Set(s.loose.map((o) => o.slotIndex)).size === s.loose.length,
  ),
  inv(
    'cursors',
    'forall|cid| self.cursors.dom().contains(cid) ==> self.cursors[cid].list_own.inv() && self.cursors[cid].wf_with_region(self.regions)',
    (s) => s.cursors.every((c) => listOwnerInvHead(c.listOwn) && every(headCursorWfWithRegion(c, s.regions))),
  ),
  inv(
    'lists_cursors_disjoint',
    'no list and cursor share a non-zero list_id (and lists.dom().disjoint(cursors.dom()))',
    (s) => distinctIds([...new Set(s.lists.map((l) => l.listId)), ...new Set(s.cursors.map((c) => c.listOwn.listId))]),
  ),
  inv(
    'cursor_ids_distinct',
    'forall|cid1, cid2| cursors[cid1].list_own.list_id == cursors[cid2].list_own.list_id && != 0 ==> cid1 == cid2',
    (s) => distinctIds(s.cursors.map((c) => c.listOwn.listId)),
  ),
  inv(
    'lists_registry_ok',
    'forall|id| self.lists.dom().contains(id) ==> list_registry_ok(self.regions, self.lists[id])',
    (s) => s.lists.every((l) => every(listRegistryOk(s.regions, l))),
  ),
  inv(
    'cursors_registry_ok',
    'forall|cid| self.cursors.dom().contains(cid) ==> list_registry_ok(self.regions, self.cursors[cid].list_own)',
    (s) => s.cursors.every((c) => every(listRegistryOk(s.regions, c.listOwn))),
  ),
];

/** The names of the `ListStore::inv()` conjuncts false on `s`. */
export function failingListStoreInv(s: ListStoreView): string[] {
  return HEAD_LIST_STORE_INV.filter((c) => !c.holds({ value: s, p: s.regions.p })).map((c) => c.name);
}
