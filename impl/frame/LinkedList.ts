/**
 * Linked lists of frames without heap allocation: the links live in each frame's metadata slot
 * (`Link<M>` in the 40-byte storage), the list exclusively owns its `UniqueFrame`s, and a frame's
 * `in_list` word holds the id of the list it is in (0 when none), so `contains` is one load.
 *
 * Frames are slot pointers (`SlotPtr`) of unique frames; `next`/`prev` are stored as slot pointers.
 * Semantics are upstream's: `push_back` appends (a cursor at the ghost non-element inserts at the
 * back), and a `debug_assert!` that fails is a kernel abort.
 *
 * @see upstream `ostd/src/mm/frame/linked_list.rs`; vostd (seed) `ostd/src/mm/frame/linked_list.rs`
 */
import { abort } from '../meta/abort.ts';
import { registerFrameMeta, type FrameMeta } from '../meta/frameMeta.ts';
import type { MetaRegion, SlotPtr } from '../meta/MetaSlot.ts';
import type { FrameLayer } from './Frame.ts';

/** `Link<M>`: the neighbours in the list (slot pointers, `null` = `None`) and the wrapped metadata (a u64 here). */
export type LinkValue = Readonly<{ next: SlotPtr | null; prev: SlotPtr | null; meta: bigint }>;

const U64 = (1n << 64n) - 1n;
const encodePtr = (p: SlotPtr | null): bigint => (p === null ? 0n : BigInt(p) + 1n);
const decodePtr = (v: bigint): SlotPtr | null => (v === 0n ? null : Number(v - 1n));

/** The `Link<M>` metadata type: `next` at byte 0, `prev` at 8, `meta` at 16 (24 bytes, 8-aligned). */
export const LinkMeta = registerFrameMeta<LinkValue>({
  name: 'Link',
  size: 24,
  align: 8,
  encode: (v, out) => {
    out.setBigUint64(0, encodePtr(v.next), true);
    out.setBigUint64(8, encodePtr(v.prev), true);
    out.setBigUint64(16, v.meta & U64, true);
  },
  decode: (b) =>
    Object.freeze({
      next: decodePtr(b.getBigUint64(0, true)),
      prev: decodePtr(b.getBigUint64(8, true)),
      meta: b.getBigUint64(16, true),
    }),
});

/** A `Link` value. */
export function linkValue(next: SlotPtr | null, prev: SlotPtr | null, meta: bigint): LinkValue {
  return Object.freeze({ next, prev, meta });
}

/** `Link::new(meta)`: unlinked list metadata wrapping `meta`. */
export function link(meta: bigint): FrameMeta<LinkValue> {
  return Object.freeze({ type: LinkMeta, value: linkValue(null, null, meta) });
}

/** `MAX_LIST_ID = i64::MAX as u64`. */
export const MAX_LIST_ID = (1n << 63n) - 1n;

/** `LIST_ID_ALLOCATOR`: the global list-id counter, a u64 atomic starting at 1 (shareable across workers). */
export class ListIdAllocator {
  /** The process-wide allocator every list uses unless given another. */
  static readonly GLOBAL = new ListIdAllocator();
  private readonly cell: BigUint64Array;

  /** A counter starting at `start`, or one attached to `buffer` (shared with another worker). */
  constructor(start = 1n, buffer?: SharedArrayBuffer) {
    this.cell = new BigUint64Array(buffer ?? new SharedArrayBuffer(8));
    if (buffer === undefined) Atomics.store(this.cell, 0, start);
  }

  /** The buffer holding the counter, to hand to another worker. */
  get buffer(): SharedArrayBuffer {
    return this.cell.buffer as SharedArrayBuffer;
  }

  /** `fetch_add(1, Relaxed)`: the id handed out. */
  fetchAdd(): bigint {
    return Atomics.add(this.cell, 0, 1n);
  }

  /** The id the next `fetchAdd` hands out. */
  peek(): bigint {
    return Atomics.load(this.cell, 0);
  }
}

/** The link stored in `slot`. A non-`Link` slot cannot be a `UniqueFrame<Link<M>>` (Rust's types rule it out). */
function readLink(region: MetaRegion, slot: SlotPtr): LinkValue {
  const v = region.readMeta(region.asMetaPtr(slot, LinkMeta));
  if (v === undefined) throw new TypeError(`slot ${slot} does not hold a Link: a UniqueFrame<Link<M>> always does`);
  return v;
}

const setNext = (region: MetaRegion, slot: SlotPtr, next: SlotPtr | null) => {
  const l = readLink(region, slot);
  region.writeMeta(slot, { type: LinkMeta, value: linkValue(next, l.prev, l.meta) });
};
const setPrev = (region: MetaRegion, slot: SlotPtr, prev: SlotPtr | null) => {
  const l = readLink(region, slot);
  region.writeMeta(slot, { type: LinkMeta, value: linkValue(l.next, prev, l.meta) });
};

/** `debug_assert!`: in debug builds a failed assertion panics, which aborts the kernel. */
function debugAssert(ok: boolean, what: string): void {
  if (!ok) abort('assertion_failed', what);
}

/** `LinkedList<M>`: an intrusive list of unique frames. */
export class LinkedList {
  readonly layer: FrameLayer;
  readonly region: MetaRegion;
  readonly ids: ListIdAllocator;
  front: SlotPtr | null = null;
  back: SlotPtr | null = null;
  /** The Rust field `size`: the number of frames in the list. */
  length = 0;
  /** A lazily initialized id; 0 means none yet. */
  listId = 0n;

  /** `LinkedList::new()`. */
  constructor(layer: FrameLayer, ids: ListIdAllocator = ListIdAllocator.GLOBAL) {
    this.layer = layer;
    this.region = layer.region;
    this.ids = ids;
  }

  /** `LinkedList::size()`. */
  size(): number {
    return this.length;
  }

  /** `LinkedList::is_empty()`. */
  isEmpty(): boolean {
    const empty = this.length === 0;
    debugAssert(
      empty === (this.front === null) && empty === (this.back === null),
      'is_empty: size disagrees with front/back',
    );
    return empty;
  }

  /** `LinkedList::push_front(frame)`. */
  pushFront(frame: SlotPtr): void {
    this.cursorFrontMut().insertBefore(frame);
  }

  /** `LinkedList::pop_front()`. */
  popFront(): SlotPtr | null {
    return this.cursorFrontMut().takeCurrent();
  }

  /** `LinkedList::push_back(frame)`: appends (a cursor at the ghost inserts at the back). */
  pushBack(frame: SlotPtr): void {
    this.cursorAtGhostMut().insertBefore(frame);
  }

  /** `LinkedList::pop_back()`. */
  popBack(): SlotPtr | null {
    return this.cursorBackMut().takeCurrent();
  }

  /** `LinkedList::contains(frame)`: whether the frame's `in_list` is this list's id (creating the id if needed). */
  contains(paddr: number): boolean {
    const slot = this.region.getSlot(paddr);
    if (typeof slot !== 'number') return false;
    return this.region.inList(slot) === this.lazyGetId();
  }

  /** `LinkedList::cursor_mut_at(frame)`: a cursor at the frame if it is in this list. */
  cursorMutAt(paddr: number): CursorMut | null {
    const slot = this.region.getSlot(paddr);
    if (typeof slot !== 'number') return null;
    const contains = this.region.inList(slot) === this.lazyGetId();
    return contains ? new CursorMut(this, slot) : null;
  }

  /** `LinkedList::cursor_front_mut()`: at the front (the ghost when empty). */
  cursorFrontMut(): CursorMut {
    return new CursorMut(this, this.front);
  }

  /** `LinkedList::cursor_back_mut()`: at the back (the ghost when empty). */
  cursorBackMut(): CursorMut {
    return new CursorMut(this, this.back);
  }

  /** `LinkedList::cursor_at_ghost_mut()`: at the ghost non-element. */
  protected cursorAtGhostMut(): CursorMut {
    return new CursorMut(this, null);
  }

  /** `lazy_get_id`: this list's id, taken from the global counter on first use; aborts when the counter is exhausted. */
  lazyGetId(): bigint {
    if (this.listId !== 0n) return this.listId;
    const id = this.ids.fetchAdd();
    if (id >= MAX_LIST_ID) abort('list_id_exhausted', 'the frame list ID allocator has exhausted');
    this.listId = id;
    return id;
  }

  /** `Drop for LinkedList`: takes every frame out and drops it (`UniqueFrame::drop` deallocates). */
  drop(): void {
    const cursor = this.cursorFrontMut();
    for (let f = cursor.takeCurrent(); f !== null; f = cursor.takeCurrent()) this.layer.dropUnique(f);
  }
}

/** `CursorMut<M>`: a cursor at a frame of the list, or at the "ghost" non-element past the back. */
export class CursorMut {
  readonly list: LinkedList;
  current: SlotPtr | null;

  constructor(list: LinkedList, current: SlotPtr | null) {
    this.list = list;
    this.current = current;
  }

  /** `move_next`: towards the back; from the last frame to the ghost, from the ghost to the front. */
  moveNext(): void {
    this.current = this.current !== null ? readLink(this.list.region, this.current).next : this.list.front;
  }

  /** `move_prev`: towards the front; from the first frame to the ghost, from the ghost to the back. */
  movePrev(): void {
    this.current = this.current !== null ? readLink(this.list.region, this.current).prev : this.list.back;
  }

  /**
   * `current_meta`: the current frame's metadata `M` (never its links), or `undefined` at the ghost.
   * `store`, when given, is written through the returned `&mut M`; the value before it is returned.
   */
  currentMeta(store?: bigint): bigint | undefined {
    if (this.current === null) return undefined;
    const region = this.list.region;
    const l = readLink(region, this.current);
    if (store !== undefined)
      region.writeMeta(this.current, { type: LinkMeta, value: linkValue(l.next, l.prev, store) });
    return l.meta;
  }

  /** `take_current`: the current frame leaves the list as a unique frame; the cursor moves to the next. */
  takeCurrent(): SlotPtr | null {
    const cur = this.current;
    if (cur === null) return null;
    const region = this.list.region;
    const list = this.list;
    // `UniqueFrame::from_raw`: the list gives up the frame it forgot on insertion.
    const nextPtr = readLink(region, cur).next;
    const prev = readLink(region, cur).prev;
    if (prev !== null) {
      debugAssert(readLink(region, prev).next === cur, 'take_current: prev.next != current');
      setNext(region, prev, nextPtr);
    } else list.front = nextPtr;
    const prevPtr = readLink(region, cur).prev;
    const next = readLink(region, cur).next;
    if (next !== null) {
      debugAssert(readLink(region, next).prev === cur, 'take_current: next.prev != current');
      setPrev(region, next, prevPtr);
      this.current = next;
    } else {
      list.back = prevPtr;
      this.current = null;
    }
    setNext(region, cur, null);
    setPrev(region, cur, null);
    region.setInList(cur, 0n);
    list.length -= 1;
    return cur;
  }

  /** `insert_before(frame)`: before the current frame, or at the back when at the ghost. */
  insertBefore(frame: SlotPtr): void {
    const region = this.list.region;
    const list = this.list;
    const f = readLink(region, frame);
    debugAssert(f.next === null && f.prev === null, 'insert_before: the frame is already linked');
    debugAssert(region.inList(frame) === 0n, 'insert_before: the frame is in a list');
    const cur = this.current;
    if (cur !== null) {
      const prev = readLink(region, cur).prev;
      if (prev !== null) {
        debugAssert(readLink(region, prev).next === cur, 'insert_before: prev.next != current');
        setNext(region, prev, frame);
        setPrev(region, frame, prev);
        setNext(region, frame, cur);
        setPrev(region, cur, frame);
      } else {
        debugAssert(list.front === cur, 'insert_before: front != current');
        setNext(region, frame, cur);
        setPrev(region, cur, frame);
        list.front = frame;
      }
    } else if (list.back !== null) {
      debugAssert(readLink(region, list.back).next === null, 'insert_before: back.next is set');
      setNext(region, list.back, frame);
      setPrev(region, frame, list.back);
      list.back = frame;
    } else {
      debugAssert(list.front === null, 'insert_before: front set in an empty list');
      list.front = frame;
      list.back = frame;
    }
    region.setInList(frame, list.lazyGetId());
    // `UniqueFrame::into_raw`: the list now owns the frame.
    list.length += 1;
  }

  /** `as_list`. */
  asList(): LinkedList {
    return this.list;
  }
}

/**
 * vostd's `push_back`: the cursor starts at the back element and inserts *before* it, so the frame
 * becomes the second-to-last (position `len − 1`). Kept to show the divergence; upstream appends.
 */
export class VostdLinkedList extends LinkedList {
  override pushBack(frame: SlotPtr): void {
    this.cursorBackMut().insertBefore(frame);
  }
}
