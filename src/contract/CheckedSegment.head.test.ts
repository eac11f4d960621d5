/**
 * vostd HEAD's `Segment` clauses (`spec/head/Segment.ts`) on the real implementation's calls: the
 * checked segment layer under `--spec head` runs HEAD's table, true for the real `Segment` and false for
 * a wrong implementation or a wrong caller.
 */
import { describe, expect, it } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { withLedger } from '../../spec/meta/MetaRegionOwners.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from './CheckedFrameLayer.ts';
import { CheckedSegment, type SegmentHandle } from './CheckedSegment.ts';
import type { Violation } from './report.ts';

const P = 0x1000;
const K = unit(KernelMeta);
const meta = () => K;

function make(opts: Partial<CheckedFrameOptions> = {}, spec: 'seed' | 'head' = 'head') {
  const deallocated: number[] = [];
  const l = new CheckedFrameLayer({
    maxPaddr: 0x10_0000,
    mode: 'collect',
    allocator: { dealloc: (p) => deallocated.push(p) },
    spec,
    ...opts,
  });
  return { l, s: new CheckedSegment(l), deallocated };
}
const seg = (h: SegmentHandle | string): SegmentHandle => {
  if (typeof h === 'string') throw new Error(`expected a segment, got ${h}`);
  return h;
};
const blamed = (vs: readonly Violation[]) => vs.map((v) => [v.clause, v.blame]);
const withLayer = (Layer: new (...a: ConstructorParameters<typeof FrameLayer>) => FrameLayer) =>
  make({ makeLayer: (r, a) => new Layer(r, a) });

describe("HEAD's Segment clauses on the real Segment", () => {
  it('hold on from_unused, clone, slice, split, next, into_raw/from_raw and drop', () => {
    const { l, s, deallocated } = make();
    expect(l.spec).toBe('head');
    const a = seg(s.fromUnused({ start: 2 * P, end: 6 * P }, meta));
    const b = s.clone(a);
    const c = s.slice(a, { start: P, end: 3 * P });
    const [x, y] = s.split(a, P);
    const f = s.next(y)!;
    expect(l.drop(f)).toBe(false);
    const raw = s.intoRaw(y);
    const z = s.fromRaw(raw.range, raw.owner);
    for (const h of [b, c, x, z]) s.drop(h);
    expect([deallocated.length, l.ghost.frameObligations.len]).toEqual([4, 0]);
    expect(l.violations).toEqual([]);
  });

  it('from_raw of a range never forgotten breaks the conjuncts of HEAD invariants, by name', () => {
    const { l, s } = make();
    s.fromRaw({ start: 2 * P, end: 3 * P });
    expect(blamed(l.violations)).toEqual([
      ['Segment::from_raw.requires.relate_regions.obligation', 'caller'],
      ['Segment::from_raw.requires.relate_regions.rc_le_max', 'caller'],
      ['Segment::from_raw.requires.relate_regions.usage_frame', 'caller'],
    ]);
  });

  it('HEAD has no segment owner: an owner of another range is not checked (the seed blames range_owner)', () => {
    for (const spec of ['head', 'seed'] as const) {
      const { l, s } = make({}, spec);
      const raw = s.intoRaw(seg(s.fromUnused({ start: 2 * P, end: 4 * P }, meta)));
      s.fromRaw(raw.range, { range: { start: 2 * P, end: 3 * P } });
      expect(blamed(l.violations), spec).toEqual(
        spec === 'head' ? [] : [['Segment::from_raw.requires.range_owner', 'caller']],
      );
    }
  });

  it('a ledger entry a caller redeemed: drop fails HEAD relate_regions.obligation', () => {
    const { l, s } = make();
    const a = seg(s.fromUnused({ start: 2 * P, end: 4 * P }, meta));
    l.ghost = withLedger(l.ghost, l.ghost.frameObligations.redeem(3));
    expect(() => s.drop(a)).not.toThrow();
    expect(blamed(l.violations)[0]).toEqual(['Segment::drop.requires.relate_regions.obligation', 'caller']);
  });

  it('a clone that adds 2 and a drop that keeps the frames are caught by the same clauses as under the seed', () => {
    class CloneAddsTwo extends FrameLayer {
      override incFrameRefCount(paddr: number) {
        super.incFrameRefCount(paddr);
        super.incFrameRefCount(paddr);
      }
    }
    class DropKeeps extends FrameLayer {
      override drop() {
        return false;
      }
    }
    const one = withLayer(CloneAddsTwo);
    one.s.clone(seg(one.s.fromUnused({ start: 2 * P, end: 3 * P }, meta)));
    expect(one.l.violations.map((v) => v.clause)).toEqual([
      'Segment::clone.ensures.rc_inc',
      'Segment::clone.refinement',
      'accounting.rc_equation',
    ]);
    const two = withLayer(DropKeeps);
    two.s.drop(seg(two.s.fromUnused({ start: 2 * P, end: 3 * P }, meta)));
    expect(two.l.violations.map((v) => v.clause)).toEqual([
      'Segment::drop.ensures.rc_dec',
      'Segment::drop.ensures.dealloc',
      'Segment::drop.refinement',
      'accounting.shared_active',
    ]);
  });
});
