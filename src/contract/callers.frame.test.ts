/**
 * Wrong callers of the checked `Frame` and `UniqueFrame` operations: each row breaks the named `requires`
 * clauses through the real checked frame layer — a handle forged for another slot, a tracked owner that
 * names another frame, a handle used after it was moved, a caller that carries on after a kernel abort
 * left a count past `REF_COUNT_MAX` — and the report blames the caller (see `fixtures/callers.ts`).
 */
import { describe } from 'vitest';
import { link } from '../../impl/frame/LinkedList.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, UnitMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { uniqueOwner } from '../../spec/frame/UniqueFrame.ts';
import { MAX_META_SLOTS, PAGE_SIZE } from '../../spec/vocab.ts';
import type { FrameHandle, UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import type { ContractMode } from './ContractChecker.ts';
import { callerRows, type Arranged, type CallerRow } from './fixtures/callers.ts';

const P = PAGE_SIZE;
/** 16 frames; `REF_COUNT_MAX` lowered to 2 so that a third reference overflows. */
const NR = 16;
const K = unit(KernelMeta);
/** One past the last frame: a slot inside `slot_owners`' domain with no frame (and no memory) behind it. */
const BEYOND = NR;
/** The first index outside `slot_owners`' domain `[0, max_meta_slots())`. */
const OUT = MAX_META_SLOTS;

/** A checked layer in `mode`, and the wrong call `build` sets up on it. */
function world(mode: ContractMode, build: (l: CheckedFrameLayer) => () => unknown): Arranged {
  const l = new CheckedFrameLayer({ maxPaddr: NR * P, refCountMax: 2n, mode });
  const call = build(l);
  return {
    violations: () => l.violations,
    call,
    touched: () => l.tracking.log.length > 0 || l.tracking.plainWrites.length > 0,
  };
}
const row = (
  wrong: string,
  breaks: readonly string[],
  build: (l: CheckedFrameLayer) => () => unknown,
  flags: Partial<Pick<CallerRow, 'collectOnly' | 'enforceOnly' | 'linearity'>> = {},
): CallerRow => ({ wrong, breaks, arrange: (mode) => world(mode, build), ...flags });

const frame = (l: CheckedFrameLayer, i: number): FrameHandle => {
  const h = l.fromUnused(i * P, K);
  if (typeof h === 'string') throw new Error(h);
  return h;
};
const unique = (l: CheckedFrameLayer, i: number, meta: FrameMeta = K): UniqueHandle => {
  const h = l.uniqueFromUnused(i * P, meta);
  if (typeof h === 'string') throw new Error(h);
  return h;
};
/** The same live handle, pointing at slot `slot` (a `Frame` forged from a wrong pointer). */
const forged = (h: FrameHandle, slot: number): FrameHandle => ({ ...h, slot });
/** The same live unique handle with a tracked owner that names slot `slot` (and `type`). */
const owned = (u: UniqueHandle, slot: number, type = u.owner.metaOwn.type): UniqueHandle => ({
  ...u,
  owner: uniqueOwner(slot, type),
});
/**
 * Frame `i` with its count past `REF_COUNT_MAX`: the second clone aborts after its `fetch_add`, as upstream
 * does, and the caller goes on as if the kernel had not stopped. `regions.inv()` is false at `i` from then on.
 */
function overflowed(l: CheckedFrameLayer, i: number, forget = false): FrameHandle {
  const h = frame(l, i);
  const c = l.clone(h);
  if (forget) l.intoRaw(c);
  try {
    l.clone(h);
  } catch (e) {
    if (!(e instanceof KernelAbort)) throw e;
  }
  return h;
}
/** A unique `Link` frame at slot `i`, pushed into a list (its handle is moved into the list). */
function listed(l: CheckedFrameLayer, i: number): UniqueHandle {
  const u = unique(l, i, link(0n));
  l.newList().pushBack(u);
  return u;
}
/** The metadata type of the frame in slot `i`. */
const typeAt = (l: CheckedFrameLayer, i: number) => l.impl.dynMeta(i)?.type.name ?? '';
/** Frame `i` caught between another thread's last `fetch_sub` and its store of `REF_COUNT_UNUSED` (count 0). */
function midTeardown(l: CheckedFrameLayer, i: number): FrameHandle {
  const h = frame(l, i);
  l.impl.mem.store(l.impl.refCountWord(i), 0n, 0);
  return h;
}

const F = (op: string, c: string) => `Frame::${op}.requires.${c}`;
const U = (op: string, c: string) => `UniqueFrame::${op}.requires.${c}`;

/** `owner.global_inv(regions)` broken by an owner naming the slot one past the last frame, or one outside `slot_owners`. */
const BEYOND_GLOBAL = [
  'owner_inv',
  'wf',
  'global_inv.perm_init',
  'global_inv.metadata_wf',
  'global_inv.rc_unique',
  'global_inv.obligation',
];
const OUT_GLOBAL = [
  'owner_inv',
  'wf',
  'global_inv.slots_contain',
  'global_inv.owners_contain',
  'global_inv.perm_init',
  'global_inv.perm_wf',
  'global_inv.perm_addr',
  'global_inv.metadata_wf',
  'global_inv.rc_unique',
  'global_inv.obligation',
];
/** The two forged-owner rows of an op that requires `owner.global_inv(regions)`. */
const forgedOwners = (op: string, call: (l: CheckedFrameLayer, u: UniqueHandle) => () => unknown): CallerRow[] => [
  row(
    'an owner that names the slot one past the last frame',
    BEYOND_GLOBAL.map((c) => U(op, c)),
    (l) => call(l, owned(unique(l, 1), BEYOND)),
  ),
  row(
    'an owner that names a slot outside slot_owners',
    OUT_GLOBAL.map((c) => U(op, c)),
    (l) => call(l, owned(unique(l, 1), OUT)),
  ),
];

describe('Frame: wrong callers', () => {
  callerRows('Frame::clone', [
    row(
      'a Frame forged for the slot one past the last frame',
      [F('clone', 'frame_inv')],
      (l) => {
        const h = forged(frame(l, 1), BEYOND);
        return () => l.clone(h);
      },
      { enforceOnly: true },
    ),
    row('cloning a frame whose count another thread has just dropped to 0', [F('clone', 'rc_pos')], (l) => {
      const h = midTeardown(l, 1);
      return () => l.clone(h);
    }),
  ]);

  callerRows('Frame::drop', [
    row(
      'a Frame forged for the slot one past the last frame',
      [F('drop', 'frame_inv')],
      (l) => {
        const h = forged(frame(l, 1), BEYOND);
        return () => l.drop(h);
      },
      { enforceOnly: true },
    ),
    row('dropping a frame whose count another thread has just dropped to 0', [F('drop', 'rc_pos')], (l) => {
      const h = midTeardown(l, 1);
      return () => l.drop(h);
    }),
  ]);

  callerRows('Frame::into_raw', [
    row(
      'forgetting a frame whose count overflowed (the caller ignored the abort)',
      [F('into_raw', 'regions_inv')],
      (l) => {
        const h = overflowed(l, 1);
        return () => l.intoRaw(h);
      },
    ),
    row(
      'a Frame forged for a slot outside slot_owners',
      [F('into_raw', 'slots_contain')],
      (l) => {
        const h = forged(frame(l, 1), OUT);
        return () => l.intoRaw(h);
      },
      { enforceOnly: true },
    ),
    row(
      'a Frame forged for the slot one past the last frame',
      [F('into_raw', 'frame_inv')],
      (l) => {
        const h = forged(frame(l, 1), BEYOND);
        return () => l.intoRaw(h);
      },
      { enforceOnly: true },
    ),
    row('a Frame forged for an unused slot', [F('into_raw', 'rc_not_unused'), F('into_raw', 'obligation')], (l) => {
      const h = forged(frame(l, 1), 3);
      return () => l.intoRaw(h);
    }),
    row(
      'forgetting the same frame twice',
      [F('into_raw', 'obligation')],
      (l) => {
        const h = frame(l, 1);
        l.intoRaw(h);
        return () => l.intoRaw(h);
      },
      { linearity: true },
    ),
  ]);

  callerRows('Frame::from_raw', [
    row(
      'restoring an address outside slot_owners',
      [
        F('from_raw', 'owners_contain'),
        F('from_raw', 'self_addr'),
        F('from_raw', 'safe_slot'),
        F('from_raw', 'rc_not_unused'),
        F('from_raw', 'slots_contain'),
        F('from_raw', 'alive'),
        F('from_raw', 'forgotten_reference'),
      ],
      (l) => () => l.fromRaw(OUT * P),
    ),
    row('restoring a frame whose count overflowed', [F('from_raw', 'regions_inv')], (l) => {
      overflowed(l, 1, true);
      return () => l.fromRaw(P);
    }),
  ]);
});

describe('UniqueFrame: wrong callers', () => {
  callerRows('UniqueFrame::from_unused', [
    row(
      'claiming a frame whose count overflowed',
      [U('from_unused', 'usage_unused'), U('from_unused', 'regions_inv')],
      (l) => {
        overflowed(l, 1);
        return () => l.uniqueFromUnused(P, K);
      },
    ),
    row(
      'claiming an address outside slot_owners',
      [U('from_unused', 'owners_contain')],
      (l) => () => l.uniqueFromUnused(OUT * P, K),
    ),
  ]);

  callerRows('UniqueFrame::meta', [...forgedOwners('meta', (l, u) => () => l.meta(u))]);

  // The owner of the unique frame at slot 1 is swapped for one naming another frame: slot 2 shared,
  // slot 3 unused, slot 4 overflowed, slot 5 a unique frame moved into a list.
  const others = (l: CheckedFrameLayer) => {
    frame(l, 2);
    overflowed(l, 4);
    listed(l, 5);
    return unique(l, 1);
  };

  callerRows('UniqueFrame::meta_mut', [
    ...forgedOwners('meta_mut', (l, u) => () => l.metaMut(u, K)),
    row('an owner that names a shared frame', [U('meta_mut', 'wf'), U('meta_mut', 'global_inv.rc_unique')], (l) => {
      const u = owned(others(l), 2);
      return () => l.metaMut(u, K);
    }),
    row(
      'an owner that names a unique frame moved into a list',
      [U('meta_mut', 'wf'), U('meta_mut', 'global_inv.obligation')],
      (l) => {
        const u = others(l);
        const v = owned(u, 5, typeAt(l, 5));
        return () => l.metaMut(v, link(1n));
      },
    ),
    row(
      'an owner vouching for another metadata type than the frame holds',
      [U('meta_mut', 'global_inv.metadata_wf')],
      (l) => {
        const u = owned(unique(l, 1), 1, UnitMeta.name);
        return () => l.metaMut(u, unit(UnitMeta));
      },
    ),
    row('storing a value of another type through the &mut M', [U('meta_mut', 'value_typed')], (l) => {
      const u = unique(l, 1);
      return () => l.metaMut(u, unit(UnitMeta));
    }),
  ]);

  callerRows('UniqueFrame::repurpose', [
    ...forgedOwners('repurpose', (l, u) => () => l.repurpose(u, K)),
    row(
      'an owner that names a frame whose count overflowed',
      [U('repurpose', 'wf'), U('repurpose', 'global_inv.rc_unique'), U('repurpose', 'regions_inv')],
      (l) => {
        const u = owned(others(l), 4);
        return () => l.repurpose(u, K);
      },
    ),
    row(
      'repurposing a unique frame after moving it into a list',
      [U('repurpose', 'global_inv.obligation'), U('repurpose', 'in_list_zero')],
      (l) => {
        const u = listed(l, 1);
        return () => l.repurpose(u, link(1n));
      },
      { linearity: true },
    ),
  ]);

  for (const op of ['drop', 'reset_as_unused'] as const) {
    const call = (l: CheckedFrameLayer, u: UniqueHandle) => () =>
      op === 'drop' ? l.dropUnique(u) : l.resetAsUnused(u);
    const obl = op === 'drop' ? [U(op, 'obligation')] : [];
    callerRows(`UniqueFrame::${op}`, [
      row(
        'an owner that names the slot one past the last frame',
        [...['owner_inv', 'wf', 'rc_unique', 'storage_init', 'vtable_init'].map((c) => U(op, c)), ...obl],
        (l) => call(l, owned(unique(l, 1), BEYOND)),
      ),
      row(
        'an owner that names a slot outside slot_owners',
        [
          ...['owner_inv', 'wf', 'owners_contain', 'rc_unique', 'storage_init', 'vtable_init'].map((c) => U(op, c)),
          ...obl,
        ],
        (l) => call(l, owned(unique(l, 1), OUT)),
      ),
      row('an owner that names a shared frame', [U(op, 'wf'), U(op, 'rc_unique')], (l) => call(l, owned(others(l), 2))),
      row(
        'an owner that names a frame whose count overflowed',
        [U(op, 'wf'), U(op, 'rc_unique'), U(op, 'regions_inv')],
        (l) => call(l, owned(others(l), 4)),
      ),
      row('an owner that names a unique frame moved into a list', [U(op, 'wf'), U(op, 'in_list_zero'), ...obl], (l) =>
        call(l, owned(others(l), 5)),
      ),
    ]);
  }

  callerRows('Frame::from_unique', [
    row(
      'an owner that names the slot one past the last frame',
      [F('from_unique', 'wf'), F('from_unique', 'owner_inv')],
      (l) => {
        const u = owned(unique(l, 1), BEYOND);
        return () => l.intoShared(u);
      },
    ),
    row('an owner that names another frame', [F('from_unique', 'wf')], (l) => {
      const u = owned(others(l), 2);
      return () => l.intoShared(u);
    }),
  ]);

  callerRows('UniqueFrame::try_from_shared', [
    row(
      'a Frame forged for the slot one past the last frame',
      [U('try_from_shared', 'frame_inv')],
      (l) => {
        const h = forged(frame(l, 1), BEYOND);
        return () => l.tryIntoUnique(h);
      },
      { enforceOnly: true },
    ),
  ]);
});
