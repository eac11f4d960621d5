/**
 * Why no linearization explains an event: the spec clause its outcome contradicts, and what the
 * sequential spec gives at every state the frame can be in when the operation could take effect.
 */
import { seqStep, type FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { fromAllocator, opNamed } from '../ops/opTable.ts';
import type { Entry, FrameHistory } from './frameHistories.ts';
import { show } from './frameHistories.ts';
import type { FrameState, StepKind, SubOp } from './frameSpec.ts';
import type { HistoryOp } from './History.ts';
import { hexAddr } from './u64.ts';

/** The clauses an operation's outcome can contradict: on success, on an error, and its precondition. */
type Clauses = Readonly<{ ok: string; err: string; requires: string }>;

const CLAUSES: Readonly<Record<StepKind, Clauses>> = {
  from_unused: {
    ok: 'get_from_unused.ensures.ok_spec',
    err: 'Frame::from_unused.ensures.err_kind',
    requires: 'Frame::from_unused.requires.regions_inv',
  },
  from_unused_unique: {
    ok: 'get_from_unused.ensures.ok_spec',
    err: 'UniqueFrame::from_unused.ensures.err_kind',
    requires: 'UniqueFrame::from_unused (the current protocol only)',
  },
  from_in_use: {
    ok: 'Frame::from_in_use.ensures.ok_rc_inc',
    err: 'Frame::from_in_use.ensures.err_kind',
    requires: 'get_from_in_use.may_panic.at_max',
  },
  clone: {
    ok: 'Frame::clone.ensures.rc_inc',
    err: 'Frame::clone.ensures.rc_inc',
    requires: 'Frame::clone.requires.rc_not_unused',
  },
  drop: {
    ok: 'Frame::drop.ensures.last_iff_one',
    err: 'Frame::drop.ensures.last_iff_one',
    requires: 'Frame::drop.requires.obligation',
  },
  into_shared: {
    ok: 'Frame::from_unique.ensures.rc_one',
    err: 'Frame::from_unique.ensures.rc_one',
    requires: 'Frame::from_unique.requires.wf',
  },
  try_into_unique: {
    ok: 'UniqueFrame::try_from_shared.ensures.ok_iff_sole',
    err: 'UniqueFrame::try_from_shared.ensures.ok_iff_sole',
    requires: 'UniqueFrame::try_from_shared (a shared Frame)',
  },
  drop_unique: {
    ok: 'UniqueFrame::drop.requires.rc_unique',
    err: 'UniqueFrame::drop.requires.rc_unique',
    requires: 'UniqueFrame::drop.requires.rc_unique',
  },
  alloc: {
    ok: 'GlobalFrameAllocator::alloc.ensures.fresh',
    err: 'GlobalFrameAllocator::alloc.ensures.fresh',
    requires: 'GlobalFrameAllocator::alloc.ensures.fresh',
  },
  ref_count: {
    ok: 'Frame::reference_count (returns the count)',
    err: 'Frame::reference_count (returns the count)',
    requires: 'Frame::reference_count',
  },
  dealloc: {
    ok: 'GlobalFrameAllocator::dealloc.requires.allocated',
    err: 'GlobalFrameAllocator::dealloc.requires.allocated',
    requires: 'GlobalFrameAllocator::dealloc.requires.allocated',
  },
  meta: {
    ok: 'Frame::meta (the count is unchanged)',
    err: 'Frame::meta (the count is unchanged)',
    requires: 'Frame::meta (the caller holds a Frame)',
  },
  read: {
    ok: 'Frame::reader (the count is unchanged)',
    err: 'Frame::reader (the count is unchanged)',
    requires: 'Frame::reader (the caller holds a Frame)',
  },
  write: {
    ok: 'UniqueFrame::writer (the count is unchanged)',
    err: 'UniqueFrame::writer (the count is unchanged)',
    requires: 'UniqueFrame::writer (the caller holds the UniqueFrame)',
  },
  meta_mut: {
    ok: 'UniqueFrame::meta_mut.ensures.stored',
    err: 'UniqueFrame::meta_mut.ensures.stored',
    requires: 'UniqueFrame::meta_mut (the caller holds the UniqueFrame)',
  },
  reference_count: {
    ok: 'Frame::reference_count (returns the count)',
    err: 'Frame::reference_count (returns the count)',
    requires: 'Frame::reference_count (the caller holds a Frame)',
  },
  inc_frame_ref_count: {
    ok: 'inc_frame_ref_count (the count goes up by one)',
    err: 'inc_frame_ref_count (the count goes up by one)',
    requires: 'inc_frame_ref_count (the caller holds a reference)',
  },
  borrow: {
    ok: 'Frame::borrow (the count is unchanged)',
    err: 'Frame::borrow (the count is unchanged)',
    requires: 'Frame::borrow (the caller holds a Frame)',
  },
  unique_into_raw: {
    ok: 'UniqueFrame::into_raw, then from_raw (the count is unchanged)',
    err: 'UniqueFrame::into_raw, then from_raw (the count is unchanged)',
    requires: 'UniqueFrame::into_raw (the caller holds the UniqueFrame)',
  },
  repurpose: {
    ok: 'UniqueFrame::repurpose (the count stays REF_COUNT_UNIQUE)',
    err: 'UniqueFrame::repurpose (the count stays REF_COUNT_UNIQUE)',
    requires: 'UniqueFrame::repurpose (the caller holds the UniqueFrame)',
  },
  segment_slice: {
    ok: 'Segment::slice (one more reference to each frame)',
    err: 'Segment::slice (one more reference to each frame)',
    requires: 'Segment::slice (the caller holds the segment)',
  },
  segment_next: {
    ok: 'Iterator for Segment (the reference moves to the Frame)',
    err: 'Iterator for Segment (the reference moves to the Frame)',
    requires: 'Iterator for Segment (the caller holds the segment)',
  },
  segment_drop: {
    ok: 'Drop for Segment (one reference less to each frame)',
    err: 'Drop for Segment (one reference less to each frame)',
    requires: 'Drop for Segment (the caller holds the segment)',
  },
  segment_split: {
    ok: 'Segment::split (the references move into the halves; no count changes)',
    err: 'Segment::split (the references move into the halves; no count changes)',
    requires: 'Segment::split (the caller holds the segment)',
  },
  list_drop: {
    ok: 'Drop for LinkedList (every frame it holds is taken out and dropped)',
    err: 'Drop for LinkedList (every frame it holds is taken out and dropped)',
    requires: 'LinkedList::push_back (the caller holds the UniqueFrame)',
  },
};

/** Why an event cannot be explained. */
export type Explanation = Readonly<{ clause: string; reason: string }>;

/** A count as a person reads it. */
export function showRc(rc: bigint, p: ModelParams): string {
  if (rc === p.refCountUnused) return 'REF_COUNT_UNUSED';
  if (rc === p.refCountUnique) return 'REF_COUNT_UNIQUE';
  return rc.toString();
}

/** Whether `kind`'s history return says whether it was the last reference (`Frame::drop`'s `last`). */
function reportsLast(kind: StepKind): boolean {
  const def = opNamed(kind);
  return def !== undefined && 'last' in def.history.ok('ok', '0');
}

/** What the spec makes of `sub` at state `s`. */
function specAt(sub: SubOp, s: FrameState, p: ModelParams): { text: string; undef: boolean } {
  const at = `at ${showRc(s.rc, p)}${s.allocated ? ' (allocated)' : ''}`;
  if (sub.kind === 'ref_count') return { text: `${at} it reads ${showRc(s.rc, p)}`, undef: false };
  if (sub.kind === 'dealloc') {
    const ok = s.allocated && s.rc === p.refCountUnused;
    return {
      text: `${at} ${ok ? 'it may return the frame' : 'the frame is not an allocated, unused frame'}`,
      undef: !ok,
    };
  }
  if (fromAllocator(sub.kind) && s.allocated) return { text: `${at} the allocator cannot hand it out`, undef: false };
  const out = seqStep(sub.kind as FrameOpName, s.rc, p);
  if (out.kind === 'panic') return { text: `${at} it must abort (may_panic)`, undef: false };
  if (out.kind === 'undefined')
    return { text: `${at} its precondition fails (the caller holds no such handle)`, undef: true };
  const last = !reportsLast(sub.kind)
    ? ''
    : out.result === 'ok:last'
      ? ' with last = true'
      : out.result === 'ok'
        ? ' with last = false'
        : '';
  return { text: `${at} it returns ${show(out.result)}${last}`, undef: false };
}

/** The recorded outcome, as a phrase. */
function recorded(op: HistoryOp, sub: SubOp): string {
  if (sub.result === undefined) return 'had an unknown outcome';
  if (sub.kind === 'ref_count') return `read ${op.outcome?.value}`;
  if (reportsLast(sub.kind)) return `returned Ok with last = ${sub.result === 'ok:last'}`;
  return `returned ${show(sub.result)}`;
}

/** Explains the failure of `h` at entry `e`, given the states the frame can be in there. */
export function explain(
  h: FrameHistory,
  e: Entry,
  op: HistoryOp,
  states: readonly FrameState[],
  p: ModelParams,
): Explanation {
  const sub = h.subs[e.sub]!;
  const frame = hexAddr(h.paddr);
  const name = `${op.f}(${frame})`;
  if (e.type === 'close') {
    return {
      clause: CLAUSES[sub.kind].ok,
      reason: `${name} of process ${op.process} had an unknown outcome, and no order of steps lets it finish, or not start, before the process's next invoke (line ${op.deadline?.line})`,
    };
  }
  const specs = states.map((s) => specAt(sub, s, p));
  const busy = sub.result === 'Busy' || (sub.kind === 'ref_count' && op.outcome?.value === 0n);
  const noWindow =
    busy && !states.some((s) => s.rc === 0n)
      ? ' — no claim, last drop or unique drop of the frame is in flight to explain it'
      : '';
  const c = CLAUSES[sub.kind];
  const clause = specs.every((s) => s.undef)
    ? c.requires
    : sub.result !== undefined && !sub.result.startsWith('ok') && sub.result !== 'value'
      ? c.err
      : c.ok;
  return {
    clause,
    reason: `${name} ${recorded(op, sub)}, but wherever it can take effect the spec disagrees: ${specs.map((s) => s.text).join('; ')}${noWindow}`,
  };
}
