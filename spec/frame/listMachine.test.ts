import { describe, expect, it } from 'vitest';
import { metaAddr } from '../meta/mapping.ts';
import { initialRegion, slotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { decodeLink, MAX_LIST_ID, withInList, type LinkedListExec } from './LinkedListOwner.ts';
import { idExhausted, indexOfCurrent, insertBefore, listState, takeCurrent, withLazyId } from './listMachine.ts';
import { uniqueFromUnused } from './UniqueFrame.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });
const EMPTY: LinkedListExec = { front: null, back: null, size: 0, listId: 0n };

function frames(n: number): MetaRegionOwners {
  let r = initialRegion(p);
  for (let i = 0; i < n; i++) {
    const out = uniqueFromUnused.next({
      old: r,
      args: { paddr: i * PAGE_SIZE, metadata: { type: 'Link', fields: { next: null, prev: null, meta: 0n } } },
      p,
    });
    if (out.kind === 'return' && out.result.ok) r = out.final;
  }
  return r;
}
const ok = <T>(x: T | 'abort'): T => {
  if (x === 'abort') throw new Error('aborted');
  return x;
};

describe('upstream list algorithms on the ghost', () => {
  it('insert_before at the ghost appends and takes an id from the counter; before the front prepends', () => {
    const a = ok(insertBefore(frames(3), EMPTY, null, 0, 5n));
    expect([a.list, a.nextId, slotOwner(a.regions, 0).innerPerms.inList.value]).toEqual([
      { front: metaAddr(0), back: metaAddr(0), size: 1, listId: 5n },
      6n,
      5n,
    ]);
    const b = ok(insertBefore(a.regions, a.list, null, 1, a.nextId));
    const c = ok(insertBefore(b.regions, b.list, b.list.front, 2, b.nextId));
    expect(listState(c.regions, c.list, c.nextId).owner.list.map((l) => l.paddr)).toEqual([2, 0, 1].map(metaAddr));
    expect([c.regions.frameObligations.len, decodeLink(c.regions, 0)]).toEqual([0, { next: 1, prev: 2, meta: 0n }]);
  });

  it('take_current relinks the neighbours, moves to the next and clears the taken frame', () => {
    const a = ok(insertBefore(frames(3), EMPTY, null, 0, 1n));
    const b = ok(insertBefore(a.regions, a.list, null, 1, a.nextId));
    const c = ok(insertBefore(b.regions, b.list, null, 2, b.nextId));
    const t = ok(takeCurrent(c.regions, c.list, metaAddr(1)));
    expect([t.taken, t.current, t.list.size]).toEqual([1, metaAddr(2), 2]);
    expect([
      decodeLink(t.regions, 0)?.next,
      decodeLink(t.regions, 2)?.prev,
      decodeLink(t.regions, 1),
      slotOwner(t.regions, 1).innerPerms.inList.value,
    ]).toEqual([2, 0, { next: null, prev: null, meta: 0n }, 0n]);
    expect(t.regions.frameObligations.count(1)).toBe(1);
    expect(ok(takeCurrent(c.regions, c.list, null)).taken).toBe(null);
  });

  it('aborts where upstream does: a linked or listed frame, an exhausted counter', () => {
    const a = ok(insertBefore(frames(2), EMPTY, null, 0, 1n));
    expect(insertBefore(a.regions, a.list, null, 0, a.nextId)).toBe('abort');
    expect(insertBefore(withInList(a.regions, 1, 9n), a.list, null, 1, a.nextId)).toBe('abort');
    expect(insertBefore(frames(1), EMPTY, null, 0, MAX_LIST_ID)).toBe('abort');
    expect([idExhausted(EMPTY, MAX_LIST_ID), idExhausted({ ...EMPTY, listId: 3n }, MAX_LIST_ID)]).toEqual([
      true,
      false,
    ]);
    expect(withLazyId(EMPTY, MAX_LIST_ID)).toBe('abort');
    expect(ok(withLazyId(EMPTY, 4n))).toEqual({ list: { ...EMPTY, listId: 4n }, nextId: 5n, id: 4n });
  });

  it('indexOfCurrent: the ghost is len, a stranger is −1', () => {
    const a = ok(insertBefore(frames(2), EMPTY, null, 0, 1n));
    const own = listState(a.regions, a.list, a.nextId).owner;
    expect([indexOfCurrent(own, metaAddr(0)), indexOfCurrent(own, null), indexOfCurrent(own, metaAddr(1))]).toEqual([
      0, 1, -1,
    ]);
  });
});
