/**
 * The world a checker runs the real implementation in: a metadata region (current or legacy
 * protocol, or a mutant) over the replay memory, the frame layer, and a small allocator.
 */
import { BitmapAllocator } from '../../impl/alloc/BitmapAllocator.ts';
import { KernelMeta, unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import { LegacyMetaRegion, MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import type { Memory } from '../../impl/meta/memory.ts';
import { CURRENT_LAYOUT, LEGACY_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import { link, LinkedList, ListIdAllocator } from '../../impl/frame/LinkedList.ts';
import type { PaddrRange, Segment } from '../../impl/frame/Segment.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import {
  ALLOCATOR_OPS,
  opDef,
  OP_NAMES,
  OP_TABLE,
  type FrameLayerOps,
  type OpReturn,
  type OpSubject,
  type SegmentSplit,
} from '../ops/opTable.ts';
import { modelParams, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { ReplayMemory } from './ReplayMemory.ts';
import type { Instance } from './instance.ts';

export type { FrameLayerOps, OpReturn };

/** Whether some program allocates: then the allocator manages every frame. */
export function usesAlloc(inst: Instance): boolean {
  return ALLOCATOR_OPS.some((op) => usesOp(inst, op));
}

/** Whether some program runs `op`. */
export function usesOp(inst: Instance, op: FrameOpName): boolean {
  return inst.programs.some((p) => (p.kind === 'any' ? p.ops.includes(op) : p.steps.some((s) => s.op === op)));
}

/** `Segment::slice` and `Segment::split` as functions of the segment (what a subject may replace). */
export type SubjectSegmentOps = Readonly<{
  slice: <M>(seg: Segment<M>, range: PaddrRange) => Segment<M>;
  split: SegmentSplit;
}>;

const REAL_SEGMENT: SubjectSegmentOps = {
  slice: (seg, range) => seg.slice(range),
  split: (seg, offset) => seg.split(offset),
};

/**
 * What a world runs instead of the real implementation: a mutant's or a user's region, frame layer,
 * frame list (`LinkedList`, for `list_drop`) and segment operations (`Segment::split`, for `segment_split`).
 */
export type Subject = Readonly<{
  region?: (opts: MetaRegionOptions, legacy: boolean) => MetaRegion;
  layer?: (region: MetaRegion, allocator: Deallocator) => FrameLayerOps;
  list?: (layer: FrameLayer, ids: ListIdAllocator) => LinkedList;
  segment?: (base: SubjectSegmentOps) => SubjectSegmentOps;
}>;

/** The allocator `alloc` takes frames from: lock-free, every access through the world's memory. */
export type WorldAllocator = Readonly<{ alloc(): number | undefined; dealloc(paddr: number, size: number): boolean }>;

/** How a world builds its allocator: its initial words (after the slots) and the allocator over them. */
export type AllocatorFactory = Readonly<{
  words: (frames: number, managed: boolean) => bigint[];
  make: (mem: Memory, firstWord: number, frames: number) => WorldAllocator;
  /** Whether the allocator whose words start at `firstWord` of `words` holds frame `f` free. */
  isFree: (words: readonly bigint[], firstWord: number, f: number) => boolean;
}>;

/** The explorer's allocator: one bitmap word, at most 64 frames. */
export const BITMAP_ALLOCATOR: AllocatorFactory = {
  words: (frames, managed) => [managed ? BitmapAllocator.allFree(frames) : 0n],
  make: (mem, word, frames) => new BitmapAllocator(mem, word, frames),
  isFree: (words, word, f) => ((words[word]! >> BigInt(f)) & 1n) === 1n,
};

export class World {
  readonly inst: Instance;
  readonly p: ModelParams;
  readonly mem: ReplayMemory;
  readonly region: MetaRegion;
  readonly layer: FrameLayerOps;
  readonly allocator: WorldAllocator;
  readonly allocatorFactory: AllocatorFactory;
  /** What the operation table calls: the frame layer, the allocator, and the metadata a claim installs. */
  readonly subject: OpSubject;
  /** Words per slot, and the index of the allocator's word (after the slots). */
  readonly per: number;
  readonly allocWord: number;

  /**
   * `subject` is what the caller resolved (`undefined`: framecheck's own implementation, as the
   * instance's variant says); `allocator` defaults to one bitmap word.
   */
  constructor(inst: Instance, subject: Subject | undefined, allocator: AllocatorFactory = BITMAP_ALLOCATOR) {
    // An instance naming a mutant run without it would pass for the real implementation's verdict.
    if (subject === undefined && inst.mutant !== undefined)
      throw new Error(`impossible: instance of mutant '${inst.mutant}' run without its subject`);
    this.inst = inst;
    this.allocatorFactory = allocator;
    const legacy = inst.variant === 'legacy';
    const layout = legacy ? LEGACY_LAYOUT : CURRENT_LAYOUT;
    this.per = layout.wordsPerSlot;
    this.allocWord = inst.frames * this.per;
    this.mem = new ReplayMemory(this.initialWords(), layout.width);
    const opts: MetaRegionOptions = {
      maxPaddr: inst.frames * PAGE_SIZE,
      refCountMax: inst.refCountMax,
      memory: this.mem,
    };
    const mutant = subject;
    this.region = mutant?.region
      ? mutant.region(opts, legacy)
      : legacy
        ? new LegacyMetaRegion(opts)
        : new MetaRegion(opts);
    this.allocator = allocator.make(this.mem, this.allocWord, inst.frames);
    // Frames return to the allocator only when it manages them (some program allocates); otherwise, as
    // in the peer models, the frames are outside any allocator and a last drop ends at REF_COUNT_UNUSED.
    const managed = usesAlloc(inst);
    const dealloc = { dealloc: (paddr: number, size: number) => this.allocator.dealloc(paddr, size) };
    const layerAlloc = managed && !legacy ? dealloc : undefined;
    this.layer = mutant?.layer
      ? mutant.layer(this.region, layerAlloc ?? { dealloc: () => undefined })
      : new FrameLayer(this.region, layerAlloc);
    if (managed && this.region instanceof LegacyMetaRegion)
      this.region.dealloc = (p) => this.allocator.dealloc(p, PAGE_SIZE);
    const layer = this.layer;
    const makeList = mutant?.list ?? ((l: FrameLayer, ids: ListIdAllocator) => new LinkedList(l, ids));
    // A list holds `UniqueFrame<Link<M>>`s: when some program puts frames in lists, claims install `Link`.
    const lists = OP_NAMES.some((op) => opDef(op).lists === true && usesOp(inst, op));
    this.subject = {
      layer,
      alloc: () => this.allocator.alloc(),
      meta: lists ? link(0n) : unit(KernelMeta),
      allocMeta: lists ? link(0n) : unit(UnitMeta),
      split: (mutant?.segment?.(REAL_SEGMENT) ?? REAL_SEGMENT).split,
      // Each list gets the id `f + 1` of the one frame it holds, unique among the lists alive at once:
      // upstream's global counter (LIST_ID_ALLOCATOR) is outside the explorer's memory, and an id that
      // depended on how many lists the search made before would make a step depend on more than its state.
      ...(lists &&
        layer instanceof FrameLayer && { list: (f: number) => makeList(layer, new ListIdAllocator(BigInt(f) + 1n)) }),
    };
    this.p = modelParams({ protocol: inst.variant, maxPaddr: inst.frames * PAGE_SIZE, refCountMax: inst.refCountMax });
  }

  /** Every slot unused; the allocator owns every frame when `alloc` is in some program. */
  initialWords(): bigint[] {
    const layout = this.inst.variant === 'legacy' ? LEGACY_LAYOUT : CURRENT_LAYOUT;
    const shape = regionShape(layout, this.inst.frames);
    const words = Array.from({ length: shape.words }, (_, w) => shape.initialWord(w));
    words.push(...this.allocatorFactory.words(this.inst.frames, usesAlloc(this.inst)));
    return words;
  }

  /** The word index of frame `f`'s reference count. */
  rcWord(f: number): number {
    return this.region.refCountWord(f);
  }

  /** Runs operation `op` on frame `f` through the real implementation (under replay). */
  run(op: FrameOpName, f: number): OpReturn {
    const r = OP_TABLE[op].call(this.subject, f, f * PAGE_SIZE);
    return { result: r.result, frame: r.frame };
  }
}
