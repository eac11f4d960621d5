/**
 * Contract-checked frame lists and cursors over a `CheckedFrameLayer`: every call of the real
 * `LinkedList`/`CursorMut` is checked against `spec/frame/LinkedList.ts` and `spec/frame/CursorMut.ts`,
 * with the list owner read back from the links in memory and the cursor's ghost index kept by the
 * proof code's rules (`move_next_owner_spec`, …). Unique frames pushed into a list leave the handle
 * store and count as listed until they are taken out again.
 */
import type { CursorMut, LinkedList } from '../../impl/frame/LinkedList.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { OpSpec } from '../../spec/Op.ts';
import { cursorStateEq } from '../../spec/frame/CursorMut.ts';
import { listStateEq, type InsertArgs, type InsertResult, type TakeResult } from '../../spec/frame/LinkedList.ts';
import { listOpsOf, type ListOpTable } from '../../spec/head/LinkedList.ts';
import { cursorOpsOf, type CursorOpTable } from '../../spec/head/CursorMut.ts';
import { ownersContain } from '../../spec/frame/regionFacts.ts';
import {
  backOwner,
  moveNextOwnerSpec,
  movePrevOwnerSpec,
  slotOfAddr,
  type LinkedListExec,
  type LinkFrameOwner,
} from '../../spec/frame/LinkedListOwner.ts';
import {
  cursorState,
  indexOfCurrent,
  listState,
  type CursorState,
  type ListState,
} from '../../spec/frame/listMachine.ts';
import { frameToIndex, metaAddr } from '../../spec/meta/mapping.ts';
import { slotOwner, withLedger, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import type { FrameIndex, Paddr } from '../../spec/vocab.ts';
import type { UniqueHandle } from './accounting.ts';
import type { CheckedFrameLayer } from './CheckedFrameLayer.ts';

type Empty = Readonly<Record<string, never>>;
const EMPTY: Empty = Object.freeze({});
const id = (r: MetaRegionOwners) => r;
const addr = (s: SlotPtr | null) => (s === null ? null : metaAddr(s));

/** A checked `LinkedList<Link<M>>`. */
export class CheckedLinkedList {
  readonly layer: CheckedFrameLayer;
  /** The `LinkedList` op specs of the frame layer's spec version. */
  private readonly ops: ListOpTable;
  readonly impl: LinkedList;

  /** `LinkedList::new()` over `layer`. */
  constructor(layer: CheckedFrameLayer) {
    this.layer = layer;
    this.impl = layer.newListImpl();
    this.ops = listOpsOf(layer.spec);
  }

  /** The list's exec fields as the ghost sees them. */
  exec(): LinkedListExec {
    const l = this.impl;
    return Object.freeze({ front: addr(l.front), back: addr(l.back), size: l.length, listId: l.listId });
  }

  /** The list ghost now. */
  state(): ListState {
    return listState(this.layer.ghost, this.exec(), this.layer.ids.peek());
  }

  /** Checked `LinkedList::size()`. */
  size(): number {
    return this.op(this.ops.size, EMPTY, [], () => this.impl.size(), id);
  }

  /** Checked `LinkedList::is_empty()`. */
  isEmpty(): boolean {
    return this.op(this.ops.isEmpty, EMPTY, [], () => this.impl.isEmpty(), id);
  }

  /** Checked `LinkedList::push_front(frame)`: the unique frame moves into the list. */
  pushFront(u: UniqueHandle): void {
    this.insert(this.ops.pushFront, u, (slot) => this.impl.pushFront(slot));
  }

  /** Checked `LinkedList::push_back(frame)`. */
  pushBack(u: UniqueHandle): void {
    this.insert(this.ops.pushBack, u, (slot) => this.impl.pushBack(slot));
  }

  /** Checked `LinkedList::pop_front()`. */
  popFront(): UniqueHandle | null {
    return this.take(this.ops.popFront, () => this.impl.popFront());
  }

  /** Checked `LinkedList::pop_back()`. */
  popBack(): UniqueHandle | null {
    return this.take(this.ops.popBack, () => this.impl.popBack());
  }

  /** Checked `LinkedList::contains(frame)`. */
  contains(paddr: Paddr): boolean {
    const fp = this.layer.index(paddr) === undefined ? [] : [frameToIndex(paddr)];
    return this.op(this.ops.contains, { paddr }, fp, () => this.impl.contains(paddr), id);
  }

  /** Checked `LinkedList::cursor_mut_at(frame)`. */
  cursorMutAt(paddr: Paddr): CheckedCursor | null {
    const fp = this.layer.index(paddr) === undefined ? [] : [frameToIndex(paddr)];
    let cursor: CursorMut | null = null;
    const owner = this.state().owner;
    const r = this.op(
      this.ops.cursorMutAt,
      { paddr },
      fp,
      () => {
        cursor = this.impl.cursorMutAt(paddr);
        const current = cursor === null ? null : addr(cursor.current);
        return current === null ? null : { current, index: indexOfCurrent(owner, current) };
      },
      id,
    );
    return r === null || cursor === null ? null : new CheckedCursor(this, cursor, r.index);
  }

  /** Checked `LinkedList::cursor_front_mut()`. */
  cursorFrontMut(): CheckedCursor {
    let cursor: CursorMut | undefined;
    const r = this.op(
      this.ops.cursorFrontMut,
      EMPTY,
      [],
      () => ((cursor = this.impl.cursorFrontMut()), { current: addr(cursor.current), index: 0 }),
      id,
    );
    return new CheckedCursor(this, cursor!, r.index);
  }

  /** Checked `LinkedList::cursor_back_mut()`. */
  cursorBackMut(): CheckedCursor {
    let cursor: CursorMut | undefined;
    const index = backOwner(this.state().owner).index;
    const r = this.op(
      this.ops.cursorBackMut,
      EMPTY,
      [],
      () => ((cursor = this.impl.cursorBackMut()), { current: addr(cursor.current), index }),
      id,
    );
    return new CheckedCursor(this, cursor!, r.index);
  }

  /**
   * `Drop for LinkedList`: the implementation's drop (every frame taken out and dropped) as one call
   * checked against `drop_requires`/`drop_ensures` (`spec/frame/LinkedListDrop.ts`, HEAD's in
   * `spec/head/LinkedList.ts`); the listed frames leave the handle store.
   */
  drop(): void {
    const slots = this.state().owner.list.map((l) => slotOfAddr(l.paddr));
    const release = () => {
      for (const i of slots) this.layer.store.list(i, -1);
    };
    this.op(this.ops.drop, EMPTY, slots.filter(ownersContain), () => (this.impl.drop(), undefined), id, release);
  }

  /** The tracked `UniqueFrameOwner<Link<M>>` of a unique handle about to be inserted, as the region shows it. */
  frameOwn(u: UniqueHandle): LinkFrameOwner {
    const i = u.owner.slotIndex;
    const inList = slotOwner(this.layer.ghost, i).innerPerms.inList.value;
    return Object.freeze({
      metaOwn: Object.freeze({ type: u.owner.metaOwn.type, paddr: metaAddr(i), inList }),
      slotIndex: i,
    });
  }

  /** The owner of the unique frame in `slot` as memory shows it (what `from_raw` returns with it). */
  ownerInMemory(slot: SlotPtr): LinkFrameOwner {
    const r = this.layer.impl;
    const type = r.dynMeta(slot)?.type.name ?? '';
    return Object.freeze({
      metaOwn: Object.freeze({ type, paddr: metaAddr(slot), inList: r.inList(slot) }),
      slotIndex: slot,
    });
  }

  /** One checked list call; `proof` applies the ghost-only (ledger) effects to the region. */
  op<A, V>(
    spec: OpSpec<ListState, A, V>,
    args: A,
    footprint: readonly FrameIndex[],
    run: () => V,
    proof: (g: MetaRegionOwners, v: V) => MetaRegionOwners,
    commit: (v: V) => void = () => {},
  ): V {
    this.layer.refresh(footprint);
    return this.layer.checkedCall({
      spec,
      old: this.state(),
      args,
      footprint,
      run,
      final: (g, v) => listState(proof(g, v), this.exec(), this.layer.ids.peek()),
      regionOf: (s) => s.regions,
      eq: listStateEq,
      commit,
    });
  }

  private insert(
    spec: OpSpec<ListState, InsertArgs, InsertResult>,
    u: UniqueHandle,
    run: (slot: SlotPtr) => void,
  ): void {
    const args = { unique: { ptr: metaAddr(u.slot) }, frameOwn: this.frameOwn(u) };
    this.layer.consume(u, spec.name);
    this.op(
      spec,
      args,
      [u.slot],
      () => (run(u.slot), { frameOwn: this.ownerInMemory(u.slot) }),
      (g) => withLedger(g, g.frameObligations.redeem(u.slot)),
      () => this.layer.store.list(u.slot, 1),
    );
  }

  private take(spec: OpSpec<ListState, Empty, TakeResult>, run: () => SlotPtr | null): UniqueHandle | null {
    let handle: UniqueHandle | null = null;
    this.op(
      spec,
      EMPTY,
      [],
      () => {
        const slot = run();
        return slot === null ? null : { unique: { ptr: metaAddr(slot) }, frameOwn: this.ownerInMemory(slot) };
      },
      (g, v) => (v === null ? g : withLedger(g, g.frameObligations.mint(v.frameOwn.slotIndex))),
      (v) => {
        if (v !== null) handle = this.mintTaken(v);
      },
    );
    return handle;
  }

  /** The unique handle of a frame a pop or `take_current` took out of the list (its tracked owner HEAD's under `head`). */
  mintTaken(v: NonNullable<TakeResult>): UniqueHandle {
    this.layer.store.list(v.frameOwn.slotIndex, -1);
    // HEAD's pops and take_current hand back a UniqueFrameOwner whose `repr_perm` is `Some` (`owner.inv()`).
    const own = this.layer.spec === 'head' ? { ...v.frameOwn, reprPerm: Object.freeze({ type: 'Link' }) } : v.frameOwn;
    return this.layer.store.mintUnique(v.frameOwn.slotIndex, own);
  }
}

/** A checked `CursorMut`; `index` is its owner's ghost position (`len` = the ghost non-element). */
export class CheckedCursor {
  readonly list: CheckedLinkedList;
  readonly impl: CursorMut;
  index: number;
  /** The `CursorMut` op specs of the frame layer's spec version. */
  private readonly ops: CursorOpTable;

  constructor(list: CheckedLinkedList, impl: CursorMut, index: number) {
    this.list = list;
    this.impl = impl;
    this.index = index;
    this.ops = cursorOpsOf(list.layer.spec);
  }

  /** The cursor ghost now. */
  state(): CursorState {
    const layer = this.list.layer;
    return cursorState(layer.ghost, this.list.exec(), addr(this.impl.current), this.index, layer.ids.peek());
  }

  /** Checked `CursorMut::move_next()`. */
  moveNext(): void {
    this.op(
      this.ops.moveNext,
      EMPTY,
      [],
      () => (this.impl.moveNext(), undefined),
      id,
      (o) => moveNextOwnerSpec(o.owner).index,
    );
  }

  /** Checked `CursorMut::move_prev()`. */
  movePrev(): void {
    this.op(
      this.ops.movePrev,
      EMPTY,
      [],
      () => (this.impl.movePrev(), undefined),
      id,
      (o) => movePrevOwnerSpec(o.owner).index,
    );
  }

  /** Checked `CursorMut::current_meta()`: the current frame's `M`, with `store` written through it when given. */
  currentMeta(store?: bigint): bigint | undefined {
    const args = { store: store === undefined ? null : { value: store } };
    const r = this.op(
      this.ops.currentMeta,
      args,
      [],
      () => {
        const m = this.impl.currentMeta(store);
        return m === undefined ? null : { meta: m };
      },
      id,
      (o) => o.owner.index,
    );
    return r === null ? undefined : (r.meta as bigint);
  }

  /** Checked `CursorMut::take_current()`. */
  takeCurrent(): UniqueHandle | null {
    let handle: UniqueHandle | null = null;
    this.op(
      this.ops.takeCurrent,
      EMPTY,
      [],
      () => {
        const slot = this.impl.takeCurrent();
        return slot === null ? null : { unique: { ptr: metaAddr(slot) }, frameOwn: this.list.ownerInMemory(slot) };
      },
      (g, v) => (v === null ? g : withLedger(g, g.frameObligations.mint(v.frameOwn.slotIndex))),
      (o) => o.owner.index,
      (v) => {
        if (v !== null) handle = this.list.mintTaken(v);
      },
    );
    return handle;
  }

  /** Checked `CursorMut::insert_before(frame)`. */
  insertBefore(u: UniqueHandle): void {
    const layer = this.list.layer;
    const args = { unique: { ptr: metaAddr(u.slot) }, frameOwn: this.list.frameOwn(u) };
    layer.consume(u, 'CursorMut::insert_before');
    this.op(
      this.ops.insertBefore,
      args,
      [u.slot],
      () => (this.impl.insertBefore(u.slot), { frameOwn: this.list.ownerInMemory(u.slot) }),
      (g) => withLedger(g, g.frameObligations.redeem(u.slot)),
      (o) => o.owner.index + 1,
      () => layer.store.list(u.slot, 1),
    );
  }

  private op<A, V>(
    spec: OpSpec<CursorState, A, V>,
    args: A,
    footprint: readonly FrameIndex[],
    run: () => V,
    proof: (g: MetaRegionOwners, v: V) => MetaRegionOwners,
    indexAfter: (old: CursorState) => number,
    commit: (v: V) => void = () => {},
  ): V {
    const layer = this.list.layer;
    layer.refresh(footprint);
    const old = this.state();
    const index = indexAfter(old);
    const v = layer.checkedCall({
      spec,
      old,
      args,
      footprint,
      run,
      final: (g, r) => cursorState(proof(g, r), this.list.exec(), addr(this.impl.current), index, layer.ids.peek()),
      regionOf: (s) => s.regions,
      eq: cursorStateEq,
      commit,
    });
    this.index = index;
    return v;
  }
}
