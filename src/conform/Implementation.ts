/**
 * The interface a third-party implementation of the frame-metadata layer provides to
 * `framecheck conform`: the MetaSlot and Frame operations, over framecheck's memory interface.
 *
 * A module exports `createImplementation(options)`; framecheck calls it once per region it builds
 * (a contract-checked region, a model-based run, each explorer world) and calls the returned
 * operations. The interface rules (numbered as in docs/conform.md; framecheck's guard enforces
 * 1, 2, 5, 6 and 7 and names the rule a module breaks):
 *
 * 1. **All shared state lives in `options.memory`**, at the word offsets `options.layout` gives
 *    (`ref_count`, `vtable_ptr`, `in_list` of slot `i` at `i * wordsPerSlot + layout.refCount`, …).
 *    The explorer re-executes an operation from its start against the values its earlier atomic
 *    accesses returned, so an operation must be a deterministic function of what it reads.
 * 2. **Every access goes through `options.memory`**: atomics (`load`, `store`, `compareExchange`,
 *    `fetchAdd`, `fetchSub`, …) are the explorer's scheduling points; plain `readPlain`/`writePlain`
 *    are not. An implementation must not catch the exception the explorer throws to pause at a
 *    memory access (nor any exception a memory access throws): a module that does is refused (exit 2).
 * 3. **Metadata** is written and dropped with `options.metadata` (the codec and `on_drop` of the
 *    metadata type, through the same memory), or by hand: `vtable_ptr` holds the type's `vtable` id
 *    while metadata is initialized and 0 otherwise.
 * 4. **Overflow aborts** with `options.abort` (Rust's `abort()`) when the old count is ≥
 *    `refCountMax`; any other exception is a crash. **A last drop returns the frame** with
 *    `options.dealloc(paddr)`.
 * 5. **An operation on a frame touches only that frame's slot** (an address without a slot touches
 *    none): another slot's word is reported as a violation naming the slot.
 * 6. **An operation returns within `STEP_BUDGET` steps** (memory accesses, fences, metadata writes,
 *    deallocations; 100 000): one that does not is reported as "did not return within N steps".
 *    A loop that calls nothing of the interface cannot be stopped: use `--time-limit` for the rest.
 * 7. **Never call `process.exit`**, while loading, in the factory or in an operation (exit 2); and a
 *    module's top-level await must settle.
 *
 * Slot pointers are slot indices (`paddr / PAGE_SIZE`); errors are `GetFrameError` strings.
 *
 * @see docs/conform.md; `examples/closureFrames.ts`
 */
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { SlotLayout } from '../../impl/meta/layout.ts';
import type { Memory, Ordering } from '../../impl/meta/memory.ts';
import type { GetFrameError, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { AbortReason } from '../../impl/meta/abort.ts';

export type { FrameMeta, SlotLayout, Memory, Ordering, GetFrameError, SlotPtr, AbortReason };

/** Writing and dropping a slot's metadata through the memory (`write_meta`, `drop_meta_in_place`). */
export type MetadataAccess = Readonly<{
  /** Writes the type's vtable id and the encoded value (plain writes; no scheduling point). */
  write(slot: SlotPtr, meta: FrameMeta): void;
  /** Runs the type's `on_drop` over the frame, then clears the vtable word (plain accesses). */
  drop(slot: SlotPtr): void;
}>;

/** What framecheck hands an implementation. */
export type ImplementationOptions = Readonly<{
  memory: Memory;
  layout: SlotLayout;
  protocol: 'current' | 'legacy';
  /** `MAX_PADDR`: addresses at or above it have no slot (`OutOfBound`). */
  maxPaddr: number;
  /**
   * Shared counts live in `1 ..= refCountMax`: an increment whose old count is already `>= refCountMax`
   * must abort (a checker lowers it so that overflow is reachable).
   */
  refCountMax: bigint;
  /** `REF_COUNT_UNUSED` and `REF_COUNT_UNIQUE` of the protocol (the legacy one has no unique state). */
  refCountUnused: bigint;
  refCountUnique: bigint | null;
  metadata: MetadataAccess;
  /** `GlobalFrameAllocator::dealloc(paddr, PAGE_SIZE)`: where a last drop returns its frame. */
  dealloc: (paddr: number) => void;
  /** `ostd::panic::abort()`: never returns. */
  abort: (reason: AbortReason, detail: string) => never;
}>;

/** The operations (`Frame` and `UniqueFrame` over the MetaSlot protocol). The unique ones are required by the current protocol. */
export type FrameOps = Readonly<{
  /** `Frame::from_unused(paddr, meta)`: claim an unused slot, count 1. */
  fromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError;
  /** `Frame::from_in_use(paddr)`: another reference to a shared frame. */
  fromInUse(paddr: number): SlotPtr | GetFrameError;
  /** `Frame::clone`: the caller holds a reference. */
  clone(slot: SlotPtr): void;
  /** `Frame::drop`: returns whether it released the last reference. */
  drop(slot: SlotPtr): boolean;
  /** `UniqueFrame::from_unused(paddr, meta)`: claim an unused slot, count `REF_COUNT_UNIQUE`. */
  uniqueFromUnused?(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError;
  /** `From<UniqueFrame> for Frame`. */
  intoShared?(slot: SlotPtr): void;
  /** `TryFrom<Frame> for UniqueFrame`: whether the frame became unique. */
  tryIntoUnique?(slot: SlotPtr): boolean;
  /** `UniqueFrame::drop`. */
  dropUnique?(slot: SlotPtr): void;
}>;

/** What a module passed to `framecheck conform --impl` exports. */
export type ImplementationModule = Readonly<{
  /** A name for reports (default: the module path). */
  name?: string;
  /** The protocol it implements (default `current`). */
  protocol?: 'current' | 'legacy';
  createImplementation(options: ImplementationOptions): FrameOps;
}>;
