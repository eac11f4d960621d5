/**
 * Seeded bugs in the frame handles: each class overrides exactly one method of `FrameLayer`.
 */
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';

/** The last `Frame::drop` returns the frame to the allocator before resetting the slot. */
export class DeallocBeforeReset extends FrameLayer {
  override drop(slot: SlotPtr): boolean {
    const r = this.region;
    if (r.mem.fetchSub(r.refCountWord(slot), 1n, Ordering.Release) !== 1n) return false;
    r.mem.fence(Ordering.Acquire);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
    r.dropLastInPlace(slot);
    return true;
  }
}

/** `From<UniqueFrame> for Frame` stores a count of 2 instead of 1. */
export class IntoSharedStoresTwo extends FrameLayer {
  override intoShared(slot: SlotPtr): void {
    this.region.mem.store(this.region.refCountWord(slot), 2n, Ordering.Release);
  }
}

/** `TryFrom<Frame> for UniqueFrame` succeeds with one or two references (the CAS expects what it loaded). */
export class TryIntoUniqueWithTwo extends FrameLayer {
  override tryIntoUnique(slot: SlotPtr): boolean {
    const r = this.region;
    const word = r.refCountWord(slot);
    const rc = r.mem.load(word, Ordering.Relaxed);
    if (rc !== 1n && rc !== 2n) return false;
    return r.mem.compareExchange(word, rc, r.REF_COUNT_UNIQUE, Ordering.Relaxed) === rc;
  }
}

/** `UniqueFrame::drop` resets the slot but never returns the frame to the allocator: it leaks. */
export class UniqueDropLeaks extends FrameLayer {
  override dropUnique(slot: SlotPtr): void {
    const r = this.region;
    r.mem.store(r.refCountWord(slot), 0n, Ordering.Relaxed);
    r.dropLastInPlace(slot);
  }
}

/**
 * `Frame::drop` decrements with `Relaxed` instead of `Release` and skips the `Acquire` fence: the last
 * dropper may tear down metadata whose writes by another holder it has not seen. Under sequentially
 * consistent exploration it behaves exactly like the real code.
 */
export class DropRelaxedDecrement extends FrameLayer {
  override drop(slot: SlotPtr): boolean {
    const r = this.region;
    if (r.mem.fetchSub(r.refCountWord(slot), 1n, Ordering.Relaxed) !== 1n) return false;
    r.dropLastInPlace(slot);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
    return true;
  }
}
