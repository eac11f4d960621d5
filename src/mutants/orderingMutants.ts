/**
 * One ordering mutant per load-bearing site of the ordering audit: the site weakened one step, the rest
 * of the implementation as upstream has it. Only an engine that explores weak memory can kill them.
 */
import { LegacyMetaRegion, MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { UPSTREAM_ORDERINGS, withOrderings, type OrderingSiteName } from '../../impl/meta/orderings.ts';
import type { Mutant } from './catalog.ts';
import { ORDERING_NAMES } from '../memory/rc11/orderingAudit.ts';

/** The load-bearing sites (`framecheck orderings`), each weakened to Relaxed (a fence: removed). */
const SITES: readonly Readonly<{ site: OrderingSiteName; name: string; fact: string }>[] = [
  { site: 'claimCas', name: 'claim_cas_relaxed', fact: 'the claim acquires the teardown a last drop released' },
  {
    site: 'claimStoreShared',
    name: 'claim_publish_relaxed',
    fact: 'the count 1 publishes the metadata the claim wrote',
  },
  {
    site: 'acquireCas',
    name: 'acquire_cas_relaxed',
    fact: 'get_from_in_use acquires the metadata the claim published',
  },
  {
    site: 'dropLastStore',
    name: 'unused_store_relaxed',
    fact: 'REF_COUNT_UNUSED releases the teardown to the next claim',
  },
  {
    site: 'frameDropDecrement',
    name: 'drop_decrement_relaxed',
    fact: 'every decrement releases the handle’s accesses',
  },
  { site: 'frameDropFence', name: 'drop_fence_removed', fact: 'the last drop acquires the other handles’ releases' },
  {
    site: 'intoSharedStore',
    name: 'into_shared_relaxed',
    fact: 'From<UniqueFrame> publishes the unique owner’s writes',
  },
];

function orderingMutant(s: (typeof SITES)[number]): Mutant {
  const site = UPSTREAM_ORDERINGS[s.site];
  const orderings = withOrderings({ [s.site]: { order: Ordering.Relaxed } });
  const what =
    site.access === 'fence'
      ? `without its ${ORDERING_NAMES[site.order]} fence`
      : `with ${site.access} ${ORDERING_NAMES[site.order]} weakened to Relaxed`;
  return {
    name: s.name,
    description: `${site.rust} ${what} (an ordering-only bug: the weak-memory explorer kills it)`,
    target: 'meta-slot',
    region: (opts, legacy) =>
      legacy ? new LegacyMetaRegion({ ...opts, orderings }) : new MetaRegion({ ...opts, orderings }),
    weakMemory: true,
    missing: { op: site.rust, fact: `${s.fact} (memory orderings are outside vostd’s verified surface)` },
  };
}

export const ORDERING_MUTANTS: readonly Mutant[] = SITES.map(orderingMutant);
