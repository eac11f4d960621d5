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
import type { MetaRegion, SlotPtr } from '../../impl/meta/MetaSlot.ts';
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
import { FrameAllocOptions, type FrameSource } from '../../impl/alloc/FrameAllocOptions.ts';
import {
  extractSlotPerm,
  slotOwner,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
} from '../../spec/meta/MetaRegionOwners.ts';
import { withOwnerFields, type MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';
import { PAGE_SIZE, type FrameIndex } from '../../spec/vocab.ts';
import type { Mutant } from './catalog.ts';

/** The scenario sets that reach an operation (see `clauseEngine.ts`). */
export type Area = 'frame' | 'list' | 'segment' | 'options';

/** Wrong proof code: the ghost step of the operation `op`, perturbed at slot `i` (the first it touches). */
export type GhostTamper = Readonly<{
  op: string;
  at: (g: MetaRegionOwners, i: FrameIndex, nslots: number) => MetaRegionOwners;
  /** Applied to the ghost after the op's own proof step (a ledger operator), else before it. */
  after?: boolean;
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
const nextSlot = (l: FrameLayer, ret: unknown) =>
  typeof ret === 'number' ? (ret + 1) % l.region.nslots : ret === 'OutOfBound' ? 'NotAligned' : 'OutOfBound';
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
    results: [{ name: 'result-next-slot', what: 'returns the next slot', wrong: nextSlot }],
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
    op: 'inc_frame_ref_count',
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
const LIST_FIELD_EFFECTS = new Set(['size-up', 'front-cleared', 'back-is-front', 'id-changed']);

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
    results: [{ name: 'result-other-slot', what: 'returns another slot', wrong: otherSlot }],
    skip: () => null,
  },
  {
    method: 'popBack',
    cursor: false,
    op: 'LinkedList::pop_back',
    frame: retSlot,
    results: [{ name: 'result-other-slot', what: 'returns another slot', wrong: otherSlot }],
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
    results: [{ name: 'result-other-slot', what: 'returns another slot', wrong: otherSlot }],
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
  Object.defineProperty(target, method, { value: (...args: unknown[]) => body(base, args), configurable: true });
}

const CURSOR_MAKERS = ['cursorMutAt', 'cursorFrontMut', 'cursorBackMut', 'cursorAtGhostMut'] as const;

/** A list builder whose list method (or, for a cursor method, every cursor's method) is replaced by `body`. */
function listWith(
  o: ListOp,
  body: (l: LinkedList, self: object, base: (...a: unknown[]) => unknown, args: unknown[]) => unknown,
): (layer: FrameLayer, ids: ListIdAllocator) => LinkedList {
  return (layer, ids) => {
    const l = new LinkedList(layer, ids);
    if (!o.cursor) override(l, o.method, (base, args) => body(l, l, base, args));
    else
      for (const maker of CURSOR_MAKERS)
        override(l, maker, (base, args) => {
          const c = base(...args);
          if (c instanceof CursorMut) override(c, o.method, (b, a) => body(l, c, b, a));
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
    return standardVariants<C>(o.op, effects, results, skip && ((c, a) => skip(c.l, a))).map((v) => ({
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
        name: 'yield-rc-up',
        what: 'the yielded frame\u2019s count one too high',
        make: (b) =>
          function* (this: Segment, ...a: never[]) {
            const region = this.layer.region;
            for (const s of b.apply(this, a) as Iterable<number>) {
              addRc(1n)(region, s);
              yield s;
            }
          } as Fn,
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

// --- proof code ------------------------------------------------------------------------------------

const ownerAt = (g: MetaRegionOwners, i: FrameIndex, f: (o: MetaSlotOwner) => MetaSlotOwner) =>
  withSlotOwner(g, i, f(slotOwner(g, i)));
const inner = (o: MetaSlotOwner, k: 'storage' | 'refCount' | 'vtablePtr' | 'inList', v: object) =>
  withOwnerFields(o, { [k]: Object.freeze({ ...o.innerPerms[k], ...v }) });

/** Wrong proof code at slot `i` of the op's ghost step. */
const PROOF_OPERATORS: readonly Readonly<{ name: string; what: string; at: GhostTamper['at']; after?: boolean }>[] = [
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
  {
    name: 'proof-usage',
    what: 'sets the slot owner\u2019s usage to Kernel',
    at: (g, i) => ownerAt(g, i, (o) => withOwnerFields(o, { usage: o.usage === 'Kernel' ? 'Frame' : 'Kernel' })),
  },
  {
    name: 'proof-paths-in-pt',
    what: 'records a page-table path the frame is not mapped at',
    at: (g, i) => ownerAt(g, i, (o) => withOwnerFields(o, { pathsInPt: new Set([...o.pathsInPt, 'pt#seeded']) })),
  },
  {
    name: 'proof-self-addr',
    what: 'moves the owner\u2019s self_addr to the next slot',
    at: (g, i) => ownerAt(g, i, (o) => Object.freeze({ ...o, selfAddr: o.selfAddr + 64n })),
  },
  {
    name: 'proof-rc-id',
    what: 'swaps in a ref_count permission of another id',
    at: (g, i) => ownerAt(g, i, (o) => inner(o, 'refCount', { id: o.innerPerms.refCount.id + 1000 })),
  },
  {
    name: 'proof-storage-id',
    what: 'swaps in a storage permission of another id',
    at: (g, i) => ownerAt(g, i, (o) => inner(o, 'storage', { id: o.innerPerms.storage.id + 1000 })),
  },
  {
    name: 'proof-vtable-pptr',
    what: 'swaps in a vtable permission at another address',
    at: (g, i) => ownerAt(g, i, (o) => inner(o, 'vtablePtr', { addr: o.innerPerms.vtablePtr.addr + 8n })),
  },
  {
    name: 'proof-in-list-id',
    what: 'swaps in an in_list permission of another id',
    at: (g, i) => ownerAt(g, i, (o) => inner(o, 'inList', { id: o.innerPerms.inList.id + 1000 })),
  },
  {
    name: 'proof-neighbour-usage',
    what: 'changes the usage of the next slot (an untouched frame)',
    at: (g, i, n) =>
      ownerAt(g, (i + 1) % n, (o) => withOwnerFields(o, { usage: o.usage === 'Kernel' ? 'Frame' : 'Kernel' })),
  },
  {
    name: 'proof-neighbour-perm',
    what: 'extracts the next slot\u2019s permission',
    at: (g, i, n) => extractSlotPerm(g, (i + 1) % n),
  },
];

/**
 * The operations whose ghost step the checked layers run, and the scenarios that reach each: those that
 * take `Tracked(regions): Tracked<&mut MetaRegionOwners>` (`UniqueFrame::meta`, `size`, `is_empty`, the
 * cursor constructors and the moves take none, or a shared one: their proof code cannot change it).
 */
const PROOF_OPS: readonly Readonly<{ op: string; areas: readonly Area[]; target: Mutant['target'] }>[] = [
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

function proofMutants(): ClauseMutant[] {
  return PROOF_OPS.flatMap((o) =>
    PROOF_OPERATORS.map((t) => ({
      name: `${o.op}/${t.name}`,
      description: `${o.op}: its proof code ${t.what}`,
      target: o.target,
      op: o.op,
      operator: t.name,
      areas: o.areas,
      tamper: { op: o.op, at: t.at, ...(t.after === true && { after: true }) },
    })),
  );
}

let all: readonly ClauseMutant[] | undefined;

/** Every clause mutant, in a fixed order (frame layer, lists, segments, options, proof code). */
export function clauseMutantList(): readonly ClauseMutant[] {
  all ??= Object.freeze([
    ...layerMutants(),
    ...listMutants(),
    ...segmentMutants(),
    ...optionsMutants(),
    ...proofMutants(),
  ]);
  return all;
}
