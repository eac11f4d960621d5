/**
 * Wrong callers of the checked `LinkedList` and `CursorMut` operations. The list's owner is read back
 * from the links in memory, so a list breaks its `wf`/`relate_region` requires only when a caller has
 * reached a listed frame through a handle it no longer owns (the `UniqueFrame` it moved into the list):
 * dropped, reset, repurposed or relinked through it, or counted again through a `Frame` restored for it. The frame being inserted breaks its
 * own requires with a tracked owner that names another frame. Each row checks that the report names
 * the op's broken clauses and blames the caller (see `fixtures/callers.ts`).
 */
import { describe } from 'vitest';
import { link, LinkMeta, linkValue } from '../../impl/frame/LinkedList.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta } from '../../impl/meta/frameMeta.ts';
import { uniqueOwner } from '../../spec/frame/UniqueFrame.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import type { CheckedCursor, CheckedLinkedList } from './CheckedLinkedList.ts';
import type { ContractMode } from './ContractChecker.ts';
import { callerRows, type Arranged, type CallerRow } from './fixtures/callers.ts';

const P = PAGE_SIZE;
const NR = 16;

/** Unique `Link` frames at slots 1–4; frames 1 and 2 moved into list `a` (front to back), 3 and 4 free. */
type World = Readonly<{ l: CheckedFrameLayer; u: readonly UniqueHandle[]; a: CheckedLinkedList }>;

function base(mode: ContractMode): World {
  const l = new CheckedFrameLayer({ maxPaddr: NR * P, mode });
  const u = [1, 2, 3, 4].map((i) => {
    const h = l.uniqueFromUnused(i * P, link(BigInt(i)));
    if (typeof h === 'string') throw new Error(h);
    return h;
  });
  const a = l.newList();
  // Built from the front: vostd's push_back clause (insert before the last element) is false for upstream's append.
  a.pushFront(u[1]!);
  a.pushFront(u[0]!);
  return { l, u, a };
}

/** What the caller did to a listed frame through the handle it had moved into the list. */
const STALE = {
  dropped: ({ l, u }: World) => l.dropUnique(u[0]!),
  reset: ({ l, u }: World) => l.resetAsUnused(u[1]!),
  /**
   * A `Frame` restored for the front frame, which was never forgotten (a voided `from_raw`), then cloned:
   * the clone's `fetch_add` takes the count from `REF_COUNT_UNIQUE` to `REF_COUNT_UNUSED` before it aborts.
   */
  wrapped: ({ l }: World) => {
    const h = l.fromRaw(P);
    try {
      l.clone(h);
    } catch (e) {
      if (!(e instanceof KernelAbort)) throw e;
    }
  },
  repurposed: ({ l, u }: World) => void l.repurpose(u[0]!, link(9n)),
  /** The back frame's `next` pointed at frame 3, which is in no list. */
  relinked: ({ l, u }: World) => l.metaMut(u[1]!, { type: LinkMeta, value: linkValue(3, 1, 2n) }),
} as const;
const STALE_TEXT: Readonly<Record<keyof typeof STALE, string>> = {
  dropped: 'after the caller dropped a listed frame through its moved handle',
  reset: 'after the caller reset a listed frame to unused through its moved handle',
  wrapped: 'after a clone of a Frame restored for a listed frame wrapped its count to REF_COUNT_UNUSED',
  repurposed: 'after the caller repurposed a listed frame (new, unlinked metadata) through its moved handle',
  relinked: "after the caller rewrote a listed frame's next link through its moved handle",
};

/** One row: the op on list `a` (or on a cursor at its front made before the wrong step), after `stale`. */
function staleRow(
  op: string,
  stale: keyof typeof STALE,
  breaks: readonly string[],
  call: (w: World, c: CheckedCursor) => unknown,
): CallerRow {
  return {
    wrong: STALE_TEXT[stale],
    breaks: breaks.map((c) => `${op}.requires.${c}`),
    collectOnly: true,
    arrange: (mode) => {
      const w = base(mode);
      const c = w.a.cursorFrontMut();
      STALE[stale](w);
      return arranged(w, () => call(w, c));
    },
  };
}
const arranged = (w: World, call: () => unknown): Arranged => ({
  violations: () => w.l.violations,
  call,
  touched: () => w.l.tracking.log.length > 0 || w.l.tracking.plainWrites.length > 0,
});

/** The free frame 3 inserted with a tracked owner that names `slot` (and `type`) instead of its own. */
function ownerRow(
  op: string,
  wrong: string,
  breaks: readonly string[],
  slot: number,
  type: string,
  insert: (w: World, c: CheckedCursor, u: UniqueHandle) => unknown,
): CallerRow {
  return {
    wrong,
    breaks: breaks.map((c) => `${op}.requires.${c}`),
    arrange: (mode) => {
      const w = base(mode);
      const c = w.a.cursorFrontMut();
      const u = { ...w.u[2]!, owner: uniqueOwner(slot, type) };
      return arranged(w, () => insert(w, c, u));
    },
  };
}
/** The three forged owners of an inserted frame, for an insert op. */
function ownerRows(op: string, insert: (w: World, c: CheckedCursor, u: UniqueHandle) => unknown): CallerRow[] {
  const beyond = ['frame_own_inv', 'frame_global_inv', 'frame_wf', 'frame_link_inv'];
  return [
    ownerRow(op, 'an owner that names the slot one past the last frame', beyond, NR, LinkMeta.name, insert),
    ownerRow(op, 'an owner vouching for another metadata type', ['frame_global_inv'], 3, KernelMeta.name, insert),
    ownerRow(op, 'an owner that names another free frame', ['frame_wf'], 4, LinkMeta.name, insert),
  ];
}

/** `LinkedList::new()` never pushed to: the seed's `owner.inv()` wants a list id even for an empty list. */
function freshRow(op: string, call: (a: CheckedLinkedList) => unknown): CallerRow {
  return {
    wrong: 'on a list that was never pushed to (list id 0)',
    breaks: [`${op}.requires.owner_inv.list_id_nonzero`],
    arrange: (mode) => {
      const l = new CheckedFrameLayer({ maxPaddr: NR * P, mode });
      const a = l.newList();
      return arranged({ l, u: [], a }, () => call(a));
    },
  };
}

const L = (op: string) => `LinkedList::${op}`;
const C = (op: string) => `CursorMut::${op}`;

describe('LinkedList: wrong callers', () => {
  for (const [op, call] of [
    ['size', (a: CheckedLinkedList) => a.size()],
    ['is_empty', (a: CheckedLinkedList) => a.isEmpty()],
    ['cursor_front_mut', (a: CheckedLinkedList) => a.cursorFrontMut()],
    ['cursor_back_mut', (a: CheckedLinkedList) => a.cursorBackMut()],
  ] as const) {
    callerRows(L(op), [
      staleRow(L(op), 'dropped', ['wf'], ({ a }) => call(a)),
      staleRow(L(op), 'relinked', ['wf', 'owner_inv.in_list'], ({ a }) => call(a)),
      freshRow(L(op), call),
    ]);
  }

  for (const [op, call] of [
    ['pop_front', (a: CheckedLinkedList) => a.popFront()],
    ['pop_back', (a: CheckedLinkedList) => a.popBack()],
  ] as const) {
    callerRows(L(op), [
      staleRow(L(op), 'wrapped', ['regions_inv', 'relate_region'], ({ a }) => call(a)),
      staleRow(L(op), 'repurposed', ['wf_region'], ({ a }) => call(a)),
    ]);
  }

  for (const [op, push] of [
    ['push_front', (a: CheckedLinkedList, u: UniqueHandle) => a.pushFront(u)],
    ['push_back', (a: CheckedLinkedList, u: UniqueHandle) => a.pushBack(u)],
  ] as const) {
    callerRows(L(op), [
      staleRow(L(op), 'wrapped', ['relate_region', 'regions_inv'], ({ a, u }) => push(a, u[2]!)),
      staleRow(L(op), 'repurposed', ['wf_region'], ({ a, u }) => push(a, u[2]!)),
      ...ownerRows(L(op), ({ a }, _c, u) => push(a, u)),
    ]);
  }

  callerRows(L('cursor_mut_at'), [
    staleRow(L('cursor_mut_at'), 'reset', ['regions_inv'], ({ a }) => a.cursorMutAt(2 * P)),
  ]);
});

describe('CursorMut: wrong callers', () => {
  callerRows(C('move_next'), [staleRow(C('move_next'), 'wrapped', ['inv_region'], (_w, c) => c.moveNext())]);
  callerRows(C('move_prev'), [
    staleRow(C('move_prev'), 'wrapped', ['inv_region'], (_w, c) => c.movePrev()),
    staleRow(C('move_prev'), 'repurposed', ['wf_region'], (_w, c) => c.movePrev()),
  ]);
  for (const [op, call] of [
    ['current_meta', (c: CheckedCursor) => c.currentMeta()],
    ['take_current', (c: CheckedCursor) => c.takeCurrent()],
  ] as const) {
    callerRows(C(op), [
      staleRow(C(op), 'wrapped', ['inv_region', 'regions_inv'], (_w, c) => call(c)),
      staleRow(C(op), 'repurposed', ['wf_region'], (_w, c) => call(c)),
    ]);
  }
  callerRows(C('insert_before'), [
    staleRow(C('insert_before'), 'wrapped', ['inv_region', 'regions_inv'], ({ u }, c) => c.insertBefore(u[2]!)),
    staleRow(C('insert_before'), 'repurposed', ['wf_region'], ({ u }, c) => c.insertBefore(u[2]!)),
    ...ownerRows(C('insert_before'), (_w, c, u) => c.insertBefore(u)),
  ]);
});
