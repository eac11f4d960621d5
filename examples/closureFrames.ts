/**
 * A second, independent implementation of the frame-metadata protocol, written for
 * `framecheck conform` in a functional style: no classes, no inheritance, every operation a closure
 * over the options framecheck passes in. It imports nothing from framecheck at run time (the imports
 * below are types only), so it is what a third party would write.
 *
 *     npm run build && node bin/framecheck.js conform --impl dist/examples/closureFrames.js
 *
 * The protocol is upstream OSTD's (`ostd/src/mm/frame/meta.rs`, `frame/mod.rs`, `frame/unique.rs`):
 * a claim CASes `UNUSED → 0`, writes the metadata, then publishes 1 (or `UNIQUE`); an acquire loops
 * on a weak CAS `rc → rc + 1`; the last drop goes through 0, drops the metadata, publishes `UNUSED`
 * and returns the frame to the allocator.
 */
import type {
  FrameMeta,
  FrameOps,
  GetFrameError,
  ImplementationOptions,
  Ordering,
  SlotPtr,
} from '../src/conform/Implementation.ts';

/** Shown in reports. */
export const name = 'examples/closureFrames';
/** The protocol this module implements. */
export const protocol = 'current';

const PAGE = 4096;
const RELAXED: Ordering = 0;
const ACQUIRE: Ordering = 1;
const RELEASE: Ordering = 2;

type Lookup = SlotPtr | 'NotAligned' | 'OutOfBound';

/** Builds the operations over `o.memory`. */
export function createImplementation(o: ImplementationOptions): FrameOps {
  const mem = o.memory;
  const UNUSED = o.refCountUnused;
  const UNIQUE = o.refCountUnique ?? UNUSED;
  const count = (slot: SlotPtr): number => slot * o.layout.wordsPerSlot + o.layout.refCount;
  const lookup = (paddr: number): Lookup =>
    !Number.isInteger(paddr) || paddr % PAGE !== 0
      ? 'NotAligned'
      : paddr < 0 || paddr >= o.maxPaddr
        ? 'OutOfBound'
        : paddr / PAGE;
  const busyOrUsed = (seen: bigint): GetFrameError => (seen === UNIQUE ? 'Unique' : seen === 0n ? 'Busy' : 'InUse');
  const inUseError = (rc: bigint): GetFrameError | undefined =>
    rc === UNUSED ? 'Unused' : rc === UNIQUE ? 'Unique' : rc === 0n ? 'Busy' : undefined;

  const claimWith =
    (publish: bigint, order: Ordering) =>
    (paddr: number, meta: FrameMeta): SlotPtr | GetFrameError => {
      const slot = lookup(paddr);
      if (typeof slot !== 'number') return slot;
      const seen = mem.compareExchange(count(slot), UNUSED, 0n, ACQUIRE);
      if (seen !== UNUSED) return busyOrUsed(seen);
      o.metadata.write(slot, meta);
      mem.store(count(slot), publish, order);
      return slot;
    };

  const fromInUse = (paddr: number): SlotPtr | GetFrameError => {
    const slot = lookup(paddr);
    if (typeof slot !== 'number') return slot;
    for (;;) {
      const rc = mem.load(count(slot), RELAXED);
      const error = inUseError(rc);
      if (error !== undefined) return error;
      if (rc >= o.refCountMax) o.abort('ref_count_overflow', `from_in_use at ${rc}`);
      if (mem.compareExchangeWeak(count(slot), rc, rc + 1n, ACQUIRE) === rc) return slot;
    }
  };

  const teardown = (slot: SlotPtr): void => {
    o.metadata.drop(slot);
    mem.store(count(slot), UNUSED, RELEASE);
    o.dealloc(slot * PAGE);
  };

  return Object.freeze({
    fromUnused: claimWith(1n, RELEASE),
    uniqueFromUnused: claimWith(UNIQUE, RELAXED),
    fromInUse,
    clone: (slot: SlotPtr) => {
      if (mem.fetchAdd(count(slot), 1n, RELAXED) >= o.refCountMax)
        o.abort('ref_count_overflow', 'clone at REF_COUNT_MAX');
    },
    drop: (slot: SlotPtr) => {
      const last = mem.fetchSub(count(slot), 1n, RELEASE) === 1n;
      if (last) (mem.fence(ACQUIRE), teardown(slot));
      return last;
    },
    intoShared: (slot: SlotPtr) => mem.store(count(slot), 1n, RELEASE),
    tryIntoUnique: (slot: SlotPtr) => mem.compareExchange(count(slot), 1n, UNIQUE, RELAXED) === 1n,
    dropUnique: (slot: SlotPtr) => {
      mem.store(count(slot), 0n, RELAXED);
      teardown(slot);
    },
  });
}
