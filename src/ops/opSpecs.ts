/**
 * Each operation of the table bound to its mirrored `OpSpec`: how the explorer's view of a call (the
 * frame, the count at its linearization point, the count it left and its result word) becomes the
 * spec's `(old, args)` and `(old, final, args, result)`. The explorer evaluates the spec's clauses
 * through it at every linearization point, and the law test `opSpecs.test.ts` ties `SEQ_STEPS` to each
 * spec's `next` for every count.
 *
 * Ghosts are canonical per count: the region a frame at count `rc` has when the specs' own transitions
 * brought it there (a claim, then clones), so the obligation ledger and the metadata agree with it.
 */
import type { Clause, OpSpec, PostCtx, PreCtx } from '../../spec/Op.ts';
import {
  frameAt,
  frameClone,
  frameDrop,
  frameFromInUse,
  frameFromUnused,
  type FrameValue,
} from '../../spec/frame/Frame.ts';
import {
  frameFromUnique,
  uniqueAt,
  uniqueDrop,
  uniqueFromUnused,
  uniqueMetaMut,
  uniqueRepurpose,
  uniqueOwner,
  uniqueTryFromShared,
  type UniqueArgs,
} from '../../spec/frame/UniqueFrame.ts';
import { initialRegion, slotOwner, withSlotOwner, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import { rc, withOwnerFields, type MetaSlotStorage } from '../../spec/meta/MetaSlotOwner.ts';
import { permissionU64, valueOf } from '../../spec/meta/perms.ts';
import { err, ok, type Res } from '../../spec/meta/results.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { segmentSplit } from '../../spec/frame/Segment.ts';
import { segmentWithOwner } from '../../spec/frame/SegmentOwner.ts';
import { PAGE_SIZE, type FrameIndex, type GetFrameError, type ModelParams } from '../../spec/vocab.ts';

/** The metadata a claim installs in the ghost (the explorer's claims install `KernelMeta`). */
export const CLAIM_META: MetaSlotStorage = Object.freeze({ type: 'KernelMeta', fields: Object.freeze({}) });

/** What the spec's `next` does on a call: an abort, or a result word and the region it leaves. */
export type SpecOutcome =
  Readonly<{ kind: 'panic' }> | Readonly<{ kind: 'return'; result: string; final: MetaRegionOwners }>;

/** A clause of a spec evaluated on one call, with its value. */
export type Evaluated = Readonly<{ clause: Clause<never>; holds: boolean }>;

/** One operation's spec, seen through counts and result words. */
export type BoundSpec = Readonly<{
  /** The spec's name (`Frame::clone`). */
  name: string;
  /** Every `requires` clause and `may_panic` on frame `i` of `old`. */
  pre: (old: MetaRegionOwners, i: FrameIndex) => Readonly<{ requires: readonly Evaluated[]; mayPanic: boolean }>;
  /** `next` on frame `i` of `old`. */
  next: (old: MetaRegionOwners, i: FrameIndex) => SpecOutcome;
  /** Every `ensures` clause of a call on frame `i` that left `final` and returned `word`. */
  post: (old: MetaRegionOwners, i: FrameIndex, final: MetaRegionOwners, word: string) => readonly Evaluated[];
}>;

/** The word `SEQ_STEPS` uses for a claim's result. */
const resWord = (r: Res<unknown>): string => (r.ok ? 'ok' : r.error);
/** A claim's result as the spec types it, from its word. */
const resOf = <T>(word: string, value: () => T): Res<T> => (word === 'ok' ? ok(value()) : err(word as GetFrameError));
const teardown = (word: string) => ({ last: word === 'ok:last', rcWrites: [] as bigint[], dealloc: [] as number[] });

/**
 * Binds `spec`: `args` builds its arguments on frame `i`, `word` names a result as `SEQ_STEPS` does,
 * and `result` rebuilds a result from a word (`nexts`: the result `next` gave, when it gave one).
 */
function bind<A, R>(
  spec: OpSpec<MetaRegionOwners, A, R>,
  args: (old: MetaRegionOwners, i: FrameIndex) => A,
  word: (r: R) => string,
  result: (w: string, i: FrameIndex, nexts: R | undefined) => R,
): BoundSpec {
  const pre = (old: MetaRegionOwners, i: FrameIndex): PreCtx<MetaRegionOwners, A> => ({
    old,
    args: args(old, i),
    p: old.p,
  });
  const erase = (c: Clause<never>, holds: boolean): Evaluated => ({ clause: c, holds });
  return {
    name: spec.name,
    pre: (old, i) => {
      const c = pre(old, i);
      return {
        requires: spec.requires.map((q) => erase(q as Clause<never>, q.holds(c))),
        mayPanic: spec.mayPanic.holds(c),
      };
    },
    next: (old, i) => {
      const out = spec.next(pre(old, i));
      return out.kind === 'panic' ? out : { kind: 'return', result: word(out.result), final: out.final };
    },
    post: (old, i, final, w) => {
      const c = pre(old, i);
      const out = spec.next(c);
      const nexts = out.kind === 'return' && word(out.result) === w ? out.result : undefined;
      const post: PostCtx<MetaRegionOwners, A, R> = { ...c, final, result: result(w, i, nexts) };
      return spec.ensures.map((q) => erase(q as Clause<never>, q.holds(post)));
    },
  };
}

const paddrOf = (i: FrameIndex) => i * PAGE_SIZE;
const frameOf = (i: FrameIndex): FrameValue => frameAt(paddrOf(i));
const storedType = (r: MetaRegionOwners, i: FrameIndex) =>
  valueOf(slotOwner(r, i).innerPerms.storage)?.type ?? CLAIM_META.type;
const uniqueArgs = (r: MetaRegionOwners, i: FrameIndex): UniqueArgs => ({
  unique: uniqueAt(paddrOf(i)),
  owner: uniqueOwner(i, storedType(r, i)),
});

/** The two-frame segment at frame `i`, `i * PAGE_SIZE .. (i + 2) * PAGE_SIZE`, with its owner. */
const pairAt = (i: FrameIndex) => segmentWithOwner(paddrOf(i), paddrOf(i + 2));

/** `Segment::split` of the two-frame segment at frame `i` in the middle. */
const splitPair = bind(
  segmentSplit,
  (_, i) => ({ ...pairAt(i), offset: PAGE_SIZE }),
  () => 'ok',
  (_, i, n) =>
    n ?? ([segmentWithOwner(paddrOf(i), paddrOf(i + 1)), segmentWithOwner(paddrOf(i + 1), paddrOf(i + 2))] as const),
);

/**
 * `segment_split` on frame `i` (`span` 2): `Segment::split` over frames `i` and `i + 1`, the second
 * brought to the first one's count as `ghostAt` brings a frame there (the explorer's view of a call
 * names the first frame only; its sequential meaning is the same on both).
 */
const withPair = (r: MetaRegionOwners, i: FrameIndex) => ghostOn(r, i + 1, rc(slotOwner(r, i)));
const segmentSplitBound: BoundSpec = {
  name: splitPair.name,
  pre: (old, i) => splitPair.pre(withPair(old, i), i),
  next: (old, i) => splitPair.next(withPair(old, i), i),
  post: (old, i, final, w) => splitPair.post(withPair(old, i), i, final, w),
};

const dropUniqueBound = bind(
  uniqueDrop,
  uniqueArgs,
  () => 'ok:last',
  (w, _, n) => n ?? teardown(w),
);

const claimShared = bind(
  frameFromUnused,
  (_, i) => ({ paddr: paddrOf(i), metadata: CLAIM_META }),
  resWord,
  (w, i) => resOf(w, () => frameOf(i)),
);

/**
 * Every operation's spec; `meta` (`Frame::meta`, a read through a shared handle) has none in the seed
 * era, and `alloc` is `FrameAllocOptions::alloc_frame`, which the explorer sees as a claim of the
 * frame the allocator picked (`Frame::from_unused` on it).
 */
export const OP_SPECS: Readonly<Record<FrameOpName, BoundSpec | undefined>> = {
  from_unused: claimShared,
  from_unused_unique: bind(
    uniqueFromUnused,
    (_, i) => ({ paddr: paddrOf(i), metadata: CLAIM_META }),
    resWord,
    (w, i) => resOf(w, () => ({ unique: uniqueAt(paddrOf(i)), owner: uniqueOwner(i, CLAIM_META.type) })),
  ),
  from_in_use: bind(
    frameFromInUse,
    (_, i) => ({ paddr: paddrOf(i) }),
    resWord,
    (w, i) => resOf(w, () => frameOf(i)),
  ),
  clone: bind(
    frameClone,
    (_, i) => ({ frame: frameOf(i) }),
    () => 'ok',
    (_, i) => frameOf(i),
  ),
  drop: bind(
    frameDrop,
    (_, i) => ({ frame: frameOf(i), obl: i }),
    (r) => (r.last ? 'ok:last' : 'ok'),
    (w, _, n) => n ?? teardown(w),
  ),
  into_shared: bind(
    frameFromUnique,
    uniqueArgs,
    () => 'ok',
    (_, i) => frameOf(i),
  ),
  try_into_unique: bind(
    uniqueTryFromShared,
    (_, i) => ({ frame: frameOf(i) }),
    (r) => (r.ok ? 'ok' : 'InUse'),
    (w, i) => (w === 'ok' ? { ok: true, value: uniqueAt(paddrOf(i)) } : { ok: false, value: frameOf(i) }),
  ),
  drop_unique: dropUniqueBound,
  alloc: claimShared,
  meta: undefined,
  // Reading and writing the frame's contents have no spec of their own in the seed era.
  read: undefined,
  write: undefined,
  repurpose: bind(
    uniqueRepurpose,
    (r, i) => ({ ...uniqueArgs(r, i), metadata: CLAIM_META }),
    () => 'ok',
    (_, i) => ({ unique: uniqueAt(paddrOf(i)), owner: uniqueOwner(i, CLAIM_META.type) }),
  ),
  // upstream operations without a seed-era vostd contract (vostd HEAD has some): the explorer checks them
  // against SEQ_STEPS, the slot invariant and the accounting invariant
  inc_frame_ref_count: undefined,
  borrow: undefined,
  reference_count: undefined,
  unique_into_raw: undefined,
  segment_slice: undefined,
  segment_next: undefined,
  segment_drop: undefined,
  segment_split: segmentSplitBound,
  // each frame a list holds is dropped as a UniqueFrame (`take_current`, then `UniqueFrame::drop`); the
  // seed's own drop_requires/drop_ensures of `LinkedList` (TrackDrop) have no mirror yet
  list_drop: dropUniqueBound,
  meta_mut: bind(
    uniqueMetaMut,
    (r, i) => ({ ...uniqueArgs(r, i), value: CLAIM_META }),
    () => 'ok',
    (_, i) => ({ addr: uniqueAt(paddrOf(i)).ptr }),
  ),
};

const ghosts = new WeakMap<ModelParams, Map<string, MetaRegionOwners>>();

/** The region `r` with frame `i`'s count set to `value` (nothing else changed). */
export function withCount(r: MetaRegionOwners, i: FrameIndex, value: bigint): MetaRegionOwners {
  const o = slotOwner(r, i);
  if (rc(o) === value) return r;
  return withSlotOwner(r, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, value) }));
}

/**
 * The canonical region in which frame `i` has count `count`: unused at first; claimed and cloned up to
 * a shared count; claimed unique for `REF_COUNT_UNIQUE`; any other count (0, mid-claim or mid-drop, or
 * the illegal band) written into the claimed frame's owner.
 */
export function ghostAt(p: ModelParams, i: FrameIndex, count: bigint): MetaRegionOwners {
  let memo = ghosts.get(p);
  if (memo === undefined) ghosts.set(p, (memo = new Map()));
  const key = `${i}:${count}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const g = ghostOn(initialRegion(p), i, count);
  memo.set(key, g);
  return g;
}

/** `base` (where frame `i` is unused) with frame `i` brought to `count` as `ghostAt` brings it there. */
function ghostOn(base: MetaRegionOwners, i: FrameIndex, count: bigint): MetaRegionOwners {
  const p = base.p;
  const claim = (spec: BoundSpec): MetaRegionOwners => {
    const out = spec.next(base, i);
    // the specs claim an unused safe slot: a refusal is a broken spec, not a state
    if (out.kind !== 'return' || out.result !== 'ok') throw new Error(`${spec.name} refuses an unused frame ${i}`);
    return out.final;
  };
  if (count === p.refCountUnused) return base;
  if (p.refCountUnique !== null && count === p.refCountUnique) return claim(OP_SPECS.from_unused_unique!);
  if (!(count >= 1n && count <= p.refCountMax)) return withCount(claim(claimShared), i, count);
  let g = claim(claimShared);
  for (let n = 1n; n < count; n++) {
    const out = OP_SPECS.clone!.next(g, i);
    if (out.kind !== 'return') throw new Error(`Frame::clone panics below REF_COUNT_MAX on frame ${i}`);
    g = out.final;
  }
  return g;
}
