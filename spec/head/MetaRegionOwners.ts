/**
 * vostd HEAD's `MetaRegionOwners::inv()` as per-index conjuncts, over the seed mirror's region value.
 *
 * HEAD's `slots` is `Map<int, &'static PointsTo<MetaSlot>>`: a slot permission is borrowed, never
 * extracted, so every HEAD transition keeps every key of `slots`. The TypeScript region can still
 * represent an absent key (the seed's extraction), which is why `owners_have_slots` stays a checked
 * clause here; and it can hold an explicit entry outside `[0, max_meta_slots)` (wrong proof code parking a
 * permission or recording an owner there), which is why `owners_domain` and `slots_domain` are checked
 * clauses too (they were notes; the contract layer evaluates them at every changed entry,
 * `src/contract/regionDomain.ts`).
 *
 * @see vostd b5b972861 `ostd/specs/mm/frame/meta_region_owners.rs`: `impl Inv for MetaRegionOwners`
 */
import type { Invariant } from '../Op.ts';
import type { FrameIndex } from '../vocab.ts';
import { metaAddr } from '../meta/mapping.ts';
import {
  slotOwner,
  slotOwnersContain,
  slotPerm,
  slotsContain,
  type MetaRegionOwners,
  type RegionAt,
} from '../meta/MetaRegionOwners.ts';
import { isInit, valueOf } from '../meta/perms.ts';
import { memoRegionInv } from '../meta/MetaSlot.ts';
import { HEAD_META_SLOT_WF, headOwnerInv } from './MetaSlotOwner.ts';
import { ownersContain } from '../frame/regionFacts.ts';

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
    'slots.contains_key(i)': slotsContain(c.value.region, c.value.i),
    'slot_owners[i]': slotOwner(c.value.region, c.value.i),
  }),
});

/** `self.slots.contains_key(i) ==> P(self.slots[i])`. */
const present = (
  r: MetaRegionOwners,
  i: FrameIndex,
  p: (perm: NonNullable<ReturnType<typeof slotPerm>>) => boolean,
) => {
  const perm = slotPerm(r, i);
  return perm === undefined || p(perm);
};

/** vostd HEAD `MetaRegionOwners::inv()`, the conjuncts that can fail on a TypeScript region. */
export const HEAD_META_REGION_INV: readonly Invariant<RegionAt>[] = [
  at(
    'owners_domain',
    'forall|i: int| 0 <= i < max_meta_slots() <==> #[trigger] self.slot_owners.contains_key(i)',
    (r, i) => ownersContain(i) === slotOwnersContain(r, i),
  ),
  at(
    'owners_have_slots',
    'forall|i: int| #[trigger] self.slot_owners.contains_key(i) ==> self.slots.contains_key(i)',
    (r, i) => slotsContain(r, i),
  ),
  at(
    'slots_domain',
    'forall|i: int| #[trigger] self.slots.contains_key(i) ==> 0 <= i < max_meta_slots()',
    (r, i) => !slotsContain(r, i) || ownersContain(i),
  ),
  at('owner_inv', 'self.slots.contains_key(i) ==> self.slot_owners[i].inv()', (r, i) =>
    present(r, i, () => headOwnerInv(slotOwner(r, i), r.p)),
  ),
  at('slot_init', 'self.slots.contains_key(i) ==> self.slots[i].is_init()', (r, i) => present(r, i, (s) => isInit(s))),
  at('slot_addr', 'self.slots.contains_key(i) ==> self.slots[i].addr() == index_to_meta(i)', (r, i) =>
    present(r, i, (s) => s.addr === metaAddr(i)),
  ),
  at('slot_wf', 'self.slots.contains_key(i) ==> self.slots[i].value().wf(self.slot_owners[i])', (r, i) =>
    present(r, i, (s) => {
      const slot = valueOf(s);
      const owner = slotOwner(r, i);
      return slot !== undefined && HEAD_META_SLOT_WF.every((w) => w.holds({ value: { slot, owner }, p: r.p }));
    }),
  ),
  at('slot_vaddr', 'self.slots.contains_key(i) ==> self.slot_owners[i].slot_vaddr == self.slots[i].addr()', (r, i) =>
    present(r, i, (s) => slotOwner(r, i).selfAddr === s.addr),
  ),
];

/** HEAD's conjuncts about which keys `slots` and `slot_owners` hold (see the seed's `META_REGION_DOMAIN`). */
export const HEAD_META_REGION_DOMAIN: readonly Invariant<RegionAt>[] = HEAD_META_REGION_INV.filter((c) =>
  /\.(owners_domain|owners_have_slots|slots_domain)$/.test(c.name),
);

/** HEAD's `MetaRegionOwners::inv()` over the indices a call can have touched, memoized per (region, index). */
export const headRegionInvAt: (r: MetaRegionOwners, indices: readonly number[]) => boolean =
  memoRegionInv(HEAD_META_REGION_INV);

/** HEAD's `regions.inv()` over the indices a frame-handle call can have touched (those in the owner domain). */
export function headRegionInv(r: MetaRegionOwners, indices: readonly FrameIndex[]): boolean {
  return headRegionInvAt(
    r,
    indices.filter((i) => ownersContain(i)),
  );
}
