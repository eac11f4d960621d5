/**
 * The ghost owner of the whole metadata region: every slot's permission, every slot's owner, and the
 * obligation ledger, over the lazy index domain `[0, max_meta_slots)` (2^34 indices).
 *
 * Untouched indices read as the default unused owner, so a successor state shares every untouched
 * entry and "unchanged except at i" costs O(changes).
 *
 * @see vostd (seed era) `ostd/specs/mm/frame/meta_region_owners.rs`
 */
import type { ClauseNote, Invariant } from '../Op.ts';
import { note } from './clause.ts';
import { MAX_META_SLOTS, type FrameIndex, type ModelParams } from '../vocab.ts';
import { PMap } from '../util/PMap.ts';
import { metaAddr } from './mapping.ts';
import { MultisetLedger, type ObligationLedger } from './ObligationLedger.ts';
import { ghostEq, init, isInit, valueOf, type PointsTo } from './perms.ts';
import {
  defaultSlotOwner,
  META_SLOT_OWNER_INV,
  META_SLOT_WF,
  ownerEq,
  slotIds,
  type MetaSlot,
  type MetaSlotOwner,
} from './MetaSlotOwner.ts';

/** A slot's `PointsTo<MetaSlot>`. */
export type SlotPerm = PointsTo<MetaSlot>;

/** `MetaRegionOwners { slots, slot_owners, frame_obligations }` plus the instance parameters. */
export type MetaRegionOwners = Readonly<{
  p: ModelParams;
  /** Explicit entries only; `undefined` = the default permission, `null` = extracted (key absent). */
  slots: PMap<SlotPerm | null | undefined>;
  /** Explicit entries only; `undefined` = the default unused owner. */
  slotOwners: PMap<MetaSlotOwner | undefined>;
  frameObligations: ObligationLedger;
}>;

/** A region value (explicit construction: object spread is slow on this hot path). */
function region(
  p: ModelParams,
  slots: MetaRegionOwners['slots'],
  slotOwners: MetaRegionOwners['slotOwners'],
  frameObligations: ObligationLedger,
): MetaRegionOwners {
  return Object.freeze({ p, slots, slotOwners, frameObligations });
}

/** The region at boot: every slot unused, every permission present, no obligations. */
export function initialRegion(p: ModelParams): MetaRegionOwners {
  return Object.freeze({
    p,
    slots: PMap.empty<SlotPerm | null | undefined>(undefined),
    slotOwners: PMap.empty<MetaSlotOwner | undefined>(undefined),
    frameObligations: MultisetLedger.EMPTY,
  });
}

const permCache = new Map<FrameIndex, SlotPerm>();

/** The permission every present slot starts with: initialized, at `meta_addr(i)`. */
export function defaultSlotPerm(i: FrameIndex): SlotPerm {
  let perm = permCache.get(i);
  if (perm === undefined) {
    if (permCache.size > 4096) permCache.clear();
    perm = Object.freeze({ addr: metaAddr(i), contents: init(slotIds(i)) });
    permCache.set(i, perm);
  }
  return perm;
}

/** `slot_owners[i]`. */
export function slotOwner(r: MetaRegionOwners, i: FrameIndex): MetaSlotOwner {
  return r.slotOwners.get(i) ?? defaultSlotOwner(i, r.p);
}

/** `slots[i]`, or `undefined` when the key is absent (the permission was extracted). */
export function slotPerm(r: MetaRegionOwners, i: FrameIndex): SlotPerm | undefined {
  const v = r.slots.get(i);
  return v === null ? undefined : (v ?? defaultSlotPerm(i));
}

const inDomain = (i: FrameIndex) => Number.isInteger(i) && i >= 0 && i < MAX_META_SLOTS;

/**
 * `slots.contains_key(i)`: inside `[0, max_meta_slots)` a key is present unless extracted; outside it,
 * only an explicit entry (which no correct transition writes) is present.
 */
export function slotsContain(r: MetaRegionOwners, i: FrameIndex): boolean {
  return inDomain(i)
    ? r.slots.get(i) !== null
    : Number.isInteger(i) && i >= 0 && r.slots.has(i) && r.slots.get(i) !== null;
}

/** `slot_owners.contains_key(i)`: every index of `[0, max_meta_slots)`, plus any explicit entry outside it. */
export function slotOwnersContain(r: MetaRegionOwners, i: FrameIndex): boolean {
  return inDomain(i) || (Number.isInteger(i) && i >= 0 && r.slotOwners.has(i));
}

/** Whether `has` agrees on `a` and `b` at every key where their maps differ (the only keys where it can). */
function keysAgree<V>(
  a: MetaRegionOwners,
  b: MetaRegionOwners,
  map: (r: MetaRegionOwners) => PMap<V>,
  has: (r: MetaRegionOwners, i: FrameIndex) => boolean,
): boolean {
  if (map(a) === map(b)) return true;
  let eq = true;
  PMap.diff(map(a), map(b), (i) => {
    if (has(a, i) !== has(b, i)) eq = false;
  });
  return eq;
}

/** `a.slot_owners.dom() =~= b.slot_owners.dom()`: only explicit entries outside the domain can differ. */
export function slotOwnersDomEq(a: MetaRegionOwners, b: MetaRegionOwners): boolean {
  return keysAgree(a, b, (r) => r.slotOwners, slotOwnersContain);
}

/** `a.slots.dom() =~= b.slots.dom()`: the same keys present (an extraction or re-park changes it). */
export function slotsDomEq(a: MetaRegionOwners, b: MetaRegionOwners): boolean {
  return keysAgree(a, b, (r) => r.slots, slotsContain);
}

/** `ref_count(i)`. */
export function refCountAt(r: MetaRegionOwners, i: FrameIndex): bigint {
  return slotOwner(r, i).innerPerms.refCount.value;
}

/** The region with `slot_owners[i] := o` (shares the old entry when `o` is structurally equal to it). */
export function withSlotOwner(r: MetaRegionOwners, i: FrameIndex, o: MetaSlotOwner): MetaRegionOwners {
  const cur = r.slotOwners.get(i);
  if (cur === o || ownerEq(cur ?? defaultSlotOwner(i, r.p), o)) return r;
  const isDefault =
    o.usage === 'Unused' && o.innerPerms.refCount.value === r.p.refCountUnused && ownerEq(defaultSlotOwner(i, r.p), o);
  return region(r.p, r.slots, r.slotOwners.set(i, isDefault ? undefined : o), r.frameObligations);
}

/** `slots.tracked_remove(i)`: the permission leaves the region. */
export function extractSlotPerm(r: MetaRegionOwners, i: FrameIndex): MetaRegionOwners {
  return region(r.p, r.slots.set(i, null), r.slotOwners, r.frameObligations);
}

/** `sync_slot_perm` / `slots.tracked_insert(i, perm)`: the permission is re-parked. */
export function reparkSlotPerm(r: MetaRegionOwners, i: FrameIndex, perm: SlotPerm): MetaRegionOwners {
  return region(
    r.p,
    r.slots.set(i, ghostEq(perm, defaultSlotPerm(i)) ? undefined : perm),
    r.slotOwners,
    r.frameObligations,
  );
}

/** The region with a new ledger. */
export function withLedger(r: MetaRegionOwners, frameObligations: ObligationLedger): MetaRegionOwners {
  return region(r.p, r.slots, r.slotOwners, frameObligations);
}

/** The indices whose slot owner differs structurally between `a` and `b`. */
export function ownersChanged(a: MetaRegionOwners, b: MetaRegionOwners): FrameIndex[] {
  const out: FrameIndex[] = [];
  PMap.diff(a.slotOwners, b.slotOwners, (i) => {
    if (!ownerEq(slotOwner(a, i), slotOwner(b, i))) out.push(i);
  });
  return out;
}

/** The indices whose slot permission differs (in presence or value) between `a` and `b`. */
export function slotsChanged(a: MetaRegionOwners, b: MetaRegionOwners): FrameIndex[] {
  const out: FrameIndex[] = [];
  PMap.diff(a.slots, b.slots, (i) => {
    if (!ghostEq(slotPerm(a, i), slotPerm(b, i))) out.push(i);
  });
  return out;
}

/** `slot_owners_agree_except(other, idx)`: every owner but the one at `idx` is unchanged. */
export function slotOwnersAgreeExcept(a: MetaRegionOwners, b: MetaRegionOwners, idx: FrameIndex): boolean {
  return ownersChanged(a, b).every((i) => i === idx);
}

/** `*a == *b`: the same permissions, owners and ledger. */
export function regionEq(a: MetaRegionOwners, b: MetaRegionOwners): boolean {
  return (
    ownersChanged(a, b).length === 0 && slotsChanged(a, b).length === 0 && a.frameObligations.equals(b.frameObligations)
  );
}

/**
 * The indices whose `slots` or `slot_owners` entry differs between `a` and `b`: explicit keys added,
 * removed or changed, inside `[0, max_meta_slots)` or outside it, ascending. Every other index reads the
 * same in both, so a per-index conjunct of `inv()` that held there on `a` still holds on `b`.
 */
export function entriesChanged(a: MetaRegionOwners, b: MetaRegionOwners): FrameIndex[] {
  const keys: FrameIndex[] = [];
  const add = (i: FrameIndex) => void keys.push(i);
  if (a.slots !== b.slots) PMap.diff(a.slots, b.slots, add);
  if (a.slotOwners !== b.slotOwners) PMap.diff(a.slotOwners, b.slotOwners, add);
  keys.sort((x, y) => x - y);
  // A key changed in both maps is listed once.
  return keys.filter((i, k) => k === 0 || keys[k - 1] !== i);
}

/** The indices a region-wide quantifier must visit: every explicit entry (the rest are default and checked once). */
export function explicitIndices(r: MetaRegionOwners): FrameIndex[] {
  const keys = new Set<FrameIndex>();
  for (const [i] of r.slots.entries()) keys.add(i);
  for (const [i] of r.slotOwners.entries()) keys.add(i);
  return [...keys].sort((x, y) => x - y);
}

/** A region and an index: the subject of a per-index conjunct of `MetaRegionOwners::inv`. */
export type RegionAt = Readonly<{ region: MetaRegionOwners; i: FrameIndex }>;

const at = (
  name: string,
  verus: string,
  holds: (r: MetaRegionOwners, i: FrameIndex) => boolean,
): Invariant<RegionAt> => ({
  name: `MetaRegionOwners::inv.${name}`,
  verus,
  holds: (c) => holds(c.value.region, c.value.i),
  explain: (c) => ({
    i: c.value.i,
    slot_present: slotsContain(c.value.region, c.value.i),
    owner: slotOwner(c.value.region, c.value.i),
  }),
});

/**
 * The context `slot_wf` evaluates `MetaSlot::wf`'s conjuncts on: one, refilled per evaluation (this runs
 * at every touched slot of every checked call; no conjunct keeps its context or evaluates `slot_wf`).
 */
type WfCtx = { value: { slot: MetaSlot; owner: MetaSlotOwner }; p: ModelParams };
let wfCtx: WfCtx | undefined;

const slotWf = (r: MetaRegionOwners, i: FrameIndex, perm: SlotPerm): boolean => {
  const slot = valueOf(perm);
  if (slot === undefined) return false;
  const owner = slotOwner(r, i);
  const ctx = (wfCtx ??= { value: { slot, owner }, p: r.p });
  ctx.value.slot = slot;
  ctx.value.owner = owner;
  ctx.p = r.p;
  for (const w of META_SLOT_WF) if (!w.holds(ctx)) return false;
  return true;
};

/** The context `owner_inv` evaluates `MetaSlotOwner::inv`'s conjuncts on (one, refilled per evaluation, as `wfCtx`). */
let ownerCtx: { value: MetaSlotOwner; p: ModelParams } | undefined;

const ownerInv = (r: MetaRegionOwners, i: FrameIndex): boolean => {
  const value = slotOwner(r, i);
  const ctx = (ownerCtx ??= { value, p: r.p });
  ctx.value = value;
  ctx.p = r.p;
  for (const c of META_SLOT_OWNER_INV) if (!c.holds(ctx)) return false;
  return true;
};

/**
 * `MetaRegionOwners::inv()` as per-index conjuncts. `self.slots.dom().finite()` is not among them: a
 * persistent map has finitely many entries, so it is a note (`META_REGION_NOTES`), not a checked clause.
 */
export const META_REGION_INV: readonly Invariant<RegionAt>[] = [
  at(
    'owners_domain',
    'forall|i: usize| i < max_meta_slots() <==> #[trigger] self.slot_owners.contains_key(i)',
    (r, i) => inDomain(i) === slotOwnersContain(r, i),
  ),
  at(
    'owners_have_slots',
    'forall|i: usize| #[trigger] self.slot_owners.contains_key(i) ==> self.slots.contains_key(i)',
    (r, i) => slotsContain(r, i),
  ),
  at(
    'slots_domain',
    'forall|i: usize| #[trigger] self.slots.contains_key(i) ==> i < max_meta_slots()',
    (r, i) => !slotsContain(r, i) || i < MAX_META_SLOTS,
  ),
  at('slot_init', 'self.slots.contains_key(i) ==> self.slots[i].is_init()', (r, i) => {
    const perm = slotPerm(r, i);
    return perm === undefined || isInit(perm);
  }),
  at('slot_addr', 'self.slots.contains_key(i) ==> self.slots[i].addr() == meta_addr(i)', (r, i) => {
    const perm = slotPerm(r, i);
    return perm === undefined || perm.addr === metaAddr(i);
  }),
  at('slot_wf', 'self.slots.contains_key(i) ==> self.slots[i].value().wf(self.slot_owners[i])', (r, i) => {
    const perm = slotPerm(r, i);
    return perm === undefined || slotWf(r, i, perm);
  }),
  at('self_addr', 'self.slots.contains_key(i) ==> self.slot_owners[i].self_addr == self.slots[i].addr()', (r, i) => {
    const perm = slotPerm(r, i);
    return perm === undefined || slotOwner(r, i).selfAddr === perm.addr;
  }),
  at(
    'owner_inv',
    'forall|i: usize| #[trigger] self.slot_owners.contains_key(i) ==> self.slot_owners[i].inv()',
    ownerInv,
  ),
];

/**
 * The conjuncts of `MetaRegionOwners::inv()` about which keys `slots` and `slot_owners` hold. A ghost step
 * can break them at an index no call touched (a key added outside the region, a permission extracted from
 * another slot), so the contract layer evaluates them also at every index whose entry changed
 * ({@link entriesChanged}).
 */
export const META_REGION_DOMAIN: readonly Invariant<RegionAt>[] = META_REGION_INV.filter((c) =>
  /\.(owners_domain|owners_have_slots|slots_domain)$/.test(c.name),
);

/** The conjuncts of `MetaRegionOwners::inv()` that cannot fail in this representation, and why. */
export const META_REGION_NOTES: readonly ClauseNote[] = [
  note(
    'MetaRegionOwners::inv.slots_finite',
    'self.slots.dom().finite()',
    'a persistent map holds finitely many explicit entries over the bounded index domain [0, 2^35)',
  ),
];
