/**
 * The op specs of `CursorMut<M>`: `move_next`, `move_prev`, `current_meta`, `take_current` and
 * `insert_before`, with vostd's ghost-position semantics (the cursor owner's `index` is in `0..=len`,
 * `len` being the "ghost" non-element) and the `CursorModel` equations (`move_next_spec`, `remove`,
 * `insert`).
 *
 * The cursor owner's `index` is ghost state kept by proof code (`move_next_owner_spec`, …); its list is
 * read back from the links, so `wf_region` checks that the implementation's `current` really is the
 * element at the index the spec predicts.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/linked_list.rs` (`impl CursorMut`), `specs/.../linked_list_specs.rs`
 */
import type { Clause, ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies, note } from '../meta/clause.ts';
import { metaAddr } from '../meta/mapping.ts';
import { regionEq, slotOwner, slotOwnersDomEq, slotsChanged, slotsDomEq } from '../meta/MetaRegionOwners.ts';
import { rc } from '../meta/MetaSlotOwner.ts';
import { ghostEq, isInit } from '../meta/perms.ts';
import type { FrameIndex } from '../vocab.ts';
import {
  insertEnsures,
  insertFrameRequires,
  type InsertArgs,
  type InsertResult,
  type TakeResult,
} from './LinkedList.ts';
import {
  cursorInvRegion,
  cursorModel,
  cursorWfRegion,
  decodeLink,
  frameLinkInv,
  insertModel,
  linkFrameOwnerAt,
  linksEq,
  modelsEq,
  moveNextOwnerSpec,
  movePrevOwnerSpec,
  removeModel,
  seqInsert,
  seqRemove,
  slotOfAddr,
  withLink,
  type CursorModel,
  type CursorOwner,
} from './LinkedListOwner.ts';
import { cursorState, insertBefore, takeCurrent, type CursorState } from './listMachine.ts';
import { neverPanics, othersUnchanged, ownersContain, PANIC, regionInv, ret } from './regionFacts.ts';

type Empty = Readonly<Record<string, never>>;
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const slotsOf = (s: CursorState): FrameIndex[] =>
  s.owner.listOwn.list.map((l) => slotOfAddr(l.paddr)).filter(ownersContain);
const curIdx = (s: CursorState): FrameIndex => (s.current === null ? -1 : slotOfAddr(s.current));
const modelEq = (a: CursorModel, b: CursorModel) =>
  modelsEq(a.fore, b.fore) && modelsEq(a.rear, b.rear) && modelsEq(a.list, b.list);

/** `a == b` on two cursor ghosts. */
export function cursorStateEq(a: CursorState, b: CursorState): boolean {
  return (
    regionEq(a.regions, b.regions) &&
    a.current === b.current &&
    a.list.front === b.list.front &&
    a.list.back === b.list.back &&
    a.list.size === b.list.size &&
    a.list.listId === b.list.listId &&
    a.owner.index === b.owner.index &&
    linksEq(a.owner.listOwn.list, b.owner.listOwn.list) &&
    a.owner.listOwn.listId === b.owner.listOwn.listId &&
    a.nextId === b.nextId
  );
}

/** `owner.inv_region(*regions)` and `old(self).wf_region(owner, *regions)`: what every cursor op requires. */
function cursorRequires<A>(op: string): Clause<PreCtx<CursorState, A>>[] {
  const req = clauseMaker<PreCtx<CursorState, A>>(op, 'requires');
  return [
    req(
      'wf_region',
      'old(self).wf_region(*old(owner), *old(regions))',
      (c) => every(cursorWfRegion(c.old.current, c.old.list, c.old.owner, c.old.regions)),
      (c) => ({
        conjuncts: cursorWfRegion(c.old.current, c.old.list, c.old.owner, c.old.regions),
        index: c.old.owner.index,
        current: c.old.current,
      }),
    ),
    req(
      'inv_region',
      'old(owner).inv_region(*old(regions))',
      (c) => every(cursorInvRegion(c.old.owner, c.old.regions)),
      (c) => ({ conjuncts: cursorInvRegion(c.old.owner, c.old.regions) }),
    ),
  ];
}

// move_next, move_prev -----------------------------------------------------------------------------------------------

type MvPre = PreCtx<CursorState, Empty>;
type MvPost = PostCtx<CursorState, Empty, undefined>;

function moveSpec(op: 'move_next' | 'move_prev'): OpSpec<CursorState, Empty, undefined> {
  const name = `CursorMut::${op}`;
  const fwd = op === 'move_next';
  const ownerSpec = fwd ? moveNextOwnerSpec : movePrevOwnerSpec;
  const specName = fwd ? 'move_next' : 'move_prev';
  const ens = clauseMaker<MvPost>(name, 'ensures');
  const predicted = (c: MvPost): CursorOwner => ownerSpec(c.old.owner);
  return Object.freeze({
    name,
    rust: name,
    source: 'ostd/src/mm/frame/linked_list.rs',
    requires: cursorRequires<Empty>(name),
    mayPanic: neverPanics<MvPre>(name),
    ensures: [
      ens(
        'wf_region',
        `final(self).wf_region(owner.${specName}_owner_spec(), *regions)`,
        (c) => every(cursorWfRegion(c.final.current, c.final.list, predicted(c), c.old.regions)),
        (c) => ({
          conjuncts: cursorWfRegion(c.final.current, c.final.list, predicted(c), c.old.regions),
          'predicted index': predicted(c).index,
          current: c.final.current,
          expected: c.old.owner.listOwn.list[predicted(c).index]?.paddr ?? null,
        }),
      ),
      ens(
        'unchanged',
        'moving reads links only: the region and the list are unchanged',
        (c) =>
          regionEq(c.old.regions, c.final.regions) && linksEq(c.old.owner.listOwn.list, c.final.owner.listOwn.list),
        undefined,
        'upstream',
      ),
    ],
    next: (c) => {
      const s = c.old;
      const link = s.current === null ? undefined : decodeLink(s.regions, curIdx(s));
      const to = s.current === null ? (fwd ? s.list.front : s.list.back) : ((fwd ? link?.next : link?.prev) ?? null);
      const current = to === null ? null : typeof to === 'number' ? metaAddr(to) : to;
      return ret(cursorState(s.regions, s.list, current, ownerSpec(s.owner).index, s.nextId), undefined);
    },
    footprint: () => [],
  });
}

/**
 * The cursor and list ensures whose both sides the checked layer builds from one slot, and those of
 * `move_next`/`move_prev` that read only the old cursor owner and `*regions` (which the move takes by shared
 * reference): lemmas about the spec functions, true whenever the requires hold.
 */
/** Why `take_current`'s `owner_inv` cannot fail here (shared with the HEAD table). */
export const TAKE_OWNER_INV_WHY =
  "`owner.inv()` is `slot_index < max_nr_pages() && slot_index < max_meta_slots()`; the checked layer builds the owner from the implementation's memory at the returned slot (`CheckedLinkedList.ownerInMemory` reads its metadata and `in_list`), and memory answers only for an index in [0, max_nr_pages), so a wrong slot outside it throws (`CursorMut::take_current.unexpected_throw`) before the clause is evaluated and every slot that gets there meets it";

export const CURSOR_NOTES: readonly ClauseNote[] = [
  note(
    'CursorMut::take_current.ensures.res_wf',
    'res.is_some() ==> res.unwrap().0.wf(res.unwrap().1@)',
    "`wf` is `ptr == meta_addr(owner.slot_index)`: the handle's `ptr` and the owner's `slot_index` are both the one slot the implementation returned (`CheckedLinkedList.ownerInMemory`), so no body can make them disagree",
  ),
  note('CursorMut::take_current.ensures.owner_inv', 'res.is_some() ==> res.unwrap().1@.inv()', TAKE_OWNER_INV_WHY),
  ...['LinkedList::push_front', 'LinkedList::push_back', 'CursorMut::insert_before'].map((op) =>
    note(
      `${op}.ensures.paddr_kept`,
      'final(frame_own).meta_own.paddr == old(frame_own).meta_own.paddr',
      "the final owner is built from the slot the caller's frame names (`frameOwn`), whose `paddr` is the old owner's: no body can move it",
    ),
  ),
  ...(['move_next', 'move_prev'] as const).flatMap((op) => [
    note(
      `CursorMut::${op}.ensures.model`,
      `final(self).model(owner.${op}_owner_spec()) == old(self).model(owner).${op}_spec()`,
      `\`model(owner)\` reads the owner alone, so both sides are functions of the old owner: \`${op}_owner_spec\` and \`${op}_spec\` commute (a lemma, checked exhaustively in spec/frame/LinkedListOwner.test.ts); no body and no proof code of the move can make it false`,
    ),
    note(
      `CursorMut::${op}.ensures.inv_region`,
      `owner.${op}_owner_spec().inv_region(*regions)`,
      `a function of the old owner and of \`*regions\`, which the move takes by shared reference: it follows from the requires \`old(owner).inv_region(*old(regions))\` (the index stays in 0..=len), whatever the move does`,
    ),
  ]),
];

/** `CursorMut::move_next()`: towards the back; the last element → the ghost → the front. */
export const cursorMoveNext = moveSpec('move_next');
/** `CursorMut::move_prev()`: towards the front; the front → the ghost → the back. */
export const cursorMovePrev = moveSpec('move_prev');

// current_meta ---------------------------------------------------------------------------------------------------

/** The arguments of `current_meta`: the value the caller stores through the returned `&mut M`, if any. */
export type CurrentMetaArgs = Readonly<{ store: Readonly<{ value: unknown }> | null }>;
/** What `current_meta` returns: the current frame's metadata (before the store), or `None`. */
export type CurrentMetaResult = Readonly<{ meta: unknown }> | null;
type CmPre = PreCtx<CursorState, CurrentMetaArgs>;
type CmPost = PostCtx<CursorState, CurrentMetaArgs, CurrentMetaResult>;
const cmEns = clauseMaker<CmPost>('CursorMut::current_meta', 'ensures');

/** `CursorMut::current_meta()`: the current frame's metadata `M` (not its links). */
export const cursorCurrentMeta: OpSpec<CursorState, CurrentMetaArgs, CurrentMetaResult> = Object.freeze({
  name: 'CursorMut::current_meta',
  rust: 'CursorMut::current_meta',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: [
    ...cursorRequires<CurrentMetaArgs>('CursorMut::current_meta'),
    clauseMaker<CmPre>('CursorMut::current_meta', 'requires')('regions_inv', 'old(regions).inv()', (c) =>
      regionInv(c.old.regions, slotsOf(c.old)),
    ),
  ],
  mayPanic: neverPanics<CmPre>('CursorMut::current_meta'),
  ensures: [
    cmEns('index_kept', 'final(owner).index == old(owner).index', (c) => c.final.owner.index === c.old.owner.index),
    cmEns('list_kept', 'final(owner).list_own.list == old(owner).list_own.list', (c) =>
      linksEq(c.final.owner.listOwn.list, c.old.owner.listOwn.list),
    ),
    cmEns(
      'id_kept',
      'final(owner).list_own.list_id == old(owner).list_own.list_id',
      (c) => c.final.owner.listOwn.listId === c.old.owner.listOwn.listId,
    ),
    cmEns(
      'self_unchanged',
      '*final(self) == *old(self)',
      (c) => c.final.current === c.old.current && ghostEq(c.final.list, c.old.list),
    ),
    cmEns(
      'some_iff_in_bounds',
      'res.is_some() == (0 <= final(owner).index < final(owner).length())',
      (c) =>
        (c.result !== null) === (c.final.owner.index >= 0 && c.final.owner.index < c.final.owner.listOwn.list.length),
    ),
    cmEns(
      'domains',
      'final(regions).slots.dom() == old(regions).slots.dom() && final(regions).slot_owners.dom() == old(regions).slot_owners.dom()',
      (c) => slotsDomEq(c.old.regions, c.final.regions) && slotOwnersDomEq(c.old.regions, c.final.regions),
    ),
    cmEns(
      'value',
      'res == Some(&mut link.meta) of the current frame',
      (c) => c.result === null || ghostEq(c.result.meta, decodeLink(c.old.regions, curIdx(c.old))?.meta),
      undefined,
      'upstream',
    ),
    cmEns(
      'store',
      "a store through the result changes the current frame's M only: links, count, in_list and other slots unchanged",
      (c) => {
        const i = curIdx(c.old);
        if (c.old.current === null) return regionEq(c.old.regions, c.final.regions);
        const a = decodeLink(c.old.regions, i);
        const b = decodeLink(c.final.regions, i);
        const want = c.args.store === null ? a?.meta : c.args.store.value;
        const [x, y] = [slotOwner(c.old.regions, i), slotOwner(c.final.regions, i)];
        return (
          b !== undefined &&
          a !== undefined &&
          a.next === b.next &&
          a.prev === b.prev &&
          ghostEq(b.meta, want) &&
          rc(x) === rc(y) &&
          ghostEq(x.innerPerms.inList, y.innerPerms.inList) &&
          othersUnchanged(c.old.regions, c.final.regions, i)
        );
      },
      undefined,
      'upstream',
    ),
  ],
  next: (c) => {
    const s = c.old;
    if (s.current === null) return ret(s, null);
    const i = curIdx(s);
    const link = decodeLink(s.regions, i);
    if (link === undefined) return ret(s, null);
    const regions =
      c.args.store === null
        ? s.regions
        : withLink(s.regions, i, { next: link.next, prev: link.prev, meta: c.args.store.value });
    return ret(cursorState(regions, s.list, s.current, s.owner.index, s.nextId), { meta: link.meta });
  },
  footprint: () => [],
});

// take_current --------------------------------------------------------------------------------------------------

type TcPre = PreCtx<CursorState, Empty>;
type TcPost = PostCtx<CursorState, Empty, TakeResult>;
const tcEns = clauseMaker<TcPost>('CursorMut::take_current', 'ensures');
const taken = (c: TcPost) => curIdx(c.old);

/** The seed's facts about the slot `take_current` took out (`res.is_some() ==> { ... }`). */
function takenSlotFacts(c: TcPost) {
  const i = taken(c);
  const [a, b] = [slotOwner(c.old.regions, i), slotOwner(c.final.regions, i)];
  return {
    slots_dom: slotsChanged(c.old.regions, c.final.regions).length === 0,
    rc_unique: rc(b) === c.p.refCountUnique,
    in_list_zero: b.innerPerms.inList.value === 0n,
    storage_init: isInit(b.innerPerms.storage),
    vtable_init: isInit(b.innerPerms.vtablePtr),
    self_addr: b.selfAddr === metaAddr(i),
    paths_in_pt: ghostEq(a.pathsInPt, b.pathsInPt),
  };
}

/** `CursorMut::take_current()`: the current frame leaves the list (as a `UniqueFrame`); the cursor moves to the next. */
export const cursorTakeCurrent: OpSpec<CursorState, Empty, TakeResult> = Object.freeze({
  name: 'CursorMut::take_current',
  rust: 'CursorMut::take_current',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: [
    ...cursorRequires<Empty>('CursorMut::take_current'),
    clauseMaker<TcPre>('CursorMut::take_current', 'requires')('regions_inv', 'old(regions).inv()', (c) =>
      regionInv(c.old.regions, slotsOf(c.old)),
    ),
  ],
  mayPanic: clauseMaker<TcPre>('CursorMut::take_current', 'may_panic')(
    'debug_assert',
    'take_current debug_assert!s that the neighbours of the taken frame link back to it',
    (c) => takeCurrent(c.old.regions, c.old.list, c.old.current) === 'abort',
    undefined,
    'upstream',
  ),
  ensures: [
    tcEns('empty_none', 'old(owner).length() == 0 ==> res.is_none()', (c) =>
      implies(c.old.owner.listOwn.list.length === 0, () => c.result === null),
    ),
    tcEns('current_some', 'old(self).current.is_some() ==> res.is_some()', (c) =>
      implies(c.old.current !== null, () => c.result !== null),
    ),
    tcEns(
      'model_meta',
      'res.is_some() ==> res.unwrap().0.model(res.unwrap().1@).meta == old(owner).list_own.list[old(owner).index]@',
      (c) =>
        c.result === null || c.result.frameOwn.metaOwn.paddr === c.old.owner.listOwn.list[c.old.owner.index]?.paddr,
    ),
    tcEns(
      'model',
      'res.is_some() ==> final(self).model(*final(owner)) == old(self).model(*old(owner)).remove()',
      (c) => c.result === null || modelEq(cursorModel(c.final.owner), removeModel(cursorModel(c.old.owner))),
    ),
    tcEns(
      'frame_link_inv',
      'res.is_some() ==> res.unwrap().1@.frame_link_inv(*final(regions))',
      (c) => c.result === null || every(frameLinkInv(c.result.frameOwn, c.final.regions)),
      (c) => ({
        conjuncts: c.result === null ? undefined : frameLinkInv(c.result.frameOwn, c.final.regions),
      }),
    ),
    tcEns(
      'inv_region',
      'res.is_some() ==> final(owner).inv_region(*final(regions))',
      (c) => c.result === null || every(cursorInvRegion(c.final.owner, c.final.regions)),
    ),
    tcEns(
      'wf_region',
      'res.is_some() ==> final(self).wf_region(*final(owner), *final(regions))',
      (c) => c.result === null || every(cursorWfRegion(c.final.current, c.final.list, c.final.owner, c.final.regions)),
      (c) => ({
        conjuncts: cursorWfRegion(c.final.current, c.final.list, c.final.owner, c.final.regions),
      }),
    ),
    tcEns(
      'none_owner',
      'res.is_none() ==> *final(owner) =~= *old(owner)',
      (c) =>
        c.result !== null ||
        (c.final.owner.index === c.old.owner.index && linksEq(c.final.owner.listOwn.list, c.old.owner.listOwn.list)),
    ),
    tcEns('regions_inv', 'final(regions).inv()', (c) =>
      regionInv(c.final.regions, [...slotsOf(c.old), ...slotsOf(c.final)]),
    ),
    tcEns(
      'index_kept',
      'res.is_some() ==> final(owner).index == old(owner).index',
      (c) => c.result === null || c.final.owner.index === c.old.owner.index,
    ),
    tcEns(
      'list',
      'res.is_some() ==> final(owner).list_own.list == old(owner).list_own.list.remove(old(owner).index)',
      (c) =>
        c.result === null ||
        linksEq(c.final.owner.listOwn.list, seqRemove(c.old.owner.listOwn.list, c.old.owner.index)),
      (c) => ({ old: c.old.owner.listOwn.list, final: c.final.owner.listOwn.list, index: c.old.owner.index }),
    ),
    tcEns(
      'id_kept',
      'final(owner).list_own.list_id == old(owner).list_own.list_id',
      (c) => c.final.owner.listOwn.listId === c.old.owner.listOwn.listId,
    ),
    tcEns(
      'taken_slot',
      'res.is_some() ==> the taken slot: REF_COUNT_UNIQUE, in_list == 0, storage and vtable init, self_addr == meta_addr(idx), paths_in_pt kept',
      (c) => c.result === null || every(takenSlotFacts(c)),
      (c) => (c.result === null ? {} : { conjuncts: takenSlotFacts(c) }),
    ),
    tcEns(
      'others_kept',
      'res.is_some() ==> forall|j| j != idx ==> usage, self_addr and paths_in_pt of slot j unchanged',
      (c) => {
        if (c.result === null) return true;
        for (const j of slotsOf(c.old)) {
          if (j === taken(c)) continue;
          const [a, b] = [slotOwner(c.old.regions, j), slotOwner(c.final.regions, j)];
          if (a.usage !== b.usage || a.selfAddr !== b.selfAddr || !ghostEq(a.pathsInPt, b.pathsInPt)) return false;
        }
        return true;
      },
    ),
    tcEns(
      'none_regions',
      'res.is_none() ==> *final(regions) =~= *old(regions)',
      (c) => c.result !== null || regionEq(c.old.regions, c.final.regions),
    ),
    tcEns(
      'slot_index',
      'res.is_some() ==> res.unwrap().1@.slot_index == frame_to_index(meta_to_frame(old(self).current.unwrap().addr()))',
      (c) => c.result === null || c.result.frameOwn.slotIndex === taken(c),
    ),
    tcEns(
      'ptr',
      'res.is_some() ==> res.unwrap().0.ptr.addr() == old(self).current.unwrap().addr()',
      (c) => c.result === null || c.result.unique.ptr === c.old.current,
    ),
    tcEns(
      'obligations',
      'res.is_some() ==> final(regions).frame_obligations =~= old(regions).frame_obligations.insert(idx)',
      (c) =>
        c.result === null || c.final.regions.frameObligations.equals(c.old.regions.frameObligations.mint(taken(c))),
    ),
  ],
  next: (c) => {
    const s = c.old;
    const out = takeCurrent(s.regions, s.list, s.current);
    if (out === 'abort') return PANIC;
    const state = cursorState(out.regions, out.list, out.current, s.owner.index, s.nextId);
    if (out.taken === null) return ret(state, null);
    return ret(state, { unique: { ptr: metaAddr(out.taken) }, frameOwn: linkFrameOwnerAt(out.regions, out.taken) });
  },
  footprint: () => [],
});

// insert_before ------------------------------------------------------------------------------------------------

type IbPre = PreCtx<CursorState, InsertArgs>;
type IbPost = PostCtx<CursorState, InsertArgs, InsertResult>;
const ibEns = clauseMaker<IbPost>('CursorMut::insert_before', 'ensures');

/** `CursorMut::insert_before(frame)`: the frame goes before `current` (at the back when at the ghost). */
export const cursorInsertBefore: OpSpec<CursorState, InsertArgs, InsertResult> = Object.freeze({
  name: 'CursorMut::insert_before',
  rust: 'CursorMut::insert_before',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: [
    ...cursorRequires<InsertArgs>('CursorMut::insert_before'),
    clauseMaker<IbPre>('CursorMut::insert_before', 'requires')('regions_inv', 'old(regions).inv()', (c) =>
      regionInv(c.old.regions, [...slotsOf(c.old), c.args.frameOwn.slotIndex].filter(ownersContain)),
    ),
    ...insertFrameRequires<CursorState>('CursorMut::insert_before'),
  ],
  mayPanic: clauseMaker<IbPre>('CursorMut::insert_before', 'may_panic')(
    'id_exhausted_or_debug_assert',
    'lazy_get_id aborts when the id counter is exhausted; insert_before debug_assert!s that the frame is unlinked with in_list == 0 and that its neighbours link back',
    (c) => insertBefore(c.old.regions, c.old.list, c.old.current, c.args.frameOwn.slotIndex, c.old.nextId) === 'abort',
    undefined,
    'upstream',
  ),
  ensures: [
    ibEns('inv_region', 'final(owner).inv_region(*final(regions))', (c) =>
      every(cursorInvRegion(c.final.owner, c.final.regions)),
    ),
    ibEns(
      'wf_region',
      'final(self).wf_region(*final(owner), *final(regions))',
      (c) => every(cursorWfRegion(c.final.current, c.final.list, c.final.owner, c.final.regions)),
      (c) => ({
        conjuncts: cursorWfRegion(c.final.current, c.final.list, c.final.owner, c.final.regions),
      }),
    ),
    ibEns('regions_inv', 'final(regions).inv()', (c) =>
      regionInv(
        c.final.regions,
        [...slotsOf(c.old), ...slotsOf(c.final), c.args.frameOwn.slotIndex].filter(ownersContain),
      ),
    ),
    ibEns(
      'list',
      'final(owner).list_own.list == old(owner).list_own.list.insert(old(owner).index, final(frame_own).meta_own)',
      (c) =>
        linksEq(
          c.final.owner.listOwn.list,
          seqInsert(c.old.owner.listOwn.list, c.old.owner.index, {
            paddr: c.result.frameOwn.metaOwn.paddr,
            inList: c.result.frameOwn.metaOwn.inList,
          }),
        ),
      (c) => ({ old: c.old.owner.listOwn.list, final: c.final.owner.listOwn.list, index: c.old.owner.index }),
    ),
    ibEns(
      'index_inc',
      'final(owner).index == old(owner).index + 1',
      (c) => c.final.owner.index === c.old.owner.index + 1,
    ),
    ibEns(
      'model',
      'final(self).model(*final(owner)) == old(self).model(*old(owner)).insert(final(frame_own).meta_own@)',
      (c) =>
        modelEq(
          cursorModel(c.final.owner),
          insertModel(cursorModel(c.old.owner), { paddr: c.result.frameOwn.metaOwn.paddr }),
        ),
    ),
    ...insertEnsures<CursorState>('CursorMut::insert_before', (s) => s.owner.listOwn.listId),
  ],
  next: (c) => {
    const s = c.old;
    const i = c.args.frameOwn.slotIndex;
    const out = insertBefore(s.regions, s.list, s.current, i, s.nextId);
    if (out === 'abort') return PANIC;
    return ret(cursorState(out.regions, out.list, s.current, s.owner.index + 1, out.nextId), {
      frameOwn: linkFrameOwnerAt(out.regions, i),
    });
  },
  footprint: (a) => [a.frameOwn.slotIndex],
});

/** Every `CursorMut` op spec. */
export const CURSOR_OPS = [
  cursorMoveNext,
  cursorMovePrev,
  cursorCurrentMeta,
  cursorTakeCurrent,
  cursorInsertBefore,
] as const;
