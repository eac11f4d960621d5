/**
 * The invariant conjuncts of a spec version: what the explorer, the audit and the contract layer
 * evaluate under `--spec seed|head`.
 */
import type { Invariant } from '../Op.ts';
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { META_REGION_DOMAIN, META_REGION_INV, type RegionAt } from '../meta/MetaRegionOwners.ts';
import { regionInvAt } from '../meta/MetaSlot.ts';
import { META_SLOT_OWNER_INV, META_SLOT_WF, type MetaSlot, type MetaSlotOwner } from '../meta/MetaSlotOwner.ts';
import { HEAD_META_REGION_DOMAIN, HEAD_META_REGION_INV, headRegionInvAt } from './MetaRegionOwners.ts';
import { HEAD_META_SLOT_OWNER_INV, HEAD_META_SLOT_WF } from './MetaSlotOwner.ts';

/** The invariant tables of one spec version. */
export type InvariantSet = Readonly<{
  slotOwnerInv: readonly Invariant<MetaSlotOwner>[];
  slotWf: readonly Invariant<Readonly<{ slot: MetaSlot; owner: MetaSlotOwner }>>[];
  regionInv: readonly Invariant<RegionAt>[];
  /** The conjuncts of `regionInv` about which keys the maps hold, also evaluated where an entry changed. */
  regionDomain: readonly Invariant<RegionAt>[];
  /** `MetaRegionOwners::inv()` over some indices, memoized. */
  regionInvAt: typeof regionInvAt;
}>;

const SEED: InvariantSet = Object.freeze({
  slotOwnerInv: META_SLOT_OWNER_INV,
  slotWf: META_SLOT_WF,
  regionInv: META_REGION_INV,
  regionDomain: META_REGION_DOMAIN,
  regionInvAt,
});
const HEAD: InvariantSet = Object.freeze({
  slotOwnerInv: HEAD_META_SLOT_OWNER_INV,
  slotWf: HEAD_META_SLOT_WF,
  regionInv: HEAD_META_REGION_INV,
  regionDomain: HEAD_META_REGION_DOMAIN,
  regionInvAt: headRegionInvAt,
});

/** The clause-coverage key of clause `name` of `spec`: HEAD's clauses are counted apart (`head:NAME`). */
export function coverageKey(spec: SpecVersion | undefined, name: string): string {
  return spec === 'head' ? `head:${name}` : name;
}

/** The invariant tables of `spec` (the seed's when none is given). */
export function invariantsOf(spec: SpecVersion | undefined): InvariantSet {
  return spec === 'head' ? HEAD : SEED;
}
