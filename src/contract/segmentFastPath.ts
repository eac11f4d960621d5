/**
 * The fast path of the checked `Segment` ops (see `fastPath.ts`): a call is checked on its footprint,
 * the frames of the segment's range — the requires and the accounting at each frame from the ghost's
 * slot entries and the counts memory holds before the call, the ensures (and at level full the
 * refinement) from the values the call's atomics wrote — without building or diffing region ghosts.
 * When a clause does not hold there, the call has run and the full check replays it from the tracking
 * log, rebuilding the ghost state for the report.
 */
import { ownersContain } from '../../spec/frame/regionFacts.ts';
import { isInit } from '../../spec/meta/perms.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import type { CallLevel } from './ContractChecker.ts';
import { coverageEnabled } from './coverage.ts';
import { fastEnsures, fastPathEnabled, fastRequires, invAtCount, type FastCheck } from './fastPath.ts';
import type { SegFootprint } from './segmentFastForms.ts';

/** Whether a checked call of layer `f` may try the fast path (seed clauses, fast path on, no clause coverage). */
export function segmentFastOn(f: CheckedFrameLayer): boolean {
  return f.spec === 'seed' && fastPathEnabled() && !coverageEnabled();
}

/**
 * Fills the "before" half of `x` for a call on the segment `start..end` whose owner's range is
 * `ownerStart..ownerEnd`: the range's `inv()`, and at every frame the conjuncts of `relate_regions`,
 * `regions.inv()`, the counts and the accounting. `false` when the call cannot take the fast path: the
 * owner's range is not the segment's, the range is no valid segment range, or a frame breaks the
 * accounting (the full check reports it).
 */
export function segmentBefore(
  f: CheckedFrameLayer,
  x: SegFootprint,
  start: number,
  end: number,
  ownerStart: number,
  ownerEnd: number,
  level: CallLevel,
): boolean {
  const p = f.p;
  x.start = start;
  x.end = end;
  x.wf = start === ownerStart && end === ownerEnd;
  x.startAligned = start % PAGE_SIZE === 0;
  x.endAligned = end % PAGE_SIZE === 0;
  x.startLeEnd = start <= end;
  x.endLeMax = end <= p.maxPaddr;
  if (!(x.wf && x.startAligned && x.endAligned && x.startLeEnd && x.endLeMax)) return false;
  const n = (end - start) / PAGE_SIZE;
  x.n = n;
  x.obligation = x.ownersContain = x.slotsContain = x.selfAddr = true;
  x.rcPos = x.rcLeMax = x.pathsEmpty = x.usageFrame = x.invBefore = true;
  x.lastRefInit = x.incBelowMax = x.belowMax = true;
  x.anyLast = false;
  const lazy = f.lazy;
  const mem = f.tracking.base;
  const first = start / PAGE_SIZE;
  for (let j = 0; j < n; j++) {
    const i = first + j;
    const e = lazy.entry(i);
    const rc = mem.readPlain(f.impl.refCountWord(i));
    const o = e.resolved;
    x.before[j] = rc;
    x.entries[j] = e;
    x.obligation &&= lazy.obligations(i) >= 1;
    x.ownersContain &&= ownersContain(i);
    x.slotsContain &&= e.perm !== null;
    x.selfAddr &&= o.selfAddr === e.addr;
    x.rcPos &&= rc > 0n;
    x.rcLeMax &&= rc <= p.refCountMax;
    x.pathsEmpty &&= o.pathsInPt.size === 0;
    x.usageFrame &&= o.usage === 'Frame';
    x.invBefore &&= invAtCount(lazy.stale, e, i, rc);
    if (rc === 1n) {
      x.anyLast = true;
      x.lastRefInit &&= isInit(o.innerPerms.storage) && o.innerPerms.inList.value === 0n;
    }
    x.incBelowMax &&= rc + 1n < p.refCountMax;
    x.belowMax &&= rc < p.refCountMax;
    if (!f.accountingAt(i, rc, o.usage, level)) return false;
  }
  return true;
}

/**
 * Fills the "after" half of `x` from the call's tracking log: whether it wrote anything, whether every
 * write was an atomic one to a count word of the range, each frame's final count against its count
 * before, and `regions.inv()` at each frame with its final count (read from the slot's memo, valid
 * when only counts moved).
 */
export function segmentAfter(f: CheckedFrameLayer, x: SegFootprint): void {
  const t = f.tracking;
  const log = t.log;
  const { wordsPerSlot: per, refCount } = f.impl.layout;
  const first = x.start / PAGE_SIZE;
  let wrote = t.plainWrites.length > 0;
  let counts = !wrote;
  for (let k = 0; k < log.length; k++) {
    const a = log[k]!;
    if (a.written === undefined) continue;
    wrote = true;
    const slot = Math.floor(a.word / per);
    if (a.word % per !== refCount || slot < first || slot >= first + x.n) counts = false;
  }
  x.nothingWritten = !wrote;
  x.countsOnly = counts;
  let inc = true;
  let dec = true;
  let inv = true;
  let shared = true;
  let incSlice = true;
  let sliceBelow = true;
  for (let j = 0; j < x.n; j++) {
    const i = first + j;
    const b = x.before[j]!;
    const rc = wrote ? (t.lastWritten(f.impl.refCountWord(i)) ?? b) : b;
    inc &&= rc === b + 1n;
    dec &&= rc === b - 1n;
    shared &&= rc > 0n && rc <= f.p.refCountMax;
    const inSlice = j * PAGE_SIZE >= x.sliceStart && j * PAGE_SIZE < x.sliceEnd;
    incSlice &&= rc === (inSlice ? b + 1n : b);
    sliceBelow &&= !inSlice || b < f.p.refCountMax;
    if (counts && inv) inv = invAtCount(f.lazy.stale, x.entries[j]!, i, rc);
  }
  x.inc = inc;
  x.dec = dec;
  x.sharedAfter = shared;
  x.incInSlice = incSlice;
  x.sliceBelowMax = sliceBelow;
  x.invFinal = counts && inv;
  x.deallocs = f.deallocCount();
}

/**
 * Whether the call just made is accepted on its footprint at `level`. A sampled-out call checks no
 * clause: it is accepted when only counts moved, each from and to a shared count (the ghost then
 * differs from the one before only in the counts; a count at or from `REF_COUNT_UNUSED` or 0 changes
 * what memory shows of the slot's other fields), and nothing was deallocated (its op may ask more).
 */
export function segmentAccepted(check: FastCheck<SegFootprint>, x: SegFootprint, level: CallLevel): boolean {
  if (level !== 'skip') return fastEnsures(check, x, level);
  return x.countsOnly && x.deallocs === 0 && x.rcPos && x.rcLeMax && x.sharedAfter;
}

/** Whether the requires hold on the footprint (a sampled-out call checks none). */
export function segmentRequires(check: FastCheck<SegFootprint>, x: SegFootprint, level: CallLevel): boolean {
  return level === 'skip' || fastRequires(check, x);
}

/**
 * Records an accepted call's effect on the ghost: each frame's final count, and `obl` ledger entries
 * minted (> 0) or redeemed (< 0) per frame of `x.oblStart..x.oblEnd` (frames of the range only).
 */
export function segmentCommit(f: CheckedFrameLayer, x: SegFootprint, obl: number): void {
  const first = x.start / PAGE_SIZE;
  const t = f.tracking;
  for (let j = 0; j < x.n; j++) {
    const i = first + j;
    const rc = x.nothingWritten ? x.before[j]! : (t.lastWritten(f.impl.refCountWord(i)) ?? x.before[j]!);
    const o = i * PAGE_SIZE >= x.oblStart && i * PAGE_SIZE < x.oblEnd ? obl : 0;
    if (rc !== x.before[j] || o !== 0) f.lazy.move(i, rc, o);
  }
  f.checker.calls++;
}

/** Before the full check replays a fast call: the ghost at the range as the full check's refresh would have read it before the call. */
export function segmentReplayFrom(f: CheckedFrameLayer, x: SegFootprint): void {
  const first = x.start / PAGE_SIZE;
  for (let j = 0; j < x.n; j++) f.lazy.move(first + j, x.before[j]!);
  void f.lazy.ghost;
}
