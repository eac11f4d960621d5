/**
 * Clause mutants: systematic mutation operators over the checked layers, one named mutant per
 * operator and operation (`Frame::clone/rc-up`, `LinkedList::pop_front/size-up`, …), so that every
 * ensures, refinement, invariant and may_panic clause is shown false by some wrong implementation in a
 * real checked run (`src/mutants/engines/clauseEngine.ts` runs them; `framecheck clauses` lists them
 * as `falsifiedBy`).
 *
 * Three kinds of operator:
 * - **exec** operators wrap one method of the real implementation (a `FrameLayer`, `LinkedList` or
 *   `CursorMut` instance, a `Segment` prototype method, `FrameAllocOptions`) and perturb one thing:
 *   the result (wrong slot, wrong error, Ok↔Err, negated), the touched slot's words (count ±1, `in_list`,
 *   the vtable, the metadata), an untouched slot (the frame conditions), the list's fields (size, front,
 *   back, id, links), a segment's range (one page off), an abort where none is allowed, or the call
 *   skipped;
 * - **proof** operators perturb the operation's tracked (proof) code: the ghost step the checked layer
 *   applies after the call (an obligation minted or redeemed once too often, a slot permission
 *   extracted, a ghost-only field of the slot owner changed). vostd's function bodies contain this
 *   code, and a clause about the ledger, the permissions or the ghost-only fields can only be made false
 *   by it: memory does not determine those fields (`src/contract/view.ts`);
 * - a mutant is a value; building one never changes the real implementation.
 */
import { abort } from '../../impl/meta/abort.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { KernelMeta, unit, UnitMeta, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { MetaRegion, META_SLOT_SIZE, type MetaRegionOptions, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { vmReader, type VmReader } from '../../impl/meta/physMemory.ts';
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import {
  CursorMut,
  LinkedList,
  LinkMeta,
  linkValue,
  type LinkValue,
  type ListIdAllocator,
} from '../../impl/frame/LinkedList.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import type { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameAllocOptions, type FrameSource } from '../../impl/alloc/FrameAllocOptions.ts';
import type { Layout, Paddr } from '../../impl/alloc/vocab.ts';
import { EMPTY_RANGE_SET, rangeSetOf } from '../../spec/alloc/rangeSet.ts';
import type { FreeSetModel } from '../../spec/alloc/FrameAllocator.ts';
import {
  extractSlotPerm,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
  type SlotPerm,
} from '../../spec/meta/MetaRegionOwners.ts';
import type { DropMetaState } from '../../spec/meta/MetaSlotOps.ts';
import { slotIds, withOwnerFields, type MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';
import type { CursorState } from '../../spec/frame/listMachine.ts';
import type { OnDropState } from '../../spec/meta/OnDrop.ts';
import { init, UNINIT } from '../../spec/meta/perms.ts';
import { FRAME_METADATA_RANGE, MAX_META_SLOTS, PAGE_SIZE, type FrameIndex } from '../../spec/vocab.ts';
import { OP_TABLE } from '../ops/opTable.ts';
import type { BuddyLike, Mutant } from './catalog.ts';

/** The scenario sets that reach an operation (see `clauseEngine.ts`). */
export type Area = 'meta' | 'frame' | 'list' | 'segment' | 'options' | 'allocator';

/**
 * Wrong proof code: the ghost step of the operation `op`, perturbed at slot `i` (the first it touches):
 * `at` on the region it leaves, or `state` on the op's whole tracked state (a slot owner, a permission,
 * a cursor's ghost index, the allocator's ghost) when the op's ghost is not a region.
 */
export type GhostTamper = Readonly<{
  op: string;
  at: (g: MetaRegionOwners, i: FrameIndex, nslots: number) => MetaRegionOwners;
  /** Applied to the ghost after the op's own proof step (a ledger operator), else before it. */
  after?: boolean;
  /** Replaces the op's final tracked state (applied after its proof step; `at` is then unused). */
  state?: (s: unknown) => unknown;
}>;

export type ClauseMutant = Mutant &
  Readonly<{
    /** The operation whose implementation (or proof code) the mutant perturbs. */
    op: string;
    /** The mutation operator. */
    operator: string;
    /** The scenario sets that run it. */
    areas: readonly Area[];
    /** Wrong proof code (the checked layer's ghost step for `op`). */
    tamper?: GhostTamper;
    /** Installs a `Segment` method variant; returns the function that restores the real one. */
    patch?: () => () => void;
  }>;

const P = PAGE_SIZE;
const U64 = (1n << 64n) - 1n;

// --- slot words ------------------------------------------------------------------------------------

const valid = (r: MetaRegion, s: number) => Number.isInteger(s) && s >= 0 && s < r.nslots;
const rcWord = (r: MetaRegion, s: SlotPtr) => r.refCountWord(s);
const vtableWord = (r: MetaRegion, s: SlotPtr) => s * r.layout.wordsPerSlot + r.layout.vtable;

/** A perturbation of slot `s`'s words (`s` is in range). */
type SlotEffect = Readonly<{ name: string; what: string; apply: (r: MetaRegion, s: SlotPtr) => void }>;

const addRc = (d: bigint) => (r: MetaRegion, s: SlotPtr) =>
  r.mem.store(rcWord(r, s), (r.mem.readPlain(rcWord(r, s)) + d) & U64, Ordering.SeqCst);

const SLOT_EFFECTS: readonly SlotEffect[] = [
  { name: 'rc-up', what: 'the count one too high afterwards', apply: addRc(1n) },
  { name: 'rc-down', what: 'the count one too low afterwards', apply: addRc(U64) },
  { name: 'in-list-set', what: 'in_list of the frame set to 99', apply: (r, s) => r.setInList(s, 99n) },
  {
    name: 'vtable-cleared',
    what: 'the metadata vtable word cleared (the metadata looks dropped)',
    apply: (r, s) => r.mem.writePlain(vtableWord(r, s), 0n),
  },
  {
    name: 'meta-retyped',
    what: 'the metadata replaced by another type\u2019s',
    apply: (r, s) => r.writeMeta(s, unit(r.dynMeta(s)?.type === KernelMeta ? UnitMeta : KernelMeta)),
  },
  {
    name: 'neighbour-in-list',
    what: 'in_list of the next slot (an untouched frame) set to 99',
    apply: (r, s) => r.setInList((s + 1) % r.nslots, 99n),
  },
  {
    name: 'neighbour-rc-down',
    what: 'the count of the next slot (an untouched frame) one lower',
    apply: (r, s) => addRc(U64)(r, (s + 1) % r.nslots),
  },
];

// --- frame layer -----------------------------------------------------------------------------------

type LayerMethod =
  | 'fromUnused'
  | 'fromInUse'
  | 'uniqueFromUnused'
  | 'clone'
  | 'drop'
  | 'intoShared'
  | 'tryIntoUnique'
  | 'dropUnique'
  | 'resetAsUnused'
  | 'repurpose'
  | 'intoRaw'
  | 'fromRaw'
  | 'meta'
  | 'incFrameRefCount';

type Fn = (...a: never[]) => unknown;

/** One method of the frame layer: its Rust name, how its slot is found, what a skipped call returns. */
type LayerOp = Readonly<{
  method: LayerMethod;
  op: string;
  /** The slot the call is about (from its arguments and result). */
  slot: (args: readonly unknown[], ret: unknown) => number;
  areas: readonly Area[];
  /** Wrong results: name, description, the result replacing `ret`. */
  results: readonly Readonly<{ name: string; what: string; wrong: (l: FrameLayer, ret: unknown) => unknown }>[];
  /** What a call that does nothing returns (`undefined` for none: the call cannot be skipped meaningfully). */
  skip?: (args: readonly unknown[]) => unknown;
  /** The op drops the metadata itself (clearing the vtable after it is no mutation). */
  clearsMeta?: boolean;
}>;

const byPaddr = (a: readonly unknown[], ret: unknown) => (typeof ret === 'number' ? ret : (a[0] as number) / P);
const bySlot = (a: readonly unknown[]) => a[0] as number;
/** An Ok's next slot (of `n`), or another error than the one returned. */
const nextOf = (n: number, ret: unknown) =>
  typeof ret === 'number' ? (ret + 1) % n : ret === 'OutOfBound' ? 'NotAligned' : 'OutOfBound';
const nextSlot = (l: FrameLayer, ret: unknown) => nextOf(l.region.nslots, ret);
/** A claim at a bad address made at the page below it (an Ok where `has_safe_slot` fails). */
const rounded = {
  name: 'bad-address-rounded',
  what: 'an unaligned address is rounded down to its page and claimed',
  call: (base: (...a: unknown[]) => unknown, args: unknown[]) => {
    const p = args[0] as number;
    return base(p - (p % P), ...args.slice(1));
  },
};
const claimResults = [
  { name: 'result-next-slot', what: 'an Ok names the next slot; an Err names another error', wrong: nextSlot },
  {
    name: 'ok-reported-err',
    what: 'a successful claim reported as Err(InUse)',
    wrong: (_l: FrameLayer, ret: unknown) => (typeof ret === 'number' ? 'InUse' : ret),
  },
];

const LAYER_OPS: readonly LayerOp[] = [
  {
    method: 'fromUnused',
    op: 'Frame::from_unused',
    slot: byPaddr,
    areas: ['frame', 'segment', 'options'],
    results: claimResults,
    skip: () => 'InUse',
  },
  {
    method: 'fromInUse',
    op: 'Frame::from_in_use',
    slot: byPaddr,
    areas: ['frame'],
    results: claimResults,
    skip: () => 'Unused',
  },
  {
    method: 'uniqueFromUnused',
    op: 'UniqueFrame::from_unused',
    slot: byPaddr,
    areas: ['frame', 'list'],
    results: claimResults,
    skip: () => 'InUse',
  },
  { method: 'clone', op: 'Frame::clone', slot: bySlot, areas: ['frame'], results: [], skip: () => undefined },
  {
    method: 'drop',
    op: 'Frame::drop',
    slot: bySlot,
    areas: ['frame', 'segment'],
    results: [{ name: 'result-negated', what: 'reports the wrong "last reference"', wrong: (_l, r) => !r }],
    skip: () => false,
  },
  {
    method: 'intoShared',
    op: 'Frame::from_unique',
    slot: bySlot,
    areas: ['frame'],
    results: [],
    skip: () => undefined,
  },
  {
    method: 'tryIntoUnique',
    op: 'UniqueFrame::try_from_shared',
    slot: bySlot,
    areas: ['frame'],
    results: [{ name: 'result-negated', what: 'reports success as failure and back', wrong: (_l, r) => !r }],
    skip: () => false,
  },
  {
    method: 'dropUnique',
    clearsMeta: true,
    op: 'UniqueFrame::drop',
    slot: bySlot,
    areas: ['frame', 'list'],
    results: [],
    skip: () => undefined,
  },
  {
    method: 'resetAsUnused',
    clearsMeta: true,
    op: 'UniqueFrame::reset_as_unused',
    slot: bySlot,
    areas: ['frame'],
    results: [],
    skip: () => undefined,
  },
  {
    method: 'repurpose',
    op: 'UniqueFrame::repurpose',
    slot: bySlot,
    areas: ['frame'],
    results: [],
    skip: () => undefined,
  },
  {
    method: 'intoRaw',
    op: 'Frame::into_raw',
    slot: bySlot,
    areas: ['frame'],
    results: [
      { name: 'result-next-page', what: 'returns the next frame\u2019s address', wrong: (_l, r) => (r as number) + P },
    ],
  },
  {
    method: 'fromRaw',
    op: 'Frame::from_raw',
    slot: byPaddr,
    areas: ['frame', 'segment'],
    results: [
      { name: 'result-next-slot', what: 'returns the next slot', wrong: nextSlot },
      {
        name: 'result-past-meta-range',
        what: 'returns slot max_meta_slots(), whose metadata would lie past FRAME_METADATA_RANGE',
        wrong: () => MAX_META_SLOTS,
      },
    ],
  },
  {
    method: 'meta',
    op: 'UniqueFrame::meta',
    slot: bySlot,
    areas: ['frame'],
    results: [
      { name: 'result-none', what: 'returns no metadata', wrong: () => undefined },
      { name: 'result-retyped', what: 'returns metadata of another type', wrong: () => unit(UnitMeta) },
    ],
  },
  {
    method: 'incFrameRefCount',
    op: OP_TABLE.inc_frame_ref_count.rust,
    slot: (a) => (a[0] as number) / P,
    areas: ['segment'],
    results: [],
    skip: () => undefined,
  },
];

/** A frame-layer builder whose `method` is replaced by `body` (given the real one). */
function layerWith(
  method: LayerMethod,
  body: (l: FrameLayer, base: (...a: unknown[]) => unknown, args: unknown[]) => unknown,
): (region: MetaRegion, allocator: Deallocator) => FrameLayer {
  return (region, allocator) => {
    const l = new FrameLayer(region, allocator);
    const base = (l[method] as Fn).bind(l) as (...a: unknown[]) => unknown;
    Object.defineProperty(l, method, { value: (...args: unknown[]) => body(l, base, args) });
    return l;
  };
}

type Base = (...a: unknown[]) => unknown;
/** One mutation of one op: its operator name, what it does, and the wrong body (given the real one). */
type Variant<C> = Readonly<{ name: string; what: string; body: (c: C, base: Base, args: unknown[]) => unknown }>;

/** The operators every op gets: each effect after the real call, each wrong result, an abort, and a skip. */
function standardVariants<C>(
  op: string,
  effects: readonly Readonly<{ name: string; what: string; after: (c: C, args: unknown[], ret: unknown) => void }>[],
  results: readonly Readonly<{ name: string; what: string; wrong: (c: C, ret: unknown) => unknown }>[],
  skip: ((c: C, args: unknown[]) => unknown) | undefined,
): Variant<C>[] {
  return [
    ...effects.map((e) => ({
      name: e.name,
      what: e.what,
      body: (c: C, base: Base, args: unknown[]) => {
        const ret = base(...args);
        e.after(c, args, ret);
        return ret;
      },
    })),
    ...results.map((w) => ({
      name: w.name,
      what: w.what,
      body: (c: C, base: Base, a: unknown[]) => w.wrong(c, base(...a)),
    })),
    {
      name: 'aborts',
      what: 'aborts after doing its work (a panic the spec does not allow)',
      body: (_c: C, base: Base, args: unknown[]) => {
        base(...args);
        abort('assertion_failed', `${op}: seeded abort`);
      },
    },
    ...(skip === undefined
      ? []
      : [
          {
            name: 'skipped',
            what: 'does nothing and returns as if it had',
            body: (c: C, _b: Base, a: unknown[]) => skip(c, a),
          },
        ]),
  ];
}

function layerMutants(): ClauseMutant[] {
  const clone = LAYER_OPS.find((o) => o.method === 'clone')!;
  const noAbort: Variant<FrameLayer> = {
    name: 'no-abort-at-max',
    what: 'increments past REF_COUNT_MAX instead of aborting',
    body: (l, _base, args) => void addRc(1n)(l.region, args[0] as number),
  };
  return LAYER_OPS.flatMap((o) => {
    const effects = SLOT_EFFECTS.filter((e) => !(o.clearsMeta === true && e.name === 'vtable-cleared')).map((e) => ({
      name: e.name,
      what: e.what,
      after: (l: FrameLayer, args: unknown[], ret: unknown) => {
        const s = o.slot(args, ret);
        if (valid(l.region, s)) e.apply(l.region, s);
      },
    }));
    const skip = o.skip;
    const vs = standardVariants<FrameLayer>(o.op, effects, o.results, skip && ((_l, a) => skip(a)));
    if (o.results === claimResults)
      vs.push({ name: rounded.name, what: rounded.what, body: (_l, base, args) => rounded.call(base, args) });
    if (o === clone) vs.push(noAbort);
    return vs.map((v) => ({
      name: `${o.op}/${v.name}`,
      description: `${o.op}: ${v.what}`,
      target: 'frame' as const,
      op: o.op,
      operator: v.name,
      areas: o.areas,
      layer: layerWith(o.method, v.body),
    }));
  });
}

// --- frame lists -----------------------------------------------------------------------------------

type ListMethod =
  | 'size'
  | 'isEmpty'
  | 'contains'
  | 'cursorMutAt'
  | 'cursorFrontMut'
  | 'cursorBackMut'
  | 'pushFront'
  | 'pushBack'
  | 'popFront'
  | 'popBack';
type CursorMethod = 'moveNext' | 'movePrev' | 'currentMeta' | 'takeCurrent' | 'insertBefore';

const readLinkOf = (r: MetaRegion, s: SlotPtr): LinkValue | undefined => r.readMeta(r.asMetaPtr(s, LinkMeta));
const writeLink = (r: MetaRegion, s: SlotPtr, v: LinkValue) =>
  r.writeMeta(s, { type: LinkMeta, value: linkValue(v.next, v.prev, v.meta) } as FrameMeta);

/** A perturbation of a list after a call: `frame` is the frame the call is about (`null` when none). */
type ListEffect = Readonly<{
  name: string;
  what: string;
  apply: (l: LinkedList, frame: SlotPtr | null) => void;
}>;

const onLink = (f: (v: LinkValue, s: SlotPtr) => LinkValue) => (l: LinkedList, frame: SlotPtr | null) => {
  if (frame === null) return;
  const v = readLinkOf(l.region, frame);
  if (v !== undefined) writeLink(l.region, frame, f(v, frame));
};

const LIST_EFFECTS: readonly ListEffect[] = [
  { name: 'size-up', what: 'the list\u2019s size one too high', apply: (l) => void (l.length += 1) },
  { name: 'front-cleared', what: 'the list\u2019s front set to None', apply: (l) => void (l.front = null) },
  { name: 'back-is-front', what: 'the list\u2019s back set to its front', apply: (l) => void (l.back = l.front) },
  {
    name: 'id-changed',
    what: 'the list\u2019s id changed',
    apply: (l) => void (l.listId = l.listId === 0n ? 0n : l.listId + 1n),
  },
  { name: 'id-cleared', what: 'the list\u2019s id set to 0 (no id)', apply: (l) => void (l.listId = 0n) },
  {
    name: 'frame-in-list-wrong',
    what: 'the frame\u2019s in_list set to 99',
    apply: (l, f) => void (f !== null && l.region.setInList(f, 99n)),
  },
  {
    name: 'frame-next-self',
    what: 'the frame\u2019s next link points at itself',
    apply: onLink((v, s) => ({ ...v, next: s })),
  },
  {
    name: 'frame-meta-changed',
    what: 'the frame\u2019s M changed',
    apply: onLink((v) => ({ ...v, meta: v.meta + 1n })),
  },
  {
    name: 'frame-count-up',
    what: 'the frame\u2019s count one higher (no longer REF_COUNT_UNIQUE)',
    apply: (l, f) => void (f !== null && addRc(1n)(l.region, f)),
  },
];

/** The effects on the list's own fields (not on a frame's slot). */
const LIST_FIELD_EFFECTS = new Set(['size-up', 'front-cleared', 'back-is-front', 'id-changed', 'id-cleared']);

type ListOp = Readonly<{
  method: ListMethod | CursorMethod;
  /** Takes `&self`: a wrong body cannot change the list's fields. */
  shared?: boolean;
  cursor: boolean;
  op: string;
  /** The frame the call is about. */
  frame: (l: LinkedList, self: unknown, args: readonly unknown[], ret: unknown) => SlotPtr | null;
  results: readonly Readonly<{ name: string; what: string; wrong: (l: LinkedList, ret: unknown) => unknown }>[];
  skip?: (l: LinkedList, args: readonly unknown[]) => unknown;
}>;

const front = (l: LinkedList) => l.front;
const retSlot = (_l: LinkedList, _s: unknown, _a: readonly unknown[], r: unknown) => (typeof r === 'number' ? r : null);
const argSlot = (_l: LinkedList, _s: unknown, a: readonly unknown[]) => a[0] as SlotPtr;
const current = (_l: LinkedList, self: unknown) => (self as CursorMut).current;
const otherSlot = (l: LinkedList, r: unknown) => (typeof r === 'number' ? (r + 1) % l.region.nslots : r);
/** A take that finds nothing answers the list's first free-standing unique frame (slot 3 of the scenarios) instead. */
const noneIsSome = {
  name: 'none-is-some',
  what: 'answers a frame that is not in the list when there is none to take',
  wrong: (_l: LinkedList, r: unknown) => (r === null ? 3 : r),
};
const cursorAtBack = (l: LinkedList, r: unknown) => {
  if (r instanceof CursorMut) r.current = l.back === r.current ? l.front : l.back;
  return r;
};

const LIST_OPS: readonly ListOp[] = [
  {
    method: 'size',
    shared: true,
    cursor: false,
    op: 'LinkedList::size',
    frame: front,
    results: [{ name: 'result-up', what: 'one more than the size', wrong: (_l, r) => (r as number) + 1 }],
  },
  {
    method: 'isEmpty',
    shared: true,
    cursor: false,
    op: 'LinkedList::is_empty',
    frame: front,
    results: [{ name: 'result-negated', what: 'the negated answer', wrong: (_l, r) => !r }],
  },
  {
    method: 'contains',
    cursor: false,
    op: 'LinkedList::contains',
    frame: (l, _s, a) =>
      (a[0] as number) % P === 0 && (a[0] as number) / P < l.region.nslots ? (a[0] as number) / P : null,
    results: [{ name: 'result-negated', what: 'the negated answer', wrong: (_l, r) => !r }],
  },
  {
    method: 'cursorMutAt',
    cursor: false,
    op: 'LinkedList::cursor_mut_at',
    frame: front,
    results: [
      { name: 'result-none', what: 'never finds the frame', wrong: () => null },
      { name: 'result-elsewhere', what: 'a cursor at another element', wrong: cursorAtBack },
    ],
  },
  {
    method: 'cursorFrontMut',
    cursor: false,
    op: 'LinkedList::cursor_front_mut',
    frame: front,
    results: [{ name: 'result-elsewhere', what: 'a cursor at another element', wrong: cursorAtBack }],
  },
  {
    method: 'cursorBackMut',
    cursor: false,
    op: 'LinkedList::cursor_back_mut',
    frame: front,
    results: [{ name: 'result-elsewhere', what: 'a cursor at another element', wrong: cursorAtBack }],
  },
  {
    method: 'pushFront',
    cursor: false,
    op: 'LinkedList::push_front',
    frame: argSlot,
    results: [],
    skip: () => undefined,
  },
  {
    method: 'pushBack',
    cursor: false,
    op: 'LinkedList::push_back',
    frame: argSlot,
    results: [],
    skip: () => undefined,
  },
  {
    method: 'popFront',
    cursor: false,
    op: 'LinkedList::pop_front',
    frame: retSlot,
    results: [{ name: 'result-other-slot', what: 'returns another slot', wrong: otherSlot }, noneIsSome],
    skip: () => null,
  },
  {
    method: 'popBack',
    cursor: false,
    op: 'LinkedList::pop_back',
    frame: retSlot,
    results: [{ name: 'result-other-slot', what: 'returns another slot', wrong: otherSlot }, noneIsSome],
    skip: () => null,
  },
  { method: 'moveNext', cursor: true, op: 'CursorMut::move_next', frame: current, results: [], skip: () => undefined },
  { method: 'movePrev', cursor: true, op: 'CursorMut::move_prev', frame: current, results: [], skip: () => undefined },
  {
    method: 'currentMeta',
    cursor: true,
    op: 'CursorMut::current_meta',
    frame: current,
    results: [
      {
        name: 'result-up',
        what: 'returns M + 1',
        wrong: (_l, r) => (typeof r === 'bigint' ? r + 1n : r),
      },
    ],
  },
  {
    method: 'takeCurrent',
    cursor: true,
    op: 'CursorMut::take_current',
    frame: retSlot,
    results: [
      { name: 'result-other-slot', what: 'returns another slot', wrong: otherSlot },
      noneIsSome,
      {
        name: 'result-past-region',
        what: 'returns the slot index one past the last slot (no frame behind it)',
        wrong: (l, r) => (typeof r === 'number' ? l.region.nslots : r),
      },
    ],
    skip: () => null,
  },
  {
    method: 'insertBefore',
    cursor: true,
    op: 'CursorMut::insert_before',
    frame: argSlot,
    results: [],
    skip: () => undefined,
  },
];

/** Replaces `method` on `target` (an instance) by `body`, given the real one. */
function override(
  target: object,
  method: string,
  body: (base: (...a: unknown[]) => unknown, args: unknown[]) => unknown,
) {
  const base = ((target as Record<string, Fn>)[method] as Fn).bind(target) as (...a: unknown[]) => unknown;
  Object.defineProperty(target, method, {
    value: (...args: unknown[]) => body(base, args),
    configurable: true,
    writable: true,
  });
}

const CURSOR_MAKERS = ['cursorMutAt', 'cursorFrontMut', 'cursorBackMut', 'cursorAtGhostMut'] as const;

/**
 * Set on a list (`list[SETUP] = true`) while a scenario builds it: its mutated method runs as the real one,
 * so that a scenario can reach an op's clauses on a well-formed list (its pushes call `insert_before`,
 * its pops `take_current`).
 */
export const SETUP: unique symbol = Symbol('clause-mutant list set-up');
const inSetup = (l: LinkedList) => (l as unknown as Record<symbol, unknown>)[SETUP] === true;

/** A list builder whose list method (or, for a cursor method, every cursor's method) is replaced by `body`. */
function listWith(
  o: ListOp,
  body: (l: LinkedList, self: object, base: (...a: unknown[]) => unknown, args: unknown[]) => unknown,
): (layer: FrameLayer, ids: ListIdAllocator) => LinkedList {
  return (layer, ids) => {
    const l = new LinkedList(layer, ids);
    if (!o.cursor) override(l, o.method, (base, args) => (inSetup(l) ? base(...args) : body(l, l, base, args)));
    else
      for (const maker of CURSOR_MAKERS)
        override(l, maker, (base, args) => {
          const c = base(...args);
          if (c instanceof CursorMut) override(c, o.method, (b, a) => (inSetup(l) ? b(...a) : body(l, c, b, a)));
          return c;
        });
    return l;
  };
}

function listMutants(): ClauseMutant[] {
  type C = Readonly<{ l: LinkedList; self: object }>;
  return LIST_OPS.flatMap((o) => {
    const effects = LIST_EFFECTS.filter((e) => o.shared !== true || !LIST_FIELD_EFFECTS.has(e.name)).map((e) => ({
      name: e.name,
      what: e.what,
      after: (c: C, args: unknown[], ret: unknown) => e.apply(c.l, o.frame(c.l, c.self, args, ret)),
    }));
    const results = o.results.map((w) => ({ ...w, wrong: (c: C, r: unknown) => w.wrong(c.l, r) }));
    const skip = o.skip;
    const vs = standardVariants<C>(o.op, effects, results, skip && ((c, a) => skip(c.l, a)));
    if (o.method === 'cursorMutAt')
      vs.push({
        name: rounded.name,
        what: 'an unaligned address is rounded down to its page and looked up',
        body: (_c, base, args) => rounded.call(base, args),
      });
    return vs.map((v) => ({
      name: `${o.op}/${v.name}`,
      description: `${o.op}: ${v.what}`,
      target: 'list' as const,
      op: o.op,
      operator: v.name,
      areas: ['list'] as const,
      list: listWith(o, (l, self, base, args) => v.body({ l, self }, base, args)),
    }));
  });
}

/** The frames of `l` from front to back, read by moving a cursor (nothing is changed). */
function listedSlots(l: LinkedList): SlotPtr[] {
  const out: SlotPtr[] = [];
  const c = l.cursorFrontMut();
  for (let k = 0; c.current !== null && k <= l.length; k++) (out.push(c.current), c.moveNext());
  return out;
}

/** Wrong bodies of `Drop for LinkedList` (upstream: take every frame out and drop it). */
const LIST_DROP_VARIANTS: readonly Readonly<{ name: string; what: string; body: (l: LinkedList) => void }>[] = [
  {
    name: 'forgets-frames',
    what: 'takes every frame out and forgets it (no UniqueFrame::drop)',
    body: (l) => {
      const c = l.cursorFrontMut();
      while (c.takeCurrent() !== null);
    },
  },
  {
    name: 'keeps-in-list',
    what: 'drops every frame without taking it out of the list',
    body: (l) => {
      for (const s of listedSlots(l)) l.layer.dropUnique(s);
    },
  },
  {
    name: 'stops-after-first',
    what: 'takes out and drops the front frame only',
    body: (l) => {
      const f = l.cursorFrontMut().takeCurrent();
      if (f !== null) l.layer.dropUnique(f);
    },
  },
  { name: 'skipped', what: 'does nothing', body: () => {} },
];

function listDropMutants(): ClauseMutant[] {
  return LIST_DROP_VARIANTS.map((v) => ({
    name: `LinkedList::drop/${v.name}`,
    description: `LinkedList::drop: ${v.what}`,
    target: 'list' as const,
    op: 'LinkedList::drop',
    operator: v.name,
    areas: ['list'] as const,
    list: (layer: FrameLayer, ids: ListIdAllocator) => {
      const l = new LinkedList(layer, ids);
      override(l, 'drop', (base, args) => (inSetup(l) ? base(...args) : v.body(l)));
      return l;
    },
  }));
}

// --- segments --------------------------------------------------------------------------------------

type SegProto = Record<string | symbol, Fn>;
const segProto = Segment.prototype as unknown as SegProto;
const SegmentStatics = Segment as unknown as Record<string, Fn>;
const rawSegment = (layer: FrameLayer, start: number, end: number) =>
  Reflect.construct(Segment, [layer, start, end]) as Segment;

/** Installs `fn` as `key` on `target` for the run; returns the restore. */
function install(target: Record<string | symbol, Fn>, key: string | symbol, make: (base: Fn) => Fn): () => () => void {
  return () => {
    const base = target[key]!;
    target[key] = make(base);
    return () => {
      target[key] = base;
    };
  };
}

const shift = (seg: Segment, ds: number, de: number) => rawSegment(seg.layer, seg.startPaddr + ds, seg.endPaddr + de);

/** A segment operation and the ways its result can be wrong. */
type SegOp = Readonly<{
  op: string;
  key: string | symbol;
  statics?: boolean;
  variants: readonly Readonly<{ name: string; what: string; make: (base: Fn) => Fn }>[];
}>;

const firstRcUp = (seg: Segment) => addRc(1n)(seg.layer.region, seg.startPaddr / P);
const firstRcDown = (seg: Segment) => addRc(U64)(seg.layer.region, seg.startPaddr / P);
const seeded = (op: string) => () => abort('assertion_failed', `${op}: seeded abort`);
/** A wrong result segment: `f` of the real one (given that one and the call's `this`). */
const resultSeg = (f: (r: Segment, self: Segment, a: never[]) => Segment) => (b: Fn) =>
  function (this: Segment, ...a: never[]) {
    const r = b.apply(this, a);
    return r instanceof Segment ? f(r, this, a) : r;
  };
/** The segment iterator with `f` run on the segment and the yielded slot before each yield. */
const onEachYield = (f: (self: Segment, slot: number) => void) => (b: Fn) =>
  function* (this: Segment, ...a: never[]) {
    for (const s of b.apply(this, a) as Iterable<number>) {
      f(this, s);
      yield s;
    }
  } as Fn;
/** Shadows a segment's `startPaddr`/`endPaddr` getter with `v` (what the checked layer reads back). */
const shadow = (seg: Segment, key: 'startPaddr' | 'endPaddr', v: number) =>
  Object.defineProperty(seg, key, { value: v, configurable: true });

const SEG_OPS: readonly SegOp[] = [
  {
    op: 'Segment::from_unused',
    key: 'fromUnused',
    statics: true,
    variants: [
      {
        name: 'end-short',
        what: 'an Ok segment one page shorter than the range (its last frame stays claimed)',
        make: (b) =>
          function (this: unknown, ...a: never[]) {
            const r = b.apply(this, a);
            return r instanceof Segment && r.nframes > 1 ? shift(r, 0, -P) : r;
          },
      },
      {
        name: 'err-kind',
        what: 'NotAligned and OutOfBound swapped',
        make: (b) =>
          function (this: unknown, ...a: never[]) {
            const r = b.apply(this, a);
            return r === 'NotAligned' ? 'OutOfBound' : r === 'OutOfBound' ? 'NotAligned' : r;
          },
      },
      {
        name: 'first-rc-up',
        what: 'the first frame\u2019s count one too high',
        make: (b) =>
          function (this: unknown, ...a: never[]) {
            const r = b.apply(this, a);
            if (r instanceof Segment) firstRcUp(r);
            return r;
          },
      },
      {
        name: 'start-later',
        what: 'an Ok segment one page short at the front (its first frame stays claimed)',
        make: resultSeg((r) => (r.nframes > 1 ? shift(r, P, 0) : r)),
      },
      {
        name: 'end-unaligned',
        what: 'an Ok segment whose end is one byte short of the range\u2019s (not page aligned)',
        make: resultSeg((r) => shift(r, 0, -1)),
      },
      {
        name: 'empty-ok',
        what: 'an empty range gives an empty segment instead of aborting',
        make: (b) =>
          function (this: unknown, ...a: never[]) {
            const [layer, range] = a as unknown as [FrameLayer, { start: number; end: number }];
            if (range.start === range.end && range.start % P === 0 && range.end <= layer.region.maxPaddr)
              return rawSegment(layer, range.start, range.end);
            return b.apply(this, a);
          },
      },
    ],
  },
  {
    op: 'Segment::from_raw',
    key: 'fromRaw',
    statics: true,
    variants: [
      {
        name: 'result-start-later',
        what: 'the restored segment starts one page later than the range',
        make: resultSeg((r) => (r.nframes > 0 ? shift(r, P, 0) : r)),
      },
      {
        name: 'result-unaligned',
        what: 'the restored segment ends one byte early (not page aligned)',
        make: resultSeg((r) => shift(r, 0, -1)),
      },
    ],
  },
  {
    op: 'Segment::clone',
    key: 'clone',
    variants: [
      {
        name: 'result-start-later',
        what: 'the copy starts one page later',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            return shift(b.apply(this, a) as Segment, P, 0);
          },
      },
      {
        name: 'first-rc-down',
        what: 'the first frame\u2019s count one too low afterwards',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const r = b.apply(this, a) as Segment;
            firstRcDown(r);
            return r;
          },
      },
      {
        name: 'result-unaligned',
        what: 'the copy ends one byte early (not page aligned)',
        make: resultSeg((r) => shift(r, 0, -1)),
      },
      { name: 'aborts', what: 'aborts', make: () => seeded('Segment::clone') },
    ],
  },
  {
    op: 'Segment::slice',
    key: 'slice',
    variants: [
      {
        name: 'result-end-later',
        what: 'the slice ends one page later',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            return shift(b.apply(this, a) as Segment, 0, P);
          },
      },
      {
        name: 'first-rc-up',
        what: 'the first frame\u2019s count one too high afterwards',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const r = b.apply(this, a) as Segment;
            if (r.nframes > 0) firstRcUp(r);
            return r;
          },
      },
      {
        name: 'result-past-self',
        what: 'the slice ends one page past the segment',
        make: resultSeg((r, self) => shift(r, 0, self.endPaddr + P - r.endPaddr)),
      },
      {
        name: 'result-unaligned',
        what: 'the slice ends one byte early (not page aligned)',
        make: resultSeg((r) => shift(r, 0, -1)),
      },
      {
        name: 'saturated-ok',
        what: 'a frame at REF_COUNT_MAX is sliced without a new reference instead of aborting',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const [range] = a as unknown as [{ start: number; end: number }];
            const inside = range.start % P === 0 && range.end % P === 0 && range.start <= range.end;
            try {
              return b.apply(this, a);
            } catch (e) {
              if (!inside || range.end > this.size) throw e;
              return rawSegment(this.layer, this.startPaddr + range.start, this.startPaddr + range.end);
            }
          },
      },
      {
        name: 'unaligned-ok',
        what: 'an unaligned range is rounded down instead of aborting',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const [range] = a as unknown as [{ start: number; end: number }];
            const down = (x: number) => x - (x % P);
            return b.apply(this, [{ start: down(range.start), end: down(range.end) }] as never);
          },
      },
    ],
  },
  {
    op: 'Segment::split',
    key: 'split',
    variants: [
      {
        name: 'halves-overlap',
        what: 'the second half starts one page early',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const [x, y] = b.apply(this, a) as [Segment, Segment];
            return [x, shift(y, -P, 0)];
          },
      },
      { name: 'aborts', what: 'aborts at a good offset', make: () => seeded('Segment::split') },
      {
        name: 'left-rc-up',
        what: 'the first frame\u2019s count one too high afterwards',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const r = b.apply(this, a) as [Segment, Segment];
            firstRcUp(r[0]);
            return r;
          },
      },
      {
        name: 'unaligned-ok',
        what: 'an unaligned offset is rounded down instead of aborting',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const [off] = a as unknown as [number];
            return b.apply(this, [off - (off % P)] as never);
          },
      },
    ],
  },
  {
    op: 'Segment::drop',
    key: 'drop',
    variants: [
      {
        name: 'first-kept',
        what: 'the first frame\u2019s reference is not dropped',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const start = this.startPaddr;
            const layer = this.layer;
            const r = b.apply(this, a);
            if (layer.region.refCount(start / P) !== layer.region.REF_COUNT_UNUSED) addRc(1n)(layer.region, start / P);
            return r;
          },
      },
      { name: 'aborts', what: 'aborts', make: () => seeded('Segment::drop') },
    ],
  },
  {
    op: 'Segment::into_raw',
    key: 'forget',
    variants: [
      {
        name: 'first-dropped',
        what: 'drops the first frame\u2019s reference',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const region = this.layer.region;
            const s = this.startPaddr / P;
            const r = b.apply(this, a);
            addRc(U64)(region, s);
            return r;
          },
      },
      {
        name: 'result-end-later',
        what: 'returns a range one page longer',
        make: (b) =>
          function (this: Segment, ...a: never[]) {
            const r = b.apply(this, a) as { start: number; end: number };
            return { start: r.start, end: r.end + P };
          },
      },
    ],
  },
  {
    op: 'Segment::next',
    key: Symbol.iterator,
    variants: [
      {
        name: 'yields-next-slot',
        what: 'yields the slot after the segment\u2019s front frame',
        make: (b) =>
          function* (this: Segment, ...a: never[]) {
            const n = this.layer.region.nslots;
            for (const s of b.apply(this, a) as Iterable<number>) yield (s + 1) % n;
          } as Fn,
      },
      {
        name: 'stops-early',
        what: 'yields nothing although frames remain',
        make: () => function* () {} as Fn,
      },
      {
        name: 'end-shrinks',
        what: 'each step also moves the segment\u2019s end one page down',
        make: onEachYield((self) => shadow(self, 'endPaddr', self.endPaddr - P)),
      },
      {
        name: 'start-unaligned',
        what: 'each step leaves the segment\u2019s start one byte past the next frame',
        make: onEachYield((self) => {
          Reflect.deleteProperty(self, 'startPaddr');
          shadow(self, 'startPaddr', self.startPaddr + 1);
        }),
      },
      {
        name: 'yield-rc-up',
        what: 'the yielded frame\u2019s count one too high',
        make: onEachYield((self, s) => addRc(1n)(self.layer.region, s)),
      },
    ],
  },
];

function segmentMutants(): ClauseMutant[] {
  return SEG_OPS.flatMap((o) =>
    o.variants.map((v) => ({
      name: `${o.op}/${v.name}`,
      description: `${o.op}: ${v.what}`,
      target: 'segment' as const,
      op: o.op,
      operator: v.name,
      areas: ['segment', 'options'] as const,
      patch: install(o.statics === true ? SegmentStatics : segProto, o.key, v.make),
    })),
  );
}

// --- FrameAllocOptions -----------------------------------------------------------------------------

type OptBody = (l: FrameLayer, s: FrameSource, base: (...a: unknown[]) => unknown, args: unknown[]) => unknown;

/** Runs `f` with zeroing turned into a no-op. */
function withoutZeroing(l: FrameLayer, f: () => unknown): unknown {
  const phys = l.region.phys;
  const fill0 = phys.fill0;
  phys.fill0 = () => {};
  try {
    return f();
  } finally {
    phys.fill0 = fill0;
  }
}

const FRAME_OP = 'FrameAllocOptions::alloc_frame_with';
const SEG_OP = 'FrameAllocOptions::alloc_segment_with';

/** The first slot some handle holds (a shared count), or none. */
const sharedSlot = (l: FrameLayer) => {
  const r = l.region;
  for (let k = 0; k < r.nslots; k++) {
    const rc = r.refCount(k);
    if (rc !== r.REF_COUNT_UNUSED && rc > 0n && rc < r.REF_COUNT_UNIQUE) return k;
  }
  return undefined;
};
/** The first `n` consecutive unused slots, as a range, or none. */
const unusedRange = (l: FrameLayer, n: number) => {
  const r = l.region;
  for (let k = 0; k + n <= r.nslots; k++)
    if ([...Array(n).keys()].every((j) => r.refCount(k + j) === r.REF_COUNT_UNUSED))
      return { start: k * P, end: (k + n) * P };
  return undefined;
};
const noMemoryAsInvalid: OptBody = (_l, _s, b, a) => {
  const r = b(...a);
  return r === 'NoMemory' ? 'InvalidArgs' : r;
};

/** `[op, method, name, description, body]` of each `FrameAllocOptions` variant. */
const OPTIONS_VARIANTS: readonly (readonly [string, 'allocFrame' | 'allocSegment', string, string, OptBody])[] = [
  [
    FRAME_OP,
    'allocFrame',
    'no-memory-always',
    'reports NoMemory after taking a frame',
    (_l, _s, b, a) => (b(...a), 'NoMemory'),
  ],
  [
    FRAME_OP,
    'allocFrame',
    'rc-up',
    'the allocated frame\u2019s count one too high',
    (l, _s, b, a) => {
      const r = b(...a);
      if (typeof r === 'number') addRc(1n)(l.region, r);
      return r;
    },
  ],
  [
    FRAME_OP,
    'allocFrame',
    'neighbour-claimed',
    'claims the next frame as well',
    (l, _s, b, a) => {
      const r = b(...a);
      if (typeof r === 'number') l.fromUnused(((r + 1) % l.region.nslots) * P, unit(UnitMeta));
      return r;
    },
  ],
  [
    FRAME_OP,
    'allocFrame',
    'in-use-frame',
    'returns one more reference to a frame some handle holds, not a frame of the allocator',
    (l, _s, b, a) => {
      const k = sharedSlot(l);
      const r = k === undefined ? undefined : l.fromInUse(k * P);
      return typeof r === 'number' ? r : b(...a);
    },
  ],
  [FRAME_OP, 'allocFrame', 'err-invalid', 'reports InvalidArgs where memory ran out', noMemoryAsInvalid],
  [FRAME_OP, 'allocFrame', 'not-zeroed', 'never zeroes the frame', (l, _s, b, a) => withoutZeroing(l, () => b(...a))],
  [
    FRAME_OP,
    'allocFrame',
    'unclaimed-frame',
    'returns a free frame without claiming it',
    (_l, s) => {
      const paddr = s.alloc({ size: P, align: P });
      return paddr === undefined ? 'NoMemory' : paddr / P;
    },
  ],
  [
    SEG_OP,
    'allocSegment',
    'no-memory-always',
    'reports NoMemory after taking the frames',
    (_l, _s, b, a) => {
      const r = b(...a);
      if (r instanceof Segment) r.forget();
      return 'NoMemory';
    },
  ],
  [
    SEG_OP,
    'allocSegment',
    'short-segment',
    'returns a segment one frame short (the last stays claimed)',
    (_l, _s, b, a) => {
      const r = b(...a);
      return r instanceof Segment && r.nframes > 1 ? shift(r, 0, -P) : r;
    },
  ],
  [
    SEG_OP,
    'allocSegment',
    'in-use-segment',
    'returns a one-frame segment over a frame some handle holds, not frames of the allocator',
    (l, _s, b, a) => {
      const k = sharedSlot(l);
      const r = k === undefined ? undefined : l.fromInUse(k * P);
      return typeof r === 'number' ? Segment.fromFrame(l, r) : b(...a);
    },
  ],
  [
    SEG_OP,
    'allocSegment',
    'unallocated-segment',
    'claims unused frames the allocator still lists free, without asking it',
    (l, _s, b, a) => {
      const [n, metaFn] = a as [number, (p: Paddr) => FrameMeta];
      const range = n > 0 ? unusedRange(l, n) : undefined;
      const r = range === undefined ? undefined : Segment.fromUnused(l, range, metaFn);
      return r instanceof Segment ? r : b(...a);
    },
  ],
  [SEG_OP, 'allocSegment', 'err-invalid', 'reports InvalidArgs where memory ran out', noMemoryAsInvalid],
  [SEG_OP, 'allocSegment', 'not-zeroed', 'never zeroes the segment', (l, _s, b, a) => withoutZeroing(l, () => b(...a))],
  [
    SEG_OP,
    'allocSegment',
    'first-rc-up',
    'the first frame\u2019s count one too high',
    (_l, _s, b, a) => {
      const r = b(...a);
      if (r instanceof Segment) firstRcUp(r);
      return r;
    },
  ],
  [
    SEG_OP,
    'allocSegment',
    'aborts',
    'aborts after allocating',
    (_l, _s, b, a) => {
      b(...a);
      abort('assertion_failed', 'alloc_segment: seeded abort');
    },
  ],
];

function optionsMutants(): ClauseMutant[] {
  return OPTIONS_VARIANTS.map(([op, method, name, what, body]) => ({
    name: `${op}/${name}`,
    description: `${op}: ${what}`,
    target: 'alloc-options' as const,
    op,
    operator: name,
    areas: ['options'] as const,
    allocOptions: (l: FrameLayer, s: FrameSource) => {
      const o = new FrameAllocOptions(l, s);
      override(o, method, (base, args) => body(l, s, base, args));
      return o;
    },
  }));
}

// --- MetaSlot region -------------------------------------------------------------------------------

type RegionMethod =
  | 'getSlot'
  | 'getFromInUseLoop'
  | 'frameToMeta'
  | 'metaToFrame'
  | 'addrOf'
  | 'onDrop'
  | 'dropMetaInPlace'
  | 'writeMeta';
type RegionBody = (r: MetaRegion, base: Base, args: unknown[]) => unknown;

/** `drop_meta_in_place` with the reader `reader` builds over the frame (the rest of the body as the real one). */
function dropWithReader(r: MetaRegion, slot: SlotPtr, reader: (paddr: number) => VmReader): void {
  const meta = r.dynMeta(slot);
  if (meta !== undefined) r.onDrop(slot, meta, reader(r.framePaddr(slot)));
  r.mem.writePlain(slot * r.layout.wordsPerSlot + r.layout.vtable, 0n);
}

/** A reader over the frame at `paddr` whose reads are not clamped to what remains. */
function unclampedReader(r: MetaRegion, paddr: number): VmReader {
  const reader = vmReader(r.phys, paddr, P);
  reader.readBytes = (n: number) => {
    const out = r.phys.read(reader.cursor, n);
    reader.cursor += n;
    return out;
  };
  return reader;
}

/**
 * `[op, method, name, description, body]` of each region variant: the address conversions the region
 * makes inside its own operations (checked as internal calls, `src/contract/internalCalls.ts`), and the
 * metadata drop with the reader it hands `on_drop`.
 */
const REGION_VARIANTS: readonly (readonly [string, RegionMethod, string, string, RegionBody])[] = [
  [
    // The port's `meta_mut` stores through the region's metadata write; a claim's first write goes through.
    'UniqueFrame::meta_mut',
    'writeMeta',
    'value-kept',
    'the store through `&mut M` keeps the old value (a metadata write over the same type is skipped)',
    (r, b, args) => {
      const [slot, meta] = args as [SlotPtr, FrameMeta];
      return r.mem.readPlain(vtableWord(r, slot)) === meta.type.vtable ? undefined : b(...args);
    },
  ],
  [
    'get_slot',
    'getSlot',
    'rounds-down',
    'maps a misaligned address to the slot of the frame it falls in (frame_to_meta gets it)',
    (r, b, [p]) => {
      const paddr = p as number;
      return Number.isInteger(paddr) && paddr >= 0 && paddr < r.maxPaddr ? r.slotAt(r.frameToMeta(paddr)) : b(p);
    },
  ],
  [
    'get_slot',
    'getSlot',
    'no-bound-check',
    'maps an aligned address at or past MAX_PADDR to a slot (frame_to_meta gets it)',
    (r, b, [p]) =>
      (p as number) % P === 0 && (p as number) >= r.maxPaddr ? r.slotAt(r.frameToMeta(p as number)) : b(p),
  ],
  [
    'get_from_in_use_loop',
    'getFromInUseLoop',
    'busy-acquired',
    'takes a reference to a frame whose count is 0 (mid-teardown) instead of answering Busy',
    (r, b, a) => {
      const out = b(...a);
      if (out !== 'Busy') return out;
      addRc(1n)(r, a[0] as SlotPtr);
      return a[0];
    },
  ],
  [
    'get_from_in_use_loop',
    'getFromInUseLoop',
    'no-abort-at-max',
    'takes a reference past REF_COUNT_MAX instead of aborting',
    (r, b, a) => {
      const s = a[0] as SlotPtr;
      if (r.refCount(s) < r.REF_COUNT_MAX || r.refCount(s) > r.REF_COUNT_MAX) return b(...a);
      addRc(1n)(r, s);
      return s;
    },
  ],
  [
    'frame_to_meta',
    'frameToMeta',
    'next-slot',
    'answers the next frame\u2019s slot (the last frame\u2019s wraps to slot 0)',
    (r, b, a) => ((b(...a) as number) + META_SLOT_SIZE) % (r.nslots * META_SLOT_SIZE),
  ],
  [
    'frame_to_meta',
    'frameToMeta',
    'misaligned',
    'answers an address 8 bytes into the slot',
    (_r, b, a) => (b(...a) as number) + 8,
  ],
  ['meta_to_frame', 'metaToFrame', 'next-frame', 'answers the next frame', (_r, b, a) => (b(...a) as number) + P],
  [
    'meta_to_frame',
    'metaToFrame',
    'misaligned',
    'answers a byte past the frame\u2019s start',
    (_r, b, a) => (b(...a) as number) + 1,
  ],
  [
    'addr_of',
    'addrOf',
    'previous-slot',
    'answers the previous slot\u2019s address (below the range at slot 0)',
    (_r, b, a) => (b(...a) as number) - META_SLOT_SIZE,
  ],
  [
    'addr_of',
    'addrOf',
    'field-address',
    'answers the address of the slot\u2019s ref_count field',
    (_r, b, a) => (b(...a) as number) + 40,
  ],
  [
    'on_drop',
    'onDrop',
    'cursor-past-end',
    'leaves the reader\u2019s cursor past its end',
    (_r, b, a) => {
      b(...a);
      const reader = a[2] as VmReader;
      reader.cursor = reader.end + 8;
    },
  ],
  [
    'on_drop',
    'onDrop',
    'skips-unread',
    'moves the reader\u2019s cursor without reading (its owner does not follow)',
    (_r, b, a) => {
      b(...a);
      (a[2] as VmReader).cursor += 8;
    },
  ],
  [
    'on_drop',
    'onDrop',
    'neighbour-count-illegal',
    'stores REF_COUNT_MAX + 1 into the next slot\u2019s count',
    (r, b, a) => {
      b(...a);
      const s = ((a[0] as number) + 1) % r.nslots;
      r.mem.store(r.refCountWord(s), r.REF_COUNT_MAX + 1n, Ordering.SeqCst);
    },
  ],
  [
    'drop_meta_in_place',
    'dropMetaInPlace',
    'reversed-reader',
    'hands on_drop a reader whose end is before its cursor',
    (r, _b, [s]) => dropWithReader(r, s as SlotPtr, (paddr) => vmReader(r.phys, paddr + P, -P)),
  ],
  [
    'drop_meta_in_place',
    'dropMetaInPlace',
    'short-reader',
    'hands on_drop a reader over half the frame',
    (r, _b, [s]) => dropWithReader(r, s as SlotPtr, (paddr) => vmReader(r.phys, paddr, P / 2)),
  ],
  [
    'drop_meta_in_place',
    'dropMetaInPlace',
    'unclamped-reader',
    'hands on_drop a reader whose reads run past its end',
    (r, _b, [s]) => dropWithReader(r, s as SlotPtr, (paddr) => unclampedReader(r, paddr)),
  ],
];

/** One protocol method of the region: its Rust name, the slot it is about, its wrong results, a skipped call's result. */
type RegionOp = Readonly<{
  method:
    | 'getSlot'
    | 'getFromUnused'
    | 'getFromInUse'
    | 'getFromInUseLoop'
    | 'incRefCount'
    | 'writeMeta'
    | 'dropLastInPlace'
    | 'dropMetaInPlace';
  op: string;
  slot: (args: readonly unknown[], ret: unknown) => number;
  results: readonly Readonly<{ name: string; what: string; wrong: (r: MetaRegion, ret: unknown) => unknown }>[];
  skip?: () => unknown;
  clearsMeta?: boolean;
}>;

const regionClaim = [
  {
    name: 'result-next-slot',
    what: 'an Ok names the next slot; an Err names another error',
    wrong: (r: MetaRegion, ret: unknown) => nextOf(r.nslots, ret),
  },
  {
    name: 'ok-reported-err',
    what: 'a success reported as Err(InUse)',
    wrong: (_r: MetaRegion, ret: unknown) => (typeof ret === 'number' ? 'InUse' : ret),
  },
];

const REGION_OPS: readonly RegionOp[] = [
  { method: 'getSlot', op: 'get_slot', slot: byPaddr, results: regionClaim.slice(0, 1) },
  { method: 'getFromUnused', op: 'get_from_unused', slot: byPaddr, results: regionClaim, skip: () => 'InUse' },
  { method: 'getFromInUse', op: 'get_from_in_use', slot: byPaddr, results: regionClaim, skip: () => 'Unused' },
  { method: 'getFromInUseLoop', op: 'get_from_in_use_loop', slot: bySlot, results: regionClaim, skip: () => 'Unused' },
  { method: 'incRefCount', op: 'inc_ref_count', slot: bySlot, results: [], skip: () => undefined },
  { method: 'writeMeta', op: 'write_meta', slot: bySlot, results: [], skip: () => undefined },
  {
    method: 'dropLastInPlace',
    op: 'drop_last_in_place',
    slot: bySlot,
    results: [],
    skip: () => undefined,
    clearsMeta: true,
  },
  {
    method: 'dropMetaInPlace',
    op: 'drop_meta_in_place',
    slot: bySlot,
    results: [],
    skip: () => undefined,
    clearsMeta: true,
  },
];

/** A region builder whose `method` is replaced by `body` (given the real one). */
const regionWith =
  (method: string, body: RegionBody) =>
  (o: MetaRegionOptions): MetaRegion => {
    const r = new MetaRegion(o);
    override(r, method, (base, args) => body(r, base, args));
    return r;
  };

function regionMutants(): ClauseMutant[] {
  const noAbort: Variant<MetaRegion> = {
    name: 'no-abort-at-max',
    what: 'increments past REF_COUNT_MAX instead of aborting',
    body: (r, _base, args) => void addRc(1n)(r, args[0] as number),
  };
  const standard = REGION_OPS.flatMap((o) => {
    const effects = SLOT_EFFECTS.filter((e) => !(o.clearsMeta === true && e.name === 'vtable-cleared')).map((e) => ({
      name: e.name,
      what: e.what,
      after: (r: MetaRegion, args: unknown[], ret: unknown) => {
        const s = o.slot(args, ret);
        if (valid(r, s)) e.apply(r, s);
      },
    }));
    const vs = standardVariants<MetaRegion>(o.op, effects, o.results, o.skip);
    if (o.method === 'incRefCount') vs.push(noAbort);
    return vs.map((v) => [o.op, o.method, v.name, v.what, v.body] as const);
  });
  return [...standard, ...REGION_VARIANTS].map(([op, method, name, what, body]) => ({
    name: `${op}/${name}`,
    description: `${op}: ${what}`,
    target: 'meta-slot' as const,
    op,
    operator: name,
    areas: ['meta', 'frame'] as const,
    region: regionWith(method, body),
  }));
}

// --- the global allocator --------------------------------------------------------------------------

/** The buddy allocator `b` with `alloc` replaced. */
const allocVia = (b: BuddyAllocator, alloc: (layout: Layout) => Paddr | undefined): BuddyLike => ({
  alloc,
  dealloc: (a, size) => b.dealloc(a, size),
  addFreeMemory: (a, size) => b.addFreeMemory(a, size),
  usage: () => b.usage(),
  freeBlocks: () => b.freeBlocks(),
  audit: () => b.audit(),
});

const ALLOCATOR_VARIANTS: readonly (readonly [string, string, (b: BuddyAllocator) => BuddyLike])[] = [
  [
    'result-allocated-again',
    'answers the previous allocation again (a block that is not free)',
    (b) => {
      let first: Paddr | undefined;
      return allocVia(b, (layout) => {
        const r = b.alloc(layout);
        first ??= r;
        return first;
      });
    },
  ],
  [
    'not-taken',
    'hands out a block and leaves it free',
    (b) =>
      allocVia(b, (layout) => {
        const r = b.alloc(layout);
        if (r !== undefined) b.dealloc(r, layout.size);
        return r;
      }),
  ],
  ['none-after-taking', 'takes a block and answers None', (b) => allocVia(b, (layout) => void b.alloc(layout))],
];

function allocatorMutants(): ClauseMutant[] {
  const op = 'GlobalFrameAllocator::alloc';
  return ALLOCATOR_VARIANTS.map(([name, what, buddy]) => ({
    name: `${op}/${name}`,
    description: `${op}: ${what}`,
    target: 'buddy' as const,
    op,
    operator: name,
    areas: ['allocator'] as const,
    buddy,
  }));
}

// --- proof code ------------------------------------------------------------------------------------

type PermKey = 'storage' | 'refCount' | 'vtablePtr' | 'inList';
type OwnerOp = (o: MetaSlotOwner) => MetaSlotOwner;

const ownerAt = (g: MetaRegionOwners, i: FrameIndex, f: OwnerOp) => withSlotOwner(g, i, f(slotOwner(g, i)));
const inner = (o: MetaSlotOwner, k: PermKey, v: object) =>
  withOwnerFields(o, { [k]: Object.freeze({ ...o.innerPerms[k], ...v }) });
/** The region with the slot permission at `i` replaced by `f`'s (unchanged when it was extracted). */
const permAt = (g: MetaRegionOwners, i: FrameIndex, f: (p: SlotPerm) => SlotPerm) => {
  const perm = slotPerm(g, i);
  return perm === undefined ? g : reparkSlotPerm(g, i, Object.freeze(f(perm)));
};

/**
 * Wrong proof code: `at` perturbs the region at slot `i`; `owner` and `perm` are the same change on a
 * slot owner or on one inner permission, for the MetaSlot ops whose ghost is an owner or permissions.
 */
type ProofOperator = Readonly<{
  name: string;
  what: string;
  at: GhostTamper['at'];
  after?: boolean;
  owner?: OwnerOp;
  perm?: readonly [PermKey, (p: Readonly<Record<string, unknown>>) => object];
}>;

const ownerOperator = (name: string, what: string, owner: OwnerOp): ProofOperator => ({
  name,
  what,
  owner,
  at: (g, i) => ownerAt(g, i, owner),
});
const permOperator = (name: string, what: string, k: PermKey, v: (p: Readonly<Record<string, unknown>>) => object) => ({
  ...ownerOperator(name, what, (o) => inner(o, k, v(o.innerPerms[k]))),
  perm: [k, v] as const,
});
const num = (x: unknown) => x as number;
const big = (x: unknown) => x as bigint;
const otherUsage: OwnerOp = (o) => withOwnerFields(o, { usage: o.usage === 'Kernel' ? 'Frame' : 'Kernel' });
const movedSelfAddr =
  (d: (a: bigint) => bigint): OwnerOp =>
  (o) =>
    Object.freeze({ ...o, selfAddr: d(o.selfAddr) });

/** Wrong proof code at slot `i` of the op's ghost step. */
const PROOF_OPERATORS: readonly ProofOperator[] = [
  {
    name: 'proof-extra-obligation',
    what: 'mints one obligation too many',
    at: (g, i) => withLedger(g, g.frameObligations.mint(i)),
    after: true,
  },
  {
    name: 'proof-lost-obligation',
    what: 'redeems one obligation too many (or mints none): at the slot, else the first slot that has one',
    at: (g, i) => {
      const ledger = g.frameObligations;
      const j = ledger.count(i) > 0 ? i : ([...ledger.entries()][0]?.[0] ?? i);
      return withLedger(g, ledger.redeem(j));
    },
    after: true,
  },
  {
    name: 'proof-perm-extracted',
    what: 'extracts the slot permission and keeps it',
    at: (g, i) => extractSlotPerm(g, i),
  },
  ownerOperator('proof-usage', 'sets the slot owner\u2019s usage to Kernel', otherUsage),
  ownerOperator('proof-page-table', 'hands the frame to the page table (its usage PageTable)', (o) =>
    withOwnerFields(o, { usage: 'PageTable' }),
  ),
  {
    name: 'proof-domain-grown',
    what: 'records a copy of the slot\u2019s owner at index max_meta_slots(), outside the region',
    at: (g, i) => withSlotOwner(g, MAX_META_SLOTS, { ...slotOwner(g, i), usage: 'Frame' }),
  },
  {
    name: 'proof-slots-grown',
    what: 'parks a copy of the slot\u2019s permission at index max_meta_slots(), outside the region',
    at: (g, i) => {
      const perm = slotPerm(g, i);
      return perm === undefined ? g : reparkSlotPerm(g, MAX_META_SLOTS, perm);
    },
  },
  ownerOperator('proof-paths-in-pt', 'records a page-table path the frame is not mapped at', (o) =>
    withOwnerFields(o, { pathsInPt: new Set([...o.pathsInPt, 'pt#seeded']) }),
  ),
  ownerOperator(
    'proof-self-addr',
    'moves the owner\u2019s self_addr to the next slot',
    movedSelfAddr((a) => a + 64n),
  ),
  ownerOperator(
    'proof-self-addr-unaligned',
    'moves the owner\u2019s self_addr 8 bytes into its slot',
    movedSelfAddr((a) => a + 8n),
  ),
  ownerOperator(
    'proof-self-addr-out-of-range',
    'moves the owner\u2019s self_addr as far past FRAME_METADATA_RANGE.end as it was past its start',
    movedSelfAddr((a) => a - FRAME_METADATA_RANGE.start + FRAME_METADATA_RANGE.end),
  ),
  permOperator('proof-rc-id', 'swaps in a ref_count permission of another id', 'refCount', (p) => ({
    id: num(p['id']) + 1000,
  })),
  permOperator('proof-storage-id', 'swaps in a storage permission of another id', 'storage', (p) => ({
    id: num(p['id']) + 1000,
  })),
  permOperator('proof-vtable-pptr', 'swaps in a vtable permission at another address', 'vtablePtr', (p) => ({
    addr: big(p['addr']) + 8n,
  })),
  permOperator('proof-in-list-id', 'swaps in an in_list permission of another id', 'inList', (p) => ({
    id: num(p['id']) + 1000,
  })),
  {
    name: 'proof-neighbour-usage',
    what: 'changes the usage of the next slot (an untouched frame)',
    at: (g, i, n) => ownerAt(g, (i + 1) % n, otherUsage),
  },
  {
    name: 'proof-neighbour-perm',
    what: 'extracts the next slot\u2019s permission',
    at: (g, i, n) => extractSlotPerm(g, (i + 1) % n),
  },
  {
    name: 'proof-perm-uninit',
    what: 'puts back the slot permission uninitialized',
    at: (g, i) => permAt(g, i, (p) => ({ addr: p.addr, contents: UNINIT })),
  },
  {
    name: 'proof-perm-addr',
    what: 'puts back the slot permission at the next slot\u2019s address',
    at: (g, i) => permAt(g, i, (p) => ({ ...p, addr: p.addr + 64n })),
  },
  {
    name: 'proof-perm-value',
    what: 'puts back a slot permission holding the next slot\u2019s MetaSlot',
    at: (g, i, n) => permAt(g, i, (p) => ({ ...p, contents: init(slotIds((i + 1) % n)) })),
  },
];

/**
 * The operations whose ghost step the checked layers run, and the scenarios that reach each: those that
 * take `Tracked(regions): Tracked<&mut MetaRegionOwners>` (`UniqueFrame::meta`, `size`, `is_empty`, the
 * cursor constructors and the moves take none, or a shared one: their proof code cannot change it).
 */
const PROOF_OPS: readonly Readonly<{
  op: string;
  areas: readonly Area[];
  target: Mutant['target'];
  /** Operators that are no change on this op's ghost. */
  skip?: readonly string[];
}>[] = [
  // The MetaSlot layer alone mints no obligation: there is none to redeem.
  ...['get_from_unused', 'get_from_in_use', 'on_drop'].map((op) => ({
    op,
    areas: ['meta'] as const,
    target: 'meta-slot' as const,
    skip: ['proof-lost-obligation'],
  })),
  ...[
    'Frame::from_unused',
    'Frame::from_in_use',
    'Frame::clone',
    'Frame::drop',
    'Frame::into_raw',
    'Frame::from_raw',
    'UniqueFrame::from_unused',
    'UniqueFrame::meta_mut',
    'Frame::from_unique',
    'UniqueFrame::try_from_shared',
    'UniqueFrame::drop',
    'UniqueFrame::reset_as_unused',
    'UniqueFrame::repurpose',
  ].map((op) => ({ op, areas: ['frame'] as const, target: 'frame' as const })),
  ...[
    'LinkedList::push_front',
    'LinkedList::push_back',
    'LinkedList::pop_front',
    'LinkedList::pop_back',
    'LinkedList::contains',
    'LinkedList::cursor_mut_at',
    'CursorMut::current_meta',
    'CursorMut::take_current',
    'CursorMut::insert_before',
    'LinkedList::drop',
  ].map((op) => ({ op, areas: ['list'] as const, target: 'list' as const })),
  ...[
    'Segment::from_unused',
    'Segment::from_raw',
    'Segment::split',
    'Segment::slice',
    'Segment::clone',
    'Segment::into_raw',
    'Segment::next',
    'Segment::drop',
  ].map((op) => ({ op, areas: ['segment'] as const, target: 'segment' as const })),
  ...['FrameAllocOptions::alloc_frame_with', 'FrameAllocOptions::alloc_segment_with'].map((op) => ({
    op,
    areas: ['options'] as const,
    target: 'alloc-options' as const,
  })),
];

/** The MetaSlot ops whose tracked ghost is one slot owner (`&mut MetaSlotOwner`) or some of its permissions. */
const SLOT_PROOF_OPS: readonly Readonly<{ op: string; ghost: 'owner' | readonly PermKey[] }>[] = [
  { op: 'get_from_in_use_loop', ghost: ['refCount', 'storage', 'vtablePtr', 'inList'] },
  { op: 'inc_ref_count', ghost: ['refCount'] },
  { op: 'write_meta', ghost: ['storage', 'vtablePtr'] },
  { op: 'drop_last_in_place', ghost: 'owner' },
  { op: 'drop_meta_in_place', ghost: 'owner' },
];

/** Where each tracked permission is in the slot-level ghosts (`IncState`, `WriteMetaState`). */
const PERM_FIELD: Readonly<Record<string, PermKey>> = {
  rcPerm: 'refCount',
  metaPerm: 'storage',
  vtablePerm: 'vtablePtr',
};

/** `s` with the permission `k` changed by `v`, wherever the slot-level ghost `s` keeps it. */
function onPerm(s: unknown, k: PermKey, v: (p: Readonly<Record<string, unknown>>) => object): unknown {
  const o = s as Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  const at = (p: Readonly<Record<string, unknown>>) => Object.freeze({ ...p, ...v(p) });
  if ('innerPerms' in o)
    return { ...o, innerPerms: Object.freeze({ ...o['innerPerms'], [k]: at(o['innerPerms'][k] as never) }) };
  const field = Object.keys(PERM_FIELD).find((f) => PERM_FIELD[f] === k && f in o);
  return field === undefined ? s : { ...o, [field]: at(o[field]!) };
}

const proofMutant = (
  op: string,
  t: ProofOperator,
  areas: readonly Area[],
  target: Mutant['target'],
  tamper: GhostTamper,
): ClauseMutant => ({
  name: `${op}/${t.name}`,
  description: `${op}: its proof code ${t.what}`,
  target,
  op,
  operator: t.name,
  areas,
  tamper,
});

/** Wrong proof code of `on_drop` that the region operators do not cover: the `VmIoOwner` it leaves. */
const IO_OWNER_OPERATOR: ProofOperator = {
  name: 'proof-io-owner-past-end',
  what: 'leaves the VmIoOwner\u2019s range starting past its end',
  at: (g) => g,
};
const ioOwnerPastEnd = (s: unknown) => {
  const o = s as OnDropState;
  const end = o.vmIoOwner.range.end;
  return { ...o, vmIoOwner: Object.freeze({ ...o.vmIoOwner, range: Object.freeze({ start: end + 8n, end }) }) };
};

/** Wrong proof code of the global allocator: the ghost `added` set grown or emptied. */
const ALLOCATOR_PROOF: readonly Readonly<{ name: string; what: string; state: (s: unknown) => unknown }>[] = [
  {
    name: 'proof-added-grown',
    what: 'records memory as added that no caller gave it',
    state: (s) => {
      const m = s as FreeSetModel;
      return { ...m, added: rangeSetOf([...m.added, { start: 2 ** 40, end: 2 ** 40 + P }]) };
    },
  },
  {
    name: 'proof-added-lost',
    what: 'forgets the memory added so far',
    state: (s) => ({ ...(s as FreeSetModel), added: EMPTY_RANGE_SET }),
  },
];

/** Wrong proof code of a cursor op: the cursor owner's ghost index one too far (`Tracked(owner): &mut CursorOwner`). */
const CURSOR_INDEX_OPERATOR: ProofOperator = {
  name: 'proof-cursor-index',
  what: 'leaves the cursor owner\u2019s ghost index one too far',
  at: (g) => g,
};
/**
 * Wrong proof code of `Drop for LinkedList` at the next slot (a frame the list does not hold): what
 * `drop_ensures` says of every unlisted slot (its obligations, `self_addr` and `paths_in_pt`).
 */
const LIST_DROP_PROOF: readonly ProofOperator[] = [
  {
    name: 'proof-neighbour-obligation',
    what: 'mints an obligation at the next slot (a frame the list does not hold)',
    at: (g, i, n) => withLedger(g, g.frameObligations.mint((i + 1) % n)),
    after: true,
  },
  {
    name: 'proof-neighbour-self-addr',
    what: 'moves the next slot\u2019s self_addr 8 bytes into its slot',
    at: (g, i, n) =>
      ownerAt(
        g,
        (i + 1) % n,
        movedSelfAddr((a) => a + 8n),
      ),
  },
  {
    name: 'proof-neighbour-paths-in-pt',
    what: 'records a page-table path at the next slot',
    at: (g, i, n) =>
      ownerAt(g, (i + 1) % n, (o) => withOwnerFields(o, { pathsInPt: new Set([...o.pathsInPt, 'pt#seeded']) })),
  },
];

const CURSOR_OPS = [
  'CursorMut::move_next',
  'CursorMut::move_prev',
  'CursorMut::current_meta',
  'CursorMut::take_current',
  'CursorMut::insert_before',
];
const indexTooFar = (s: unknown) => {
  const c = s as CursorState;
  return { ...c, owner: Object.freeze({ ...c.owner, index: c.owner.index + 1 }) };
};

function proofMutants(): ClauseMutant[] {
  const region = PROOF_OPS.flatMap((o) =>
    PROOF_OPERATORS.filter((t) => o.skip?.includes(t.name) !== true).map((t) =>
      proofMutant(o.op, t, o.areas, o.target, { op: o.op, at: t.at, ...(t.after === true && { after: true }) }),
    ),
  );
  const slot = SLOT_PROOF_OPS.flatMap(({ op, ghost }) =>
    PROOF_OPERATORS.flatMap((t) => {
      const state =
        ghost === 'owner'
          ? t.owner && ((s: unknown) => ({ ...(s as DropMetaState), owner: t.owner!((s as DropMetaState).owner) }))
          : t.perm !== undefined && ghost.includes(t.perm[0])
            ? (s: unknown) => onPerm(s, t.perm![0], t.perm![1])
            : undefined;
      return state === undefined ? [] : [proofMutant(op, t, ['meta'], 'meta-slot', { op, at: t.at, state })];
    }),
  );
  const io = proofMutant('on_drop', IO_OWNER_OPERATOR, ['meta'], 'meta-slot', {
    op: 'on_drop',
    at: IO_OWNER_OPERATOR.at,
    state: ioOwnerPastEnd,
  });
  const allocator = [
    'GlobalFrameAllocator::alloc',
    'GlobalFrameAllocator::dealloc',
    'GlobalFrameAllocator::add_free_memory',
  ].flatMap((op) =>
    ALLOCATOR_PROOF.map((t) =>
      proofMutant(op, { ...t, at: (g) => g }, ['allocator'], 'buddy', { op, at: (g) => g, state: t.state }),
    ),
  );
  const listDrop = LIST_DROP_PROOF.map((t) =>
    proofMutant('LinkedList::drop', t, ['list'], 'list', {
      op: 'LinkedList::drop',
      at: t.at,
      ...(t.after === true && { after: true }),
    }),
  );
  const cursor = CURSOR_OPS.map((op) =>
    proofMutant(op, CURSOR_INDEX_OPERATOR, ['list'], 'list', { op, at: (g) => g, state: indexTooFar }),
  );
  return [...region, ...slot, io, ...listDrop, ...cursor, ...allocator];
}

let all: readonly ClauseMutant[] | undefined;

/** Every clause mutant, in a fixed order (frame layer, lists, segments, options, region, proof code). */
export function clauseMutantList(): readonly ClauseMutant[] {
  all ??= Object.freeze([
    ...layerMutants(),
    ...listMutants(),
    ...listDropMutants(),
    ...segmentMutants(),
    ...optionsMutants(),
    ...regionMutants(),
    ...allocatorMutants(),
    ...proofMutants(),
  ]);
  return all;
}
