import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import type { OpSpec } from '../Op.ts';
import {
  initialRegion,
  refCountAt,
  slotsChanged,
  withLedger,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { FRAME_METADATA_RANGE, modelParams, PAGE_SIZE, REF_COUNT_UNUSED } from '../vocab.ts';
import {
  claimError,
  frameAt,
  frameClone,
  frameDrop,
  frameFromInUse,
  frameFromRaw,
  frameFromUnused,
  frameInv,
  frameIntoRaw,
  indexOf,
  invWithRegions,
  paddrOf,
} from './Frame.ts';
import { maxNrPages } from './regionFacts.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });
const P = 3 * PAGE_SIZE;
const K = { type: 'KernelMeta', fields: {} };
const r0 = initialRegion(p);

/** The final state of a `next` that must return. */
function after<S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A): { s: S; r: R } {
  const out = spec.next({ old, args, p });
  if (out.kind !== 'return') throw new Error(`${spec.name} panicked`);
  return { s: out.final, r: out.result };
}
const failing = <S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A) =>
  spec.requires.filter((c) => !c.holds({ old, args, p })).map((c) => c.name);
const claimed = (r: MetaRegionOwners = r0) => after(frameFromUnused, r, { paddr: P, metadata: K }).s;

describe('Frame predicates', () => {
  it('Frame::inv: a 64-aligned slot address among the first MAX_NR_PAGES slots', () => {
    expect(maxNrPages(p)).toBe(16);
    expect(frameInv(frameAt(15 * PAGE_SIZE), p)).toBe(true);
    expect(frameInv(frameAt(16 * PAGE_SIZE), p)).toBe(false);
    expect(frameInv({ ptr: FRAME_METADATA_RANGE.start + 8n }, p)).toBe(false);
    expect(frameInv({ ptr: FRAME_METADATA_RANGE.start - 64n }, p)).toBe(false);
    expect([paddrOf(frameAt(P)), indexOf(frameAt(P))]).toEqual([P, 3]);
  });

  it('inv_with_regions holds exactly for a shared slot', () => {
    const f = frameAt(P);
    expect(
      Object.entries(invWithRegions(f, r0))
        .filter(([, v]) => !v)
        .map(([k]) => k),
    ).toEqual(['rc_not_unused', 'rc_le_max']);
    expect(Object.values(invWithRegions(f, claimed())).every(Boolean)).toBe(true);
  });

  it('claimError: alignment, then bound, then the observed count', () => {
    expect([
      claimError(r0, P + 1),
      claimError(r0, 16 * PAGE_SIZE),
      claimError(claimed(), P),
      claimError(r0, P),
    ]).toEqual(['NotAligned', 'OutOfBound', 'InUse', '(none)']);
  });
});

describe('Frame op specs', () => {
  it('from_unused: Ok claims count 1, re-parks the slot permission and mints; Err changes nothing', () => {
    const { s, r } = after(frameFromUnused, r0, { paddr: P, metadata: K });
    expect([r.ok, refCountAt(s, 3), s.frameObligations.count(3), slotsChanged(r0, s)]).toEqual([true, 1n, 1, []]);
    const again = after(frameFromUnused, s, { paddr: P, metadata: K });
    expect([again.r.ok, again.s]).toEqual([false, s]);
  });

  it('from_unused without the mint breaks the ledger clause', () => {
    const noMint: typeof frameFromUnused = {
      ...frameFromUnused,
      next: (c) => {
        const out = frameFromUnused.next(c);
        return out.kind === 'return' ? { ...out, final: withLedger(out.final, c.old.frameObligations) } : out;
      },
    };
    expect(clausesBrokenByNext(noMint, { old: r0, args: { paddr: P, metadata: K }, p })).toEqual([
      'Frame::from_unused.ensures.ok_obligations',
    ]);
  });

  it('from_in_use, clone, into_raw, from_raw and drop move the count and the ledger as §9 says', () => {
    const f = { frame: frameAt(P) };
    const a = after(frameFromInUse, claimed(), { paddr: P }).s;
    const b = after(frameClone, a, f).s;
    const c = after(frameIntoRaw, b, f).s;
    const d = after(frameFromRaw, c, { paddr: P }).s;
    expect([a, b, c, d].map((s) => [refCountAt(s, 3), s.frameObligations.count(3)])).toEqual([
      [2n, 2],
      [3n, 3],
      [3n, 2],
      [3n, 3],
    ]);
    const dropped = after(frameDrop, d, { frame: f.frame, obl: 3 });
    expect([refCountAt(dropped.s, 3), dropped.r]).toEqual([2n, { last: false, rcWrites: [2n], dealloc: [] }]);
  });

  it('the last drop tears down through 0 and deallocates', () => {
    const { s, r } = after(frameDrop, claimed(), { frame: frameAt(P), obl: 3 });
    expect([refCountAt(s, 3), s.frameObligations.len, r]).toEqual([
      REF_COUNT_UNUSED,
      0,
      { last: true, rcWrites: [0n, REF_COUNT_UNUSED], dealloc: [P] },
    ]);
  });

  it('requires clauses name what the caller got wrong', () => {
    expect(failing(frameDrop, claimed(), { frame: frameAt(P), obl: 4 })).toEqual([
      'Frame::drop.requires.obligation',
      'Frame::drop.requires.obl_key',
    ]);
    expect(failing(frameClone, r0, { frame: frameAt(P) })).toEqual(['Frame::clone.requires.rc_not_unused']);
    expect(failing(frameIntoRaw, withLedger(claimed(), r0.frameObligations), { frame: frameAt(P) })).toEqual([
      'Frame::into_raw.requires.obligation',
    ]);
    expect(failing(frameFromRaw, claimed(), { paddr: P })).toEqual(['Frame::from_raw.requires.forgotten_reference']);
    expect(failing(frameFromRaw, r0, { paddr: 20 * PAGE_SIZE })).toContain('Frame::from_raw.requires.safe_slot');
  });

  it('clone at REF_COUNT_MAX may panic, and next panics', () => {
    const q = modelParams({ maxPaddr: 16 * PAGE_SIZE, refCountMax: 1n });
    const old = initialRegion(q);
    const s = frameFromUnused.next({ old, args: { paddr: P, metadata: K }, p: q });
    if (s.kind !== 'return') throw new Error('claim panicked');
    const pre = { old: s.final, args: { frame: frameAt(P) }, p: q };
    expect([frameClone.mayPanic.holds(pre), frameClone.next(pre).kind]).toEqual([true, 'panic']);
  });
});
