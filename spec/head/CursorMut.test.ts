/**
 * vostd HEAD's `CursorMut` contracts: the seed's ops under HEAD's texts, with `inv_region` renamed
 * `wf_with_region` over HEAD's `relate_region` (the slot's `in_list_perm` must carry the list id).
 * Each changed clause is true on the spec's own transitions and made false by a wrong state, result or caller.
 */
import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { insertArgs, listWorld } from '../../test/listWorld.ts';
import { failingEnsures, failingRequires, runSpec } from '../../test/specRun.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { metaAddr } from '../meta/mapping.ts';
import { cursorTakeCurrent } from '../frame/CursorMut.ts';
import { withInList } from '../frame/LinkedListOwner.ts';
import { cursorState, type CursorState } from '../frame/listMachine.ts';
import { REWORD_PROBLEMS } from './reword.ts';
import { headRelateRegionFailure } from './LinkedListOwner.ts';
import {
  cursorOpsOf,
  headCursorCurrentMeta,
  headCursorInsertBefore,
  headCursorMoveNext,
  headCursorMovePrev,
  headCursorTakeCurrent,
  HEAD_CURSOR_OPS,
} from './CursorMut.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });
const E = {};

/** `n` Link frames inserted one by one at the ghost by HEAD's insert_before (each step's clauses checked), the cursor then at `index`. */
function listOf(n: number, index: number): CursorState {
  const w = listWorld(n, p);
  let s = cursorState(w.regions, w.list, null, 0, w.nextId);
  for (let i = 0; i < n; i++) {
    const args = insertArgs({ ...w, regions: s.regions }, i);
    expect(clausesBrokenByNext(headCursorInsertBefore, { old: s, args, p }), `insert ${i}`).toEqual([]);
    s = runSpec(headCursorInsertBefore, s, args, p).final;
  }
  return cursorState(s.regions, s.list, index < n ? metaAddr(index) : null, index, s.nextId);
}

describe('the HEAD CursorMut table', () => {
  it('is built from the seed ops without an untranslated clause, speaking wf_with_region and owner@', () => {
    expect(REWORD_PROBLEMS).toEqual([]);
    const rows = HEAD_CURSOR_OPS.flatMap((s) => [...s.requires, ...s.ensures]);
    expect(rows.map((c) => c.verus).join('\n')).not.toContain('inv_region');
    for (const s of HEAD_CURSOR_OPS) expect(rows.map((c) => c.name)).toContain(`${s.name}.requires.wf_with_region`);
    expect(cursorOpsOf('head').takeCurrent).toBe(headCursorTakeCurrent);
    expect(cursorOpsOf('seed').takeCurrent).toBe(cursorTakeCurrent);
  });

  it("every op's HEAD clauses hold on the spec's own transition from a well-formed cursor", () => {
    for (const index of [0, 1, 2, 3]) {
      const s = listOf(3, index);
      for (const spec of [headCursorMoveNext, headCursorMovePrev, headCursorTakeCurrent] as const)
        expect(clausesBrokenByNext(spec as never, { old: s, args: E, p } as never), `${spec.name} @${index}`).toEqual(
          [],
        );
      expect(clausesBrokenByNext(headCursorCurrentMeta, { old: s, args: { store: { value: 7n } }, p })).toEqual([]);
    }
  });

  it("a listed slot whose in_list atomic lost the id: HEAD's wf_with_region blames the caller, the seed's inv_region does not", () => {
    const s = listOf(2, 0);
    // The tracked owner still says in_list == list_id; the slot's own in_list_perm says 0.
    const bad = { ...s, regions: withInList(s.regions, 1, 0n) };
    expect(headRelateRegionFailure(bad.owner.listOwn, bad.regions)).toEqual({ i: 1, conjunct: 'in_list_perm' });
    expect(failingRequires(headCursorMoveNext, { old: bad, args: E, p })).toEqual([
      'CursorMut::move_next.requires.wf_with_region',
    ]);
    expect(failingRequires(cursorOpsOf('seed').moveNext, { old: bad, args: E, p })).toEqual([]);
  });

  it('take_current: a result whose owner kept the taken element breaks HEAD model (owner@ == old(owner)@.remove()) and list', () => {
    const s = listOf(3, 1);
    const post = runSpec(headCursorTakeCurrent, s, E, p);
    expect(failingEnsures(headCursorTakeCurrent, post)).toEqual([]);
    const kept = { ...post, final: { ...post.final, owner: s.owner } };
    const broken = failingEnsures(headCursorTakeCurrent, kept);
    expect(broken).toContain('CursorMut::take_current.ensures.model');
    expect(broken).toContain('CursorMut::take_current.ensures.list');
    expect(broken).toContain('CursorMut::take_current.ensures.wf_with_region');
  });

  it('insert_before: an owner index not advanced breaks HEAD model and index_inc', () => {
    const w = listWorld(2, p);
    const s0 = cursorState(w.regions, w.list, null, 0, w.nextId);
    const post = runSpec(headCursorInsertBefore, s0, insertArgs(w, 0), p);
    const stay = { ...post, final: { ...post.final, owner: { ...post.final.owner, index: 0 } } };
    const broken = failingEnsures(headCursorInsertBefore, stay);
    expect(broken).toContain('CursorMut::insert_before.ensures.model');
    expect(broken).toContain('CursorMut::insert_before.ensures.index_inc');
  });

  it('a move_next that does not move breaks wf_region under HEAD as under the seed', () => {
    const stuck = {
      ...headCursorMoveNext,
      next: (c: { old: CursorState }) => ({ kind: 'return' as const, final: c.old, result: undefined }),
    };
    expect(clausesBrokenByNext(stuck, { old: listOf(3, 1), args: E, p })).toEqual([
      'CursorMut::move_next.ensures.wf_region',
    ]);
  });
});
