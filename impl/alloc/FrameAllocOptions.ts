/**
 * `FrameAllocOptions`: how OSTD allocates frames for its users — one frame or a contiguous segment from
 * the global allocator, each frame claimed with `Frame::from_unused`, and zero-filled unless the caller
 * opted out (`zeroed` is `true` by default, so a frame never carries a previous owner's data).
 *
 * @see OSTD `FrameAllocOptions` (ostd/src/mm/frame/allocator.rs)
 */
import type { FrameLayer } from '../frame/Frame.ts';
import { Segment } from '../frame/Segment.ts';
import { abort } from '../meta/abort.ts';
import type { FrameMeta } from '../meta/frameMeta.ts';
import type { SlotPtr } from '../meta/MetaSlot.ts';
import { PAGE_SIZE, type Layout, type Paddr } from './vocab.ts';

/** The global allocator as `FrameAllocOptions` uses it: `alloc(layout) -> Option<Paddr>`. */
export type FrameSource = Readonly<{ alloc(layout: Layout): Paddr | undefined }>;

/** OSTD's `Error` values the options return. */
export type FrameAllocError = 'NoMemory' | 'InvalidArgs';

/** Options for allocating frames, over a frame layer and the allocator its frames come from. */
export class FrameAllocOptions {
  readonly layer: FrameLayer;
  readonly source: FrameSource;
  /** Whether allocated frames are filled with zeros (`FrameAllocOptions::new()` sets it). */
  isZeroed: boolean;

  /** `FrameAllocOptions::new()`: zero-initialized frames. */
  constructor(layer: FrameLayer, source: FrameSource) {
    this.layer = layer;
    this.source = source;
    this.isZeroed = true;
  }

  /** `zeroed(bool)`: sets whether the allocated frames are filled with zeros. */
  zeroed(zeroed: boolean): this {
    this.isZeroed = zeroed;
    return this;
  }

  /**
   * `alloc_frame_with(metadata)`: one frame from the allocator, claimed with `Frame::from_unused`
   * (aborting if the claim fails: upstream's `unwrap`), zeroed when `isZeroed`.
   */
  allocFrame(meta: FrameMeta): SlotPtr | FrameAllocError {
    const paddr = this.source.alloc({ size: PAGE_SIZE, align: PAGE_SIZE });
    if (paddr === undefined) return 'NoMemory';
    const slot = this.layer.fromUnused(paddr, meta);
    if (typeof slot !== 'number')
      abort('unwrap_failed', `alloc_frame: Frame::from_unused(${paddr}) failed with ${slot}`);
    if (this.isZeroed) this.layer.region.phys.fill0(paddr, PAGE_SIZE);
    return slot;
  }

  /** `alloc_segment_with(nframes, metadata_fn)`: `nframes` contiguous frames; `InvalidArgs` for none. */
  allocSegment<M>(nframes: number, metaFn: (paddr: Paddr) => FrameMeta<M>): Segment<M> | FrameAllocError {
    if (!Number.isSafeInteger(nframes) || nframes <= 0) return 'InvalidArgs';
    const start = this.source.alloc({ size: nframes * PAGE_SIZE, align: PAGE_SIZE });
    if (start === undefined) return 'NoMemory';
    const segment = Segment.fromUnused(this.layer, { start, end: start + nframes * PAGE_SIZE }, metaFn);
    if (typeof segment === 'string')
      abort('unwrap_failed', `alloc_segment: Segment::from_unused failed with ${segment}`);
    if (this.isZeroed) this.layer.region.phys.fill0(start, nframes * PAGE_SIZE);
    return segment;
  }
}
