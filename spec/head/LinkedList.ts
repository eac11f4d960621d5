/**
 * vostd HEAD's contracts of `LinkedList<M>` (`ostd/src/mm/frame/linked_list.rs`,
 * `ostd/specs/mm/frame/linked_list/linked_list_owners.rs`), clause by clause.
 *
 * HEAD states most of them with the seed's words (read side by side; each text below is HEAD's). What
 * HEAD changed: `LinkedListOwner::inv()` asks `self.list.len() > 0 ==> self.list_id != 0` (the seed
 * asked `list_id != 0` of every list, an empty one with no id included), so `size`, `is_empty` and the
 * cursor constructors accept a fresh list; `pop_*` name the taken owner's view as `(r->0).1@@.meta`;
 * `push_back` drops the seed's `as int`; `cursor_mut_at` says `valid_frame_paddr`. Every
 * `relate_region` requires/ensures is HEAD's (`spec/head/LinkedListOwner.ts`): the slot's `in_list_perm`
 * must carry the list id and `meta_wf_at` replaces the seed's `MetaSlot::wf` (the failure witness shown
 * is still the seed's conjunct list).
 * HEAD's new `repr_perms.len() == list.len()` conjunct (of `inv` and `relate_region`) is a note: the
 * model keeps no `Repr` permission apart from the link, so the two sequences are one.
 *
 * @see vostd b5b972861 `ostd/src/mm/frame/linked_list.rs`, `ostd/specs/mm/frame/linked_list/linked_list_owners.rs`
 */
import type { ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { headRelateRegion } from './LinkedListOwner.ts';
import { headRegionInv } from './MetaRegionOwners.ts';
import { LIST_DROP_NOTES, listDrop } from '../frame/LinkedListDrop.ts';
import { slotOfAddr } from '../frame/LinkedListOwner.ts';
import { ownersChanged, slotOwnersContain, slotsContain } from '../meta/MetaRegionOwners.ts';
import { note } from '../meta/clause.ts';
import {
  listContains,
  listCursorBackMut,
  listCursorFrontMut,
  listCursorMutAt,
  listIsEmpty,
  listPopBack,
  listPopFront,
  listPushBack,
  listPushFront,
  listSize,
} from '../frame/LinkedList.ts';
import type { ListState } from '../frame/listMachine.ts';
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { headNote, reword, seedTexts, type Rewording } from './reword.ts';

const ID = 'owner.inv(): self.list.len() > 0 ==> self.list_id != 0';
const idNonzero = (s: ListState) => s.owner.list.length === 0 || s.owner.listId !== 0n;

/**
 * The rewording of `seed` where HEAD keeps the seed's text for every clause but those in `changed`
 * (each checked against HEAD's source); `owner_inv.list_id_nonzero` gets HEAD's weaker reading.
 */
function headTexts<A, R>(
  seed: OpSpec<ListState, A, R>,
  changed: Readonly<Record<string, string>>,
  w: Omit<Rewording<ListState, A, R>, 'texts'> = {},
): Rewording<ListState, A, R> {
  const texts = seedTexts(seed);
  const idName = `${seed.name}.requires.owner_inv.list_id_nonzero`;
  const hasId = idName in texts;
  if (hasId) texts[idName] = ID;
  for (const [k, v] of Object.entries(changed)) texts[`${seed.name}.${k}`] = v;
  // HEAD's relate_region (the slot's in_list_perm carries the id; meta_wf_at) where the seed's is named.
  const reqRel = `${seed.name}.requires.relate_region`;
  const ensRel = `${seed.name}.ensures.relate_region`;
  return {
    ...w,
    texts,
    requiresHolds: {
      ...w.requiresHolds,
      ...(hasId && { [idName]: (c: PreCtx<ListState, A>) => idNonzero(c.old) }),
      ...(reqRel in texts && { [reqRel]: (c: PreCtx<ListState, A>) => headRelateRegion(c.old.owner, c.old.regions) }),
    },
    ...(ensRel in texts && {
      ensuresHolds: {
        ...w.ensuresHolds,
        [ensRel]: (c: PostCtx<ListState, A, R>) => headRelateRegion(c.final.owner, c.final.regions),
      },
    }),
  };
}

/** `LinkedList::size(&self)` with `Tracked(owner)`. */
export const headListSize = reword(listSize, headTexts(listSize, { 'ensures.len': 's == owner@.list.len()' }));
/** `LinkedList::is_empty(&self)` with `Tracked(owner)`. */
export const headListIsEmpty = reword(listIsEmpty, headTexts(listIsEmpty, {}));
/** `LinkedList::push_front(&mut self, frame)` with `Tracked(regions)`, `Tracked(owner)`, `Tracked(frame_own)`. */
export const headListPushFront = reword(listPushFront, headTexts(listPushFront, {}));
/** `LinkedList::push_back(&mut self, frame)`. */
export const headListPushBack = reword(
  listPushBack,
  headTexts(listPushBack, {
    'ensures.insert_before_last':
      'old(owner).list.len() > 0 ==> final(owner).list == old(owner).list.insert(old(owner).list.len() - 1, final(frame_own).meta_own)',
  }),
);
const popTexts = (at: string) => ({
  'ensures.model_meta': `r.is_some() ==> (r->0).1@@.meta == owner.list[${at}]@`,
  'ensures.frame_link_inv': 'r.is_some() ==> (r->0).1@.frame_link_inv(*final(regions))',
});
/** `LinkedList::pop_front(&mut self)` with `Tracked(regions)`, `Tracked(owner)`. */
export const headListPopFront = reword(listPopFront, headTexts(listPopFront, popTexts('0')));
/** `LinkedList::pop_back(&mut self)`. */
export const headListPopBack = reword(listPopBack, headTexts(listPopBack, popTexts('owner.list.len() - 1')));
/** `LinkedList::contains(&mut self, frame)` with `Tracked(regions)`, `Tracked(slot_own)`, `Tracked(owner)`. */
export const headListContains = reword(listContains, headTexts(listContains, {}));
/** `LinkedList::cursor_mut_at(&mut self, frame)` with `Tracked(regions)`, `Tracked(owner)`. */
export const headListCursorMutAt = reword(
  listCursorMutAt,
  headTexts(
    listCursorMutAt,
    { 'ensures.unsafe_none': '!valid_frame_paddr(frame) ==> r is None' },
    { renames: { 'LinkedList::cursor_mut_at.ensures.unsafe_none': 'LinkedList::cursor_mut_at.ensures.invalid_none' } },
  ),
);
/** `LinkedList::cursor_front_mut(&mut self)` with `Tracked(owner)`. */
export const headListCursorFrontMut = reword(listCursorFrontMut, headTexts(listCursorFrontMut, {}));
/** `LinkedList::cursor_back_mut(&mut self)` with `Tracked(owner)`. */
export const headListCursorBackMut = reword(listCursorBackMut, headTexts(listCursorBackMut, {}));

const DR = 'LinkedList::drop';
const IDX = 'let idx = meta_to_index(s.0.list[i].paddr);';
const each = (body: string) => `forall|i: int| 0 <= i < s.0.list.len() ==> { ${IDX} ${body} }`;
const UNLISTED =
  'forall|idx: int| (forall|i: int| 0 <= i < s0.0.list.len() ==> idx != meta_to_index(s0.0.list[i].paddr)) ==>';
const droppedSlots = (s: ListState) => s.owner.list.map((l) => slotOfAddr(l.paddr));

/**
 * HEAD's `TrackDrop for LinkedList<M>` (`drop_requires`/`drop_ensures`): the seed's conjuncts in HEAD's
 * words (`meta_to_index`, `ref_count()`, `slot_vaddr`, `forall|idx: int|`), with HEAD's `inv()`s and
 * `relate_region`; the seed's `slots.contains_key` and `slot_owners.contains_key` are HEAD's
 * `s.1.contains(idx)` (both maps).
 */
export const headListDrop = reword(
  listDrop,
  headTexts(
    listDrop,
    {
      'requires.slots_contain': each('s.1.contains(idx)'),
      'requires.rc_unique': each('s.1.slot_owners[idx].ref_count() == REF_COUNT_UNIQUE'),
      'requires.no_obligation': each('s.1.frame_obligations.count(idx) == 0'),
      'requires.paths_empty': each('s.1.slot_owners[idx].paths_in_pt.is_empty()'),
      'ensures.listed_obligations':
        'forall|i: int| 0 <= i < s0.0.list.len() ==> { let idx = meta_to_index(s0.0.list[i].paddr); s1.1.frame_obligations.count(idx) == s0.1.frame_obligations.count(idx) }',
      'ensures.others_obligations': `${UNLISTED} s1.1.frame_obligations.count(idx) == s0.1.frame_obligations.count(idx)`,
      'ensures.others_usage': `${UNLISTED} s1.1.slot_owners[idx].usage == s0.1.slot_owners[idx].usage`,
      'ensures.others_self_addr': `${UNLISTED} s1.1.slot_owners[idx].slot_vaddr == s0.1.slot_owners[idx].slot_vaddr`,
      'ensures.others_paths_in_pt': `${UNLISTED} s1.1.slot_owners[idx].paths_in_pt == s0.1.slot_owners[idx].paths_in_pt`,
    },
    {
      renames: {
        [`${DR}.requires.slots_contain`]: `${DR}.requires.contains`,
        [`${DR}.ensures.others_self_addr`]: `${DR}.ensures.others_slot_vaddr`,
      },
      requiresHolds: {
        // HEAD's `LinkedListOwner::inv()`: an empty list may have no id; every element carries the id.
        [`${DR}.requires.owner_inv`]: (c) =>
          (c.old.owner.list.length === 0 || c.old.owner.listId !== 0n) &&
          c.old.owner.list.every((l) => l.inList === c.old.owner.listId),
        [`${DR}.requires.regions_inv`]: (c) => headRegionInv(c.old.regions, droppedSlots(c.old)),
        [`${DR}.requires.slots_contain`]: (c) =>
          droppedSlots(c.old).every((i) => slotsContain(c.old.regions, i) && slotOwnersContain(c.old.regions, i)),
      },
      ensuresHolds: {
        [`${DR}.ensures.regions_inv`]: (c) =>
          headRegionInv(c.final.regions, [...droppedSlots(c.old), ...ownersChanged(c.old.regions, c.final.regions)]),
      },
    },
  ),
);

/** HEAD's `drop_requires` conjuncts kept as notes (the seed's, in HEAD's words), and the one about the drop token. */
export const HEAD_LIST_DROP_NOTES: readonly ClauseNote[] = [
  note(
    `${DR}.requires.owners_contain`,
    'forall|i: int| 0 <= i < s.0.list.len() ==> s.1.contains(meta_to_index(s.0.list[i].paddr))',
    'HEAD states this conjunct twice (here without the `let idx`): it is checked once, as `LinkedList::drop.requires.contains`',
  ),
  headNote(
    LIST_DROP_NOTES,
    `${DR}.requires.distinct`,
    'forall|i: int, j: int| 0 <= i < j < s.0.list.len() ==> meta_to_index(s.0.list[i].paddr) != meta_to_index(s.0.list[j].paddr)',
  ),
  note(
    `${DR}.requires.obl_key`,
    'obl.value() == self.list_id',
    'the list drop obligation (`DropObligation<u64>` keyed by the list id) is not modeled: the checked list has no token to hand to its drop',
  ),
];

/** HEAD's `LinkedList` conjuncts that cannot fail in this representation, and why. */
export const HEAD_LINKED_LIST_NOTES: readonly ClauseNote[] = [
  note(
    'LinkedListOwner::inv.repr_perms_len',
    'self.repr_perms.len() == self.list.len() (also a conjunct of relate_region)',
    "the model's list owner keeps one link owner per element and no separate `Repr` permission sequence: the two lengths are one length",
  ),
];

/** Every HEAD `LinkedList` op spec, in the seed's order. */
export const HEAD_LINKED_LIST_OPS = [
  headListSize,
  headListIsEmpty,
  headListPushFront,
  headListPopFront,
  headListPushBack,
  headListPopBack,
  headListContains,
  headListCursorMutAt,
  headListCursorFrontMut,
  headListCursorBackMut,
  headListDrop,
] as const;

/** The `LinkedList` op specs of one spec version, as the checked list layer runs them. */
export type ListOpTable = Readonly<{
  size: typeof listSize;
  isEmpty: typeof listIsEmpty;
  pushFront: typeof listPushFront;
  pushBack: typeof listPushBack;
  popFront: typeof listPopFront;
  popBack: typeof listPopBack;
  contains: typeof listContains;
  cursorMutAt: typeof listCursorMutAt;
  cursorFrontMut: typeof listCursorFrontMut;
  cursorBackMut: typeof listCursorBackMut;
  drop: typeof listDrop;
}>;

const SEED: ListOpTable = Object.freeze({
  size: listSize,
  isEmpty: listIsEmpty,
  pushFront: listPushFront,
  pushBack: listPushBack,
  popFront: listPopFront,
  popBack: listPopBack,
  contains: listContains,
  cursorMutAt: listCursorMutAt,
  cursorFrontMut: listCursorFrontMut,
  cursorBackMut: listCursorBackMut,
  drop: listDrop,
});
const HEAD: ListOpTable = Object.freeze({
  size: headListSize,
  isEmpty: headListIsEmpty,
  pushFront: headListPushFront,
  pushBack: headListPushBack,
  popFront: headListPopFront,
  popBack: headListPopBack,
  contains: headListContains,
  cursorMutAt: headListCursorMutAt,
  cursorFrontMut: headListCursorFrontMut,
  cursorBackMut: headListCursorBackMut,
  drop: headListDrop,
});

/** The `LinkedList` op specs of `spec`. */
export function listOpsOf(spec: SpecVersion): ListOpTable {
  return spec === 'head' ? HEAD : SEED;
}
