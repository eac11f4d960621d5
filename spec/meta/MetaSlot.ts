/**
 * The op specs of `MetaSlot` that act on the whole region: `get_slot`, `get_from_unused`,
 * `get_from_in_use` and its seed-era loop body `get_from_in_use_loop`. Every requires/ensures clause of
 * the seed is one named predicate carrying its Verus text.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/meta.rs`, `ostd/specs/mm/frame/meta_specs.rs`
 */
import { match } from 'ts-pattern';
import type { Invariant, OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import { PAGE_SIZE, type ModelParams, type Paddr, type Vaddr } from '../vocab.ts';
import { clauseMaker, implies, withAbortsExactly } from './clause.ts';
import { frameToIndex, frameToMeta, hasSafeSlot } from './mapping.ts';
import {
  extractSlotPerm,
  META_REGION_INV,
  refCountAt,
  regionEq,
  slotOwner,
  slotOwnersAgreeExcept,
  slotPerm,
  slotOwnersDomEq,
  slotsChanged,
  withSlotOwner,
  type MetaRegionOwners,
  type RegionAt,
  type SlotPerm,
} from './MetaRegionOwners.ts';
import {
  metaSlotStatus,
  rc,
  withOwnerFields,
  type MetadataInnerPerms,
  type MetaSlotOwner,
  type MetaSlotStorage,
} from './MetaSlotOwner.ts';
import { ghostEq, init, isInit, permissionU64, valueOf, type PermissionU64 } from './perms.ts';
import { err, ok, type Res } from './results.ts';

const ret = <S, R>(final: S, result: R): Outcome<S, R> => Object.freeze({ kind: 'return', final, result });
const PANIC = Object.freeze({ kind: 'panic' }) as Outcome<never, never>;

/**
 * A region invariant's check over the indices a call can have touched (the rest were checked before),
 * for one conjunct list. Regions are immutable values, so the result per (region, index) is memoized.
 */
export function memoRegionInv(
  conjuncts: readonly Invariant<RegionAt>[],
): (r: MetaRegionOwners, indices: readonly number[]) => boolean {
  const invCache = new WeakMap<MetaRegionOwners, Map<number, boolean>>();
  return (r, indices) => {
    let memo = invCache.get(r);
    if (memo === undefined) invCache.set(r, (memo = new Map()));
    for (const i of indices) {
      let ok = memo.get(i);
      if (ok === undefined) {
        ok = conjuncts.every((c) => c.holds({ value: { region: r, i }, p: r.p }));
        memo.set(i, ok);
      }
      if (!ok) return false;
    }
    return true;
  };
}

/** `MetaRegionOwners::inv()` over the indices a call can have touched, memoized per (region, index). */
export const regionInvAt: (r: MetaRegionOwners, indices: readonly number[]) => boolean = memoRegionInv(META_REGION_INV);

/** The error `get_slot` returns for an address without a safe slot: alignment first. */
export function slotError(paddr: Paddr): 'NotAligned' | 'OutOfBound' {
  return paddr % PAGE_SIZE !== 0 ? 'NotAligned' : 'OutOfBound';
}

// ---------------------------------------------------------------------------------------------------
// get_slot

type GetSlotArgs = Readonly<{ paddr: Paddr }>;
type GetSlotPost = PostCtx<MetaRegionOwners, GetSlotArgs, Res<Vaddr>>;
const getSlotEns = clauseMaker<GetSlotPost>('get_slot', 'ensures');

/** `get_slot(paddr) -> Result<PPtr<MetaSlot>, GetFrameError>`. */
export const getSlot: OpSpec<MetaRegionOwners, GetSlotArgs, Res<Vaddr>> = Object.freeze({
  name: 'get_slot',
  rust: 'get_slot',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [],
  mayPanic: clauseMaker<PreCtx<MetaRegionOwners, GetSlotArgs>>('get_slot', 'may_panic')(
    'never',
    '(no may_panic clause)',
    () => false,
  ),
  ensures: [
    getSlotEns(
      'safe_iff_ok',
      'has_safe_slot(paddr) <==> res is Ok',
      (c) => hasSafeSlot(c.args.paddr, c.p.maxPaddr) === c.result.ok,
      (c) => ({ 'has_safe_slot(paddr)': hasSafeSlot(c.args.paddr, c.p.maxPaddr), 'res is Ok': c.result.ok }),
    ),
    getSlotEns(
      'ok_addr',
      'res is Ok ==> res.unwrap().addr() == frame_to_meta(paddr)',
      (c) => implies(c.result.ok, () => c.result.ok && c.result.value === frameToMeta(c.args.paddr)),
      (c) => ({ res: c.result, 'frame_to_meta(paddr)': frameToMeta(c.args.paddr) }),
    ),
    getSlotEns(
      'error_order',
      'paddr % PAGE_SIZE != 0 ==> Err(NotAligned); else paddr >= MAX_PADDR ==> Err(OutOfBound)',
      (c) => c.result.ok || c.result.error === slotError(c.args.paddr),
      (c) => ({ res: c.result, expected: slotError(c.args.paddr) }),
      'upstream',
    ),
  ],
  next: (c) =>
    ret(c.old, hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? ok(frameToMeta(c.args.paddr)) : err(slotError(c.args.paddr))),
  footprint: () => [],
});

// ---------------------------------------------------------------------------------------------------
// get_from_unused

/** Arguments of `get_from_unused`: the metadata as the ghost sees it (its type name and fields). */
export type GetFromUnusedArgs = Readonly<{ paddr: Paddr; metadata: MetaSlotStorage; asUnique: boolean }>;
/** `Ok((PPtr<MetaSlot>, Tracked<PointsTo<MetaSlot>>))`. */
export type ClaimedSlot = Readonly<{ ptr: Vaddr; perm: SlotPerm }>;
type GfuPre = PreCtx<MetaRegionOwners, GetFromUnusedArgs>;
type GfuPost = PostCtx<MetaRegionOwners, GetFromUnusedArgs, Res<ClaimedSlot>>;

/** `get_from_unused_inner_perms_spec(as_unique, perms)`, conjunct by conjunct. */
export function getFromUnusedInnerPermsSpec(asUnique: boolean, perms: MetadataInnerPerms, p: ModelParams) {
  return {
    ref_count: perms.refCount.value === (asUnique ? p.refCountUnique : 1n),
    in_list_zero: perms.inList.value === 0n,
    storage_init: isInit(perms.storage),
    vtable_init: isInit(perms.vtablePtr),
  };
}

/** `MetaSlot::get_from_unused_spec(paddr, as_unique, pre, post)`, conjunct by conjunct. */
export function getFromUnusedSpec(paddr: Paddr, asUnique: boolean, pre: MetaRegionOwners, post: MetaRegionOwners) {
  const i = frameToIndex(paddr);
  const a = slotOwner(pre, i);
  const b = slotOwner(post, i);
  return {
    domains_equal: slotOwnersDomEq(pre, post),
    ...getFromUnusedInnerPermsSpec(asUnique, b.innerPerms, pre.p),
    usage_frame: b.usage === 'Frame',
    self_addr_kept: b.selfAddr === a.selfAddr,
    paths_kept: ghostEq(b.pathsInPt, a.pathsInPt),
    others_unchanged: slotOwnersAgreeExcept(pre, post, i),
    pre_unused: rc(a) === pre.p.refCountUnused,
  };
}

const every = (parts: Record<string, boolean>) => Object.values(parts).every(Boolean);
const gfuReq = clauseMaker<GfuPre>('get_from_unused', 'requires');
const gfuEns = clauseMaker<GfuPost>('get_from_unused', 'ensures');
const idx = (c: { args: { paddr: Paddr } }) => frameToIndex(c.args.paddr);
const isErr = (r: Res<unknown>) => !r.ok;
const fullInv = (r: MetaRegionOwners, extra: readonly number[]) => regionInvAt(r, extra);

/** The owner of a freshly claimed slot: what `get_from_unused`'s code and proof block leave behind. */
export function claimedOwner(
  o: MetaSlotOwner,
  metadata: MetaSlotStorage,
  asUnique: boolean,
  p: ModelParams,
): MetaSlotOwner {
  return withOwnerFields(o, {
    refCount: permissionU64(o.innerPerms.refCount.id, asUnique ? (p.refCountUnique ?? 1n) : 1n),
    storage: Object.freeze({ id: o.innerPerms.storage.id, contents: init(metadata) }),
    vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: init(metadata.type) }),
    usage: 'Frame',
  });
}

/** `MetaSlot::get_from_unused(paddr, metadata, as_unique_ptr)`. */
export const getFromUnused: OpSpec<MetaRegionOwners, GetFromUnusedArgs, Res<ClaimedSlot>> = Object.freeze({
  name: 'get_from_unused',
  rust: 'MetaSlot::get_from_unused',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    gfuReq('regions_inv', 'old(regions).inv()', (c) =>
      fullInv(c.old, hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? [idx(c)] : []),
    ),
  ],
  mayPanic: clauseMaker<GfuPre>('get_from_unused', 'may_panic')('never', '(no may_panic clause)', () => false),
  ensures: [
    gfuEns('err_inv', 'res is Err ==> final(regions).inv()', (c) =>
      implies(isErr(c.result), () => fullInv(c.final, hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? [idx(c)] : [])),
    ),
    gfuEns('err_unchanged', 'res is Err ==> *final(regions) == *old(regions)', (c) =>
      implies(isErr(c.result), () => regionEq(c.old, c.final)),
    ),
    gfuEns(
      'ok_perm_spec',
      'res matches Ok((res, perm)) ==> Self::get_from_unused_perm_spec(paddr, metadata, as_unique_ptr, res, perm@)',
      (c) =>
        implies(c.result.ok, () => {
          if (!c.result.ok) return false;
          const { ptr, perm } = c.result.value;
          const want = frameToMeta(c.args.paddr);
          return ptr === want && perm.addr === want && isInit(perm) && perm.addr === ptr;
        }),
      (c) => ({ res: c.result, 'frame_to_meta(paddr)': frameToMeta(c.args.paddr) }),
    ),
    gfuEns(
      'ok_perm_wf',
      'res matches Ok((res, perm)) ==> perm@.value().wf(final(regions).slot_owners[frame_to_index(paddr)])',
      (c) =>
        implies(c.result.ok, () => {
          if (!c.result.ok) return false;
          const slot = valueOf(c.result.value.perm);
          const o = slotOwner(c.final, idx(c));
          return (
            slot !== undefined &&
            slot.storageId === o.innerPerms.storage.id &&
            slot.refCountId === o.innerPerms.refCount.id &&
            slot.vtablePtr === o.innerPerms.vtablePtr.addr &&
            slot.inListId === o.innerPerms.inList.id
          );
        }),
    ),
    gfuEns(
      'ok_perm_extracted',
      'res matches Ok((_, perm)) ==> perm@ == old(regions).slots[frame_to_index(paddr)]',
      (c) => implies(c.result.ok, () => c.result.ok && ghostEq(c.result.value.perm, slotPerm(c.old, idx(c)))),
    ),
    gfuEns(
      'ok_spec',
      'res is Ok ==> Self::get_from_unused_spec(paddr, as_unique_ptr, *old(regions), *final(regions))',
      (c) => implies(c.result.ok, () => every(getFromUnusedSpec(c.args.paddr, c.args.asUnique, c.old, c.final))),
      (c) => ({
        conjuncts: getFromUnusedSpec(c.args.paddr, c.args.asUnique, c.old, c.final),
        'old owner': slotOwner(c.old, idx(c)),
        'final owner': slotOwner(c.final, idx(c)),
      }),
    ),
    gfuEns(
      'ok_slot_perm_extracted',
      'res is Ok ==> Self::slot_perm_extracted_spec(paddr, *old(regions), *final(regions))',
      (c) =>
        implies(c.result.ok, () => {
          const changed = slotsChanged(c.old, c.final);
          return changed.length === 1 && changed[0] === idx(c) && slotPerm(c.final, idx(c)) === undefined;
        }),
      (c) => ({ 'changed slots': slotsChanged(c.old, c.final) }),
    ),
    gfuEns('unsafe_err', '!has_safe_slot(paddr) ==> res is Err', (c) =>
      implies(!hasSafeSlot(c.args.paddr, c.p.maxPaddr), () => !c.result.ok),
    ),
    gfuEns('obligations_unchanged', 'final(regions).frame_obligations =~= old(regions).frame_obligations', (c) =>
      c.final.frameObligations.equals(c.old.frameObligations),
    ),
    gfuEns(
      'ok_metadata',
      'res is Ok ==> the slot storage decodes to exactly `metadata` (vostd HEAD: from_repr_spec(storage) == metadata)',
      (c) =>
        implies(c.result.ok, () => ghostEq(valueOf(slotOwner(c.final, idx(c)).innerPerms.storage), c.args.metadata)),
      (c) => ({ stored: valueOf(slotOwner(c.final, idx(c)).innerPerms.storage), metadata: c.args.metadata }),
      'vostd-head',
    ),
  ],
  next: (c) => {
    const { paddr, metadata, asUnique } = c.args;
    if (!hasSafeSlot(paddr, c.p.maxPaddr)) return ret(c.old, err(slotError(paddr)));
    const i = frameToIndex(paddr);
    const v = refCountAt(c.old, i);
    if (v !== c.p.refCountUnused)
      return ret(c.old, err(v === c.p.refCountUnique ? 'Unique' : v === 0n ? 'Busy' : 'InUse'));
    const perm = slotPerm(c.old, i) as SlotPerm;
    const final = extractSlotPerm(
      withSlotOwner(c.old, i, claimedOwner(slotOwner(c.old, i), metadata, asUnique, c.p)),
      i,
    );
    return ret(final, ok({ ptr: frameToMeta(paddr), perm }));
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

// ---------------------------------------------------------------------------------------------------
// get_from_in_use_loop

/** The tracked state of the loop body: the slot's permission and the owner's inner permissions. */
export type LoopState = Readonly<{ perm: SlotPerm; innerPerms: MetadataInnerPerms }>;
type LoopArgs = Readonly<{ slot: Vaddr }>;
type LoopPre = PreCtx<LoopState, LoopArgs>;
type LoopPost = PostCtx<LoopState, LoopArgs, Res<Vaddr>>;
const loopReq = clauseMaker<LoopPre>('get_from_in_use_loop', 'requires');
const loopEns = clauseMaker<LoopPost>('get_from_in_use_loop', 'ensures');
const rcOf = (s: LoopState) => s.innerPerms.refCount.value;

/** `MetaSlot::get_from_in_use_loop(slot)` (seed era), whose CAS failure returns `Err(Retry)`. */
export const getFromInUseLoop: OpSpec<LoopState, LoopArgs, Res<Vaddr>> = withAbortsExactly({
  name: 'get_from_in_use_loop',
  rust: 'MetaSlot::get_from_in_use_loop',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    loopReq('perm_pptr', 'perm.pptr() == slot', (c) => c.old.perm.addr === c.args.slot),
    loopReq('perm_init', 'perm.is_init()', (c) => isInit(c.old.perm)),
    loopReq(
      'rc_perm_for_slot',
      'perm.value().ref_count.id() == old(inner_perms).ref_count.id()',
      (c) => valueOf(c.old.perm)?.refCountId === c.old.innerPerms.refCount.id,
    ),
  ],
  mayPanic: clauseMaker<LoopPre>('get_from_in_use_loop', 'may_panic')(
    'at_max',
    'old(inner_perms).ref_count.value() >= REF_COUNT_MAX ==> may_panic()',
    (c) => rcOf(c.old) >= c.p.refCountMax && rcOf(c.old) !== c.p.refCountUnused && rcOf(c.old) !== c.p.refCountUnique,
    (c) => ({ ref_count: rcOf(c.old), REF_COUNT_MAX: c.p.refCountMax }),
  ),
  ensures: [
    loopEns(
      'ok_rc_inc',
      'res is Ok ==> final(inner_perms).ref_count.value() == old(inner_perms).ref_count.value() + 1',
      (c) => implies(c.result.ok, () => rcOf(c.final) === rcOf(c.old) + 1n),
    ),
    loopEns('ok_rc_le_max', 'res is Ok ==> final(inner_perms).ref_count.value() <= REF_COUNT_MAX', (c) =>
      implies(c.result.ok, () => rcOf(c.final) <= c.p.refCountMax),
    ),
    loopEns('ok_old_rc_pos', 'res is Ok ==> old(inner_perms).ref_count.value() > 0', (c) =>
      implies(c.result.ok, () => rcOf(c.old) > 0n),
    ),
    loopEns('ok_ptr', 'res matches Ok(ptr) ==> ptr == slot', (c) =>
      implies(c.result.ok, () => c.result.ok && c.result.value === c.args.slot),
    ),
    loopEns(
      'err_rc_unchanged',
      'res is Err ==> final(inner_perms).ref_count.value() == old(inner_perms).ref_count.value()',
      (c) => implies(!c.result.ok, () => rcOf(c.final) === rcOf(c.old)),
    ),
    loopEns(
      'rc_id',
      'final(inner_perms).ref_count.id() == old(inner_perms).ref_count.id()',
      (c) => c.final.innerPerms.refCount.id === c.old.innerPerms.refCount.id,
    ),
    loopEns('storage', 'final(inner_perms).storage == old(inner_perms).storage', (c) =>
      ghostEq(c.final.innerPerms.storage, c.old.innerPerms.storage),
    ),
    loopEns('vtable_ptr', 'final(inner_perms).vtable_ptr == old(inner_perms).vtable_ptr', (c) =>
      ghostEq(c.final.innerPerms.vtablePtr, c.old.innerPerms.vtablePtr),
    ),
    loopEns('in_list', 'final(inner_perms).in_list == old(inner_perms).in_list', (c) =>
      ghostEq(c.final.innerPerms.inList, c.old.innerPerms.inList),
    ),
  ],
  next: (c) => {
    const v = rcOf(c.old);
    if (v === c.p.refCountUnused) return ret(c.old, err('Unused'));
    if (v === c.p.refCountUnique) return ret(c.old, err('Unique'));
    if (v === 0n) return ret(c.old, err('Busy'));
    if (v >= c.p.refCountMax) return PANIC;
    const refCount: PermissionU64 = Object.freeze({ id: c.old.innerPerms.refCount.id, value: v + 1n });
    return ret(
      Object.freeze({ ...c.old, innerPerms: Object.freeze({ ...c.old.innerPerms, refCount }) }),
      ok(c.args.slot),
    );
  },
  // `compare_exchange_weak` may fail spuriously: `Err(Retry)` with every permission unchanged.
  alsoAllows: (c) => !c.result.ok && c.result.error === 'Retry' && ghostEq(c.final, c.old),
  footprint: () => [],
});

// ---------------------------------------------------------------------------------------------------
// get_from_in_use

type GfiuArgs = Readonly<{ paddr: Paddr }>;
type GfiuPre = PreCtx<MetaRegionOwners, GfiuArgs>;
type GfiuPost = PostCtx<MetaRegionOwners, GfiuArgs, Res<Vaddr>>;
const gfiuReq = clauseMaker<GfiuPre>('get_from_in_use', 'requires');
const gfiuEns = clauseMaker<GfiuPost>('get_from_in_use', 'ensures');

/** `MetaSlot::get_from_in_use_success(paddr, pre, post)`, conjunct by conjunct. */
export function getFromInUseSuccess(paddr: Paddr, pre: MetaRegionOwners, post: MetaRegionOwners) {
  const i = frameToIndex(paddr);
  const a = slotOwner(pre, i);
  const b = slotOwner(post, i);
  return {
    rc_inc: rc(b) === rc(a) + 1n,
    rc_id: b.innerPerms.refCount.id === a.innerPerms.refCount.id,
    storage: ghostEq(b.innerPerms.storage, a.innerPerms.storage),
    vtable_ptr: ghostEq(b.innerPerms.vtablePtr, a.innerPerms.vtablePtr),
    in_list: ghostEq(b.innerPerms.inList, a.innerPerms.inList),
    self_addr: b.selfAddr === a.selfAddr,
    usage: b.usage === a.usage,
    paths_in_pt: ghostEq(b.pathsInPt, a.pathsInPt),
    others_unchanged: slotOwnersAgreeExcept(pre, post, i),
  };
}

const safeIdx = (c: GfiuPre) => (hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? [idx(c)] : []);

/** `MetaSlot::get_from_in_use(paddr)`. */
export const getFromInUse: OpSpec<MetaRegionOwners, GfiuArgs, Res<Vaddr>> = withAbortsExactly({
  name: 'get_from_in_use',
  rust: 'MetaSlot::get_from_in_use',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [gfiuReq('regions_inv', 'old(regions).inv()', (c) => fullInv(c.old, safeIdx(c)))],
  mayPanic: clauseMaker<GfiuPre>('get_from_in_use', 'may_panic')(
    'at_max',
    'has_safe_slot(paddr) ==> old(regions).ref_count(frame_to_index(paddr)) >= REF_COUNT_MAX ==> may_panic()',
    (c) => {
      if (!hasSafeSlot(c.args.paddr, c.p.maxPaddr)) return false;
      const v = refCountAt(c.old, idx(c));
      return v >= c.p.refCountMax && v !== c.p.refCountUnused && v !== c.p.refCountUnique;
    },
  ),
  ensures: [
    gfiuEns('final_inv', 'final(regions).inv()', (c) => fullInv(c.final, safeIdx(c))),
    gfiuEns('unsafe_err', '!has_safe_slot(paddr) ==> res is Err', (c) =>
      implies(!hasSafeSlot(c.args.paddr, c.p.maxPaddr), () => !c.result.ok),
    ),
    gfiuEns(
      'ok_success',
      'res is Ok ==> Self::get_from_in_use_success(paddr, *old(regions), *final(regions))',
      (c) => implies(c.result.ok, () => every(getFromInUseSuccess(c.args.paddr, c.old, c.final))),
      (c) => ({
        conjuncts: getFromInUseSuccess(c.args.paddr, c.old, c.final),
        'old rc': refCountAt(c.old, idx(c)),
        'final rc': refCountAt(c.final, idx(c)),
      }),
    ),
    gfiuEns('ok_ptr', 'res matches Ok(ptr) ==> ptr == old(regions).slots[frame_to_index(paddr)].pptr()', (c) =>
      implies(c.result.ok, () => c.result.ok && c.result.value === slotPerm(c.old, idx(c))?.addr),
    ),
    gfiuEns('err_unchanged', 'res is Err ==> *final(regions) == *old(regions)', (c) =>
      implies(isErr(c.result), () => regionEq(c.old, c.final)),
    ),
    gfiuEns('obligations_unchanged', 'final(regions).frame_obligations =~= old(regions).frame_obligations', (c) =>
      c.final.frameObligations.equals(c.old.frameObligations),
    ),
    gfiuEns(
      'err_kind',
      'res is Err ==> the error names the observed count: UNUSED → Unused, UNIQUE → Unique, 0 → Busy',
      (c) =>
        c.result.ok ||
        !hasSafeSlot(c.args.paddr, c.p.maxPaddr) ||
        c.result.error === inUseError(refCountAt(c.old, idx(c)), c.p),
      (c) => ({
        res: c.result,
        'old rc': hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? refCountAt(c.old, idx(c)) : undefined,
      }),
      'upstream',
    ),
  ],
  next: (c) => {
    const { paddr } = c.args;
    if (!hasSafeSlot(paddr, c.p.maxPaddr)) return ret(c.old, err(slotError(paddr)));
    const i = frameToIndex(paddr);
    const o = slotOwner(c.old, i);
    const v = rc(o);
    const e = inUseError(v, c.p);
    if (e !== undefined) return ret(c.old, err(e));
    if (v >= c.p.refCountMax) return PANIC;
    const final = withSlotOwner(
      c.old,
      i,
      withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, v + 1n) }),
    );
    return ret(final, ok(frameToMeta(paddr)));
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

/** The error `get_from_in_use` reports for an observed count, or `undefined` for a shared count. */
export function inUseError(v: bigint, p: ModelParams): 'Unused' | 'Unique' | 'Busy' | undefined {
  return match(metaSlotStatus(v, p))
    .with('UNUSED', () => 'Unused' as const)
    .with('UNIQUE', () => 'Unique' as const)
    .with('UNDER_CONSTRUCTION', () => 'Busy' as const)
    .with('SHARED', 'OVERFLOW', () => undefined)
    .exhaustive();
}
