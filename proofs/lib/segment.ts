/**
 * `Segment::split` / `Segment::slice` bounds: the real `Segment` class (impl/frame/Segment.ts) on a
 * real frame layer, and the u64 arithmetic of the Rust code, where the segment's addresses and the
 * caller's offsets are any `usize`.
 *
 * A segment satisfies its invariant: page-aligned `start < end`. The cross-check runs segments of up
 * to 64 frames (the layer's memory is real); the proof covers every u64.
 */
import { bv, type Bv } from '../../src/prove/bv.ts';
import type { Z3, ZBool, ZBv } from '../../src/prove/Obligation.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { Segment } from '../../impl/frame/Segment.ts';

/** The frames the cross-check's layer has. */
export const LAYER_FRAMES = 64;

/** A segment `start .. start + nframes pages` on a fresh layer of `LAYER_FRAMES` frames. */
export function segmentAt(start: number, nframes: number): Segment<null> {
  const layer = new FrameLayer(new MetaRegion({ maxPaddr: LAYER_FRAMES * PAGE_SIZE }));
  const s = Segment.fromUnused(layer, { start, end: start + nframes * PAGE_SIZE }, () => unit(KernelMeta));
  // the generators only produce segments inside the layer, which the layer can always claim
  if (typeof s === 'string') throw new Error(`segmentAt(${start}, ${nframes}): ${s}`);
  return s;
}

/** `f()`, or `'abort'` when it aborts the kernel (a failed `assert!`). */
export function orAbort<T>(f: () => T): T | 'abort' {
  try {
    return f();
  } catch (e) {
    if (e instanceof KernelAbort) return 'abort';
    throw e;
  }
}

/** The segment's terms: `start`, `end`, their invariant and `size = end − start`. */
export type SegmentBv = Readonly<{ b: Bv; start: ZBv; end: ZBv; size: ZBv; inv: ZBool }>;

/** The segment variables `start`, `end`. */
export function segmentBv(z: Z3): SegmentBv {
  const b = bv(z);
  const [start, end] = [b.v('start'), b.v('end')];
  const inv = z.And(b.multipleOf(start, PAGE_SIZE), b.multipleOf(end, PAGE_SIZE), start.ult(end));
  return { b, start, end, size: end.sub(start), inv };
}
