/**
 * vostd HEAD's `Segment` contracts: `next` (the ghost transition) meets every HEAD ensures from a state
 * the requires accept, and each clause HEAD changed or added is false on a wrong state, result or caller.
 * The same clauses on the real implementation's calls: `src/contract/CheckedFrameLayer.head.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { failingEnsures, failingRequires, runSpec } from '../../test/specRun.ts';
import type { OpSpec } from '../Op.ts';
import { extractSlotPerm, initialRegion, slotOwner, withLedger, withSlotOwner } from '../meta/MetaRegionOwners.ts';
import type { MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { paddrRange, segmentWithOwner } from '../frame/SegmentOwner.ts';
import { REWORD_PROBLEMS } from './reword.ts';
import {
  headInvariants,
  headRelateRegionsAt,
  headSegmentClone,
  headSegmentDrop,
  headSegmentFromRaw,
  headSegmentFromUnused,
  headSegmentIntoRaw,
  headSegmentNext,
  headSegmentSlice,
  headSegmentSplit,
  HEAD_SEGMENT_OPS,
} from './Segment.ts';

const P = PAGE_SIZE;
const p = modelParams({ maxPaddr: 16 * P, refCountMax: 8n });
const K: MetaSlotStorage = { type: 'KernelMeta', fields: {} };
const metadataFn = () => K;
const r0 = initialRegion(p);
type Any = OpSpec<never, never, never>;
const run = <S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A) => runSpec(spec, old, args, p);

/** A region holding a segment over frames `a..b`, built by HEAD's `from_unused`. */
function built(a: number, b: number) {
  const c = run(headSegmentFromUnused, r0, { range: paddrRange(a * P, b * P), metadataFn });
  if (!c.result.ok) throw new Error(c.result.error);
  return { s: c.final, seg: c.result.value };
}

describe('the HEAD Segment table', () => {
  it('is built from the seed ops without an untranslated clause', () => {
    expect(REWORD_PROBLEMS).toEqual([]);
  });

  it('every op: from a state its requires accept, next meets every ensures', () => {
    const { s, seg } = built(2, 5);
    const cases: [Any, unknown, unknown][] = [
      [headSegmentFromUnused as Any, r0, { range: paddrRange(2 * P, 5 * P), metadataFn }],
      [headSegmentFromUnused as Any, s, { range: paddrRange(4 * P, 6 * P), metadataFn }],
      [headSegmentFromRaw as Any, s, { range: seg.segment.range, owner: seg.owner }],
      [headSegmentSplit as Any, s, { ...seg, offset: P }],
      [headSegmentSlice as Any, s, { ...seg, range: paddrRange(P, 3 * P) }],
      [headSegmentClone as Any, s, { segment: seg.segment }],
      [headSegmentIntoRaw as Any, s, seg],
      [headSegmentNext as Any, s, seg],
      [headSegmentDrop as Any, s, seg],
    ];
    for (const [spec, old, args] of cases) {
      const pre = { old, args, p } as never;
      expect(failingRequires(spec, pre), spec.name).toEqual([]);
      expect(clausesBrokenByNext(spec, pre), spec.name).toEqual([]);
    }
    // `next` on an exhausted segment: None, the range unchanged.
    const empty = segmentWithOwner(5 * P, 5 * P);
    expect(clausesBrokenByNext(headSegmentNext, { old: s, args: empty, p })).toEqual([]);
    expect(new Set(cases.map(([x]) => x.name)).size).toBe(HEAD_SEGMENT_OPS.length);
  });

  it('keeps no owner clause: HEAD has no SegmentOwner', () => {
    for (const spec of HEAD_SEGMENT_OPS)
      for (const c of [...spec.requires, ...spec.ensures]) {
        expect(c.name, c.name).not.toMatch(/\.(wf|owner_inv|range_owner|owner)$/);
        expect(c.verus, c.name).not.toContain('&owner');
      }
  });
});

describe('clauses HEAD changed or added, each made false', () => {
  it('from_unused.ok_invariants: the new segment relates to the region (the seed left it out); a missing mint breaks it', () => {
    const c = run(headSegmentFromUnused, r0, { range: paddrRange(2 * P, 4 * P), metadataFn });
    const noMint = { ...c, final: withLedger(c.final, c.old.frameObligations) };
    expect(failingEnsures(headSegmentFromUnused, noMint)).toEqual([
      'Segment::from_unused.ensures.ok_obligations',
      'Segment::from_unused.ensures.ok_invariants',
    ]);
  });

  it('from_unused.ok_contains: final(regions).contains(idx) needs both maps; ok_range: an Ok over an empty range', () => {
    const c = run(headSegmentFromUnused, r0, { range: paddrRange(2 * P, 4 * P), metadataFn });
    const extracted = { ...c, final: extractSlotPerm(c.final, 3) };
    expect(failingEnsures(headSegmentFromUnused, extracted)).toEqual(
      expect.arrayContaining([
        'Segment::from_unused.ensures.ok_contains',
        'Segment::from_unused.ensures.ok_invariants',
      ]),
    );
    const emptyOk = {
      old: r0,
      args: { range: paddrRange(3 * P, 3 * P), metadataFn },
      p,
      final: r0,
      result: { ok: true as const, value: segmentWithOwner(3 * P, 3 * P), dealloc: [] },
    };
    expect(failingEnsures(headSegmentFromUnused, emptyOk)).toContain('Segment::from_unused.ensures.ok_range');
  });

  it("from_raw: the rebuilt segment's invariants are required (a range never forgotten has no ledger entries) and ensured", () => {
    const { s, seg } = built(2, 4);
    const args = { range: paddrRange(2 * P, 5 * P), owner: seg.owner };
    // Frame 4 is unused: no ledger entry, count REF_COUNT_UNUSED (above REF_COUNT_MAX), usage not Frame.
    expect(failingRequires(headSegmentFromRaw, { old: s, args, p })).toEqual([
      'Segment::from_raw.requires.relate_regions.obligation',
      'Segment::from_raw.requires.relate_regions.rc_le_max',
      'Segment::from_raw.requires.relate_regions.usage_frame',
    ]);
    const c = run(headSegmentFromRaw, s, { range: seg.segment.range, owner: seg.owner });
    const wider = { ...c, result: { range: paddrRange(2 * P, 5 * P) } };
    expect(failingEnsures(headSegmentFromRaw, wider)).toEqual([
      'Segment::from_raw.ensures.range',
      'Segment::from_raw.ensures.r_invariants',
    ]);
  });

  it('relate_regions.slot_vaddr: a slot whose slot_vaddr moved breaks the invariants of drop', () => {
    const { s, seg } = built(2, 4);
    const moved = withSlotOwner(s, 3, { ...slotOwner(s, 3), selfAddr: slotOwner(s, 3).selfAddr + 64n });
    expect(headRelateRegionsAt(moved, 3).slot_vaddr).toBe(false);
    expect(failingRequires(headSegmentDrop, { old: moved, args: seg, p })).toEqual(
      expect.arrayContaining(['Segment::drop.requires.relate_regions.slot_vaddr']),
    );
    expect(failingRequires(headSegmentDrop, { old: extractSlotPerm(s, 3), args: seg, p })).toEqual(
      expect.arrayContaining(['Segment::drop.requires.relate_regions.contains']),
    );
  });

  it("split: each half's invariants over the final region; a half reaching past the segment breaks them", () => {
    const { s, seg } = built(2, 5);
    const c = run(headSegmentSplit, s, { ...seg, offset: P });
    const bad = { ...c, result: [c.result[0], segmentWithOwner(3 * P, 6 * P)] as const };
    expect(failingEnsures(headSegmentSplit, bad)).toEqual([
      'Segment::split.ensures.split_spec',
      'Segment::split.ensures.right_invariants',
    ]);
  });

  it('clone: perm.contains(idx) needs both maps', () => {
    const { s, seg } = built(2, 4);
    expect(
      failingRequires(headSegmentClone, { old: extractSlotPerm(s, 2), args: { segment: seg.segment }, p }),
    ).toEqual(expect.arrayContaining(['Segment::clone.requires.contains']));
  });

  it('next: None leaves the range alone; end_kept; the remaining segment relates to the region', () => {
    const { s } = built(2, 4);
    const empty = segmentWithOwner(4 * P, 4 * P);
    const c = run(headSegmentNext, s, empty);
    const movedNone = { ...c, result: { ...c.result, ...segmentWithOwner(5 * P, 5 * P) } };
    expect(failingEnsures(headSegmentNext, movedNone)).toEqual(
      expect.arrayContaining(['Segment::next.ensures.none_unchanged', 'Segment::next.ensures.end_kept']),
    );
    const seg = segmentWithOwner(2 * P, 4 * P);
    const d = run(headSegmentNext, s, seg);
    expect(headInvariants(d.result.segment, d.final)).toBe(true);
    // A step that redeems the remaining frame's ledger entry: the rest no longer relates to the region.
    const lost = { ...d, final: withLedger(d.final, d.final.frameObligations.redeem(3)) };
    expect(failingEnsures(headSegmentNext, lost)).toEqual(
      expect.arrayContaining(['Segment::next.ensures.final_invariants']),
    );
    // HEAD says nothing of the yielded frame but its address: a wrong obligation token breaks no HEAD clause.
    const wrongObl = { ...d, result: { ...d.result, item: { ...d.result.item!, obl: 9 } } };
    expect(failingEnsures(headSegmentNext, wrongObl)).toEqual([]);
  });

  it('slice, into_raw: HEAD inv() over the final region; a UNIQUE count in the segment breaks it', () => {
    const { s, seg } = built(2, 4);
    const c = run(headSegmentSlice, s, { ...seg, range: paddrRange(0, P) });
    const o = slotOwner(c.final, 2);
    const unique = withSlotOwner(c.final, 2, {
      ...o,
      innerPerms: { ...o.innerPerms, refCount: { ...o.innerPerms.refCount, value: p.refCountUnique! } },
      pathsInPt: new Set(['pt0']) as never,
    });
    expect(failingEnsures(headSegmentSlice, { ...c, final: unique })).toContain('Segment::slice.ensures.final_inv');
    const ir = run(headSegmentIntoRaw, s, seg);
    expect(failingEnsures(headSegmentIntoRaw, { ...ir, final: unique })).toEqual(
      expect.arrayContaining(['Segment::into_raw.ensures.final_inv', 'Segment::into_raw.ensures.regions_unchanged']),
    );
  });
});
