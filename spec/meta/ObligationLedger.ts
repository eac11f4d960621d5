/**
 * The obligation ledger: `MetaRegionOwners.frame_obligations`, a multiset of slot indices with one
 * occurrence per live `Frame`/`UniqueFrame` value and one per frame covered by a live `Segment`.
 *
 * Behind an interface because vostd is replacing the ledger with fractional permissions (a per-handle
 * share count); a replacement implements the same four operations.
 *
 * @see vostd `ostd/specs/mm/frame/meta_region_owners.rs` (`frame_obligations`, `mint_frame_obligation`)
 */
import type { FrameIndex } from '../vocab.ts';
import { PMap } from '../util/PMap.ts';

export interface ObligationLedger {
  /** `frame_obligations.count(i)`. */
  count(i: FrameIndex): number;
  /** `frame_obligations.insert(i)`. */
  mint(i: FrameIndex): ObligationLedger;
  /** `frame_obligations.remove(i)`; removing an absent index leaves the multiset unchanged, as vstd's `remove`. */
  redeem(i: FrameIndex): ObligationLedger;
  /** `frame_obligations.len()`. */
  readonly len: number;
  /** `=~=`: the same count at every index. */
  equals(other: ObligationLedger): boolean;
  /** The indices with a non-zero count. */
  entries(): IterableIterator<[FrameIndex, number]>;
}

/** The multiset ledger of the seed-era model, on a persistent map so that equality is O(changes). */
export class MultisetLedger implements ObligationLedger {
  static readonly EMPTY = new MultisetLedger(PMap.empty<number | undefined>(undefined), 0);
  private readonly counts: PMap<number | undefined>;
  readonly len: number;

  private constructor(counts: PMap<number | undefined>, len: number) {
    this.counts = counts;
    this.len = len;
  }

  count(i: FrameIndex): number {
    return this.counts.get(i) ?? 0;
  }

  mint(i: FrameIndex): ObligationLedger {
    return new MultisetLedger(this.counts.set(i, this.count(i) + 1), this.len + 1);
  }

  redeem(i: FrameIndex): ObligationLedger {
    const n = this.count(i);
    if (n === 0) return this;
    return new MultisetLedger(this.counts.set(i, n === 1 ? undefined : n - 1), this.len - 1);
  }

  equals(other: ObligationLedger): boolean {
    if (!(other instanceof MultisetLedger)) {
      return this.len === other.len && [...other.entries()].every(([i, n]) => this.count(i) === n);
    }
    if (this.len !== other.len) return false;
    let same = true;
    PMap.diff(this.counts, other.counts, (_k, a, b) => {
      if ((a ?? 0) !== (b ?? 0)) same = false;
    });
    return same;
  }

  *entries(): IterableIterator<[FrameIndex, number]> {
    for (const [i, n] of this.counts.entries()) if (n !== undefined) yield [i, n];
  }
}
