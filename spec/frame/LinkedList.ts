/**
 * The op specs of `LinkedList<M>`: `size`, `is_empty`, `push_front`, `push_back`, `pop_front`,
 * `pop_back`, `contains`, `cursor_mut_at`, `cursor_front_mut` and `cursor_back_mut`.
 *
 * `push_back` carries both vostd's clause (the frame lands at position `len − 1`: vostd starts its
 * cursor at the back element and inserts *before* it) and upstream's (the frame is appended: upstream
 * starts at the ghost non-element), so a checked run of the upstream implementation shows vostd's
 * clause false. `next` follows upstream.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/linked_list.rs`; upstream `ostd/src/mm/frame/linked_list.rs`
 */
import type { Clause, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies } from '../meta/clause.ts';
import { frameToIndex, frameToMeta, hasSafeSlot, metaAddr } from '../meta/mapping.ts';
import { regionEq, slotOwner, slotOwnersDomEq, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { META_SLOT_OWNER_INV, rc } from '../meta/MetaSlotOwner.ts';
import type { FrameIndex, ModelParams, Paddr, Vaddr } from '../vocab.ts';
import { neverPanics, ownersContain, PANIC, regionInv, ret, slotsUnchanged } from './regionFacts.ts';
import {
  backOwner,
  frameLinkInv,
  frontOwner,
  linkFrameOwnerAt,
  linksEq,
  listOwnerInv,
  listWf,
  listWfRegion,
  relateRegion,
  relateRegionFailure,
  seqInsert,
  seqRemove,
  slotOfAddr,
  cursorWfRegion,
  type LinkFrameOwner,
  type LinkOwner,
} from './LinkedListOwner.ts';
import {
  idExhausted,
  indexOfCurrent,
  insertBefore,
  listState,
  takeCurrent,
  withLazyId,
  type ListState,
} from './listMachine.ts';
import { globalInv, uniqueOwnerInv, uniqueWf, type UniqueFrameValue } from './UniqueFrame.ts';

/** The arguments of an insertion: the unique frame and its tracked `UniqueFrameOwner<Link<M>>`. */
export type InsertArgs = Readonly<{ unique: UniqueFrameValue; frameOwn: LinkFrameOwner }>;
/** What an insertion leaves in `frame_own` (`final(frame_own)`). */
export type InsertResult = Readonly<{ frameOwn: LinkFrameOwner }>;
/** A frame taken out of a list: `Some((UniqueFrame, Tracked<UniqueFrameOwner>))`, or `None` (`null`). */
export type TakeResult = Readonly<{ unique: UniqueFrameValue; frameOwn: LinkFrameOwner }> | null;
/** A new cursor: its `current` and the index of its `CursorOwner`. */
export type CursorResult = Readonly<{ current: Vaddr | null; index: number }>;
type Empty = Readonly<Record<string, never>>;

const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const slotsOf = (s: ListState): FrameIndex[] => s.owner.list.map((l) => slotOfAddr(l.paddr)).filter(ownersContain);

/** `a == b` on two list ghosts: region, exec fields, owner and id counter. */
export function listStateEq(a: ListState, b: ListState): boolean {
  return (
    regionEq(a.regions, b.regions) &&
    a.list.front === b.list.front &&
    a.list.back === b.list.back &&
    a.list.size === b.list.size &&
    a.list.listId === b.list.listId &&
    linksEq(a.owner.list, b.owner.list) &&
    a.owner.listId === b.owner.listId &&
    a.nextId === b.nextId
  );
}

// Shared clauses --------------------------------------------------------------------------------------------

/** `old(self).wf_region(*old(owner), *old(regions))` and `old(owner).relate_region(*old(regions))`. */
function listRequires<A>(op: string): Clause<PreCtx<ListState, A>>[] {
  const req = clauseMaker<PreCtx<ListState, A>>(op, 'requires');
  return [
    req(
      'wf_region',
      'old(self).wf_region(*old(owner), *old(regions))',
      (c) => every(listWfRegion(c.old.list, c.old.owner, c.old.regions)),
      (c) => ({
        conjuncts: listWfRegion(c.old.list, c.old.owner, c.old.regions),
        exec: c.old.list,
      }),
    ),
    req(
      'relate_region',
      'old(owner).relate_region(*old(regions))',
      (c) => relateRegion(c.old.owner, c.old.regions),
      (c) => ({
        failure: relateRegionFailure(c.old.owner, c.old.regions),
      }),
    ),
  ];
}

/** The requirements on the frame being inserted: an unlinked unique `Link` frame with a valid owner. */
export function insertFrameRequires<S extends { regions: MetaRegionOwners }>(
  op: string,
): Clause<PreCtx<S, InsertArgs>>[] {
  const req = clauseMaker<PreCtx<S, InsertArgs>>(op, 'requires');
  return [
    req('frame_own_inv', 'old(frame_own).inv()', (c) => every(uniqueOwnerInv(c.args.frameOwn, c.p))),
    req(
      'frame_global_inv',
      'old(frame_own).global_inv(*old(regions))',
      (c) => every(globalInv(c.args.frameOwn, c.old.regions)),
      (c) => ({
        conjuncts: globalInv(c.args.frameOwn, c.old.regions),
      }),
    ),
    req('frame_wf', 'frame.wf(*old(frame_own))', (c) => uniqueWf(c.args.unique, c.args.frameOwn)),
    req(
      'frame_link_inv',
      'old(frame_own).frame_link_inv(*old(regions))',
      (c) => every(frameLinkInv(c.args.frameOwn, c.old.regions)),
      (c) => ({
        conjuncts: frameLinkInv(c.args.frameOwn, c.old.regions),
      }),
    ),
  ];
}

const insEns = <S>(op: string) => clauseMaker<PostCtx<S, InsertArgs, InsertResult>>(op, 'ensures');
const linkOf = (o: LinkFrameOwner): LinkOwner => ({ paddr: o.metaOwn.paddr, inList: o.metaOwn.inList });

/** The ensures every insertion shares: ids, the inserted link's `paddr` and `in_list`, and the redeemed obligation. */
export function insertEnsures<S extends { regions: MetaRegionOwners }>(
  op: string,
  listId: (s: S) => bigint,
): Clause<PostCtx<S, InsertArgs, InsertResult>>[] {
  const ens = insEns<S>(op);
  return [
    ens('id_preserved', 'old(owner).list_id != 0 ==> final(owner).list_id == old(owner).list_id', (c) =>
      implies(listId(c.old) !== 0n, () => listId(c.final) === listId(c.old)),
    ),
    ens('id_nonzero', 'final(owner).list_id != 0', (c) => listId(c.final) !== 0n),
    ens(
      'in_list',
      'final(frame_own).meta_own.in_list == final(owner).list_id',
      (c) => c.result.frameOwn.metaOwn.inList === listId(c.final),
      (c) => ({
        in_list: c.result.frameOwn.metaOwn.inList,
        list_id: listId(c.final),
      }),
    ),
    ens(
      'obligations',
      'UniqueFrame::into_raw inside insert_before: final(regions).frame_obligations =~= old(regions).frame_obligations.remove(frame index)',
      (c) => c.final.regions.frameObligations.equals(c.old.regions.frameObligations.redeem(c.args.frameOwn.slotIndex)),
      undefined,
      'vostd-head',
    ),
  ];
}

/** The `may_panic` of an op that calls `lazy_get_id`: the global list-id counter is exhausted (upstream `abort()`). */
function idPanic<A>(op: string, also: (c: PreCtx<ListState, A>) => boolean = () => true): Clause<PreCtx<ListState, A>> {
  return clauseMaker<PreCtx<ListState, A>>(op, 'may_panic')(
    'id_exhausted',
    'lazy_get_id: self.list_id == 0 && LIST_ID_ALLOCATOR.fetch_add(1) >= MAX_LIST_ID ==> abort()',
    (c) => also(c) && idExhausted(c.old.list, c.old.nextId),
    (c) => ({ list_id: c.old.list.listId, 'next id': c.old.nextId }),
    'upstream',
  );
}

/** The `may_panic` of an insertion: an exhausted id counter, or an upstream `debug_assert!` on a linked frame or broken neighbour. */
function insertPanic(
  op: string,
  at: (c: PreCtx<ListState, InsertArgs>) => Vaddr | null,
): Clause<PreCtx<ListState, InsertArgs>> {
  return clauseMaker<PreCtx<ListState, InsertArgs>>(op, 'may_panic')(
    'id_exhausted_or_debug_assert',
    'lazy_get_id aborts when the id counter is exhausted; insert_before debug_assert!s that the frame is unlinked with in_list == 0 and that its neighbours link back',
    (c) => insertBefore(c.old.regions, c.old.list, at(c), c.args.frameOwn.slotIndex, c.old.nextId) === 'abort',
    (c) => ({ list_id: c.old.list.listId, 'next id': c.old.nextId }),
    'upstream',
  );
}

const touched = (c: { old: ListState; final: ListState }, extra: readonly FrameIndex[]) => [
  ...slotsOf(c.old),
  ...slotsOf(c.final),
  ...extra.filter(ownersContain),
];

// push_front, push_back ----------------------------------------------------------------------------------------

type PushPre = PreCtx<ListState, InsertArgs>;
type PushPost = PostCtx<ListState, InsertArgs, InsertResult>;

function pushNext(c: PushPre, at: Vaddr | null) {
  const i = c.args.frameOwn.slotIndex;
  const out = insertBefore(c.old.regions, c.old.list, at, i, c.old.nextId);
  if (out === 'abort') return PANIC;
  return ret(listState(out.regions, out.list, out.nextId), { frameOwn: linkFrameOwnerAt(out.regions, i) });
}

function pushSpec(
  op: 'push_front' | 'push_back',
  listClauses: Clause<PushPost>[],
  at: (c: PushPre) => Vaddr | null,
): OpSpec<ListState, InsertArgs, InsertResult> {
  const name = `LinkedList::${op}`;
  const req = clauseMaker<PushPre>(name, 'requires');
  const ens = clauseMaker<PushPost>(name, 'ensures');
  return Object.freeze({
    name,
    rust: name,
    source: 'ostd/src/mm/frame/linked_list.rs',
    requires: [
      ...listRequires<InsertArgs>(name),
      ...insertFrameRequires<ListState>(name),
      req('regions_inv', 'old(regions).inv()', (c) =>
        regionInv(c.old.regions, [...slotsOf(c.old), c.args.frameOwn.slotIndex].filter(ownersContain)),
      ),
    ],
    mayPanic: insertPanic(name, at),
    ensures: [
      ens(
        'relate_region',
        'final(owner).relate_region(*final(regions))',
        (c) => relateRegion(c.final.owner, c.final.regions),
        (c) => ({
          failure: relateRegionFailure(c.final.owner, c.final.regions),
        }),
      ),
      ens('regions_inv', 'final(regions).inv()', (c) =>
        regionInv(c.final.regions, touched(c, [c.args.frameOwn.slotIndex])),
      ),
      ...listClauses,
      ...insertEnsures<ListState>(name, (s) => s.owner.listId),
      ens(
        'wf_region',
        'final(self).wf_region(*final(owner), *final(regions)) (upstream keeps front, back and size coherent)',
        (c) => every(listWfRegion(c.final.list, c.final.owner, c.final.regions)),
        (c) => ({ conjuncts: listWfRegion(c.final.list, c.final.owner, c.final.regions) }),
        'upstream',
      ),
    ],
    next: (c) => pushNext(c, at(c)),
    footprint: (a) => [a.frameOwn.slotIndex],
  });
}

const pushEns = (op: string) => clauseMaker<PushPost>(`LinkedList::${op}`, 'ensures');
const inserted = (c: PushPost, i: number) =>
  linksEq(c.final.owner.list, seqInsert(c.old.owner.list, i, linkOf(c.result.frameOwn)));
const listsExplain = (c: PushPost) => ({
  old: c.old.owner.list,
  final: c.final.owner.list,
  link: linkOf(c.result.frameOwn),
});

/** `LinkedList::push_front(frame)`: the frame becomes element 0. */
export const listPushFront = pushSpec(
  'push_front',
  [
    pushEns('push_front')(
      'list',
      'final(owner).list == old(owner).list.insert(0, final(frame_own).meta_own)',
      (c) => inserted(c, 0),
      listsExplain,
    ),
  ],
  (c) => c.old.list.front,
);

/** `LinkedList::push_back(frame)`: vostd inserts before the last element; upstream appends. */
export const listPushBack = pushSpec(
  'push_back',
  [
    pushEns('push_back')(
      'insert_before_last',
      'old(owner).list.len() > 0 ==> final(owner).list == old(owner).list.insert(old(owner).list.len() as int - 1, final(frame_own).meta_own)',
      (c) => implies(c.old.owner.list.length > 0, () => inserted(c, c.old.owner.list.length - 1)),
      listsExplain,
    ),
    pushEns('push_back')(
      'insert_empty',
      'old(owner).list.len() == 0 ==> final(owner).list == old(owner).list.insert(0, final(frame_own).meta_own)',
      (c) => implies(c.old.owner.list.length === 0, () => inserted(c, 0)),
    ),
    pushEns('push_back')(
      'append',
      'push_back appends: cursor_at_ghost_mut().insert_before(frame), so final(owner).list == old(owner).list.push(final(frame_own).meta_own)',
      (c) => inserted(c, c.old.owner.list.length),
      listsExplain,
      'upstream',
    ),
  ],
  () => null,
);

// pop_front, pop_back -------------------------------------------------------------------------------------------

type PopPre = PreCtx<ListState, Empty>;
type PopPost = PostCtx<ListState, Empty, TakeResult>;

function popSpec(op: 'pop_front' | 'pop_back'): OpSpec<ListState, Empty, TakeResult> {
  const name = `LinkedList::${op}`;
  const front = op === 'pop_front';
  const req = clauseMaker<PopPre>(name, 'requires');
  const ens = clauseMaker<PopPost>(name, 'ensures');
  const pos = (s: ListState) => (front ? 0 : s.owner.list.length - 1);
  const at = (s: ListState) => (front ? s.list.front : s.list.back);
  const takenIdx = (c: PopPost) => (c.result === null ? -1 : c.result.frameOwn.slotIndex);
  return Object.freeze({
    name,
    rust: name,
    source: 'ostd/src/mm/frame/linked_list.rs',
    requires: [
      req('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old.regions, slotsOf(c.old))),
      ...listRequires<Empty>(name),
    ],
    mayPanic: clauseMaker<PopPre>(name, 'may_panic')(
      'debug_assert',
      'take_current debug_assert!s that the neighbours of the taken frame link back to it',
      (c) => takeCurrent(c.old.regions, c.old.list, at(c.old)) === 'abort',
      undefined,
      'upstream',
    ),
    ensures: [
      ens('empty_none', 'owner.list.len() == 0 ==> r.is_none()', (c) =>
        implies(c.old.owner.list.length === 0, () => c.result === null),
      ),
      ens(
        'model_meta',
        `r.is_some() ==> r.unwrap().0.model(r.unwrap().1@).meta == owner.list[${front ? '0' : 'owner.list.len() - 1'}]@`,
        (c) => c.result === null || c.result.frameOwn.metaOwn.paddr === c.old.owner.list[pos(c.old)]?.paddr,
        (c) => ({ taken: c.result?.frameOwn.metaOwn.paddr, expected: c.old.owner.list[pos(c.old)]?.paddr }),
      ),
      ens(
        'frame_link_inv',
        'r.is_some() ==> r.unwrap().1@.frame_link_inv(*final(regions))',
        (c) => c.result === null || every(frameLinkInv(c.result.frameOwn, c.final.regions)),
      ),
      ens(
        'obligations',
        'r.is_some() ==> UniqueFrame::from_raw in take_current: frame_obligations =~= old.insert(taken index)',
        (c) =>
          c.result === null
            ? c.final.regions.frameObligations.equals(c.old.regions.frameObligations)
            : c.final.regions.frameObligations.equals(c.old.regions.frameObligations.mint(takenIdx(c))),
        undefined,
        'vostd-head',
      ),
      ens(
        'some_if_nonempty',
        'a non-empty list yields Some',
        (c) => implies(c.old.owner.list.length > 0, () => c.result !== null),
        undefined,
        'upstream',
      ),
      ens(
        'list',
        `r.is_some() ==> final(owner).list == owner.list.remove(${front ? '0' : 'len - 1'})`,
        (c) => c.result === null || linksEq(c.final.owner.list, seqRemove(c.old.owner.list, pos(c.old))),
        (c) => ({ old: c.old.owner.list, final: c.final.owner.list }),
        'upstream',
      ),
      ens(
        'taken_unique',
        'r.is_some() ==> the taken slot is REF_COUNT_UNIQUE with in_list == 0',
        (c) => {
          if (c.result === null) return true;
          const o = slotOwner(c.final.regions, takenIdx(c));
          return rc(o) === c.p.refCountUnique && o.innerPerms.inList.value === 0n;
        },
        undefined,
        'upstream',
      ),
      ens(
        'wf_region',
        'final(self).wf_region(final owner, *final(regions)) && final owner relate_region',
        (c) =>
          every(listWfRegion(c.final.list, c.final.owner, c.final.regions)) &&
          relateRegion(c.final.owner, c.final.regions),
        (c) => ({
          conjuncts: listWfRegion(c.final.list, c.final.owner, c.final.regions),
          failure: relateRegionFailure(c.final.owner, c.final.regions),
        }),
        'upstream',
      ),
      ens(
        'regions_inv',
        'final(regions).inv()',
        (c) => regionInv(c.final.regions, touched(c, [takenIdx(c)])),
        undefined,
        'upstream',
      ),
    ],
    next: (c) => {
      const out = takeCurrent(c.old.regions, c.old.list, at(c.old));
      if (out === 'abort') return PANIC;
      const s = listState(out.regions, out.list, c.old.nextId);
      if (out.taken === null) return ret(s, null);
      return ret(s, { unique: { ptr: metaAddr(out.taken) }, frameOwn: linkFrameOwnerAt(out.regions, out.taken) });
    },
    footprint: () => [],
  });
}

/** `LinkedList::pop_front()`. */
export const listPopFront = popSpec('pop_front');
/** `LinkedList::pop_back()`. */
export const listPopBack = popSpec('pop_back');

// contains, cursor_mut_at -----------------------------------------------------------------------------------------

/** The arguments of `contains` and `cursor_mut_at`. */
export type FrameAddrArgs = Readonly<{ paddr: Paddr }>;
type CtPre = PreCtx<ListState, FrameAddrArgs>;
type CtPost = PostCtx<ListState, FrameAddrArgs, boolean>;
const ctReq = clauseMaker<CtPre>('LinkedList::contains', 'requires');
const ctEns = clauseMaker<CtPost>('LinkedList::contains', 'ensures');
const safe = (c: { args: FrameAddrArgs; p: ModelParams }) => hasSafeSlot(c.args.paddr, c.p.maxPaddr);
const memberOf = (s: ListState, paddr: Paddr) =>
  slotOwner(s.regions, frameToIndex(paddr)).innerPerms.inList.value === s.list.listId;
const sameOwner = (a: ListState, b: ListState) =>
  linksEq(a.owner.list, b.owner.list) && a.owner.listId === b.owner.listId;

function lazyIdNext<R>(c: PreCtx<ListState, FrameAddrArgs>, result: (s: ListState) => R, none: R) {
  if (!safe(c)) return ret(c.old, none);
  const out = withLazyId(c.old.list, c.old.nextId);
  if (out === 'abort') return PANIC;
  const s = listState(c.old.regions, out.list, out.nextId);
  return ret(s, result(s));
}

/** `LinkedList::contains(frame)`: whether the frame's `in_list` is this list's (lazily created) id. */
export const listContains: OpSpec<ListState, FrameAddrArgs, boolean> = Object.freeze({
  name: 'LinkedList::contains',
  rust: 'LinkedList::contains',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: [
    ctReq(
      'slot_own_inv',
      'slot_own.inv()',
      (c) =>
        !ownersContain(frameToIndex(c.args.paddr)) ||
        META_SLOT_OWNER_INV.every((i) =>
          i.holds({ value: slotOwner(c.old.regions, frameToIndex(c.args.paddr)), p: c.p }),
        ),
    ),
    ctReq('regions_inv', 'old(regions).inv()', (c) =>
      regionInv(c.old.regions, safe(c) ? [frameToIndex(c.args.paddr)] : []),
    ),
  ],
  mayPanic: idPanic<FrameAddrArgs>('LinkedList::contains', safe),
  ensures: [
    ctEns('owner_unchanged', 'old(owner).list_id != 0 ==> *final(owner) == *old(owner)', (c) =>
      implies(c.old.owner.listId !== 0n, () => sameOwner(c.old, c.final)),
    ),
    ctEns(
      'result',
      'res == (get_slot(frame) is Ok && slot.in_list.load() == self.lazy_get_id())',
      (c) => c.result === (safe(c) && memberOf(c.final, c.args.paddr)),
      (c) => ({
        res: c.result,
        in_list: safe(c) ? slotOwner(c.final.regions, frameToIndex(c.args.paddr)).innerPerms.inList.value : undefined,
        list_id: c.final.list.listId,
      }),
      'upstream',
    ),
    ctEns(
      'regions_unchanged',
      'contains reads in_list only: *final(regions) == *old(regions)',
      (c) => regionEq(c.old.regions, c.final.regions),
      undefined,
      'upstream',
    ),
  ],
  next: (c) => lazyIdNext(c, (s) => memberOf(s, c.args.paddr), false),
  footprint: (a) => [frameToIndex(a.paddr)],
});

type CaPost = PostCtx<ListState, FrameAddrArgs, CursorResult | null>;
const caEns = clauseMaker<CaPost>('LinkedList::cursor_mut_at', 'ensures');

/** `LinkedList::cursor_mut_at(frame)`: a cursor at the frame when `contains(frame)`. */
export const listCursorMutAt: OpSpec<ListState, FrameAddrArgs, CursorResult | null> = Object.freeze({
  name: 'LinkedList::cursor_mut_at',
  rust: 'LinkedList::cursor_mut_at',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: [
    clauseMaker<CtPre>('LinkedList::cursor_mut_at', 'requires')('regions_inv', 'old(regions).inv()', (c) =>
      regionInv(c.old.regions, safe(c) ? [frameToIndex(c.args.paddr)] : []),
    ),
  ],
  mayPanic: idPanic<FrameAddrArgs>('LinkedList::cursor_mut_at', safe),
  ensures: [
    caEns('unsafe_none', '!has_safe_slot(frame) ==> r is None', (c) => implies(!safe(c), () => c.result === null)),
    caEns('regions_inv', 'final(regions).inv()', (c) =>
      regionInv(c.final.regions, safe(c) ? [frameToIndex(c.args.paddr)] : []),
    ),
    caEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) =>
      slotsUnchanged(c.old.regions, c.final.regions),
    ),
    caEns('domain', 'final(regions).slot_owners.dom() == old(regions).slot_owners.dom()', (c) =>
      slotOwnersDomEq(c.old.regions, c.final.regions),
    ),
    caEns(
      'some_iff_member',
      'r is Some <==> (get_slot(frame) is Ok && slot.in_list.load() == self.lazy_get_id())',
      (c) => (c.result !== null) === (safe(c) && memberOf(c.final, c.args.paddr)),
      undefined,
      'upstream',
    ),
    caEns(
      'current',
      'r is Some ==> r.current == frame_to_meta(frame), at its position in the list',
      (c) =>
        c.result === null ||
        (c.result.current === frameToMeta(c.args.paddr) &&
          c.result.index === indexOfCurrent(c.final.owner, c.result.current)),
      undefined,
      'upstream',
    ),
    caEns(
      'regions_unchanged',
      '*final(regions) == *old(regions)',
      (c) => regionEq(c.old.regions, c.final.regions),
      undefined,
      'upstream',
    ),
  ],
  next: (c) =>
    lazyIdNext<CursorResult | null>(
      c,
      (s) =>
        memberOf(s, c.args.paddr)
          ? { current: frameToMeta(c.args.paddr), index: indexOfCurrent(s.owner, frameToMeta(c.args.paddr)) }
          : null,
      null,
    ),
  footprint: (a) => [frameToIndex(a.paddr)],
});

// cursor_front_mut, cursor_back_mut, size, is_empty ---------------------------------------------------------------

type RoPre = PreCtx<ListState, Empty>;

/** `old(self).wf(owner)` and `owner.inv()` (seed era: `list_id != 0` even for an empty list). */
function ownerRequires(op: string): Clause<RoPre>[] {
  const req = clauseMaker<RoPre>(op, 'requires');
  return [
    req(
      'wf',
      'old(self).wf(owner)',
      (c) => every(listWf(c.old.list, c.old.owner)),
      (c) => ({ conjuncts: listWf(c.old.list, c.old.owner) }),
    ),
    req(
      'owner_inv.list_id_nonzero',
      'owner.inv(): self.list_id != 0',
      (c) => listOwnerInv(c.old.owner).list_id_nonzero,
      (c) => ({ list_id: c.old.owner.listId, len: c.old.owner.list.length }),
    ),
    req(
      'owner_inv.in_list',
      'owner.inv(): forall|i| 0 <= i < self.list.len() ==> self.list[i].in_list == self.list_id',
      (c) => listOwnerInv(c.old.owner).in_list,
    ),
  ];
}

function cursorSpec(op: 'cursor_front_mut' | 'cursor_back_mut'): OpSpec<ListState, Empty, CursorResult> {
  const name = `LinkedList::${op}`;
  const ens = clauseMaker<PostCtx<ListState, Empty, CursorResult>>(name, 'ensures');
  const front = op === 'cursor_front_mut';
  const expected = (s: ListState) => (front ? frontOwner(s.owner) : backOwner(s.owner));
  return Object.freeze({
    name,
    rust: name,
    source: 'ostd/src/mm/frame/linked_list.rs',
    requires: ownerRequires(name),
    mayPanic: neverPanics<RoPre>(name),
    ensures: [
      ens(
        'cursor_wf',
        'r.0.wf(r.1@) (current is list[index], None at the ghost)',
        (c) =>
          every(
            cursorWfRegion(
              c.result.current,
              c.final.list,
              { listOwn: c.final.owner, index: c.result.index },
              c.final.regions,
            ),
          ),
        (c) => ({
          conjuncts: cursorWfRegion(
            c.result.current,
            c.final.list,
            { listOwn: c.final.owner, index: c.result.index },
            c.final.regions,
          ),
        }),
      ),
      ens(
        'owner_inv',
        'r.1@.inv() (0 <= index <= len && list_own.inv())',
        (c) => c.result.index >= 0 && c.result.index <= c.final.owner.list.length && every(listOwnerInv(c.final.owner)),
      ),
      ens(
        'owner',
        `r.1@ == CursorOwner::${front ? 'front_owner' : 'back_owner'}(owner)`,
        (c) => c.result.index === expected(c.old).index && sameOwner(c.old, c.final),
      ),
    ],
    next: (c) => ret(c.old, { current: front ? c.old.list.front : c.old.list.back, index: expected(c.old).index }),
    footprint: () => [],
  });
}

/** `LinkedList::cursor_front_mut()`: a cursor at element 0 (the ghost when empty). */
export const listCursorFrontMut = cursorSpec('cursor_front_mut');
/** `LinkedList::cursor_back_mut()`: a cursor at the last element (the ghost when empty). */
export const listCursorBackMut = cursorSpec('cursor_back_mut');

/** `LinkedList::size()`. */
export const listSize: OpSpec<ListState, Empty, number> = Object.freeze({
  name: 'LinkedList::size',
  rust: 'LinkedList::size',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: ownerRequires('LinkedList::size'),
  mayPanic: neverPanics<RoPre>('LinkedList::size'),
  ensures: [
    clauseMaker<PostCtx<ListState, Empty, number>>('LinkedList::size', 'ensures')(
      'len',
      's == self.model(owner).list.len()',
      (c) => c.result === c.old.owner.list.length,
      (c) => ({ s: c.result, len: c.old.owner.list.length }),
    ),
  ],
  next: (c) => ret(c.old, c.old.list.size),
  footprint: () => [],
});

type IePost = PostCtx<ListState, Empty, boolean>;
const ieEns = clauseMaker<IePost>('LinkedList::is_empty', 'ensures');

/** `LinkedList::is_empty()`. */
export const listIsEmpty: OpSpec<ListState, Empty, boolean> = Object.freeze({
  name: 'LinkedList::is_empty',
  rust: 'LinkedList::is_empty',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires: ownerRequires('LinkedList::is_empty'),
  mayPanic: neverPanics<RoPre>('LinkedList::is_empty'),
  ensures: [
    ieEns('empty', 'b ==> self.size == 0 && self.front is None && self.back is None', (c) =>
      implies(c.result, () => c.old.list.size === 0 && c.old.list.front === null && c.old.list.back === null),
    ),
    ieEns('non_empty', '!b ==> self.size > 0 && self.front is Some && self.back is Some', (c) =>
      implies(!c.result, () => c.old.list.size > 0 && c.old.list.front !== null && c.old.list.back !== null),
    ),
  ],
  next: (c) => ret(c.old, c.old.list.size === 0),
  footprint: () => [],
});

/** Every `LinkedList` op spec. */
export const LINKED_LIST_OPS = [
  listSize,
  listIsEmpty,
  listPushFront,
  listPopFront,
  listPushBack,
  listPopBack,
  listContains,
  listCursorMutAt,
  listCursorFrontMut,
  listCursorBackMut,
] as const;
