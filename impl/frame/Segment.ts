/**
 * `Segment<M>`: a contiguous range of frames, each holding one reference the segment owns, as
 * `ostd/src/mm/frame/segment.rs` keeps them (one forgotten `Frame` per page).
 *
 * Operation failures are values (`GetFrameError`); a broken assertion of the Rust code aborts the
 * kernel (`KernelAbort`). Using a segment after it was moved (dropped, split, forgotten) throws: Rust's
 * move semantics make that unreachable, so it is a bug of the caller, not an outcome.
 *
 * @see upstream `ostd/src/mm/frame/segment.rs`; vostd `ostd/src/mm/frame/segment.rs`
 */
import { abort } from '../meta/abort.ts';
import type { FrameMeta } from '../meta/frameMeta.ts';
import type { GetFrameError, SlotPtr } from '../meta/MetaSlot.ts';
import { PAGE_SIZE } from '../meta/pageSize.ts';
import type { FrameLayer } from './Frame.ts';

/** A half-open physical address range `start..end` (`Range<Paddr>`), or an offset range inside a segment. */
export type PaddrRange = Readonly<{ start: number; end: number }>;

function isWhole(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

function isPageAligned(x: number): boolean {
  return isWhole(x) && x % PAGE_SIZE === 0;
}

/** A contiguous range of frames with metadata of type `M`; one reference per frame is owned. */
export class Segment<M = unknown> {
  readonly layer: FrameLayer;
  #start: number;
  #end: number;
  #moved = false;

  private constructor(layer: FrameLayer, start: number, end: number) {
    this.layer = layer;
    this.#start = start;
    this.#end = end;
  }

  /**
   * `Segment::from_unused(range, metadata_fn)`: claims every frame of `range` with
   * `Frame::from_unused(paddr, metaFn(paddr))`, front to back.
   *
   * ## Preconditions (checked, in this order)
   * - `NotAligned`: `range.start` and `range.end` are page aligned.
   * - `OutOfBound`: `range.end <= MAX_PADDR`.
   * - **Aborts** unless `range.start < range.end` (upstream `assert!`).
   * ## Postconditions
   * - **Correctness**: on success every frame has count 1 and the metadata `metaFn` gave it.
   * - **Frame**: on an error part-way, every frame claimed so far is dropped again through
   *   `Frame::drop` (upstream drops the partial segment), so it is unused and returned to the
   *   allocator; the error of the failing frame is returned.
   */
  static fromUnused<M>(
    layer: FrameLayer,
    range: PaddrRange,
    metaFn: (paddr: number) => FrameMeta<M>,
  ): Segment<M> | GetFrameError {
    const { start, end } = range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start % PAGE_SIZE !== 0 || end % PAGE_SIZE !== 0)
      return 'NotAligned';
    if (end > layer.region.maxPaddr || !isWhole(start)) return 'OutOfBound';
    if (!(start < end)) abort('assertion_failed', `Segment::from_unused: empty range ${start}..${end}`);
    const partial = new Segment<M>(layer, start, start);
    for (let paddr = start; paddr < end; paddr += PAGE_SIZE) {
      const slot = layer.fromUnused(paddr, metaFn(paddr));
      if (typeof slot !== 'number') {
        partial.drop();
        return slot;
      }
      partial.#end = paddr + PAGE_SIZE;
    }
    return partial;
  }

  /** The first physical address (`start_paddr`). */
  get startPaddr(): number {
    return this.#live().#start;
  }

  /** One past the last physical address (`end_paddr`). */
  get endPaddr(): number {
    return this.#live().#end;
  }

  /** The size in bytes (`size`). */
  get size(): number {
    return this.#live().#end - this.#start;
  }

  /** The number of frames. */
  get nframes(): number {
    return this.size / PAGE_SIZE;
  }

  /** `From<Frame<M>> for Segment<M>`: the frame's reference moves into a one-frame segment (no count changes). */
  static fromFrame<M>(layer: FrameLayer, slot: SlotPtr): Segment<M> {
    const paddr = layer.intoRaw(slot);
    return new Segment<M>(layer, paddr, paddr + PAGE_SIZE);
  }

  /**
   * `Segment::from_raw(range)` (`unsafe`, `pub(crate)`): the segment whose references were forgotten over
   * `range` (by `into_raw`, `ManuallyDrop` or `Frame::into_raw` of each frame); no count changes.
   * Upstream `debug_assert!`s both ends page aligned.
   */
  static fromRaw<M>(layer: FrameLayer, range: PaddrRange): Segment<M> {
    if (!isPageAligned(range.start) || !isPageAligned(range.end))
      abort('assertion_failed', `Segment::from_raw: range ${range.start}..${range.end} is not page aligned`);
    return new Segment<M>(layer, range.start, range.end);
  }

  /** `Clone for Segment`: one more reference to every frame (`inc_frame_ref_count`). */
  clone(): Segment<M> {
    this.#live();
    for (let p = this.#start; p < this.#end; p += PAGE_SIZE) this.layer.incFrameRefCount(p);
    return new Segment<M>(this.layer, this.#start, this.#end);
  }

  /**
   * `Drop for Segment`: drops the reference to every frame (`Frame::from_raw(paddr)` then drop). Consumes
   * the segment. Returns how many of those drops released the last reference (Rust returns nothing).
   */
  drop(): number {
    this.#live();
    this.#moved = true;
    let last = 0;
    for (let p = this.#start; p < this.#end; p += PAGE_SIZE) if (this.layer.drop(this.layer.fromRaw(p))) last++;
    return last;
  }

  /**
   * `ManuallyDrop::new(segment)`: consumes the segment and leaves every count as it is (the frames'
   * references are forgotten). Returns the range it covered.
   */
  forget(): PaddrRange {
    this.#live();
    this.#moved = true;
    return { start: this.#start, end: this.#end };
  }

  /**
   * `Segment::split(offset)`: the frames before and from `offset`, consuming this segment; the
   * references move, no count changes.
   *
   * ## Aborts
   * Unless `offset` is page aligned and `0 < offset < size` (upstream `assert!`s).
   */
  split(offset: number): [Segment<M>, Segment<M>] {
    const size = this.size;
    if (!isPageAligned(offset)) abort('assertion_failed', `Segment::split: offset ${offset} is not page aligned`);
    if (!(0 < offset && offset < size)) abort('assertion_failed', `Segment::split: offset ${offset} not in 0..${size}`);
    this.#moved = true;
    const at = this.#start + offset;
    return [new Segment<M>(this.layer, this.#start, at), new Segment<M>(this.layer, at, this.#end)];
  }

  /**
   * `Segment::slice(range)`: a new segment over the frames at byte offsets `range` of this one, with
   * one more reference to each.
   *
   * ## Aborts
   * Unless both ends are page aligned, `range.start <= range.end` and `range.end <= size`. These are
   * checked on the offsets *before* any address is computed, so `start + range.end` cannot overflow
   * (the arithmetic overflow vostd found upstream: asterinas issue #3165, fixed by PR #3587).
   */
  slice(range: PaddrRange): Segment<M> {
    const size = this.size;
    if (!isPageAligned(range.start) || !isPageAligned(range.end))
      abort('assertion_failed', `Segment::slice: range ${range.start}..${range.end} is not page aligned`);
    if (!(range.start <= range.end && range.end <= size))
      abort('assertion_failed', `Segment::slice: range ${range.start}..${range.end} not inside 0..${size}`);
    const start = this.#start + range.start;
    const end = this.#start + range.end;
    for (let p = start; p < end; p += PAGE_SIZE) this.layer.incFrameRefCount(p);
    return new Segment<M>(this.layer, start, end);
  }

  /**
   * `Iterator for Segment`: yields the frames front to back, each as the slot of a `Frame` that now
   * owns the segment's reference (`Frame::from_raw`); the caller drops it. Frames not yet taken when
   * the iteration stops stay in the segment.
   */
  *[Symbol.iterator](): Generator<SlotPtr, void, undefined> {
    this.#live();
    while (this.#start < this.#end) {
      const slot = this.layer.fromRaw(this.#start);
      this.#start += PAGE_SIZE;
      yield slot;
    }
  }

  #live(): this {
    // Rust moves a segment into drop/split/forget; a later use does not compile there.
    if (this.#moved) throw new Error('Segment used after it was moved (dropped, split or forgotten)');
    return this;
  }
}
