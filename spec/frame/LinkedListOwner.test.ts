import { describe, expect, it } from 'vitest';
import { metaAddr } from '../meta/mapping.ts';
import { initialRegion, slotOwner, withSlotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { permissionU64 } from '../meta/perms.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import {
  backOwner,
  cursorModel,
  cursorWfRegion,
  decodeLink,
  frameLinkInv,
  frontOwner,
  linkFrameOwnerAt,
  listOwnerInv,
  listWf,
  moveNextOwnerSpec,
  moveNextSpec,
  movePrevOwnerSpec,
  movePrevSpec,
  relateRegionFailure,
  viewListOwner,
  withInList,
  withLink,
  type CursorModel,
  type CursorOwner,
  type LinkedListExec,
  type LinkedListOwner,
} from './LinkedListOwner.ts';
import { uniqueFromUnused } from './UniqueFrame.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });
const LINK = { type: 'Link', fields: { next: null, prev: null, meta: 0n } };

/** Unique Link frames at `slots`, linked in that order with in_list = 1. */
function linked(slots: readonly number[]): { r: MetaRegionOwners; exec: LinkedListExec } {
  let r = initialRegion(p);
  for (const i of slots) {
    const out = uniqueFromUnused.next({ old: r, args: { paddr: i * PAGE_SIZE, metadata: LINK }, p });
    if (out.kind !== 'return' || !out.result.ok) throw new Error('claim failed');
    r = out.final;
  }
  slots.forEach((i, k) => {
    r = withLink(r, i, { next: slots[k + 1] ?? null, prev: slots[k - 1] ?? null, meta: BigInt(k) });
    r = withInList(r, i, 1n);
  });
  const ends = slots.length === 0 ? null : [metaAddr(slots[0]!), metaAddr(slots[slots.length - 1]!)];
  return { r, exec: { front: ends?.[0] ?? null, back: ends?.[1] ?? null, size: slots.length, listId: 1n } };
}

describe('the list owner read back from the links', () => {
  it('follows next from the front; relate_region and wf hold for a well-linked list', () => {
    const { r, exec } = linked([3, 1, 2]);
    const own = viewListOwner(r, exec);
    expect(own.list.map((l) => l.paddr)).toEqual([3, 1, 2].map(metaAddr));
    expect(relateRegionFailure(own, r)).toBe(undefined);
    expect(Object.values(listWf(exec, own)).every(Boolean)).toBe(true);
    expect(decodeLink(r, 1)).toEqual({ next: 2, prev: 3, meta: 1n });
  });

  it('a cycle stops the walk, and relate_region names the broken conjunct', () => {
    const { r, exec } = linked([3, 1, 2]);
    const cyclic = withLink(r, 2, { next: 3, prev: 1, meta: 2n });
    const own = viewListOwner(cyclic, exec);
    expect(own.list).toHaveLength(3);
    expect(relateRegionFailure(own, cyclic)).toEqual({ i: 2, conjunct: 'next_none_iff_last' });
    const badPrev = withLink(r, 1, { next: 2, prev: 2, meta: 1n });
    expect(relateRegionFailure(viewListOwner(badPrev, exec), badPrev)).toEqual({ i: 1, conjunct: 'prev_link' });
    const wrongId = withInList(r, 2, 7n);
    expect(relateRegionFailure(viewListOwner(wrongId, exec), wrongId)).toEqual({ i: 2, conjunct: 'in_list' });
    const shared = withSlotOwner(r, 1, withOwnerFields(slotOwner(r, 1), { refCount: permissionU64(5, 1n) }));
    expect(relateRegionFailure(viewListOwner(shared, exec), shared)).toEqual({ i: 1, conjunct: 'rc_unique' });
  });

  it('LinkedList::wf catches a size or back pointer that disagrees with the links', () => {
    const { r, exec } = linked([3, 1]);
    const own = viewListOwner(r, exec);
    expect(
      Object.entries(listWf({ ...exec, size: 3 }, own))
        .filter(([, v]) => !v)
        .map(([k]) => k),
    ).toEqual(['size']);
    expect(
      Object.entries(listWf({ ...exec, back: metaAddr(3) }, own))
        .filter(([, v]) => !v)
        .map(([k]) => k),
    ).toEqual(['ends']);
  });

  it('seed owner inv needs a list id even when empty', () => {
    expect(listOwnerInv({ list: [], listId: 0n })).toEqual({ list_id_nonzero: false, in_list: true });
  });

  it('frame_link_inv: an unlinked frame whose owner names its slot (in_list is not part of it)', () => {
    const { r } = linked([3]);
    const owner = linkFrameOwnerAt(r, 3);
    const single = withLink(r, 3, { next: null, prev: null, meta: 0n });
    expect(frameLinkInv(owner, single)).toEqual({ prev_none: true, next_none: true, paddr: true });
    expect(owner.metaOwn.inList).toBe(1n);
  });
});

describe('cursor owner and model specs', () => {
  const owners = (n: number): CursorOwner[] => {
    const listOwn: LinkedListOwner = {
      list: Array.from({ length: n }, (_, i) => ({ paddr: metaAddr(i), inList: 1n })),
      listId: 1n,
    };
    return Array.from({ length: n + 1 }, (_, index) => ({ listOwn, index }));
  };
  const eq = (a: CursorModel, b: CursorModel) =>
    JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}` : v));

  it('move_next_owner_spec and move_prev_owner_spec agree with the model specs, for every position of lists up to 4', () => {
    for (let n = 0; n <= 4; n++) {
      for (const o of owners(n)) {
        expect(eq(cursorModel(moveNextOwnerSpec(o)), moveNextSpec(cursorModel(o)))).toBe(true);
        expect(eq(cursorModel(movePrevOwnerSpec(o)), movePrevSpec(cursorModel(o)))).toBe(true);
      }
    }
  });

  it('the ghost is reached from the last element and left to the first (or last, backwards)', () => {
    const [first, , last, ghost] = owners(3);
    expect([
      moveNextOwnerSpec(last!).index,
      moveNextOwnerSpec(ghost!).index,
      movePrevOwnerSpec(first!).index,
      movePrevOwnerSpec(ghost!).index,
    ]).toEqual([3, 0, 3, 2]);
    expect([
      frontOwner(ghost!.listOwn).index,
      backOwner(ghost!.listOwn).index,
      backOwner({ list: [], listId: 0n }).index,
    ]).toEqual([0, 2, 0]);
  });

  it('CursorMut::wf_region: current is element index, None at the ghost', () => {
    const { r, exec } = linked([3, 1]);
    const own = viewListOwner(r, exec);
    expect(Object.values(cursorWfRegion(metaAddr(1), exec, { listOwn: own, index: 1 }, r)).every(Boolean)).toBe(true);
    expect(cursorWfRegion(metaAddr(3), exec, { listOwn: own, index: 1 }, r).current_at_index).toBe(false);
    expect(cursorWfRegion(metaAddr(3), exec, { listOwn: own, index: 2 }, r).ghost_none).toBe(false);
  });
});
