/**
 * The ghost states of frame-list ops and upstream's list algorithms run on them: what `next` of every
 * list and cursor op is built from.
 *
 * The transitions follow upstream `ostd/src/mm/frame/linked_list.rs` field write by field write (each
 * `set*` re-reads the link it changes, as a Rust field assignment does), so that even a call on a
 * malformed list has one defined successor; a `debug_assert!` that would fire is an abort.
 *
 * @see upstream `ostd/src/mm/frame/linked_list.rs` (`CursorMut::{insert_before, take_current}`, `lazy_get_id`)
 */
import { metaAddr } from '../meta/mapping.ts';
import { slotOwner, withLedger, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import type { FrameIndex, Vaddr } from '../vocab.ts';
import {
  decodeLink,
  MAX_LIST_ID,
  slotOfAddr,
  viewListOwner,
  withInList,
  withLink,
  type CursorOwner,
  type LinkedListExec,
  type LinkedListOwner,
  type LinkStorage,
} from './LinkedListOwner.ts';

/** The ghost of a list op: the region, the list's exec fields, its owner, and the global id counter. */
export type ListState = Readonly<{
  regions: MetaRegionOwners;
  list: LinkedListExec;
  owner: LinkedListOwner;
  nextId: bigint;
}>;

/** The ghost of a cursor op: also the cursor's `current` and its owner (whose `index` proof code maintains). */
export type CursorState = Readonly<{
  regions: MetaRegionOwners;
  list: LinkedListExec;
  owner: CursorOwner;
  current: Vaddr | null;
  nextId: bigint;
}>;

/** A list state whose owner is read from the links. */
export function listState(regions: MetaRegionOwners, list: LinkedListExec, nextId: bigint): ListState {
  return Object.freeze({ regions, list, owner: viewListOwner(regions, list), nextId });
}

/** A cursor state whose list owner is read from the links and whose index is `index`. */
export function cursorState(
  regions: MetaRegionOwners,
  list: LinkedListExec,
  current: Vaddr | null,
  index: number,
  nextId: bigint,
): CursorState {
  return Object.freeze({
    regions,
    list,
    owner: Object.freeze({ listOwn: viewListOwner(regions, list), index }),
    current,
    nextId,
  });
}

/** The position of `current` in the list (`len` for the ghost, −1 when it is not in the list). */
export function indexOfCurrent(owner: LinkedListOwner, current: Vaddr | null): number {
  return current === null ? owner.list.length : owner.list.findIndex((l) => l.paddr === current);
}

/** The mutable scratch of one list algorithm run. */
type Run = {
  r: MetaRegionOwners;
  front: FrameIndex | null;
  back: FrameIndex | null;
  size: number;
  listId: bigint;
  nextId: bigint;
  current: FrameIndex | null;
};

const EMPTY_LINK: LinkStorage = Object.freeze({ next: null, prev: null, meta: null });
const linkOf = (run: Run, i: FrameIndex): LinkStorage => decodeLink(run.r, i) ?? EMPTY_LINK;
const setNext = (run: Run, i: FrameIndex, next: FrameIndex | null) => {
  const l = linkOf(run, i);
  run.r = withLink(run.r, i, { next, prev: l.prev, meta: l.meta });
};
const setPrev = (run: Run, i: FrameIndex, prev: FrameIndex | null) => {
  const l = linkOf(run, i);
  run.r = withLink(run.r, i, { next: l.next, prev, meta: l.meta });
};
const idx = (a: Vaddr | null) => (a === null ? null : slotOfAddr(a));
const addr = (i: FrameIndex | null) => (i === null ? null : metaAddr(i));

function start(regions: MetaRegionOwners, list: LinkedListExec, current: Vaddr | null, nextId: bigint): Run {
  return {
    r: regions,
    front: idx(list.front),
    back: idx(list.back),
    size: list.size,
    listId: list.listId,
    nextId,
    current: idx(current),
  };
}

function execOf(run: Run): LinkedListExec {
  return Object.freeze({ front: addr(run.front), back: addr(run.back), size: run.size, listId: run.listId });
}

/** `lazy_get_id`: the list's id, taking the next one from the global counter when it has none; `undefined` = abort. */
function lazyGetId(run: { listId: bigint; nextId: bigint }): bigint | undefined {
  if (run.listId !== 0n) return run.listId;
  const id = run.nextId;
  run.nextId = id + 1n;
  if (id >= MAX_LIST_ID) return undefined;
  run.listId = id;
  return id;
}

/** Whether `lazy_get_id` would abort on this list: no id yet and the counter exhausted. */
export function idExhausted(list: LinkedListExec, nextId: bigint): boolean {
  return list.listId === 0n && nextId >= MAX_LIST_ID;
}

/** The successor of `insert_before(frame)` at cursor `current`, or `'abort'` (a `debug_assert!` or an exhausted id counter). */
export function insertBefore(
  regions: MetaRegionOwners,
  list: LinkedListExec,
  current: Vaddr | null,
  frame: FrameIndex,
  nextId: bigint,
): Readonly<{ regions: MetaRegionOwners; list: LinkedListExec; nextId: bigint }> | 'abort' {
  const run = start(regions, list, current, nextId);
  const f = linkOf(run, frame);
  if (f.next !== null || f.prev !== null || slotOwner(regions, frame).innerPerms.inList.value !== 0n) return 'abort';
  const cur = run.current;
  if (cur !== null) {
    const prev = linkOf(run, cur).prev;
    if (prev !== null) {
      if (linkOf(run, prev).next !== cur) return 'abort';
      setNext(run, prev, frame);
      setPrev(run, frame, prev);
      setNext(run, frame, cur);
      setPrev(run, cur, frame);
    } else {
      if (run.front !== cur) return 'abort';
      setNext(run, frame, cur);
      setPrev(run, cur, frame);
      run.front = frame;
    }
  } else if (run.back !== null) {
    if (linkOf(run, run.back).next !== null) return 'abort';
    setNext(run, run.back, frame);
    setPrev(run, frame, run.back);
    run.back = frame;
  } else {
    if (run.front !== null) return 'abort';
    run.front = frame;
    run.back = frame;
  }
  const id = lazyGetId(run);
  if (id === undefined) return 'abort';
  run.r = withInList(run.r, frame, id);
  // `UniqueFrame::into_raw`: the frame's obligation is redeemed; the list now owns the frame.
  run.r = withLedger(run.r, run.r.frameObligations.redeem(frame));
  run.size += 1;
  return { regions: run.r, list: execOf(run), nextId: run.nextId };
}

/** The successor of `take_current()`: the taken frame (or `null` at the ghost), and the moved cursor; `'abort'` on a `debug_assert!`. */
export function takeCurrent(
  regions: MetaRegionOwners,
  list: LinkedListExec,
  current: Vaddr | null,
):
  | Readonly<{ regions: MetaRegionOwners; list: LinkedListExec; current: Vaddr | null; taken: FrameIndex | null }>
  | 'abort' {
  const run = start(regions, list, current, 0n);
  const cur = run.current;
  if (cur === null) return { regions, list, current, taken: null };
  // `UniqueFrame::from_raw`: the frame is a live value again and owes a drop.
  run.r = withLedger(run.r, run.r.frameObligations.mint(cur));
  const nextPtr = linkOf(run, cur).next;
  const prev = linkOf(run, cur).prev;
  if (prev !== null) {
    if (linkOf(run, prev).next !== cur) return 'abort';
    setNext(run, prev, nextPtr);
  } else run.front = nextPtr;
  const prevPtr = linkOf(run, cur).prev;
  const next = linkOf(run, cur).next;
  if (next !== null) {
    if (linkOf(run, next).prev !== cur) return 'abort';
    setPrev(run, next, prevPtr);
    run.current = next;
  } else {
    run.back = prevPtr;
    run.current = null;
  }
  setNext(run, cur, null);
  setPrev(run, cur, null);
  run.r = withInList(run.r, cur, 0n);
  run.size -= 1;
  return { regions: run.r, list: execOf(run), current: addr(run.current), taken: cur };
}

/** `lazy_get_id` on its own (`contains`, `cursor_mut_at`): the new exec fields and counter, or `'abort'`. */
export function withLazyId(
  list: LinkedListExec,
  nextId: bigint,
): Readonly<{ list: LinkedListExec; nextId: bigint; id: bigint }> | 'abort' {
  const run = { listId: list.listId, nextId };
  const id = lazyGetId(run);
  if (id === undefined) return 'abort';
  return {
    list: Object.freeze({ front: list.front, back: list.back, size: list.size, listId: run.listId }),
    nextId: run.nextId,
    id,
  };
}
