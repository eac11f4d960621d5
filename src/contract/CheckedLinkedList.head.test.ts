/**
 * vostd HEAD's `LinkedList` clauses (`spec/head/LinkedList.ts`) on the real implementation's calls: the
 * checked list layer under `--spec head` runs HEAD's table.
 */
import { describe, expect, it } from 'vitest';
import { CursorMut, link, LinkedList } from '../../impl/frame/LinkedList.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from './CheckedFrameLayer.ts';
import type { Violation } from './report.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { frontCursorList } from './fixtures/cursorList.ts';

const PAGE = 4096;

function setup(n: number, opts: Partial<CheckedFrameOptions> = {}, spec: 'seed' | 'head' = 'head') {
  const l = new CheckedFrameLayer({ maxPaddr: 64 * PAGE, mode: 'collect', spec, ...opts });
  const u = Array.from({ length: n }, (_, i) => {
    const h = l.uniqueFromUnused((i + 1) * PAGE, link(BigInt(10 + i)));
    if (typeof h === 'string') throw new Error(h);
    return h;
  });
  return { l, u, list: l.newList() };
}
const blamed = (vs: readonly Violation[]) => vs.map((v) => [v.clause, v.blame]);

describe("HEAD's LinkedList clauses on the real LinkedList", () => {
  it('size() of LinkedList::new(): HEAD owner.inv() accepts an empty list with no id; the seed blames the caller', () => {
    for (const spec of ['head', 'seed'] as const) {
      const { l, list } = setup(0, {}, spec);
      expect(list.size()).toBe(0);
      expect(list.isEmpty()).toBe(true);
      expect(blamed(l.violations), spec).toEqual(
        spec === 'head'
          ? []
          : [
              ['LinkedList::size.requires.owner_inv.list_id_nonzero', 'caller'],
              ['LinkedList::is_empty.requires.owner_inv.list_id_nonzero', 'caller'],
            ],
      );
    }
  });

  it('push, contains and pops on the upstream list: only HEAD push_back position clause is false', () => {
    const { l, u, list } = setup(3);
    list.pushFront(u[0]!);
    list.pushFront(u[1]!);
    expect([list.contains(PAGE), list.contains(3 * PAGE)]).toEqual([true, false]);
    list.pushBack(u[2]!);
    expect(blamed(l.violations)).toEqual([['LinkedList::push_back.ensures.insert_before_last', 'implementation']]);
    const a = list.popBack()!;
    const b = list.popFront()!;
    l.dropUnique(a);
    l.dropUnique(b);
    expect(blamed(l.violations).slice(1)).toEqual([]);
  });

  it("a pop that leaves in_list set is caught by HEAD's table as by the seed's", () => {
    class PopKeepsInList extends LinkedList {
      override popFront() {
        const s = super.popFront();
        if (s !== null) this.region.setInList(s, this.listId);
        return s;
      }
    }
    const { l, u, list } = setup(1, { makeList: (layer, ids) => new PopKeepsInList(layer, ids) });
    list.pushFront(u[0]!);
    list.popFront();
    expect(l.violations.map((v) => v.clause)).toEqual([
      'LinkedList::pop_front.ensures.taken_unique',
      'LinkedList::pop_front.refinement',
    ]);
  });

  it("a take_current that leaves in_list set breaks HEAD's taken-slot clause (in_list_perm.value() == 0)", () => {
    class TakeKeepsInList extends CursorMut {
      override takeCurrent() {
        const s = super.takeCurrent();
        if (s !== null) this.list.region.setInList(s, this.list.listId);
        return s;
      }
    }
    const { l, u, list } = setup(1, { makeList: frontCursorList(TakeKeepsInList) });
    list.pushFront(u[0]!);
    list.cursorFrontMut().takeCurrent();
    expect(blamed(l.violations)).toEqual([
      ['CursorMut::take_current.ensures.taken_slot', 'implementation'],
      ['CursorMut::take_current.refinement', 'implementation'],
    ]);
  });

  it("F37: a push_front that writes the list's id into a loose frame's in_list breaks no vostd clause (seed or HEAD), only the refinement; the next push aborts", () => {
    class Taints extends LinkedList {
      override pushFront(slot: SlotPtr) {
        super.pushFront(slot);
        this.region.setInList(2 as SlotPtr, this.listId);
      }
    }
    for (const spec of ['seed', 'head'] as const) {
      const { l, u, list } = setup(2, { makeList: (layer, ids) => new Taints(layer, ids) }, spec);
      list.pushFront(u[0]!);
      expect(blamed(l.violations), spec).toEqual([['LinkedList::push_front.refinement', 'implementation']]);
      // The loose frame now fails ListStore::inv.loose (in_list_perm == 0); push_front's requires accept it
      // (frame_link_inv has no in_list conjunct) and upstream's debug_assert aborts.
      expect(() => list.pushFront(u[1]!), spec).toThrow(KernelAbort);
      expect(blamed(l.violations), spec).toHaveLength(1);
    }
  });
});
