/**
 * The contract-checked MetaSlot layer: the real `MetaRegion`, with every call checked against its
 * Verus-mirrored spec, the region invariant checked on the slots the call touched, and the ghost
 * region advanced from what memory shows after the call.
 *
 * Tracked arguments (`&mut PermissionU64`, `&mut MetaSlotOwner`, …) default to the ones the ghost
 * region holds — what a verified caller would pass — and can be given explicitly to exercise a
 * precondition.
 */
import type { FrameMeta, FrameMetaType } from '../../impl/meta/frameMeta.ts';
import {
  MetaRegion,
  LegacyMetaRegion,
  type GetFrameError,
  type MetaRegionOptions,
  type SlotPtr,
} from '../../impl/meta/MetaSlot.ts';
import type { Memory } from '../../impl/meta/memory.ts';
import type { Invariant } from '../../spec/Op.ts';
import { frameToMeta, metaAddr } from '../../spec/meta/mapping.ts';
import { claimedOwner, getFromInUseLoop, type ClaimedSlot, type LoopState } from '../../spec/meta/MetaSlot.ts';
import {
  asMetaPtr,
  type DropState,
  type IncState,
  type SlotView,
  type WriteMetaState,
} from '../../spec/meta/MetaSlotOps.ts';
import {
  defaultSlotPerm,
  extractSlotPerm,
  initialRegion,
  regionEq,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  withSlotOwner,
  type MetaRegionOwners,
  type RegionAt,
  type SlotPerm,
} from '../../spec/meta/MetaRegionOwners.ts';
import {
  ownerEq,
  slotIds,
  withOwnerFields,
  type MetaSlotOwner,
  type MetaSlotStorage,
} from '../../spec/meta/MetaSlotOwner.ts';
import {
  ghostEq,
  LinearTokens,
  permissionU64,
  type CellPointsTo,
  type PermissionU64,
  type PointsTo,
} from '../../spec/meta/perms.ts';
import { err, ok, type Res } from '../../spec/meta/results.ts';
import { modelParams, PAGE_SIZE, type FrameIndex, type ModelParams, type Paddr } from '../../spec/vocab.ts';
import {
  ContractChecker,
  type Call,
  type CallLevel,
  type ContractLevel,
  type ContractMode,
  type InvCheck,
} from './ContractChecker.ts';
import { getFromInUseFast, getFromUnusedFast } from './fastForms.ts';
import {
  fastEnsures,
  fastPathEnabled,
  fastRequires,
  invAtCount,
  newFootprint,
  readFootprint,
  type FastCheck,
} from './fastPath.ts';
import { FastPathGhost } from './fastPathGhost.ts';
import { coverageEnabled } from './coverage.ts';
import { metaOpsOf, specFromEnv, type MetaOpTable, type SpecVersion } from './specOption.ts';
import { invariantsOf, type InvariantSet } from '../../spec/head/specSet.ts';
import { checkInternalCalls } from './internalCalls.ts';
import { domainChecks } from './regionDomain.ts';
import { TrackingMemory } from './trackingMemory.ts';
import { storageOf, viewRegion, viewSlotOwner } from './view.ts';
import type { Violation } from './report.ts';

type Empty = Readonly<Record<string, never>>;
const EMPTY: Empty = Object.freeze({});

export type CheckedOptions = MetaRegionOptions &
  Readonly<{
    protocol?: 'current' | 'legacy';
    mode?: ContractMode;
    level?: ContractLevel;
    checker?: ContractChecker;
    /**
     * Who re-parks the slot permission `get_from_unused` extracts (seed era): the checked wrapper right
     * away (`auto`, what every verified caller does), or the caller through `takeTracked()` and
     * `syncSlotPerm()` (`caller`), so that forgetting it is caught as a broken `regions.inv()`.
     */
    repark?: 'auto' | 'caller';
    /**
     * The vostd contract table to check against: the seed era's (default; `FRAMECHECK_SPEC` when the
     * option is left out) or HEAD's, whose slot permissions are `&'static` borrows that never leave
     * `regions.slots` (nothing is extracted, nothing re-parked) and which has no `get_from_in_use_loop`
     * and no `as_meta_ptr` (those calls are passed through unchecked under `head`).
     */
    spec?: SpecVersion;
  }>;

/** Converts an implementation result to the spec's `Result`. */
function specRes(r: SlotPtr | GetFrameError): Res<bigint> {
  return typeof r === 'number' ? ok(metaAddr(r)) : err(r);
}

export class CheckedMetaRegion {
  readonly impl: MetaRegion;
  readonly tracking: TrackingMemory;
  readonly checker: ContractChecker;
  readonly p: ModelParams;
  readonly tokens = new LinearTokens();
  /** The ghost region, with what fast calls moved since the last full check (see `fastPathGhost.ts`). */
  private readonly lazy: FastPathGhost;
  private readonly fx = newFootprint();
  private readonly inUseFast: FastCheck | undefined;
  private readonly unusedFast: FastCheck | undefined;
  /** What the implementation returned to the last fast-path call. */
  private fastOut: SlotPtr | GetFrameError = 'NotAligned';
  private readonly repark: 'auto' | 'caller';
  /** The spec version checked and its op and invariant tables. */
  readonly spec: SpecVersion;
  private readonly ops: MetaOpTable;
  private readonly invs: InvariantSet;
  private readonly handedOut: { token: string; perm: SlotPerm }[] = [];

  constructor(opts: CheckedOptions, make?: (opts: MetaRegionOptions) => MetaRegion) {
    let tracking: TrackingMemory | undefined;
    const wrap = (base: Memory) => (tracking = new TrackingMemory(opts.wrapMemory ? opts.wrapMemory(base) : base));
    const protocol = opts.protocol ?? 'current';
    const build =
      make ?? ((o: MetaRegionOptions) => (protocol === 'legacy' ? new LegacyMetaRegion(o) : new MetaRegion(o)));
    this.impl = build({ ...opts, wrapMemory: wrap });
    this.tracking = tracking!;
    this.spec = opts.spec ?? opts.checker?.spec ?? specFromEnv(process.env['FRAMECHECK_SPEC']);
    this.ops = metaOpsOf(this.spec);
    this.invs = invariantsOf(this.spec);
    this.checker = opts.checker ?? new ContractChecker(opts.mode ?? 'enforce', opts.level ?? 'full', 1, this.spec);
    this.p = modelParams({ protocol, maxPaddr: this.impl.maxPaddr, refCountMax: this.impl.REF_COUNT_MAX });
    this.lazy = new FastPathGhost(this.impl, this.tracking.base, initialRegion(this.p));
    this.repark = opts.repark ?? 'auto';
    // The fast forms are the seed table's (clause by clause): HEAD's calls take the full check.
    this.inUseFast = this.spec === 'seed' ? getFromInUseFast(this.p) : undefined;
    this.unusedFast = this.spec === 'seed' ? getFromUnusedFast(this.p) : undefined;
    checkInternalCalls(this.impl, {
      checker: this.checker,
      p: this.p,
      ghost: () => this.ghost,
      slotPerm: (slot) => this.lazy.perm(slot),
      invInMemory: (slot) => this.lazy.invInMemory(slot),
      tracking: this.tracking,
    });
  }

  /** The ghost region: `MetaRegionOwners` as of the last checked call. */
  get ghost(): MetaRegionOwners {
    return this.lazy.ghost;
  }

  set ghost(g: MetaRegionOwners) {
    this.lazy.ghost = g;
  }

  /** The tracked slot permissions handed to the caller (`repark: 'caller'`), oldest first; each must be re-parked once. */
  takeTracked(): { token: string; perm: SlotPerm }[] {
    return this.handedOut.splice(0);
  }

  /** Every violation recorded so far (in `collect` mode; in `enforce` mode the first one is thrown). */
  get violations(): readonly Violation[] {
    return this.checker.violations;
  }

  // --- region-level ops ----------------------------------------------------------------------------

  /** Checked `get_slot`. */
  getSlot(paddr: Paddr): SlotPtr | GetFrameError {
    let out: SlotPtr | GetFrameError = 'NotAligned';
    this.regionCall(this.ops.getSlot, { paddr }, () => specRes((out = this.impl.getSlot(paddr))), []);
    return out;
  }

  /** Checked `get_from_unused`: the extracted slot permission is re-parked (`sync_slot_perm`) after the check. */
  getFromUnused(paddr: Paddr, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const args = { paddr, metadata: storageOf(meta), asUnique };
    const i = this.index(paddr);
    const level = this.checker.nextCallLevel();
    let fast: ReturnType<CheckedMetaRegion['fastFromUnused']> = 'declined';
    const check = this.unusedFast;
    if (i !== undefined && check !== undefined && this.repark === 'auto' && fastPathEnabled() && !coverageEnabled()) {
      fast = this.fastFromUnused(i, level, check, paddr, meta, args.metadata, asUnique);
      if (fast === 'accepted') return this.fastOut;
    }
    const replay = typeof fast === 'object';
    const threw = typeof fast === 'object' ? fast.threw : undefined;
    let out: SlotPtr | GetFrameError = replay ? this.fastOut : 'NotAligned';
    const run = (): Res<ClaimedSlot> => {
      if (threw !== undefined) throwIt(threw);
      if (!replay) out = this.impl.getFromUnused(paddr, meta, asUnique);
      return typeof out === 'number'
        ? ok({ ptr: metaAddr(out), perm: slotPerm(this.ghost, out) ?? defaultSlotPerm(out) })
        : err(out);
    };
    const proof = (g: MetaRegionOwners, r: Res<ClaimedSlot>) => {
      if (!r.ok || i === undefined) return g;
      // The proof block: `slot_own.usage = PageUsage::Frame`; in the seed era the slot permission leaves `regions.slots`.
      const used = withSlotOwner(g, i, withOwnerFields(slotOwner(g, i), { usage: 'Frame' }));
      return this.spec === 'head' ? used : extractSlotPerm(used, i);
    };
    // The caller's half of the seed-era protocol: re-park the extracted permission, restoring `inv`.
    // Returns whether `regions.inv()` holds again (the seed promises it on `Ok` only after the re-park).
    const repark = (r: Res<ClaimedSlot>): boolean => {
      if (!r.ok || this.spec === 'head') return true;
      const tracked = { token: this.tokens.mint(`slot_perm(${i})`), perm: r.value.perm };
      if (this.repark === 'caller') return this.handedOut.push(tracked) < 0;
      this.syncSlotPerm(tracked.token, tracked.perm);
      return true;
    };
    this.regionCall(this.ops.getFromUnused, args, run, i === undefined ? [] : [i], proof, repark, level, replay);
    return out;
  }

  /**
   * The fast path of `get_from_unused` on slot `i` (see `fastInUse`): the requires on the slot before the
   * call, the call, the ensures on its footprint and the owner it left (re-read from memory, as the full
   * check's view does), and at level full `regions.inv()` at the slot after the re-park. On `Ok` the
   * ghost takes the claimed owner, the permission is extracted and re-parked as the full path does.
   */
  private fastFromUnused(
    i: FrameIndex,
    level: CallLevel,
    check: FastCheck,
    paddr: Paddr,
    meta: FrameMeta,
    metadata: MetaSlotStorage,
    asUnique: boolean,
  ): 'declined' | 'accepted' | { threw: unknown } {
    const f = this.fx;
    const e = this.lazy.before(i, f);
    const w = this.impl.refCountWord(i);
    const perm = e.perm === null ? undefined : (e.perm ?? defaultSlotPerm(i));
    f.permPresent = perm !== undefined;
    f.permOk = perm !== undefined && perm.addr === metaAddr(i) && perm.contents.init;
    if (level !== 'skip' && !fastRequires(check, f)) return 'declined';
    this.tracking.reset();
    let out: SlotPtr | GetFrameError;
    try {
      out = this.fastOut = this.impl.getFromUnused(paddr, meta, asUnique);
    } catch (threw) {
      this.pendingBefore(i, f.beforeRc);
      return { threw };
    }
    readFootprint(this.tracking, w, f, this.impl.layout.wordsPerSlot);
    f.ok = typeof out === 'number';
    f.ptr = typeof out === 'number' ? out : -1;
    f.error = typeof out === 'number' ? '' : out;
    let final: MetaSlotOwner | undefined;
    if (f.ok) {
      const viewed = viewSlotOwner(this.impl, this.tracking.base, i, e.resolved, f.finalRc, false);
      final = withOwnerFields(viewed, { usage: 'Frame' });
      const ids = perm?.contents.init ? perm.contents.value : undefined;
      const fp = final.innerPerms;
      f.permWf =
        ids !== undefined &&
        ids.storageId === fp.storage.id &&
        ids.refCountId === fp.refCount.id &&
        ids.vtablePtr === fp.vtablePtr.addr &&
        ids.inListId === fp.inList.id;
      f.claimed = ownerEq(final, claimedOwner(e.resolved, metadata, asUnique, this.p));
      f.inListZero = fp.inList.value === 0n;
      f.metaOk = fp.storage.contents.init && ghostEq(fp.storage.contents.value, metadata);
    } else if (level !== 'skip') f.invFinal = invAtCount(this.lazy.stale, e, i, f.finalRc);
    const kept =
      level === 'skip'
        ? f.withinSlot && (f.ok ? f.ptr === i && f.permPresent : f.nothingWritten)
        : fastEnsures(check, f, level);
    if (!kept || (final !== undefined && !this.claimAccepted(i, final, level))) {
      this.pendingBefore(i, f.beforeRc);
      return { threw: undefined };
    }
    this.checker.calls++;
    if (final === undefined) this.lazy.move(i, f.finalRc);
    return 'accepted';
  }

  /**
   * A claim of slot `i` the fast forms accepted: the ghost takes the claimed owner and the permission is
   * extracted and re-parked (as the full path's proof and caller do), unless at level full
   * `regions.inv()` fails at the slot after the re-park (then nothing is changed: the full check reports it).
   */
  private claimAccepted(i: FrameIndex, final: MetaSlotOwner, level: CallLevel): boolean {
    const used = withSlotOwner(this.ghost, i, final);
    if (level === 'full' && !this.invs.regionInvAt(used, [i])) return false;
    // The permission re-parked is the region's own (`perm` is `slots[i]`): extracting and re-parking it
    // leaves `slots` as it was, so only the linear token's life is kept (minted, then consumed once).
    this.tokens.consume(this.tokens.mint(`slot_perm(${i})`), 'sync_slot_perm');
    this.lazy.adopt(used, i);
    return true;
  }

  /** `MetaRegionOwners::sync_slot_perm`: the caller re-parks an extracted slot permission (a linear token). */
  syncSlotPerm(token: string, perm: SlotPerm): void {
    const v = this.tokens.consume(token, 'sync_slot_perm');
    if (v !== undefined)
      return this.checker.linearity(
        'sync_slot_perm',
        token,
        'caller',
        'a tracked PointsTo<MetaSlot> was re-parked twice',
      );
    const i = Number((perm.addr - metaAddr(0)) / 64n);
    this.ghost = reparkSlotPerm(this.ghost, i, perm);
  }

  /** Checked `get_from_in_use`. */
  getFromInUse(paddr: Paddr): SlotPtr | GetFrameError {
    const i = this.index(paddr);
    const level = this.checker.nextCallLevel();
    let fast: ReturnType<CheckedMetaRegion['fastInUse']> = 'declined';
    if (i !== undefined && this.inUseFast !== undefined && fastPathEnabled() && !coverageEnabled()) {
      fast = this.fastInUse(i, level, this.inUseFast, paddr);
      if (fast === 'accepted') return this.fastOut;
    }
    let out: SlotPtr | GetFrameError = this.fastOut;
    const replay = typeof fast === 'object';
    const threw = typeof fast === 'object' ? fast.threw : undefined;
    const run = replay
      ? () => (threw !== undefined ? throwIt(threw) : specRes(out))
      : () => specRes((out = this.impl.getFromInUse(paddr)));
    this.regionCall(
      this.ops.getFromInUse,
      { paddr },
      run,
      i === undefined ? [] : [i],
      undefined,
      undefined,
      level,
      replay,
    );
    return out;
  }

  /**
   * The fast path of `get_from_in_use` on slot `i` (see `fastPath.ts`): the requires on the slot before the call,
   * the call, the ensures (and at level full the refinement) on its footprint. `declined` when the
   * fast form cannot decide before the call (nothing ran); `accepted` when every clause holds; else
   * the call ran and the full check must replay it (its log is still in `tracking`).
   */
  private fastInUse(
    i: FrameIndex,
    level: CallLevel,
    check: FastCheck,
    paddr: Paddr,
  ): 'declined' | 'accepted' | { threw: unknown } {
    const f = this.fx;
    const e = this.lazy.before(i, f);
    const base = this.lazy.stale;
    const w = this.impl.refCountWord(i);
    f.permSlot = e.permSlot;
    if (level !== 'skip' && !fastRequires(check, f)) return 'declined';
    this.tracking.reset();
    let out: SlotPtr | GetFrameError;
    try {
      out = this.fastOut = this.impl.getFromInUse(paddr);
    } catch (threw) {
      this.pendingBefore(i, f.beforeRc);
      return { threw };
    }
    readFootprint(this.tracking, w, f);
    f.ok = typeof out === 'number';
    f.ptr = typeof out === 'number' ? out : -1;
    f.error = typeof out === 'number' ? '' : out;
    if (level !== 'skip') f.invFinal = invAtCount(base, e, i, f.finalRc);
    if (level === 'skip' ? f.onlyRc : fastEnsures(check, f, level)) {
      this.checker.calls++;
      this.lazy.move(i, f.finalRc);
      return 'accepted';
    }
    this.pendingBefore(i, f.beforeRc);
    return { threw: undefined };
  }

  /** Before a replay: the ghost at `i` as the full check's refresh would have read it before the call. */
  private pendingBefore(i: FrameIndex, rc: bigint): void {
    this.lazy.move(i, rc);
    void this.lazy.ghost;
  }

  /** Checked loop body of `get_from_in_use`. */
  getFromInUseLoop(slot: SlotPtr, tracked: Partial<LoopState> = {}): SlotPtr | GetFrameError {
    if (this.spec === 'head') return this.impl.getFromInUseLoop(slot);
    let out: SlotPtr | GetFrameError = 'Retry';
    const o = this.ownerAt(slot);
    const old: LoopState = {
      perm: tracked.perm ?? slotPerm(this.ghost, slot) ?? defaultSlotPerm(slot),
      innerPerms: tracked.innerPerms ?? o.innerPerms,
    };
    this.slotCall(
      getFromInUseLoop,
      slot,
      old,
      { slot: metaAddr(slot) },
      () => specRes((out = this.impl.getFromInUseLoop(slot))),
      (owner) => ({
        ...old,
        innerPerms: owner.innerPerms,
      }),
    );
    return out;
  }

  // --- per-slot ops --------------------------------------------------------------------------------

  /** Checked `inc_ref_count`; `rcPerm` defaults to the slot's own count permission. */
  incRefCount(slot: SlotPtr, tracked: { rcPerm?: PermissionU64 } = {}): void {
    const old: IncState = { slot: slotIds(slot), rcPerm: tracked.rcPerm ?? this.ownerAt(slot).innerPerms.refCount };
    this.slotCall(
      this.ops.incRefCount,
      slot,
      old,
      EMPTY,
      () => (this.impl.incRefCount(slot), undefined),
      (o) => ({ ...old, rcPerm: o.innerPerms.refCount }),
    );
  }

  /** Checked `frame_paddr`. */
  framePaddr(slot: SlotPtr, tracked: { perm?: SlotPerm } = {}): Paddr {
    let out = 0;
    const old: SlotView = {
      slot: slotIds(slot),
      perm: tracked.perm ?? slotPerm(this.ghost, slot) ?? defaultSlotPerm(slot),
    };
    this.slotCall(
      this.ops.framePaddr,
      slot,
      old,
      EMPTY,
      () => (out = this.impl.framePaddr(slot)),
      () => old,
    );
    return out;
  }

  /** Checked `as_meta_ptr`. */
  asMetaPtr<M>(slot: SlotPtr, type: FrameMetaType<M>, tracked: { perm?: SlotPerm } = {}) {
    let out = this.impl.asMetaPtr(slot, type);
    if (this.spec === 'head') return out;
    const old: SlotView = {
      slot: slotIds(slot),
      perm: tracked.perm ?? slotPerm(this.ghost, slot) ?? defaultSlotPerm(slot),
    };
    this.slotCall(
      asMetaPtr,
      slot,
      old,
      EMPTY,
      () => {
        out = this.impl.asMetaPtr(slot, type);
        const addr = frameToMeta(out.slot * PAGE_SIZE);
        return { ptrAddr: addr, addr };
      },
      () => old,
    );
    return out;
  }

  /** Checked `write_meta`. */
  writeMeta(
    slot: SlotPtr,
    meta: FrameMeta,
    tracked: { metaPerm?: CellPointsTo<ReturnType<typeof storageOf>>; vtablePerm?: PointsTo<string> } = {},
  ): void {
    const o = this.ownerAt(slot);
    const old: WriteMetaState = {
      slot: slotIds(slot),
      metaPerm: tracked.metaPerm ?? o.innerPerms.storage,
      vtablePerm: tracked.vtablePerm ?? o.innerPerms.vtablePtr,
    };
    // write_meta runs inside a claim (count 0) or a repurpose: its contract promises no invariant.
    const finalOf = (f: MetaSlotOwner): WriteMetaState => ({
      ...old,
      metaPerm: f.innerPerms.storage,
      vtablePerm: f.innerPerms.vtablePtr,
    });
    this.slotCall(
      this.ops.writeMeta,
      slot,
      old,
      { metadata: storageOf(meta) },
      () => (this.impl.writeMeta(slot, meta), undefined),
      finalOf,
      false,
    );
  }

  /** Checked `drop_last_in_place`. */
  dropLastInPlace(slot: SlotPtr, tracked: { owner?: MetaSlotOwner } = {}): void {
    const old: DropState = { slot: slotIds(slot), owner: tracked.owner ?? this.ownerAt(slot) };
    this.slotCall(
      this.ops.dropLastInPlace,
      slot,
      old,
      EMPTY,
      () => (this.impl.dropLastInPlace(slot), undefined),
      (owner) => ({ ...old, owner }),
    );
  }

  /** Checked `drop_meta_in_place`. */
  dropMetaInPlace(slot: SlotPtr, tracked: { owner?: MetaSlotOwner } = {}): void {
    const old = { owner: tracked.owner ?? this.ownerAt(slot) };
    // The first half of a teardown (the UNUSED store follows): its contract promises no invariant.
    this.slotCall(
      this.ops.dropMetaInPlace,
      slot,
      old,
      EMPTY,
      () => (this.impl.dropMetaInPlace(slot), undefined),
      (owner) => ({ owner }),
      false,
    );
  }

  // --- machinery -----------------------------------------------------------------------------------

  /** The slot index of `paddr` when it has a slot. */
  private index(paddr: Paddr): FrameIndex | undefined {
    return Number.isInteger(paddr) && paddr >= 0 && paddr % PAGE_SIZE === 0 && paddr < this.impl.maxPaddr
      ? paddr / PAGE_SIZE
      : undefined;
  }

  /** The owner of `slot`, refreshed from memory (other threads may have moved it). */
  private ownerAt(slot: SlotPtr): MetaSlotOwner {
    const o = viewSlotOwner(this.impl, this.tracking.base, slot, slotOwner(this.ghost, slot), undefined, true);
    this.ghost = withSlotOwner(this.ghost, slot, o);
    return o;
  }

  /**
   * What the last call did to memory: the slots it touched, those whose storage or vtable it wrote,
   * and the counts at its linearization point (old) and as it left them (final). Small arrays, not
   * Sets or Maps: a call touches one or two slots and this runs on every checked call.
   */
  private effects(footprint: readonly FrameIndex[]): Effects {
    const per = this.impl.layout.wordsPerSlot;
    const touched = footprint.slice();
    const storage: FrameIndex[] = [];
    for (const w of this.tracking.plainWrites) addOnce(storage, Math.floor(w / per));
    for (const a of this.tracking.log) if (a.written !== undefined) addOnce(touched, Math.floor(a.word / per));
    for (const i of storage) addOnce(touched, i);
    const old = new Array<bigint | undefined>(touched.length);
    const final = new Array<bigint | undefined>(touched.length);
    touched.forEach((i, k) => {
      const w = this.impl.refCountWord(i);
      old[k] = this.tracking.linearizedOld(w);
      final[k] = this.tracking.lastWritten(w) ?? old[k];
    });
    return { touched, storage, old, final };
  }

  private regionCall<A, R>(
    spec: Call<MetaRegionOwners, A, R>['spec'],
    args: A,
    run: () => R,
    footprint: readonly FrameIndex[],
    proof: (g: MetaRegionOwners, r: R) => MetaRegionOwners = (g) => g,
    caller: (r: R) => boolean = () => true,
    level: CallLevel = this.checker.nextCallLevel(),
    replay = false,
  ) {
    // A replay runs after the fast path: the ghost is already as of before the call, the log is the call's.
    if (!replay) for (const i of footprint) this.ownerAt(i);
    const before = this.ghost;
    if (!replay) this.tracking.reset();
    let oldGhost = before;
    let fx: Effects | undefined;
    const mem = this.tracking.base;
    const call: Call<MetaRegionOwners, A, R> = {
      spec,
      old: before,
      linearizedOld: () => oldGhost,
      args,
      p: this.p,
      run: () => {
        const r = run();
        fx = this.effects(footprint);
        oldGhost = withRefCounts(before, fx.touched, fx.old);
        return r;
      },
      final: (r) => proof(viewRegion(this.impl, mem, before, fx!.touched, fx!.final, fx!.storage), r),
      eq: regionEq,
      diff: (a, b) => regionDiff(a, b, fx?.touched ?? footprint),
    };
    const outcome = this.checker.check(call, level);
    if (outcome.kind === 'abort') throw outcome.error;
    this.ghost = outcome.final;
    if (caller(outcome.result) && !outcome.voided) this.checkRegionInv(call, outcome.result, fx!.touched, before);
    return outcome;
  }

  private slotCall<S, A, R>(
    spec: Call<S, A, R>['spec'],
    slot: SlotPtr,
    old: S,
    args: A,
    run: () => R,
    finalOf: (owner: MetaSlotOwner) => S,
    promisesInv = true,
  ): void {
    const before = this.ghost;
    this.tracking.reset();
    let touched: FrameIndex[] = [slot];
    const call: Call<S, A, R> = {
      spec,
      old,
      args,
      p: this.p,
      run,
      final: () => {
        const fx = this.effects([slot]);
        touched = fx.touched;
        this.ghost = viewRegion(this.impl, this.tracking.base, before, fx.touched, fx.final, fx.storage);
        return finalOf(slotOwner(this.ghost, slot));
      },
      eq: ghostEq,
      diff: (a, b) => ({ [`slot ${slot}`]: { old: a, final: b } }),
    };
    const outcome = this.checker.check(call);
    if (outcome.kind === 'abort') throw outcome.error;
    if (promisesInv && !outcome.voided) this.checkRegionInv(call, outcome.result, touched, before);
  }

  /**
   * `regions.inv()` after a call at level full: every conjunct at the touched `indices`, and the domain
   * conjuncts at every other index whose entry the call's ghost step changed from `before`.
   */
  private checkRegionInv<S, A, R>(
    call: Call<S, A, R>,
    result: R,
    indices: readonly FrameIndex[],
    before: MetaRegionOwners,
  ): void {
    // Cold path only: conjunct by conjunct when the invariant fails (to name the conjunct) or when counting coverage.
    const { regionInv, slotOwnerInv, slotWf } = this.invs;
    if (this.checker.callLevel !== 'full') return;
    const domain = domainChecks(this.invs, before, this.ghost, indices, this.p);
    if (domain.length > 0) this.checker.checkInvariants(call, domain, result, call.old);
    if (!coverageEnabled() && this.invs.regionInvAt(this.ghost, indices)) return;
    const invs: InvCheck[] = [];
    for (const i of indices) {
      const at: RegionAt = { region: this.ghost, i };
      for (const c of regionInv) invs.push({ clause: c as Invariant<never>, ctx: { value: at, p: this.p } });
      for (const c of slotOwnerInv)
        invs.push({ clause: c as Invariant<never>, ctx: { value: slotOwner(this.ghost, i), p: this.p } });
      const perm = slotPerm(this.ghost, i);
      const slot = perm?.contents.init ? perm.contents.value : undefined;
      if (slot === undefined) continue;
      const wf = { slot, owner: slotOwner(this.ghost, i) };
      for (const c of slotWf) invs.push({ clause: c as Invariant<never>, ctx: { value: wf, p: this.p } });
    }
    this.checker.checkInvariants(call, invs, result, call.old);
  }
}

/** `before` with the counts at `indices` replaced by the values observed at the linearization point. */
function withRefCounts(
  before: MetaRegionOwners,
  indices: readonly FrameIndex[],
  counts: readonly (bigint | undefined)[],
): MetaRegionOwners {
  let g = before;
  indices.forEach((i, k) => {
    const v = counts[k];
    const o = slotOwner(g, i);
    if (v === undefined || v === o.innerPerms.refCount.value) return;
    g = withSlotOwner(g, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, v) }));
  });
  return g;
}

/** The memory effects of one call (see `effects`). */
type Effects = {
  touched: FrameIndex[];
  storage: FrameIndex[];
  old: (bigint | undefined)[];
  final: (bigint | undefined)[];
};

/** Rethrows what a call threw, when the full check replays it. */
function throwIt(e: unknown): never {
  throw e;
}

function addOnce(xs: FrameIndex[], x: FrameIndex): void {
  if (!xs.includes(x)) xs.push(x);
}

/** The old and final owners (and slot permissions) at the touched indices. */
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
