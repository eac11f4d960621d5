/**
 * The fast form of `FrameAllocOptions::alloc_frame_with` (see `fastPath.ts`): each clause of its table
 * as a predicate over the call's footprint — the one slot the allocator handed out, read as
 * `Frame::from_unused`'s footprint is, and the allocator's old and final free sets as its checked
 * `alloc` left them. A predicate answers `true` only when the clause holds for the ghost states the
 * full check would build; anything it cannot decide answers `false`, and the full check then runs.
 */
import { allocFrameWith } from '../../spec/alloc/FrameAllocOptions.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { specialize, type FastCheck, type FastClause } from './fastPath.ts';
import { newLayerFootprint, type LayerFootprint } from './uniqueFastForms.ts';

/**
 * The footprint of a checked `alloc_frame_with`: the claimed slot's (`f.i`, read when the allocator
 * returned it, before the claim), plus what the clauses read of the allocator and the frame's bytes.
 * `old`/`final` are the allocator ghost before and after the call (its checked `alloc`'s).
 */
export type AllocFootprint = LayerFootprint & {
  /** The options' `zeroed`, and whether the frame reads as zeros after the call (observed only when `zeroed`). */
  zeroed: boolean;
  readsZero: boolean | undefined;
  /** The frame's range was free in `old.free` (`covers`), and overlaps nothing of `final.free`. */
  fresh: boolean;
  taken: boolean;
  /** `final.free ⊆ old.free` and `final.added == old.added` (`alloc`'s own ensures, for the refinement). */
  shrunk: boolean;
  /** `old == final`: the allocator's sets are unchanged. */
  allocUnchanged: boolean;
  /** `old.free` holds no page for a first fit (so `next(old)` is `NoMemory`). */
  noFit: boolean;
};

/** A fresh `alloc_frame_with` footprint (one per checked layer, reused by every call). */
export function newAllocFootprint(): AllocFootprint {
  return {
    ...newLayerFootprint(),
    zeroed: false,
    readsZero: undefined,
    fresh: false,
    taken: false,
    shrunk: false,
    allocUnchanged: false,
    noFit: false,
  };
}

/**
 * `alloc_frame_with` on the slot the allocator handed out: `Frame::from_unused`'s claim there (the
 * final owner exactly the claimed one, every word written within the slot, the count UNUSED before),
 * the frame taken from the allocator, its bytes zero when `zeroed`; an error writes nothing and leaves
 * the allocator as it was. The obligation is the wrapper's proof code (the same in both paths).
 */
export function allocFrameWithFast(p: ModelParams): FastCheck<AllocFootprint> | undefined {
  const claim = (f: AllocFootprint) =>
    f.withinSlot && f.ptr === f.i && f.claimed && f.inListZero && f.beforeRc === p.refCountUnused;
  const zeroOk = (f: AllocFootprint) => !f.zeroed || f.readsZero === true;
  const unchanged = (f: AllocFootprint) => f.nothingWritten && f.allocUnchanged;
  const ens = (n: string, c: FastClause<AllocFootprint>) => [`FrameAllocOptions::alloc_frame_with.ensures.${n}`, c];
  return specialize(allocFrameWith, {
    clauses: Object.fromEntries([
      ens('ok_fresh', (f) => !f.ok || f.fresh),
      ens('ok_taken', (f) => !f.ok || f.taken),
      ens('ok_claimed', (f) => !f.ok || claim(f)),
      ens('ok_obligations', () => true),
      ens('ok_zeroed', (f) => !f.ok || zeroOk(f)),
      ens('others_unchanged', (f) => (f.ok ? f.withinSlot : f.nothingWritten)),
      ens('err_no_memory', (f) => f.ok || f.error === 'NoMemory'),
      ens('err_unchanged', (f) => f.ok || unchanged(f)),
    ]),
    // next(old), or any fit `alloc` allows: the frame was free and is taken (the free set only shrank),
    // the claim is exactly `Frame::from_unused`'s and the result says it reads as zeros when `zeroed`;
    // `NoMemory` only when no page is free, nothing changed.
    refinement: (f) =>
      f.ok
        ? f.fresh && f.taken && f.shrunk && claim(f) && f.permPresent && zeroOk(f)
        : f.error === 'NoMemory' && f.noFit && unchanged(f),
  });
}
