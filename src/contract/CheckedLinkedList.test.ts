import { describe, expect, it } from 'vitest';
import {
  CursorMut,
  link,
  LinkedList,
  ListIdAllocator,
  MAX_LIST_ID,
  VostdLinkedList,
} from '../../impl/frame/LinkedList.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { listPushBack } from '../../spec/frame/LinkedList.ts';
import { metaToIndex } from '../../spec/meta/mapping.ts';
import { refCountAt, slotOwner } from '../../spec/meta/MetaRegionOwners.ts';
import { REF_COUNT_UNIQUE } from '../../spec/vocab.ts';
import type { UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from './CheckedFrameLayer.ts';
import type { CheckedLinkedList } from './CheckedLinkedList.ts';
import type { Violation } from './report.ts';

const PAGE = 4096;

function setup(n: number, opts: Partial<CheckedFrameOptions> = {}) {
  const l = new CheckedFrameLayer({ maxPaddr: 64 * PAGE, mode: 'collect', ...opts });
  const u = Array.from({ length: n }, (_, i) => {
    const h = l.uniqueFromUnused((i + 1) * PAGE, link(BigInt(10 + i)));
    if (typeof h === 'string') throw new Error(h);
    return h;
  });
  return { l, u, list: l.newList() };
}
const names = (vs: readonly Violation[]) => vs.map((v) => v.clause);
/** The slots of the list, front to back, as its links in memory describe them. */
const order = (list: CheckedLinkedList) => list.state().owner.list.map((x) => metaToIndex(x.paddr));

describe('CheckedLinkedList on the upstream implementation', () => {
  it('push_front, pop_front, pop_back, contains and size satisfy every clause', () => {
    const { l, u, list } = setup(3);
    list.pushFront(u[0]!);
    list.pushFront(u[1]!);
    expect(list.size()).toBe(2);
    expect(list.isEmpty()).toBe(false);
    expect(order(list)).toEqual([2, 1]);
    expect([list.contains(PAGE), list.contains(3 * PAGE), list.contains(PAGE + 1)]).toEqual([true, false, false]);
    const a = list.popBack()!;
    const b = list.popFront()!;
    expect([a.slot, b.slot, list.popFront()]).toEqual([1, 2, null]);
    expect([refCountAt(l.ghost, 1), slotOwner(l.ghost, 1).innerPerms.inList.value]).toEqual([REF_COUNT_UNIQUE, 0n]);
    l.dropUnique(a);
    l.dropUnique(b);
    expect(l.ghost.frameObligations.len).toBe(1);
    expect(l.violations).toEqual([]);
  });

  it("push_back appends: vostd's clause (insert before the last element) is false, upstream's holds", () => {
    const { l, u, list } = setup(2);
    list.pushBack(u[0]!);
    expect(l.violations).toEqual([]);
    list.pushBack(u[1]!);
    expect(order(list)).toEqual([1, 2]);
    expect(l.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['LinkedList::push_back.ensures.insert_before_last', 'implementation'],
    ]);
    const origin = (name: string) => listPushBack.ensures.find((c) => c.name === name)?.origin ?? 'vostd';
    expect(origin(l.violations[0]!.clause)).toBe('vostd');
    expect(origin('LinkedList::push_back.ensures.append')).toBe('upstream');
  });

  it("vostd's push_back (cursor at the back element) satisfies vostd's clause and breaks upstream's append", () => {
    const { l, u, list } = setup(3, { makeList: (layer, ids) => new VostdLinkedList(layer, ids) });
    for (const h of u) list.pushBack(h);
    expect(order(list)).toEqual([2, 3, 1]);
    expect(names(l.violations)).toEqual([
      'LinkedList::push_back.ensures.append',
      'LinkedList::push_back.refinement',
      'LinkedList::push_back.ensures.append',
      'LinkedList::push_back.refinement',
    ]);
  });

  it("cursors move through the ghost position, read and write M, take and insert, under the seed's and HEAD's CursorMut clauses", () => {
    for (const spec of ['seed', 'head'] as const) {
      const { l, u, list } = setup(4, { spec });
      for (const h of u.slice(0, 3)) list.pushFront(h);
      const c = list.cursorFrontMut();
      expect(c.currentMeta()).toBe(12n);
      c.moveNext();
      c.moveNext();
      c.moveNext();
      expect([c.index, c.currentMeta()]).toEqual([3, undefined]);
      c.moveNext();
      c.movePrev();
      c.movePrev();
      expect(c.currentMeta(77n)).toBe(10n);
      expect(c.currentMeta()).toBe(77n);
      const taken = c.takeCurrent()!;
      expect([taken.slot, c.index, order(list)]).toEqual([1, 2, [3, 2]]);
      c.insertBefore(taken);
      c.movePrev();
      c.insertBefore(u[3]!);
      expect(order(list)).toEqual([3, 2, 4, 1]);
      const at = list.cursorMutAt(2 * PAGE)!;
      expect(at.index).toBe(1);
      at.takeCurrent();
      expect(list.cursorMutAt(2 * PAGE)).toBe(null);
      expect(list.cursorBackMut().index).toBe(2);
      expect(l.violations, spec).toEqual([]);
    }
  });

  it('dropping the list pops and drops every frame', () => {
    const { l, u, list } = setup(3);
    for (const h of u) list.pushFront(h);
    list.drop();
    expect(l.ghost.frameObligations.len).toBe(0);
    expect(l.violations).toEqual([]);
  });

  it('the id counter running out aborts push_front, which upstream allows', () => {
    const { l, u, list } = setup(1, { ids: new ListIdAllocator(MAX_LIST_ID) });
    expect(() => list.pushFront(u[0]!)).toThrow(KernelAbort);
    expect(l.violations).toEqual([]);
  });
});

describe('LinkedList: a broken requires clause blames the caller', () => {
  it('seed-era owner.inv() needs a list id even for an empty list: size() of LinkedList::new()', () => {
    const { l, list } = setup(0);
    expect(list.size()).toBe(0);
    expect(l.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['LinkedList::size.requires.owner_inv.list_id_nonzero', 'caller'],
    ]);
  });

  it('pushing a frame that is not a Link', () => {
    const { l, list } = setup(0);
    const k = l.uniqueFromUnused(9 * PAGE, unit(KernelMeta)) as UniqueHandle;
    expect(() => list.pushFront(k)).toThrow(TypeError);
    expect(names(l.violations).slice(0, 2)).toEqual([
      'LinkedList::push_front.requires.frame_link_inv',
      'LinkedList::push_front.unexpected_throw',
    ]);
  });

  it("a cursor used after its list changed (the seed's and HEAD's wf_region)", () => {
    for (const spec of ['seed', 'head'] as const) {
      const { l, u, list } = setup(2, { spec });
      list.pushFront(u[0]!);
      const c = list.cursorFrontMut();
      list.pushFront(u[1]!);
      c.moveNext();
      expect(l.violations.filter((v) => v.kind === 'requires').map((v) => [v.clause, v.blame])).toEqual([
        ['CursorMut::move_next.requires.wf_region', 'caller'],
      ]);
    }
  });
});

describe('LinkedList: a broken ensures clause blames the implementation', () => {
  it('a pop that leaves in_list set passes every seed clause of pop_front (frame_link_inv has no in_list conjunct)', () => {
    class PopKeepsInList extends LinkedList {
      override popFront() {
        const s = super.popFront();
        if (s !== null) this.region.setInList(s, this.listId);
        return s;
      }
    }
    const { l, u, list } = setup(1, { makeList: (layer, ids) => new PopKeepsInList(layer, ids) });
    list.pushFront(u[0]!);
    const h = list.popFront()!;
    expect(names(l.violations)).toEqual([
      'LinkedList::pop_front.ensures.taken_unique',
      'LinkedList::pop_front.refinement',
    ]);
    // Every seed precondition of push_front accepts the frame; upstream's debug_assert aborts on it.
    expect(() => list.pushFront(h)).toThrow(KernelAbort);
    expect(names(l.violations)).toHaveLength(2);
  });

  it('a move_next that stays put', () => {
    class StuckCursor extends CursorMut {
      override moveNext() {}
    }
    class StuckList extends LinkedList {
      override cursorFrontMut() {
        return new StuckCursor(this, this.front);
      }
    }
    const { l, u, list } = setup(2, { makeList: (layer, ids) => new StuckList(layer, ids) });
    list.pushBack(u[0]!);
    list.cursorFrontMut().moveNext();
    expect(names(l.violations)).toEqual(['CursorMut::move_next.ensures.wf_region', 'CursorMut::move_next.refinement']);
  });
});
