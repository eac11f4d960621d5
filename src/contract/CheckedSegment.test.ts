import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { segmentClone, segmentDrop, segmentSlice } from '../../spec/frame/Segment.ts';
import type { OpSpec } from '../../spec/Op.ts';
import { refCountAt, slotOwner, withLedger } from '../../spec/meta/MetaRegionOwners.ts';
import { REF_COUNT_UNUSED } from '../../spec/vocab.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from './CheckedFrameLayer.ts';
import { CheckedSegment, type SegmentHandle } from './CheckedSegment.ts';
import type { Violation } from './report.ts';

const P = 0x1000;
const K = unit(KernelMeta);
const meta = () => K;

function make(opts: Partial<CheckedFrameOptions> = {}) {
  const deallocated: number[] = [];
  const l = new CheckedFrameLayer({
    maxPaddr: 0x10_0000,
    mode: 'collect',
    allocator: { dealloc: (p) => deallocated.push(p) },
    ...opts,
  });
  return { l, s: new CheckedSegment(l), deallocated };
}
const seg = (h: SegmentHandle | string): SegmentHandle => {
  if (typeof h === 'string') throw new Error(`expected a segment, got ${h}`);
  return h;
};
const names = (vs: readonly Violation[]) => vs.map((v) => v.clause);
const blamed = (vs: readonly Violation[]) => vs.map((v) => [v.clause, v.blame]);
const rcs = (l: CheckedFrameLayer, ...frames: number[]) => frames.map((i) => refCountAt(l.ghost, i));
/** The origins of the ensures clauses a list of violations names (vostd's own, when unnamed). */
const origins = (spec: OpSpec<never, never, never>, vs: readonly Violation[]) =>
  vs.filter((v) => v.kind === 'ensures').map((v) => spec.ensures.find((c) => c.name === v.clause)?.origin ?? 'vostd');
const withLayer = (Layer: new (...a: ConstructorParameters<typeof FrameLayer>) => FrameLayer) =>
  make({ makeLayer: (r, a) => new Layer(r, a) });

afterEach(() => void vi.restoreAllMocks());

describe('Segment on the correct implementation', () => {
  it('from_unused claims every frame (count 1, usage Frame, one obligation each); drop returns them', () => {
    const { l, s, deallocated } = make();
    const h = seg(s.fromUnused({ start: 2 * P, end: 5 * P }, meta));
    expect(s.rangeOf(h)).toEqual({ start: 2 * P, end: 5 * P });
    expect(rcs(l, 2, 3, 4)).toEqual([1n, 1n, 1n]);
    expect([slotOwner(l.ghost, 3).usage, l.ghost.frameObligations.len]).toEqual(['Frame', 3]);
    expect(s.drop(h)).toEqual([2 * P, 3 * P, 4 * P]);
    expect([rcs(l, 2, 3, 4), deallocated, l.ghost.frameObligations.len]).toEqual([
      [REF_COUNT_UNUSED, REF_COUNT_UNUSED, REF_COUNT_UNUSED],
      [2 * P, 3 * P, 4 * P],
      0,
    ]);
    expect(l.violations).toEqual([]);
  });

  it('from_unused errors: NotAligned, OutOfBound, and an empty range aborts as the spec allows', () => {
    const { l, s } = make();
    expect(s.fromUnused({ start: P + 8, end: 2 * P }, meta)).toBe('NotAligned');
    expect(s.fromUnused({ start: 0, end: 0x10_0000 + P }, meta)).toBe('OutOfBound');
    expect(() => s.fromUnused({ start: 3 * P, end: 3 * P }, meta)).toThrow(KernelAbort);
    expect(l.violations).toEqual([]);
  });

  it('a refusal part-way rolls back: claimed frames unused again and deallocated, the failing frame untouched', () => {
    const { l, s, deallocated } = make();
    const f = l.fromUnused(4 * P, K);
    expect(s.fromUnused({ start: 2 * P, end: 6 * P }, meta)).toBe('InUse');
    expect(rcs(l, 2, 3, 4, 5)).toEqual([REF_COUNT_UNUSED, REF_COUNT_UNUSED, 1n, REF_COUNT_UNUSED]);
    expect([deallocated, l.ghost.frameObligations.len, slotOwner(l.ghost, 2).usage]).toEqual([
      [2 * P, 3 * P],
      1,
      'Frame',
    ]);
    expect(typeof f).toBe('object');
    expect(l.violations).toEqual([]);
  });

  it('clone and slice add references (the checked layer mints their entries); every segment can be dropped', () => {
    const { l, s, deallocated } = make();
    const a = seg(s.fromUnused({ start: 2 * P, end: 6 * P }, meta));
    const b = s.clone(a);
    const c = s.slice(a, { start: P, end: 3 * P });
    expect([s.rangeOf(c), rcs(l, 2, 3, 4, 5)]).toEqual([{ start: 3 * P, end: 5 * P }, [2n, 3n, 3n, 2n]]);
    s.drop(a);
    s.drop(b);
    expect([rcs(l, 3, 4), deallocated]).toEqual([
      [1n, 1n],
      [2 * P, 5 * P],
    ]);
    s.drop(c);
    expect([deallocated.length, l.ghost.frameObligations.len]).toEqual([4, 0]);
    expect(l.violations).toEqual([]);
  });

  it('split moves the references into two halves; next yields frames the caller drops', () => {
    const { l, s, deallocated } = make();
    const [a, b] = s.split(seg(s.fromUnused({ start: 2 * P, end: 6 * P }, meta)), P);
    expect([s.rangeOf(a), s.rangeOf(b)]).toEqual([
      { start: 2 * P, end: 3 * P },
      { start: 3 * P, end: 6 * P },
    ]);
    const f = s.next(b)!;
    expect([f.slot, s.rangeOf(b), l.store.handles.get(3 * P)]).toEqual([3, { start: 4 * P, end: 6 * P }, 1]);
    expect(l.drop(f)).toBe(true);
    expect([...s.frames(b)].map((h) => h.slot)).toEqual([4, 5]);
    expect(s.next(b)).toBe(undefined);
    s.drop(b);
    s.drop(a);
    expect(deallocated).toEqual([3 * P, 2 * P]);
    expect(l.violations).toEqual([]);
  });

  it('into_raw forgets the segment (its references count as raw); from_raw restores it', () => {
    const { l, s } = make();
    const raw = s.intoRaw(seg(s.fromUnused({ start: 2 * P, end: 4 * P }, meta)));
    expect([raw.range, l.store.ptes.get(2 * P), l.liveSegments.size, rcs(l, 2, 3)]).toEqual([
      { start: 2 * P, end: 4 * P },
      1,
      0,
      [1n, 1n],
    ]);
    const h = s.fromRaw(raw.range, raw.owner);
    expect([l.store.ptes.get(2 * P), s.rangeOf(h)]).toEqual([undefined, raw.range]);
    s.drop(h);
    expect(l.violations).toEqual([]);
  });

  it('split and slice with bad offsets abort, as the spec allows; huge offsets never form a wrapped address', () => {
    const { l, s } = make();
    const a = seg(s.fromUnused({ start: 3 * P, end: 5 * P }, meta));
    expect(() => s.split(seg(s.clone(a)), 2 * P)).toThrow(KernelAbort);
    expect(() => s.slice(a, { start: 2 ** 64 - 2 * P, end: 2 ** 64 - P })).toThrow(KernelAbort);
    expect(() => s.slice(a, { start: P, end: 3 * P })).toThrow(KernelAbort);
    expect(rcs(l, 1, 3, 4)).toEqual([REF_COUNT_UNUSED, 2n, 2n]);
    expect(l.violations).toEqual([]);
  });
});

describe('a broken requires clause blames the caller', () => {
  it('a segment used after it was moved: a linearity violation, and no call', () => {
    const { l, s } = make();
    const a = seg(s.fromUnused({ start: 2 * P, end: 3 * P }, meta));
    s.drop(a);
    expect(() => s.drop(a)).toThrow(/moved/);
    expect(() => s.next(a)).toThrow(/moved/);
    expect(blamed(l.violations)).toEqual([
      ['Segment::drop.linearity', 'caller'],
      ['Segment::next.linearity', 'caller'],
    ]);
  });

  it('from_raw of a range that was never a segment, of a range beyond MAX_PADDR, or with another owner', () => {
    const { l, s } = make();
    s.fromRaw({ start: 2 * P, end: 3 * P });
    expect(blamed(l.violations)).toEqual([['Segment::from_raw.requires.relate_regions', 'caller']]);
    const raw = s.intoRaw(seg(s.fromUnused({ start: 2 * P, end: 4 * P }, meta)));
    l.checker.violations.length = 0;
    s.fromRaw({ start: 2 * P, end: 3 * P }, raw.owner);
    s.fromRaw({ start: 0x10_0000, end: 0x10_0000 + P });
    expect(blamed(l.violations)).toEqual([
      ['Segment::from_raw.requires.range_owner', 'caller'],
      ['Segment::from_raw.requires.owner_inv', 'caller'],
      ['Segment::from_raw.requires.relate_regions', 'caller'],
    ]);
  });

  it('a ledger whose entries a caller redeemed: every op on the segment fails relate_regions.obligation', () => {
    const { l, s } = make();
    const a = seg(s.fromUnused({ start: 2 * P, end: 5 * P }, meta));
    l.ghost = withLedger(l.ghost, l.ghost.frameObligations.redeem(4));
    s.next(a);
    s.split(a, P);
    expect(blamed(l.violations)).toEqual([
      ['Segment::next.requires.relate_regions.obligation', 'caller'],
      ['Segment::split.requires.relate_regions.obligation', 'caller'],
    ]);
  });

  it('clone of a segment whose count would reach REF_COUNT_MAX; from_unused with a negative start', () => {
    const { l, s } = make({ refCountMax: 4n });
    const a = seg(s.fromUnused({ start: 2 * P, end: 3 * P }, meta));
    s.clone(a);
    s.clone(a);
    expect(names(l.violations)).toEqual([]);
    expect(() => s.clone(a)).not.toThrow();
    expect(blamed(l.violations)).toEqual([['Segment::clone.requires.rc_below_max', 'caller']]);
    s.fromUnused({ start: -P, end: P }, meta);
    expect(names(l.violations).at(-1)).toBe('Segment::from_unused.requires.range_usize');
  });
});

describe('weak spots of the seed contract, shown on the checked layer', () => {
  it('from_raw twice for one forgotten segment: no requires objects; the accounting equation catches it', () => {
    const { l, s } = make();
    const raw = s.intoRaw(seg(s.fromUnused({ start: 2 * P, end: 3 * P }, meta)));
    s.fromRaw(raw.range, raw.owner);
    s.fromRaw(raw.range, raw.owner);
    expect(blamed(l.violations)).toEqual([['accounting.rc_equation', 'implementation']]);
    expect(l.violations[0]!.values).toMatchObject({
      expected: 'rc == 2 (handles 0, uniques 0, mappings 0, segments 2)',
      actual: 'rc == 1',
    });
  });
});

describe('a broken ensures clause blames the implementation', () => {
  it('a clone that adds 2 passes every vostd clause of Segment::clone; upstream rc_inc and the accounting catch it', () => {
    // Segment::clone takes each frame's reference with inc_frame_ref_count, as upstream does
    class CloneAddsTwo extends FrameLayer {
      override incFrameRefCount(paddr: number) {
        super.incFrameRefCount(paddr);
        super.incFrameRefCount(paddr);
      }
    }
    const { l, s } = withLayer(CloneAddsTwo);
    s.clone(seg(s.fromUnused({ start: 2 * P, end: 3 * P }, meta)));
    expect(names(l.violations)).toEqual([
      'Segment::clone.ensures.rc_inc',
      'Segment::clone.refinement',
      'accounting.rc_equation',
    ]);
    expect(origins(segmentClone as never, l.violations)).toEqual(['upstream']);
  });

  it('a drop that keeps the frames passes vostd drop (only inv); upstream clauses catch it', () => {
    class DropKeeps extends FrameLayer {
      override drop() {
        return false;
      }
    }
    const { l, s } = withLayer(DropKeeps);
    s.drop(seg(s.fromUnused({ start: 2 * P, end: 3 * P }, meta)));
    expect(names(l.violations)).toEqual([
      'Segment::drop.ensures.rc_dec',
      'Segment::drop.ensures.dealloc',
      'Segment::drop.refinement',
      'accounting.shared_active',
    ]);
    expect(origins(segmentDrop as never, l.violations)).toEqual(['upstream', 'upstream']);
  });

  it('a partial construction that is not rolled back (drop does nothing) breaks the rollback clauses', () => {
    class DropKeeps extends FrameLayer {
      override drop() {
        return false;
      }
    }
    const { l, s } = withLayer(DropKeeps);
    l.fromUnused(3 * P, K);
    expect(s.fromUnused({ start: 2 * P, end: 4 * P }, meta)).toBe('InUse');
    expect(names(l.violations)).toEqual([
      'Segment::from_unused.ensures.err_rollback',
      'Segment::from_unused.ensures.rollback_dealloc',
      'Segment::from_unused.refinement',
      'accounting.shared_active',
    ]);
  });

  it('a claim that reports InUse for a free frame breaks err_kind', () => {
    class RefusesFrame3 extends FrameLayer {
      override fromUnused(...a: Parameters<FrameLayer['fromUnused']>) {
        return a[0] === 3 * P ? 'InUse' : super.fromUnused(...a);
      }
    }
    const { l, s } = withLayer(RefusesFrame3);
    expect(s.fromUnused({ start: 2 * P, end: 4 * P }, meta)).toBe('InUse');
    expect(names(l.violations)).toEqual([
      'Segment::from_unused.ensures.err_kind',
      'Segment::from_unused.ensures.rollback_dealloc',
      'Segment::from_unused.refinement',
    ]);
  });

  it('a slice with the asterinas#3165 overflow (offsets added before the check, wrapping at 2^64)', () => {
    vi.spyOn(Segment.prototype, 'slice').mockImplementation(function (this: Segment, range) {
      const wrap = (x: number) => Number(BigInt.asUintN(64, BigInt(this.startPaddr) + BigInt(x)));
      const [start, end] = [wrap(range.start), wrap(range.end)];
      if (!(start <= end && end <= this.endPaddr)) throw new Error('unreachable in this test');
      for (let p = start; p < end; p += P) this.layer.clone(p / P);
      return Reflect.construct(Segment, [this.layer, start, end]) as Segment;
    });
    const { l, s } = make({ accounting: false });
    l.fromUnused(P, K);
    const a = seg(s.fromUnused({ start: 3 * P, end: 5 * P }, meta));
    s.slice(a, { start: 2 ** 64 - 2 * P, end: 2 ** 64 - P });
    expect(names(l.violations)).toEqual([
      'Segment::slice.ensures.within',
      'Segment::slice.ensures.r_start',
      'Segment::slice.ensures.r_end',
      'Segment::slice.ensures.rc_inc',
      'Segment::slice.ensures.aborts_exactly',
    ]);
    expect(origins(segmentSlice as never, l.violations)).toEqual(['vostd', 'vostd', 'vostd', 'upstream', 'upstream']);
  });

  it('an iterator that skips a frame breaks next', () => {
    vi.spyOn(Segment.prototype, Symbol.iterator).mockImplementation(function* (this: Segment) {
      yield this.startPaddr / P + 1;
    });
    const { l, s } = make({ accounting: false });
    s.next(seg(s.fromUnused({ start: 2 * P, end: 4 * P }, meta)));
    expect(names(l.violations)).toEqual([
      'Segment::next.ensures.some_advance',
      'Segment::next.ensures.some_paddr',
      'Segment::next.refinement',
    ]);
    expect(new Set(l.violations.map((v) => v.blame))).toEqual(new Set(['implementation']));
  });
});
