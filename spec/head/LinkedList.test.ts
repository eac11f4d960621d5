/**
 * vostd HEAD's `LinkedList` contracts: the table is the seed's ops under HEAD's texts, and the clause
 * HEAD changed in meaning, `owner.inv()`'s id conjunct, is true on a fresh empty list (the seed's is
 * false there) and false on a non-empty list with no id.
 */
import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { insertArgs, listWorld } from '../../test/listWorld.ts';
import { failingRequires } from '../../test/specRun.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { listCursorFrontMut, listIsEmpty, listPopFront, listSize } from '../frame/LinkedList.ts';
import { withInList } from '../frame/LinkedListOwner.ts';
import type { ListState } from '../frame/listMachine.ts';
import { REWORD_PROBLEMS } from './reword.ts';
import {
  headListCursorBackMut,
  headListCursorFrontMut,
  headListIsEmpty,
  headListPopBack,
  headListPopFront,
  headListPushBack,
  headListPushFront,
  headListSize,
  HEAD_LINKED_LIST_OPS,
} from './LinkedList.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });

/** `n` unique `Link` frames and an empty list with no id yet. */
const world = (n: number): ListState => listWorld(n, p);
const ins = insertArgs;
const E = {};

describe('the HEAD LinkedList table', () => {
  it('is built from the seed ops without an untranslated clause, speaking valid_frame_paddr', () => {
    expect(REWORD_PROBLEMS).toEqual([]);
    const texts = HEAD_LINKED_LIST_OPS.flatMap((s) => [...s.requires, ...s.ensures].map((c) => c.verus)).join('\n');
    expect(texts).not.toContain('has_safe_slot');
    expect(texts).toContain('valid_frame_paddr');
  });

  it("owner.inv(): a fresh list with no id is fine under HEAD's table, not under the seed's", () => {
    const s = world(0);
    for (const [head, seed] of [
      [headListSize, listSize],
      [headListIsEmpty, listIsEmpty],
      [headListCursorFrontMut, listCursorFrontMut],
    ] as const) {
      expect(failingRequires(head as never, { old: s, args: E, p } as never), head.name).toEqual([]);
      expect(failingRequires(seed as never, { old: s, args: E, p } as never), seed.name).toEqual([
        `${seed.name}.requires.owner_inv.list_id_nonzero`,
      ]);
    }
  });

  it('owner.inv(): a non-empty list whose owner lost its id breaks the HEAD conjunct', () => {
    const w = world(1);
    const one = headListPushFront.next({ old: w, args: ins(w, 0), p });
    if (one.kind !== 'return') throw new Error('push aborted');
    const noId = { ...one.final, owner: { ...one.final.owner, listId: 0n } };
    expect(failingRequires(headListCursorBackMut as never, { old: noId, args: E, p } as never)).toContain(
      'LinkedList::cursor_back_mut.requires.owner_inv.list_id_nonzero',
    );
  });

  it("relate_region: a listed slot whose in_list atomic lost the id breaks HEAD's in_list_perm conjunct, not the seed's", () => {
    let s = world(2);
    for (const i of [0, 1]) {
      const out = headListPushFront.next({ old: s, args: ins(s, i), p });
      if (out.kind !== 'return') throw new Error('push aborted');
      s = out.final;
    }
    // The tracked owner keeps in_list == list_id for both links; slot 0's own in_list_perm says 0.
    const bad = { ...s, regions: withInList(s.regions, 0, 0n) };
    expect(failingRequires(headListPopFront as never, { old: bad, args: E, p } as never)).toContain(
      'LinkedList::pop_front.requires.relate_region',
    );
    expect(failingRequires(listPopFront as never, { old: bad, args: E, p } as never)).not.toContain(
      'LinkedList::pop_front.requires.relate_region',
    );
  });

  it('push and pop: from states the requires accept, next meets every HEAD ensures but the seed-era push_back position', () => {
    let s = world(3);
    for (const [spec, i] of [
      [headListPushFront, 0],
      [headListPushFront, 1],
    ] as const) {
      expect(clausesBrokenByNext(spec, { old: s, args: ins(s, i), p })).toEqual([]);
      const out = spec.next({ old: s, args: ins(s, i), p });
      if (out.kind !== 'return') throw new Error('push aborted');
      s = out.final;
    }
    // HEAD still inserts before the back element, where upstream appends (the seed's finding, unchanged).
    expect(clausesBrokenByNext(headListPushBack, { old: s, args: ins(s, 2), p })).toEqual([
      'LinkedList::push_back.ensures.insert_before_last',
    ]);
    for (const spec of [headListPopFront, headListPopBack])
      expect(clausesBrokenByNext(spec, { old: s, args: E, p } as never), spec.name).toEqual([]);
  });
});
