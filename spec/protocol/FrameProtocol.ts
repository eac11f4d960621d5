/**
 * The sequential spec of the frame-handle operations on one frame's reference count: what each
 * operation returns and leaves behind when it takes effect atomically. The explorer checks every
 * operation against it at its linearization point, and history validation searches for a
 * linearization that it accepts.
 *
 * @see vostd §11 (the per-slot state machine): claim, acquire, clone, drop, last drop, unique
 *      conversions, unique drop.
 */
import type { ModelParams } from '../vocab.ts';

/** The operations of the explorer's alphabet and of histories (docs/formats.md "Histories"). */
export type FrameOpName =
  | 'from_unused'
  | 'from_unused_unique'
  | 'from_in_use'
  | 'clone'
  | 'drop'
  | 'into_shared'
  | 'try_into_unique'
  | 'drop_unique'
  | 'alloc'
  | 'meta'
  | 'meta_mut'
  | 'inc_frame_ref_count'
  | 'borrow'
  | 'reference_count'
  | 'unique_into_raw'
  | 'repurpose'
  | 'segment_slice'
  | 'segment_next'
  | 'segment_drop'
  | 'read'
  | 'write'
  | 'segment_split'
  | 'list_drop';

/** The outcome of one operation in the sequential spec. */
export type SeqOutcome =
  | Readonly<{ kind: 'return'; result: string; rc: bigint }>
  | Readonly<{ kind: 'panic' }>
  /** The caller broke the operation's precondition (e.g. dropping a frame it does not hold). */
  | Readonly<{ kind: 'undefined' }>;

const ret = (result: string, rc: bigint): SeqOutcome => ({ kind: 'return', result, rc });
const PANIC: SeqOutcome = { kind: 'panic' };
const UNDEF: SeqOutcome = { kind: 'undefined' };

/** Whether `rc` is a shared count (1 ..= REF_COUNT_MAX), i.e. the slot is in use by `Frame`s. */
export function isShared(rc: bigint, p: ModelParams): boolean {
  return rc >= 1n && rc <= p.refCountMax;
}

/** The error a claim reports for an observed count (`get_from_unused`'s mapping). */
export function claimError(rc: bigint, p: ModelParams): string {
  return rc === p.refCountUnique ? 'Unique' : rc === 0n ? 'Busy' : 'InUse';
}

/** One operation of the sequential spec on a frame whose count is `rc`. */
export type SeqStep = (rc: bigint, p: ModelParams) => SeqOutcome;

/** A claim (`get_from_unused`): from `REF_COUNT_UNUSED` to `claimed`, else the observed count's error. */
const claim =
  (claimed: (p: ModelParams) => bigint | null): SeqStep =>
  (rc, p) => {
    const to = claimed(p);
    if (to === null) return UNDEF;
    return rc === p.refCountUnused ? ret('ok', to) : ret(claimError(rc, p), rc);
  };

/** `Frame::clone` on a frame whose count is `rc`: an increment below `REF_COUNT_MAX`, else an abort. */
const SEQ_CLONE: SeqStep = (rc, p) => {
  if (!isShared(rc, p)) return UNDEF;
  return rc >= p.refCountMax ? PANIC : ret('ok', rc + 1n);
};

/** `Frame::drop`: the last reference (count 1) releases the frame. */
const SEQ_STEPS_DROP: SeqStep = (rc, p) => {
  if (!isShared(rc, p)) return UNDEF;
  return rc === 1n ? ret('ok:last', p.refCountUnused) : ret('ok', rc - 1n);
};

/** `UniqueFrame::drop`: the only reference released. */
const SEQ_DROP_UNIQUE: SeqStep = (rc, p) => (rc === p.refCountUnique ? ret('ok:last', p.refCountUnused) : UNDEF);

/** Each operation's sequential meaning, by name; `satisfies` makes a missing operation a compile error. */
export const SEQ_STEPS = {
  from_unused: claim(() => 1n),
  from_unused_unique: claim((p) => p.refCountUnique),
  from_in_use: (rc, p) => {
    if (rc === p.refCountUnused) return ret('Unused', rc);
    if (rc === p.refCountUnique) return ret('Unique', rc);
    if (rc === 0n) return ret('Busy', rc);
    return rc >= p.refCountMax ? PANIC : ret('ok', rc + 1n);
  },
  clone: SEQ_CLONE,
  drop: (rc, p) => SEQ_STEPS_DROP(rc, p),
  into_shared: (rc, p) => (rc === p.refCountUnique ? ret('ok', 1n) : UNDEF),
  try_into_unique: (rc, p) => {
    if (!isShared(rc, p)) return UNDEF;
    return rc === 1n && p.refCountUnique !== null ? ret('ok', p.refCountUnique) : ret('InUse', rc);
  },
  drop_unique: (rc, p) => SEQ_DROP_UNIQUE(rc, p),
  alloc: claim(() => 1n),
  // Reading or writing the metadata through a handle leaves the count alone.
  meta: (rc, p) => (isShared(rc, p) ? ret('ok', rc) : UNDEF),
  meta_mut: (rc, p) => (rc === p.refCountUnique ? ret('ok', rc) : UNDEF),
  // `inc_frame_ref_count` and `Segment::slice` (of a one-frame segment) take a reference as `Frame::clone` does.
  inc_frame_ref_count: (rc, p) => SEQ_CLONE(rc, p),
  // A borrow, forgetting and restoring a handle, repurposing and taking a segment's frame leave the count alone.
  borrow: (rc, p) => (isShared(rc, p) ? ret('ok', rc) : UNDEF),
  // The count itself is the result; upstream's `debug_assert!(refcnt < REF_COUNT_MAX)` may abort at the bound.
  reference_count: (rc, p) => {
    if (!isShared(rc, p)) return UNDEF;
    return rc >= p.refCountMax ? PANIC : ret(String(rc), rc);
  },
  unique_into_raw: (rc, p) => (rc === p.refCountUnique ? ret('ok', rc) : UNDEF),
  repurpose: (rc, p) => (rc === p.refCountUnique ? ret('ok', rc) : UNDEF),
  segment_slice: (rc, p) => SEQ_CLONE(rc, p),
  segment_next: (rc, p) => (isShared(rc, p) ? ret('ok', rc) : UNDEF),
  // `Drop for Segment` drops its frame as `Frame::drop` does.
  segment_drop: (rc, p) => SEQ_STEPS_DROP(rc, p),
  // Reading or writing the frame's contents through a handle leaves the count alone.
  read: (rc, p) => (isShared(rc, p) ? ret('ok', rc) : UNDEF),
  write: (rc, p) => (rc === p.refCountUnique ? ret('ok', rc) : UNDEF),
  // `Segment::split` moves each frame's reference into one of the halves: every count is left alone.
  segment_split: (rc, p) => (isShared(rc, p) ? ret('ok', rc) : UNDEF),
  // `Drop for LinkedList` takes each frame out (`take_current`) and drops it as `UniqueFrame::drop` does.
  list_drop: (rc, p) => SEQ_DROP_UNIQUE(rc, p),
} as const satisfies Record<FrameOpName, SeqStep>;

/**
 * Every operation's name as a constant (`OP.drop` is `'drop'`): code that must name one particular
 * operation (an axiom's, a lemma's, a seeded bug's instance) names it here, so that the names are
 * spelled once, in `FrameOpName`, and the compiler checks each use.
 */
export const OP = Object.fromEntries(Object.keys(SEQ_STEPS).map((k) => [k, k])) as {
  readonly [K in FrameOpName]: K;
};

/** One operation of the sequential spec, applied to a frame whose count is `rc`. */
export function seqStep(op: FrameOpName, rc: bigint, p: ModelParams): SeqOutcome {
  return SEQ_STEPS[op](rc, p);
}
