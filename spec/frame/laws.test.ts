/**
 * `assertPostHoldsForNext` for every Frame, UniqueFrame, LinkedList and CursorMut op spec, over states
 * reached by the specs' own transitions: a few frames claimed shared or unique, cloned, dropped,
 * forgotten and restored, converted, and unique `Link` frames pushed into and taken out of a list.
 *
 * The one clause `next` (upstream) is expected to break is vostd's `push_back` position
 * (`insert_before_last`); a test pins exactly that.
 *
 * A second law: every clause can be false (it is not vacuous). Clauses are evaluated on broken
 * variants of the generated inputs and on wrong outcomes of `next`, and counted in clause coverage
 * (`framecheck clauses`), which is why this spec test records through `src/contract/coverage.ts`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertPostHoldsForNext, clausesBrokenByNext } from '../../test/laws.ts';
import type { OpSpec, PreCtx } from '../Op.ts';
import { registeredFrameOps } from '../registry.ts';
import { listDrop } from './LinkedListDrop.ts';
import { metaAddr } from '../meta/mapping.ts';
import { initialRegion, slotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import type { MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { valueOf } from '../meta/perms.ts';
import { extractSlotPerm, withLedger, withSlotOwner } from '../meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { permissionU64 } from '../meta/perms.ts';
import { recordClause } from '../../src/contract/coverage.ts';
import { modelParams, PAGE_SIZE, type Paddr } from '../vocab.ts';
import {
  CURSOR_OPS,
  cursorCurrentMeta,
  cursorInsertBefore,
  cursorMoveNext,
  cursorMovePrev,
  cursorTakeCurrent,
} from './CursorMut.ts';
import {
  FRAME_OPS,
  frameAt,
  frameClone,
  frameDrop,
  frameFromInUse,
  frameFromRaw,
  frameFromUnused,
  frameIntoRaw,
} from './Frame.ts';
import {
  LINKED_LIST_OPS,
  listContains,
  listCursorBackMut,
  listCursorFrontMut,
  listCursorMutAt,
  listIsEmpty,
  listPopBack,
  listPopFront,
  listPushBack,
  listPushFront,
  listSize,
} from './LinkedList.ts';
import { LINK_TYPE, linkFrameOwnerAt, MAX_LIST_ID } from './LinkedListOwner.ts';
import { cursorState, listState, type CursorState, type ListState } from './listMachine.ts';
import {
  frameFromUnique,
  UNIQUE_FRAME_OPS,
  uniqueAt,
  uniqueDrop,
  uniqueFromUnused,
  uniqueMeta,
  uniqueMetaMut,
  uniqueOwner,
  uniqueRepurpose,
  uniqueResetAsUnused,
  uniqueTryFromShared,
  type UniqueArgs,
} from './UniqueFrame.ts';

const P = PAGE_SIZE;
const FRAMES = 4;
const p = modelParams({ maxPaddr: 16 * P, refCountMax: 4n });
const METAS: readonly MetaSlotStorage[] = [
  { type: 'KernelMeta', fields: {} },
  { type: 'Link', fields: { next: null, prev: null, meta: 5n } },
];
const LINK: MetaSlotStorage = { type: LINK_TYPE, fields: { next: null, prev: null, meta: 0n } };
type AnySpec = OpSpec<never, never, never>;

/** Applies `spec.next` when its requires hold (a step the spec refuses leaves the state as it was). */
function step<S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A): { s: S; r: R } | undefined {
  const pre = { old, args, p };
  if (!spec.requires.every((c) => c.holds(pre))) return undefined;
  const out = spec.next(pre);
  return out.kind === 'return' ? { s: out.final, r: out.result } : undefined;
}

const storedType = (r: MetaRegionOwners, i: number) =>
  valueOf(slotOwner(r, i).innerPerms.storage)?.type ?? 'KernelMeta';
const uniqueArgs = (r: MetaRegionOwners, i: number): UniqueArgs => ({
  unique: uniqueAt(i * P),
  owner: uniqueOwner(i, storedType(r, i)),
});

type FrameStep = Readonly<{ op: number; frame: number; meta: number }>;

/** One caller step on frame handles, through the specs' `next`. */
function applyFrame(r: MetaRegionOwners, s: FrameStep): MetaRegionOwners {
  const i = s.frame;
  const f = { frame: frameAt(i * P) };
  const steps: (() => MetaRegionOwners | undefined)[] = [
    () => step(frameFromUnused, r, { paddr: i * P, metadata: METAS[s.meta]! })?.s,
    () => step(uniqueFromUnused, r, { paddr: i * P, metadata: METAS[s.meta]! })?.s,
    () => step(frameFromInUse, r, { paddr: i * P })?.s,
    () => step(frameClone, r, f)?.s,
    () => step(frameDrop, r, { frame: f.frame, obl: i })?.s,
    () => step(frameIntoRaw, r, f)?.s,
    () => step(frameFromRaw, r, { paddr: i * P })?.s,
    () => step(frameFromUnique, r, uniqueArgs(r, i))?.s,
    () => step(uniqueTryFromShared, r, f)?.s,
    () => step(uniqueDrop, r, uniqueArgs(r, i))?.s,
    () => step(uniqueResetAsUnused, r, uniqueArgs(r, i))?.s,
  ];
  return steps[s.op % steps.length]!() ?? r;
}

const frameArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: FRAMES - 1 }) },
);
const regionArb: fc.Arbitrary<MetaRegionOwners> = fc
  .array(fc.record({ op: fc.nat(20), frame: frameArb, meta: fc.integer({ min: 0, max: 1 }) }), {
    minLength: 3,
    maxLength: 30,
    size: 'max',
  })
  .map((steps) => steps.reduce(applyFrame, initialRegion(p)));
const paddrArb: fc.Arbitrary<Paddr> = fc.oneof(
  { weight: 6, arbitrary: frameArb.map((f) => f * P) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 * P }) },
  { weight: 1, arbitrary: fc.integer({ min: 16, max: 20 }).map((f) => f * P) },
);
const metaArb = fc.constantFrom(...METAS);
const regionPre = <A>(args: (r: MetaRegionOwners) => fc.Arbitrary<A>): fc.Arbitrary<PreCtx<MetaRegionOwners, A>> =>
  regionArb.chain((old) => args(old).map((a) => ({ old, args: a, p })));
const onFrame =
  <A>(f: (r: MetaRegionOwners, i: number) => A) =>
  (r: MetaRegionOwners) =>
    frameArb.map((i) => f(r, i));

// Lists: unique Link frames claimed on slots 0..5, pushed, popped, taken and inserted through next.

type World = Readonly<{ s: ListState; loose: readonly number[] }>;
const LIST_FRAMES = 6;

function applyList(w: World, [op, k]: readonly [number, number]): World {
  const { s, loose } = w;
  const j = loose[k % Math.max(1, loose.length)];
  const ins = (spec: typeof listPushFront) =>
    j === undefined ? undefined : step(spec, s, { unique: uniqueAt(j * P), frameOwn: linkFrameOwnerAt(s.regions, j) });
  const pop = (spec: typeof listPopFront) => step(spec, s, {});
  switch (op % 5) {
    case 0: {
      const i = k % LIST_FRAMES;
      const out = step(uniqueFromUnused, s.regions, { paddr: i * P, metadata: LINK });
      return out?.r.ok ? { s: listState(out.s, s.list, s.nextId), loose: [...loose, i] } : w;
    }
    case 1:
    case 2: {
      const out = ins(op % 5 === 1 ? listPushFront : listPushBack);
      return out === undefined ? w : { s: out.s, loose: loose.filter((x) => x !== j) };
    }
    default: {
      const out = pop(op % 5 === 3 ? listPopFront : listPopBack);
      return out?.r ? { s: out.s, loose: [...loose, out.r.frameOwn.slotIndex] } : w;
    }
  }
}

const emptyList = (nextId: bigint): ListState =>
  listState(initialRegion(p), { front: null, back: null, size: 0, listId: 0n }, nextId);
const worldArb: fc.Arbitrary<World> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: fc.constant(1n) }, { weight: 1, arbitrary: fc.constant(MAX_LIST_ID) }),
    fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { minLength: 2, maxLength: 25, size: 'max' }),
  )
  .map(([nextId, steps]) => steps.reduce(applyList, { s: emptyList(nextId), loose: [] }));
const listPre = <A>(args: (w: World) => fc.Arbitrary<A>): fc.Arbitrary<PreCtx<ListState, A>> =>
  worldArb.chain((w) => args(w).map((a) => ({ old: w.s, args: a, p })));
const insertArgs = (w: World) =>
  fc.nat(LIST_FRAMES).map((k) => {
    const j = w.loose[k % Math.max(1, w.loose.length)] ?? k;
    return { unique: uniqueAt(j * P), frameOwn: linkFrameOwnerAt(w.s.regions, j) };
  });
const cursorAt = (s: ListState, k: number): CursorState => {
  const n = s.owner.list.length;
  const index = k % (n + 1);
  return cursorState(s.regions, s.list, s.owner.list[index]?.paddr ?? null, index, s.nextId);
};
const cursorPre = <A>(args: (w: World, c: CursorState) => fc.Arbitrary<A>): fc.Arbitrary<PreCtx<CursorState, A>> =>
  fc.tuple(worldArb, fc.nat(8)).chain(([w, k]) => {
    const old = cursorAt(w.s, k);
    return args(w, old).map((a) => ({ old, args: a, p }));
  });
const none = () => fc.constant({} as Readonly<Record<string, never>>);
const listPaddr = () =>
  fc.oneof(
    fc.integer({ min: 0, max: LIST_FRAMES }).map((i) => i * P),
    fc.constant(P + 1),
    fc.constant(40 * P),
  );

/** `push_back` without vostd's position clause, which upstream's `next` breaks by design. */
const pushBackUpstream: typeof listPushBack = {
  ...listPushBack,
  ensures: listPushBack.ensures.filter((c) => !c.name.endsWith('.insert_before_last')),
};

type Law = Readonly<{
  spec: unknown;
  name: string;
  run: () => Map<string, number>;
  mustSee: readonly string[];
  /** The clauses seen false on generated inputs and on mutated outcomes of `next`. */
  falsify: () => Set<string>;
}>;

/** How a mutation reaches the region of a state (the ledger mutations edit it). */
type Lens<S> = Readonly<{
  region: (s: S) => MetaRegionOwners;
  with: (s: S, r: MetaRegionOwners) => S;
  broken: (s: S) => S[];
}>;
const REGION: Lens<MetaRegionOwners> = { region: (s) => s, with: (_s, r) => r, broken: () => [] };
/** List and cursor states: also a size, an end, a list id, a cursor position or `current` that disagree with the links. */
const IN_STATE: Lens<ListState | CursorState> = {
  region: (s) => s.regions,
  with: (s, r) => ({ ...s, regions: r }),
  broken: (s) => {
    const lists = [
      { ...s.list, size: s.list.size + 1 },
      { ...s.list, front: null },
      { ...s.list, back: s.list.front },
      { ...s.list, listId: 0n },
      { ...s.list, listId: s.list.listId + 1n },
    ];
    const out: (ListState | CursorState)[] = lists.map((list) => ({ ...s, list }));
    out.push({ ...s, nextId: MAX_LIST_ID });
    if ('current' in s) {
      out.push(
        { ...s, current: null },
        { ...s, current: metaAddr(FRAMES + 1) },
        { ...s, owner: { ...s.owner, index: s.owner.index + 1 } },
      );
      out.push({
        ...s,
        owner: { ...s.owner, listOwn: { ...s.owner.listOwn, list: [...s.owner.listOwn.list].reverse() } },
      });
      out.push({ ...s, owner: { ...s.owner, listOwn: { ...s.owner.listOwn, listId: s.owner.listOwn.listId + 1n } } });
    } else out.push({ ...s, owner: { ...s.owner, list: [...s.owner.list].reverse(), listId: 0n } });
    return out;
  },
};

/** Variants of a small value, each changing one leaf (a number or bigint moved, a flag flipped, a name changed, an array cut). */
function leafVariants(v: unknown, depth = 0): unknown[] {
  if (typeof v === 'bigint') return [v + 64n, v + 8n, v + 64n * 4096n, 0n];
  if (typeof v === 'number') return [v + 1, v + 64 * P, -1];
  if (typeof v === 'boolean') return [!v];
  if (typeof v === 'string') return [`${v}_`];
  if (v === null) return [0];
  if (typeof v !== 'object' || depth > 3 || v instanceof Set) return [];
  if (Array.isArray(v)) return [v.slice(1), [...v, v[0] ?? 0], [...v].reverse(), []];
  const out: unknown[] = [];
  for (const [k, x] of Object.entries(v)) for (const y of leafVariants(x, depth + 1)) out.push({ ...v, [k]: y });
  return out;
}

/** Regions broken at slot `i` in one way each: permission extracted, listed, mapped, a page table, moved, count changed, ledger emptied. */
function regionVariants(r: MetaRegionOwners, i: number): MetaRegionOwners[] {
  const o = slotOwner(r, i);
  const set = (f: Parameters<typeof withOwnerFields>[1]) => withSlotOwner(r, i, withOwnerFields(o, f));
  const rcs = [0n, 1n, 3n, r.p.refCountMax + 1n, r.p.refCountUnused, r.p.refCountUnique ?? 0n];
  return [
    extractSlotPerm(r, i),
    set({ inList: permissionU64(o.innerPerms.inList.id, 1n) }),
    set({ pathsInPt: new Set(['pt']) }),
    set({ usage: 'PageTable' }),
    set({ usage: 'Unused' }),
    withSlotOwner(r, i, Object.freeze({ ...o, selfAddr: o.selfAddr + 64n })),
    withLedger(r, initialRegion(r.p).frameObligations),
    ...rcs.map((v) => set({ refCount: permissionU64(o.innerPerms.refCount.id, v) })),
    set({ refCount: permissionU64(o.innerPerms.refCount.id + 1, o.innerPerms.refCount.value) }),
  ];
}

/**
 * Evaluates every clause of `spec` on sampled pre-states and broken variants of them (requires,
 * may_panic) and, where `next` returns, on wrong outcomes: nothing changed, another state, another or a
 * perturbed result, the ledger effect left out or doubled, a region broken after the call. Each
 * evaluation is counted in clause coverage; returns the names seen false.
 */
function falsify<S, A, R>(spec: OpSpec<S, A, R>, pres: fc.Arbitrary<PreCtx<S, A>>, lens: Lens<S>): Set<string> {
  const seen = new Set<string>();
  const tally = (c: { name: string; holds: (x: never) => boolean }, x: unknown) => {
    let v: boolean;
    try {
      v = c.holds(x as never);
    } catch {
      return;
    }
    recordClause(c.name, v);
    if (!v) seen.add(c.name);
  };
  const samples = fc.sample(pres, { numRuns: 25, seed: 11 });
  const outs = samples.map((pre) => ({ pre, out: spec.next(pre) }));
  outs.forEach(({ pre, out }, k) => {
    const at = [...spec.footprint(pre.args), 0, 1].filter((i) => i >= 0 && i < FRAMES + 2);
    const olds = [
      pre.old,
      ...at.flatMap((i) => regionVariants(lens.region(pre.old), i).map((r) => lens.with(pre.old, r))),
      ...lens.broken(pre.old),
    ];
    const argss = [pre.args, ...(leafVariants(pre.args) as A[])];
    for (const old of olds)
      for (const c of [...spec.requires, spec.mayPanic]) tally(c, { old, args: pre.args, p: pre.p });
    for (const args of argss)
      for (const c of [...spec.requires, spec.mayPanic]) tally(c, { old: pre.old, args, p: pre.p });
    if (out.kind !== 'return' || !spec.requires.every((c) => c.holds(pre))) return;
    const other = outs[(k + 1) % outs.length]!.out;
    const r = lens.region(out.final);
    const posts: [S, R][] = [
      [pre.old, out.result],
      [lens.with(out.final, withLedger(r, lens.region(pre.old).frameObligations)), out.result],
      [lens.with(out.final, withLedger(r, r.frameObligations.mint(0))), out.result],
      ...at.flatMap((i) => regionVariants(r, i).map((x): [S, R] => [lens.with(out.final, x), out.result])),
      ...lens.broken(out.final).map((x): [S, R] => [x, out.result]),
      ...(leafVariants(out.result) as R[]).map((x): [S, R] => [out.final, x]),
    ];
    if (other.kind === 'return')
      posts.push([other.final, out.result], [out.final, other.result], [other.final, other.result]);
    for (const [final, result] of posts)
      for (const c of spec.ensures) tally(c, { old: pre.old, args: pre.args, p: pre.p, final, result });
  });
  return seen;
}

const law = <S, A, R>(
  spec: OpSpec<S, A, R>,
  pres: fc.Arbitrary<PreCtx<S, A>>,
  mustSee: readonly string[],
  of: unknown = spec,
  lens: Lens<S> = (spec.name.includes('LinkedList::') || spec.name.includes('CursorMut::')
    ? IN_STATE
    : REGION) as unknown as Lens<S>,
): Law => ({
  spec: of,
  name: spec.name,
  run: () => assertPostHoldsForNext(spec, pres, { numRuns: 120, seed: 7 }),
  mustSee,
  falsify: () => falsify(of as OpSpec<S, A, R>, pres, lens),
});

const LAWS: readonly Law[] = [
  law(
    frameFromUnused,
    regionPre(() => fc.record({ paddr: paddrArb, metadata: metaArb })),
    ['ok', 'err:InUse', 'err:Unique', 'err:NotAligned', 'err:OutOfBound'],
  ),
  law(
    frameFromInUse,
    regionPre(() => paddrArb.map((paddr) => ({ paddr }))),
    ['ok', 'panic', 'err:Unused', 'err:Unique', 'err:OutOfBound'],
  ),
  law(frameClone, regionPre(onFrame((_r, i) => ({ frame: frameAt(i * P) }))), ['return', 'panic']),
  law(frameDrop, regionPre(onFrame((_r, i) => ({ frame: frameAt(i * P), obl: i }))), ['return']),
  law(frameIntoRaw, regionPre(onFrame((_r, i) => ({ frame: frameAt(i * P) }))), ['return']),
  law(
    frameFromRaw,
    regionPre(() => paddrArb.map((paddr) => ({ paddr }))),
    ['return'],
  ),
  // `usage is Unused` rules out every claimed slot: InUse/Unique/Busy are unreachable under the precondition.
  law(
    uniqueFromUnused,
    regionPre(() => fc.record({ paddr: paddrArb, metadata: metaArb })),
    ['ok', 'err:NotAligned', 'err:OutOfBound'],
  ),
  law(uniqueMeta, regionPre(onFrame(uniqueArgs)), ['return']),
  law(
    uniqueMetaMut,
    regionPre(onFrame((r, i) => ({ ...uniqueArgs(r, i), value: { type: storedType(r, i), fields: { v: i } } }))),
    ['return'],
  ),
  law(frameFromUnique, regionPre(onFrame(uniqueArgs)), ['return']),
  law(uniqueTryFromShared, regionPre(onFrame((_r, i) => ({ frame: frameAt(i * P) }))), ['ok', 'err:undefined']),
  law(uniqueDrop, regionPre(onFrame(uniqueArgs)), ['return']),
  law(uniqueResetAsUnused, regionPre(onFrame(uniqueArgs)), ['return']),
  law(uniqueRepurpose, regionPre(onFrame((r, i) => ({ ...uniqueArgs(r, i), metadata: METAS[i % 2]! }))), ['return']),
  law(listSize, listPre(none), ['return']),
  law(listIsEmpty, listPre(none), ['return']),
  law(listPushFront, listPre(insertArgs), ['return', 'panic']),
  law(pushBackUpstream, listPre(insertArgs), ['return', 'panic'], listPushBack),
  law(listPopFront, listPre(none), ['return']),
  law(listPopBack, listPre(none), ['return']),
  law(
    listContains,
    listPre(() => listPaddr().map((paddr) => ({ paddr }))),
    ['return', 'panic'],
  ),
  law(
    listCursorMutAt,
    listPre(() => listPaddr().map((paddr) => ({ paddr }))),
    ['return', 'panic'],
  ),
  law(listCursorFrontMut, listPre(none), ['return']),
  law(listCursorBackMut, listPre(none), ['return']),
  law(listDrop, listPre(none), ['return']),
  law(cursorMoveNext, cursorPre(none), ['return']),
  law(cursorMovePrev, cursorPre(none), ['return']),
  law(
    cursorCurrentMeta,
    cursorPre(() =>
      fc
        .option(
          fc.bigInt({ min: 0n, max: 9n }).map((value) => ({ value })),
          { nil: null },
        )
        .map((store) => ({ store })),
    ),
    ['return'],
  ),
  law(cursorTakeCurrent, cursorPre(none), ['return']),
  law(
    cursorInsertBefore,
    cursorPre((w) => insertArgs(w)),
    ['return', 'panic'],
  ),
];

describe('post(s, a, next(s, a)) for every frame-handle and frame-list op', () => {
  it('every registered frame-handle and frame-list op spec has a law here', () => {
    const all = [...FRAME_OPS, ...UNIQUE_FRAME_OPS, ...LINKED_LIST_OPS, ...CURSOR_OPS, listDrop] as readonly AnySpec[];
    expect(registeredFrameOps()).toEqual(all);
    expect(all.filter((s) => !LAWS.some((l) => l.spec === s)).map((s) => s.name)).toEqual([]);
  });

  for (const l of LAWS) {
    it(`${l.name}: every ensures clause holds on next, on each of its outcomes`, () => {
      const seen = l.run();
      expect(l.mustSee.filter((label) => !seen.has(label))).toEqual([]);
    });
  }
});

describe('push_back: upstream next breaks exactly vostd position clause', () => {
  it('on a one-element list, next (append) breaks insert_before_last and nothing else', () => {
    const w = [
      [0, 0],
      [0, 1],
      [1, 0],
    ].reduce((acc, s) => applyList(acc, s as [number, number]), { s: emptyList(1n), loose: [] } as World);
    expect(w.s.owner.list.length).toBe(1);
    const j = w.loose[0]!;
    const pre = { old: w.s, args: { unique: uniqueAt(j * P), frameOwn: linkFrameOwnerAt(w.s.regions, j) }, p };
    expect(listPushBack.requires.filter((c) => !c.holds(pre)).map((c) => c.name)).toEqual([]);
    expect(clausesBrokenByNext(listPushBack, pre)).toEqual(['LinkedList::push_back.ensures.insert_before_last']);
    expect(metaAddr(j)).toBe(pre.args.frameOwn.metaOwn.paddr);
  });
});

/**
 * The clauses nothing here makes false, and why: no generated outcome writes an owner outside
 * `[0, max_meta_slots)`, the only way `slot_owners.dom()` can change (`spec/meta/clauses.test.ts` crafts one),
 * no law returns where `next` aborts (`aborts_exactly`: the implementations without the abort at
 * REF_COUNT_MAX falsify it, `src/contract/postconditions.test.ts`); no generated list frame carries an
 * obligation (`LinkedList::drop.requires.no_obligation`). `move_next`/`move_prev`'s `model` and
 * `inv_region` are lemmas about the old cursor owner alone, kept as notes (`CURSOR_NOTES`), not clauses.
 */
const NEVER_FALSE: readonly string[] = [
  'Frame::from_in_use.ensures.aborts_exactly',
  'Frame::clone.ensures.domain',
  'Frame::clone.ensures.aborts_exactly',
  'Frame::drop.ensures.domain',
  'Frame::from_unique.ensures.domain',
  'UniqueFrame::try_from_shared.ensures.domain',
  'LinkedList::cursor_mut_at.ensures.domain',
  // The generated lists take frames in by push, which redeems their obligation (a wrong proof step of a
  // push falsifies it in a checked run: src/mutants/clauseMutants.test.ts).
  'LinkedList::drop.requires.no_obligation',
];

describe('every clause is falsifiable: seen false on a generated input or a wrong outcome of next', () => {
  it('all clauses but the ones true by construction', () => {
    const never: string[] = [];
    for (const l of LAWS) {
      const spec = l.spec as AnySpec;
      const seen = l.falsify();
      for (const c of [...spec.requires, spec.mayPanic, ...spec.ensures])
        if (!seen.has(c.name) && !c.name.endsWith('.may_panic.never')) never.push(c.name);
    }
    expect(never).toEqual(NEVER_FALSE);
  });
});
