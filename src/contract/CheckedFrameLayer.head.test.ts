/**
 * vostd HEAD's `Frame`/`FrameRef`/`inc_frame_ref_count` clauses (`spec/head/Frame.ts`) on the real
 * implementation's calls: the ghost region before and after each call is the checked layer's view of
 * the real memory, and HEAD's clauses are evaluated on it, true for the real `FrameLayer` and false for
 * a wrong one or a wrong caller.
 */
import { describe, expect, it } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelMeta, MetaPageMeta, unit } from '../../impl/meta/frameMeta.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { GetFrameError, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { OpSpec } from '../../spec/Op.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import type { MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import { err, ok } from '../../spec/meta/results.ts';
import { modelParams } from '../../spec/vocab.ts';
import {
  frameBorrow,
  frameReferenceCount,
  headFrameClone,
  headFrameDrop,
  headFrameFromInUse,
  headFrameFromRaw,
  headFrameFromUnused,
  headFrameIntoRaw,
  incFrameRefCount,
} from '../../spec/head/Frame.ts';
import type { FrameHandle, UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { UniqueIntoRawDrops } from '../mutants/upstreamOpMutants.ts';
import { storageOf } from './view.ts';

const MAX = 16 * PAGE_SIZE;
const P = 3 * PAGE_SIZE;
const F = { ptr: metaAddr(3) };
type Layer = new (...a: ConstructorParameters<typeof FrameLayer>) => FrameLayer;
const make = (Impl: Layer = FrameLayer) =>
  new CheckedFrameLayer({ maxPaddr: MAX, mode: 'collect', refCountMax: 8n, makeLayer: (r, a) => new Impl(r, a) });
const params = (f: CheckedFrameLayer) => modelParams({ maxPaddr: MAX, refCountMax: f.impl.REF_COUNT_MAX });

/** Runs `call` on the real layer and evaluates `spec` on the views of memory before and after it. */
function onReal<A, R>(
  f: CheckedFrameLayer,
  spec: OpSpec<MetaRegionOwners, A, R>,
  args: A,
  call: () => R,
  only: (name: string) => boolean = () => true,
): { requires: string[]; ensures: string[] } {
  const fp = spec.footprint(args);
  f.refresh(fp);
  const old = f.ghost;
  const p = params(f);
  const requires = spec.requires.filter((c) => only(c.name) && !c.holds({ old, args, p })).map((c) => c.name);
  const result = call();
  f.refresh(fp);
  const post = { old, final: f.ghost, args, result, p };
  return { requires, ensures: spec.ensures.filter((c) => only(c.name) && !c.holds(post)).map((c) => c.name) };
}
const none = { requires: [], ensures: [] };
const K = unit(KernelMeta);
const slotOf = (h: FrameHandle | string): SlotPtr => (typeof h === 'string' ? -1 : h.slot);
/** The region clauses of `Frame::drop` (its upstream clauses speak of the teardown trace, not of the region). */
const regionClause = (n: string) => !/last_(iff_one|through_zero|dealloc)$/.test(n);

describe("HEAD's Frame clauses on the real FrameLayer", () => {
  it('hold on a claim, an acquire, clones, a borrow, a count read, into_raw/from_raw and drops', () => {
    const f = make();
    let h: FrameHandle | string = 'none';
    expect(
      onReal(f, headFrameFromUnused, { paddr: P, metadata: storageOf(K) }, () => {
        h = f.fromUnused(P, K) as FrameHandle;
        return ok(F);
      }),
    ).toEqual(none);
    expect(onReal(f, headFrameFromInUse, { paddr: P }, () => (f.fromInUse(P), ok(F)))).toEqual(none);
    expect(onReal(f, headFrameClone, { frame: F }, () => (f.clone(h as FrameHandle), F))).toEqual(none);
    expect(onReal(f, incFrameRefCount, { paddr: P }, () => void f.layer.incFrameRefCount(P))).toEqual(none);
    // The reference inc_frame_ref_count counted belongs to no checked handle: give it back, unchecked.
    f.layer.drop(3);
    expect(onReal(f, frameBorrow, { frame: F }, () => ({ inner: { ptr: metaAddr(f.layer.borrow(3).slot) } }))).toEqual(
      none,
    );
    expect(onReal(f, frameReferenceCount, { frame: F }, () => f.layer.referenceCount(slotOf(h)))).toEqual(none);
    const raw = onReal(f, headFrameIntoRaw, { frame: F }, () => f.intoRaw(h as FrameHandle));
    expect(raw).toEqual(none);
    expect(onReal(f, headFrameFromRaw, { paddr: P }, () => ((h = f.fromRaw(P)), { frame: F, obl: 3 }))).toEqual(none);
    const trace = () => ({ last: false, rcWrites: [], dealloc: [] });
    expect(
      onReal(f, headFrameDrop, { frame: F, obl: 3 }, () => (f.drop(h as FrameHandle), trace()), regionClause),
    ).toEqual(none);
    expect(f.violations).toEqual([]);
  });

  it('reports an error result of from_unused with the region unchanged', () => {
    const f = make();
    expect(
      onReal(f, headFrameFromUnused, { paddr: P + 1, metadata: storageOf(K) }, () =>
        err(f.fromUnused(P + 1, K) as GetFrameError),
      ),
    ).toEqual(none);
  });
});

/** Seeded bugs: a clone that counts two references, an inc_frame_ref_count that forgets, a borrow that takes a count, a count read off by one. */
class CloneTwice extends FrameLayer {
  override clone(slot: SlotPtr): void {
    super.clone(slot);
    super.clone(slot);
  }
}
class IncForgets extends FrameLayer {
  override incFrameRefCount(): void {}
}
class BorrowCounts extends FrameLayer {
  override borrow(slot: SlotPtr) {
    this.region.incRefCount(slot);
    return super.borrow(slot);
  }
}
class CountOffByOne extends FrameLayer {
  override referenceCount(slot: SlotPtr): bigint {
    return super.referenceCount(slot) + 1n;
  }
}

describe("HEAD's Frame clauses made false by a wrong implementation or caller", () => {
  const claimed = (Impl: Layer) => {
    const f = make(Impl);
    return { f, h: f.fromUnused(P, K) as FrameHandle };
  };

  it('Frame::clone.ensures.rc_inc: a clone that counts two references', () => {
    const { f, h } = claimed(CloneTwice);
    expect(onReal(f, headFrameClone, { frame: F }, () => (f.clone(h), F)).ensures).toEqual([
      'Frame::clone.ensures.rc_inc',
    ]);
  });

  it('inc_frame_ref_count.ensures.rc_inc: an increment that forgets', () => {
    const { f } = claimed(IncForgets);
    expect(onReal(f, incFrameRefCount, { paddr: P }, () => void f.layer.incFrameRefCount(P)).ensures).toEqual([
      'inc_frame_ref_count.ensures.rc_inc',
    ]);
  });

  it('Frame::borrow.ensures.unchanged: a borrow that takes a count', () => {
    const { f } = claimed(BorrowCounts);
    const r = onReal(f, frameBorrow, { frame: F }, () => ({ inner: { ptr: metaAddr(f.layer.borrow(3).slot) } }));
    expect(r.ensures).toEqual(['Frame::borrow.ensures.unchanged']);
  });

  it('Frame::reference_count.returns.ref_count: a count read off by one', () => {
    const { f, h } = claimed(CountOffByOne);
    expect(onReal(f, frameReferenceCount, { frame: F }, () => f.layer.referenceCount(h.slot)).ensures).toEqual([
      'Frame::reference_count.returns.ref_count',
    ]);
  });

  it('inc_frame_ref_count.requires.rc_not_unused: a caller that increments an unused frame', () => {
    const f = make();
    const r = onReal(f, incFrameRefCount, { paddr: P }, () => {
      try {
        f.layer.incFrameRefCount(P);
      } catch {
        // the real inc_ref_count may refuse; the caller's fault is the point
      }
      return undefined;
    });
    expect(r.requires).toEqual(['inc_frame_ref_count.requires.rc_not_unused']);
  });

  it("Frame::drop.requires.obl_key: a caller that passes another frame's obligation token", () => {
    const { f, h } = claimed(FrameLayer);
    f.clone(h);
    f.fromUnused(4 * PAGE_SIZE, K);
    const r = onReal(
      f,
      headFrameDrop,
      { frame: F, obl: 4 },
      () => ({
        last: f.drop(h, { obl: 4 }),
        rcWrites: [],
        dealloc: [],
      }),
      regionClause,
    );
    expect(r.requires).toEqual(['Frame::drop.requires.obl_key']);
    // The seed's table names the same fault: the contract layer blamed the caller.
    expect(f.violations.map((v) => `${v.clause} / ${v.blame}`)).toContain('Frame::drop.requires.obl_key / caller');
  });
});

/** Seeded bugs for HEAD's UniqueFrame clauses: a claim that writes another type's metadata, a repurpose that keeps the old metadata. */
class ClaimWritesOther extends FrameLayer {
  override uniqueFromUnused(paddr: number, _meta: Parameters<FrameLayer['uniqueFromUnused']>[1]) {
    return super.uniqueFromUnused(paddr, unit(MetaPageMeta));
  }
}
class RepurposeKeeps extends FrameLayer {
  override repurpose(): void {}
}

describe('the checked frame layer under spec head', () => {
  const headLayer = (Impl: Layer = FrameLayer, spec: 'seed' | 'head' = 'head') =>
    new CheckedFrameLayer({
      maxPaddr: MAX,
      mode: 'collect',
      refCountMax: 8n,
      spec,
      makeLayer: (r, a) => new Impl(r, a),
    });

  it("checks HEAD's clauses on the real FrameLayer: frames and unique frames, no violation", () => {
    const f = headLayer();
    expect(f.spec).toBe('head');
    expect(f.checker.spec).toBe('head');
    const h = f.fromUnused(P, K) as FrameHandle;
    f.drop(f.clone(h));
    f.drop(f.fromRaw(f.intoRaw(f.clone(h))));
    const u = f.tryIntoUnique(h);
    if (!u.ok) throw new Error('the only reference did not become unique');
    expect(u.unique.owner).toHaveProperty('reprPerm');
    const v = f.repurpose(u.unique, unit(MetaPageMeta));
    expect(f.meta(v)).toEqual(unit(MetaPageMeta));
    f.dropUnique(f.uniqueFromUnused(4 * PAGE_SIZE, K) as UniqueHandle);
    f.drop(f.intoShared(v));
    expect(f.violations).toEqual([]);
  });

  it("UniqueFrame::into_raw then from_raw on the real FrameLayer meet HEAD's clauses and the accounting; the seed has no contract for them", () => {
    const f = headLayer();
    const u = f.uniqueFromUnused(P, K) as UniqueHandle;
    const paddr = f.uniqueIntoRaw(u);
    expect(paddr).toBe(P);
    const back = f.uniqueFromRaw(paddr, K.type.name);
    expect([back.slot, back.owner]).toEqual([
      3,
      expect.objectContaining({ slotIndex: 3, reprPerm: { type: K.type.name } }),
    ]);
    f.dropUnique(back);
    expect(f.violations).toEqual([]);
    const seed = headLayer(FrameLayer, 'seed');
    expect(() => seed.uniqueIntoRaw(seed.uniqueFromUnused(P, K) as UniqueHandle)).toThrow(/only in vostd HEAD/);
  });

  it('from_raw of a unique frame still live (F34): the caller is blamed on the upstream # Safety clause', () => {
    const f = headLayer();
    f.uniqueFromUnused(P, K);
    f.uniqueFromRaw(P, K.type.name);
    expect(f.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['UniqueFrame::from_raw.requires.forgotten_unique', 'caller'],
    ]);
  });

  it('an into_raw that drops the frame (UniqueIntoRawDrops) is blamed on the implementation', () => {
    const f = headLayer(UniqueIntoRawDrops);
    f.uniqueIntoRaw(f.uniqueFromUnused(P, K) as UniqueHandle);
    expect(f.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['UniqueFrame::into_raw.ensures.into_raw_ensures.owners_unchanged', 'implementation'],
      ['UniqueFrame::into_raw.refinement', 'implementation'],
      ['accounting.unused_unreferenced', 'implementation'],
    ]);
  });

  it("blames a claim that writes another type's metadata with HEAD's ok_meta_value (the seed's table names it otherwise)", () => {
    const head = headLayer(ClaimWritesOther);
    head.uniqueFromUnused(P, K);
    const headClauses = head.violations.map((v) => v.clause);
    expect(headClauses).toContain('UniqueFrame::from_unused.ensures.ok_meta_value');
    const seed = headLayer(ClaimWritesOther, 'seed');
    seed.uniqueFromUnused(P, K);
    expect(seed.violations.map((v) => v.clause)).not.toContain('UniqueFrame::from_unused.ensures.ok_meta_value');
    expect(seed.violations.map((v) => v.clause)).toContain('UniqueFrame::from_unused.ensures.ok_owner');
  });

  it("blames a repurpose that keeps the old metadata with HEAD's meta_value", () => {
    const f = headLayer(RepurposeKeeps);
    const u = f.uniqueFromUnused(P, K) as UniqueHandle;
    f.repurpose(u, unit(MetaPageMeta));
    expect(f.violations.map((v) => `${v.clause} / ${v.blame}`)).toContain(
      'UniqueFrame::repurpose.ensures.meta_value / implementation',
    );
  });

  it('a caller whose owner has no repr_perm (the seed-era owner) breaks HEAD owner.inv()', () => {
    const f = headLayer();
    const u = f.uniqueFromUnused(P, K) as UniqueHandle;
    f.meta({ ...u, owner: { metaOwn: u.owner.metaOwn, slotIndex: u.owner.slotIndex } });
    expect(f.violations.map((v) => `${v.clause} / ${v.blame}`)).toContain(
      'UniqueFrame::meta.requires.owner_inv / caller',
    );
  });

  it('FRAMECHECK_SPEC=head selects the HEAD table when no spec is given', () => {
    const before = process.env['FRAMECHECK_SPEC'];
    process.env['FRAMECHECK_SPEC'] = 'head';
    try {
      expect(make().spec).toBe('head');
    } finally {
      if (before === undefined) delete process.env['FRAMECHECK_SPEC'];
      else process.env['FRAMECHECK_SPEC'] = before;
    }
    expect(make().spec).toBe(before === 'head' ? 'head' : 'seed');
  });
});
