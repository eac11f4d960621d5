import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import type { OpSpec, PostCtx } from '../Op.ts';
import { initialRegion, refCountAt, slotOwner, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import type { MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { frameFromUnused } from './Frame.ts';
import {
  firstRefusal,
  isUsize,
  segmentClone,
  segmentDrop,
  segmentFromRaw,
  segmentFromUnused,
  segmentIntoRaw,
  segmentNext,
  segmentSlice,
  segmentSplit,
  sliceRange,
  splitSpec,
} from './Segment.ts';
import {
  invariants,
  paddrRange,
  rangeInv,
  relateRegions,
  relateRegionsWitness,
  segIndices,
  segmentWithOwner,
  segNframes,
  segObligationsMinted,
} from './SegmentOwner.ts';

const P = PAGE_SIZE;
const p = modelParams({ maxPaddr: 16 * P, refCountMax: 8n });
const K: MetaSlotStorage = { type: 'KernelMeta', fields: {} };
const metadataFn = () => K;
const r0 = initialRegion(p);

function after<S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A): { s: S; r: R } {
  const out = spec.next({ old, args, p });
  if (out.kind !== 'return') throw new Error(`${spec.name} panicked`);
  return { s: out.final, r: out.result };
}
const failing = <S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A) =>
  spec.requires.filter((c) => !c.holds({ old, args, p })).map((c) => c.name);
/** A region with a segment over frames `a..b` built by `from_unused`. */
function built(a: number, b: number, r: MetaRegionOwners = r0) {
  const { s, r: res } = after(segmentFromUnused, r, { range: paddrRange(a * P, b * P), metadataFn });
  if (!res.ok) throw new Error(res.error);
  return { s, seg: res.value };
}
/** The ensures clauses a given outcome breaks, with their origins. */
function broken<A, R>(spec: OpSpec<MetaRegionOwners, A, R>, c: PostCtx<MetaRegionOwners, A, R>) {
  return spec.ensures.filter((x) => !x.holds(c)).map((x) => [x.name.split('.').pop(), x.origin ?? 'vostd']);
}

describe('Segment predicates', () => {
  it('inv: aligned, ordered, below MAX_PADDR; frame indices front to back', () => {
    expect(Object.values(rangeInv(paddrRange(P, 3 * P), p)).every(Boolean)).toBe(true);
    expect(rangeInv(paddrRange(P + 1, 3 * P), p).start_aligned).toBe(false);
    expect(rangeInv(paddrRange(3 * P, P), p).start_le_end).toBe(false);
    expect(rangeInv(paddrRange(0, 17 * P), p).end_le_max).toBe(false);
    expect([segIndices(paddrRange(2 * P, 5 * P)), segNframes(paddrRange(5 * P, 2 * P))]).toEqual([[2, 3, 4], 0]);
    expect([isUsize(2 ** 64 - P), isUsize(2 ** 64), isUsize(-1), isUsize(0.5)]).toEqual([true, false, false, false]);
  });

  it('relate_regions needs a ledger entry, a shared count and usage Frame at every frame', () => {
    const { s, seg } = built(2, 4);
    expect(relateRegions(seg.owner, s)).toBe(true);
    expect(relateRegions(seg.owner, r0)).toBe(false);
    expect(relateRegionsWitness(seg.owner, r0)).toMatchObject({
      idx: 2,
      conjuncts: { obligation: false, usage_frame: false },
    });
    expect(invariants(seg.segment, { range: paddrRange(2 * P, 5 * P) }, s)).toBe(false);
  });

  it('seg_obligations_minted: at least one more per frame, every other count unchanged', () => {
    const { s } = built(2, 4);
    expect(segObligationsMinted(r0, s, 2 * P, 2)).toEqual({ each_minted: true, others_untouched: true });
    expect(segObligationsMinted(r0, s, 2 * P, 3)).toEqual({ each_minted: false, others_untouched: true });
    expect(segObligationsMinted(r0, s, 3 * P, 1)).toEqual({ each_minted: true, others_untouched: false });
  });
});

describe('Segment::from_unused', () => {
  it('Ok claims every frame with count 1 and mints one obligation per frame', () => {
    const { s, seg } = built(2, 5);
    expect(seg).toEqual(segmentWithOwner(2 * P, 5 * P));
    expect([2, 3, 4].map((i) => [refCountAt(s, i), s.frameObligations.count(i), slotOwner(s, i).usage])).toEqual([
      [1n, 1, 'Frame'],
      [1n, 1, 'Frame'],
      [1n, 1, 'Frame'],
    ]);
    expect(s.frameObligations.len).toBe(3);
  });

  it('alignment first, then the bound; an empty in-bound range panics', () => {
    const range = (a: number, b: number) => ({ range: paddrRange(a, b), metadataFn });
    expect(after(segmentFromUnused, r0, range(P + 8, 2 * P)).r).toMatchObject({ ok: false, error: 'NotAligned' });
    expect(after(segmentFromUnused, r0, range(P, 17 * P + 8)).r).toMatchObject({ ok: false, error: 'NotAligned' });
    expect(after(segmentFromUnused, r0, range(P, 17 * P)).r).toMatchObject({ ok: false, error: 'OutOfBound' });
    expect(segmentFromUnused.next({ old: r0, args: range(3 * P, 3 * P), p }).kind).toBe('panic');
    expect(segmentFromUnused.mayPanic.holds({ old: r0, args: range(3 * P, 3 * P), p })).toBe(true);
    expect(failing(segmentFromUnused, r0, range(-P, P))).toEqual(['Segment::from_unused.requires.range_usize']);
  });

  it('a refusal part-way rolls the claimed frames back: counts restored, ledger unchanged, each deallocated', () => {
    const taken = after(frameFromUnused, r0, { paddr: 4 * P, metadata: K }).s;
    const { s, r } = after(segmentFromUnused, taken, { range: paddrRange(2 * P, 6 * P), metadataFn });
    expect(r).toEqual({ ok: false, error: 'InUse', dealloc: [2 * P, 3 * P] });
    expect(firstRefusal(taken, paddrRange(2 * P, 6 * P))).toEqual({ paddr: 4 * P, error: 'InUse' });
    expect([refCountAt(s, 2), refCountAt(s, 3), refCountAt(s, 5)]).toEqual([
      p.refCountUnused,
      p.refCountUnused,
      p.refCountUnused,
    ]);
    expect(s.frameObligations.equals(taken.frameObligations)).toBe(true);
    expect([slotOwner(s, 2).usage, slotOwner(s, 5).usage]).toEqual(['Frame', 'Unused']);
  });

  it('an outcome that keeps the partial segment breaks only upstream clauses (vostd says only: ledger unchanged)', () => {
    const taken = after(frameFromUnused, r0, { paddr: 4 * P, metadata: K }).s;
    const args = { range: paddrRange(2 * P, 6 * P), metadataFn };
    const kept = after(frameFromUnused, after(frameFromUnused, taken, { paddr: 2 * P, metadata: K }).s, {
      paddr: 3 * P,
      metadata: K,
    }).s;
    const leaked = {
      old: taken,
      final: kept,
      args,
      p,
      result: { ok: false as const, error: 'InUse' as const, dealloc: [] },
    };
    expect(broken(segmentFromUnused, leaked)).toEqual([
      ['err_obligations', 'vostd'],
      ['err_rollback', 'upstream'],
      ['rollback_dealloc', 'upstream'],
    ]);
  });
});

describe('Segment::split, slice, clone', () => {
  it('split: two halves at the offset, the region untouched; a bad offset may panic', () => {
    const { s, seg } = built(2, 5);
    const { s: s1, r } = after(segmentSplit, s, { ...seg, offset: P });
    expect(s1).toBe(s);
    expect(r.map((x) => x.segment.range)).toEqual([paddrRange(2 * P, 3 * P), paddrRange(3 * P, 5 * P)]);
    expect(splitSpec(seg.segment, 2 * P).map((x) => x.range)).toEqual([
      paddrRange(2 * P, 4 * P),
      paddrRange(4 * P, 5 * P),
    ]);
    for (const offset of [0, P + 1, 3 * P, 2 ** 64 - P])
      expect(segmentSplit.mayPanic.holds({ old: s, args: { ...seg, offset }, p })).toBe(true);
  });

  it('slice: one more reference per frame of the slice, and (vostd) no ledger entry for it', () => {
    const { s, seg } = built(2, 6);
    const { s: s1, r } = after(segmentSlice, s, { ...seg, range: paddrRange(P, 3 * P) });
    expect(r.range).toEqual(paddrRange(3 * P, 5 * P));
    expect([2, 3, 4, 5].map((i) => refCountAt(s1, i))).toEqual([1n, 2n, 2n, 1n]);
    expect(s1.frameObligations.equals(s.frameObligations)).toBe(true);
  });

  it('slice: the offsets are checked against the size before an address is formed (asterinas#3165)', () => {
    const { s, seg } = built(3, 5);
    // 3 pages + (2^64 − 2 pages) wraps to 1 page in u64: upstream before the fix sliced frame 1..2.
    const range = paddrRange(2 ** 64 - 2 * P, 2 ** 64 - P);
    expect(failing(segmentSlice, s, { ...seg, range })).toEqual([]);
    expect(segmentSlice.mayPanic.holds({ old: s, args: { ...seg, range }, p })).toBe(true);
    expect(segmentSlice.next({ old: s, args: { ...seg, range }, p }).kind).toBe('panic');
    const wrapped = { range: paddrRange(P, 2 * P) };
    const post = { old: s, final: s, args: { ...seg, range }, p, result: wrapped };
    expect(broken(segmentSlice, post).map(([n]) => n)).toEqual([
      'within',
      'r_start',
      'r_end',
      'rc_inc',
      'aborts_exactly',
    ]);
    expect(sliceRange(seg.segment, paddrRange(0, P))).toEqual(paddrRange(3 * P, 4 * P));
  });

  it('slice at a saturated page may panic; clone requires rc + 1 < REF_COUNT_MAX', () => {
    const { s, seg } = built(2, 3);
    let r = s;
    for (let k = 0; k < 7; k++) r = after(segmentClone, r, { segment: seg.segment }).s;
    expect(refCountAt(r, 2)).toBe(8n);
    expect(segmentSlice.mayPanic.holds({ old: r, args: { ...seg, range: paddrRange(0, P) }, p })).toBe(true);
    expect(failing(segmentClone, r, { segment: seg.segment })).toEqual([
      'Segment::clone.requires.rc_below_max',
      'Segment::clone.requires.not_panic_cond',
    ]);
  });

  it('weak spot: a clone has no ledger entries, so after the original is dropped the clone cannot be dropped', () => {
    const { s, seg } = built(2, 4);
    const { s: cloned, r: copy } = after(segmentClone, s, { segment: seg.segment });
    expect(cloned.frameObligations.equals(s.frameObligations)).toBe(true);
    const { s: dropped } = after(segmentDrop, cloned, seg);
    expect([refCountAt(dropped, 2), dropped.frameObligations.count(2)]).toEqual([1n, 0]);
    expect(failing(segmentDrop, dropped, { segment: copy, owner: copy })).toEqual([
      'Segment::drop.requires.relate_regions.obligation',
    ]);
  });
});

describe('Segment::into_raw, from_raw, next, drop', () => {
  it('into_raw and from_raw change nothing; from_raw needs the owner to relate to the region', () => {
    const { s, seg } = built(2, 4);
    const { s: s1, r } = after(segmentIntoRaw, s, seg);
    expect([s1, r]).toEqual([s, { range: seg.segment.range, owner: seg.owner }]);
    expect(failing(segmentFromRaw, s, { range: r.range, owner: r.owner })).toEqual([]);
    expect(failing(segmentFromRaw, r0, { range: r.range, owner: r.owner })).toEqual([
      'Segment::from_raw.requires.relate_regions',
    ]);
    expect(failing(segmentFromRaw, s, { range: paddrRange(2 * P, 3 * P), owner: r.owner })).toEqual([
      'Segment::from_raw.requires.range_owner',
    ]);
  });

  it('next yields the front frame with its obligation and leaves the rest; an empty segment yields None', () => {
    const { s, seg } = built(2, 4);
    const { s: s1, r } = after(segmentNext, s, seg);
    expect(s1).toBe(s);
    expect([r.item?.obl, r.segment.range, r.owner.range]).toEqual([
      2,
      paddrRange(3 * P, 4 * P),
      paddrRange(3 * P, 4 * P),
    ]);
    const empty = segmentWithOwner(4 * P, 4 * P);
    expect(after(segmentNext, s, empty).r.item).toBe(null);
  });

  it('drop: every count − 1, the last references torn down and deallocated, one entry redeemed per frame', () => {
    const { s, seg } = built(2, 4);
    const { s: s1 } = after(segmentSlice, s, { ...seg, range: paddrRange(P, 2 * P) });
    const { s: s2, r } = after(segmentDrop, s1, seg);
    expect([refCountAt(s2, 2), refCountAt(s2, 3), r.dealloc, s2.frameObligations.len]).toEqual([
      p.refCountUnused,
      1n,
      [2 * P],
      0,
    ]);
  });

  it('weak spot: vostd drop ensures only inv — an outcome that drops nothing breaks only upstream clauses', () => {
    const { s, seg } = built(2, 4);
    const post = { old: s, final: s, args: seg, p, result: { dealloc: [] } };
    expect(broken(segmentDrop, post)).toEqual([
      ['rc_dec', 'upstream'],
      ['obligations', 'upstream'],
      ['dealloc', 'upstream'],
    ]);
    expect(clausesBrokenByNext(segmentDrop, { old: s, args: seg, p })).toEqual([]);
  });
});
