/**
 * The ghost side of frame lists: `LinkOwner`, `LinkedListOwner`, `CursorOwner`, their models, and the
 * predicates that tie them to the region (`relate_region`, `wf_region`, `frame_link_inv`).
 *
 * A list's links live in its frames' slot storage as a `Link` metadata value whose `next`/`prev` are
 * slot pointers in index form (`null` = `None`). The list owner is the abstraction of those links: the
 * slots reached from the list's `front` by `next` (`viewListOwner`). vostd keeps the owner as a
 * tracked value updated by proof code; reading it back from memory is what lets a clause such as
 * "the new list is the old one with the frame inserted at position k" test the implementation.
 *
 * @see vostd (seed era) `ostd/specs/mm/frame/linked_list/linked_list_owners.rs`, `linked_list_specs.rs`
 */
import { metaAddr, metaToIndex } from '../meta/mapping.ts';
import { slotOwner, slotPerm, slotsContain, withSlotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { META_SLOT_WF, rc, withOwnerFields, type MetaSlotOwner } from '../meta/MetaSlotOwner.ts';
import { init, isInit, permissionU64, valueOf } from '../meta/perms.ts';
import type { FrameIndex, Vaddr } from '../vocab.ts';
import { handleAddrOk, ownersContain } from './regionFacts.ts';
import type { MetaOwner, UniqueFrameOwner } from './UniqueFrame.ts';

/** The metadata type name of a list frame (`Link<M>`). */
export const LINK_TYPE = 'Link';

/** `MAX_LIST_ID = i64::MAX as u64`: upstream aborts when the global list-id counter reaches it. */
export const MAX_LIST_ID = (1n << 63n) - 1n;

/** A decoded `Link<M>`: neighbour slots (index form) and the wrapped metadata. */
export type LinkStorage = Readonly<{ next: FrameIndex | null; prev: FrameIndex | null; meta: unknown }>;

/** `LinkOwner { paddr, in_list }`; `paddr` holds the slot address, as in vostd. */
export type LinkOwner = Readonly<{ paddr: Vaddr; inList: bigint }>;

/** `M::Owner` of a list frame: the type, and its `LinkOwner`. */
export type LinkMetaOwner = MetaOwner & LinkOwner;

/** `UniqueFrameOwner<Link<M>>`. */
export type LinkFrameOwner = UniqueFrameOwner<LinkMetaOwner>;

/** `LinkedListOwner { list, list_id }`. */
export type LinkedListOwner = Readonly<{ list: readonly LinkOwner[]; listId: bigint }>;

/** The exec fields of `LinkedList { front, back, size, list_id }`; pointers as slot addresses. */
export type LinkedListExec = Readonly<{ front: Vaddr | null; back: Vaddr | null; size: number; listId: bigint }>;

/** `CursorOwner { list_own, index }`. */
export type CursorOwner = Readonly<{ listOwn: LinkedListOwner; index: number }>;

/** `LinkModel { paddr }`. */
export type LinkModel = Readonly<{ paddr: Vaddr }>;

/** `CursorModel { fore, rear, list_model }`. */
export type CursorModel = Readonly<{
  fore: readonly LinkModel[];
  rear: readonly LinkModel[];
  list: readonly LinkModel[];
}>;

/** The `Link` stored in slot `i`, or `undefined` when the slot holds no initialized `Link`. */
export function decodeLink(r: MetaRegionOwners, i: FrameIndex): LinkStorage | undefined {
  if (!ownersContain(i)) return undefined;
  const v = valueOf(slotOwner(r, i).innerPerms.storage);
  if (v === undefined || v.type !== LINK_TYPE) return undefined;
  const f = v.fields;
  return {
    next: (f['next'] as FrameIndex | null | undefined) ?? null,
    prev: (f['prev'] as FrameIndex | null | undefined) ?? null,
    meta: f['meta'],
  };
}

/** The region with slot `i` holding `link` (its count, `in_list` and ghost fields unchanged). */
export function withLink(r: MetaRegionOwners, i: FrameIndex, link: LinkStorage): MetaRegionOwners {
  const o = slotOwner(r, i);
  const fields = Object.freeze({ next: link.next, prev: link.prev, meta: link.meta });
  return withSlotOwner(
    r,
    i,
    withOwnerFields(o, {
      storage: Object.freeze({
        id: o.innerPerms.storage.id,
        contents: init(Object.freeze({ type: LINK_TYPE, fields })),
      }),
      vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: init(LINK_TYPE) }),
    }),
  );
}

/** The region with slot `i`'s `in_list` set to `id`. */
export function withInList(r: MetaRegionOwners, i: FrameIndex, id: bigint): MetaRegionOwners {
  const o = slotOwner(r, i);
  return withSlotOwner(r, i, withOwnerFields(o, { inList: permissionU64(o.innerPerms.inList.id, id) }));
}

/** The `LinkOwner` of the frame at slot `i`, as the region shows it. */
export function linkOwnerAt(r: MetaRegionOwners, i: FrameIndex): LinkOwner {
  return Object.freeze({ paddr: metaAddr(i), inList: slotOwner(r, i).innerPerms.inList.value });
}

/** The `UniqueFrameOwner<Link<M>>` of the unique frame at slot `i`, as the region shows it. */
export function linkFrameOwnerAt(r: MetaRegionOwners, i: FrameIndex): LinkFrameOwner {
  const l = linkOwnerAt(r, i);
  return Object.freeze({ metaOwn: Object.freeze({ type: LINK_TYPE, paddr: l.paddr, inList: l.inList }), slotIndex: i });
}

/** The slot index a `LinkOwner` (or any slot address) names. */
export function slotOfAddr(addr: Vaddr): FrameIndex {
  return metaToIndex(addr);
}

/**
 * The list owner the links in `r` describe: the slots reached from `exec.front` by `next`, stopping at
 * `None`, at a slot that holds no `Link` (which is still listed, and then fails `relate_region`), at a
 * slot already visited, or after `exec.size + 1` steps.
 */
export function viewListOwner(r: MetaRegionOwners, exec: LinkedListExec): LinkedListOwner {
  const list: LinkOwner[] = [];
  const seen = new Set<FrameIndex>();
  let at = exec.front === null ? null : slotOfAddr(exec.front);
  while (at !== null && ownersContain(at) && !seen.has(at) && list.length <= exec.size) {
    seen.add(at);
    list.push(linkOwnerAt(r, at));
    at = decodeLink(r, at)?.next ?? null;
  }
  return Object.freeze({ list: Object.freeze(list), listId: exec.listId });
}

/** `LinkedListOwner::relate_region_at(regions, i)`, conjunct by conjunct (seed era; `usage_frame` from HEAD). */
export function relateRegionAt(own: LinkedListOwner, r: MetaRegionOwners, i: number) {
  const l = own.list[i]!;
  const k = slotOfAddr(l.paddr);
  const perm = ownersContain(k) ? slotPerm(r, k) : undefined;
  const o = slotOwner(r, k);
  const slot = perm === undefined ? undefined : valueOf(perm);
  const link = decodeLink(r, k);
  const n = own.list.length;
  return {
    slots_contain: ownersContain(k) && slotsContain(r, k),
    owners_contain: ownersContain(k),
    perm_addr: perm?.addr === l.paddr,
    rc_unique: rc(o) === r.p.refCountUnique,
    perm_wf: slot !== undefined && META_SLOT_WF.every((w) => w.holds({ value: { slot, owner: o }, p: r.p })),
    addr_ok: handleAddrOk(l.paddr, r.p),
    perm_init: perm !== undefined && isInit(perm) && isInit(o.innerPerms.storage),
    link_wf: link !== undefined,
    prev_none_iff_first: (i === 0) === (link?.prev === null),
    next_none_iff_last: (i === n - 1) === (link?.next === null),
    prev_link:
      i === 0 || (link?.prev !== null && link?.prev !== undefined && metaAddr(link.prev) === own.list[i - 1]!.paddr),
    next_link:
      i === n - 1 ||
      (link?.next !== null && link?.next !== undefined && metaAddr(link.next) === own.list[i + 1]!.paddr),
    in_list: l.inList === own.listId,
    usage_frame: o.usage === 'Frame',
  };
}

/**
 * The first element and conjunct where `relate_region` fails, or `undefined` when it holds; `at` is
 * the per-element relation (the seed's `relate_region_at` unless another spec version's is given).
 */
export function relateRegionFailure(
  own: LinkedListOwner,
  r: MetaRegionOwners,
  at: (own: LinkedListOwner, r: MetaRegionOwners, i: number) => Readonly<Record<string, boolean>> = relateRegionAt,
): Readonly<{ i: number; conjunct: string }> | undefined {
  const seen = new Set<FrameIndex>();
  for (let i = 0; i < own.list.length; i++) {
    const parts = at(own, r, i);
    for (const [conjunct, ok] of Object.entries(parts)) if (!ok) return { i, conjunct };
    const k = slotOfAddr(own.list[i]!.paddr);
    if (seen.has(k)) return { i, conjunct: 'distinct' };
    seen.add(k);
  }
  return own.list.length > 0 && own.listId === 0n ? { i: -1, conjunct: 'list_id_nonzero' } : undefined;
}

/** `LinkedListOwner::relate_region(regions)`: every position relates, slots are distinct, a non-empty list has an id. */
export function relateRegion(own: LinkedListOwner, r: MetaRegionOwners): boolean {
  return relateRegionFailure(own, r) === undefined;
}

/** `LinkedListOwner::inv()` (seed era: `list_id != 0` even for an empty list). */
export function listOwnerInv(own: LinkedListOwner) {
  return { list_id_nonzero: own.listId !== 0n, in_list: own.list.every((l) => l.inList === own.listId) };
}

/** `LinkedList::wf(owner)`, conjunct by conjunct. */
export function listWf(exec: LinkedListExec, own: LinkedListOwner) {
  const n = own.list.length;
  return {
    front_none_iff_empty: (exec.front === null) === (n === 0),
    back_none_iff_empty: (exec.back === null) === (n === 0),
    ends: n === 0 || (exec.front === own.list[0]!.paddr && exec.back === own.list[n - 1]!.paddr),
    size: exec.size === n,
    list_id: exec.listId === own.listId,
  };
}

/** `LinkedList::wf_region(owner, regions)`: `wf`, and the ends are the region's slot pointers. */
export function listWfRegion(exec: LinkedListExec, own: LinkedListOwner, r: MetaRegionOwners) {
  const n = own.list.length;
  const at = (a: Vaddr | null) => (a === null ? undefined : slotPerm(r, slotOfAddr(a))?.addr);
  const wf = listWf(exec, own);
  return {
    front_none_iff_empty: wf.front_none_iff_empty,
    back_none_iff_empty: wf.back_none_iff_empty,
    ends: wf.ends,
    size: wf.size,
    list_id: wf.list_id,
    region_ends: n === 0 || (at(exec.front) === exec.front && at(exec.back) === exec.back),
  };
}

/** `CursorOwner::inv_region(regions)`: the index is in `0..=len` and the list relates to the region. */
export function cursorInvRegion(own: CursorOwner, r: MetaRegionOwners) {
  return {
    index_in_bounds: own.index >= 0 && own.index <= own.listOwn.list.length,
    relate_region: relateRegion(own.listOwn, r),
  };
}

/** `CursorMut::wf_region(owner, regions)`: the cursor's `current` is element `index` (`None` at the ghost). */
export function cursorWfRegion(current: Vaddr | null, exec: LinkedListExec, own: CursorOwner, r: MetaRegionOwners) {
  const n = own.listOwn.list.length;
  const i = own.index;
  return {
    current_at_index:
      !(i >= 0 && i < n) ||
      (current !== null &&
        current === own.listOwn.list[i]!.paddr &&
        slotPerm(r, slotOfAddr(current))?.addr === current),
    ghost_none: i !== n || current === null,
    list_wf_region: Object.values(listWfRegion(exec, own.listOwn, r)).every(Boolean),
  };
}

/** `UniqueFrameOwner<Link<M>>::frame_link_inv(regions)`: an unlinked frame whose owner names its slot. */
export function frameLinkInv(own: LinkFrameOwner, r: MetaRegionOwners) {
  const link = decodeLink(r, own.slotIndex);
  return {
    prev_none: link !== undefined && link.prev === null,
    next_none: link !== undefined && link.next === null,
    paddr: own.metaOwn.paddr === metaAddr(own.slotIndex),
  };
}

/** The `CursorModel` of a cursor owner: `fore = list.take(index)`, `rear = list.skip(index)`. */
export function cursorModel(own: CursorOwner): CursorModel {
  const list = own.listOwn.list.map((l) => ({ paddr: l.paddr }));
  return { fore: list.slice(0, own.index), rear: list.slice(own.index), list };
}

/** `CursorModel::move_next_spec`. */
export function moveNextSpec(m: CursorModel): CursorModel {
  if (m.list.length === 0) return m;
  if (m.rear.length > 0) return { fore: [...m.fore, m.rear[0]!], rear: m.rear.slice(1), list: m.list };
  return { fore: [], rear: m.fore, list: m.list };
}

/** `CursorModel::move_prev_spec`. */
export function movePrevSpec(m: CursorModel): CursorModel {
  if (m.list.length === 0) return m;
  if (m.fore.length > 0)
    return { fore: m.fore.slice(0, -1), rear: [m.fore[m.fore.length - 1]!, ...m.rear], list: m.list };
  return { fore: m.rear, rear: [], list: m.list };
}

/** `CursorModel::remove`: the current element leaves; `list = fore ++ rear`. */
export function removeModel(m: CursorModel): CursorModel {
  const rear = m.rear.slice(1);
  return { fore: m.fore, rear, list: [...m.fore, ...rear] };
}

/** `CursorModel::insert(link)`: the link is appended to `fore`. */
export function insertModel(m: CursorModel, link: LinkModel): CursorModel {
  const fore = [...m.fore, link];
  return { fore, rear: m.rear, list: [...fore, ...m.rear] };
}

/** `CursorOwner::move_next_owner_spec`: empty → unchanged; ghost → 0; otherwise index + 1. */
export function moveNextOwnerSpec(own: CursorOwner): CursorOwner {
  const n = own.listOwn.list.length;
  if (n === 0) return own;
  return { listOwn: own.listOwn, index: own.index === n ? 0 : own.index + 1 };
}

/** `CursorOwner::move_prev_owner_spec`: empty → unchanged; ghost → len − 1; 0 → ghost; otherwise index − 1. */
export function movePrevOwnerSpec(own: CursorOwner): CursorOwner {
  const n = own.listOwn.list.length;
  if (n === 0) return own;
  return { listOwn: own.listOwn, index: own.index === n ? n - 1 : own.index === 0 ? n : own.index - 1 };
}

/** `CursorOwner::front_owner(list_own)`: index 0. */
export function frontOwner(listOwn: LinkedListOwner): CursorOwner {
  return { listOwn, index: 0 };
}

/** `CursorOwner::back_owner(list_own)`: index `len − 1`, or 0 when empty. */
export function backOwner(listOwn: LinkedListOwner): CursorOwner {
  return { listOwn, index: listOwn.list.length > 0 ? listOwn.list.length - 1 : 0 };
}

/** `a == b` on two link sequences. */
export function linksEq(a: readonly LinkOwner[], b: readonly LinkOwner[]): boolean {
  return a.length === b.length && a.every((l, i) => l.paddr === b[i]!.paddr && l.inList === b[i]!.inList);
}

/** `a == b` on two link models. */
export function modelsEq(a: readonly LinkModel[], b: readonly LinkModel[]): boolean {
  return a.length === b.length && a.every((l, i) => l.paddr === b[i]!.paddr);
}

/** `seq.insert(i, x)`. */
export function seqInsert<T>(s: readonly T[], i: number, x: T): T[] {
  return [...s.slice(0, i), x, ...s.slice(i)];
}

/** `seq.remove(i)`. */
export function seqRemove<T>(s: readonly T[], i: number): T[] {
  return [...s.slice(0, i), ...s.slice(i + 1)];
}

/** The owner of a slot, for explanations. */
export function ownerOfAddr(r: MetaRegionOwners, addr: Vaddr): MetaSlotOwner {
  return slotOwner(r, slotOfAddr(addr));
}
