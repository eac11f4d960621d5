/**
 * `TrackDrop for LinkedList<M>`: the seed's `drop_requires` and `drop_ensures`, conjunct by conjunct, over
 * `State = (LinkedListOwner<M>, MetaRegionOwners)` — `s.0`/`s0.0`/`s1.0` are the list owner, `s.1`/`s0.1`/
 * `s1.1` the region (a `ListState`'s `owner` and `regions`), `self` the list's exec fields.
 *
 * `consume_requires` (`obl_key == self.list_id`) is about the drop obligation token, which framecheck does
 * not model for lists; it is not mirrored. `next` is what upstream's drop does: `pop_front` until `None`,
 * each frame dropped (`UniqueFrame::drop`).
 *
 * @see vostd (seed era) `ostd/src/mm/frame/linked_list.rs`: `impl TrackDrop for LinkedList<M>`
 */
import type { Clause, ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, note } from '../meta/clause.ts';
import { ownersChanged, slotOwner, slotsContain, slotsDomEq, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { rc } from '../meta/MetaSlotOwner.ts';
import type { FrameIndex } from '../vocab.ts';
import { listOwnerInv, listWf, relateRegion, slotOfAddr } from './LinkedListOwner.ts';
import { listPopFront } from './LinkedList.ts';
import { listState, type ListState } from './listMachine.ts';
import { neverPanics, ownersContain, PANIC, regionInv, ret } from './regionFacts.ts';
import { uniqueDrop } from './UniqueFrame.ts';

const OP = 'LinkedList::drop';
type Empty = Readonly<Record<string, never>>;
type DropPre = PreCtx<ListState, Empty>;
type DropPost = PostCtx<ListState, Empty, undefined>;
const req = clauseMaker<DropPre>(OP, 'requires');
const ens = clauseMaker<DropPost>(OP, 'ensures');
const EMPTY: Empty = Object.freeze({});

const every = (parts: Readonly<Record<string, boolean>>) => Object.values(parts).every(Boolean);
/** `frame_to_index(meta_to_frame(s.0.list[i].paddr))` for every `i`. */
const listed = (s: ListState): FrameIndex[] => s.owner.list.map((l) => slotOfAddr(l.paddr));
/** `forall|i: int| 0 <= i < s.0.list.len() ==> { let idx = …; P(idx) }`. */
const forallListed = (s: ListState, p: (idx: FrameIndex) => boolean) => listed(s).every(p);
const IDX = 'let idx = frame_to_index(meta_to_frame(s.0.list[i].paddr));';
const forallText = (body: string) => `forall|i: int| 0 <= i < s.0.list.len() ==> { ${IDX} ${body} }`;

/** The indices where the two regions' owners or obligation counts differ (every other index reads the same). */
function changedIndices(a: MetaRegionOwners, b: MetaRegionOwners): FrameIndex[] {
  const out = new Set(ownersChanged(a, b));
  for (const [i, n] of a.frameObligations.entries()) if (b.frameObligations.count(i) !== n) out.add(i);
  for (const [i, n] of b.frameObligations.entries()) if (a.frameObligations.count(i) !== n) out.add(i);
  return [...out].sort((x, y) => x - y);
}

/**
 * `forall|idx: usize| (forall|i| 0 <= i < s0.0.list.len() ==> idx != …) ==> P(idx)`: `P` at every index
 * not listed in `s0` where the regions differ (elsewhere both sides read the same).
 */
const unlisted = (c: DropPost, p: (idx: FrameIndex) => boolean) => {
  const inList = new Set(listed(c.old));
  return changedIndices(c.old.regions, c.final.regions).every((idx) => inList.has(idx) || p(idx));
};
const UNLISTED =
  'forall|idx: usize| (forall|i: int| 0 <= i < s0.0.list.len() ==> idx != frame_to_index(meta_to_frame(s0.0.list[i].paddr))) ==>';

const requires: readonly Clause<DropPre>[] = [
  req(
    'wf',
    'self.wf(s.0)',
    (c) => every(listWf(c.old.list, c.old.owner)),
    (c) => listWf(c.old.list, c.old.owner),
  ),
  req(
    'owner_inv',
    's.0.inv()',
    (c) => every(listOwnerInv(c.old.owner)),
    (c) => listOwnerInv(c.old.owner),
  ),
  req('regions_inv', 's.1.inv()', (c) => regionInv(c.old.regions, listed(c.old))),
  req('slots_contain', forallText('s.1.slots.contains_key(idx)'), (c) =>
    forallListed(c.old, (idx) => slotsContain(c.old.regions, idx)),
  ),
  req(
    'rc_unique',
    forallText('s.1.slot_owners[idx].inner_perms.ref_count.value() == REF_COUNT_UNIQUE'),
    (c) => forallListed(c.old, (idx) => rc(slotOwner(c.old.regions, idx)) === c.p.refCountUnique),
    (c) => ({ counts: listed(c.old).map((idx) => rc(slotOwner(c.old.regions, idx))) }),
  ),
  req('no_obligation', forallText('s.1.frame_obligations.count(idx) == 0'), (c) =>
    forallListed(c.old, (idx) => c.old.regions.frameObligations.count(idx) === 0),
  ),
  req('paths_empty', forallText('s.1.slot_owners[idx].paths_in_pt.is_empty()'), (c) =>
    forallListed(c.old, (idx) => slotOwner(c.old.regions, idx).pathsInPt.size === 0),
  ),
  req('relate_region', 's.0.relate_region(s.1)', (c) => relateRegion(c.old.owner, c.old.regions)),
];

const ensures: readonly Clause<DropPost>[] = [
  ens('list_empty', 's1.0.list.len() == 0', (c) => c.final.owner.list.length === 0),
  ens(
    'listed_obligations',
    'forall|i: int| 0 <= i < s0.0.list.len() ==> { let idx = frame_to_index(meta_to_frame(s0.0.list[i].paddr)); s1.1.frame_obligations.count(idx) == s0.1.frame_obligations.count(idx) }',
    (c) =>
      forallListed(
        c.old,
        (idx) => c.final.regions.frameObligations.count(idx) === c.old.regions.frameObligations.count(idx),
      ),
  ),
  ens('others_obligations', `${UNLISTED} s1.1.frame_obligations.count(idx) == s0.1.frame_obligations.count(idx)`, (c) =>
    unlisted(c, (idx) => c.final.regions.frameObligations.count(idx) === c.old.regions.frameObligations.count(idx)),
  ),
  ens('others_usage', `${UNLISTED} s1.1.slot_owners[idx].usage == s0.1.slot_owners[idx].usage`, (c) =>
    unlisted(c, (idx) => slotOwner(c.final.regions, idx).usage === slotOwner(c.old.regions, idx).usage),
  ),
  ens('others_self_addr', `${UNLISTED} s1.1.slot_owners[idx].self_addr == s0.1.slot_owners[idx].self_addr`, (c) =>
    unlisted(c, (idx) => slotOwner(c.final.regions, idx).selfAddr === slotOwner(c.old.regions, idx).selfAddr),
  ),
  ens('others_paths_in_pt', `${UNLISTED} s1.1.slot_owners[idx].paths_in_pt == s0.1.slot_owners[idx].paths_in_pt`, (c) =>
    unlisted(c, (idx) => {
      const a = slotOwner(c.old.regions, idx).pathsInPt;
      const b = slotOwner(c.final.regions, idx).pathsInPt;
      return a.size === b.size && [...a].every((x) => b.has(x));
    }),
  ),
  ens('slots_dom', 's1.1.slots.dom() =~= s0.1.slots.dom()', (c) => slotsDomEq(c.old.regions, c.final.regions)),
  ens('regions_inv', 's1.1.inv()', (c) =>
    regionInv(
      c.final.regions,
      [...listed(c.old), ...changedIndices(c.old.regions, c.final.regions)].filter(ownersContain),
    ),
  ),
];

/** `Drop for LinkedList<M>` (`TrackDrop::drop_requires`/`drop_ensures`). */
export const listDrop: OpSpec<ListState, Empty, undefined> = Object.freeze({
  name: OP,
  rust: '<LinkedList<M> as Drop>::drop',
  source: 'ostd/src/mm/frame/linked_list.rs',
  requires,
  ensures,
  mayPanic: neverPanics<DropPre>(OP),
  next: (c) => {
    let s = c.old;
    // Upstream's drop: take the front frame and drop it, until the list is empty (one more pop answers `None`).
    for (let k = 0; k <= c.old.owner.list.length; k++) {
      const pop = listPopFront.next({ old: s, args: EMPTY, p: c.p });
      if (pop.kind === 'panic') return PANIC;
      if (pop.result === null) return ret(pop.final, undefined);
      const { unique, frameOwn } = pop.result;
      const dropped = uniqueDrop.next({ old: pop.final.regions, args: { unique, owner: frameOwn }, p: c.p });
      if (dropped.kind === 'panic') return PANIC;
      s = listState(dropped.final, pop.final.list, pop.final.nextId);
    }
    return PANIC;
  },
  footprint: () => [],
});

/**
 * The `drop_requires` conjuncts that cannot fail here, and why: the checked list's owner is read from the
 * links in memory (`viewListOwner`), which stops at a slot outside `[0, max_meta_slots)` and at a slot it
 * has visited.
 */
export const LIST_DROP_NOTES: readonly ClauseNote[] = [
  note(
    `${OP}.requires.owners_contain`,
    'forall|i: int| 0 <= i < s.0.list.len() ==> s.1.slot_owners.contains_key(frame_to_index(meta_to_frame(s.0.list[i].paddr)))',
    'the list owner read from the links keeps only slots inside [0, max_meta_slots), every one of which is in `slot_owners`',
  ),
  note(
    `${OP}.requires.distinct`,
    'forall|i: int, j: int| 0 <= i < j < s.0.list.len() ==> frame_to_index(meta_to_frame(s.0.list[i].paddr)) != frame_to_index(meta_to_frame(s.0.list[j].paddr))',
    'the list owner read from the links stops at a slot it has visited, so no slot is listed twice',
  ),
];
