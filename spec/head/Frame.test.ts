/**
 * vostd HEAD's `Frame`/`FrameRef`/`inc_frame_ref_count` contracts: `next` (the ghost transition) meets
 * every HEAD ensures, and each clause HEAD changed or added is false on a wrong state, result or caller.
 * The same clauses on the real implementation's calls: `src/contract/CheckedFrameLayer.head.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { failingEnsures, failingRequires, runSpec } from '../../test/specRun.ts';
import type { OpSpec } from '../Op.ts';
import { extractSlotPerm, initialRegion, slotOwner, withLedger, withSlotOwner } from '../meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { permissionU64 } from '../meta/perms.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { frameAt, frameFromUnused } from '../frame/Frame.ts';
import {
  frameBorrow,
  frameReferenceCount,
  frameRefBorrowPaddr,
  headFrameClone,
  headFrameDrop,
  headFrameFromInUse,
  headFrameFromRaw,
  headFrameFromUnused,
  headFrameIntoRaw,
  headFromUnusedSpec,
  HEAD_FRAME_OPS,
  incFrameRefCount,
  wfWithRegion,
} from './Frame.ts';
import { REWORD_PROBLEMS } from './reword.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE, refCountMax: 4n });
const P = 3 * PAGE_SIZE;
const F = frameAt(P);
const K = { type: 'KernelMeta', fields: {} };
const r0 = initialRegion(p);

type Any = OpSpec<never, never, never>;
const run = <S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A) => runSpec(spec, old, args, p);
/** A region where frame P is shared with count `n` and `n` live handles on the ledger. */
function shared(n: bigint) {
  let r = run(headFrameFromUnused, r0, { paddr: P, metadata: K }).final;
  const o = slotOwner(r, 3);
  r = withSlotOwner(r, 3, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, n) }));
  let ledger = r.frameObligations;
  for (let i = 1n; i < n; i++) ledger = ledger.mint(3);
  return withLedger(r, ledger);
}

describe('the HEAD Frame table', () => {
  it('is built from the seed ops without an untranslated clause', () => {
    expect(REWORD_PROBLEMS).toEqual([]);
  });

  it('every op: from a state its requires accept, next meets every ensures', () => {
    const s2 = shared(2n);
    const cases: [Any, unknown, unknown][] = [
      [headFrameFromUnused as Any, r0, { paddr: P, metadata: K }],
      [headFrameFromInUse as Any, s2, { paddr: P }],
      [headFrameClone as Any, s2, { frame: F }],
      [headFrameDrop as Any, s2, { frame: F, obl: 3 }],
      [headFrameDrop as Any, shared(1n), { frame: F, obl: 3 }],
      [headFrameIntoRaw as Any, s2, { frame: F }],
      [frameBorrow as Any, s2, { frame: F }],
      [frameReferenceCount as Any, s2, { frame: F }],
      [incFrameRefCount as Any, s2, { paddr: P }],
      [frameRefBorrowPaddr as Any, s2, { paddr: P }],
    ];
    for (const [spec, old, args] of cases) {
      const pre = { old, args, p } as never;
      expect(failingRequires(spec, pre), spec.name).toEqual([]);
      expect(clausesBrokenByNext(spec, pre), spec.name).toEqual([]);
    }
    // from_raw restores a forgotten reference: count 2, one live handle.
    const forgot = run(headFrameIntoRaw, s2, { frame: F }).final;
    const pre = { old: forgot, args: { paddr: P }, p };
    expect(failingRequires(headFrameFromRaw, pre)).toEqual([]);
    expect(clausesBrokenByNext(headFrameFromRaw, pre)).toEqual([]);
    expect(new Set(cases.map(([s]) => s.name)).size + 1).toBe(HEAD_FRAME_OPS.length);
  });
});

describe('clauses HEAD changed or added, each made false', () => {
  it('from_unused.ok_spec: from_unused_spec mints the obligation in its equation', () => {
    const c = run(headFrameFromUnused, r0, { paddr: P, metadata: K });
    expect(headFromUnusedSpec(P, c.old, c.final).obligation_minted).toBe(true);
    const noMint = { ...c, final: withLedger(c.final, c.old.frameObligations) };
    expect(headFromUnusedSpec(P, noMint.old, noMint.final).obligation_minted).toBe(false);
    expect(failingEnsures(headFrameFromUnused, noMint)).toEqual(['Frame::from_unused.ensures.ok_spec']);
    // The seed's re-park clause is gone: HEAD's slot permissions never leave `regions.slots`.
    expect(headFrameFromUnused.ensures.map((e) => e.name)).not.toContain('Frame::from_unused.ensures.ok_reparked');
  });

  it("from_unused.requires.regions_inv is HEAD's inv(): a UNIQUE slot mapped in a page table breaks it", () => {
    const o = slotOwner(r0, 3);
    const bad = withSlotOwner(
      r0,
      3,
      withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, p.refCountUnique!), usage: 'Frame' }),
    );
    const mapped = withSlotOwner(bad, 3, { ...slotOwner(bad, 3), pathsInPt: new Set(['pt0']) as never });
    expect(failingRequires(headFrameFromUnused, { old: mapped, args: { paddr: P, metadata: K }, p })).toEqual([
      'Frame::from_unused.requires.regions_inv',
    ]);
  });

  it('clone: slot_vaddr kept, rc_inc; the seed-only membership requires are gone', () => {
    const c = run(headFrameClone, shared(2n), { frame: F });
    const moved = withSlotOwner(c.final, 3, {
      ...slotOwner(c.final, 3),
      selfAddr: slotOwner(c.final, 3).selfAddr + 64n,
    });
    expect(failingEnsures(headFrameClone, { ...c, final: moved })).toContain('Frame::clone.ensures.slot_vaddr');
    expect(failingEnsures(headFrameClone, { ...c, final: c.old })).toEqual(
      expect.arrayContaining(['Frame::clone.ensures.rc_inc', 'Frame::clone.ensures.obligations']),
    );
    const names = headFrameClone.requires.map((r) => r.name);
    expect(names).not.toContain('Frame::clone.requires.slots_contain');
    expect(names).toContain('Frame::clone.requires.valid_paddr');
  });

  it('drop: wf_with_region says s.contains(idx) (both maps); the obligation is counted at self.index()', () => {
    const s = shared(2n);
    const extracted = extractSlotPerm(s, 3);
    expect(wfWithRegion(F, extracted).contains).toBe(false);
    expect(failingRequires(headFrameDrop, { old: extracted, args: { frame: F, obl: 3 }, p })).toContain(
      'Frame::drop.requires.contains',
    );
    // An obligation token for another frame: obl_key fails; HEAD's count is of self.index(), which holds.
    const wrongObl = failingRequires(headFrameDrop, { old: s, args: { frame: F, obl: 4 }, p });
    expect(wrongObl).toEqual(['Frame::drop.requires.obl_key']);
    const noLedger = withLedger(s, s.frameObligations.redeem(3).redeem(3));
    expect(failingRequires(headFrameDrop, { old: noLedger, args: { frame: F, obl: 3 }, p })).toEqual([
      'Frame::drop.requires.obligation',
    ]);
  });

  it('from_raw: from_raw_requires_safety wants regions.contains(idx); others_slots, slot_vaddr in the result', () => {
    const forgot = run(headFrameIntoRaw, shared(2n), { frame: F }).final;
    const extracted = extractSlotPerm(forgot, 3);
    expect(failingRequires(headFrameFromRaw, { old: extracted, args: { paddr: P }, p })).toEqual(
      expect.arrayContaining(['Frame::from_raw.requires.contains', 'Frame::from_raw.requires.regions_contains']),
    );
    const c = run(headFrameFromRaw, forgot, { paddr: P });
    const wrongPtr = { ...c, result: { ...c.result, frame: frameAt(4 * PAGE_SIZE) } };
    expect(failingEnsures(headFrameFromRaw, wrongPtr)).toEqual(
      expect.arrayContaining(['Frame::from_raw.ensures.slot_vaddr', 'Frame::from_raw.ensures.ptr']),
    );
  });

  it('borrow and FrameRef::borrow_paddr leave the region as it was and point at the frame', () => {
    const s = shared(2n);
    const b = run(frameBorrow, s, { frame: F });
    expect(failingEnsures(frameBorrow, { ...b, result: { inner: frameAt(4 * PAGE_SIZE) } })).toEqual([
      'Frame::borrow.ensures.ptr',
    ]);
    const minted = withLedger(s, s.frameObligations.mint(3));
    expect(failingEnsures(frameBorrow, { ...b, final: minted })).toEqual(['Frame::borrow.ensures.unchanged']);
    expect(failingRequires(frameBorrow, { old: r0, args: { frame: F }, p })).toEqual(
      expect.arrayContaining(['Frame::borrow.requires.rc_not_unused', 'Frame::borrow.requires.rc_le_max']),
    );
    const bp = run(frameRefBorrowPaddr, s, { paddr: P });
    expect(failingEnsures(frameRefBorrowPaddr, { ...bp, final: minted })).toEqual([
      'FrameRef::borrow_paddr.ensures.obligations_unchanged',
    ]);
    expect(failingRequires(frameRefBorrowPaddr, { old: r0, args: { paddr: P }, p })).toEqual([
      'FrameRef::borrow_paddr.requires.rc_not_unused',
    ]);
  });

  it('reference_count returns slot_own.ref_count(), on a slot whose permission is in regions.slots', () => {
    const s = shared(2n);
    const c = run(frameReferenceCount, s, { frame: F });
    expect(c.result).toBe(2n);
    expect(failingEnsures(frameReferenceCount, { ...c, result: 1n })).toEqual([
      'Frame::reference_count.returns.ref_count',
    ]);
    expect(failingRequires(frameReferenceCount, { old: extractSlotPerm(s, 3), args: { frame: F }, p })).toEqual([
      'Frame::reference_count.requires.pptr',
      'Frame::reference_count.requires.is_init',
      'Frame::reference_count.requires.wf',
    ]);
  });

  it('inc_frame_ref_count: one more count, nothing else; may abort at REF_COUNT_MAX', () => {
    const c = run(incFrameRefCount, shared(2n), { paddr: P });
    expect(slotOwner(c.final, 3).innerPerms.refCount.value).toBe(3n);
    expect(failingEnsures(incFrameRefCount, { ...c, final: c.old })).toEqual(['inc_frame_ref_count.ensures.rc_inc']);
    const retyped = withSlotOwner(c.final, 3, { ...slotOwner(c.final, 3), usage: 'PageTable' });
    expect(failingEnsures(incFrameRefCount, { ...c, final: retyped })).toEqual(['inc_frame_ref_count.ensures.usage']);
    const atMax = { old: shared(4n), args: { paddr: P }, p };
    expect(incFrameRefCount.next(atMax).kind).toBe('panic');
    expect(incFrameRefCount.mayPanic.holds(atMax)).toBe(true);
    expect(failingRequires(incFrameRefCount, { old: r0, args: { paddr: P }, p })).toEqual([
      'inc_frame_ref_count.requires.rc_not_unused',
    ]);
    expect(failingRequires(incFrameRefCount, { old: r0, args: { paddr: P + 1 }, p })).toContain(
      'inc_frame_ref_count.requires.valid',
    );
  });

  it('the seed op the HEAD twin rewords is unchanged (the seed table still has its re-park clause)', () => {
    expect(frameFromUnused.ensures.map((e) => e.name)).toContain('Frame::from_unused.ensures.ok_reparked');
  });
});
