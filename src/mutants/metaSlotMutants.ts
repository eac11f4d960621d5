/**
 * Seeded bugs in the MetaSlot layer: each class overrides exactly one method of `MetaRegion`.
 */
import { abort } from '../../impl/meta/abort.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { MetaRegion, type GetFrameError, type SlotError, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';

/** `get_from_in_use` treats a count of 0 as in use: it resurrects a frame under construction or teardown. */
export class FromInUseAcceptsZero extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const word = this.refCountWord(slot);
    const rc = this.mem.load(word, Ordering.Relaxed);
    if (rc === this.REF_COUNT_UNUSED) return 'Unused';
    if (rc === this.REF_COUNT_UNIQUE) return 'Unique';
    if (rc >= this.REF_COUNT_MAX) abort('ref_count_overflow', `get_from_in_use observed ${rc}`);
    return this.mem.compareExchangeWeak(word, rc, rc + 1n, Ordering.Acquire) === rc ? slot : 'Retry';
  }
}

/** `get_from_in_use` never aborts at `REF_COUNT_MAX`: the count walks into the illegal band. */
export class NoOverflowAbort extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const word = this.refCountWord(slot);
    const rc = this.mem.load(word, Ordering.Relaxed);
    if (rc === this.REF_COUNT_UNUSED) return 'Unused';
    if (rc === this.REF_COUNT_UNIQUE) return 'Unique';
    if (rc === 0n) return 'Busy';
    return this.mem.compareExchangeWeak(word, rc, rc + 1n, Ordering.Acquire) === rc ? slot : 'Retry';
  }
}

/** `drop_last_in_place` publishes `REF_COUNT_UNUSED` before dropping the metadata. */
export class UnusedBeforeMetaDrop extends MetaRegion {
  override dropLastInPlace(slot: SlotPtr): void {
    this.mem.store(this.refCountWord(slot), this.REF_COUNT_UNUSED, Ordering.Release);
    this.dropMetaInPlace(slot);
  }
}

/** The acquire CAS expects a value the count never holds: `get_from_in_use` spins forever (a livelock). */
export class AcquireCasExpectsWrongValue extends MetaRegion {
  override getFromInUseLoop(slot: SlotPtr): SlotPtr | GetFrameError {
    const word = this.refCountWord(slot);
    const rc = this.mem.load(word, Ordering.Relaxed);
    if (rc === this.REF_COUNT_UNUSED) return 'Unused';
    if (rc === this.REF_COUNT_UNIQUE) return 'Unique';
    if (rc === 0n) return 'Busy';
    if (rc >= this.REF_COUNT_MAX) abort('ref_count_overflow', `get_from_in_use observed ${rc}`);
    return this.mem.compareExchangeWeak(word, rc + 1n, rc + 2n, Ordering.Acquire) === rc + 1n ? slot : 'Retry';
  }
}

/** The claim CAS expects the busy value 0 instead of `REF_COUNT_UNUSED`: no unused frame can be claimed. */
export class ClaimCasExpectsWrongValue extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = this.getSlot(paddr);
    if (typeof slot !== 'number') return slot;
    const word = this.refCountWord(slot);
    const observed = this.mem.compareExchange(word, 0n, 0n, Ordering.Acquire);
    if (observed !== 0n) return this.claimError(observed);
    this.writeMeta(slot, meta);
    this.mem.store(word, asUnique ? this.REF_COUNT_UNIQUE : 1n, Ordering.Release);
    return slot;
  }
}

/** The claim loads the count and then stores 0: two claims can both see `REF_COUNT_UNUSED` and both win. */
export class ClaimLoadThenStore extends MetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const slot = this.getSlot(paddr);
    if (typeof slot !== 'number') return slot;
    const word = this.refCountWord(slot);
    const observed = this.mem.load(word, Ordering.Acquire);
    if (observed !== this.REF_COUNT_UNUSED) return this.claimError(observed);
    this.mem.store(word, 0n, Ordering.Relaxed);
    this.writeMeta(slot, meta);
    this.mem.store(word, asUnique ? this.REF_COUNT_UNIQUE : 1n, Ordering.Release);
    return slot;
  }
}

/** A failed claim maps `REF_COUNT_UNIQUE` to `InUse` instead of `Unique`. */
export class UniqueReportedAsInUse extends MetaRegion {
  protected override claimError(observed: bigint): GetFrameError {
    return observed === 0n ? 'Busy' : 'InUse';
  }
}

/** `get_slot` checks the bound before the alignment: a misaligned address past `MAX_PADDR` is `OutOfBound`. */
export class GetSlotChecksSwapped extends MetaRegion {
  override getSlot(paddr: number): SlotPtr | SlotError {
    if (paddr >= this.maxPaddr || !(paddr >= 0)) return 'OutOfBound';
    if (paddr % PAGE_SIZE !== 0 || !Number.isInteger(paddr)) return 'NotAligned';
    return paddr / PAGE_SIZE;
  }
}

/** `get_slot` compares with `>` instead of `>=`: `MAX_PADDR` itself gets a slot past the region. */
export class GetSlotOffByOne extends MetaRegion {
  override getSlot(paddr: number): SlotPtr | SlotError {
    if (paddr % PAGE_SIZE !== 0 || !Number.isInteger(paddr)) return 'NotAligned';
    if (paddr > this.maxPaddr || !(paddr >= 0)) return 'OutOfBound';
    return paddr / PAGE_SIZE;
  }
}

/** `frame_to_meta` with a 56-byte slot: the count of frame `i > 0` lands inside another slot's storage. */
export class WrongSlotSize extends MetaRegion {
  override refCountWord(slot: SlotPtr): number {
    return slot * (this.layout.wordsPerSlot - 1) + this.layout.refCount;
  }
}
