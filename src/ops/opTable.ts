/**
 * The one operation table: every frame-handle operation of the explorer's alphabet, the simulator, the
 * stress workers, `framecheck/testing`, histories, the recorder, conform's model test and the proofs,
 * defined once. An entry says which Rust item the operation is, what it targets (an address, a handle
 * the caller holds, or the allocator's pick), the handles it needs, gives up and gains, whether it
 * counts towards an any-op program's depth, its arguments' arbitrary, how to call it on a subject, its
 * history form and its sequential meaning (`SEQ_STEPS`, law-tested against the mirrored `OpSpec`s).
 *
 * Adding an operation is one entry here plus its spec (a `SEQ_STEPS` entry and its `OpSpec`) and its
 * implementation; `satisfies Record<FrameOpName, OpDef>` makes a missing entry a compile error.
 *
 * Code elsewhere asks the table about a property (`target`, `claims`, `throughZero`, `lists`, …) rather
 * than testing for a name, and names one operation, where it must, as `OP.x` or `OP_TABLE.x`: op names
 * are spelled as string literals only here and in spec/protocol/FrameProtocol.ts (test/architecture.test.ts
 * allows at most 3 files).
 */
import fc from 'fast-check';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import type { LinkedList } from '../../impl/frame/LinkedList.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { abort } from '../../impl/meta/abort.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { GetFrameError, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { OP, SEQ_STEPS, type FrameOpName, type SeqStep } from '../../spec/protocol/FrameProtocol.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';

/** The two kinds of handle a thread holds: `Frame`s and `UniqueFrame`s. */
export type HandleKind = 'shared' | 'unique';

/**
 * The frame-handle operations a subject runs: `FrameLayer`'s, or a subject's that has the same shape.
 * The metadata accessors are optional: a subject without them reads and writes no metadata.
 */
export type FrameLayerOps = Pick<
  FrameLayer,
  'fromUnused' | 'fromInUse' | 'clone' | 'drop' | 'uniqueFromUnused' | 'intoShared' | 'tryIntoUnique' | 'dropUnique'
> &
  Partial<
    Pick<
      FrameLayer,
      | 'meta'
      | 'metaMut'
      | 'incFrameRefCount'
      | 'borrow'
      | 'frameReferenceCount'
      | 'uniqueIntoRaw'
      | 'uniqueFromRaw'
      | 'repurpose'
      | 'readContents'
      | 'writeContents'
    >
  >;

/** `Segment::split` as a function of the segment (what a subject may replace). */
export type SegmentSplit = <M>(seg: Segment<M>, offset: number) => [Segment<M>, Segment<M>];

/**
 * What an operation is called on: the frame layer, the allocator `alloc` takes a frame from, the
 * metadata a claim installs and (default `meta`) the metadata `alloc` installs; `split` (default the
 * real `Segment::split`) and `list`, a new empty `LinkedList` for the frame `f` (a subject without it
 * has no lists: `list_drop` drops the frame as `UniqueFrame::drop`).
 */
export type OpSubject = Readonly<{
  layer: FrameLayerOps;
  alloc: () => number | undefined;
  meta: FrameMeta;
  allocMeta?: FrameMeta;
  split?: SegmentSplit;
  list?: (f: number) => LinkedList;
}>;

/**
 * The result of running one operation to completion: its result word (`seqStep`'s words), the frame it
 * acted on (for `alloc`, the frame it got; -1 when it got none) and, for a claim, the slot it returned.
 */
export type OpReturn = Readonly<{ result: string; frame: number; slot?: number }>;

/**
 * The names a history may use (docs/formats.md "Histories"): the table's, and two the explorer does not
 * run (`ref_count` observes a count without a handle; `reference_count` is `Frame::reference_count`).
 */
export type HistoryOpName = Exclude<FrameOpName, 'from_unused_unique'> | 'ref_count' | 'dealloc';

/** A history event's value. */
export type HistoryValue = Readonly<Record<string, unknown>>;

/** A table entry's history form: its name defaults to the operation's. */
type OpHistory = Omit<HistoryForm, 'f'> & Readonly<{ f?: HistoryOpName }>;

/** How an operation reads in a history: its name, its invoke value and its `ok` value. */
export type HistoryForm = Readonly<{
  f: HistoryOpName;
  invoke: (paddr: string) => HistoryValue;
  ok: (result: string, paddr: string) => HistoryValue;
}>;

/**
 * What an operation targets: an address (claims and acquisitions: any frame, or an edge address), a
 * handle the caller holds (`needs` says which kind), or whichever frame the allocator picks.
 */
export type OpTarget = 'paddr' | 'handle' | 'allocator';

/** One operation's definition. */
export type OpDef = Readonly<{
  name: FrameOpName;
  /** The Rust item it is, as upstream names it. */
  rust: string;
  target: OpTarget;
  /** The handle the caller must hold. */
  needs: HandleKind | undefined;
  /** The handle given up when the operation starts (its first atomic step is the decrement). */
  releases: HandleKind | undefined;
  /**
   * The handle is given up at the operation's first write of the frame's count instead (or when it
   * returns without one): it works on other words first, and until then the handle owns the frame.
   */
  releasesAtCount?: true;
  /** Handles gained (+1) or given up (-1) when it returns `ok`/`ok:last`. */
  onOk: Readonly<Partial<Record<HandleKind, 1 | -1>>>;
  /** Whether it counts towards an any-op program's depth (all but the releases, as in the peer models). */
  counts: boolean;
  /** Whether it needs the `REF_COUNT_UNIQUE` state (absent from the legacy protocol). */
  unique: boolean;
  /** Its argument as fast-check draws it: a frame for the address targets, an index into the held handles otherwise. */
  arbitrary: (frames: number) => fc.Arbitrary<number>;
  /** Runs it on `s`: frame `f` (a handle's slot), or address `paddr` for an address target. */
  call: (s: OpSubject, f: number, paddr: number) => OpReturn;
  history: HistoryForm;
  /** Its sequential meaning on the frame's count. */
  seq: SeqStep;
  /**
   * Its result is one fixed word (`ok`; `ok:last` for `list_drop`): it observes nothing a comparison of
   * results could tell apart, and `diff` leaves it out of its default alphabet.
   */
  silent?: true;
  /**
   * The number of consecutive frames `f, f + 1, …` whose handle (`needs`) it needs, when more than one:
   * a segment of that many frames. Frames are then not interchangeable (adjacency matters).
   */
  span?: number;
  /** It claims an unused slot (`get_from_unused`): on `ok` the frame goes from `REF_COUNT_UNUSED` to in use. */
  claims?: true;
  /**
   * The result it reaches through the transient count 0, in two atomic steps (a claim's `ok`, a last
   * drop's `ok:last` that tears the slot down): history validation splits that outcome in two.
   */
  throughZero?: 'ok' | 'ok:last';
  /**
   * How often, in quarters, the simulator aims it at a recently used frame rather than any frame
   * (default 2, for an address target): an acquisition succeeds only on a frame already in use.
   */
  hotQuarters?: number;
  /**
   * It puts the frame into a `LinkedList` (the subject's `list`): a list holds `UniqueFrame<Link<M>>`s,
   * so when some program runs it, claims install `Link` metadata.
   */
  lists?: true;
}>;

const ok = (result: string): HistoryValue => (result === 'ok' || result === 'ok:last' ? { ok: true } : { err: result });
const byPaddr = (paddr: string): HistoryValue => ({ paddr });
/** A drop's `ok` value: whether it released the frame. */
const lastOk = (result: string): HistoryValue => ({ ok: true, last: result === 'ok:last' });
const claimResult = (r: SlotPtr | GetFrameError, f: number): OpReturn =>
  typeof r === 'number' ? { result: 'ok', frame: f, slot: r } : { result: r, frame: f };
const done = (f: number, result = 'ok'): OpReturn => ({ result, frame: f });
const frameArb = (frames: number) => fc.nat(Math.max(0, frames - 1));
const handleArb = () => fc.nat(7);
const allocatorArb = () => fc.constant(-1);

/** The real `Segment::split`. */
const realSplit: SegmentSplit = (seg, offset) => seg.split(offset);

const PLAIN = { needs: undefined, releases: undefined, unique: false } as const;
const onHandle = (kind: HandleKind) =>
  ({ target: 'handle', needs: kind, releases: undefined, arbitrary: handleArb }) as const;
const releasing = (kind: HandleKind) => ({ ...onHandle(kind), releases: kind, counts: false }) as const;
/** A history form named after the operation itself (the table fills the name in). */
const shown = (okValue: HistoryForm['ok'] = ok) => ({ invoke: byPaddr, ok: okValue });

/** Every operation's entry, in the order of their codes wherever an encoding numbers them (the proofs, the stress buffer). */
const ENTRIES = {
  from_unused: {
    rust: 'Frame::from_unused',
    target: 'paddr',
    ...PLAIN,
    claims: true,
    throughZero: 'ok',
    onOk: { shared: 1 },
    counts: true,
    arbitrary: frameArb,
    call: (s, f, paddr) => claimResult(s.layer.fromUnused(paddr, s.meta), f),
    history: { f: 'from_unused', invoke: (paddr) => ({ paddr, unique: false }), ok },
    seq: SEQ_STEPS.from_unused,
  },
  from_unused_unique: {
    rust: 'UniqueFrame::from_unused',
    target: 'paddr',
    ...PLAIN,
    claims: true,
    throughZero: 'ok',
    unique: true,
    onOk: { unique: 1 },
    counts: true,
    arbitrary: frameArb,
    call: (s, f, paddr) => claimResult(s.layer.uniqueFromUnused(paddr, s.meta), f),
    history: { f: 'from_unused', invoke: (paddr) => ({ paddr, unique: true }), ok },
    seq: SEQ_STEPS.from_unused_unique,
  },
  from_in_use: {
    rust: 'Frame::from_in_use',
    target: 'paddr',
    ...PLAIN,
    hotQuarters: 3,
    onOk: { shared: 1 },
    counts: true,
    arbitrary: frameArb,
    call: (s, f, paddr) => claimResult(s.layer.fromInUse(paddr), f),
    history: shown(),
    seq: SEQ_STEPS.from_in_use,
  },
  clone: {
    rust: 'Frame::clone',
    ...onHandle('shared'),
    unique: false,
    onOk: { shared: 1 },
    counts: true,
    call: (s, f) => (s.layer.clone(f), done(f)),
    history: shown(),
    seq: SEQ_STEPS.clone,
  },
  drop: {
    rust: 'Frame::drop',
    ...releasing('shared'),
    throughZero: 'ok:last',
    unique: false,
    onOk: {},
    call: (s, f) => done(f, s.layer.drop(f) ? 'ok:last' : 'ok'),
    history: shown(lastOk),
    seq: SEQ_STEPS.drop,
  },
  into_shared: {
    rust: 'From<UniqueFrame> for Frame',
    ...releasing('unique'),
    unique: true,
    onOk: { shared: 1 },
    // a conversion counts, or a thread could convert back and forth forever
    counts: true,
    call: (s, f) => (s.layer.intoShared(f), done(f)),
    history: shown(),
    seq: SEQ_STEPS.into_shared,
  },
  try_into_unique: {
    rust: 'TryFrom<Frame> for UniqueFrame',
    ...onHandle('shared'),
    unique: true,
    onOk: { shared: -1, unique: 1 },
    counts: true,
    call: (s, f) => done(f, s.layer.tryIntoUnique(f) ? 'ok' : 'InUse'),
    history: shown(),
    seq: SEQ_STEPS.try_into_unique,
  },
  drop_unique: {
    rust: 'UniqueFrame::drop',
    ...releasing('unique'),
    throughZero: 'ok:last',
    unique: true,
    onOk: {},
    call: (s, f) => (s.layer.dropUnique(f), done(f, 'ok:last')),
    history: shown(() => ({ ok: true })),
    seq: SEQ_STEPS.drop_unique,
  },
  alloc: {
    rust: 'FrameAllocOptions::alloc_frame',
    target: 'allocator',
    ...PLAIN,
    claims: true,
    throughZero: 'ok',
    onOk: { shared: 1 },
    counts: true,
    arbitrary: allocatorArb,
    call: (s) => {
      const p = s.alloc();
      if (p === undefined) return { result: 'NoMemory', frame: -1 };
      const r = s.layer.fromUnused(p, s.allocMeta ?? s.meta);
      if (typeof r !== 'number') abort('unwrap_failed', `alloc_frame: Frame::from_unused(${p}) failed with ${r}`);
      return { result: 'ok', frame: p / PAGE_SIZE, slot: r };
    },
    history: {
      invoke: () => ({ nframes: 1 }),
      ok: (result, paddr) => (result === 'ok' ? { paddr } : { err: result }),
    },
    seq: SEQ_STEPS.alloc,
  },
  meta: {
    rust: 'Frame::meta',
    ...onHandle('shared'),
    unique: false,
    onOk: {},
    counts: true,
    call: (s, f) => (s.layer.meta?.(f), done(f)),
    history: shown(),
    seq: SEQ_STEPS.meta,
  },
  meta_mut: {
    rust: 'UniqueFrame::meta_mut',
    ...onHandle('unique'),
    unique: true,
    onOk: {},
    counts: true,
    call: (s, f) => (s.layer.metaMut?.(f, s.meta), done(f)),
    history: shown(),
    seq: SEQ_STEPS.meta_mut,
  },
  inc_frame_ref_count: {
    rust: 'inc_frame_ref_count',
    ...onHandle('shared'),
    unique: false,
    onOk: { shared: 1 },
    counts: true,
    // a subject without it takes the reference as Frame::clone does
    call: (s, f, paddr) => (s.layer.incFrameRefCount ? s.layer.incFrameRefCount(paddr) : s.layer.clone(f), done(f)),
    history: shown(),
    seq: SEQ_STEPS.inc_frame_ref_count,
  },
  borrow: {
    rust: 'Frame::borrow',
    ...onHandle('shared'),
    unique: false,
    onOk: {},
    counts: true,
    // the FrameRef ends with the operation: it cannot outlive the Frame it borrows from
    call: (s, f) => (s.layer.borrow?.(f).release(), done(f)),
    history: shown(),
    seq: SEQ_STEPS.borrow,
  },
  reference_count: {
    rust: 'Frame::reference_count',
    ...onHandle('shared'),
    unique: false,
    onOk: {},
    counts: true,
    call: (s, f) => {
      const n = s.layer.frameReferenceCount?.(f);
      return done(f, n === undefined ? '(no such operation)' : String(n));
    },
    history: shown((result) => ({ value: result })),
    seq: SEQ_STEPS.reference_count,
  },
  unique_into_raw: {
    rust: 'UniqueFrame::into_raw, then UniqueFrame::from_raw',
    ...onHandle('unique'),
    unique: true,
    onOk: {},
    counts: true,
    call: (s, f) => {
      const paddr = s.layer.uniqueIntoRaw?.(f) ?? f * PAGE_SIZE;
      return done(s.layer.uniqueFromRaw?.(paddr) ?? f);
    },
    history: shown(),
    seq: SEQ_STEPS.unique_into_raw,
  },
  repurpose: {
    rust: 'UniqueFrame::repurpose',
    ...onHandle('unique'),
    unique: true,
    onOk: {},
    counts: true,
    // repurposed to the claims' metadata type: the explorer's ghost names one type per claimed frame
    call: (s, f) => (s.layer.repurpose?.(f, s.meta), done(f)),
    history: shown(),
    seq: SEQ_STEPS.repurpose,
  },
  segment_slice: {
    rust: 'Segment::slice',
    ...onHandle('shared'),
    unique: false,
    onOk: { shared: 1 },
    counts: true,
    // the frame as a one-frame segment, sliced whole; both segments become Frames again (Iterator::next)
    call: (s, f) => {
      if (!(s.layer instanceof FrameLayer)) return (s.layer.clone(f), done(f));
      const seg = Segment.fromFrame(s.layer, f);
      const part = seg.slice({ start: 0, end: PAGE_SIZE });
      for (const seg1 of [seg, part]) for (const _ of seg1);
      return done(f);
    },
    history: shown(),
    seq: SEQ_STEPS.segment_slice,
  },
  segment_next: {
    rust: 'Iterator for Segment (next)',
    ...onHandle('shared'),
    unique: false,
    onOk: {},
    counts: true,
    // the frame as a one-frame segment whose next() yields it back as a Frame; the empty segment is dropped
    call: (s, f) => {
      if (!(s.layer instanceof FrameLayer)) return done(f);
      const seg = Segment.fromFrame(s.layer, f);
      const it = seg[Symbol.iterator]();
      const got = it.next();
      seg.drop();
      return done(got.done === true ? -1 : got.value);
    },
    history: shown(),
    seq: SEQ_STEPS.segment_next,
  },
  segment_drop: {
    rust: 'Drop for Segment',
    ...releasing('shared'),
    unique: false,
    onOk: {},
    // the frame as a one-frame segment, dropped
    call: (s, f) => {
      const last = s.layer instanceof FrameLayer ? Segment.fromFrame(s.layer, f).drop() > 0 : s.layer.drop(f);
      return done(f, last ? 'ok:last' : 'ok');
    },
    history: shown(lastOk),
    seq: SEQ_STEPS.segment_drop,
  },
  read: {
    rust: 'Frame::reader',
    ...onHandle('shared'),
    unique: false,
    onOk: {},
    counts: true,
    call: (s, f) => (s.layer.readContents?.(f), done(f)),
    history: shown(),
    seq: SEQ_STEPS.read,
    silent: true,
  },
  write: {
    rust: 'UniqueFrame::writer',
    ...onHandle('unique'),
    unique: true,
    onOk: {},
    counts: true,
    call: (s, f) => (s.layer.writeContents?.(f, 1n), done(f)),
    history: shown(),
    seq: SEQ_STEPS.write,
    silent: true,
  },
  segment_split: {
    rust: 'Segment::split',
    ...onHandle('shared'),
    unique: false,
    onOk: {},
    // the references move and no handle is gained, so it does not count (as a release does not): a
    // thread that claimed two frames within its depth can still split them
    counts: false,
    span: 2,
    // frames f and f+1 (each Frame::into_raw) as one two-frame segment (Segment::from_raw), split in the
    // middle, each half yielded back as a Frame (Iterator::next)
    call: (s, f) => {
      if (!(s.layer instanceof FrameLayer)) return done(f);
      const start = s.layer.intoRaw(f);
      s.layer.intoRaw(f + 1);
      const seg = Segment.fromRaw(s.layer, { start, end: start + 2 * PAGE_SIZE });
      for (const half of (s.split ?? realSplit)(seg, PAGE_SIZE)) for (const _ of half);
      return done(f);
    },
    history: shown(),
    seq: SEQ_STEPS.segment_split,
    silent: true,
  },
  list_drop: {
    rust: 'Drop for LinkedList',
    ...releasing('unique'),
    // push_back and take_current write in_list first: the frame is the caller's until UniqueFrame::drop
    releasesAtCount: true,
    lists: true,
    unique: true,
    onOk: {},
    // the frame pushed into a new list (LinkedList::push_back), and the list dropped: take_current, then
    // UniqueFrame::drop, for every frame it holds
    call: (s, f) => {
      if (s.list === undefined) return (s.layer.dropUnique(f), done(f, 'ok:last'));
      const list = s.list(f);
      list.pushBack(f);
      list.drop();
      return done(f, 'ok:last');
    },
    history: shown(() => ({ ok: true })),
    seq: SEQ_STEPS.list_drop,
    silent: true,
  },
} as const satisfies Record<FrameOpName, Omit<OpDef, 'name' | 'history'> & { history: OpHistory }>;

/** Every operation with its name, in table order. */
export const OP_TABLE = Object.fromEntries(
  Object.entries(ENTRIES).map(([name, def]) => [name, { ...def, name, history: { f: name, ...def.history } }]),
) as {
  readonly [K in FrameOpName]: Omit<(typeof ENTRIES)[K], 'history'> & Readonly<{ name: K; history: HistoryForm }>;
};

/**
 * The upstream operations that mean what other operations of the table mean for the counts (an
 * increment as `Frame::clone`'s, a drop as `Frame::drop`'s, an identity): the explorer runs them when
 * `--ops` names them; random model-based tests leave them out of their default alphabet.
 */
export const UPSTREAM_EXTRA_OPS: readonly FrameOpName[] = [
  'inc_frame_ref_count',
  'borrow',
  'reference_count',
  'unique_into_raw',
  'repurpose',
  'segment_slice',
  'segment_next',
  'segment_drop',
  'segment_split',
  'list_drop',
];

/** Every operation name, in table order. */
export const OP_NAMES = Object.keys(OP_TABLE) as FrameOpName[];

export { OP };

/** The operations that take their frame from the allocator (whichever frame it picks). */
export const ALLOCATOR_OPS: readonly FrameOpName[] = OP_NAMES.filter((o) => OP_TABLE[o].target === 'allocator');

/** The definition of the operation named `name`, if `name` is one (a history's `ref_count` or `dealloc` is not). */
export function opNamed(name: string): OpDef | undefined {
  return Object.hasOwn(OP_TABLE, name) ? OP_TABLE[name as FrameOpName] : undefined;
}

/** Whether `name` is an operation that takes its frame from the allocator. */
export function fromAllocator(name: string): boolean {
  return opNamed(name)?.target === 'allocator';
}

/**
 * The operation a history event names: the entry whose history name is `f` and, when two share it
 * (the claims' `from_unused`), whose invoke value agrees on `unique`. `undefined` for a history name
 * no operation has (`ref_count`, `dealloc`).
 */
export function historyOp(f: string, args: Readonly<{ unique?: boolean }> = {}): FrameOpName | undefined {
  const named = OP_NAMES.filter((o) => OP_TABLE[o].history.f === f);
  if (named.length <= 1) return named[0];
  return named.find((o) => (OP_TABLE[o].history.invoke('0')['unique'] === true) === (args.unique === true));
}

/**
 * The operations that gain or give up a handle (vostd §11's per-slot state machine: the claims, the
 * acquisition, clone, the drops and the unique conversions), but the allocator's and the upstream extras:
 * the default alphabet of simulations and of conform's explorer job. The legacy protocol's are those
 * that need no `REF_COUNT_UNIQUE` (`unique: false`).
 */
export const HANDLE_OPS: readonly FrameOpName[] = OP_NAMES.filter((o) => {
  const d = opDef(o);
  const changesHandles = d.releases !== undefined || Object.keys(d.onOk).length > 0;
  return d.target !== 'allocator' && !UPSTREAM_EXTRA_OPS.includes(o) && changesHandles;
});

/** The definition of `op`. */
export function opDef(op: FrameOpName): OpDef {
  return OP_TABLE[op];
}

/** The operation that gives up a handle of `kind` and gains nothing: what a thread runs at its end. */
export function dropOf(kind: HandleKind): FrameOpName {
  const op = OP_NAMES.find((o) => OP_TABLE[o].releases === kind && Object.keys(OP_TABLE[o].onOk).length === 0);
  // the table has a drop for each kind; its absence is a broken build
  if (op === undefined) throw new Error(`the operation table has no drop for ${kind} handles`);
  return op;
}

/** The handle changes of `op` once it returned `result` (none unless it succeeded). */
export function returned(op: FrameOpName, result: string): OpDef['onOk'] {
  return result === 'ok' || result === 'ok:last' ? OP_TABLE[op].onOk : {};
}
