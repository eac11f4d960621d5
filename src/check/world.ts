/**
 * The world a checker runs the real implementation in: a metadata region (current or legacy
 * protocol, or a mutant) over the replay memory, the frame layer, and a small allocator.
 */
import { BitmapAllocator } from '../../impl/alloc/BitmapAllocator.ts';
import { KernelMeta, unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import { LegacyMetaRegion, MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { abort } from '../../impl/meta/abort.ts';
import { CURRENT_LAYOUT, LEGACY_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { modelParams, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { ReplayMemory } from './ReplayMemory.ts';
import type { Instance } from './instance.ts';
import { mutantByName } from '../mutants/catalog.ts';

/** The result of running one operation to completion: its result word and, for `alloc`, the frame it got. */
export type OpReturn = Readonly<{ result: string; frame: number }>;

/** Whether some program allocates: then the allocator manages every frame. */
export function usesAlloc(inst: Instance): boolean {
  return inst.programs.some((p) => (p.kind === 'any' ? p.ops.includes('alloc') : p.steps.some((s) => s.op === 'alloc')));
}

export class World {
  readonly inst: Instance;
  readonly p: ModelParams;
  readonly mem: ReplayMemory;
  readonly region: MetaRegion;
  readonly layer: FrameLayer;
  readonly allocator: BitmapAllocator;
  /** Words per slot, and the index of the allocator's word (after the slots). */
  readonly per: number;
  readonly allocWord: number;

  constructor(inst: Instance) {
    this.inst = inst;
    const legacy = inst.variant === 'legacy';
    const layout = legacy ? LEGACY_LAYOUT : CURRENT_LAYOUT;
    this.per = layout.wordsPerSlot;
    this.allocWord = inst.frames * this.per;
    this.mem = new ReplayMemory(this.initialWords(), layout.width);
    const opts: MetaRegionOptions = { maxPaddr: inst.frames * PAGE_SIZE, refCountMax: inst.refCountMax, memory: this.mem };
    const mutant = inst.mutant === undefined ? undefined : mutantByName(inst.mutant);
    this.region = mutant?.region ? mutant.region(opts, legacy) : legacy ? new LegacyMetaRegion(opts) : new MetaRegion(opts);
    this.allocator = new BitmapAllocator(this.mem, this.allocWord, inst.frames);
    // Frames return to the allocator only when it manages them (some program allocates); otherwise, as
    // in the peer models, the frames are outside any allocator and a last drop ends at REF_COUNT_UNUSED.
    const managed = usesAlloc(inst);
    const dealloc = { dealloc: (paddr: number, size: number) => this.allocator.dealloc(paddr, size) };
    const layerAlloc = managed && !legacy ? dealloc : undefined;
    this.layer = mutant?.layer ? mutant.layer(this.region, layerAlloc ?? { dealloc: () => undefined }) : new FrameLayer(this.region, layerAlloc);
    if (managed && this.region instanceof LegacyMetaRegion) this.region.dealloc = (p) => this.allocator.dealloc(p, PAGE_SIZE);
    this.p = modelParams({ protocol: inst.variant, maxPaddr: inst.frames * PAGE_SIZE, refCountMax: inst.refCountMax });
  }

  /** Every slot unused; the allocator owns every frame when `alloc` is in some program. */
  initialWords(): bigint[] {
    const layout = this.inst.variant === 'legacy' ? LEGACY_LAYOUT : CURRENT_LAYOUT;
    const shape = regionShape(layout, this.inst.frames);
    const words = Array.from({ length: shape.words }, (_, w) => shape.initialWord(w));
    words.push(usesAlloc(this.inst) ? BitmapAllocator.allFree(this.inst.frames) : 0n);
    return words;
  }

  /** The word index of frame `f`'s reference count. */
  rcWord(f: number): number {
    return this.region.refCountWord(f);
  }

  /** Runs operation `op` on frame `f` through the real implementation (under replay). */
  run(op: FrameOpName, f: number): OpReturn {
    const L = this.layer;
    const paddr = f * PAGE_SIZE;
    const res = (r: number | string) => ({ result: typeof r === 'number' ? 'ok' : r, frame: f });
    switch (op) {
      case 'from_unused':
        return res(L.fromUnused(paddr, unit(KernelMeta)));
      case 'from_unused_unique':
        return res(L.uniqueFromUnused(paddr, unit(KernelMeta)));
      case 'from_in_use':
        return res(L.fromInUse(paddr));
      case 'clone':
        L.clone(f);
        return res('ok');
      case 'drop':
        return res(L.drop(f) ? 'ok:last' : 'ok');
      case 'into_shared':
        L.intoShared(f);
        return res('ok');
      case 'try_into_unique':
        return res(L.tryIntoUnique(f) ? 'ok' : 'InUse');
      case 'drop_unique':
        L.dropUnique(f);
        return res('ok:last');
      case 'alloc': {
        const p = this.allocator.alloc();
        if (p === undefined) return { result: 'NoMemory', frame: -1 };
        const r = L.fromUnused(p, unit(UnitMeta));
        if (typeof r !== 'number') abort('unwrap_failed', `alloc_frame: Frame::from_unused(${p}) failed with ${r}`);
        return { result: 'ok', frame: p / PAGE_SIZE };
      }
    }
  }
}
