import { describe, expect, it } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, ReservedMemoryMeta, unit } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { frameFromUnique, uniqueTryFromShared } from '../../spec/frame/UniqueFrame.ts';
import type { Clause } from '../../spec/Op.ts';
import { refCountAt, slotOwner } from '../../spec/meta/MetaRegionOwners.ts';
import { REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../../spec/vocab.ts';
import type { FrameHandle, UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from './CheckedFrameLayer.ts';
import type { Violation } from './report.ts';

const K = unit(KernelMeta);
const R = unit(ReservedMemoryMeta);
const P = 0x3000;
const I = 3;

function make(opts: Partial<CheckedFrameOptions> = {}) {
  const deallocated: number[] = [];
  const l = new CheckedFrameLayer({
    maxPaddr: 0x10_0000,
    mode: 'collect',
    allocator: { dealloc: (p) => deallocated.push(p) },
    ...opts,
  });
  return { l, deallocated };
}
const frame = (h: FrameHandle | string): FrameHandle => {
  if (typeof h === 'string') throw new Error(`expected a frame, got ${h}`);
  return h;
};
const unique = (h: UniqueHandle | string): UniqueHandle => {
  if (typeof h === 'string') throw new Error(`expected a unique frame, got ${h}`);
  return h;
};
const names = (vs: readonly Violation[]) => vs.map((v) => v.clause);
const blames = (vs: readonly Violation[]) => [...new Set(vs.map((v) => v.blame))];
const forged = (slot: SlotPtr): FrameHandle => ({ kind: 'frame', id: -1, slot });

describe('Frame on the correct implementation', () => {
  it('from_unused claims a slot with count 1, usage Frame and one obligation', () => {
    const { l } = make();
    const h = frame(l.fromUnused(P, K));
    expect(h.slot).toBe(I);
    expect(refCountAt(l.ghost, I)).toBe(1n);
    expect(slotOwner(l.ghost, I).usage).toBe('Frame');
    expect(l.ghost.frameObligations.count(I)).toBe(1);
    expect(l.violations).toEqual([]);
  });

  it('from_unused reports every error of get_from_unused, changing nothing', () => {
    const { l } = make();
    expect(l.fromUnused(P + 1, K)).toBe('NotAligned');
    expect(l.fromUnused(0x10_0000, K)).toBe('OutOfBound');
    frame(l.fromUnused(P, K));
    expect(l.fromUnused(P, K)).toBe('InUse');
    unique(l.uniqueFromUnused(0x4000, K));
    expect(l.fromUnused(0x4000, K)).toBe('Unique');
    expect(l.ghost.frameObligations.len).toBe(2);
    expect(l.violations).toEqual([]);
  });

  it('from_unused and from_in_use see a slot at count 0 as Busy', () => {
    const { l } = make({ accounting: false });
    l.impl.mem.store(l.impl.refCountWord(I), 0n, Ordering.Relaxed);
    expect(l.fromUnused(P, K)).toBe('Busy');
    expect(l.fromInUse(P)).toBe('Busy');
    expect(l.violations).toEqual([]);
  });

  it('from_in_use adds a reference and an obligation; its errors name the observed count', () => {
    const { l } = make();
    expect(l.fromInUse(P)).toBe('Unused');
    const a = frame(l.fromUnused(P, K));
    const b = frame(l.fromInUse(P));
    expect(b.slot).toBe(a.slot);
    expect(refCountAt(l.ghost, I)).toBe(2n);
    expect(l.ghost.frameObligations.count(I)).toBe(2);
    unique(l.uniqueFromUnused(0x4000, K));
    expect(l.fromInUse(0x4000)).toBe('Unique');
    expect(l.fromInUse(P + 8)).toBe('NotAligned');
    expect(l.fromInUse(0x20_0000)).toBe('OutOfBound');
    expect(l.violations).toEqual([]);
  });

  it('clone adds a reference to the same frame; drop releases, the last one deallocates', () => {
    const { l, deallocated } = make();
    const a = frame(l.fromUnused(P, K));
    const b = l.clone(a);
    expect([b.slot, refCountAt(l.ghost, I), l.ghost.frameObligations.count(I)]).toEqual([I, 2n, 2]);
    expect(l.drop(a)).toBe(false);
    expect(deallocated).toEqual([]);
    expect(l.drop(b)).toBe(true);
    expect(deallocated).toEqual([P]);
    expect(refCountAt(l.ghost, I)).toBe(REF_COUNT_UNUSED);
    expect(l.ghost.frameObligations.len).toBe(0);
    expect(slotOwner(l.ghost, I).usage).toBe('Frame');
    expect(l.violations).toEqual([]);
  });

  it('clone at REF_COUNT_MAX aborts, which the spec allows', () => {
    const { l } = make({ refCountMax: 2n });
    const a = frame(l.fromUnused(P, K));
    l.clone(a);
    expect(() => l.clone(a)).toThrow(KernelAbort);
    expect(l.violations).toEqual([]);
  });

  it('into_raw forgets a handle (the count stays, the obligation goes); from_raw restores it', () => {
    const { l } = make();
    const a = frame(l.fromUnused(P, K));
    expect(l.intoRaw(a)).toBe(P);
    expect([refCountAt(l.ghost, I), l.ghost.frameObligations.count(I), l.store.ptes.get(P)]).toEqual([1n, 0, 1]);
    const b = l.fromRaw(P);
    expect([refCountAt(l.ghost, I), l.ghost.frameObligations.count(I), l.store.ptes.get(P)]).toEqual([
      1n,
      1,
      undefined,
    ]);
    expect(l.drop(b)).toBe(true);
    expect(l.violations).toEqual([]);
  });
});

describe('UniqueFrame on the correct implementation', () => {
  it('from_unused claims REF_COUNT_UNIQUE; meta and meta_mut read and write the metadata', () => {
    const { l } = make();
    const u = unique(l.uniqueFromUnused(P, K));
    expect(u.owner).toEqual({ metaOwn: { type: 'KernelMeta' }, slotIndex: I });
    expect(refCountAt(l.ghost, I)).toBe(REF_COUNT_UNIQUE);
    expect(l.meta(u)?.type.name).toBe('KernelMeta');
    l.metaMut(u, K);
    expect(l.uniqueFromUnused(0x5004, K)).toBe('NotAligned');
    expect(l.violations).toEqual([]);
  });

  it('into_shared makes a Frame with count 1; try_into_unique succeeds only for the sole reference', () => {
    const { l } = make();
    const f = l.intoShared(unique(l.uniqueFromUnused(P, K)));
    expect(refCountAt(l.ghost, I)).toBe(1n);
    const g = l.clone(f);
    const denied = l.tryIntoUnique(f);
    expect(denied).toEqual({ ok: false, frame: f });
    l.drop(g);
    const granted = l.tryIntoUnique(f);
    expect(granted.ok).toBe(true);
    expect(refCountAt(l.ghost, I)).toBe(REF_COUNT_UNIQUE);
    if (granted.ok) l.dropUnique(granted.unique);
    expect(l.ghost.frameObligations.len).toBe(0);
    expect(l.violations).toEqual([]);
  });

  it('drop deallocates; reset_as_unused does not, and vostd leaves its obligation on the ledger', () => {
    const { l, deallocated } = make();
    l.dropUnique(unique(l.uniqueFromUnused(P, K)));
    expect([refCountAt(l.ghost, I), deallocated, l.ghost.frameObligations.len]).toEqual([REF_COUNT_UNUSED, [P], 0]);
    l.resetAsUnused(unique(l.uniqueFromUnused(0x4000, K)));
    expect([refCountAt(l.ghost, 4), deallocated, l.ghost.frameObligations.count(4)]).toEqual([
      REF_COUNT_UNUSED,
      [P],
      1,
    ]);
    expect(l.violations).toEqual([]);
  });

  it('repurpose drops the old metadata and writes the new one under a new handle', () => {
    const { l } = make();
    const u = l.repurpose(unique(l.uniqueFromUnused(P, K)), R);
    expect(u.owner.metaOwn.type).toBe('ReservedMemoryMeta');
    expect(l.meta(u)?.type.name).toBe('ReservedMemoryMeta');
    expect(refCountAt(l.ghost, I)).toBe(REF_COUNT_UNIQUE);
    expect(l.violations).toEqual([]);
  });
});

describe('a broken requires clause blames the caller', () => {
  it("dropping with another frame's drop obligation", () => {
    const { l } = make();
    const a = frame(l.fromUnused(P, K));
    frame(l.fromUnused(0x4000, K));
    l.drop(a, { obl: 4 });
    expect(l.violations.filter((v) => v.kind === 'requires').map((v) => [v.clause, v.blame])).toEqual([
      ['Frame::drop.requires.obl_key', 'caller'],
    ]);
  });

  it('dropping a handle twice: a linearity violation, then the dead slot fails drop_requires', () => {
    const { l } = make();
    const a = frame(l.fromUnused(P, K));
    l.drop(a);
    l.drop(a);
    const caller = l.violations.filter((v) => v.blame === 'caller').map((v) => v.clause);
    expect(caller).toEqual([
      'Frame::drop.linearity',
      'Frame::drop.requires.rc_not_unused',
      'Frame::drop.requires.rc_le_max',
      'Frame::drop.requires.obligation',
    ]);
  });

  it('cloning a forged handle to an unused slot', () => {
    const { l } = make();
    expect(() => l.clone(forged(I))).toThrow(KernelAbort);
    expect(names(l.violations.filter((v) => v.kind === 'requires'))).toEqual(['Frame::clone.requires.rc_not_unused']);
    expect(blames(l.violations.filter((v) => v.kind === 'requires' || v.kind === 'linearity'))).toEqual(['caller']);
  });

  it('from_raw of a slot that was never used', () => {
    const { l } = make();
    l.fromRaw(P);
    expect(names(l.violations.filter((v) => v.kind === 'requires'))).toEqual([
      'Frame::from_raw.requires.rc_not_unused',
      'Frame::from_raw.requires.alive',
      'Frame::from_raw.requires.forgotten_reference',
    ]);
  });

  it('UniqueFrame::from_unused on a slot once used as a shared Frame: usage is sticky', () => {
    const { l } = make();
    l.drop(frame(l.fromUnused(P, K)));
    const u = unique(l.uniqueFromUnused(P, K));
    expect(refCountAt(l.ghost, I)).toBe(REF_COUNT_UNIQUE);
    expect(l.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['UniqueFrame::from_unused.requires.usage_unused', 'caller'],
    ]);
    expect(l.violations[0]!.values).toEqual({ usage: 'Frame', rc: REF_COUNT_UNUSED });
    l.dropUnique(u);
    expect(l.violations).toHaveLength(1);
  });

  it('a UniqueFrame op with an owner for another slot', () => {
    const { l } = make();
    const u = unique(l.uniqueFromUnused(P, K));
    l.meta({ ...u, owner: { metaOwn: u.owner.metaOwn, slotIndex: 4 } });
    const requires = l.violations.filter((v) => v.kind === 'requires');
    expect(names(requires)).toEqual([
      'UniqueFrame::meta.requires.wf',
      'UniqueFrame::meta.requires.global_inv.perm_init',
      'UniqueFrame::meta.requires.global_inv.metadata_wf',
      'UniqueFrame::meta.requires.global_inv.rc_unique',
      'UniqueFrame::meta.requires.global_inv.obligation',
    ]);
    expect(blames(requires)).toEqual(['caller']);
  });
});

/** Builds a layer whose `FrameLayer` is `Layer`, in collect mode. */
const withLayer = (Layer: new (...a: ConstructorParameters<typeof FrameLayer>) => FrameLayer) =>
  make({ makeLayer: (r, a) => new Layer(r, a) });

describe('a broken ensures clause blames the implementation', () => {
  it('a claim that publishes count 2', () => {
    class ClaimStoresTwo extends FrameLayer {
      override fromUnused(...a: Parameters<FrameLayer['fromUnused']>) {
        const r = super.fromUnused(...a);
        if (typeof r === 'number') this.region.mem.store(this.region.refCountWord(r), 2n, Ordering.Release);
        return r;
      }
    }
    const { l } = withLayer(ClaimStoresTwo);
    l.fromUnused(P, K);
    expect(names(l.violations)).toEqual([
      'Frame::from_unused.ensures.ok_spec',
      'Frame::from_unused.refinement',
      'accounting.rc_equation',
    ]);
    expect(blames(l.violations)).toEqual(['implementation']);
  });

  it('a clone that adds 2', () => {
    class CloneAddsTwo extends FrameLayer {
      override clone(slot: SlotPtr) {
        super.clone(slot);
        super.clone(slot);
      }
    }
    const { l } = withLayer(CloneAddsTwo);
    l.clone(frame(l.fromUnused(P, K)));
    expect(names(l.violations)).toEqual([
      'Frame::clone.ensures.rc_inc',
      'Frame::clone.refinement',
      'accounting.rc_equation',
    ]);
  });

  it('a last drop that forgets to deallocate breaks only the upstream clause (vostd never deallocates)', () => {
    class DropKeepsFrame extends FrameLayer {
      override drop(slot: SlotPtr) {
        const a = this.allocator;
        this.allocator = { dealloc: () => undefined };
        try {
          return super.drop(slot);
        } finally {
          this.allocator = a;
        }
      }
    }
    const { l } = withLayer(DropKeepsFrame);
    l.drop(frame(l.fromUnused(P, K)));
    expect(l.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['Frame::drop.ensures.last_dealloc', 'implementation'],
      ['Frame::drop.refinement', 'implementation'],
    ]);
  });

  it("a UniqueFrame drop done vostd's way (straight from UNIQUE, no deallocation) breaks only upstream clauses", () => {
    class VostdUniqueDrop extends FrameLayer {
      override dropUnique(slot: SlotPtr) {
        this.region.dropLastInPlace(slot);
      }
    }
    const { l } = withLayer(VostdUniqueDrop);
    l.dropUnique(unique(l.uniqueFromUnused(P, K)));
    expect(names(l.violations)).toEqual([
      'UniqueFrame::drop.ensures.through_zero',
      'UniqueFrame::drop.ensures.dealloc',
      'UniqueFrame::drop.refinement',
    ]);
  });

  it('reset_as_unused that deallocates', () => {
    class ResetDeallocates extends FrameLayer {
      override resetAsUnused(slot: SlotPtr) {
        super.resetAsUnused(slot);
        this.allocator.dealloc(slot * 4096, 4096);
      }
    }
    const { l } = withLayer(ResetDeallocates);
    l.resetAsUnused(unique(l.uniqueFromUnused(P, K)));
    expect(names(l.violations)).toEqual([
      'UniqueFrame::reset_as_unused.ensures.no_dealloc',
      'UniqueFrame::reset_as_unused.refinement',
    ]);
  });

  it('repurpose that keeps the old metadata', () => {
    class RepurposeKeeps extends FrameLayer {
      override repurpose() {}
    }
    const { l } = withLayer(RepurposeKeeps);
    l.repurpose(unique(l.uniqueFromUnused(P, K)), R);
    expect(names(l.violations)).toEqual([
      'UniqueFrame::repurpose.ensures.metadata',
      'UniqueFrame::repurpose.refinement',
    ]);
  });
});

describe('weak vostd postconditions: a wrong conversion passes every vostd clause', () => {
  /** The origins of the ensures clauses broken: vostd's own clauses all hold. */
  const ensuresOrigins = (spec: { ensures: readonly Clause<never>[] }, vs: readonly Violation[]) =>
    vs.filter((v) => v.kind === 'ensures').map((v) => spec.ensures.find((c) => c.name === v.clause)?.origin ?? 'vostd');

  it('from_unique storing count 2: only the upstream clause and the accounting catch it', () => {
    class IntoSharedStoresTwo extends FrameLayer {
      override intoShared(slot: SlotPtr) {
        this.region.mem.store(this.region.refCountWord(slot), 2n, Ordering.Release);
      }
    }
    const { l } = withLayer(IntoSharedStoresTwo);
    l.intoShared(unique(l.uniqueFromUnused(P, K)));
    expect(names(l.violations)).toEqual([
      'Frame::from_unique.ensures.rc_one',
      'Frame::from_unique.refinement',
      'accounting.rc_equation',
    ]);
    expect(ensuresOrigins(frameFromUnique, l.violations)).toEqual(['upstream']);
  });

  it('try_from_shared that takes a frame others still share: only upstream clauses and the accounting catch it', () => {
    class TryIntoUniqueNoCas extends FrameLayer {
      override tryIntoUnique(slot: SlotPtr) {
        this.region.mem.store(this.region.refCountWord(slot), this.region.REF_COUNT_UNIQUE, Ordering.Relaxed);
        return true;
      }
    }
    const { l } = withLayer(TryIntoUniqueNoCas);
    const f = frame(l.fromUnused(P, K));
    l.clone(f);
    l.tryIntoUnique(f);
    expect(names(l.violations)).toEqual([
      'UniqueFrame::try_from_shared.ensures.ok_iff_sole',
      'UniqueFrame::try_from_shared.refinement',
      'accounting.unique_exclusive',
    ]);
    expect(ensuresOrigins(uniqueTryFromShared, l.violations)).toEqual(['upstream']);
  });
});
