/**
 * The fast forms of the checked `Segment` ops (see `fastPath.ts`): each clause of the op's table as a
 * predicate over the call's footprint — the frames of the segment's range, read before the call from
 * the ghost's slot entries and the counts memory holds, and after it from the values the call's
 * atomics wrote. A predicate answers `true` only when the clause holds for the ghost states the full
 * check would build; anything it cannot decide on the range answers `false`, and the full check then
 * runs (and writes the report).
 */
import { segmentClone, segmentDrop, segmentSlice, segmentSplit } from '../../spec/frame/Segment.ts';
import { PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { specialize, type FastCheck, type FastClause, type SlotEntry } from './fastPath.ts';

/**
 * The footprint of one segment call: filled in place, never allocated per call (the per-frame arrays
 * grow to the largest segment seen and are reused). "Every frame" is every frame of the segment's
 * range, which the fast path takes only when it equals the owner's (`wf`).
 */
export type SegFootprint = {
  /** The segment's range (the argument) and its frame count. */
  start: number;
  end: number;
  n: number;
  /** `self.range == owner.range`. */
  wf: boolean;
  /** The range's `inv()` conjuncts (the same for the segment and, under `wf`, its owner). */
  startAligned: boolean;
  endAligned: boolean;
  startLeEnd: boolean;
  endLeMax: boolean;
  /** Before the call, at every frame: the conjuncts of `relate_regions`, and `regions.inv()`. */
  obligation: boolean;
  ownersContain: boolean;
  slotsContain: boolean;
  selfAddr: boolean;
  rcPos: boolean;
  rcLeMax: boolean;
  pathsEmpty: boolean;
  usageFrame: boolean;
  invBefore: boolean;
  /** Every frame at count 1 has its storage initialized and `in_list == 0`; some frame is at count 1. */
  lastRefInit: boolean;
  anyLast: boolean;
  /** Every count + 1 is below `REF_COUNT_MAX`; every count is below it. */
  incBelowMax: boolean;
  belowMax: boolean;
  /** After the call: every word written is a count word of a frame of the range, written atomically. */
  countsOnly: boolean;
  nothingWritten: boolean;
  /** Every frame's count moved by exactly +1, -1, or not at all (final against before). */
  inc: boolean;
  dec: boolean;
  /** Every frame's final count is a shared one (`0 < rc <= REF_COUNT_MAX`). */
  sharedAfter: boolean;
  /**
   * A slice's byte offsets (the argument): every frame inside them moved by exactly +1 and every other
   * frame of the range not at all; every frame inside them had a count below `REF_COUNT_MAX` before.
   */
  sliceStart: number;
  sliceEnd: number;
  incInSlice: boolean;
  sliceBelowMax: boolean;
  /** The frames (byte addresses, end exclusive) whose ledger entries an accepted call mints or redeems. */
  oblStart: number;
  oblEnd: number;
  /** `regions.inv()` at every frame with its final count (only read when `countsOnly`). */
  invFinal: boolean;
  deallocs: number;
  /** The result: a split's halves, a clone's range. */
  offset: number;
  r0start: number;
  r0end: number;
  r1start: number;
  r1end: number;
  /** Per frame: the count before the call and the slot entry it was read with. */
  before: bigint[];
  entries: SlotEntry[];
};

/** A fresh segment footprint (one per checked segment layer, reused by every call). */
export function newSegFootprint(): SegFootprint {
  return {
    start: 0,
    end: 0,
    n: 0,
    wf: false,
    startAligned: false,
    endAligned: false,
    startLeEnd: false,
    endLeMax: false,
    obligation: false,
    ownersContain: false,
    slotsContain: false,
    selfAddr: false,
    rcPos: false,
    rcLeMax: false,
    pathsEmpty: false,
    usageFrame: false,
    invBefore: false,
    lastRefInit: false,
    anyLast: false,
    incBelowMax: false,
    belowMax: false,
    countsOnly: false,
    nothingWritten: false,
    inc: false,
    dec: false,
    sharedAfter: false,
    sliceStart: 0,
    sliceEnd: 0,
    incInSlice: false,
    sliceBelowMax: false,
    oblStart: 0,
    oblEnd: 0,
    invFinal: false,
    deallocs: 0,
    offset: 0,
    r0start: 0,
    r0end: 0,
    r1start: 0,
    r1end: 0,
    before: [],
    entries: [],
  };
}

type C = FastClause<SegFootprint>;

/** The range `start..end`'s `inv()` (`rangeInv`), for a result range. */
const rangeOk = (start: number, end: number, p: ModelParams) =>
  start % PAGE_SIZE === 0 && end % PAGE_SIZE === 0 && start <= end && end <= p.maxPaddr;
const argRangeOk = (f: SegFootprint) => f.startAligned && f.endAligned && f.startLeEnd && f.endLeMax;

/**
 * The requires of `self.invariants(&owner, *old(regions))` (`invariantsRequires`), one predicate per
 * conjunct. Under `wf` the owner's range is the segment's, so `owner.inv()` is the range's `inv()`.
 */
function invariantsRequiresFast(op: string): Record<string, C> {
  const r = (n: string, c: C): [string, C] => [`${op}.requires.${n}`, c];
  return Object.fromEntries([
    r('inv.start_aligned', (f) => f.startAligned),
    r('inv.end_aligned', (f) => f.endAligned),
    r('inv.start_le_end', (f) => f.startLeEnd),
    r('inv.end_le_max', (f) => f.endLeMax),
    r('wf', (f) => f.wf),
    r('owner_inv', (f) => f.wf && argRangeOk(f)),
    r('regions_inv', (f) => f.wf && f.invBefore),
    r('relate_regions.obligation', (f) => f.wf && f.obligation),
    r('relate_regions.owners_contain', (f) => f.wf && f.ownersContain),
    r('relate_regions.slots_contain', (f) => f.wf && f.slotsContain),
    r('relate_regions.self_addr', (f) => f.wf && f.selfAddr),
    r('relate_regions.rc_pos', (f) => f.wf && f.rcPos),
    r('relate_regions.rc_le_max', (f) => f.wf && f.rcLeMax),
    r('relate_regions.paths_empty', (f) => f.wf && f.pathsEmpty),
    r('relate_regions.usage_frame', (f) => f.wf && f.usageFrame),
  ]);
}

/**
 * `Segment::split(self, offset)`: writes nothing, so the final region is the old one. The ensures are
 * evaluated only once the requires held on the footprint (`invariants` at every frame of the segment),
 * so a half's `invariants` hold when nothing was written and the half is a valid range inside the
 * segment (or empty).
 */
export function segmentSplitFast(p: ModelParams): FastCheck<SegFootprint> | undefined {
  const e = (n: string, c: C): [string, C] => [`Segment::split.ensures.${n}`, c];
  const half = (f: SegFootprint, s: number, t: number) =>
    f.nothingWritten && rangeOk(s, t, p) && (s === t || (f.start <= s && t <= f.end));
  const spec = (f: SegFootprint) => {
    const at = f.start + f.offset;
    return f.r0start === f.start && f.r0end === at && f.r1start === at && f.r1end === f.end;
  };
  const offsetOk = (f: SegFootprint) => f.offset % PAGE_SIZE === 0 && 0 < f.offset && f.offset < f.end - f.start;
  return specialize(segmentSplit, {
    clauses: {
      ...invariantsRequiresFast('Segment::split'),
      ...Object.fromEntries([
        e('slots_unchanged', (f) => f.nothingWritten),
        e('owners_unchanged', (f) => f.nothingWritten),
        // The region's ledger is the one before the call (`final` is the identity on it).
        e('obligations_unchanged', () => true),
        e('split_spec', spec),
        e('left_invariants', (f) => half(f, f.r0start, f.r0end)),
        e('right_invariants', (f) => half(f, f.r1start, f.r1end)),
        e('aborts_exactly', offsetOk),
      ]),
    },
    // next(old): the region unchanged, the halves `split_spec(offset)` (a bad offset panics).
    refinement: (f) => f.nothingWritten && offsetOk(f) && spec(f),
  });
}

/**
 * `Segment::drop(self)` when no frame holds its last reference here (the fast form answers `false`
 * otherwise: a teardown goes to the full check). The ledger's redemption is the wrapper's proof code,
 * one entry per frame of the owner's range, which under `wf` is the segment's.
 */
export function segmentDropFast(): FastCheck<SegFootprint> | undefined {
  const e = (n: string, c: C): [string, C] => [`Segment::drop.ensures.${n}`, c];
  const decOnly = (f: SegFootprint) => f.countsOnly && !f.anyLast && f.dec;
  return specialize(segmentDrop, {
    clauses: {
      ...invariantsRequiresFast('Segment::drop'),
      'Segment::drop.requires.last_ref_init': (f) => f.lastRefInit,
      ...Object.fromEntries([
        e('final_inv', (f) => !argRangeOk(f) || (f.countsOnly && f.invFinal)),
        e('rc_dec', decOnly),
        e('obligations', (f) => f.wf),
        e('dealloc', (f) => !f.anyLast && f.deallocs === 0),
        e('slots_unchanged', (f) => f.countsOnly),
      ]),
    },
    // next(old): every count above 1 decremented, one ledger entry per frame redeemed, nothing deallocated.
    refinement: (f) => decOnly(f) && f.wf && f.rcPos && f.rcLeMax && f.deallocs === 0,
  });
}

/** `<Segment as RCClone>::clone`: one more reference per frame; the ledger is the wrapper's to mint. */
export function segmentCloneFast(p: ModelParams): FastCheck<SegFootprint> | undefined {
  const r = (n: string, c: C): [string, C] => [`Segment::clone.requires.${n}`, c];
  const e = (n: string, c: C): [string, C] => [`Segment::clone.ensures.${n}`, c];
  const incOnly = (f: SegFootprint) => f.countsOnly && f.inc;
  const sameRange = (f: SegFootprint) => f.r0start === f.start && f.r0end === f.end;
  return specialize(segmentClone, {
    clauses: Object.fromEntries([
      r('inv', argRangeOk),
      r('regions_inv', (f) => !argRangeOk(f) || f.invBefore),
      r('slots_contain', (f) => f.slotsContain),
      r('safe_slot', (f) => f.end <= p.maxPaddr || f.n === 0),
      r('rc_pos', (f) => f.rcPos),
      r('rc_below_max', (f) => f.incBelowMax),
      r('not_panic_cond', (f) => f.belowMax),
      e('range', sameRange),
      e('res_inv', (f) => rangeOk(f.r0start, f.r0end, p)),
      e('regions_inv', (f) => !argRangeOk(f) || (f.countsOnly && f.invFinal)),
      // The region's ledger is the one before the call (`final` is the identity on it).
      e('obligations_unchanged', () => true),
      e('rc_inc', incOnly),
    ]),
    // next(old): every count of the range incremented, the same range returned.
    refinement: (f) => incOnly(f) && sameRange(f),
  });
}

/**
 * `Segment::slice(&self, range)`: one more reference per frame of the slice, none elsewhere; the new
 * segment's ledger entries are the wrapper's to mint. Offsets are compared as `int`s only while every
 * sum is a safe integer (otherwise the predicates answer `false`).
 */
export function segmentSliceFast(p: ModelParams): FastCheck<SegFootprint> | undefined {
  const e = (n: string, c: C): [string, C] => [`Segment::slice.ensures.${n}`, c];
  const safe = (a: number, b: number) => Number.isSafeInteger(a + b);
  const bounds = (f: SegFootprint) =>
    f.sliceStart % PAGE_SIZE === 0 &&
    f.sliceEnd % PAGE_SIZE === 0 &&
    f.sliceStart <= f.sliceEnd &&
    f.sliceEnd <= f.end - f.start;
  const within = (f: SegFootprint) => safe(f.start, f.sliceEnd) && f.start + f.sliceEnd <= f.end;
  const rStart = (f: SegFootprint) => safe(f.start, f.sliceStart) && f.r0start === f.start + f.sliceStart;
  const rEnd = (f: SegFootprint) => safe(f.start, f.sliceEnd) && f.r0end === f.start + f.sliceEnd;
  const incOnly = (f: SegFootprint) => bounds(f) && f.countsOnly && f.incInSlice;
  const panicFree = (f: SegFootprint) => bounds(f) && f.sliceBelowMax;
  return specialize(segmentSlice, {
    clauses: {
      ...invariantsRequiresFast('Segment::slice'),
      ...Object.fromEntries([
        e('start_aligned', (f) => f.sliceStart % PAGE_SIZE === 0),
        e('end_aligned', (f) => f.sliceEnd % PAGE_SIZE === 0),
        e('ordered', (f) => f.sliceStart <= f.sliceEnd),
        e('within', within),
        e('not_saturated', panicFree),
        e('r_inv', (f) => rangeOk(f.r0start, f.r0end, p)),
        e('r_start', rStart),
        e('r_end', rEnd),
        e('r_end_le', (f) => f.r0end <= f.end),
        e('final_inv', (f) => !argRangeOk(f) || (f.countsOnly && f.invFinal)),
        e('slots_unchanged', (f) => f.countsOnly),
        e('domain', (f) => f.countsOnly),
        // The region's ledger is the one before the call (`final` is the identity on it).
        e('obligations_unchanged', () => true),
        e('rc_inc', incOnly),
        e('aborts_exactly', panicFree),
      ]),
    },
    // next(old): every count of the slice incremented, the slice's range returned (a bad range or a saturated page panics).
    refinement: (f) => incOnly(f) && panicFree(f) && rStart(f) && rEnd(f),
  });
}
