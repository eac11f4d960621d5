/**
 * The calls the implementation makes inside its own operations, checked on the real code:
 * `mapping::frame_to_meta` (from `get_slot`), `MetaSlot::addr_of` and `mapping::meta_to_frame` (from
 * `frame_paddr`), and `AnyFrameMeta::on_drop` (from `drop_meta_in_place`, with the reader over the frame).
 *
 * `checkInternalCalls` replaces those four methods of one region instance by checked versions that run
 * the instance's own (a mutant's, when it is one). The pure conversions take a fast form first: their
 * clauses are evaluated directly, and only a failing clause (or clause coverage) goes through the
 * checker, which reports and blames as for any call.
 *
 * The reader's ghost: `VmReader { ghost_id, cursor, end }` over the linear mapping's virtual addresses
 * (`LINEAR_MAPPING_BASE_VADDR + paddr`), and the `VmIoOwner` its creation gives: the reader's range,
 * kernel, infallible, with a read view of the linear mapping of `[0, MAX_PADDR)`. Each `readBytes`
 * moves the owner's range start by the count it returned, as `VmReader::read`'s proof does with `r`.
 */
import type { MetaOffset, MetaRegion, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import { VmReader as VmReaderClass, type VmReader } from '../../impl/meta/physMemory.ts';
import type { OpSpec } from '../../spec/Op.ts';
import { addrOf as headAddrOf, frameToMetaOp, metaToFrameOp } from '../../spec/head/MetaSlot.ts';
import { addrOfSpec, frameToMetaSpec, metaToFrameSpec } from '../../spec/meta/MappingOps.ts';
import {
  defaultSlotPerm,
  regionEq,
  slotPerm,
  type MetaRegionOwners,
  type SlotPerm,
} from '../../spec/meta/MetaRegionOwners.ts';
import { slotIds } from '../../spec/meta/MetaSlotOwner.ts';
import {
  ON_DROP_PRE,
  onDropSpec,
  type OnDropState,
  type VmIoOwner,
  type VmReaderView,
} from '../../spec/meta/OnDrop.ts';
import { ghostEq } from '../../spec/meta/perms.ts';
import {
  FRAME_METADATA_RANGE,
  LINEAR_MAPPING_BASE_VADDR,
  type FrameIndex,
  type ModelParams,
} from '../../spec/vocab.ts';
import type { Call, CallLevel, ContractChecker } from './ContractChecker.ts';
import { coverageEnabled } from './coverage.ts';
import { fastEnsures, fastPathEnabled, fastRequires, type FastCheck } from './fastPath.ts';
import {
  addrOfFast,
  frameToMetaFast,
  metaToFrameFast,
  newOnDropFootprint,
  newPureFootprint,
  onDropFast,
  PermMemo,
  type OnDropFootprint,
  type PureFootprint,
} from './internalFastForms.ts';
import type { TrackingMemory } from './trackingMemory.ts';
import { storageOf, viewRegion } from './view.ts';

/** What the checked versions need from the layer that owns the region. */
export type InternalCallContext = Readonly<{
  checker: ContractChecker;
  p: ModelParams;
  /** The ghost region as of the last checked call. */
  ghost: () => MetaRegionOwners;
  /**
   * `slots[slot]` of that region (`undefined` when extracted), read without bringing the rest of the
   * ghost up to date (default: through `ghost`).
   */
  slotPerm?: (slot: SlotPtr) => SlotPerm | undefined;
  tracking: TrackingMemory;
  /**
   * `regions.inv()` at `slot` of the region with the slot re-read from memory, from the layer's memo;
   * `undefined` when the memo cannot tell (the caller then builds that region).
   */
  invInMemory?: (slot: SlotPtr) => boolean | undefined;
}>;

type Empty = Readonly<Record<string, never>>;
const EMPTY: Empty = Object.freeze({});

/** The virtual address of the implementation's metadata offset `off` (`FRAME_METADATA_RANGE.start + off`). */
export function metaVaddr(off: MetaOffset): bigint {
  if (!Number.isSafeInteger(off)) throw new TypeError(`metadata offset ${off} is not an integer`);
  return FRAME_METADATA_RANGE.start + BigInt(off);
}

/** How many checked calls of each checker are running (an internal call inside one is numbered as it). */
const depth = new WeakMap<ContractChecker, { n: number }>();

/** Counts the running checked calls of `checker` (once per checker). */
function trackDepth(checker: ContractChecker): { n: number } {
  let d = depth.get(checker);
  if (d !== undefined) return d;
  const counter = { n: 0 };
  depth.set(checker, counter);
  const check = checker.check;
  checker.check = function (this: ContractChecker, ...args: Parameters<ContractChecker['check']>) {
    counter.n++;
    try {
      return check.apply(this, args);
    } finally {
      counter.n--;
    }
  } as ContractChecker['check'];
  return (d = counter);
}

/**
 * Checks an internal call through the checker, numbered as the call it runs inside (or, before any,
 * as the call about to be numbered: a fast path runs the implementation before it numbers the call).
 */
function nestedCheck<S, A, R>(ctx: InternalCallContext, call: Call<S, A, R>) {
  const saved = ctx.checker.calls;
  const inside = (depth.get(ctx.checker)?.n ?? 0) > 0;
  ctx.checker.calls = inside ? saved - 1 : saved;
  try {
    return ctx.checker.check(call, ctx.checker.callLevel);
  } finally {
    ctx.checker.calls = saved;
  }
}

/**
 * A pure call on its fast form (see `internalFastForms.ts`): whether every clause of the call's level
 * holds on `f` (always, for a call a sampling level passes over). `false` sends the call to `pureCall`.
 */
function fastPure(ctx: InternalCallContext, check: FastCheck<PureFootprint> | undefined, f: PureFootprint): boolean {
  const level = ctx.checker.callLevel;
  if (level === 'skip') return true;
  if (check === undefined || !fastPathEnabled() || coverageEnabled()) return false;
  return fastRequires(check, f) && fastEnsures(check, f, level);
}

/** A pure call (no state but `old`) checked after the fact: fast when every clause holds, else through the checker. */
function pureCall<S, A, R>(ctx: InternalCallContext, spec: OpSpec<S, A, R>, old: S, args: A, result: R): void {
  const level = ctx.checker.callLevel;
  if (level === 'skip') return;
  if (!coverageEnabled()) {
    try {
      const pre = { old, args, p: ctx.p };
      const post = { old, args, p: ctx.p, final: old, result };
      if (spec.requires.every((c) => c.holds(pre)) && spec.ensures.every((c) => c.holds(post))) return;
    } catch {
      // A throwing clause is the checker's to report (blaming the spec).
    }
  }
  nestedCheck(ctx, {
    spec,
    old,
    args,
    p: ctx.p,
    run: () => result,
    final: () => old,
    eq: ghostEq,
    diff: () => ({}),
  });
}

/** The ghost of an implementation reader whose ghost id is `id`. */
export function readerView(r: VmReader, id: number): VmReaderView {
  const range = Object.freeze({
    start: LINEAR_MAPPING_BASE_VADDR + BigInt(r.paddr),
    end: LINEAR_MAPPING_BASE_VADDR + BigInt(r.paddr + r.len),
  });
  return Object.freeze({
    ghostId: id,
    cursor: Object.freeze({ vaddr: LINEAR_MAPPING_BASE_VADDR + BigInt(r.cursor), range }),
    end: Object.freeze({ vaddr: LINEAR_MAPPING_BASE_VADDR + BigInt(r.end), range }),
  });
}

/** The `VmIoOwner` a kernel reader's creation gives: its range, with a read view of the linear mapping of `[0, maxPaddr)`. */
export function readerOwner(r: VmReader, id: number, p: ModelParams): VmIoOwner {
  const lin = Object.freeze({
    va: Object.freeze({ start: LINEAR_MAPPING_BASE_VADDR, end: LINEAR_MAPPING_BASE_VADDR + BigInt(p.maxPaddr) }),
    pa: 0,
  });
  return Object.freeze({
    id,
    range: Object.freeze({
      start: LINEAR_MAPPING_BASE_VADDR + BigInt(r.paddr),
      end: LINEAR_MAPPING_BASE_VADDR + BigInt(r.paddr + r.len),
    }),
    isFallible: false,
    isKernel: true,
    memView: Object.freeze({ kind: 'ReadView' as const, mappings: Object.freeze([lin]) }),
  });
}

/** The ghost ids of the readers each region's drops created so far (ids are per region, so runs are reproducible). */
const readerIds = new WeakMap<MetaRegion, number>();

/** The tracked arguments of `on_drop`, defaulting to what `drop_meta_in_place` passes. */
export type OnDropTracked = { regions?: MetaRegionOwners; vmIoOwner?: VmIoOwner };

/**
 * What `on_drop`'s fast path keeps per region: the fast form, its footprint record, the slot's words
 * as they were before the body ran (to rebuild `old` when the body wrote them) and the count of bytes
 * the reader returned (one reading wrapper per region, no allocation per call).
 */
export type OnDropFastState = {
  check: FastCheck<OnDropFootprint>;
  f: OnDropFootprint;
  words: bigint[];
  read: number;
  /** The reader of the running call (a body may drop another frame inside its own `on_drop`). */
  reader: VmReader | undefined;
  readBytes: (n: number) => Uint8Array;
};

/** A fast state for `on_drop` with `check` (undefined: no fast path). */
function onDropFastState(check: FastCheck<OnDropFootprint> | undefined): OnDropFastState | undefined {
  if (check === undefined) return undefined;
  const st: OnDropFastState = {
    check,
    f: newOnDropFootprint(),
    words: [],
    read: 0,
    reader: undefined,
    readBytes: (n) => {
      const out = VmReaderClass.prototype.readBytes.call(st.reader!, n);
      st.read += out.length;
      return out;
    },
  };
  return st;
}

/**
 * Checked `on_drop` of the metadata `meta` of slot `slot` with `reader`: `run` runs the type's body.
 * `regions` defaults to the ghost with `slot` re-read from memory (the other indices as of the last
 * checked call), `vmIoOwner` to the owner the reader's creation gives.
 *
 * With `fast` (and no tracked argument given), the clauses are first evaluated on the reader's numbers
 * and `regions.inv()` at the slot from the layer's memo (`ctx.invInMemory`); a call whose requires hold
 * there, whose body writes no memory and whose ensures hold after it is done. Anything else goes
 * through the checker with the `old` the full check would have built (the slot's words put back as they
 * were for the moment `old` is read, when the body wrote them), so the report is the same.
 */
export function checkedOnDrop(
  ctx: InternalCallContext,
  region: MetaRegion,
  slot: SlotPtr,
  meta: FrameMeta,
  reader: VmReader,
  run: () => void,
  tracked: OnDropTracked = {},
  fast?: OnDropFastState,
): void {
  const id = (readerIds.get(region) ?? 0) + 1;
  readerIds.set(region, id);
  const level = ctx.checker.callLevel;
  // A call a sampling level passes over runs unchecked: nothing of `old` or `final` would be read.
  if (level === 'skip') return run();
  if (
    fast !== undefined &&
    tracked.regions === undefined &&
    tracked.vmIoOwner === undefined &&
    fastPathEnabled() &&
    !coverageEnabled() &&
    reader.readBytes === VmReaderClass.prototype.readBytes &&
    !Object.prototype.hasOwnProperty.call(reader, 'readBytes')
  ) {
    const inv = ctx.invInMemory?.(slot);
    if (inv !== undefined) return fastOnDrop(ctx, region, slot, meta, reader, run, id, inv, fast, level);
  }
  fullOnDrop(ctx, region, slot, meta, reader, run, tracked, id);
}

/** `on_drop` on its fast form (see `checkedOnDrop`); `inv` is `regions.inv()` at the slot before the call. */
function fastOnDrop(
  ctx: InternalCallContext,
  region: MetaRegion,
  slot: SlotPtr,
  meta: FrameMeta,
  reader: VmReader,
  run: () => void,
  id: number,
  inv: boolean,
  st: OnDropFastState,
  level: CallLevel,
): void {
  const f = st.f;
  f.paddr = reader.paddr;
  f.len = reader.len;
  f.cursor = reader.cursor;
  f.end = reader.end;
  f.ownerStart = reader.paddr;
  f.regionsInv = inv;
  f.defaultPre = ON_DROP_PRE[meta.type.name] === undefined;
  if (!fastRequires(st.check, f)) return fullOnDrop(ctx, region, slot, meta, reader, run, {}, id);
  const from = { cursor: reader.cursor, end: reader.end };
  const mem = ctx.tracking.base;
  const per = region.layout.wordsPerSlot;
  const words = st.words;
  for (let k = 0; k < per; k++) words[k] = mem.readPlain(slot * per + k);
  const logFrom = ctx.tracking.log.length;
  const plainFrom = ctx.tracking.plainWrites.length;
  const outer = st.reader;
  const outerRead = st.read;
  st.reader = reader;
  st.read = 0;
  let threw: { error: unknown } | undefined;
  reader.readBytes = st.readBytes;
  try {
    run();
  } catch (error) {
    threw = { error };
  } finally {
    delete (reader as { readBytes?: unknown }).readBytes;
  }
  const read = st.read;
  st.reader = outer;
  st.read = outerRead;
  const wrote = ctx.tracking.wroteAny(logFrom, plainFrom);
  if (threw === undefined && !wrote) {
    f.cursor = reader.cursor;
    f.end = reader.end;
    f.ownerStart = reader.paddr + read;
    if (fastEnsures(st.check, f, level)) return;
  }
  // The full check, on the `old` it would have built before the body ran.
  let oldRegions: MetaRegionOwners;
  if (wrote) {
    const now: bigint[] = [];
    for (let k = 0; k < per; k++) now.push(mem.readPlain(slot * per + k));
    for (let k = 0; k < per; k++) mem.writePlain(slot * per + k, words[k]!);
    try {
      oldRegions = viewRegion(region, mem, ctx.ghost(), [slot]);
    } finally {
      for (let k = 0; k < per; k++) mem.writePlain(slot * per + k, now[k]!);
    }
  } else oldRegions = viewRegion(region, mem, ctx.ghost(), [slot]);
  const at = { paddr: reader.paddr, len: reader.len, cursor: from.cursor, end: from.end } as VmReader;
  const owner = readerOwner(at, id, ctx.p);
  const moved = Object.freeze({
    ...owner,
    range: Object.freeze({ start: owner.range.start + BigInt(read), end: owner.range.end }),
  });
  const old: OnDropState = {
    self: storageOf(meta),
    reader: readerView(at, id),
    regions: oldRegions,
    vmIoOwner: owner,
    invAt: [slot],
  };
  onDropCall(
    ctx,
    region,
    reader,
    old,
    () => moved,
    logFrom,
    plainFrom,
    () => {
      if (threw !== undefined) throw threw.error;
    },
  );
}

/** `on_drop` through the checker, the owner's range following the reader's reads. */
function fullOnDrop(
  ctx: InternalCallContext,
  region: MetaRegion,
  slot: SlotPtr,
  meta: FrameMeta,
  reader: VmReader,
  run: () => void,
  tracked: OnDropTracked,
  id: number,
): void {
  const mem = ctx.tracking.base;
  const regions = tracked.regions ?? viewRegion(region, mem, ctx.ghost(), [slot]);
  const invAt: readonly FrameIndex[] | undefined = tracked.regions === undefined ? [slot] : undefined;
  let owner = tracked.vmIoOwner ?? readerOwner(reader, id, ctx.p);
  const old: OnDropState = {
    self: storageOf(meta),
    reader: readerView(reader, id),
    regions,
    vmIoOwner: owner,
    ...(invAt !== undefined && { invAt }),
  };
  // `VmReader::read`'s ghost half: the owner's range starts as many bytes later as the read returned.
  const own = Object.prototype.hasOwnProperty.call(reader, 'readBytes');
  const readBytes = reader.readBytes;
  reader.readBytes = (n: number) => {
    const out = readBytes.call(reader, n);
    const start = owner.range.start + BigInt(out.length);
    owner = Object.freeze({ ...owner, range: Object.freeze({ start, end: owner.range.end }) });
    return out;
  };
  const logFrom = ctx.tracking.log.length;
  const plainFrom = ctx.tracking.plainWrites.length;
  onDropCall(
    ctx,
    region,
    reader,
    old,
    () => owner,
    logFrom,
    plainFrom,
    () => {
      try {
        run();
      } finally {
        if (own) reader.readBytes = readBytes;
        else delete (reader as { readBytes?: unknown }).readBytes;
      }
    },
  );
}

/** The checker's `on_drop` call from `old`: `run` runs (or replays) the body, `owner` is the owner after it. */
function onDropCall(
  ctx: InternalCallContext,
  region: MetaRegion,
  reader: VmReader,
  old: OnDropState,
  owner: () => VmIoOwner,
  logFrom: number,
  plainFrom: number,
  run: () => void,
): void {
  const mem = ctx.tracking.base;
  const slot = old.invAt?.[0];
  const outcome = nestedCheck(ctx, {
    spec: onDropSpec,
    old,
    args: EMPTY,
    p: ctx.p,
    run: () => (run(), undefined),
    final: () => {
      const per = region.layout.wordsPerSlot;
      const touched: FrameIndex[] = slot === undefined ? [] : [slot];
      const add = (w: number) => {
        const i = Math.floor(w / per);
        if (!touched.includes(i)) touched.push(i);
      };
      for (let k = logFrom; k < ctx.tracking.log.length; k++)
        if (ctx.tracking.log[k]!.written !== undefined) add(ctx.tracking.log[k]!.word);
      for (let k = plainFrom; k < ctx.tracking.plainWrites.length; k++) add(ctx.tracking.plainWrites[k]!);
      return {
        self: old.self,
        reader: readerView(reader, old.reader.ghostId),
        regions: viewRegion(region, mem, old.regions, touched),
        vmIoOwner: owner(),
        ...(old.invAt !== undefined && { invAt: touched }),
      };
    },
    eq: (a, b) => regionEq(a.regions, b.regions) && ghostEq(a.reader, b.reader) && ghostEq(a.vmIoOwner, b.vmIoOwner),
    diff: (a, b) => ({
      reader: { old: a.reader, final: b.reader },
      vm_io_owner: { old: a.vmIoOwner, final: b.vmIoOwner },
    }),
  });
  if (outcome.kind === 'abort') throw outcome.error;
}

/**
 * Checks `region`'s internal calls of `frame_to_meta`, `addr_of`, `meta_to_frame` and `on_drop` against
 * the checker's spec version (HEAD has no seed-era `on_drop` table: there it runs unchecked).
 */
export function checkInternalCalls(region: MetaRegion, ctx: InternalCallContext): void {
  trackDepth(ctx.checker);
  const head = ctx.checker.spec === 'head';
  const ftm = (head ? frameToMetaOp : frameToMetaSpec) as typeof frameToMetaSpec;
  const mtf = (head ? metaToFrameOp : metaToFrameSpec) as typeof metaToFrameSpec;
  const ao = (head ? headAddrOf : addrOfSpec) as typeof addrOfSpec;
  const frameToMeta = region.frameToMeta;
  const metaToFrame = region.metaToFrame;
  const addrOf = region.addrOf;
  const onDrop = region.onDrop;
  // The fast forms are the seed table's, clause by clause: under HEAD every call goes to `pureCall`.
  const ftmFast = head ? undefined : frameToMetaFast(ctx.p);
  const mtfFast = head ? undefined : metaToFrameFast();
  const aoFast = head ? undefined : addrOfFast();
  const f = newPureFootprint();
  const perms = new PermMemo();
  const permOf = (slot: SlotPtr) =>
    (ctx.slotPerm === undefined ? slotPerm(ctx.ghost(), slot) : ctx.slotPerm(slot)) ?? defaultSlotPerm(slot);
  region.frameToMeta = (paddr: number): MetaOffset => {
    const out = frameToMeta.call(region, paddr);
    f.arg = paddr;
    f.out = out;
    if (!fastPure(ctx, ftmFast, f)) pureCall(ctx, ftm, EMPTY, { paddr }, metaVaddr(out));
    return out;
  };
  region.metaToFrame = (vaddr: MetaOffset): number => {
    const out = metaToFrame.call(region, vaddr);
    f.arg = vaddr;
    f.out = out;
    if (!fastPure(ctx, mtfFast, f)) pureCall(ctx, mtf, EMPTY, { vaddr: metaVaddr(vaddr) }, out);
    return out;
  };
  region.addrOf = (slot: SlotPtr): MetaOffset => {
    const out = addrOf.call(region, slot);
    const perm = permOf(slot);
    f.arg = slot;
    f.out = out;
    perms.read(perm, f);
    if (!fastPure(ctx, aoFast, f)) pureCall(ctx, ao, { slot: slotIds(slot), perm }, EMPTY, metaVaddr(out));
    return out;
  };
  if (head) return;
  const dropFast = onDropFastState(onDropFast(ctx.p));
  region.onDrop = (slot: SlotPtr, meta: FrameMeta, reader: VmReader): void =>
    checkedOnDrop(ctx, region, slot, meta, reader, () => onDrop.call(region, slot, meta, reader), {}, dropFast);
}
