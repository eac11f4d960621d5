/**
 * Every `ensures`/`returns` clause, every `may_panic` condition and every refinement clause of the
 * MetaSlot layer, broken by a wrong implementation: a `MetaRegion` subclass overriding one method with
 * one seeded bug. Each test asserts the exact list of violations (clause and blame) the contract layer
 * reports for one call, so a clause that stops catching its bug, or a bug that starts breaking other
 * clauses, fails here. The first block runs the correct implementation through every success and error
 * path and expects no violation at all. (Long by design: one seeded-bug class per clause it breaks.)
 */
import { describe, expect, it } from 'vitest';
import { abort, KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, registerFrameMeta, UnitMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering, SPURIOUS_FAILURE, type Memory } from '../../impl/meta/memory.ts';
import {
  MetaRegion,
  type GetFrameError,
  type MetaPtr,
  type MetaRegionOptions,
  type SlotError,
  type SlotPtr,
} from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { CheckedMetaRegion, type CheckedOptions } from './CheckedMetaRegion.ts';

const MAX = 16 * PAGE_SIZE;
const P = PAGE_SIZE;
type Impl = new (o: MetaRegionOptions) => MetaRegion;

/** A checked region in `collect` mode over `Impl` (the correct implementation by default). */
const make = (Impl: Impl = MetaRegion, opts: Partial<CheckedOptions> = {}) =>
  new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', refCountMax: 4n, ...opts }, (o) => new Impl(o));
const seen = (r: CheckedMetaRegion) => r.violations.map((v) => `${v.clause} / ${v.blame}`);
/** The violations of one call `f` on a region whose set-up broke no clause (an abort is an outcome, not a failure). */
function violationsOf(r: CheckedMetaRegion, f: (r: CheckedMetaRegion) => unknown): string[] {
  const before = r.violations.length;
  if (before !== 0) throw new Error(`the set-up already broke clauses: ${seen(r).join(', ')}`);
  try {
    f(r);
  } catch (e) {
    if (!(e instanceof KernelAbort)) throw e;
  }
  return seen(r).slice(before);
}

type Pair = { a: number; b: number };
const PairMeta = registerFrameMeta<Pair>({
  name: 'PostconditionsPair',
  size: 8,
  align: 4,
  encode: (v, out) => (out.setUint32(0, v.a, true), out.setUint32(4, v.b, true)),
  decode: (bytes) => ({ a: bytes.getUint32(0, true), b: bytes.getUint32(4, true) }),
});
const pair = (a: number, b: number): FrameMeta<Pair> => ({ type: PairMeta, value: { a, b } });

/** A memory whose next `failures` weak CASes fail spuriously. */
function flakyWeakCas(state: { failures: number }) {
  return (base: Memory): Memory =>
    Object.freeze({
      load: (w: number, o: Ordering) => base.load(w, o),
      store: (w: number, v: bigint, o: Ordering) => base.store(w, v, o),
      compareExchange: (w: number, e: bigint, d: bigint, o: Ordering) => base.compareExchange(w, e, d, o),
      compareExchangeWeak: (w: number, e: bigint, d: bigint, o: Ordering) =>
        state.failures-- > 0 ? SPURIOUS_FAILURE : base.compareExchangeWeak(w, e, d, o),
      fetchAdd: (w: number, d: bigint, o: Ordering) => base.fetchAdd(w, d, o),
      fetchSub: (w: number, d: bigint, o: Ordering) => base.fetchSub(w, d, o),
      fence: (o: Ordering) => base.fence(o),
      readPlain: (w: number) => base.readPlain(w),
      writePlain: (w: number, v: bigint) => base.writePlain(w, v),
    });
}

describe('the correct implementation breaks no clause', () => {
  it('on every success and error path of the region-level ops', () => {
    const r = make();
    expect([r.getSlot(3 * P), r.getSlot(3 * P + 1), r.getSlot(MAX), r.getSlot(MAX + 1)]).toEqual([
      3,
      'NotAligned',
      'OutOfBound',
      'NotAligned',
    ]);
    expect(r.getFromUnused(P, pair(1, 2), false)).toBe(1);
    expect(r.getFromUnused(2 * P, unit(KernelMeta), true)).toBe(2);
    expect(r.getFromUnused(P, pair(3, 4), false)).toBe('InUse');
    expect(r.getFromUnused(2 * P, pair(3, 4), false)).toBe('Unique');
    expect(r.getFromUnused(P + 1, pair(3, 4), false)).toBe('NotAligned');
    expect(r.getFromUnused(MAX, pair(3, 4), false)).toBe('OutOfBound');
    expect([r.getFromInUse(P), r.getFromInUse(P), r.getFromInUse(P)]).toEqual([1, 1, 1]);
    expect(() => r.getFromInUse(P)).toThrow(KernelAbort);
    expect([r.getFromInUse(0), r.getFromInUse(2 * P), r.getFromInUse(P + 1), r.getFromInUse(MAX)]).toEqual([
      'Unused',
      'Unique',
      'NotAligned',
      'OutOfBound',
    ]);
    r.getFromUnused(3 * P, unit(UnitMeta), false);
    r.impl.mem.fetchSub(r.impl.refCountWord(3), 1n, Ordering.Release); // `Frame::drop` of the last reference
    expect([r.getFromUnused(3 * P, unit(UnitMeta), false), r.getFromInUse(3 * P)]).toEqual(['Busy', 'Busy']);
    expect(seen(r)).toEqual([]);
  });

  it('on every path of the loop body but Retry', () => {
    const r = make();
    r.getFromUnused(P, pair(1, 2), false);
    r.getFromUnused(2 * P, unit(KernelMeta), true);
    r.getFromUnused(3 * P, unit(KernelMeta), false);
    r.impl.mem.fetchSub(r.impl.refCountWord(3), 1n, Ordering.Release);
    expect([r.getFromInUseLoop(0), r.getFromInUseLoop(2), r.getFromInUseLoop(3)]).toEqual(['Unused', 'Unique', 'Busy']);
    expect([r.getFromInUseLoop(1), r.getFromInUseLoop(1), r.getFromInUseLoop(1)]).toEqual([1, 1, 1]);
    expect(() => r.getFromInUseLoop(1)).toThrow(KernelAbort);
    expect(r.impl.refCount(1)).toBe(4n);
    expect(seen(r)).toEqual([]);
  });

  // A spurious weak-CAS failure is an outcome the spec allows (`alsoAllows`), not a refinement failure.
  it('on the Retry path of the loop body', () => {
    const flaky = { failures: 0 };
    const r = make(MetaRegion, { wrapMemory: flakyWeakCas(flaky) });
    r.getFromUnused(P, pair(1, 2), false);
    flaky.failures = 1;
    expect(r.getFromInUseLoop(1)).toBe('Retry');
    expect(r.impl.refCount(1)).toBe(1n);
    expect(seen(r)).toEqual([]);
  });

  // `drop_meta_in_place` is the first half of `UniqueFrame::drop` (the UNUSED store follows): the UNIQUE
  // count over dropped metadata in between is not a violation, because its contract promises no invariant.
  it('on drop_meta_in_place of a unique frame', () => {
    const r = make();
    r.getFromUnused(2 * P, pair(1, 2), true);
    r.dropMetaInPlace(2);
    expect(r.impl.dynMeta(2)).toBeUndefined();
    expect(seen(r)).toEqual([]);
  });

  it('on get_from_in_use retrying after a spurious CAS failure', () => {
    const flaky = { failures: 0 };
    const r = make(MetaRegion, { wrapMemory: flakyWeakCas(flaky) });
    r.getFromUnused(P, pair(1, 2), false);
    flaky.failures = 2;
    expect(r.getFromInUse(P)).toBe(1);
    expect([flaky.failures, r.impl.refCount(1)]).toEqual([-1, 2n]);
    expect(seen(r)).toEqual([]);
  });

  it('on every path of the per-slot ops', () => {
    const r = make();
    r.getFromUnused(P, pair(1, 2), false);
    r.getFromUnused(2 * P, unit(KernelMeta), true);
    r.getFromUnused(4 * P, unit(KernelMeta), false);
    r.incRefCount(4);
    r.incRefCount(4);
    r.incRefCount(4);
    expect(() => r.incRefCount(4)).toThrow(KernelAbort);
    expect(r.framePaddr(1)).toBe(P);
    expect(r.asMetaPtr(1, PairMeta).slot).toBe(1);
    r.getFromUnused(5 * P, unit(KernelMeta), false);
    r.impl.mem.fetchSub(r.impl.refCountWord(5), 1n, Ordering.Release);
    r.dropMetaInPlace(5);
    r.writeMeta(5, pair(7, 8));
    expect(r.impl.dynMeta(5)?.value).toEqual({ a: 7, b: 8 });
    r.dropLastInPlace(5);
    r.dropLastInPlace(2);
    expect([r.impl.refCount(2), r.impl.refCount(5)]).toEqual([r.impl.REF_COUNT_UNUSED, r.impl.REF_COUNT_UNUSED]);
    expect(seen(r)).toEqual([]);
  });

  it('under the legacy protocol', () => {
    const r = new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', protocol: 'legacy', refCountMax: 3n });
    expect(r.getFromUnused(P, pair(1, 2), false)).toBe(1);
    expect([r.getFromUnused(P, pair(1, 2), false), r.getFromInUse(P), r.getFromInUse(0)]).toEqual([
      'InUse',
      1,
      'Unused',
    ]);
    r.incRefCount(1);
    expect(() => r.getFromInUse(P)).toThrow(KernelAbort);
    r.impl.mem.store(r.impl.refCountWord(1), 0n, Ordering.Release);
    expect([r.getFromUnused(P, pair(1, 2), false), r.getFromInUse(P)]).toEqual(['Busy', 'Busy']);
    r.dropLastInPlace(1);
    expect(r.impl.refCount(1)).toBe(r.impl.REF_COUNT_UNUSED);
    expect(seen(r)).toEqual([]);
  });
});

// --- get_slot ------------------------------------------------------------------------------------

/** Seeded bug: any address below MAX_PADDR has a slot, aligned or not. */
class GetSlotIgnoresAlignment extends MetaRegion {
  override getSlot(paddr: number): SlotPtr | SlotError {
    return paddr >= 0 && paddr < this.maxPaddr ? Math.floor(paddr / PAGE_SIZE) : 'OutOfBound';
  }
}
/** Seeded bug: the bound is checked before the alignment. */
class GetSlotBoundFirst extends MetaRegion {
  override getSlot(paddr: number): SlotPtr | SlotError {
    return paddr >= this.maxPaddr ? 'OutOfBound' : super.getSlot(paddr);
  }
}
/** Seeded bug: the slot of the next frame. */
class GetSlotOffByOne extends MetaRegion {
  override getSlot(paddr: number): SlotPtr | SlotError {
    const s = super.getSlot(paddr);
    return typeof s === 'number' ? s + 1 : s;
  }
}

describe('get_slot', () => {
  it('ignoring alignment breaks safe_iff_ok', () => {
    expect(violationsOf(make(GetSlotIgnoresAlignment), (r) => r.getSlot(3 * P + 8))).toEqual([
      'get_slot.ensures.safe_iff_ok / implementation',
      'get_slot.refinement / implementation',
    ]);
  });
  it('checking the bound first breaks error_order', () => {
    expect(violationsOf(make(GetSlotBoundFirst), (r) => r.getSlot(MAX + 8))).toEqual([
      'get_slot.ensures.error_order / implementation',
      'get_slot.refinement / implementation',
    ]);
  });
  it('the slot of another frame breaks ok_addr', () => {
    expect(violationsOf(make(GetSlotOffByOne), (r) => r.getSlot(3 * P))).toEqual([
      'get_slot.ensures.ok_addr / implementation',
      'get_slot.refinement / implementation',
    ]);
  });
});

// --- get_from_unused -----------------------------------------------------------------------------

/** Seeded bug: a claim publishes the count 2. */
class ClaimStoresTwo extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = super.getFromUnused(paddr, meta, asUnique);
    if (typeof slot === 'number' && !asUnique) this.mem.store(this.refCountWord(slot), 2n, Ordering.Release);
    return slot;
  }
}
/** Seeded bug: claims the right slot, returns the next one. */
class ClaimReturnsNextSlot extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = super.getFromUnused(paddr, meta, asUnique);
    return typeof slot === 'number' ? slot + 1 : slot;
  }
}
/** Seeded bug: the claim forgets `write_meta`. */
class ClaimWithoutMetadata extends MetaRegion {
  override getFromUnused(paddr: number, _meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = this.getSlot(paddr);
    if (typeof slot !== 'number') return slot;
    const observed = this.mem.compareExchange(this.refCountWord(slot), this.REF_COUNT_UNUSED, 0n, Ordering.Acquire);
    if (observed !== this.REF_COUNT_UNUSED) return this.claimError(observed);
    this.mem.store(this.refCountWord(slot), asUnique ? this.REF_COUNT_UNIQUE : 1n, Ordering.Release);
    return slot;
  }
}
/** Seeded bug: the claim writes some other metadata. */
class ClaimWritesOtherMetadata extends MetaRegion {
  override getFromUnused(paddr: number, _meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    return super.getFromUnused(paddr, unit(KernelMeta), asUnique);
  }
}
/** Seeded bug: a failed claim marks the slot as listed. */
class ClaimListsOnFailure extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const r = super.getFromUnused(paddr, meta, asUnique);
    const slot = this.getSlot(paddr);
    if (typeof r !== 'number' && typeof slot === 'number') this.setInList(slot, 1n);
    return r;
  }
}
/** Seeded bug: the claim succeeds and reports `InUse`. */
class ClaimReportsFailure extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const r = super.getFromUnused(paddr, meta, asUnique);
    return typeof r === 'number' ? 'InUse' : r;
  }
}

describe('get_from_unused', () => {
  const claim = (r: CheckedMetaRegion) => r.getFromUnused(3 * P, pair(5, 6), false);
  it('an unaligned address given a slot breaks unsafe_err', () => {
    expect(violationsOf(make(GetSlotIgnoresAlignment), (r) => r.getFromUnused(3 * P + 8, pair(5, 6), false))).toEqual([
      'get_from_unused.ensures.ok_spec / implementation',
      'get_from_unused.ensures.ok_slot_perm_extracted / implementation',
      'get_from_unused.ensures.unsafe_err / implementation',
      'get_from_unused.refinement / implementation',
    ]);
  });
  it('the count 2 breaks ok_spec', () => {
    expect(violationsOf(make(ClaimStoresTwo), claim)).toEqual([
      'get_from_unused.ensures.ok_spec / implementation',
      'get_from_unused.refinement / implementation',
    ]);
  });
  it('returning another slot breaks the permission clauses (and leaves the claimed permission un-parked)', () => {
    expect(violationsOf(make(ClaimReturnsNextSlot), claim)).toEqual([
      'get_from_unused.ensures.ok_perm_spec / implementation',
      'get_from_unused.ensures.ok_perm_wf / implementation',
      'get_from_unused.ensures.ok_perm_extracted / implementation',
      'get_from_unused.refinement / implementation',
      'MetaRegionOwners::inv.owners_have_slots / implementation',
    ]);
  });
  it('no metadata breaks ok_metadata and the slot invariant', () => {
    expect(violationsOf(make(ClaimWithoutMetadata), claim)).toEqual([
      'get_from_unused.ensures.ok_spec / implementation',
      'get_from_unused.ensures.ok_metadata / implementation',
      'get_from_unused.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.shared / implementation',
    ]);
  });
  it('other metadata breaks ok_metadata only', () => {
    expect(violationsOf(make(ClaimWritesOtherMetadata), claim)).toEqual([
      'get_from_unused.ensures.ok_metadata / implementation',
      'get_from_unused.refinement / implementation',
    ]);
  });
  it('touching in_list on a failed claim breaks err_inv and err_unchanged', () => {
    const r = make(ClaimListsOnFailure);
    claim(r);
    expect(violationsOf(r, claim)).toEqual([
      'get_from_unused.ensures.err_inv / implementation',
      'get_from_unused.ensures.err_unchanged / implementation',
      'get_from_unused.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.shared / implementation',
    ]);
  });
  it('reporting a failure after claiming breaks err_unchanged', () => {
    expect(violationsOf(make(ClaimReportsFailure), claim)).toEqual([
      'get_from_unused.ensures.err_unchanged / implementation',
      'get_from_unused.refinement / implementation',
    ]);
  });
});

// --- get_from_in_use_loop and get_from_in_use ------------------------------------------------------

/** Seeded bug: the CAS adds 2. */
class LoopAddsTwo extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const rc = this.refCount(slot);
    if (rc === this.REF_COUNT_UNUSED || rc === this.REF_COUNT_UNIQUE || rc === 0n) return super.getFromInUseLoop(slot);
    return this.mem.compareExchangeWeak(this.refCountWord(slot), rc, rc + 2n, Ordering.Acquire) === rc ? slot : 'Retry';
  }
}
/** Seeded bug: a count of 0 (a slot being claimed or dropped) is treated as shared. */
class LoopAcceptsZero extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const rc = this.refCount(slot);
    if (rc !== 0n) return super.getFromInUseLoop(slot);
    return this.mem.compareExchangeWeak(this.refCountWord(slot), 0n, 1n, Ordering.Acquire) === 0n ? slot : 'Retry';
  }
}
/** Seeded bug: no overflow abort. */
class LoopNoAbortAtMax extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const rc = this.refCount(slot);
    if (rc < this.REF_COUNT_MAX || rc >= this.REF_COUNT_UNIQUE) return super.getFromInUseLoop(slot);
    return this.mem.compareExchangeWeak(this.refCountWord(slot), rc, rc + 1n, Ordering.Acquire) === rc ? slot : 'Retry';
  }
}
/** Seeded bug: the overflow abort one reference too early. */
class LoopAbortsEarly extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    if (this.refCount(slot) === this.REF_COUNT_MAX - 1n) abort('ref_count_overflow', 'one too early');
    return super.getFromInUseLoop(slot);
  }
}
/** Seeded bug: returns the next slot. */
class LoopReturnsNextSlot extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const r = super.getFromInUseLoop(slot);
    return typeof r === 'number' ? r + 1 : r;
  }
}
/** Seeded bug: the reference is taken, and `Busy` reported. */
class LoopReportsBusyAfterIncrement extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const r = super.getFromInUseLoop(slot);
    return typeof r === 'number' ? 'Busy' : r;
  }
}
/** Seeded bug: the metadata value is overwritten (same type). */
class LoopRewritesStorage extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const r = super.getFromInUseLoop(slot);
    this.writeMeta(slot, pair(0, 0));
    return r;
  }
}
/** Seeded bug: the vtable word is cleared. */
class LoopClearsVtable extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const r = super.getFromInUseLoop(slot);
    this.mem.writePlain(slot * this.layout.wordsPerSlot + this.layout.vtable, 0n);
    return r;
  }
}
/** Seeded bug: the slot is marked as listed. */
class LoopTouchesInList extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const r = super.getFromInUseLoop(slot);
    this.setInList(slot, 1n);
    return r;
  }
}
/** Seeded bug: `Unused` is reported as `Busy`. */
class InUseMisreportsUnused extends MetaRegion {
  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const r = super.getFromInUse(paddr);
    return r === 'Unused' ? 'Busy' : r;
  }
}
/** Seeded bug: `get_from_in_use` returns the next slot. */
class InUseReturnsNextSlot extends MetaRegion {
  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const r = super.getFromInUse(paddr);
    return typeof r === 'number' ? r + 1 : r;
  }
}

/** A checked region over `Impl` with frame 1 shared (count `count`). */
function shared(Impl: Impl, count = 1) {
  const r = make(Impl);
  r.getFromUnused(P, pair(1, 2), false);
  for (let k = 1; k < count; k++) r.incRefCount(1);
  return r;
}

describe('get_from_in_use_loop', () => {
  it('adding 2 breaks ok_rc_inc', () => {
    expect(violationsOf(shared(LoopAddsTwo), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.ok_rc_inc / implementation',
      'get_from_in_use_loop.refinement / implementation',
    ]);
  });
  it('accepting the count 0 breaks ok_old_rc_pos', () => {
    const r = shared(LoopAcceptsZero);
    r.impl.mem.fetchSub(r.impl.refCountWord(1), 1n, Ordering.Release);
    expect(violationsOf(r, (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.ok_old_rc_pos / implementation',
      'get_from_in_use_loop.refinement / implementation',
    ]);
  });
  it('no abort at REF_COUNT_MAX breaks ok_rc_le_max and the illegal band', () => {
    expect(violationsOf(shared(LoopNoAbortAtMax, 4), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.ok_rc_le_max / implementation',
      'get_from_in_use_loop.ensures.aborts_exactly / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.illegal_band / implementation',
    ]);
  });
  it('aborting below REF_COUNT_MAX is a panic the spec does not allow', () => {
    const r = shared(LoopAbortsEarly, 3);
    expect(() => r.getFromInUseLoop(1)).toThrow(KernelAbort);
    expect(r.violations.map((v) => [v.clause, v.kind, v.blame])).toEqual([
      ['get_from_in_use_loop.may_panic.at_max', 'may_panic', 'implementation'],
    ]);
  });
  it('returning another slot breaks ok_ptr', () => {
    expect(violationsOf(shared(LoopReturnsNextSlot), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.ok_ptr / implementation',
      'get_from_in_use_loop.refinement / implementation',
    ]);
  });
  it('an error after taking the reference breaks err_rc_unchanged', () => {
    expect(violationsOf(shared(LoopReportsBusyAfterIncrement), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.err_rc_unchanged / implementation',
      'get_from_in_use_loop.refinement / implementation',
    ]);
  });
  it('rewriting the metadata breaks storage', () => {
    expect(violationsOf(shared(LoopRewritesStorage), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.storage / implementation',
      'get_from_in_use_loop.refinement / implementation',
    ]);
  });
  it('clearing the vtable breaks vtable_ptr (and storage, which it types)', () => {
    expect(violationsOf(shared(LoopClearsVtable), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.storage / implementation',
      'get_from_in_use_loop.ensures.vtable_ptr / implementation',
      'get_from_in_use_loop.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.shared / implementation',
    ]);
  });
  it('touching in_list breaks in_list', () => {
    expect(violationsOf(shared(LoopTouchesInList), (r) => r.getFromInUseLoop(1))).toEqual([
      'get_from_in_use_loop.ensures.in_list / implementation',
      'get_from_in_use_loop.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.shared / implementation',
    ]);
  });
});

describe('get_from_in_use', () => {
  it('an unaligned address given a slot breaks unsafe_err', () => {
    expect(violationsOf(shared(GetSlotIgnoresAlignment), (r) => r.getFromInUse(P + 8))).toEqual([
      'get_from_in_use.ensures.unsafe_err / implementation',
      'get_from_in_use.refinement / implementation',
    ]);
  });
  it('adding 2 breaks ok_success', () => {
    expect(violationsOf(shared(LoopAddsTwo), (r) => r.getFromInUse(P))).toEqual([
      'get_from_in_use.ensures.ok_success / implementation',
      'get_from_in_use.refinement / implementation',
    ]);
  });
  it('returning another slot breaks ok_ptr', () => {
    expect(violationsOf(shared(InUseReturnsNextSlot), (r) => r.getFromInUse(P))).toEqual([
      'get_from_in_use.ensures.ok_ptr / implementation',
      'get_from_in_use.refinement / implementation',
    ]);
  });
  it('an error after taking the reference breaks err_unchanged and err_kind', () => {
    expect(violationsOf(shared(LoopReportsBusyAfterIncrement), (r) => r.getFromInUse(P))).toEqual([
      'get_from_in_use.ensures.err_unchanged / implementation',
      'get_from_in_use.ensures.err_kind / implementation',
      'get_from_in_use.refinement / implementation',
    ]);
  });
  it('the wrong error breaks err_kind', () => {
    expect(violationsOf(shared(InUseMisreportsUnused), (r) => r.getFromInUse(2 * P))).toEqual([
      'get_from_in_use.ensures.err_kind / implementation',
      'get_from_in_use.refinement / implementation',
    ]);
  });
  it('touching in_list breaks final_inv and ok_success', () => {
    expect(violationsOf(shared(LoopTouchesInList), (r) => r.getFromInUse(P))).toEqual([
      'get_from_in_use.ensures.final_inv / implementation',
      'get_from_in_use.ensures.ok_success / implementation',
      'get_from_in_use.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.shared / implementation',
    ]);
  });
  it('no abort at REF_COUNT_MAX breaks final_inv', () => {
    expect(violationsOf(shared(LoopNoAbortAtMax, 4), (r) => r.getFromInUse(P))).toEqual([
      'get_from_in_use.ensures.final_inv / implementation',
      'get_from_in_use.ensures.aborts_exactly / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.illegal_band / implementation',
    ]);
  });
  it('aborting below REF_COUNT_MAX is a panic the spec does not allow', () => {
    const r = shared(LoopAbortsEarly, 3);
    expect(() => r.getFromInUse(P)).toThrow(KernelAbort);
    expect(r.violations.map((v) => [v.clause, v.kind, v.blame])).toEqual([
      ['get_from_in_use.may_panic.at_max', 'may_panic', 'implementation'],
    ]);
  });
});

// --- per-slot ops --------------------------------------------------------------------------------

/** Seeded bug: adds 2. */
class IncAddsTwo extends MetaRegion {
  override incRefCount(slot: SlotPtr): void {
    this.mem.fetchAdd(this.refCountWord(slot), 2n, Ordering.Relaxed);
  }
}
/** Seeded bug: no overflow abort. */
class IncNoAbort extends MetaRegion {
  override incRefCount(slot: SlotPtr): void {
    this.mem.fetchAdd(this.refCountWord(slot), 1n, Ordering.Relaxed);
  }
}
/** Seeded bug: the overflow abort one reference too early. */
class IncAbortsEarly extends MetaRegion {
  override incRefCount(slot: SlotPtr): void {
    const last = this.mem.fetchAdd(this.refCountWord(slot), 1n, Ordering.Relaxed);
    if (last >= this.REF_COUNT_MAX - 1n) abort('ref_count_overflow', 'one too early');
  }
}
/** Seeded bug: the address of the next frame. */
class FramePaddrOffByPage extends MetaRegion {
  override framePaddr(slot: SlotPtr): number {
    return (slot + 1) * PAGE_SIZE;
  }
}
/** Seeded bug: a pointer into the next slot. */
class AsMetaPtrNextSlot extends MetaRegion {
  override asMetaPtr<M>(slot: SlotPtr, type: MetaPtr<M>['type']): MetaPtr<M> {
    return super.asMetaPtr(slot + 1, type);
  }
}
/** Seeded bug: the storage is written, the vtable is not. */
class WriteMetaSkipsVtable extends MetaRegion {
  override writeMeta(slot: SlotPtr, meta: FrameMeta): void {
    super.writeMeta(slot, meta);
    this.mem.writePlain(slot * this.layout.wordsPerSlot + this.layout.vtable, 0n);
  }
}
/** Seeded bug: the value is encoded wrongly (fields swapped). */
class WriteMetaSwapsFields extends MetaRegion {
  override writeMeta(slot: SlotPtr, meta: FrameMeta): void {
    const v = meta.value as Pair;
    super.writeMeta(slot, meta.type === PairMeta ? pair(v.b, v.a) : meta);
  }
}
/** Seeded bug: the last drop forgets to drop the metadata. */
class DropLastKeepsMetadata extends MetaRegion {
  override dropLastInPlace(slot: SlotPtr): void {
    this.mem.store(this.refCountWord(slot), this.REF_COUNT_UNUSED, Ordering.Release);
  }
}
/** Seeded bug: the last drop forgets to publish `REF_COUNT_UNUSED`. */
class DropLastKeepsCount extends MetaRegion {
  override dropLastInPlace(slot: SlotPtr): void {
    this.dropMetaInPlace(slot);
  }
}
/** Seeded bug: the last drop marks the slot as listed. */
class DropLastTouchesInList extends MetaRegion {
  override dropLastInPlace(slot: SlotPtr): void {
    super.dropLastInPlace(slot);
    this.setInList(slot, 1n);
  }
}
/** Seeded bug: dropping the metadata leaves it in place. */
class DropMetaDoesNothing extends MetaRegion {
  override dropMetaInPlace(_slot: SlotPtr): void {}
}
/** Seeded bug: dropping the metadata also publishes `REF_COUNT_UNUSED`. */
class DropMetaPublishesUnused extends MetaRegion {
  override dropMetaInPlace(slot: SlotPtr): void {
    super.dropMetaInPlace(slot);
    this.mem.store(this.refCountWord(slot), this.REF_COUNT_UNUSED, Ordering.Release);
  }
}
/** Seeded bug: dropping the metadata marks the slot as listed. */
class DropMetaTouchesInList extends MetaRegion {
  override dropMetaInPlace(slot: SlotPtr): void {
    super.dropMetaInPlace(slot);
    this.setInList(slot, 1n);
  }
}

/** A checked region over `Impl` with frame 3 busy: count 0, metadata `pair(1, 2)` (a `Frame::drop` of the last reference). */
function busy(Impl: Impl) {
  const r = shared(Impl);
  r.getFromUnused(3 * P, pair(1, 2), false);
  r.impl.mem.fetchSub(r.impl.refCountWord(3), 1n, Ordering.Release);
  return r;
}
/** A checked region over `Impl` with frame 2 unique. */
function unique(Impl: Impl) {
  const r = make(Impl);
  r.getFromUnused(2 * P, pair(1, 2), true);
  return r;
}

describe('inc_ref_count', () => {
  it('adding 2 breaks rc_inc', () => {
    expect(violationsOf(shared(IncAddsTwo), (r) => r.incRefCount(1))).toEqual([
      'inc_ref_count.ensures.rc_inc / implementation',
      'inc_ref_count.refinement / implementation',
    ]);
  });
  it('no abort at REF_COUNT_MAX breaks old_below_max and the illegal band', () => {
    const r = shared(IncNoAbort, 4);
    expect(violationsOf(r, (r) => r.incRefCount(1))).toEqual([
      'inc_ref_count.ensures.old_below_max / implementation',
      'inc_ref_count.ensures.aborts_exactly / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.illegal_band / implementation',
    ]);
  });
  it('aborting below REF_COUNT_MAX is a panic the spec does not allow', () => {
    const r = shared(IncAbortsEarly, 3);
    expect(() => r.incRefCount(1)).toThrow(KernelAbort);
    expect(r.violations.map((v) => [v.clause, v.kind, v.blame])).toEqual([
      ['inc_ref_count.may_panic.at_max', 'may_panic', 'implementation'],
    ]);
  });
});

describe('frame_paddr and as_meta_ptr', () => {
  it('an address off by a page breaks meta_to_frame', () => {
    expect(violationsOf(shared(FramePaddrOffByPage), (r) => r.framePaddr(1))).toEqual([
      'frame_paddr.returns.meta_to_frame / implementation',
      'frame_paddr.refinement / implementation',
    ]);
  });
  it('a pointer into another slot breaks ptr_addr and addr', () => {
    expect(violationsOf(shared(AsMetaPtrNextSlot), (r) => r.asMetaPtr(1, PairMeta))).toEqual([
      'as_meta_ptr.ensures.ptr_addr / implementation',
      'as_meta_ptr.ensures.addr / implementation',
      'as_meta_ptr.refinement / implementation',
    ]);
  });
});

describe('write_meta', () => {
  /** `write_meta` as `get_from_unused` calls it: after the CAS `UNUSED → 0` on frame 3. */
  const write = (r: CheckedMetaRegion) => r.writeMeta(3, pair(7, 8));
  const claiming = (Impl: Impl) => {
    const r = make(Impl);
    r.impl.mem.store(r.impl.refCountWord(3), 0n, Ordering.Acquire);
    return r;
  };
  it('skipping the vtable breaks storage_init, vtable_init and metadata', () => {
    expect(violationsOf(claiming(WriteMetaSkipsVtable), write)).toEqual([
      'write_meta.ensures.storage_init / implementation',
      'write_meta.ensures.vtable_init / implementation',
      'write_meta.ensures.metadata / implementation',
      'write_meta.refinement / implementation',
    ]);
  });
  it('a wrongly encoded value breaks metadata', () => {
    expect(violationsOf(claiming(WriteMetaSwapsFields), write)).toEqual([
      'write_meta.ensures.metadata / implementation',
      'write_meta.refinement / implementation',
    ]);
  });
});

describe('drop_last_in_place', () => {
  it('forgetting to drop the metadata breaks storage_uninit, vtable_uninit and MetaSlotOwner::inv.unused', () => {
    expect(violationsOf(unique(DropLastKeepsMetadata), (r) => r.dropLastInPlace(2))).toEqual([
      'drop_last_in_place.ensures.owner_inv / implementation',
      'drop_last_in_place.ensures.storage_uninit / implementation',
      'drop_last_in_place.ensures.vtable_uninit / implementation',
      'drop_last_in_place.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.unused / implementation',
    ]);
  });
  it('forgetting the UNUSED store breaks rc_unused and MetaSlotOwner::inv.unique', () => {
    expect(violationsOf(unique(DropLastKeepsCount), (r) => r.dropLastInPlace(2))).toEqual([
      'drop_last_in_place.ensures.owner_inv / implementation',
      'drop_last_in_place.ensures.rc_unused / implementation',
      'drop_last_in_place.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.unique / implementation',
    ]);
  });
  it('touching in_list breaks in_list', () => {
    expect(violationsOf(busy(DropLastTouchesInList), (r) => r.dropLastInPlace(3))).toEqual([
      'drop_last_in_place.ensures.owner_inv / implementation',
      'drop_last_in_place.ensures.in_list / implementation',
      'drop_last_in_place.refinement / implementation',
      'MetaRegionOwners::inv.owner_inv / implementation',
      'MetaSlotOwner::inv.unused / implementation',
    ]);
  });
});

describe('drop_meta_in_place', () => {
  it('leaving the metadata in place breaks storage_uninit and vtable_uninit', () => {
    expect(violationsOf(busy(DropMetaDoesNothing), (r) => r.dropMetaInPlace(3))).toEqual([
      'drop_meta_in_place.ensures.storage_uninit / implementation',
      'drop_meta_in_place.ensures.vtable_uninit / implementation',
      'drop_meta_in_place.refinement / implementation',
    ]);
  });
  it('publishing UNUSED breaks ref_count', () => {
    expect(violationsOf(busy(DropMetaPublishesUnused), (r) => r.dropMetaInPlace(3))).toEqual([
      'drop_meta_in_place.ensures.ref_count / implementation',
      'drop_meta_in_place.refinement / implementation',
    ]);
  });
  // drop_meta_in_place's contract promises no invariant (it is the first half of a teardown), so only
  // its own ensures clause and the refinement fire.
  it('touching in_list breaks in_list', () => {
    expect(violationsOf(busy(DropMetaTouchesInList), (r) => r.dropMetaInPlace(3))).toEqual([
      'drop_meta_in_place.ensures.in_list / implementation',
      'drop_meta_in_place.refinement / implementation',
    ]);
  });
});
