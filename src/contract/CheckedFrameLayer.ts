/**
 * The contract-checked frame layer: the real `FrameLayer` (`Frame` and `UniqueFrame` operations) with
 * every call checked against its Verus-mirrored spec (`spec/frame/*`), the ghost region kept with its
 * obligation ledger, and a store of live handles over which the accounting invariant is checked after
 * every call.
 *
 * The ghost region follows memory (through `view.ts`), plus what only proof code changes: `usage`
 * (set to `Frame` by a claim, never reset — vostd's usage is sticky) and the ledger (minted and
 * redeemed as vostd's proof blocks do). Handles are values: using one after it was consumed is a
 * linearity violation of the caller, reported and then run anyway (in `collect` mode), so that the
 * spec's own clauses say what goes wrong.
 */
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import { ListIdAllocator, LinkedList } from '../../impl/frame/LinkedList.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { Memory } from '../../impl/meta/memory.ts';
import { MetaRegion, type GetFrameError, type MetaRegionOptions, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import type { TeardownTrace } from '../../spec/frame/Frame.ts';
import type { UniqueArgs } from '../../spec/frame/UniqueFrame.ts';
import { frameOpsOf, metaTracked, type FrameOpTable } from '../../spec/head/frameOps.ts';
import { invariantsOf } from '../../spec/head/specSet.ts';
import { specFromEnv, type SpecVersion } from './specOption.ts';
import type { Invariant, OpSpec } from '../../spec/Op.ts';
import { frameToIndex, metaAddr } from '../../spec/meta/mapping.ts';
import {
  initialRegion,
  regionEq,
  slotOwner,
  slotPerm,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
  type RegionAt,
} from '../../spec/meta/MetaRegionOwners.ts';
import { withOwnerFields, type PageUsage } from '../../spec/meta/MetaSlotOwner.ts';
import { ghostEq } from '../../spec/meta/perms.ts';
import { err, ok } from '../../spec/meta/results.ts';
import { modelParams, PAGE_SIZE, type FrameIndex, type ModelParams, type Paddr } from '../../spec/vocab.ts';
import {
  accountingChecks,
  accountingState,
  HandleStore,
  type ExternalRefs,
  type FrameHandle,
  type Handle,
  type UniqueHandle,
} from './accounting.ts';
import { CheckedLinkedList } from './CheckedLinkedList.ts';
import { frameViolations, type AccountingState, type FrameRefs } from '../../spec/frame/accounting.ts';
import {
  ContractChecker,
  type Call,
  type CallLevel,
  type ContractLevel,
  type ContractMode,
  type InvCheck,
} from './ContractChecker.ts';
import { coverageEnabled } from './coverage.ts';
import {
  fastEnsures,
  fastPathEnabled,
  fastRequires,
  newFootprint,
  readFootprint,
  invAtCount,
  type FastCheck,
  type SlotEntry,
} from './fastPath.ts';
import { FastPathGhost } from './fastPathGhost.ts';
import { frameCloneFast, frameDropFast, frameFromInUseFast } from './frameFastForms.ts';
import type { Violation } from './report.ts';
import { checkInternalCalls } from './internalCalls.ts';
import { domainChecks } from './regionDomain.ts';
import { TrackingMemory } from './trackingMemory.ts';
import { storageOf, viewRegion } from './view.ts';

/** How to build a checked frame layer: the region's options, the checking mode, and the parts under test. */
export type CheckedFrameOptions = MetaRegionOptions &
  Readonly<{
    mode?: ContractMode;
    level?: ContractLevel;
    checker?: ContractChecker;
    /** Builds the metadata region (default: the real `MetaRegion`). */
    makeRegion?: (opts: MetaRegionOptions) => MetaRegion;
    /** Builds the frame layer under test (default: the real `FrameLayer`); a seeded-bug subclass goes here. */
    makeLayer?: (region: MetaRegion, allocator: Deallocator) => FrameLayer;
    /** Builds a frame list under test (default: the real `LinkedList`). */
    makeList?: (layer: FrameLayer, ids: ListIdAllocator) => LinkedList;
    /** Where deallocated frames go after they are recorded (default: nowhere). */
    allocator?: Deallocator;
    /** The list-id counter (default: a fresh one starting at 1, so runs are reproducible). */
    ids?: ListIdAllocator;
    /** The allocator's free ranges, for `accounting.free_unused`. */
    free?: () => readonly PaddrRange[];
    /** Live segments, for the accounting equation. */
    segments?: () => readonly PaddrRange[];
    /** Check the accounting invariant after every call (default: true). */
    accounting?: boolean;
    /** The vostd contract table (default: the checker's, else `FRAMECHECK_SPEC`, else the seed's). */
    spec?: SpecVersion;
  }>;

/** One checked call, as the machinery runs it. */
export type CheckedCall<S, A, V> = Readonly<{
  spec: OpSpec<S, A, V>;
  old: S;
  args: A;
  /** The slots the call may touch (refreshed from memory first). */
  footprint: readonly FrameIndex[];
  /** Runs the implementation; returns the spec view of its result. */
  run: () => V;
  /** The ghost after the call, from the region memory shows (ghost-only updates applied here). */
  final: (region: MetaRegionOwners, v: V) => S;
  regionOf: (s: S) => MetaRegionOwners;
  eq: (a: S, b: S) => boolean;
  /** Updates the handle store from the result, before the invariants are checked. */
  commit: (v: V) => void;
}>;

const id = (r: MetaRegionOwners) => r;
const noCommit = () => {};
const addOnce = (xs: FrameIndex[], x: FrameIndex) => {
  if (!xs.includes(x)) xs.push(x);
};

/** The region with the ghost `usage` of slot `i` set (proof code: `slot_own.usage = PageUsage::Frame`). */
function withUsageFrame(r: MetaRegionOwners, i: FrameIndex): MetaRegionOwners {
  return withSlotOwner(r, i, withOwnerFields(slotOwner(r, i), { usage: 'Frame' }));
}

/** The result of `try_into_unique`: the unique frame, or the shared frame handed back. */
export type TryIntoUniqueResult =
  Readonly<{ ok: true; unique: UniqueHandle }> | Readonly<{ ok: false; frame: FrameHandle }>;

/**
 * The frame layer with every `Frame`/`UniqueFrame` call checked: requires (blame the caller), ensures
 * and refinement (blame the implementation), the region invariant and the accounting invariant on the
 * touched slots. Handles are returned as `FrameHandle`/`UniqueHandle` values; frame lists come from
 * `newList()`.
 */
export class CheckedFrameLayer {
  readonly impl: MetaRegion;
  readonly layer: FrameLayer;
  readonly tracking: TrackingMemory;
  readonly checker: ContractChecker;
  readonly p: ModelParams;
  /** The spec version checked and its frame-level op table. */
  readonly spec: SpecVersion;
  private readonly ops: FrameOpTable;
  readonly store = new HandleStore();
  readonly ids: ListIdAllocator;
  /** Live segments (`CheckedSegment` registers them by handle id); the accounting counts each frame they cover. */
  readonly liveSegments = new Map<number, PaddrRange>();
  /** The ghost region and what fast calls moved since the last full check (see `fastPathGhost.ts`). */
  private readonly lazy: FastPathGhost;
  private readonly deallocs: Paddr[] = [];
  private readonly opts: CheckedFrameOptions;
  private readonly ext: ExternalRefs;
  private readonly fx = newFootprint();
  private readonly cloneFast: FastCheck | undefined;
  private readonly dropFast: FastCheck | undefined;
  private readonly inUseFast: FastCheck | undefined;
  /** The state `frameViolations` reads besides the refs it is given (the params). */
  private readonly accountingParams: AccountingState;

  constructor(opts: CheckedFrameOptions) {
    let tracking: TrackingMemory | undefined;
    const wrap = (base: Memory) => (tracking = new TrackingMemory(opts.wrapMemory ? opts.wrapMemory(base) : base));
    this.impl = (opts.makeRegion ?? ((o: MetaRegionOptions) => new MetaRegion(o)))({ ...opts, wrapMemory: wrap });
    this.tracking = tracking!;
    const recording: Deallocator = {
      dealloc: (paddr, size) => {
        this.deallocs.push(paddr);
        return opts.allocator?.dealloc(paddr, size);
      },
    };
    this.layer = (opts.makeLayer ?? ((r: MetaRegion, a: Deallocator) => new FrameLayer(r, a)))(this.impl, recording);
    this.spec = opts.spec ?? opts.checker?.spec ?? specFromEnv(process.env['FRAMECHECK_SPEC']);
    this.ops = frameOpsOf(this.spec);
    this.checker = opts.checker ?? new ContractChecker(opts.mode ?? 'enforce', opts.level ?? 'full', 1, this.spec);
    this.p = modelParams({ maxPaddr: this.impl.maxPaddr, refCountMax: this.impl.REF_COUNT_MAX });
    this.lazy = new FastPathGhost(this.impl, this.tracking.base, initialRegion(this.p));
    checkInternalCalls(this.impl, {
      checker: this.checker,
      p: this.p,
      ghost: () => this.ghost,
      slotPerm: (slot) => this.lazy.perm(slot),
      invInMemory: (slot) => this.lazy.invInMemory(slot),
      tracking: this.tracking,
    });
    this.ids = opts.ids ?? new ListIdAllocator();
    this.opts = opts;
    const segments = () => this.segmentRanges();
    this.ext = opts.free === undefined ? { segments } : { segments, free: opts.free };
    // The fast forms are the seed's clauses: HEAD's calls take the full check.
    this.cloneFast = this.spec === 'seed' ? frameCloneFast(this.p) : undefined;
    this.dropFast = this.spec === 'seed' ? frameDropFast(this.p) : undefined;
    this.inUseFast = this.spec === 'seed' ? frameFromInUseFast(this.p) : undefined;
    const none = new Map<never, never>();
    this.accountingParams = { p: this.p, rc: none, handles: none, uniques: none, ptes: none, segments: [] };
  }

  /** The ghost region, with its obligation ledger, as of the last checked call. */
  get ghost(): MetaRegionOwners {
    return this.lazy.ghost;
  }

  set ghost(g: MetaRegionOwners) {
    this.lazy.ghost = g;
  }

  /** The live segments the accounting counts: `opts.segments` and those registered in `liveSegments`. */
  segmentRanges(): readonly PaddrRange[] {
    const given = this.opts.segments?.() ?? [];
    return this.liveSegments.size === 0 ? given : [...given, ...this.liveSegments.values()];
  }

  /** The frames the last checked call returned to the allocator, in order. */
  lastDeallocs(): readonly Paddr[] {
    return this.deallocs.slice();
  }

  /** Every violation recorded so far (in `collect` mode; in `enforce` mode the first one is thrown). */
  get violations(): readonly Violation[] {
    return this.checker.violations;
  }

  /** A new checked frame list over this layer (`LinkedList::new()`). */
  newList(): CheckedLinkedList {
    return new CheckedLinkedList(this);
  }

  /** A new frame list implementation over this layer, for `CheckedLinkedList`. */
  newListImpl(): LinkedList {
    return (this.opts.makeList ?? ((l: FrameLayer, ids: ListIdAllocator) => new LinkedList(l, ids)))(
      this.layer,
      this.ids,
    );
  }

  // --- Frame ---------------------------------------------------------------------------------------

  /** Checked `Frame::from_unused`: a new handle, or the error. */
  fromUnused(paddr: Paddr, meta: FrameMeta): FrameHandle | GetFrameError {
    let out: SlotPtr | GetFrameError = 'NotAligned';
    let handle: FrameHandle | undefined;
    const i = this.index(paddr);
    this.regionOp(
      this.ops.frameFromUnused,
      { paddr, metadata: storageOf(meta) },
      i === undefined ? [] : [i],
      () => (
        (out = this.layer.fromUnused(paddr, meta)),
        typeof out === 'number' ? ok({ ptr: metaAddr(out) }) : err(out)
      ),
      (g, v) => (v.ok && i !== undefined ? this.mint(withUsageFrame(g, i), i) : g),
      (v) => void (v.ok && (handle = this.store.mintFrame(out as SlotPtr))),
    );
    return handle ?? out;
  }

  /** Checked `Frame::from_in_use`: another handle, or the error (on its footprint first, see `fastPath.ts`). */
  fromInUse(paddr: Paddr): FrameHandle | GetFrameError {
    const i = this.index(paddr);
    const level = this.checker.nextCallLevel();
    const fast =
      i !== undefined && this.inUseFast !== undefined && fastPathEnabled() && !coverageEnabled()
        ? this.fastFromInUse(i, paddr, level, this.inUseFast)
        : 'declined';
    if (typeof fast === 'object' && 'result' in fast) return fast.result;
    const replay = typeof fast === 'object';
    let out: SlotPtr | GetFrameError = replay ? fast.out : 'NotAligned';
    let handle: FrameHandle | undefined;
    const spec = () => (typeof out === 'number' ? ok({ ptr: metaAddr(out) }) : err(out));
    this.regionOp(
      this.ops.frameFromInUse,
      { paddr },
      i === undefined ? [] : [i],
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : spec())
        : () => ((out = this.layer.fromInUse(paddr)), spec()),
      (g, v) => (v.ok && i !== undefined ? this.mint(g, i) : g),
      (v) => void (v.ok && (handle = this.store.mintFrame(out as SlotPtr))),
      level,
      replay,
    );
    // no handle: the call returned an error
    return handle ?? (out as GetFrameError);
  }

  /**
   * `Frame::from_in_use` of slot `i` on its footprint (see `fastClone`): `Ok` adds one handle, one
   * obligation and one count at the slot, and an error changes nothing, so the accounting there holds
   * after the call when it held before. The result when every clause held; else the call ran and the
   * full check replays it.
   */
  private fastFromInUse(
    i: FrameIndex,
    paddr: Paddr,
    level: CallLevel,
    check: FastCheck,
  ): 'declined' | { result: FrameHandle | GetFrameError } | { threw: unknown; out: SlotPtr | GetFrameError } {
    const f = this.fx;
    const e = this.lazy.before(i, this.fx);
    f.permSlot = e.permSlot;
    if (level !== 'skip' && !(fastRequires(check, f) && this.accountingAt(i, f.beforeRc, e.resolved.usage, level)))
      return 'declined';
    this.callStarts();
    let out: SlotPtr | GetFrameError;
    try {
      out = this.layer.fromInUse(paddr);
    } catch (threw) {
      return this.replayFrom(i, { threw, out: 'NotAligned' });
    }
    this.footprintAfter(i, e, level);
    f.ok = typeof out === 'number';
    f.ptr = typeof out === 'number' ? out : -1;
    f.error = typeof out === 'number' ? '' : out;
    if (!(level === 'skip' ? f.onlyRc : fastEnsures(check, f, level)))
      return this.replayFrom(i, { threw: undefined, out });
    this.checker.calls++;
    if (!f.ok) return { result: out as GetFrameError };
    this.lazy.move(i, f.finalRc, 1);
    return { result: this.store.mintFrame(i) };
  }

  /** Starts a fast call: forgets the previous call's accesses and deallocations. */
  private callStarts(): void {
    this.tracking.reset();
    if (this.deallocs.length > 0) this.deallocs.length = 0;
  }

  /** The footprint of the fast call just made on slot `i`: its counts and writes, and `regions.inv()` at the slot after it. */
  private footprintAfter(i: FrameIndex, e: SlotEntry, level: CallLevel): void {
    const f = this.fx;
    readFootprint(this.tracking, this.impl.refCountWord(i), f, this.impl.layout.wordsPerSlot);
    f.deallocs = this.deallocs.length;
    // `regions.inv()` at `i` reads slot `i` alone: when its count is all that moved there, the memo decides it.
    if (level !== 'skip') f.invFinal = f.slotOnlyRc && invAtCount(this.lazy.stale, e, i, f.finalRc);
  }

  /** Before the full check replays a fast call: the ghost at `i` as the full check's refresh would have read it before the call. */
  private replayFrom<T>(i: FrameIndex, replay: T): T {
    this.lazy.move(i, this.fx.beforeRc);
    void this.lazy.ghost;
    return replay;
  }

  /** Checked `Frame::clone`: a new handle to the same frame (on its footprint first, see `fastPath.ts`). */
  clone(h: FrameHandle): FrameHandle {
    this.requireLive(h, 'Frame::clone');
    const level = this.checker.nextCallLevel();
    const fast =
      this.cloneFast !== undefined && fastPathEnabled() && !coverageEnabled() && this.store.isLive(h)
        ? this.fastClone(h.slot, level, this.cloneFast)
        : 'declined';
    if (typeof fast === 'object' && 'handle' in fast) return fast.handle;
    const replay = typeof fast === 'object';
    const threw = replay ? fast.threw : undefined;
    let handle: FrameHandle | undefined;
    this.regionOp(
      this.ops.frameClone,
      { frame: { ptr: metaAddr(h.slot) } },
      [h.slot],
      replay
        ? () => (threw !== undefined ? throwIt(threw) : { ptr: metaAddr(h.slot) })
        : () => (this.layer.clone(h.slot), { ptr: metaAddr(h.slot) }),
      (g) => this.mint(g, h.slot),
      () => void (handle = this.store.mintFrame(h.slot)),
      level,
      replay,
    );
    return handle!;
  }

  /**
   * `Frame::clone` of slot `i` on its footprint: the requires and the accounting at the slot before the
   * call, the call, the ensures (and at level full the refinement) on what its atomics did. A clone adds
   * one handle, one obligation and one count at the slot, so the accounting there holds after it when
   * it held before. `declined` when nothing ran; a new handle when every clause held; else the call ran
   * and the full check replays it from the tracking log.
   */
  private fastClone(
    i: FrameIndex,
    level: CallLevel,
    check: FastCheck,
  ): 'declined' | { handle: FrameHandle } | { threw: unknown } {
    const f = this.fx;
    const e = this.lazy.before(i, this.fx);
    f.permSlot = e.perm !== null ? i : -1;
    if (level !== 'skip' && !(fastRequires(check, f) && this.accountingAt(i, f.beforeRc, e.resolved.usage, level)))
      return 'declined';
    this.callStarts();
    try {
      this.layer.clone(i);
    } catch (threw) {
      return this.replayFrom(i, { threw });
    }
    this.footprintAfter(i, e, level);
    f.ok = true;
    f.ptr = i;
    if (!(level === 'skip' ? f.onlyRc : fastEnsures(check, f, level))) return this.replayFrom(i, { threw: undefined });
    this.checker.calls++;
    this.lazy.move(i, f.finalRc, 1);
    return { handle: this.store.mintFrame(i) };
  }

  /**
   * Whether the accounting invariant holds at slot `i` with count `rc`, ghost usage `usage` and the
   * references as they are (`frameViolations` on the slot's refs, read without building a state); true below
   * level full, which alone checks the accounting.
   */
  private accountingAt(i: FrameIndex, rc: bigint, usage: PageUsage, level: CallLevel): boolean {
    if (this.opts.accounting === false || level !== 'full') return true;
    const paddr = i * PAGE_SIZE;
    const s = this.store;
    let segments = 0;
    for (const r of this.opts.segments?.() ?? []) if (r.start <= paddr && paddr < r.end) segments++;
    for (const r of this.liveSegments.values()) if (r.start <= paddr && paddr < r.end) segments++;
    let free = false;
    for (const r of this.opts.free?.() ?? []) if (r.start <= paddr && paddr < r.end) free = true;
    const refs: FrameRefs = {
      rc,
      usage,
      handles: s.handles.get(paddr) ?? 0,
      uniques: (s.uniques.get(paddr) ?? 0) + (s.listed.get(paddr) ?? 0),
      ptes: s.ptes.get(paddr) ?? 0,
      segments,
      free,
    };
    return frameViolations(this.accountingParams, paddr, refs).length === 0;
  }

  /** Checked `Frame::drop`; `obl` overrides the drop obligation's key. Returns whether this was the last reference. */
  drop(h: FrameHandle, tracked: { obl?: FrameIndex } = {}): boolean {
    const obl = tracked.obl ?? h.slot;
    const level = this.checker.nextCallLevel();
    const fast =
      this.dropFast !== undefined && fastPathEnabled() && !coverageEnabled() && this.store.isLive(h)
        ? this.fastDrop(h, obl, level, this.dropFast)
        : (this.consume(h, 'Frame::drop'), 'declined' as const);
    if (fast === 'accepted') return false;
    const replay = typeof fast === 'object';
    const run = replay
      ? () => (fast.threw !== undefined ? throwIt(fast.threw) : this.trace(h.slot, fast.last))
      : () => this.trace(h.slot, this.layer.drop(h.slot));
    const trace = this.regionOp(
      this.ops.frameDrop,
      { frame: { ptr: metaAddr(h.slot) }, obl },
      [h.slot],
      run,
      (g) => withLedger(g, g.frameObligations.redeem(obl)),
      noCommit,
      level,
      replay,
    );
    return trace.last;
  }

  /**
   * `Frame::drop` of a live handle on its footprint (see `fastClone`): the requires and the accounting
   * at the slot before the handle is consumed, the call, the ensures on what its atomics did. A drop
   * that is not the last removes one handle, one obligation and one count at the slot, so the
   * accounting there holds after it when it held before; a last drop goes to the full check.
   */
  private fastDrop(
    h: FrameHandle,
    obl: FrameIndex,
    level: CallLevel,
    check: FastCheck,
  ): 'declined' | 'accepted' | { threw: unknown; last: boolean } {
    const i = h.slot;
    const f = this.fx;
    const e = this.lazy.before(i, this.fx);
    f.permSlot = e.perm !== null && e.permSlot === i ? i : -1;
    f.ledgerHas = this.lazy.obligations(obl) > 0;
    f.oblIsKey = obl === i;
    const pre =
      level === 'skip' || (fastRequires(check, f) && this.accountingAt(i, f.beforeRc, e.resolved.usage, level));
    this.consume(h, 'Frame::drop');
    if (!pre) return 'declined';
    this.callStarts();
    let last: boolean;
    try {
      last = this.layer.drop(i);
    } catch (threw) {
      return this.replayFrom(i, { threw, last: false });
    }
    this.footprintAfter(i, e, level);
    f.ok = true;
    f.last = last;
    const kept = level === 'skip' ? f.onlyRc && !last && f.deallocs === 0 : fastEnsures(check, f, level);
    if (!kept) return this.replayFrom(i, { threw: undefined, last });
    this.checker.calls++;
    this.lazy.move(i, f.finalRc, -1);
    return 'accepted';
  }

  /** Checked `Frame::into_raw`: the handle is forgotten (its reference now held raw, as by a page table). */
  intoRaw(h: FrameHandle): Paddr {
    this.consume(h, 'Frame::into_raw');
    return this.regionOp(
      this.ops.frameIntoRaw,
      { frame: { ptr: metaAddr(h.slot) } },
      [h.slot],
      () => this.layer.intoRaw(h.slot),
      (g) => withLedger(g, g.frameObligations.redeem(h.slot)),
      () => this.store.raw(h.slot, 1),
    );
  }

  /** Checked `Frame::from_raw` (`unsafe`): a handle for a forgotten reference. */
  fromRaw(paddr: Paddr): FrameHandle {
    const i = frameToIndex(paddr);
    let handle: FrameHandle | undefined;
    this.regionOp(
      this.ops.frameFromRaw,
      { paddr },
      this.index(paddr) === undefined ? [] : [i],
      () => ({ frame: { ptr: metaAddr(this.layer.fromRaw(paddr)) }, obl: i }),
      (g) => (this.index(paddr) === undefined ? g : this.mint(g, i)),
      () => {
        if ((this.store.ptes.get(i * PAGE_SIZE) ?? 0) > 0) this.store.raw(i, -1);
        handle = this.store.mintFrame(i);
      },
    );
    return handle!;
  }

  // --- UniqueFrame ---------------------------------------------------------------------------------

  /** Checked `UniqueFrame::from_unused`. */
  uniqueFromUnused(paddr: Paddr, meta: FrameMeta): UniqueHandle | GetFrameError {
    let out: SlotPtr | GetFrameError = 'NotAligned';
    let handle: UniqueHandle | undefined;
    const i = this.index(paddr);
    this.regionOp(
      this.ops.uniqueFromUnused,
      { paddr, metadata: storageOf(meta), ...metaTracked(meta.type.name) },
      i === undefined ? [] : [i],
      () => {
        out = this.layer.uniqueFromUnused(paddr, meta);
        return typeof out === 'number'
          ? ok({ unique: { ptr: metaAddr(out) }, owner: this.ops.uniqueOwner(out, meta.type.name) })
          : err(out);
      },
      (g, v) => (v.ok && i !== undefined ? this.mint(withUsageFrame(g, i), i) : g),
      (v) => void (v.ok && (handle = this.store.mintUnique(out as SlotPtr, v.value.owner))),
    );
    return handle ?? out;
  }

  /** Checked `UniqueFrame::meta`. */
  meta(u: UniqueHandle): FrameMeta | undefined {
    this.requireLive(u, 'UniqueFrame::meta');
    let out: FrameMeta | undefined;
    this.regionOp(
      this.ops.uniqueMeta,
      this.uniqueArgs(u),
      [u.slot],
      () => ((out = this.layer.meta(u.slot)), out === undefined ? undefined : storageOf(out)),
      id,
    );
    return out;
  }

  /** Checked `UniqueFrame::meta_mut`, with `value` stored through the returned `&mut M`. */
  metaMut(u: UniqueHandle, value: FrameMeta): void {
    this.requireLive(u, 'UniqueFrame::meta_mut');
    const args = { unique: { ptr: metaAddr(u.slot) }, owner: u.owner, value: storageOf(value) };
    this.regionOp(
      this.ops.uniqueMetaMut,
      args,
      [u.slot],
      () => (this.impl.writeMeta(u.slot, value), { addr: metaAddr(u.slot) }),
      id,
    );
  }

  /** Checked `From<UniqueFrame> for Frame` (`Frame::from_unique`). */
  intoShared(u: UniqueHandle): FrameHandle {
    this.consume(u, 'Frame::from_unique');
    let handle: FrameHandle | undefined;
    this.regionOp(
      this.ops.frameFromUnique,
      this.uniqueArgs(u),
      [u.slot],
      () => (this.layer.intoShared(u.slot), { ptr: metaAddr(u.slot) }),
      id,
      () => void (handle = this.store.mintFrame(u.slot)),
    );
    return handle!;
  }

  /** Checked `TryFrom<Frame> for UniqueFrame` (`try_from_shared`): the frame comes back when it is shared. */
  tryIntoUnique(h: FrameHandle): TryIntoUniqueResult {
    this.requireLive(h, 'UniqueFrame::try_from_shared');
    let out: TryIntoUniqueResult = { ok: false, frame: h };
    this.regionOp(
      this.ops.uniqueTryFromShared,
      { frame: { ptr: metaAddr(h.slot) } },
      [h.slot],
      () => ({ ok: this.layer.tryIntoUnique(h.slot), value: { ptr: metaAddr(h.slot) } }),
      id,
      (v) => {
        if (!v.ok) return;
        this.store.consume(h);
        const type = slotOwner(this.ghost, h.slot).innerPerms.vtablePtr.contents;
        out = {
          ok: true,
          unique: this.store.mintUnique(h.slot, this.ops.uniqueOwner(h.slot, type.init ? type.value : '')),
        };
      },
    );
    return out;
  }

  /** Checked `UniqueFrame::drop`. */
  dropUnique(u: UniqueHandle): void {
    this.consume(u, 'UniqueFrame::drop');
    this.regionOp(
      this.ops.uniqueDrop,
      this.uniqueArgs(u),
      [u.slot],
      () => this.trace(u.slot, (this.layer.dropUnique(u.slot), true)),
      (g) => withLedger(g, g.frameObligations.redeem(u.owner.slotIndex)),
    );
  }

  /** Checked `UniqueFrame::reset_as_unused`: vostd's proof redeems no obligation here, and neither does this ghost. */
  resetAsUnused(u: UniqueHandle): void {
    this.consume(u, 'UniqueFrame::reset_as_unused');
    this.regionOp(
      this.ops.uniqueResetAsUnused,
      this.uniqueArgs(u),
      [u.slot],
      () => this.trace(u.slot, (this.layer.resetAsUnused(u.slot), true)),
      id,
    );
  }

  /** Checked `UniqueFrame::repurpose`: the same frame with new metadata, under a new handle. */
  repurpose(u: UniqueHandle, meta: FrameMeta): UniqueHandle {
    this.consume(u, 'UniqueFrame::repurpose');
    let handle: UniqueHandle | undefined;
    this.regionOp(
      this.ops.uniqueRepurpose,
      { unique: { ptr: metaAddr(u.slot) }, owner: u.owner, metadata: storageOf(meta), ...metaTracked(meta.type.name) },
      [u.slot],
      () => (
        this.layer.repurpose(u.slot, meta),
        { unique: { ptr: metaAddr(u.slot) }, owner: this.ops.uniqueOwner(u.slot, meta.type.name) }
      ),
      id,
      (v) => void (handle = this.store.mintUnique(u.slot, v.owner)),
    );
    return handle!;
  }

  /**
   * Checked `UniqueFrame::into_raw` (HEAD's contract; the seed has none: `--spec head` only): the value
   * is forgotten with its obligation redeemed, the frame stays `REF_COUNT_UNIQUE` held raw (counted as
   * one unique owner outside the handles, as a list link is, until `uniqueFromRaw`).
   */
  uniqueIntoRaw(u: UniqueHandle): Paddr {
    const spec = this.headOnly(this.ops.uniqueIntoRaw, 'UniqueFrame::into_raw');
    this.consume(u, spec.name);
    return this.regionOp(
      spec,
      this.uniqueArgs(u),
      [u.slot],
      () => this.layer.uniqueIntoRaw(u.slot),
      (g) => withLedger(g, g.frameObligations.redeem(u.slot)),
      () => this.store.list(u.slot, 1),
    );
  }

  /** Checked `UniqueFrame::from_raw` (`unsafe`; HEAD's contract, `--spec head` only): the forgotten value rebuilt under a new handle. */
  uniqueFromRaw(paddr: Paddr, type: string): UniqueHandle {
    const spec = this.headOnly(this.ops.uniqueFromRaw, 'UniqueFrame::from_raw');
    const i = frameToIndex(paddr);
    let handle: UniqueHandle | undefined;
    this.regionOp(
      spec,
      { paddr, ...metaTracked(type) },
      this.index(paddr) === undefined ? [] : [i],
      () => {
        const slot = this.layer.uniqueFromRaw(paddr);
        return { unique: { ptr: metaAddr(slot) }, owner: this.ops.uniqueOwner(slot, type) };
      },
      (g) => (this.index(paddr) === undefined ? g : this.mint(g, i)),
      (v) => {
        if ((this.store.listed.get(i * PAGE_SIZE) ?? 0) > 0) this.store.list(i, -1);
        handle = this.store.mintUnique(i, v.owner);
      },
    );
    return handle!;
  }

  private headOnly<T>(spec: T | undefined, op: string): T {
    if (spec === undefined) throw new Error(`${op} has a contract only in vostd HEAD: run with --spec head`);
    return spec;
  }

  // --- machinery -------------------------------------------------------------------------------------

  /**
   * Runs one checked call: refresh the footprint from memory, check the contract around the
   * implementation, advance the ghost, commit the handle store, then (unless a broken precondition
   * voided the call) check the region invariant and the accounting invariant on the slots the call
   * touched. An allowed abort is rethrown.
   */
  checkedCall<S, A, V>(c: CheckedCall<S, A, V>, level?: CallLevel, replay = false): V {
    const before = this.ghost;
    // A replay runs after the fast path: the ghost is as of before the call, the log is the call's.
    if (!replay) {
      this.tracking.reset();
      if (this.deallocs.length > 0) this.deallocs.length = 0;
    }
    let fx: Effects | undefined;
    const call: Call<S, A, V> = {
      spec: c.spec,
      old: c.old,
      args: c.args,
      p: this.p,
      run: () => {
        const v = c.run();
        fx = this.effects(c.footprint);
        return v;
      },
      final: (v) => c.final(viewRegion(this.impl, this.tracking.base, before, fx!.touched, undefined, fx!.storage), v),
      eq: c.eq,
      diff: (a, b) => regionDiff(c.regionOf(a), c.regionOf(b), fx?.touched ?? c.footprint),
    };
    const out = this.checker.check(call, level);
    if (out.kind === 'abort') {
      this.ghost = viewRegion(this.impl, this.tracking.base, before, (fx ?? this.effects(c.footprint)).touched);
      throw out.error;
    }
    this.ghost = c.regionOf(out.final);
    c.commit(out.result);
    // A caller violation voids the call: the invariants after it are not the implementation's to keep.
    if (out.voided !== true) this.checkInvariants(call, out.result, out.final, fx!.touched, before);
    return out.result;
  }

  /** One checked call on the region: `old` is the ghost refreshed at `footprint`. */
  regionOp<A, V>(
    spec: OpSpec<MetaRegionOwners, A, V>,
    args: A,
    footprint: readonly FrameIndex[],
    run: () => V,
    final: (g: MetaRegionOwners, v: V) => MetaRegionOwners,
    commit: (v: V) => void = noCommit,
    level?: CallLevel,
    replay = false,
  ): V {
    if (!replay) this.refresh(footprint);
    const c = { spec, old: this.ghost, args, footprint, run, final, regionOf: id, eq: regionEq, commit };
    return this.checkedCall(c, level, replay);
  }

  /** The ghost at `indices` re-read from memory (nothing else should have changed it; a test may have). */
  refresh(indices: readonly FrameIndex[]): void {
    if (indices.length > 0) this.ghost = viewRegion(this.impl, this.tracking.base, this.ghost, indices, undefined, []);
  }

  /** The slot index of `paddr` when it has one. */
  index(paddr: Paddr): FrameIndex | undefined {
    return Number.isInteger(paddr) && paddr >= 0 && paddr % PAGE_SIZE === 0 && paddr < this.impl.maxPaddr
      ? paddr / PAGE_SIZE
      : undefined;
  }

  /** Records a linearity violation when `h` is not live; it voids the call made through `h`, as a broken requires does. */
  requireLive(h: Handle, op: string): void {
    if (this.store.isLive(h)) return;
    this.checker.linearity(
      op,
      `${h.kind}#${h.id}`,
      'caller',
      `a ${h.kind === 'frame' ? 'Frame' : 'UniqueFrame'} handle used after it was consumed`,
    );
    this.checker.voidNextCall();
  }

  /** Consumes `h`, recording a linearity violation when it was not live. */
  consume(h: Handle, op: string): void {
    this.requireLive(h, op);
    this.store.consume(h);
  }

  /** The ledger with one more obligation at `i` (`tracked_mint_frame_obligation`). */
  mint(g: MetaRegionOwners, i: FrameIndex): MetaRegionOwners {
    return withLedger(g, g.frameObligations.mint(i));
  }

  /** The tracked arguments of a unique-frame op. */
  uniqueArgs(u: UniqueHandle): UniqueArgs {
    return { unique: { ptr: metaAddr(u.slot) }, owner: u.owner };
  }

  /** What a teardown did: whether it was the last reference, the counts it stored, the frames it deallocated. */
  private trace(slot: SlotPtr, last: boolean): TeardownTrace {
    const word = this.impl.refCountWord(slot);
    const rcWrites: bigint[] = [];
    for (const a of this.tracking.log) if (a.word === word && a.written !== undefined) rcWrites.push(a.written);
    return { last, rcWrites, dealloc: this.deallocs.slice() };
  }

  /** The slots the last call touched (its footprint, and every slot it wrote) and those whose storage it wrote. */
  private effects(footprint: readonly FrameIndex[]): Effects {
    const per = this.impl.layout.wordsPerSlot;
    const touched = footprint.slice();
    const storage: FrameIndex[] = [];
    for (const w of this.tracking.plainWrites) addOnce(storage, Math.floor(w / per));
    for (const a of this.tracking.log) if (a.written !== undefined) addOnce(touched, Math.floor(a.word / per));
    for (const i of storage) addOnce(touched, i);
    return { touched, storage };
  }

  private checkInvariants<S, A, V>(
    call: Call<S, A, V>,
    result: V,
    final: S,
    indices: readonly FrameIndex[],
    before: MetaRegionOwners,
  ): void {
    const invs: InvCheck[] = [];
    const set = invariantsOf(this.spec);
    // Ghost steps may change entries no memory access touched: the domain conjuncts there (`regionDomain.ts`).
    if (this.checker.callLevel === 'full') invs.push(...domainChecks(set, before, this.ghost, indices, this.p));
    if (this.checker.callLevel === 'full' && (coverageEnabled() || !set.regionInvAt(this.ghost, indices))) {
      for (const i of indices) {
        const at: RegionAt = { region: this.ghost, i };
        for (const c of set.regionInv) invs.push({ clause: c as Invariant<never>, ctx: { value: at, p: this.p } });
        for (const c of set.slotOwnerInv)
          invs.push({ clause: c as Invariant<never>, ctx: { value: slotOwner(this.ghost, i), p: this.p } });
        const perm = slotPerm(this.ghost, i);
        if (perm?.contents.init) {
          const wf = { slot: perm.contents.value, owner: slotOwner(this.ghost, i) };
          for (const c of set.slotWf) invs.push({ clause: c as Invariant<never>, ctx: { value: wf, p: this.p } });
        }
      }
    }
    // The accounting invariant is level full's (see `level.ts`): level cheap checks the op's clauses alone.
    if (this.opts.accounting !== false && this.checker.callLevel === 'full') {
      for (const chk of accountingChecks(accountingState(this.store, this.ghost, indices, this.ext), indices, this.p))
        invs.push(chk);
    }
    if (invs.length > 0) this.checker.checkInvariants(call, invs, result, final);
  }
}

/** Rethrows what a call threw, when the full check replays it. */
function throwIt(e: unknown): never {
  throw e;
}

/** The memory effects of one call. */
type Effects = { touched: FrameIndex[]; storage: FrameIndex[] };

/** The old and final owners (and slot permissions and ledger counts) at the touched indices. */
function regionDiff(a: MetaRegionOwners, b: MetaRegionOwners, indices: readonly FrameIndex[]) {
  const out: Record<string, { old: unknown; final: unknown }> = {};
  for (const i of indices) {
    out[`slot_owners[${i}]`] = { old: slotOwner(a, i), final: slotOwner(b, i) };
    if (!ghostEq(slotPerm(a, i), slotPerm(b, i)))
      out[`slots[${i}]`] = { old: slotPerm(a, i) ?? null, final: slotPerm(b, i) ?? null };
    if (a.frameObligations.count(i) !== b.frameObligations.count(i)) {
      out[`frame_obligations.count(${i})`] = { old: a.frameObligations.count(i), final: b.frameObligations.count(i) };
    }
  }
  return out;
}
