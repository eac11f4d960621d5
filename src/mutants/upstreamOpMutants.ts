/**
 * Seeded bugs in the upstream operations the explorer runs besides the reference-count protocol's own:
 * `inc_frame_ref_count`, `Frame::borrow`, `Frame::reference_count`, `UniqueFrame::into_raw`,
 * `UniqueFrame::repurpose`, `Frame::from_raw` (what `Segment`'s `next` and `drop` rebuild a frame with)
 * and `frame_to_meta` as `Segment::slice` reaches it. Each class overrides exactly one method of
 * `FrameLayer`; each entry names the smallest instance on which `framecheck check` kills it.
 */
import { FrameLayer, FrameRef } from '../../impl/frame/Frame.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { OP } from '../../spec/protocol/FrameProtocol.ts';
import { OP_TABLE } from '../ops/opTable.ts';
import type { Mutant } from './catalog.ts';

/** `inc_frame_ref_count` without `inc_ref_count`'s overflow abort: the count passes `REF_COUNT_MAX`. */
export class IncFrameRefCountNoAbort extends FrameLayer {
  override incFrameRefCount(paddr: number): void {
    const r = this.region;
    r.mem.fetchAdd(r.refCountWord(this.frameToMeta(paddr)), 1n, r.orders.incRefCount.order);
  }
}

/** `inc_frame_ref_count` computes the slot one past the frame's (`frame_to_meta` off by one slot). */
export class IncFrameRefCountNextSlot extends FrameLayer {
  override incFrameRefCount(paddr: number): void {
    this.region.incRefCount((this.frameToMeta(paddr) + 1) % this.region.nslots);
  }
}

/** A `FrameRef` that owns its `Frame` instead of a `ManuallyDrop` of it: the end of the borrow drops it. */
class OwningFrameRef extends FrameRef {
  override release(): void {
    const slot = this.slot;
    super.release();
    this.layer.drop(slot);
  }
}

/** `Frame::borrow` hands out a `FrameRef` whose drop runs `Frame::drop`. */
export class FrameRefDropsFrame extends FrameLayer {
  override borrow(slot: SlotPtr): FrameRef {
    return new OwningFrameRef(this, slot);
  }
}

/** `Frame::reference_count` leaves the caller's own reference out (it reports the other references). */
export class ReferenceCountExcludesSelf extends FrameLayer {
  override frameReferenceCount(slot: SlotPtr): bigint {
    return super.frameReferenceCount(slot) - 1n;
  }
}

/** `UniqueFrame::into_raw` without the `ManuallyDrop`: the handle is dropped, and `from_raw` restores a freed frame. */
export class UniqueIntoRawDrops extends FrameLayer {
  override uniqueIntoRaw(slot: SlotPtr): number {
    this.dropUnique(slot);
    return this.region.framePaddr(slot);
  }
}

/** `UniqueFrame::repurpose` as `reset_as_unused` and a new claim: the frame passes through UNUSED, where anyone may claim it. */
export class RepurposeViaReset extends FrameLayer {
  override repurpose(slot: SlotPtr, meta: FrameMeta): void {
    this.resetAsUnused(slot);
    this.uniqueFromUnused(this.region.framePaddr(slot), meta);
  }
}

/** `Frame::from_raw` takes a new reference (as `from_in_use` would) instead of restoring the forgotten one. */
export class FromRawTakesReference extends FrameLayer {
  override fromRaw(paddr: number): SlotPtr {
    const slot = super.fromRaw(paddr);
    this.region.incRefCount(slot);
    return slot;
  }
}

/** A check instance: `frames` frames, one fixed program per thread, and `extra` flags. */
const fixed = (frames: number, extra: string, ...programs: (readonly string[])[]) =>
  `--frames ${frames} --threads ${programs.length} --program "${programs.map((p, t) => `${t}:${p.join(',')}`).join(';')}"${extra}`;

/** The mutants of the upstream operations, in catalog order. */
export const UPSTREAM_OP_MUTANTS: readonly Mutant[] = [
  {
    name: 'inc_frame_ref_count_no_overflow_abort',
    description: 'inc_frame_ref_count increments without the overflow abort: the count passes REF_COUNT_MAX',
    target: 'frame',
    layer: (r, a) => new IncFrameRefCountNoAbort(r, a),
    instance: fixed(1, ' --ref-count-max 1', [OP.from_unused, OP.inc_frame_ref_count]),
    missing: {
      op: OP_TABLE.inc_frame_ref_count.rust,
      fact: 'the count goes up by exactly one and never past REF_COUNT_MAX (vostd HEAD states it; framecheck binds no seed-era contract to the operation)',
      inVostd: true,
    },
  },
  {
    name: 'inc_frame_ref_count_next_slot',
    description:
      "inc_frame_ref_count increments the next slot's count (frame_to_meta off by one slot): Segment::slice takes its reference on the wrong frame",
    target: 'frame',
    layer: (r, a) => new IncFrameRefCountNextSlot(r, a),
    instance: fixed(2, '', [OP.from_unused, OP.segment_slice]),
    missing: {
      op: OP_TABLE.inc_frame_ref_count.rust,
      fact: 'only the slot frame_to_meta(paddr) changes (vostd HEAD: forall i != frame_to_index(paddr) ==> slot_owners[i] unchanged)',
      inVostd: true,
    },
  },
  {
    name: 'frame_ref_drops_frame',
    description:
      "Frame::borrow's FrameRef owns the Frame instead of a ManuallyDrop of it: ending the borrow drops a reference",
    target: 'frame',
    layer: (r, a) => new FrameRefDropsFrame(r, a),
    instance: fixed(1, '', [OP.from_unused, OP.borrow]),
    missing: {
      op: 'Frame::borrow',
      fact: '*final(regions) == *old(regions), also once the FrameRef is gone (vostd HEAD states it for the borrow only)',
      inVostd: true,
    },
  },
  {
    name: 'reference_count_excludes_self',
    description: "Frame::reference_count reports the count less the caller's own reference",
    target: 'frame',
    layer: (r, a) => new ReferenceCountExcludesSelf(r, a),
    instance: fixed(1, '', [OP.from_unused, OP.reference_count]),
    missing: {
      op: 'Frame::reference_count',
      fact: "returns slot_own.ref_count() (vostd HEAD's returns clause)",
      inVostd: true,
    },
  },
  {
    name: 'unique_into_raw_drops',
    description:
      'UniqueFrame::into_raw drops the handle instead of forgetting it: from_raw restores a frame already freed',
    target: 'frame',
    layer: (r, a) => new UniqueIntoRawDrops(r, a),
    instance: fixed(1, '', [OP.from_unused_unique, OP.unique_into_raw]),
    missing: {
      op: 'UniqueFrame::into_raw',
      fact: "slot_owners unchanged (vostd HEAD's into_raw_ensures)",
      inVostd: true,
    },
  },
  {
    name: 'repurpose_via_reset',
    description:
      'UniqueFrame::repurpose resets the frame to unused and claims it again: in between it is UNUSED while the UniqueFrame still exists',
    target: 'frame',
    layer: (r, a) => new RepurposeViaReset(r, a),
    instance: fixed(1, '', [OP.from_unused_unique, OP.repurpose]),
    missing: {
      op: 'UniqueFrame::repurpose',
      fact: 'no other thread can claim the frame while it is repurposed: the count never leaves REF_COUNT_UNIQUE (a sequential contract cannot say it)',
    },
  },
  {
    name: 'frame_from_raw_takes_reference',
    description:
      "Frame::from_raw takes a new reference instead of restoring the forgotten one: Segment's next and drop leak one reference per frame",
    target: 'frame',
    layer: (r, a) => new FromRawTakesReference(r, a),
    instance: fixed(1, '', [OP.from_unused, OP.segment_next]),
    missing: {
      op: 'Frame::from_raw',
      fact: "slot_owners unchanged: the count is what into_raw left (vostd's from_raw ensures; framecheck binds no contract to Segment's next and drop per frame)",
      inVostd: true,
    },
  },
];
