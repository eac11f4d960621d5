/**
 * Seeded bugs in frame lists and segments. List variants override one method of `LinkedList`;
 * segment variants replace `Segment::slice` or `Segment::split`, written against the segment's public
 * surface (its state is private to the class, so a subclass could not reach it).
 */
import type { FrameLayer } from '../../impl/frame/Frame.ts';
import { LinkedList, VostdLinkedList } from '../../impl/frame/LinkedList.ts';
import { Segment, type PaddrRange } from '../../impl/frame/Segment.ts';
import { abort } from '../../impl/meta/abort.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { SegmentOps } from './catalog.ts';

/** vostd's `push_back`: inserts before the last element (the frame becomes the second to last). */
export const PushBackBeforeLast = VostdLinkedList;

/** `pop_front` leaves the frame's `in_list` set to the list's id after taking it out. */
export class InListNotCleared extends LinkedList {
  override popFront(): SlotPtr | null {
    const frame = super.popFront();
    if (frame !== null) this.region.setInList(frame, this.listId);
    return frame;
  }
}

/** The segment operations of the real implementation. */
export const REAL_SEGMENT_OPS: SegmentOps = {
  slice: (seg, range) => seg.slice(range),
  split: (seg, offset) => seg.split(offset),
};

/**
 * `Segment`'s constructor, private in TypeScript only: a variant of a `Segment` method builds its result
 * with it, exactly as the method itself does.
 */
const SegmentCtor = Segment as unknown as new <M>(layer: FrameLayer, start: number, end: number) => Segment<M>;

/** `a + b` in wrapping u64 arithmetic (what Rust computes in a release build without a checked add). */
function wrappingAdd(a: number, b: number): number {
  return Number(BigInt.asUintN(64, BigInt(a) + BigInt(b)));
}

/**
 * `Segment::slice` before asterinas PR #3587: the addresses `start + range.start` and `start + range.end`
 * are computed (wrapping) before any bound is checked, and the check is made on the addresses — so an
 * offset past 2^64 − start wraps around, passes, and the slice takes references to frames outside the
 * segment (asterinas issue #3165).
 */
export function sliceWithoutOverflowCheck<M>(seg: Segment<M>, range: PaddrRange): Segment<M> {
  if (
    range.start % PAGE_SIZE !== 0 ||
    range.end % PAGE_SIZE !== 0 ||
    !Number.isInteger(range.start) ||
    !Number.isInteger(range.end)
  )
    abort('assertion_failed', `Segment::slice: range ${range.start}..${range.end} is not page aligned`);
  const start = wrappingAdd(seg.startPaddr, range.start);
  const end = wrappingAdd(seg.startPaddr, range.end);
  if (!(start <= end && end <= seg.endPaddr))
    abort('assertion_failed', `Segment::slice: ${start}..${end} not inside the segment`);
  for (let p = start; p < end; p += PAGE_SIZE) seg.layer.clone(p / PAGE_SIZE);
  return new SegmentCtor<M>(seg.layer, start, end);
}

/** `Segment::split` asserting `offset <= size` instead of `offset < size`: a split at the end yields an empty half. */
export function splitOffByOne<M>(seg: Segment<M>, offset: number): [Segment<M>, Segment<M>] {
  const size = seg.size;
  if (!Number.isSafeInteger(offset) || offset % PAGE_SIZE !== 0)
    abort('assertion_failed', `Segment::split: offset ${offset} is not page aligned`);
  if (!(0 < offset && offset <= size)) abort('assertion_failed', `Segment::split: offset ${offset} not in 0..=${size}`);
  const { start, end } = seg.forget();
  return [new SegmentCtor<M>(seg.layer, start, start + offset), new SegmentCtor<M>(seg.layer, start + offset, end)];
}
