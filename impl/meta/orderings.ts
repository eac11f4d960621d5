/**
 * Every atomic access site of the reference-count protocol, with the ordering upstream gives it. The
 * implementation reads its orderings from this table (through `MetaRegion.orders`), so that the ordering
 * audit and the ordering mutants can weaken one site without a second copy of the code.
 *
 * @see upstream `ostd/src/mm/frame/meta.rs`, `mod.rs`, `unique.rs`
 */
import { Ordering } from './memory.ts';

/** The Rust method of an access: what `access` names in the ordering audit. */
export type AccessMethod =
  'load' | 'store' | 'compare_exchange' | 'compare_exchange_weak' | 'fetch_add' | 'fetch_sub' | 'fence';

export type OrderingSite = Readonly<{
  /** The item as upstream's source names it. */
  rust: string;
  access: AccessMethod;
  /** The ordering (a CAS's success ordering). */
  order: Ordering;
  /** A CAS's failure ordering. */
  failure?: Ordering;
}>;

/** The sites, by the name the implementation uses for each. */
export const UPSTREAM_ORDERINGS = {
  claimCas: {
    rust: 'MetaSlot::get_from_unused',
    access: 'compare_exchange',
    order: Ordering.Acquire,
    failure: Ordering.Relaxed,
  },
  claimStoreUnique: { rust: 'MetaSlot::get_from_unused', access: 'store', order: Ordering.Relaxed },
  claimStoreShared: { rust: 'MetaSlot::get_from_unused', access: 'store', order: Ordering.Release },
  acquireLoad: { rust: 'MetaSlot::get_from_in_use', access: 'load', order: Ordering.Relaxed },
  acquireCas: {
    rust: 'MetaSlot::get_from_in_use',
    access: 'compare_exchange_weak',
    order: Ordering.Acquire,
    failure: Ordering.Relaxed,
  },
  incRefCount: { rust: 'MetaSlot::inc_ref_count', access: 'fetch_add', order: Ordering.Relaxed },
  dropLastStore: { rust: 'drop_last_in_place', access: 'store', order: Ordering.Release },
  frameDropDecrement: { rust: 'Frame::drop', access: 'fetch_sub', order: Ordering.Release },
  frameDropFence: { rust: 'Frame::drop', access: 'fence', order: Ordering.Acquire },
  intoSharedStore: { rust: 'From<UniqueFrame> for Frame', access: 'store', order: Ordering.Release },
  tryIntoUniqueCas: {
    rust: 'TryFrom<Frame> for UniqueFrame',
    access: 'compare_exchange',
    order: Ordering.Relaxed,
    failure: Ordering.Relaxed,
  },
  uniqueDropStore: { rust: 'UniqueFrame::drop', access: 'store', order: Ordering.Relaxed },
  resetAsUnusedStore: { rust: 'UniqueFrame::reset_as_unused', access: 'store', order: Ordering.Release },
  referenceCountLoad: { rust: 'Frame::reference_count', access: 'load', order: Ordering.Relaxed },
  inListLoad: { rust: 'LinkedList::contains', access: 'load', order: Ordering.Relaxed },
  inListStore: { rust: 'CursorMut::insert_before', access: 'store', order: Ordering.Relaxed },
} as const satisfies Readonly<Record<string, OrderingSite>>;

export type OrderingSiteName = keyof typeof UPSTREAM_ORDERINGS;

/** The orderings an implementation runs with: upstream's, or some sites weakened. */
export type Orderings = Readonly<Record<OrderingSiteName, OrderingSite>>;

/** Upstream's orderings with `changes` applied (each site replaced by the ordering given for it). */
export function withOrderings(changes: Readonly<Partial<Record<OrderingSiteName, Partial<OrderingSite>>>>): Orderings {
  const out: Record<string, OrderingSite> = { ...UPSTREAM_ORDERINGS };
  for (const [k, v] of Object.entries(changes)) out[k] = { ...out[k]!, ...v };
  return out as Orderings;
}
