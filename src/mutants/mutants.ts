/**
 * The seeded bugs. Each overrides exactly one method of the real implementation.
 */
import { abort } from '../../impl/meta/abort.ts';
import { LegacyMetaRegion, MetaRegion, type GetFrameError, type MetaRegionOptions, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { Mutant } from './catalog.ts';

/** `get_from_in_use` treats a count of 0 as in use: it resurrects a frame under construction or teardown. */
class FromInUseAcceptsZero extends MetaRegion {
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
class NoOverflowAbort extends MetaRegion {
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
class UnusedBeforeMetaDrop extends MetaRegion {
  override dropLastInPlace(slot: SlotPtr): void {
    this.mem.store(this.refCountWord(slot), this.REF_COUNT_UNUSED, Ordering.Release);
    this.dropMetaInPlace(slot);
  }
}

/** The acquire CAS expects a value the count never holds: `get_from_in_use` spins forever (a livelock). */
class AcquireCasExpectsWrongValue extends MetaRegion {
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

const make =
  <T extends MetaRegion>(C: new (o: MetaRegionOptions) => T) =>
  (o: MetaRegionOptions, legacy: boolean): MetaRegion => {
    if (legacy) return new LegacyMetaRegion(o);
    return new C(o);
  };

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'from_in_use_accepts_zero',
    description: 'get_from_in_use accepts a count of 0 (no Busy): it resurrects a frame whose metadata is being written or dropped',
    region: make(FromInUseAcceptsZero),
    instance: '--frames 1 --threads 2 --program "0:from_unused;1:from_in_use"',
  },
  {
    name: 'no_overflow_abort',
    description: 'get_from_in_use does not abort at REF_COUNT_MAX: the count enters the illegal band between MAX and UNIQUE',
    region: make(NoOverflowAbort),
    instance: '--frames 1 --threads 1 --program "0:from_unused,from_in_use,from_in_use" --ref-count-max 2',
  },
  {
    name: 'unused_before_meta_drop',
    description: 'drop_last_in_place stores REF_COUNT_UNUSED before dropping the metadata: a new owner can claim a slot whose metadata is still live',
    region: make(UnusedBeforeMetaDrop),
    instance: '--frames 1 --threads 1 --program "0:from_unused,drop"',
  },
  {
    name: 'acquire_cas_expects_wrong_value',
    description: 'the get_from_in_use CAS expects the count plus one: it never succeeds, and the thread spins forever (livelock)',
    region: make(AcquireCasExpectsWrongValue),
    instance: '--frames 1 --threads 2 --program "0:from_unused;1:from_in_use"',
  },
];
