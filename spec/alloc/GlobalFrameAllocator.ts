/**
 * The op specs of OSTD's `GlobalFrameAllocator` over the `FreeSetModel`: `alloc`, `dealloc` and
 * `add_free_memory`, each with its prose rules as named clauses and a ghost transition for model runs.
 *
 * `alloc` may return any fresh aligned range; its `next` picks the first fit, one allowed outcome.
 *
 * @see OSTD `GlobalFrameAllocator` (ostd/src/mm/frame/allocator.rs)
 */
import type { OpSpec, Outcome, PreCtx } from '../Op.ts';
import { PAGE_SIZE, type FrameIndex } from '../vocab.ts';
import { clauseMaker } from '../meta/clause.ts';
import {
  addFreeMemoryAdded,
  addFreeMemoryAligned,
  addFreeMemoryNext,
  addFreeMemoryPre,
  allocAddedUnchanged,
  allocNext,
  allocOk,
  allocSizeAligned,
  allocTaken,
  deallocAligned,
  deallocAllocated,
  deallocFreed,
  deallocNext,
  deallocPre,
  firstFit,
  type AllocArgs,
  type AllocResult,
  type FreeSetModel,
  type RangeArgs,
} from './FrameAllocator.ts';

const SOURCE = 'ostd/src/mm/frame/allocator.rs';
const ret = <R>(final: FreeSetModel, result: R): Outcome<FreeSetModel, R> =>
  Object.freeze({ kind: 'return', final, result });
const never = <A>(op: string) =>
  clauseMaker<PreCtx<FreeSetModel, A>>(op, 'may_panic')(
    'never',
    '(no may_panic clause)',
    () => false,
    undefined,
    'upstream',
  );

/** The frames `addr .. addr + size` touches. */
function framesOf(args: RangeArgs): FrameIndex[] {
  const first = Math.floor(args.addr / PAGE_SIZE);
  const count = Math.max(0, Math.ceil((args.addr + args.size) / PAGE_SIZE) - first);
  return Array.from({ length: count }, (_, i) => first + i);
}

/** `GlobalFrameAllocator::alloc(layout) -> Option<Paddr>`. Its footprint is unknown before the call. */
export const allocSpec: OpSpec<FreeSetModel, AllocArgs, AllocResult> = Object.freeze({
  name: 'GlobalFrameAllocator::alloc',
  rust: 'GlobalFrameAllocator::alloc',
  source: SOURCE,
  requires: [allocSizeAligned],
  ensures: [allocOk, allocTaken, allocAddedUnchanged],
  mayPanic: never<AllocArgs>('GlobalFrameAllocator::alloc'),
  next: (c) => {
    const addr = firstFit(c.old, c.args.layout);
    return addr === undefined ? ret(c.old, undefined) : ret(allocNext(c.old, addr, c.args.layout), addr);
  },
  footprint: () => [],
});

/** `GlobalFrameAllocator::dealloc(addr, size)`. */
export const deallocSpec: OpSpec<FreeSetModel, RangeArgs, undefined> = Object.freeze({
  name: 'GlobalFrameAllocator::dealloc',
  rust: 'GlobalFrameAllocator::dealloc',
  source: SOURCE,
  requires: [deallocAligned, deallocAllocated, deallocPre],
  ensures: [deallocFreed],
  mayPanic: never<RangeArgs>('GlobalFrameAllocator::dealloc'),
  next: (c) => ret(deallocNext(c.old, c.args.addr, c.args.size), undefined),
  footprint: framesOf,
});

/** `GlobalFrameAllocator::add_free_memory(addr, size)`. */
export const addFreeMemorySpec: OpSpec<FreeSetModel, RangeArgs, undefined> = Object.freeze({
  name: 'GlobalFrameAllocator::add_free_memory',
  rust: 'GlobalFrameAllocator::add_free_memory',
  source: SOURCE,
  requires: [addFreeMemoryAligned, addFreeMemoryPre],
  ensures: [addFreeMemoryAdded],
  mayPanic: never<RangeArgs>('GlobalFrameAllocator::add_free_memory'),
  next: (c) => ret(addFreeMemoryNext(c.old, c.args.addr, c.args.size), undefined),
  footprint: framesOf,
});
