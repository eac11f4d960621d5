/**
 * The region facts the frame-handle specs share: outcomes, `MAX_NR_PAGES`, and the "everything else is
 * unchanged" conjuncts vostd repeats in every Frame/UniqueFrame contract.
 *
 * @see vostd (seed era) `ostd/specs/mm/frame/frame_specs.rs`, `meta_specs.rs`
 */
import type { Clause, Outcome, PreCtx } from '../Op.ts';
import { clauseMaker } from '../meta/clause.ts';
import { regionInvAt } from '../meta/MetaSlot.ts';
import { slotsChanged, slotOwner, slotOwnersAgreeExcept, type MetaRegionOwners } from '../meta/MetaRegionOwners.ts';
import { rc, type MetaSlotOwner } from '../meta/MetaSlotOwner.ts';
import {
  FRAME_METADATA_RANGE,
  MAX_META_SLOTS,
  META_SLOT_SIZE,
  PAGE_SIZE,
  type FrameIndex,
  type ModelParams,
  type Vaddr,
} from '../vocab.ts';

/** A returning outcome of `next`. */
export function ret<S, R>(final: S, result: R): Outcome<S, R> {
  return Object.freeze({ kind: 'return', final, result });
}

/** The aborting outcome of `next`. */
export const PANIC = Object.freeze({ kind: 'panic' }) as Outcome<never, never>;

/** The `may_panic` clause of an op that never aborts. */
export function neverPanics<C>(op: string): Clause<C> {
  return clauseMaker<C>(op, 'may_panic')('never', '(no may_panic clause)', () => false);
}

/** `MAX_NR_PAGES = MAX_PADDR / PAGE_SIZE`. */
export function maxNrPages(p: ModelParams): number {
  return Math.floor(p.maxPaddr / PAGE_SIZE);
}

/**
 * Whether `addr` is a slot address a handle may hold: 64-aligned and inside
 * `[FRAME_METADATA_RANGE.start, FRAME_METADATA_RANGE.start + MAX_NR_PAGES * META_SLOT_SIZE)`.
 */
export function handleAddrOk(addr: Vaddr, p: ModelParams): boolean {
  const slot = BigInt(META_SLOT_SIZE);
  return (
    addr % slot === 0n &&
    FRAME_METADATA_RANGE.start <= addr &&
    addr < FRAME_METADATA_RANGE.start + BigInt(maxNrPages(p)) * slot
  );
}

/** Whether `i` is in the slot-owner domain `[0, max_meta_slots())` (`slot_owners.contains_key(i)`). */
export function ownersContain(i: FrameIndex): boolean {
  return Number.isInteger(i) && i >= 0 && i < MAX_META_SLOTS;
}

/** `regions.inv()` over the indices a call can have touched (the rest were checked before). */
export function regionInv(r: MetaRegionOwners, indices: readonly FrameIndex[]): boolean {
  return regionInvAt(
    r,
    indices.filter((i) => ownersContain(i)),
  );
}

/** `final.slots =~= old.slots`. */
export function slotsUnchanged(a: MetaRegionOwners, b: MetaRegionOwners): boolean {
  return a.slots === b.slots || slotsChanged(a, b).length === 0;
}

/** `forall|i| i != idx ==> final.slot_owners[i] == old.slot_owners[i]`. */
export function othersUnchanged(a: MetaRegionOwners, b: MetaRegionOwners, idx: FrameIndex): boolean {
  return a.slotOwners === b.slotOwners || slotOwnersAgreeExcept(a, b, idx);
}

/** The owners at `i` before and after. */
export function ownersAt(a: MetaRegionOwners, b: MetaRegionOwners, i: FrameIndex): [MetaSlotOwner, MetaSlotOwner] {
  return [slotOwner(a, i), slotOwner(b, i)];
}

/** `ref_count(i)` of a region, for explanations. */
export function rcAt(r: MetaRegionOwners, i: FrameIndex): bigint {
  return rc(slotOwner(r, i));
}

/** A `requires` clause maker whose context is the region before the call. */
export type RegionPre<A> = PreCtx<MetaRegionOwners, A>;
