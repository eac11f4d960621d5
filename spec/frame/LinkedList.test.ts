import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { insertArgs, listWorld } from '../../test/listWorld.ts';
import { metaAddr } from '../meta/mapping.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import {
  listContains,
  listCursorFrontMut,
  listPopBack,
  listPushBack,
  listPushFront,
  listSize,
  listStateEq,
} from './LinkedList.ts';
import type { ListState } from './listMachine.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });

const world = (n: number): ListState => listWorld(n, p);
const ins = insertArgs;
function push(spec: typeof listPushFront, s: ListState, i: number): ListState {
  const out = spec.next({ old: s, args: ins(s, i), p });
  if (out.kind !== 'return') throw new Error('push aborted');
  return out.final;
}
const failing = (spec: { requires: readonly { name: string; holds: (c: never) => boolean }[] }, c: unknown) =>
  spec.requires.filter((x) => !x.holds(c as never)).map((x) => x.name);

describe('LinkedList op specs', () => {
  it('push_back: vostd position clause on an empty list holds; on a non-empty one upstream next breaks it', () => {
    const s = world(2);
    expect(clausesBrokenByNext(listPushBack, { old: s, args: ins(s, 0), p })).toEqual([]);
    const one = push(listPushBack, s, 0);
    expect(clausesBrokenByNext(listPushBack, { old: one, args: ins(one, 1), p })).toEqual([
      'LinkedList::push_back.ensures.insert_before_last',
    ]);
  });

  it('pushing a frame that is already the whole list: seed frame_link_inv holds, its spent obligation does not', () => {
    const one = push(listPushFront, world(1), 0);
    expect(failing(listPushFront, { old: one, args: ins(one, 0), p })).toEqual([
      'LinkedList::push_front.requires.frame_global_inv',
    ]);
  });

  it('size and cursor_front_mut of a new list break the seed owner inv; contains of a bad address assigns no id', () => {
    const s = world(0);
    expect(failing(listSize, { old: s, args: {}, p })).toEqual(['LinkedList::size.requires.owner_inv.list_id_nonzero']);
    expect(failing(listCursorFrontMut, { old: s, args: {}, p })).toEqual([
      'LinkedList::cursor_front_mut.requires.owner_inv.list_id_nonzero',
    ]);
    const bad = listContains.next({ old: s, args: { paddr: PAGE_SIZE + 1 }, p });
    const good = listContains.next({ old: s, args: { paddr: PAGE_SIZE }, p });
    expect([bad.kind === 'return' && bad.final.list.listId, good.kind === 'return' && good.final.list.listId]).toEqual([
      0n,
      1n,
    ]);
  });

  it('pop_back takes the last element; listStateEq compares region, exec, owner and counter', () => {
    const s = push(listPushBack, push(listPushBack, world(2), 0), 1);
    const out = listPopBack.next({ old: s, args: {}, p });
    if (out.kind !== 'return' || out.result === null) throw new Error('pop failed');
    expect([out.result.unique.ptr, out.final.owner.list.map((l) => l.paddr)]).toEqual([metaAddr(1), [metaAddr(0)]]);
    expect([listStateEq(s, s), listStateEq(s, out.final), listStateEq(s, { ...s, nextId: 9n })]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
