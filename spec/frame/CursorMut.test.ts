import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { metaAddr } from '../meta/mapping.ts';
import { initialRegion, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { cursorCurrentMeta, cursorMoveNext, cursorMovePrev, cursorStateEq, cursorTakeCurrent } from './CursorMut.ts';
import { decodeLink } from './LinkedListOwner.ts';
import { cursorState, insertBefore, type CursorState } from './listMachine.ts';
import { uniqueFromUnused } from './UniqueFrame.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });

/** A list of `n` Link frames 0..n−1 in order, with a cursor at `index`. */
function at(n: number, index: number): CursorState {
  let r: MetaRegionOwners = initialRegion(p);
  let list = { front: null as bigint | null, back: null as bigint | null, size: 0, listId: 0n };
  let nextId = 1n;
  for (let i = 0; i < n; i++) {
    const out = uniqueFromUnused.next({
      old: r,
      args: { paddr: i * PAGE_SIZE, metadata: { type: 'Link', fields: { next: null, prev: null, meta: BigInt(i) } } },
      p,
    });
    if (out.kind === 'return') r = out.final;
    const ins = insertBefore(r, list, null, i, nextId);
    if (ins === 'abort') throw new Error('insert aborted');
    ({ regions: r, list, nextId } = ins);
  }
  return cursorState(r, list, index < n ? metaAddr(index) : null, index, nextId);
}
const run = <A, R>(
  spec: { next: (c: { old: CursorState; args: A; p: typeof p }) => { kind: string; final?: CursorState; result?: R } },
  s: CursorState,
  args: A,
) => {
  const out = spec.next({ old: s, args, p });
  if (out.kind !== 'return') throw new Error('aborted');
  return out as { final: CursorState; result: R };
};

describe('CursorMut op specs', () => {
  it('move_next: last element → ghost → front; move_prev: front → ghost → back', () => {
    const last = run(cursorMoveNext, at(3, 2), {}).final;
    expect([last.current, last.owner.index]).toEqual([null, 3]);
    const first = run(cursorMoveNext, last, {}).final;
    expect([first.current, first.owner.index]).toEqual([metaAddr(0), 0]);
    const ghost = run(cursorMovePrev, first, {}).final;
    expect([ghost.current, ghost.owner.index]).toEqual([null, 3]);
    expect(clausesBrokenByNext(cursorMoveNext, { old: at(3, 1), args: {}, p })).toEqual([]);
  });

  it('a move_next that does not move breaks wf_region (the exec cursor is not at the predicted index)', () => {
    const stuck = {
      ...cursorMoveNext,
      next: (c: { old: CursorState }) => ({ kind: 'return' as const, final: c.old, result: undefined }),
    };
    expect(clausesBrokenByNext(stuck, { old: at(3, 1), args: {}, p })).toEqual([
      'CursorMut::move_next.ensures.wf_region',
    ]);
  });

  it('current_meta reads M and stores through it without touching the links', () => {
    const { final, result } = run<{ store: { value: unknown } | null }, { meta: unknown } | null>(
      cursorCurrentMeta,
      at(2, 1),
      { store: { value: 9n } },
    );
    expect([result, decodeLink(final.regions, 1)]).toEqual([{ meta: 1n }, { next: null, prev: 0, meta: 9n }]);
    expect(run(cursorCurrentMeta, at(2, 2), { store: null }).result).toBe(null);
  });

  it('take_current at the ghost takes nothing and changes nothing', () => {
    const s = at(2, 2);
    const out = run<Record<string, never>, unknown>(cursorTakeCurrent, s, {});
    expect([out.result, cursorStateEq(out.final, s)]).toEqual([null, true]);
    const mid = run<Record<string, never>, unknown>(cursorTakeCurrent, at(3, 1), {});
    expect([mid.final.current, mid.final.owner.index, mid.final.owner.listOwn.list.length]).toEqual([
      metaAddr(2),
      1,
      2,
    ]);
  });
});
