/**
 * vostd HEAD's `ListStore::inv()`: it holds on the store the HEAD LinkedList transitions build, and the
 * push_front body that also writes the list's id into a loose frame's `in_list` breaks it while meeting
 * every HEAD push_front ensures (F37).
 */
import { describe, expect, it } from 'vitest';
import { insertArgs, listWorld } from '../../test/listWorld.ts';
import { failingEnsures, runSpec } from '../../test/specRun.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { linkFrameOwnerAt, withInList } from '../frame/LinkedListOwner.ts';
import type { ListState } from '../frame/listMachine.ts';
import { headListPushFront } from './LinkedList.ts';
import { failingListStoreInv, listRegistryOk, type ListStoreView } from './ListStore.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });

/** Frames 0 and 1 pushed (front) by HEAD's push_front; frame 2 loose. */
function pushed() {
  const w = listWorld(3, p);
  const s = runSpec(headListPushFront, w, insertArgs(w, 0), p).final;
  return { post: runSpec(headListPushFront, s, insertArgs(s, 1), p) };
}
const store = (s: ListState): ListStoreView => ({
  regions: s.regions,
  lists: [s.owner],
  loose: [linkFrameOwnerAt(s.regions, 2)],
  cursors: [],
});

describe("HEAD's ListStore::inv()", () => {
  it('holds on the store built by HEAD push_front transitions (one list, one loose frame)', () => {
    const { post } = pushed();
    expect(failingEnsures(headListPushFront, post)).toEqual([]);
    expect(failingListStoreInv(store(post.final))).toEqual([]);
  });

  it("a push_front that writes the list's id into a loose frame's in_list meets every HEAD push_front ensures and breaks the store", () => {
    const { post } = pushed();
    const f = post.final;
    const tainted = { ...post, final: { ...f, regions: withInList(f.regions, 2, f.owner.listId) } };
    expect(failingEnsures(headListPushFront, tainted)).toEqual([]);
    expect(listRegistryOk(tainted.final.regions, f.owner)).toEqual({ listed_carry_id: true, registry_complete: false });
    expect(failingListStoreInv(store(tainted.final))).toEqual([
      'ListStore::inv.loose',
      'ListStore::inv.lists_registry_ok',
    ]);
  });

  it('a listed slot whose in_list lost the id breaks lists (HEAD relate_region) and the registry', () => {
    const { post } = pushed();
    const f = post.final;
    const cleared = { ...f, regions: withInList(f.regions, 0, 0n) };
    expect(failingListStoreInv(store(cleared))).toEqual(['ListStore::inv.lists', 'ListStore::inv.lists_registry_ok']);
  });

  it('two lists with one id break list_ids_distinct', () => {
    const { post } = pushed();
    const f = post.final;
    expect(failingListStoreInv({ ...store(f), lists: [f.owner, f.owner] })).toEqual([
      'ListStore::inv.list_ids_distinct',
    ]);
  });
});
