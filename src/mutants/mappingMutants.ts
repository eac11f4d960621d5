/**
 * Seeded bugs in the address conversions the MetaSlot layer makes inside its own operations:
 * `mapping::frame_to_meta` (from `get_slot`), `MetaSlot::addr_of` and `mapping::meta_to_frame` (from
 * `frame_paddr`). Each class overrides exactly one method of `MetaRegion`; the contract layer checks
 * these internal calls against the seed's clauses (`src/contract/internalCalls.ts`).
 */
import { MetaRegion, META_SLOT_SIZE, type MetaOffset, type SlotError, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { LegacyMetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { Mutant } from './catalog.ts';

/** `get_slot` without its alignment check: a misaligned address is mapped to the slot of the frame it falls in. */
export class GetSlotRoundsDown extends MetaRegion {
  override getSlot(paddr: number): SlotPtr | SlotError {
    if (!Number.isInteger(paddr)) return 'NotAligned';
    if (paddr >= this.maxPaddr || !(paddr >= 0)) return 'OutOfBound';
    return this.slotAt(this.frameToMeta(paddr));
  }
}

/** `frame_to_meta` one slot too far: `base + (paddr / PAGE_SIZE + 1) * META_SLOT_SIZE` (the last frame's wraps to slot 0). */
export class FrameToMetaNextSlot extends MetaRegion {
  override frameToMeta(paddr: number): MetaOffset {
    return ((Math.floor(paddr / PAGE_SIZE) + 1) % this.nslots) * META_SLOT_SIZE;
  }
}

/** `addr_of` answers the previous slot's address (`self as *const MetaSlot` offset by -1). */
export class AddrOfPreviousSlot extends MetaRegion {
  override addrOf(slot: SlotPtr): MetaOffset {
    return (slot - 1) * META_SLOT_SIZE;
  }
}

/** `addr_of` answers the address of the slot's `ref_count` field (at byte 40) instead of the slot's own. */
export class AddrOfFieldAddress extends MetaRegion {
  override addrOf(slot: SlotPtr): MetaOffset {
    return slot * META_SLOT_SIZE + 40;
  }
}

const region =
  <T extends MetaRegion>(C: new (o: MetaRegionOptions) => T) =>
  (o: MetaRegionOptions, legacy: boolean): MetaRegion =>
    legacy ? new LegacyMetaRegion(o) : new C(o);

/** The mapping mutants, in catalog order. */
export const MAPPING_MUTANTS: readonly Mutant[] = [
  {
    name: 'get_slot_rounds_down',
    description:
      'get_slot skips the alignment check: a misaligned address is handed to frame_to_meta and claims the slot of the frame it falls in',
    target: 'meta-slot',
    region: region(GetSlotRoundsDown),
  },
  {
    name: 'frame_to_meta_next_slot',
    description:
      'frame_to_meta computes the slot one past the frame\u2019s: every get_slot (and so every claim) lands on the next frame\u2019s metadata',
    target: 'meta-slot',
    region: region(FrameToMetaNextSlot),
  },
  {
    name: 'addr_of_previous_slot',
    description:
      'MetaSlot::addr_of answers the previous slot\u2019s address: frame_paddr names the frame before, which a drop then deallocates',
    target: 'meta-slot',
    region: region(AddrOfPreviousSlot),
  },
  {
    name: 'addr_of_field_address',
    description:
      'MetaSlot::addr_of answers the address of the slot\u2019s ref_count field: meta_to_frame gets a misaligned address (its integer division still lands on the right frame)',
    target: 'meta-slot',
    region: region(AddrOfFieldAddress),
    internal: 'meta_to_frame rounds the misaligned address down to the right frame, so every result is the correct one',
  },
];
