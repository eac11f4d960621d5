/**
 * A contract-checked `GlobalFrameAllocator`: every `alloc`, `dealloc` and `add_free_memory` of the
 * real allocator is checked against OSTD's prose rules (`spec/alloc/GlobalFrameAllocator.ts`) with the
 * `ContractChecker`, so a violation has the same report as a frame-layer one.
 *
 * - A `dealloc` or `add_free_memory` overlapping memory that is already free (or, for `add`, added
 *   before), or that is misaligned, breaks a `requires` clause: the **caller** is blamed.
 * - An `alloc` result that was not wholly free, or that stays free, breaks an `ensures` clause, and a
 *   free set that leaves the added memory breaks `free_within_added`: the **implementation** is blamed.
 *
 * The ghost is `FreeSetModel { added, free }`. `added` is ghost-only (what callers gave the allocator);
 * `free` is read from the implementation when it can show it (`freeView`, e.g. a buddy allocator's
 * free blocks), which checks what the allocator really did, or else kept by the spec's transitions.
 */
import type { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import type { Layout, Paddr } from '../../impl/alloc/vocab.ts';
import {
  addFreeMemoryNext,
  allocNext,
  buddyDeallocPowerOfTwo,
  deallocNext,
  EMPTY_FREE_SET,
  type AllocArgs,
  type AllocResult,
  type FreeSetModel,
  type RangeArgs,
  type RangePre,
} from '../../spec/alloc/FrameAllocator.ts';
import { addFreeMemorySpec, allocSpec, deallocSpec } from '../../spec/alloc/GlobalFrameAllocator.ts';
import { covers, rangeSetOf, type RangeSet } from '../../spec/alloc/rangeSet.ts';
import type { Clause, Invariant, OpSpec } from '../../spec/Op.ts';
import { modelParams, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { ContractChecker, type Call, type ContractLevel, type ContractMode } from './ContractChecker.ts';
import type { Violation } from './report.ts';

/** What the checked wrapper needs of an allocator: OSTD's three methods (results of `dealloc`/`add` are passed through). */
export type AllocatorImpl = Readonly<{
  alloc(layout: Layout): Paddr | undefined;
  dealloc(addr: Paddr, size: number): unknown;
  addFreeMemory(addr: Paddr, size: number): unknown;
}>;

/** How to check an allocator. */
export type CheckedAllocatorOptions = Readonly<{
  mode?: ContractMode;
  level?: ContractLevel;
  checker?: ContractChecker;
  /** The implementation's free set now; without it the ghost keeps the free set by the spec's transitions. */
  freeView?: () => RangeSet;
  /** The memory already added before checking starts (default: what `freeView` shows free, else nothing). */
  added?: RangeSet;
  /** Requires clauses of this implementation's `dealloc` beyond OSTD's (a buddy allocator frees 2^k frames). */
  deallocRequires?: readonly Clause<RangePre>[];
}>;

/**
 * `GlobalFrameAllocator`'s own invariant: the free memory is memory that was added. Checked after every
 * call; with a `freeView` it is the implementation's claim, and a free block outside the added memory
 * would later be handed out as if it were the allocator's.
 */
export const FREE_WITHIN_ADDED: Invariant<FreeSetModel> = Object.freeze({
  name: 'GlobalFrameAllocator::inv.free_within_added',
  verus: 'free ⊆ added: the allocator keeps free, and hands out, only memory given to it (add_free_memory or dealloc)',
  origin: 'upstream',
  holds: (c: { value: FreeSetModel }) => c.value.free.every((r) => covers(c.value.added, r)),
  explain: (c: { value: FreeSetModel }) => ({
    'outside added': c.value.free.filter((r) => !covers(c.value.added, r)),
  }),
});

/**
 * `alloc` is nondeterministic (any fresh range of the layout): an outcome refines it when every ensures
 * clause holds, not only the first fit `next` picks.
 */
export const allocAnyFit: OpSpec<FreeSetModel, AllocArgs, AllocResult> = Object.freeze({
  ...allocSpec,
  alsoAllows: (c) => allocSpec.ensures.every((e) => e.holds(c)),
});

/** `BuddyAllocator::dealloc`: OSTD's rules plus DragonOS's power-of-two frame count. */
export const BUDDY_DEALLOC_REQUIRES: readonly Clause<RangePre>[] = [buddyDeallocPowerOfTwo];

/** A buddy allocator's free set: its free blocks as ranges. */
export function buddyFreeView(buddy: BuddyAllocator): () => RangeSet {
  return () => rangeSetOf(buddy.freeBlocks().map((b) => ({ start: b.addr, end: b.addr + 2 ** b.order * PAGE_SIZE })));
}

const sameSet = (a: RangeSet, b: RangeSet) =>
  a.length === b.length && a.every((r, i) => r.start === b[i]?.start && r.end === b[i]?.end);
/** Two allocator ghosts are equal when both sets are. */
export function freeSetEq(a: FreeSetModel, b: FreeSetModel): boolean {
  return sameSet(a.added, b.added) && sameSet(a.free, b.free);
}
const diff = (a: FreeSetModel, b: FreeSetModel) => ({
  added: { old: a.added, final: b.added },
  free: { old: a.free, final: b.free },
});

/**
 * What a caller checking a call around the allocator's (`alloc_frame_with` on its footprint) reads of
 * the checked calls made under it: set by that caller (`CheckedAllocator.watch`), filled in place.
 */
export type AllocatorWatch = {
  /** The checked calls made since the caller reset it. */
  calls: number;
  /** The first one: whether it was an `alloc` of one page, voided, its old and final ghost, what it returned. */
  pageAlloc: boolean;
  voided: boolean;
  old: FreeSetModel | undefined;
  final: FreeSetModel | undefined;
  result: Paddr | undefined;
  /** Called with what the implementation's `alloc` returned, before the call is checked. */
  allocated: (at: Paddr | undefined) => void;
};

/** The global frame allocator with every call checked. */
export class CheckedAllocator {
  readonly impl: AllocatorImpl;
  readonly checker: ContractChecker;
  readonly p: ModelParams;
  /** The allocator ghost as of the last checked call. */
  ghost: FreeSetModel;
  /** The watch of the caller checking a call around this allocator's calls, if any. */
  watch: AllocatorWatch | undefined = undefined;
  private readonly freeView: (() => RangeSet) | undefined;
  private readonly deallocOp: OpSpec<FreeSetModel, RangeArgs, undefined>;

  constructor(impl: AllocatorImpl, opts: CheckedAllocatorOptions = {}) {
    this.impl = impl;
    this.checker = opts.checker ?? new ContractChecker(opts.mode ?? 'enforce', opts.level ?? 'full');
    this.p = modelParams();
    this.freeView = opts.freeView;
    const free = opts.freeView?.() ?? EMPTY_FREE_SET.free;
    this.ghost = Object.freeze({ added: opts.added ?? free, free });
    const extra = opts.deallocRequires ?? [];
    this.deallocOp =
      extra.length === 0
        ? deallocSpec
        : Object.freeze({ ...deallocSpec, requires: [...deallocSpec.requires, ...extra] });
  }

  /** A checked buddy allocator: its free blocks are the view, and `dealloc` also requires 2^k frames. */
  static overBuddy(buddy: BuddyAllocator, opts: Omit<CheckedAllocatorOptions, 'freeView' | 'deallocRequires'> = {}) {
    return new CheckedAllocator(buddy, {
      ...opts,
      freeView: buddyFreeView(buddy),
      deallocRequires: BUDDY_DEALLOC_REQUIRES,
    });
  }

  /** Every violation recorded so far (in `collect` mode). */
  get violations(): readonly Violation[] {
    return this.checker.violations;
  }

  /** The ghost with `free` re-read from the implementation (when it can show it). */
  observe(): FreeSetModel {
    if (this.freeView === undefined) return this.ghost;
    const free = this.freeView();
    if (!sameSet(free, this.ghost.free)) this.ghost = Object.freeze({ added: this.ghost.added, free });
    return this.ghost;
  }

  /** Checked `GlobalFrameAllocator::alloc(layout)`. */
  alloc(layout: Layout): Paddr | undefined {
    const w = this.watch;
    const first = w !== undefined && w.calls === 0;
    const r = this.call(
      allocAnyFit,
      { layout },
      w === undefined
        ? () => this.impl.alloc(layout)
        : () => {
            const at = this.impl.alloc(layout);
            w.allocated(at);
            return at;
          },
      (old, r) => (r === undefined ? old : allocNext(old, r, layout)),
    );
    if (first && w !== undefined) w.pageAlloc = layout.size === PAGE_SIZE && layout.align === PAGE_SIZE;
    return r;
  }

  /** Checked `GlobalFrameAllocator::dealloc(addr, size)`; returns what the implementation returned. */
  dealloc(addr: Paddr, size: number): unknown {
    let out: unknown;
    this.call(
      this.deallocOp,
      { addr, size },
      () => void (out = this.impl.dealloc(addr, size)),
      (old) => deallocNext(old, addr, size),
    );
    return out;
  }

  /** Checked `GlobalFrameAllocator::add_free_memory(addr, size)`; returns what the implementation returned. */
  addFreeMemory(addr: Paddr, size: number): unknown {
    let out: unknown;
    this.call(
      addFreeMemorySpec,
      { addr, size },
      () => void (out = this.impl.addFreeMemory(addr, size)),
      (old) => addFreeMemoryNext(old, addr, size),
    );
    return out;
  }

  /**
   * One checked call. The final ghost: `added` by the spec's transition (ghost-only), `free` from the
   * implementation when it shows it. A caller violation voids the call: the ghost keeps what the
   * implementation shows (or its old value), and no invariant is checked.
   */
  private call<A, R>(
    spec: OpSpec<FreeSetModel, A, R>,
    args: A,
    run: () => R,
    transition: (old: FreeSetModel, result: R) => FreeSetModel,
  ): R {
    const old = this.observe();
    const view = this.freeView;
    const call: Call<FreeSetModel, A, R> = {
      spec,
      old,
      args,
      p: this.p,
      run,
      final: (r) => {
        const next = transition(old, r);
        return view === undefined ? next : Object.freeze({ added: next.added, free: view() });
      },
      eq: freeSetEq,
      diff,
    };
    const out = this.checker.check(call);
    const w = this.watch;
    if (w !== undefined && w.calls++ === 0) {
      w.pageAlloc = false;
      w.old = old;
      w.voided = out.kind === 'abort' || out.voided === true;
      w.result = out.kind === 'return' ? (out.result as Paddr | undefined) : undefined;
    }
    if (out.kind === 'abort') throw out.error;
    if (out.voided === true) {
      this.ghost = view === undefined ? old : Object.freeze({ added: old.added, free: view() });
      if (w !== undefined && w.calls === 1) w.final = this.ghost;
      return out.result;
    }
    this.ghost = out.final;
    if (w !== undefined && w.calls === 1) w.final = out.final;
    this.checker.checkInvariants(
      call,
      [{ clause: FREE_WITHIN_ADDED as Clause<never>, ctx: { value: out.final, p: this.p } }],
      out.result,
      out.final,
    );
    return out.result;
  }
}
