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
import {
  withOwnerFields,
  type MetaSlotOwner,
  type MetaSlotStorage,
  type PageUsage,
} from '../../spec/meta/MetaSlotOwner.ts';
import { ghostEq } from '../../spec/meta/perms.ts';
import { PANIC } from '../../spec/frame/regionFacts.ts';
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
  readFootprint,
  invAtCount,
  type FastCheck,
  type SlotEntry,
} from './fastPath.ts';
import { FastPathGhost } from './fastPathGhost.ts';
import {
  frameCloneFast,
  frameDropFast,
  frameFromInUseFast,
  frameFromUnusedFast,
  isClaimed,
  isTornDown,
} from './frameFastForms.ts';
import type { Violation } from './report.ts';
import {
  frameFromUniqueFast,
  uniqueDropFast,
  uniqueTryFromSharedFast,
  uniqueFromUnusedFast,
  uniqueOwnerInvAt,
  type LayerFootprint,
} from './uniqueFastForms.ts';
import { checkInternalCalls } from './internalCalls.ts';
import { allocFrameWithFast, newAllocFootprint, type AllocFootprint } from './allocFastForms.ts';
import { freeSetEq, type AllocatorWatch, type CheckedAllocator } from './CheckedAllocator.ts';
import type { FrameAllocError } from '../../impl/alloc/FrameAllocOptions.ts';
import { firstFit, type FreeSetModel } from '../../spec/alloc/FrameAllocator.ts';
import { covers, overlapsAny } from '../../spec/alloc/rangeSet.ts';
import { domainChecks } from './regionDomain.ts';
import { TrackingMemory } from './trackingMemory.ts';
import { storageOf, viewRegion, viewSlotOwner } from './view.ts';

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
  readonly lazy: FastPathGhost;
  private readonly deallocs: Paddr[] = [];
  private readonly opts: CheckedFrameOptions;
  private readonly ext: ExternalRefs;
  private readonly fx = newAllocFootprint();
  private readonly allocFast: FastCheck<AllocFootprint> | undefined;
  /** The watch a fast `alloc_frame_with` sets on the allocator, and the slot it learned (-1: none yet). */
  private readonly allocWatch: AllocatorWatch = {
    calls: 0,
    pageAlloc: false,
    voided: false,
    old: undefined,
    final: undefined,
    result: undefined,
    allocated: (at) => this.allocated(at),
  };
  private readonly claim: { slot: number; entry: SlotEntry | undefined; level: CallLevel } = {
    slot: -1,
    entry: undefined,
    level: 'full',
  };
  /** The run record of a drop that is not the last (reused, filled once the call returned). */
  private readonly dropRun: DropRun = { last: false, failed: false, threw: undefined, numbered: undefined };
  private readonly cloneFast: FastCheck | undefined;
  private readonly dropFast: FastCheck | undefined;
  private readonly inUseFast: FastCheck | undefined;
  private readonly unusedFast: FastCheck | undefined;
  private readonly uniqueUnusedFast: FastCheck<LayerFootprint> | undefined;
  private readonly uniqueDropFast: FastCheck<LayerFootprint> | undefined;
  private readonly fromUniqueFast: FastCheck<LayerFootprint> | undefined;
  private readonly tryFromSharedFast: FastCheck<LayerFootprint> | undefined;
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
    this.unusedFast = this.spec === 'seed' ? frameFromUnusedFast(this.p) : undefined;
    this.uniqueUnusedFast = this.spec === 'seed' ? uniqueFromUnusedFast(this.p) : undefined;
    this.uniqueDropFast = this.spec === 'seed' ? uniqueDropFast(this.p) : undefined;
    this.fromUniqueFast = this.spec === 'seed' ? frameFromUniqueFast(this.p) : undefined;
    this.tryFromSharedFast = this.spec === 'seed' ? uniqueTryFromSharedFast(this.p) : undefined;
    this.allocFast = this.spec === 'seed' ? allocFrameWithFast(this.p) : undefined;
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

  /** How many frames the last checked call returned to the allocator (`lastDeallocs().length`, without the copy). */
  deallocCount(): number {
    return this.deallocs.length;
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

  /** Checked `Frame::from_unused`: a new handle, or the error (on its footprint first, see `fastPath.ts`). */
  fromUnused(paddr: Paddr, meta: FrameMeta): FrameHandle | GetFrameError {
    const i = this.index(paddr);
    const metadata = storageOf(meta);
    const level = this.checker.nextCallLevel();
    const fast =
      i !== undefined && this.unusedFast !== undefined && fastPathEnabled() && !coverageEnabled()
        ? this.fastClaim(i, () => this.layer.fromUnused(paddr, meta), metadata, false, level, this.unusedFast)
        : 'declined';
    if (typeof fast === 'object' && 'claimed' in fast)
      return typeof fast.claimed === 'number' ? this.store.mintFrame(fast.claimed) : fast.claimed;
    const replay = typeof fast === 'object';
    let out: SlotPtr | GetFrameError = replay ? fast.out : 'NotAligned';
    let handle: FrameHandle | undefined;
    const spec = () => (typeof out === 'number' ? ok({ ptr: metaAddr(out) }) : err(out));
    this.regionOp(
      this.ops.frameFromUnused,
      { paddr, metadata },
      i === undefined ? [] : [i],
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : spec())
        : () => ((out = this.layer.fromUnused(paddr, meta)), spec()),
      (g, v) => (v.ok && i !== undefined ? this.mint(withUsageFrame(g, i), i) : g),
      (v) => void (v.ok && (handle = this.store.mintFrame(out as SlotPtr))),
      level,
      replay,
    );
    return handle ?? (out as GetFrameError);
  }

  /**
   * A claim of slot `i` (`Frame::from_unused`, or `UniqueFrame::from_unused` when `asUnique`) on its
   * footprint: the requires before the call, the call (`run`), the ensures on what it wrote and on the
   * owner it left (re-read from memory, as the full check's view does, with the usage the proof code
   * sets), and at level full the accounting at the slot with the new handle. On `Ok` the ghost takes
   * that owner and one minted obligation, and the caller mints the handle. What the call returned when
   * every clause held; else the call ran and the full check replays it.
   */
  private fastClaim(
    i: FrameIndex,
    run: () => SlotPtr | GetFrameError,
    metadata: MetaSlotStorage,
    asUnique: boolean,
    level: CallLevel,
    check: FastCheck<LayerFootprint>,
  ): 'declined' | { claimed: SlotPtr | GetFrameError } | { threw: unknown; out: SlotPtr | GetFrameError } {
    const f = this.fx;
    const e = this.lazy.before(i, f, level !== 'skip');
    f.permPresent = e.perm !== null;
    f.usageUnused = e.resolved.usage === 'Unused';
    if (level !== 'skip' && !fastRequires(check, f)) return 'declined';
    const out = this.runForResult(i, e, level, run);
    if (typeof out === 'object') return out;
    let final: MetaSlotOwner | undefined;
    f.claimed = f.inListZero = f.metaOk = false;
    if (f.ok && f.withinSlot) {
      final = withOwnerFields(this.ownerAfter(i, e), { usage: 'Frame' });
      const fp = final.innerPerms;
      f.claimed = isClaimed(final, e.resolved, metadata, asUnique, this.p);
      f.inListZero = fp.inList.value === 0n;
      // `isClaimed` compared the storage with the metadata already: only a failed claim compares it again
      f.metaOk = f.claimed || (fp.storage.contents.init && ghostEq(fp.storage.contents.value, metadata));
      if (level !== 'skip') f.invFinal = this.lazy.invWith(e, i, final);
    }
    const usage = f.ok ? 'Frame' : e.resolved.usage;
    const added = f.ok ? 1 : 0;
    const kept =
      level === 'skip'
        ? f.ok
          ? final !== undefined && f.ptr === i
          : f.nothingWritten
        : fastEnsures(check, f, level) &&
          this.accountingAt(i, f.finalRc, usage, level, asUnique ? 0 : added, asUnique ? added : 0);
    if (!kept) return this.replayFrom(i, { threw: undefined, out });
    this.checker.calls++;
    if (final === undefined) this.lazy.move(i, f.finalRc);
    else {
      this.adoptOwner(i, final, 1, e, level);
    }
    return { claimed: out };
  }

  /**
   * `FrameAllocOptions::alloc_frame_with` on its footprint (see `allocFastForms.ts`). The call runs
   * numbered (the checked `alloc` under it is numbered after it, as inside the full check) with
   * `allocator` watched: when the implementation's `alloc` hands out a page, its slot is read as
   * `Frame::from_unused`'s fast path reads it, before the claim. Then the clauses on that slot, on the
   * allocator's sets as its checked `alloc` left them and on the frame's bytes (`readsZero`), and at
   * level full the accounting at the slot. The slot or the error when every clause held (the ghost takes
   * the claimed owner and one obligation); `declined` when nothing ran; else the full check replays it.
   */
  fastAllocFrame(
    allocator: CheckedAllocator,
    run: () => SlotPtr | FrameAllocError,
    metadata: MetaSlotStorage,
    zeroed: boolean,
    readsZero: (i: FrameIndex) => boolean,
    level: CallLevel,
  ): 'declined' | { done: SlotPtr | FrameAllocError } | AllocReplay {
    const check = this.allocFast;
    if (check === undefined || !fastPathEnabled() || coverageEnabled()) return 'declined';
    const f = this.fx;
    const w = this.allocWatch;
    w.calls = 0;
    w.old = w.final = w.result = undefined;
    this.claim.slot = -1;
    this.claim.level = level;
    const violations = this.checker.violations.length;
    let out: SlotPtr | FrameAllocError = 'NoMemory';
    let threw: unknown;
    let failed = false;
    this.callStarts();
    allocator.watch = w;
    let numbered: readonly [number, number];
    try {
      numbered = this.runNumbered(level, () => {
        try {
          out = run();
        } catch (x) {
          failed = true;
          threw = x;
        }
      });
    } finally {
      allocator.watch = undefined;
    }
    const i = this.claim.slot;
    const old = w.calls > 0 ? w.old! : allocator.ghost;
    const final = allocator.ghost;
    // the level the calls under it left current, as the full check leaves it after its run
    const replay: AllocReplay = { threw, out, numbered, old, levelAfter: this.checker.callLevel };
    // A footprint the form does not describe: not exactly one checked page `alloc`, a violation under it, a throw.
    if (failed || w.calls !== 1 || !w.pageAlloc || w.voided || this.checker.violations.length !== violations)
      return this.replayAlloc(i, replay);
    f.zeroed = zeroed;
    f.ok = typeof out === 'number';
    f.ptr = typeof out === 'number' ? out : -1;
    f.error = typeof out === 'number' ? '' : out;
    let owner: MetaSlotOwner | undefined;
    if (typeof out === 'number') {
      const e = this.claim.entry;
      if (i < 0 || out !== i || e === undefined) return this.replayAlloc(i, replay);
      this.footprintAfter(i, e, level);
      f.claimed = f.inListZero = false;
      if (f.withinSlot) {
        owner = withOwnerFields(this.ownerAfter(i, e), { usage: 'Frame' });
        f.claimed = isClaimed(owner, e.resolved, metadata, false, this.p);
        f.inListZero = owner.innerPerms.inList.value === 0n;
        if (level !== 'skip') f.invFinal = this.lazy.invWith(e, i, owner);
      }
      const range = { start: i * PAGE_SIZE, end: (i + 1) * PAGE_SIZE };
      f.fresh = covers(old.free, range);
      f.taken = !overlapsAny(final.free, range);
      f.shrunk = level === 'full' && final.free.every((r) => covers(old.free, r)) && final.added === old.added;
      f.readsZero = zeroed && level !== 'skip' ? readsZero(i) : undefined;
    } else {
      f.nothingWritten = !this.tracking.wroteAny();
      f.allocUnchanged = i < 0 && freeSetEq(old, final);
      f.noFit = level === 'full' && firstFit(old, { size: PAGE_SIZE, align: PAGE_SIZE }) === undefined;
    }
    const kept =
      level === 'skip'
        ? f.ok
          ? owner !== undefined
          : f.nothingWritten
        : fastEnsures(check, f, level) &&
          (owner === undefined || (f.invFinal && this.accountingAt(i, f.finalRc, 'Frame', level, 1)));
    if (!kept) return this.replayAlloc(i, replay);
    if (owner !== undefined) this.adoptOwner(i, owner, 1, this.claim.entry!, level);
    return { done: out };
  }

  /** `alloc` handed out `at` under a watched `alloc_frame_with`: the first page's slot is read before the call claims it. */
  private allocated(at: Paddr | undefined): void {
    const c = this.claim;
    if (c.slot !== -1 || at === undefined || this.allocWatch.calls !== 0) return;
    c.slot = -2;
    const i = this.index(at);
    // the slot as memory holds it before the call: nothing the call wrote yet
    if (i === undefined || this.tracking.wroteAny()) return;
    // the full check reads the region as it is, without refreshing the slot: memory must agree with it there
    if (!this.lazy.agrees(i)) return;
    c.slot = i;
    c.entry = this.lazy.before(i, this.fx, c.level !== 'skip');
    this.fx.permPresent = c.entry.perm !== null;
  }

  /** Before the full check replays a fast `alloc_frame_with`: the ghost as the full check would have read it before the call. */
  private replayAlloc(i: FrameIndex, replay: AllocReplay): AllocReplay {
    if (i >= 0) this.lazy.move(i, this.fx.beforeRc);
    void this.lazy.ghost;
    return replay;
  }

  /**
   * In the full check's replay of a fast `alloc_frame_with`: the call numbers before it (`nested` false),
   * or those and the current level its nested calls left (inside its run, as a run that made them would).
   */
  renumber(replay: AllocReplay, nested: boolean): void {
    this.checker.calls = replay.numbered[nested ? 1 : 0];
    if (nested) this.checker.callLevel = replay.levelAfter;
  }

  /** The owner slot `i` shows after a fast call (its count the call's last write), as the full check's view reads it. */
  private ownerAfter(i: FrameIndex, e: SlotEntry): MetaSlotOwner {
    const per = this.impl.layout.wordsPerSlot;
    const plain = this.tracking.plainWrites;
    let storageWritten = false;
    for (let k = 0; k < plain.length; k++) if (Math.floor(plain[k]! / per) === i) storageWritten = true;
    return viewSlotOwner(this.impl, this.tracking.base, i, e.resolved, this.fx.finalRc, !storageWritten);
  }

  /**
   * The ghost after a fast call that rewrote slot `i`: the slot takes `owner` and `obl` obligations
   * minted (or redeemed), pending until someone reads the ghost (see `FastPathGhost.rewrite`), and its
   * entry keeps the value of `regions.inv()` there the call computed (when its level computed one).
   */
  private adoptOwner(i: FrameIndex, owner: MetaSlotOwner, obl: number, e: SlotEntry, level: CallLevel): void {
    this.lazy.rewrite(i, owner, obl);
    if (level !== 'skip') e.inv.set(this.fx.finalRc, this.fx.invFinal);
  }

  /** Checked `Frame::from_in_use`: another handle, or the error (on its footprint first, see `fastPath.ts`). */
  fromInUse(paddr: Paddr): FrameHandle | GetFrameError {
    const i = this.index(paddr);
    const level = this.checker.nextCallLevel();
    const fast =
      i !== undefined && this.inUseFast !== undefined && fastPathEnabled() && !coverageEnabled()
        ? this.fastFromInUse(i, paddr, level, this.inUseFast)
        : 'declined';
    if (fast !== 'declined' && (typeof fast === 'string' || !('threw' in fast))) return fast;
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
   * after the call when it held before. The result (a handle or the error) when every clause held; else
   * the call ran and the full check replays it.
   */
  private fastFromInUse(
    i: FrameIndex,
    paddr: Paddr,
    level: CallLevel,
    check: FastCheck,
  ): 'declined' | FrameHandle | GetFrameError | { threw: unknown; out: SlotPtr | GetFrameError } {
    const f = this.fx;
    const e = this.lazy.before(i, this.fx, level !== 'skip');
    f.permSlot = e.permSlot;
    if (level !== 'skip' && !(fastRequires(check, f) && this.accountingAt(i, f.beforeRc, e.resolved.usage, level)))
      return 'declined';
    const out = this.runForResult(i, e, level, () => this.layer.fromInUse(paddr));
    if (typeof out === 'object') return out;
    if (!(level === 'skip' ? f.onlyRc : fastEnsures(check, f, level)))
      return this.replayFrom(i, { threw: undefined, out });
    this.checker.calls++;
    if (!f.ok) return out as GetFrameError;
    this.lazy.move(i, f.finalRc, 1);
    return this.store.mintFrame(i);
  }

  /**
   * Runs a fast call on slot `i` that returns a slot or an error, and reads its footprint and result
   * into `fx`; what it threw, ready for the full check's replay, when it threw.
   */
  private runForResult(
    i: FrameIndex,
    e: SlotEntry,
    level: CallLevel,
    run: () => SlotPtr | GetFrameError,
  ): SlotPtr | GetFrameError | { threw: unknown; out: GetFrameError } {
    this.callStarts();
    let out: SlotPtr | GetFrameError;
    try {
      out = run();
    } catch (threw) {
      return this.replayFrom(i, { threw, out: 'NotAligned' as const });
    }
    this.footprintAfter(i, e, level);
    const f = this.fx;
    f.ok = typeof out === 'number';
    f.ptr = typeof out === 'number' ? out : -1;
    f.error = typeof out === 'number' ? '' : out;
    return out;
  }

  /** Starts a fast call: forgets the previous call's accesses and deallocations. */
  callStarts(): void {
    this.tracking.reset();
    if (this.deallocs.length > 0) this.deallocs.length = 0;
  }

  /** The footprint of the fast call just made on slot `i`: its counts and writes, and `regions.inv()` at the slot after it. */
  private footprintAfter(i: FrameIndex, e: SlotEntry, level: CallLevel): void {
    const f = this.fx;
    readFootprint(this.tracking, this.lazy.rcWord(i), f, this.impl.layout.wordsPerSlot);
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
    const live = this.store.isLive(h);
    if (!live) this.requireLive(h, 'Frame::clone');
    const level = this.checker.nextCallLevel();
    const fast =
      this.cloneFast !== undefined && fastPathEnabled() && !coverageEnabled() && live
        ? this.fastClone(h.slot, level, this.cloneFast)
        : 'declined';
    if (fast !== 'declined' && !('threw' in fast)) return fast;
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
   * it held before. `declined` when nothing ran; the new handle when every clause held; else the call ran
   * and the full check replays it from the tracking log.
   */
  private fastClone(i: FrameIndex, level: CallLevel, check: FastCheck): 'declined' | FrameHandle | { threw: unknown } {
    const f = this.fx;
    const e = this.lazy.before(i, this.fx, level !== 'skip');
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
    return this.store.mintFrame(i);
  }

  /**
   * Whether the accounting invariant holds at slot `i` with count `rc`, ghost usage `usage` and the
   * references as they are, plus `newHandles` frame and `newUniques` unique handles about to be minted (`frameViolations` on the
   * slot's refs, read without building a state); true below level full, which alone checks the accounting.
   */
  accountingAt(i: FrameIndex, rc: bigint, usage: PageUsage, level: CallLevel, newHandles = 0, newUniques = 0): boolean {
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
      handles: (s.handles.get(paddr) ?? 0) + newHandles,
      uniques: (s.uniques.get(paddr) ?? 0) + (s.listed.get(paddr) ?? 0) + newUniques,
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
    if (typeof fast === 'boolean') return fast;
    const replay = typeof fast === 'object';
    const run = replay
      ? () => (this.renumbered(fast), fast.threw !== undefined ? throwIt(fast.threw) : this.trace(h.slot, fast.last))
      : () => this.trace(h.slot, this.layer.drop(h.slot));
    if (replay && fast.numbered !== undefined) this.checker.calls = fast.numbered[0];
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
   * accounting there holds after it when it held before. A last drop is checked on the owner it left
   * (re-read from memory), its writes to the count, its deallocation and, at level full, the accounting
   * at the slot after it; the ghost then takes the torn-down owner. Whether it was the last reference
   * when every clause held; else the call ran and the full check replays it.
   */
  private fastDrop(h: FrameHandle, obl: FrameIndex, level: CallLevel, check: FastCheck): 'declined' | boolean | Replay {
    const i = h.slot;
    const f = this.fx;
    const e = this.lazy.before(i, this.fx, level !== 'skip');
    f.permSlot = e.perm !== null && e.permSlot === i ? i : -1;
    f.ledgerHas = this.lazy.obligations(obl) > 0;
    f.oblIsKey = obl === i;
    f.pathsEmpty = e.resolved.pathsInPt.size === 0;
    const pre =
      level === 'skip' || (fastRequires(check, f) && this.accountingAt(i, f.beforeRc, e.resolved.usage, level));
    // `h` is live (the caller asked): consuming it records no violation
    this.store.consume(h);
    if (!pre) return 'declined';
    this.callStarts();
    // A last drop makes checked calls of its own (the allocator's dealloc, the internal on_drop): it runs
    // as the call it is numbered as, so that they are numbered and levelled as inside the full check.
    const run = f.beforeRc === 1n ? this.dropNumbered(i, level) : this.dropPlain(i);
    const numbered = run.numbered;
    if (run.failed) return this.replayFrom(i, { threw: run.threw, last: false, numbered });
    const last = run.last;
    this.footprintAfter(i, e, level);
    f.ok = true;
    f.last = last;
    const final = this.lastDropFootprint(i, e, level);
    const kept =
      level === 'skip'
        ? last
          ? final !== undefined && f.oblIsKey
          : f.onlyRc && f.deallocs === 0
        : fastEnsures(check, f, level) && (final === undefined || this.accountingAt(i, f.finalRc, final.usage, level));
    if (!kept) return this.replayFrom(i, { threw: undefined, last, numbered });
    if (numbered === undefined) this.checker.calls++;
    if (final === undefined) {
      this.lazy.move(i, f.finalRc, -1);
      return last;
    }
    this.adoptOwner(i, final, -1, e, level);
    return last;
  }

  /**
   * The footprint of a last drop of slot `i` just made (`f.last` or an old count of 1, every write within the slot): the
   * owner it left, whether that is the torn-down one, its writes to the count, its deallocation and
   * `regions.inv()` at the slot after it. Returns the owner (`undefined`, and every last-drop fact
   * false, for any other drop).
   */
  private lastDropFootprint(i: FrameIndex, e: SlotEntry, level: CallLevel): MetaSlotOwner | undefined {
    const f = this.fx;
    f.tornDown = f.throughZero = f.deallocSelf = f.ghostKept = false;
    if (!(f.last || f.oldRc === 1n) || !f.withinSlot) return undefined;
    const final = this.ownerAfter(i, e);
    const o = e.resolved;
    f.tornDown = isTornDown(final, o, this.p);
    f.ghostKept = final.selfAddr === o.selfAddr && final.usage === o.usage && ghostEq(final.pathsInPt, o.pathsInPt);
    const w = this.lazy.rcWord(i);
    // the count word's writes are exactly 0, then UNUSED
    const log = this.tracking.log;
    let n = 0;
    let through = true;
    for (let k = 0; k < log.length; k++) {
      const a = log[k]!;
      if (a.word !== w || a.written === undefined) continue;
      through &&= n === 0 ? a.written === 0n : n === 1 && a.written === this.p.refCountUnused;
      n++;
    }
    f.throughZero = through && n === 2;
    f.deallocSelf = this.deallocs.length === 1 && this.deallocs[0] === i * PAGE_SIZE;
    if (level !== 'skip') f.invFinal = this.lazy.invWith(e, i, final);
    return final;
  }

  /** The drop of slot `i` run unnumbered (not the last reference before it): what it returned or threw. */
  private dropPlain(i: SlotPtr): DropRun {
    let last = false;
    let failed = false;
    let threw: unknown;
    try {
      last = this.layer.drop(i);
    } catch (x) {
      failed = true;
      threw = x;
    }
    // written after the call: a call nested in it may have used the record
    const r = this.dropRun;
    r.last = last;
    r.failed = failed;
    r.threw = threw;
    r.numbered = undefined;
    return r;
  }

  /** The drop of slot `i` run numbered at `level` (see `runNumbered`): what it returned or threw, and its call numbers. */
  private dropNumbered(i: SlotPtr, level: CallLevel): DropRun {
    const r: DropRun = { last: false, failed: false, threw: undefined, numbered: undefined };
    r.numbered = this.runNumbered(level, () => {
      try {
        r.last = this.layer.drop(i);
      } catch (x) {
        r.failed = true;
        r.threw = x;
      }
    });
    return r;
  }

  /**
   * Runs `body` (an implementation call, which must not throw) as the checked call about to be
   * numbered, at `level`, with no clause of its own: the checked calls it makes are numbered after it
   * and see its level, as inside the full check. Returns the numbers before it and after it (the full
   * check's replay takes the first and, once numbered, the second).
   */
  private runNumbered(level: CallLevel, body: () => void): readonly [number, number] {
    const before = this.checker.calls;
    this.checker.check(
      {
        spec: NUMBERED,
        old: undefined,
        args: undefined,
        p: this.p,
        run: body,
        final: () => undefined,
        eq: () => true,
        diff: () => ({}),
      },
      level,
    );
    return [before, this.checker.calls];
  }

  /** In the full check's replay of a numbered fast call: the count of calls its nested calls left. */
  private renumbered(r: Replay): void {
    if (r.numbered !== undefined) this.checker.calls = r.numbered[1];
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

  /** Checked `UniqueFrame::from_unused` (on its footprint first, see `fastPath.ts`). */
  uniqueFromUnused(paddr: Paddr, meta: FrameMeta): UniqueHandle | GetFrameError {
    const i = this.index(paddr);
    const metadata = storageOf(meta);
    const type = meta.type.name;
    const level = this.checker.nextCallLevel();
    const check = this.uniqueUnusedFast;
    const fast =
      i !== undefined && check !== undefined && fastPathEnabled() && !coverageEnabled()
        ? this.fastClaim(i, () => this.layer.uniqueFromUnused(paddr, meta), metadata, true, level, check)
        : 'declined';
    if (typeof fast === 'object' && 'claimed' in fast) {
      const out = fast.claimed;
      return typeof out === 'number' ? this.store.mintUnique(out, this.ops.uniqueOwner(out, type)) : out;
    }
    const replay = typeof fast === 'object';
    let out: SlotPtr | GetFrameError = replay ? fast.out : 'NotAligned';
    let handle: UniqueHandle | undefined;
    const spec = () =>
      typeof out === 'number'
        ? ok({ unique: { ptr: metaAddr(out) }, owner: this.ops.uniqueOwner(out, type) })
        : err(out);
    this.regionOp(
      this.ops.uniqueFromUnused,
      { paddr, metadata, ...metaTracked(type) },
      i === undefined ? [] : [i],
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : spec())
        : () => ((out = this.layer.uniqueFromUnused(paddr, meta)), spec()),
      (g, v) => (v.ok && i !== undefined ? this.mint(withUsageFrame(g, i), i) : g),
      (v) => void (v.ok && (handle = this.store.mintUnique(out as SlotPtr, v.value.owner))),
      level,
      replay,
    );
    return handle ?? (out as GetFrameError);
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

  /** Checked `From<UniqueFrame> for Frame` (`Frame::from_unique`; on its footprint first, see `fastPath.ts`). */
  intoShared(u: UniqueHandle): FrameHandle {
    const level = this.checker.nextCallLevel();
    const check = this.fromUniqueFast;
    const fast =
      check !== undefined && fastPathEnabled() && !coverageEnabled() && this.store.isLive(u)
        ? this.fastIntoShared(u, level, check)
        : (this.consume(u, 'Frame::from_unique'), 'declined' as const);
    if (typeof fast === 'object' && 'handle' in fast) return fast.handle;
    const replay = typeof fast === 'object';
    let handle: FrameHandle | undefined;
    this.regionOp(
      this.ops.frameFromUnique,
      this.uniqueArgs(u),
      [u.slot],
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : { ptr: metaAddr(u.slot) })
        : () => (this.layer.intoShared(u.slot), { ptr: metaAddr(u.slot) }),
      id,
      () => void (handle = this.store.mintFrame(u.slot)),
      level,
      replay,
    );
    return handle!;
  }

  /**
   * `Frame::from_unique` of a live unique handle on its footprint: the requires on the handle and the
   * slot before it is consumed, the call, the ensures on what its store did, and at level full the
   * accounting at the slot with the frame handle it becomes. The handle when every clause held; else
   * the call ran and the full check replays it.
   */
  private fastIntoShared(
    u: UniqueHandle,
    level: CallLevel,
    check: FastCheck<LayerFootprint>,
  ): 'declined' | { handle: FrameHandle } | { threw: unknown } {
    const i = u.slot;
    const f = this.fx;
    const e = this.lazy.before(i, f, level !== 'skip');
    f.ownerInv = uniqueOwnerInvAt(u.owner.slotIndex, this.p);
    f.wf = u.owner.slotIndex === i;
    const pre = level === 'skip' || fastRequires(check, f);
    this.consume(u, 'Frame::from_unique');
    if (!pre) return 'declined';
    this.callStarts();
    try {
      this.layer.intoShared(i);
    } catch (threw) {
      return this.replayFrom(i, { threw });
    }
    this.footprintAfter(i, e, level);
    f.ok = true;
    const kept =
      level === 'skip'
        ? f.onlyRc
        : fastEnsures(check, f, level) &&
          // level full checks `regions.inv()` at the slot after every call (the clause asks it of a live unique only)
          (level !== 'full' || f.invFinal) &&
          this.accountingAt(i, f.finalRc, e.resolved.usage, level, 1);
    if (!kept) return this.replayFrom(i, { threw: undefined });
    this.checker.calls++;
    this.lazy.move(i, f.finalRc);
    return { handle: this.store.mintFrame(i) };
  }

  /** Checked `TryFrom<Frame> for UniqueFrame` (`try_from_shared`; on its footprint first): the frame comes back when it is shared. */
  tryIntoUnique(h: FrameHandle): TryIntoUniqueResult {
    this.requireLive(h, 'UniqueFrame::try_from_shared');
    const level = this.checker.nextCallLevel();
    const check = this.tryFromSharedFast;
    const fast =
      check !== undefined && fastPathEnabled() && !coverageEnabled() && this.store.isLive(h)
        ? this.fastTryIntoUnique(h, level, check)
        : 'declined';
    if (typeof fast === 'object' && 'result' in fast) return fast.result;
    const replay = typeof fast === 'object';
    let out: TryIntoUniqueResult = { ok: false, frame: h };
    const value = { ptr: metaAddr(h.slot) };
    this.regionOp(
      this.ops.uniqueTryFromShared,
      { frame: { ptr: metaAddr(h.slot) } },
      [h.slot],
      replay
        ? () => (fast.threw !== undefined ? throwIt(fast.threw) : { ok: fast.ok, value })
        : () => ({ ok: this.layer.tryIntoUnique(h.slot), value }),
      id,
      (v) => {
        if (!v.ok) return;
        const type = slotOwner(this.ghost, h.slot).innerPerms.vtablePtr.contents;
        out = { ok: true, unique: this.uniqueOf(h, type.init ? type.value : '') };
      },
      level,
      replay,
    );
    return out;
  }

  /**
   * `try_from_shared` of a live frame handle on its footprint: the requires before the call, the call,
   * the ensures on what its CAS did, and at level full the accounting at the slot with the handle it
   * leaves (the frame handle, or the unique one it becomes). The result when every clause held; else
   * the call ran and the full check replays it.
   */
  private fastTryIntoUnique(
    h: FrameHandle,
    level: CallLevel,
    check: FastCheck<LayerFootprint>,
  ): 'declined' | { result: TryIntoUniqueResult } | { threw: unknown; ok: boolean } {
    const i = h.slot;
    const f = this.fx;
    const e = this.lazy.before(i, f, level !== 'skip');
    if (level !== 'skip' && !fastRequires(check, f)) return 'declined';
    this.callStarts();
    let ok: boolean;
    try {
      ok = this.layer.tryIntoUnique(i);
    } catch (threw) {
      return this.replayFrom(i, { threw, ok: false });
    }
    this.footprintAfter(i, e, level);
    f.ok = ok;
    const moved = ok ? 1 : 0;
    const kept =
      level === 'skip'
        ? ok
          ? f.onlyRc
          : f.nothingWritten
        : fastEnsures(check, f, level) && this.accountingAt(i, f.finalRc, e.resolved.usage, level, -moved, moved);
    if (!kept) return this.replayFrom(i, { threw: undefined, ok });
    this.checker.calls++;
    this.lazy.move(i, f.finalRc);
    if (!ok) return { result: { ok: false, frame: h } };
    const type = e.resolved.innerPerms.vtablePtr.contents;
    return { result: { ok: true, unique: this.uniqueOf(h, type.init ? type.value : '') } };
  }

  /** The unique handle a frame handle `h` becomes (`h` consumed), its owner of metadata type `type`. */
  private uniqueOf(h: FrameHandle, type: string): UniqueHandle {
    this.store.consume(h);
    return this.store.mintUnique(h.slot, this.ops.uniqueOwner(h.slot, type));
  }

  /** Checked `UniqueFrame::drop` (on its footprint first, see `fastPath.ts`). */
  dropUnique(u: UniqueHandle): void {
    const level = this.checker.nextCallLevel();
    const check = this.uniqueDropFast;
    const fast =
      check !== undefined && fastPathEnabled() && !coverageEnabled() && this.store.isLive(u)
        ? this.fastUniqueDrop(u, level, check)
        : (this.consume(u, 'UniqueFrame::drop'), 'declined' as const);
    if (fast === true) return;
    const replay = typeof fast === 'object';
    if (replay && fast.numbered !== undefined) this.checker.calls = fast.numbered[0];
    this.regionOp(
      this.ops.uniqueDrop,
      this.uniqueArgs(u),
      [u.slot],
      replay
        ? () => (this.renumbered(fast), fast.threw !== undefined ? throwIt(fast.threw) : this.trace(u.slot, true))
        : () => this.trace(u.slot, (this.layer.dropUnique(u.slot), true)),
      (g) => withLedger(g, g.frameObligations.redeem(u.owner.slotIndex)),
      noCommit,
      level,
      replay,
    );
  }

  /**
   * `UniqueFrame::drop` of a live handle on its footprint: the requires on the handle and the slot
   * before it is consumed, the call (run numbered, see `runNumbered`), the ensures on the owner it
   * left, its writes to the count and its deallocation, and at level full the accounting at the slot
   * after it; the ghost then takes the torn-down owner. `true` when every clause held; else the call
   * ran and the full check replays it.
   */
  private fastUniqueDrop(
    u: UniqueHandle,
    level: CallLevel,
    check: FastCheck<LayerFootprint>,
  ): 'declined' | true | Replay {
    const i = u.slot;
    const f = this.fx;
    const e = this.lazy.before(i, f, level !== 'skip');
    const o = e.resolved;
    f.ownerInv = uniqueOwnerInvAt(u.owner.slotIndex, this.p);
    f.wf = u.owner.slotIndex === i;
    f.selfAddrOk = o.selfAddr === e.addr;
    f.inListZeroBefore = o.innerPerms.inList.value === 0n;
    f.storageInit = o.innerPerms.storage.contents.init;
    f.vtableInit = o.innerPerms.vtablePtr.contents.init;
    f.pathsEmpty = o.pathsInPt.size === 0;
    f.ledgerHas = this.lazy.obligations(i) > 0;
    const pre = level === 'skip' || fastRequires(check, f);
    this.consume(u, 'UniqueFrame::drop');
    if (!pre) return 'declined';
    this.callStarts();
    let threw: unknown;
    let failed = false;
    const numbered = this.runNumbered(level, () => {
      try {
        this.layer.dropUnique(i);
      } catch (x) {
        failed = true;
        threw = x;
      }
    });
    if (failed) return this.replayFrom(i, { threw, last: true, numbered });
    this.footprintAfter(i, e, level);
    f.ok = f.last = true;
    const final = this.lastDropFootprint(i, e, level);
    const kept =
      final !== undefined &&
      (level === 'skip' || (fastEnsures(check, f, level) && this.accountingAt(i, f.finalRc, final.usage, level)));
    if (!kept) return this.replayFrom(i, { threw: undefined, last: true, numbered });
    this.adoptOwner(i, final, -1, e, level);
    return true;
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

/** What a fast drop's run returned (`last`) or threw, and its call numbers when it ran numbered. */
type DropRun = { last: boolean; failed: boolean; threw: unknown; numbered: readonly [number, number] | undefined };

/** A fast drop the full check replays: what the call threw or returned, and the call numbers around it when it ran numbered. */
type Replay = { threw: unknown; last: boolean; numbered: readonly [number, number] | undefined };

/** A fast `alloc_frame_with` the full check replays: what the call threw or returned, its call numbers, the allocator before it. */
export type AllocReplay = Readonly<{
  threw: unknown;
  out: SlotPtr | FrameAllocError;
  numbered: readonly [number, number];
  old: FreeSetModel;
  levelAfter: CallLevel;
}>;

/** The spec a fast call runs under to be numbered (`runNumbered`): no clause, nothing to refine. */
const NUMBERED: OpSpec<undefined, undefined, void> = Object.freeze({
  name: 'Frame::drop',
  rust: '<Frame<M> as Drop>::drop',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [],
  ensures: [],
  mayPanic: Object.freeze({ name: 'Frame::drop.may_panic.never', verus: '(no may_panic clause)', holds: () => false }),
  next: () => PANIC,
  footprint: () => [],
});

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
