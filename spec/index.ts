/**
 * The ghost model's public surface: the op specs, the invariants and the words they speak.
 */
export type { Clause, Invariant, OpSpec, Outcome, PostCtx, PreCtx } from './Op.ts';
export { clausesOf } from './Op.ts';
export * as vocab from './vocab.ts';
export { getSlot, getFromUnused, getFromInUse, getFromInUseLoop } from './meta/MetaSlot.ts';
export { incRefCount, framePaddr, asMetaPtr, writeMeta, dropLastInPlace, dropMetaInPlace } from './meta/MetaSlotOps.ts';
export { META_SLOT_OWNER_INV, META_SLOT_WF } from './meta/MetaSlotOwner.ts';
export { META_REGION_INV, initialRegion } from './meta/MetaRegionOwners.ts';
