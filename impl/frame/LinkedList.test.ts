import { describe, expect, it } from 'vitest';
import { KernelAbort } from '../meta/abort.ts';
import { KernelMeta, unit } from '../meta/frameMeta.ts';
import { MetaRegion, type SlotPtr } from '../meta/MetaSlot.ts';
import { FrameLayer } from './Frame.ts';
import { link, LinkMeta, LinkedList, linkValue, ListIdAllocator, MAX_LIST_ID, VostdLinkedList } from './LinkedList.ts';

const PAGE = 4096;

function setup(frames = 8, ids = new ListIdAllocator()) {
  const deallocated: number[] = [];
  const layer = new FrameLayer(new MetaRegion({ maxPaddr: 64 * PAGE }), { dealloc: (p) => deallocated.push(p) });
  const uniques = Array.from({ length: frames }, (_, i) => {
    const s = layer.uniqueFromUnused((i + 1) * PAGE, link(BigInt(10 + i)));
    if (typeof s !== 'number') throw new Error(s);
    return s;
  });
  return { layer, region: layer.region, uniques, deallocated, list: new LinkedList(layer, ids), ids };
}

/** The slots from front to back, following `next`, checked against `prev` on the way. */
function order(list: LinkedList): SlotPtr[] {
  const out: SlotPtr[] = [];
  let prev: SlotPtr | null = null;
  for (let at = list.front; at !== null;) {
    const l = list.region.readMeta(list.region.asMetaPtr(at, LinkMeta))!;
    expect(l.prev).toBe(prev);
    out.push(at);
    prev = at;
    at = l.next;
  }
  expect(list.back).toBe(prev);
  expect(list.size()).toBe(out.length);
  return out;
}

describe('Link metadata', () => {
  it('round-trips through the slot storage, None as null', () => {
    const { region, uniques } = setup(1);
    region.writeMeta(uniques[0]!, { type: LinkMeta, value: linkValue(5, null, 2n ** 64n - 1n) });
    expect(region.readMeta(region.asMetaPtr(uniques[0]!, LinkMeta))).toEqual({
      next: 5,
      prev: null,
      meta: 2n ** 64n - 1n,
    });
    expect(LinkMeta.size).toBeLessThanOrEqual(40);
  });
});

describe('LinkedList (upstream semantics)', () => {
  it('push_front prepends, push_back appends, pops come from each end', () => {
    const {
      list,
      uniques: [a, b, c, d],
    } = setup(4);
    list.pushBack(a!);
    list.pushFront(b!);
    list.pushBack(c!);
    list.pushBack(d!);
    expect(order(list)).toEqual([b, a, c, d]);
    expect(list.popFront()).toBe(b);
    expect(list.popBack()).toBe(d);
    expect(order(list)).toEqual([a, c]);
    expect(list.isEmpty()).toBe(false);
    expect([list.popBack(), list.popBack(), list.popBack()]).toEqual([c, a, null]);
    expect(list.isEmpty()).toBe(true);
  });

  it('vostd push_back inserts before the last element instead', () => {
    const {
      layer,
      uniques: [a, b, c],
    } = setup(3);
    const list = new VostdLinkedList(layer, new ListIdAllocator());
    list.pushBack(a!);
    list.pushBack(b!);
    list.pushBack(c!);
    expect(order(list)).toEqual([b, c, a]);
  });

  it('a frame in the list has in_list == the list id; taking it out clears links and in_list', () => {
    const {
      list,
      region,
      uniques: [a, b],
    } = setup(2);
    expect(list.contains(a! * PAGE)).toBe(false);
    expect(list.listId).toBe(1n);
    list.pushFront(a!);
    list.pushFront(b!);
    expect(region.inList(a!)).toBe(1n);
    expect(list.contains(a! * PAGE)).toBe(true);
    expect(list.contains(a! * PAGE + 1)).toBe(false);
    expect(list.contains(1 << 30)).toBe(false);
    const cur = list.cursorMutAt(a! * PAGE)!;
    expect(cur.current).toBe(a);
    expect(cur.takeCurrent()).toBe(a);
    expect(cur.current).toBe(null);
    expect([region.inList(a!), region.readMeta(region.asMetaPtr(a!, LinkMeta))]).toEqual([
      0n,
      { next: null, prev: null, meta: 10n },
    ]);
    expect(list.cursorMutAt(a! * PAGE)).toBe(null);
    expect(order(list)).toEqual([b]);
  });

  it('ids come from the global counter, one per list, lazily', () => {
    const ids = new ListIdAllocator(7n);
    const { layer } = setup(0);
    const l1 = new LinkedList(layer, ids);
    const l2 = new LinkedList(layer, ids);
    expect(l2.lazyGetId()).toBe(7n);
    expect([l1.lazyGetId(), l1.lazyGetId(), ids.peek()]).toEqual([8n, 8n, 9n]);
    const shared = new ListIdAllocator(0n, ids.buffer);
    expect(shared.fetchAdd()).toBe(9n);
  });

  it('aborts when the id counter is exhausted', () => {
    const {
      list,
      uniques: [a],
    } = setup(1, new ListIdAllocator(MAX_LIST_ID));
    expect(() => list.pushFront(a!)).toThrow(KernelAbort);
  });

  it('cursor moves: forward to the ghost and around, backward likewise', () => {
    const {
      list,
      uniques: [a, b, c],
    } = setup(3);
    for (const s of [a, b, c]) list.pushBack(s!);
    const cur = list.cursorFrontMut();
    const seen: (SlotPtr | null)[] = [];
    for (let k = 0; k < 5; k++, cur.moveNext()) seen.push(cur.current);
    expect(seen).toEqual([a, b, c, null, a]);
    const back = list.cursorBackMut();
    const rev: (SlotPtr | null)[] = [];
    for (let k = 0; k < 5; k++, back.movePrev()) rev.push(back.current);
    expect(rev).toEqual([c, b, a, null, c]);
    expect(list.cursorFrontMut().currentMeta(99n)).toBe(10n);
    expect(list.cursorFrontMut().currentMeta()).toBe(99n);
    expect(new LinkedList(list.layer).cursorFrontMut().currentMeta()).toBe(undefined);
  });

  it('insert_before puts a frame before the current one, or at the back from the ghost', () => {
    const {
      list,
      uniques: [a, b, c, d],
    } = setup(4);
    list.pushBack(a!);
    list.pushBack(c!);
    const cur = list.cursorBackMut();
    cur.insertBefore(b!);
    expect(cur.current).toBe(c);
    cur.moveNext();
    cur.insertBefore(d!);
    expect(order(list)).toEqual([a, b, c, d]);
  });

  it('debug_asserts abort on a frame that is already linked', () => {
    const {
      list,
      uniques: [a],
    } = setup(1);
    list.pushFront(a!);
    expect(() => list.pushBack(a!)).toThrow(/assertion_failed/);
  });

  it('drop takes every frame out and drops it, deallocating', () => {
    const { list, layer, uniques, deallocated } = setup(3);
    for (const s of uniques) list.pushFront(s);
    list.drop();
    expect(list.isEmpty()).toBe(true);
    expect(deallocated.sort((x, y) => x - y)).toEqual(uniques.map((s) => s * PAGE));
    expect(uniques.map((s) => layer.referenceCount(s))).toEqual(uniques.map(() => layer.region.REF_COUNT_UNUSED));
  });

  it('a non-Link frame cannot be linked (Rust types rule it out)', () => {
    const { list, layer } = setup(0);
    const s = layer.uniqueFromUnused(40 * PAGE, unit(KernelMeta)) as number;
    expect(() => list.pushFront(s)).toThrow(TypeError);
  });
});
