/**
 * The op specs of `Frame<M>` over `MetaRegionOwners`: `from_unused`, `from_in_use`, `clone`, `drop`,
 * `into_raw` and `from_raw`. Every seed-era requires/ensures clause is one named predicate carrying its
 * Verus text, including the obligation-ledger effects (mint on `from_unused`/`from_in_use` Ok, `clone`
 * and `from_raw`; redeem on `drop` and `into_raw`). Where upstream guarantees more than vostd states,
 * or does something vostd leaves out (the last `drop` returns the frame to the global allocator), an
 * `origin: 'upstream'` clause says so.
 *
 * A `Frame` is a bare pointer to its slot (there is no `FrameOwner`): every fact about it is stated
 * against the region, as vostd's `inv_with_regions` does.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/mod.rs`, `ostd/specs/mm/frame/frame_specs.rs`
 */
import type { ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { clauseMaker, implies, note, paddrIndex, safeIndices, withAbortsExactly } from '../meta/clause.ts';
import { frameToIndex, frameToMeta, hasSafeSlot, metaToFrame, metaToIndex } from '../meta/mapping.ts';
import { getFromInUse, getFromUnused, getFromUnusedSpec, inUseError, slotError } from '../meta/MetaSlot.ts';
import {
  regionEq,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  slotsChanged,
  slotOwnersDomEq,
  slotsContain,
  slotsDomEq,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { ownerEq, rc, withOwnerFields, type MetaSlotOwner, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { ghostEq, permissionU64, UNINIT } from '../meta/perms.ts';
import { err, ok, type Res } from '../meta/results.ts';
import { type FrameIndex, type ModelParams, type Paddr, type Vaddr } from '../vocab.ts';
import {
  handleAddrOk,
  neverPanics,
  othersUnchanged,
  ownersAt,
  ownersContain,
  PANIC,
  rcAt,
  regionInv,
  ret,
  slotsUnchanged,
} from './regionFacts.ts';

/** `Frame<M> { ptr: PPtr<MetaSlot> }` as the ghost sees it: the address of its slot. */
export type FrameValue = Readonly<{ ptr: Vaddr }>;

/** The frame handle of the frame at `paddr`. */
export function frameAt(paddr: Paddr): FrameValue {
  return Object.freeze({ ptr: frameToMeta(paddr) });
}

/** `Frame::paddr() = meta_to_frame(ptr.addr())`. */
export function paddrOf(f: FrameValue): Paddr {
  return metaToFrame(f.ptr);
}

/** `Frame::index() = frame_to_index(self.paddr())`. */
export function indexOf(f: FrameValue): FrameIndex {
  return metaToIndex(f.ptr);
}

/** `impl Inv for Frame<M>`: the slot address is 64-aligned and inside the first `MAX_NR_PAGES` slots. */
export function frameInv(f: FrameValue, p: ModelParams): boolean {
  return handleAddrOk(f.ptr, p);
}

/**
 * `Frame::inv_with_regions(s)`, conjunct by conjunct: the handle is consistent with the region and its
 * slot is SHARED (`0 < rc <= REF_COUNT_MAX`, not a sentinel).
 */
export function invWithRegions(f: FrameValue, s: MetaRegionOwners) {
  const i = indexOf(f);
  const v = frameInv(f, s.p) && ownersContain(i) ? rcAt(s, i) : s.p.refCountUnused;
  return {
    frame_inv: frameInv(f, s.p),
    regions_inv: regionInv(s, [i]),
    slots_contain: slotsContain(s, i),
    slot_pptr: slotPerm(s, i)?.addr === f.ptr,
    owners_contain: ownersContain(i),
    rc_not_unused: v !== s.p.refCountUnused,
    rc_not_unique: v !== s.p.refCountUnique,
    rc_pos: v > 0n,
    rc_le_max: v <= s.p.refCountMax,
  };
}

const rcOf = (r: MetaRegionOwners, i: FrameIndex): bigint => (ownersContain(i) ? rcAt(r, i) : r.p.refCountUnused);
const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const ledgerMinted = (a: MetaRegionOwners, b: MetaRegionOwners, i: FrameIndex) =>
  b.frameObligations.equals(a.frameObligations.mint(i));
const ledgerRedeemed = (a: MetaRegionOwners, b: MetaRegionOwners, i: FrameIndex) =>
  b.frameObligations.equals(a.frameObligations.redeem(i));
const toFrame = (r: Res<unknown>, paddr: Paddr): Res<FrameValue> => (r.ok ? ok(frameAt(paddr)) : err(r.error));

// Frame::from_unused ------------------------------------------------------------------------------

/** The arguments of `Frame::from_unused`: the metadata as the ghost sees it. */
export type FromUnusedArgs = Readonly<{ paddr: Paddr; metadata: MetaSlotStorage }>;
type FuPre = PreCtx<MetaRegionOwners, FromUnusedArgs>;
type FuPost = PostCtx<MetaRegionOwners, FromUnusedArgs, Res<FrameValue>>;
const fuReq = clauseMaker<FuPre>('Frame::from_unused', 'requires');
const fuEns = clauseMaker<FuPost>('Frame::from_unused', 'ensures');
const pIdx = paddrIndex;
const safeIdx = safeIndices;

/** `Frame::from_unused(paddr, metadata)`: a new shared frame with count 1 and one minted obligation. */
export const frameFromUnused: OpSpec<MetaRegionOwners, FromUnusedArgs, Res<FrameValue>> = Object.freeze({
  name: 'Frame::from_unused',
  rust: 'Frame::from_unused',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [fuReq('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, safeIdx(c)))],
  mayPanic: neverPanics<FuPre>('Frame::from_unused'),
  ensures: [
    fuEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, safeIdx(c))),
    fuEns(
      'ok_ptr',
      'r matches Ok(res) ==> res.ptr.addr() == frame_to_meta(paddr)',
      (c) => implies(c.result.ok, () => c.result.ok && c.result.value.ptr === frameToMeta(c.args.paddr)),
      (c) => ({ r: c.result, 'frame_to_meta(paddr)': frameToMeta(c.args.paddr) }),
    ),
    fuEns(
      'ok_spec',
      'r is Ok ==> MetaSlot::get_from_unused_spec(paddr, false, *old(regions), *final(regions))',
      (c) => implies(c.result.ok, () => every(getFromUnusedSpec(c.args.paddr, false, c.old, c.final))),
      (c) => ({
        conjuncts: getFromUnusedSpec(c.args.paddr, false, c.old, c.final),
        owners: ownersAt(c.old, c.final, pIdx(c)),
      }),
    ),
    fuEns(
      'ok_reparked',
      'r is Ok ==> MetaSlot::slot_perm_reparked_spec(paddr, *old(regions), *final(regions))',
      (c) =>
        implies(
          c.result.ok,
          () => slotsDomEq(c.old, c.final) && slotsChanged(c.old, c.final).every((k) => k === pIdx(c)),
        ),
      (c) => ({ 'slots.dom() unchanged': slotsDomEq(c.old, c.final), 'changed slots': slotsChanged(c.old, c.final) }),
    ),
    fuEns('unsafe_err', '!has_safe_slot(paddr) ==> r is Err', (c) =>
      implies(!hasSafeSlot(c.args.paddr, c.p.maxPaddr), () => !c.result.ok),
    ),
    fuEns(
      'ok_obligations',
      'r is Ok ==> MetaSlot::live_frame_obligations_ok_spec(paddr, *old(regions), *final(regions)) (frame_obligations =~= old.insert(frame_to_index(paddr)))',
      (c) => implies(c.result.ok, () => ledgerMinted(c.old, c.final, pIdx(c))),
    ),
    fuEns(
      'err_obligations',
      'r is Err ==> MetaSlot::live_frame_obligations_err_spec(*old(regions), *final(regions)) (frame_obligations =~= old)',
      (c) => implies(!c.result.ok, () => c.final.frameObligations.equals(c.old.frameObligations)),
    ),
    fuEns('err_unchanged', 'r is Err ==> *final(regions) =~= *old(regions)', (c) =>
      implies(!c.result.ok, () => regionEq(c.old, c.final)),
    ),
    fuEns(
      'err_kind',
      'get_from_unused: NotAligned, then OutOfBound, then the observed count: UNIQUE → Unique, 0 → Busy, any other → InUse',
      (c) => c.result.ok || c.result.error === claimError(c.old, c.args.paddr),
      (c) => ({ r: c.result, expected: claimError(c.old, c.args.paddr) }),
      'upstream',
    ),
    fuEns(
      'ok_metadata',
      'r is Ok ==> the slot holds exactly `metadata` (upstream write_meta; vostd HEAD states it only for MetaSlot::get_from_unused)',
      (c) =>
        implies(c.result.ok, () =>
          ghostEq(slotOwner(c.final, pIdx(c)).innerPerms.storage.contents, { init: true, value: c.args.metadata }),
        ),
      (c) => ({ stored: slotOwner(c.final, pIdx(c)).innerPerms.storage.contents, metadata: c.args.metadata }),
      'upstream',
    ),
  ],
  next: (c) => {
    const out = getFromUnused.next({
      old: c.old,
      args: { paddr: c.args.paddr, metadata: c.args.metadata, asUnique: false },
      p: c.p,
    });
    if (out.kind === 'panic') return PANIC;
    if (!out.result.ok) return ret(c.old, err(out.result.error));
    const i = pIdx(c);
    const parked = reparkSlotPerm(out.final, i, out.result.value.perm);
    return ret(withLedger(parked, parked.frameObligations.mint(i)), ok(frameAt(c.args.paddr)));
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

/** The error a failed claim reports (`get_slot` errors first, then the observed count). */
export function claimError(r: MetaRegionOwners, paddr: Paddr): string {
  if (!hasSafeSlot(paddr, r.p.maxPaddr)) return slotError(paddr);
  const v = rcAt(r, frameToIndex(paddr));
  return v === r.p.refCountUnused ? '(none)' : v === r.p.refCountUnique ? 'Unique' : v === 0n ? 'Busy' : 'InUse';
}

// Frame::from_in_use --------------------------------------------------------------------------------

/** The arguments of `Frame::from_in_use`. */
export type PaddrArgs = Readonly<{ paddr: Paddr }>;
type FiPre = PreCtx<MetaRegionOwners, PaddrArgs>;
type FiPost = PostCtx<MetaRegionOwners, PaddrArgs, Res<FrameValue>>;
const fiEns = clauseMaker<FiPost>('Frame::from_in_use', 'ensures');

/** `Frame::from_in_use(paddr)`: another reference to a frame in use, with one minted obligation. */
export const frameFromInUse: OpSpec<MetaRegionOwners, PaddrArgs, Res<FrameValue>> = withAbortsExactly({
  name: 'Frame::from_in_use',
  rust: 'Frame::from_in_use',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    clauseMaker<FiPre>('Frame::from_in_use', 'requires')('regions_inv', 'old(regions).inv()', (c) =>
      regionInv(c.old, safeIdx(c)),
    ),
  ],
  mayPanic: clauseMaker<FiPre>('Frame::from_in_use', 'may_panic')(
    'at_max',
    'has_safe_slot(paddr) ==> old(regions).ref_count(frame_to_index(paddr)) >= REF_COUNT_MAX ==> may_panic()',
    (c) => getFromInUse.mayPanic.holds(c),
    (c) => ({
      'old rc': hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? rcAt(c.old, pIdx(c)) : undefined,
      REF_COUNT_MAX: c.p.refCountMax,
    }),
  ),
  ensures: [
    fiEns('final_inv', 'final(regions).inv()', (c) => regionInv(c.final, safeIdx(c))),
    fiEns(
      'ok_rc_inc',
      'res is Ok ==> final(regions).ref_count(frame_to_index(paddr)) == old(regions).ref_count(frame_to_index(paddr)) + 1',
      (c) => implies(c.result.ok, () => rcAt(c.final, pIdx(c)) === rcAt(c.old, pIdx(c)) + 1n),
      (c) => ({ 'old rc': rcOf(c.old, pIdx(c)), 'final rc': rcOf(c.final, pIdx(c)) }),
    ),
    fiEns('ok_ptr', 'res matches Ok(res) ==> res.ptr == old(regions).slots[frame_to_index(paddr)].pptr()', (c) =>
      implies(c.result.ok, () => c.result.ok && c.result.value.ptr === slotPerm(c.old, pIdx(c))?.addr),
    ),
    fiEns('unsafe_err', '!has_safe_slot(paddr) ==> res is Err', (c) =>
      implies(!hasSafeSlot(c.args.paddr, c.p.maxPaddr), () => !c.result.ok),
    ),
    fiEns('others_unchanged', 'old(regions).slot_owners_agree_except(*final(regions), frame_to_index(paddr))', (c) =>
      othersUnchanged(c.old, c.final, pIdx(c)),
    ),
    fiEns(
      'ok_obligations',
      'res is Ok ==> MetaSlot::live_frame_obligations_ok_spec(paddr, *old(regions), *final(regions)) (frame_obligations =~= old.insert(frame_to_index(paddr)))',
      (c) => implies(c.result.ok, () => ledgerMinted(c.old, c.final, pIdx(c))),
    ),
    fiEns(
      'err_obligations',
      'res is Err ==> MetaSlot::live_frame_obligations_err_spec(*old(regions), *final(regions))',
      (c) => implies(!c.result.ok, () => c.final.frameObligations.equals(c.old.frameObligations)),
    ),
    fiEns(
      'err_unchanged',
      'res is Err ==> *final(regions) == *old(regions)',
      (c) => implies(!c.result.ok, () => regionEq(c.old, c.final)),
      undefined,
      'vostd-head',
    ),
    fiEns(
      'err_kind',
      'res is Err ==> the error names the observed count: UNUSED → Unused, UNIQUE → Unique, 0 → Busy',
      (c) =>
        c.result.ok ||
        !hasSafeSlot(c.args.paddr, c.p.maxPaddr) ||
        c.result.error === inUseError(rcAt(c.old, pIdx(c)), c.p),
      (c) => ({ r: c.result, 'old rc': hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? rcAt(c.old, pIdx(c)) : undefined }),
      'upstream',
    ),
  ],
  next: (c) => {
    const out = getFromInUse.next(c);
    if (out.kind === 'panic') return PANIC;
    if (!out.result.ok) return ret(out.final, err(out.result.error));
    return ret(withLedger(out.final, out.final.frameObligations.mint(pIdx(c))), toFrame(out.result, c.args.paddr));
  },
  footprint: (a) => [frameToIndex(a.paddr)],
});

// Frame::clone (RCClone) -----------------------------------------------------------------------------

/** The arguments of an op on a live `Frame` handle (`&self` or `self`). */
export type FrameArgs = Readonly<{ frame: FrameValue }>;
type ClPre = PreCtx<MetaRegionOwners, FrameArgs>;
type ClPost = PostCtx<MetaRegionOwners, FrameArgs, FrameValue>;
const clReq = clauseMaker<ClPre>('Frame::clone', 'requires');
const clEns = clauseMaker<ClPost>('Frame::clone', 'ensures');
const fIdx = (c: { args: FrameArgs }) => indexOf(c.args.frame);
const fSafe = (c: { args: FrameArgs; p: ModelParams }) => (frameInv(c.args.frame, c.p) ? [fIdx(c)] : []);

/** The clauses "this field of the slot owner is unchanged" that `clone_ensures` lists one by one. */
function keptAt<C extends { old: MetaRegionOwners; final: MetaRegionOwners }>(
  op: string,
  idx: (c: C) => FrameIndex,
  fields: readonly string[],
) {
  const ens = clauseMaker<C>(op, 'ensures');
  const pick: Record<string, (o: MetaSlotOwner) => unknown> = {
    storage: (o) => o.innerPerms.storage,
    vtable_ptr: (o) => o.innerPerms.vtablePtr,
    in_list: (o) => o.innerPerms.inList,
    paths_in_pt: (o) => o.pathsInPt,
    self_addr: (o) => o.selfAddr,
    usage: (o) => o.usage,
  };
  const path: Record<string, string> = {
    storage: 'inner_perms.storage',
    vtable_ptr: 'inner_perms.vtable_ptr',
    in_list: 'inner_perms.in_list',
  };
  return fields.map((f) =>
    ens(f, `final.slot_owners[idx].${path[f] ?? f} == old.slot_owners[idx].${path[f] ?? f}`, (c) => {
      const [a, b] = ownersAt(c.old, c.final, idx(c));
      return ghostEq(pick[f]!(a), pick[f]!(b));
    }),
  );
}

/** `<Frame<M> as RCClone>::clone(&self, regions)`: count + 1, one minted obligation, the same pointer. */
export const frameClone: OpSpec<MetaRegionOwners, FrameArgs, FrameValue> = withAbortsExactly({
  name: 'Frame::clone',
  rust: '<Frame<M> as RCClone>::clone',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    clReq('frame_inv', 'clone_requires: self.inv()', (c) => frameInv(c.args.frame, c.p)),
    clReq('regions_inv', 'clone_requires: perm.inv()', (c) => regionInv(c.old, fSafe(c))),
    clReq('slots_contain', 'clone_requires: perm.slots.contains_key(idx)', (c) => slotsContain(c.old, fIdx(c))),
    clReq('owners_contain', 'clone_requires: perm.slot_owners.contains_key(idx)', (c) => ownersContain(fIdx(c))),
    clReq(
      'rc_pos',
      'clone_requires: perm.slot_owners[idx].inner_perms.ref_count.value() > 0',
      (c) => rcOf(c.old, fIdx(c)) > 0n,
      (c) => ({ rc: rcOf(c.old, fIdx(c)) }),
    ),
    clReq(
      'rc_not_unused',
      'clone_requires: perm.slot_owners[idx].inner_perms.ref_count.value() != REF_COUNT_UNUSED',
      (c) => rcOf(c.old, fIdx(c)) !== c.p.refCountUnused,
    ),
    clReq('safe_slot', 'clone_requires: has_safe_slot(meta_to_frame(self.ptr.addr()))', (c) =>
      hasSafeSlot(paddrOf(c.args.frame), c.p.maxPaddr),
    ),
  ],
  mayPanic: clauseMaker<ClPre>('Frame::clone', 'may_panic')(
    'at_max',
    'clone_requires: perm.slot_owners[idx].inner_perms.ref_count.value() >= REF_COUNT_MAX ==> may_panic()',
    (c) => rcOf(c.old, fIdx(c)) >= c.p.refCountMax,
    (c) => ({ rc: rcOf(c.old, fIdx(c)), REF_COUNT_MAX: c.p.refCountMax }),
  ),
  ensures: [
    clEns('regions_inv', 'clone_ensures: new_perm.inv()', (c) => regionInv(c.final, fSafe(c))),
    clEns(
      'rc_inc',
      'clone_ensures: new_perm.slot_owners[idx].inner_perms.ref_count.value() == old_perm.slot_owners[idx].inner_perms.ref_count.value() + 1',
      (c) => rcOf(c.final, fIdx(c)) === rcOf(c.old, fIdx(c)) + 1n,
      (c) => ({ 'old rc': rcOf(c.old, fIdx(c)), 'final rc': rcOf(c.final, fIdx(c)) }),
    ),
    clEns(
      'rc_id',
      'clone_ensures: new_perm.slot_owners[idx].inner_perms.ref_count.id() == old_perm.slot_owners[idx].inner_perms.ref_count.id()',
      (c) => {
        const [a, b] = ownersAt(c.old, c.final, fIdx(c));
        return a.innerPerms.refCount.id === b.innerPerms.refCount.id;
      },
    ),
    ...keptAt<ClPost>('Frame::clone', fIdx, ['storage', 'vtable_ptr', 'in_list', 'paths_in_pt', 'self_addr', 'usage']),
    clEns('slots_unchanged', 'clone_ensures: new_perm.slots =~= old_perm.slots', (c) => slotsUnchanged(c.old, c.final)),
    clEns(
      'others_unchanged',
      'clone_ensures: forall|i| i != idx ==> new_perm.slot_owners[i] == old_perm.slot_owners[i]',
      (c) => othersUnchanged(c.old, c.final, fIdx(c)),
    ),
    clEns('domain', 'clone_ensures: new_perm.slot_owners.dom() =~= old_perm.slot_owners.dom()', (c) =>
      slotOwnersDomEq(c.old, c.final),
    ),
    clEns('obligations', 'clone_ensures: new_perm.frame_obligations =~= old_perm.frame_obligations.insert(idx)', (c) =>
      ledgerMinted(c.old, c.final, fIdx(c)),
    ),
  ],
  next: (c) => {
    const i = fIdx(c);
    const o = slotOwner(c.old, i);
    if (rc(o) >= c.p.refCountMax) return PANIC;
    const r = withSlotOwner(
      c.old,
      i,
      withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, rc(o) + 1n) }),
    );
    return ret(withLedger(r, r.frameObligations.mint(i)), c.args.frame);
  },
  footprint: (a) => [indexOf(a.frame)],
});

// Frame::drop (Drop with TrackDrop) --------------------------------------------------------------------

/** The arguments of `Frame::drop`: the handle and its `DropObligation` token (`obl.value()`). */
export type DropArgs = Readonly<{ frame: FrameValue; obl: FrameIndex }>;
/**
 * What a drop did besides the region: whether it released the last reference, the values it stored
 * to the count in order, and the frames it returned to the global allocator.
 */
export type TeardownTrace = Readonly<{ last: boolean; rcWrites: readonly bigint[]; dealloc: readonly Paddr[] }>;
type DrPre = PreCtx<MetaRegionOwners, DropArgs>;
type DrPost = PostCtx<MetaRegionOwners, DropArgs, TeardownTrace>;
const drReq = clauseMaker<DrPre>('Frame::drop', 'requires');
const drEns = clauseMaker<DrPost>('Frame::drop', 'ensures');
const dIdx = (c: { args: DropArgs }) => indexOf(c.args.frame);
const dSafe = (c: { args: DropArgs; p: ModelParams }) => (frameInv(c.args.frame, c.p) ? [dIdx(c)] : []);
const wfPart = (name: keyof ReturnType<typeof invWithRegions>, verus: string) =>
  drReq(
    name,
    `drop_requires: self.inv_with_regions(s): ${verus}`,
    (c) => invWithRegions(c.args.frame, c.old)[name],
    (c) => ({
      conjuncts: invWithRegions(c.args.frame, c.old),
      rc: rcOf(c.old, dIdx(c)),
    }),
  );

/** The owner of a slot whose metadata was dropped and whose count was set to `value`. */
function tornDown(o: MetaSlotOwner, value: bigint): MetaSlotOwner {
  return withOwnerFields(o, {
    refCount: permissionU64(o.innerPerms.refCount.id, value),
    storage: Object.freeze({ id: o.innerPerms.storage.id, contents: UNINIT }),
    vtablePtr: Object.freeze({ addr: o.innerPerms.vtablePtr.addr, contents: UNINIT }),
  });
}

/** `Frame::drop(self, regions, obl)`: count − 1; the last reference tears the slot down to UNUSED. */
export const frameDrop: OpSpec<MetaRegionOwners, DropArgs, TeardownTrace> = Object.freeze({
  name: 'Frame::drop',
  rust: '<Frame<M> as Drop>::drop',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    wfPart('frame_inv', 'self.inv()'),
    wfPart('regions_inv', 's.inv()'),
    wfPart('slots_contain', 's.slots.contains_key(idx)'),
    wfPart('slot_pptr', 's.slots[idx].pptr() == self.ptr'),
    wfPart('owners_contain', 's.slot_owners.contains_key(idx)'),
    wfPart('rc_not_unused', 'slot_own.inner_perms.ref_count.value() != REF_COUNT_UNUSED'),
    wfPart('rc_not_unique', 'slot_own.inner_perms.ref_count.value() != REF_COUNT_UNIQUE'),
    wfPart('rc_pos', 'slot_own.inner_perms.ref_count.value() > 0'),
    wfPart('rc_le_max', 'slot_own.inner_perms.ref_count.value() <= REF_COUNT_MAX'),
    drReq(
      'last_paths_empty',
      'drop_requires: slot_own.inner_perms.ref_count.value() == 1 ==> slot_own.paths_in_pt.is_empty()',
      (c) => implies(rcOf(c.old, dIdx(c)) === 1n, () => slotOwner(c.old, dIdx(c)).pathsInPt.size === 0),
    ),
    drReq(
      'obligation',
      'consume_requires: s.frame_obligations.count(obl.value()) > 0',
      (c) => c.old.frameObligations.count(c.args.obl) > 0,
      (c) => ({ 'count(obl)': c.old.frameObligations.count(c.args.obl) }),
    ),
    drReq(
      'obl_key',
      'obl.value() == self.key()',
      (c) => c.args.obl === dIdx(c),
      (c) => ({ obl: c.args.obl, key: dIdx(c) }),
    ),
  ],
  mayPanic: neverPanics<DrPre>('Frame::drop'),
  ensures: [
    drEns('regions_inv', 'drop_ensures: s1.inv()', (c) => regionInv(c.final, dSafe(c))),
    drEns('others_unchanged', 'drop_ensures: forall|i| i != idx ==> s1.slot_owners[i] == s0.slot_owners[i]', (c) =>
      othersUnchanged(c.old, c.final, dIdx(c)),
    ),
    drEns('slots_unchanged', 'drop_ensures: s1.slots =~= s0.slots', (c) => slotsUnchanged(c.old, c.final)),
    drEns('domain', 'drop_ensures: s1.slot_owners.dom() =~= s0.slot_owners.dom()', (c) =>
      slotOwnersDomEq(c.old, c.final),
    ),
    drEns('self_addr', 'drop_ensures: so1.self_addr == so0.self_addr', (c) => {
      const [a, b] = ownersAt(c.old, c.final, dIdx(c));
      return a.selfAddr === b.selfAddr;
    }),
    drEns('usage', 'drop_ensures: so1.usage == so0.usage', (c) => {
      const [a, b] = ownersAt(c.old, c.final, dIdx(c));
      return a.usage === b.usage;
    }),
    drEns('paths_in_pt', 'drop_ensures: so1.paths_in_pt == so0.paths_in_pt', (c) => {
      const [a, b] = ownersAt(c.old, c.final, dIdx(c));
      return ghostEq(a.pathsInPt, b.pathsInPt);
    }),
    drEns(
      'last_unused',
      'drop_ensures: so0.inner_perms.ref_count.value() == 1 ==> so1.inner_perms.ref_count.value() == REF_COUNT_UNUSED',
      (c) => implies(rcOf(c.old, dIdx(c)) === 1n, () => rcOf(c.final, dIdx(c)) === c.p.refCountUnused),
      (c) => ({ 'old rc': rcOf(c.old, dIdx(c)), 'final rc': rcOf(c.final, dIdx(c)) }),
    ),
    drEns(
      'dec',
      'drop_ensures: so0.inner_perms.ref_count.value() > 1 ==> so1.inner_perms.ref_count.value() == (so0.inner_perms.ref_count.value() - 1) as u64',
      (c) => implies(rcOf(c.old, dIdx(c)) > 1n, () => rcOf(c.final, dIdx(c)) === rcOf(c.old, dIdx(c)) - 1n),
      (c) => ({ 'old rc': rcOf(c.old, dIdx(c)), 'final rc': rcOf(c.final, dIdx(c)) }),
    ),
    drEns('obligations', 'drop_ensures: s1.frame_obligations =~= s0.frame_obligations.remove(obl_key)', (c) =>
      ledgerRedeemed(c.old, c.final, c.args.obl),
    ),
    drEns(
      'last_iff_one',
      'the drop released the last reference iff the old count was 1 (fetch_sub returned 1)',
      (c) => c.result.last === (rcOf(c.old, dIdx(c)) === 1n),
      (c) => ({ last: c.result.last, 'old rc': rcOf(c.old, dIdx(c)) }),
      'upstream',
    ),
    drEns(
      'last_through_zero',
      'last reference: the count goes 1 → 0 (fetch_sub), the metadata is dropped, then REF_COUNT_UNUSED is published',
      (c) => implies(c.result.last, () => ghostEq(c.result.rcWrites, [0n, c.p.refCountUnused])),
      (c) => ({ rcWrites: c.result.rcWrites }),
      'upstream',
    ),
    drEns(
      'last_dealloc',
      'last reference: get_global_frame_allocator().dealloc(paddr, PAGE_SIZE) after drop_last_in_place; otherwise no deallocation (vostd: "TODO: return page to allocator")',
      (c) => ghostEq(c.result.dealloc, c.result.last ? [paddrOf(c.args.frame)] : []),
      (c) => ({ dealloc: c.result.dealloc, last: c.result.last, paddr: paddrOf(c.args.frame) }),
      'upstream',
    ),
  ],
  next: (c) => {
    const i = dIdx(c);
    const o = slotOwner(c.old, i);
    const ledger = c.old.frameObligations.redeem(c.args.obl);
    if (rc(o) === 1n) {
      const r = withSlotOwner(c.old, i, tornDown(o, c.p.refCountUnused));
      return ret(withLedger(r, ledger), {
        last: true,
        rcWrites: [0n, c.p.refCountUnused],
        dealloc: [paddrOf(c.args.frame)],
      });
    }
    const v = (rc(o) - 1n) & c.p.wordMax;
    const r = withSlotOwner(c.old, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, v) }));
    return ret(withLedger(r, ledger), { last: false, rcWrites: [v], dealloc: [] });
  },
  footprint: (a) => [indexOf(a.frame)],
});

// Frame::into_raw ------------------------------------------------------------------------------------

type IrPre = PreCtx<MetaRegionOwners, FrameArgs>;
type IrPost = PostCtx<MetaRegionOwners, FrameArgs, Paddr>;
const irReq = clauseMaker<IrPre>('Frame::into_raw', 'requires');
const irEns = clauseMaker<IrPost>('Frame::into_raw', 'ensures');

/** `Frame::into_raw(self) -> Paddr`: forgets the handle (its reference stays counted) and redeems its obligation. */
export const frameIntoRaw: OpSpec<MetaRegionOwners, FrameArgs, Paddr> = Object.freeze({
  name: 'Frame::into_raw',
  rust: 'Frame::into_raw',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    irReq('regions_inv', 'old(regions).inv()', (c) => regionInv(c.old, fSafe(c))),
    irReq('slots_contain', 'old(regions).slots.contains_key(self.index())', (c) => slotsContain(c.old, fIdx(c))),
    irReq('frame_inv', 'self.inv()', (c) => frameInv(c.args.frame, c.p)),
    irReq(
      'rc_not_unused',
      'old(regions).slot_owners[self.index()].inner_perms.ref_count.value() != REF_COUNT_UNUSED',
      (c) => rcOf(c.old, fIdx(c)) !== c.p.refCountUnused,
    ),
    irReq(
      'not_page_table',
      'old(regions).slot_owners[self.index()].usage != PageUsage::PageTable',
      (c) => slotOwner(c.old, fIdx(c)).usage !== 'PageTable',
    ),
    irReq(
      'obligation',
      'old(regions).frame_obligations.count(self.index()) > 0',
      (c) => c.old.frameObligations.count(fIdx(c)) > 0,
    ),
  ],
  mayPanic: neverPanics<IrPre>('Frame::into_raw'),
  ensures: [
    irEns('regions_inv', 'final(regions).inv()', (c) => regionInv(c.final, fSafe(c))),
    irEns(
      'result',
      'r == self.paddr()',
      (c) => c.result === paddrOf(c.args.frame),
      (c) => ({ r: c.result, 'self.paddr()': paddrOf(c.args.frame) }),
    ),
    irEns(
      'usage',
      'final(regions).slot_owners[self.index()].usage == old(regions).slot_owners[self.index()].usage',
      (c) => {
        const [a, b] = ownersAt(c.old, c.final, fIdx(c));
        return a.usage === b.usage;
      },
    ),
    irEns(
      'noninterference',
      'self.into_raw_post_noninterference(*old(regions), *final(regions)) (other slots and owners unchanged, owner domain unchanged)',
      (c) => othersUnchanged(c.old, c.final, fIdx(c)) && slotsChanged(c.old, c.final).every((k) => k === fIdx(c)),
    ),
    irEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
    irEns(
      'obligations',
      'final(regions).frame_obligations =~= old(regions).frame_obligations.remove(self.index())',
      (c) => ledgerRedeemed(c.old, c.final, fIdx(c)),
    ),
    irEns(
      'own_owner_unchanged',
      'the slot owner is unchanged: the forgotten reference keeps its count (vostd never states it)',
      (c) => ownerEq(slotOwner(c.old, fIdx(c)), slotOwner(c.final, fIdx(c))),
      (c) => ({ owners: ownersAt(c.old, c.final, fIdx(c)) }),
      'upstream',
    ),
  ],
  next: (c) => ret(withLedger(c.old, c.old.frameObligations.redeem(fIdx(c))), paddrOf(c.args.frame)),
  footprint: (a) => [indexOf(a.frame)],
});

// Frame::from_raw ------------------------------------------------------------------------------------

/** What `Frame::from_raw` returns: the handle and its tracked `DropObligation` (its value). */
export type FromRawResult = Readonly<{ frame: FrameValue; obl: FrameIndex }>;
type FrPre = PreCtx<MetaRegionOwners, PaddrArgs>;
type FrPost = PostCtx<MetaRegionOwners, PaddrArgs, FromRawResult>;
const frReq = clauseMaker<FrPre>('Frame::from_raw', 'requires');
const frEns = clauseMaker<FrPost>('Frame::from_raw', 'ensures');
const okIdx = (c: { args: PaddrArgs }) => (ownersContain(pIdx(c)) ? [pIdx(c)] : []);

/** `Frame::from_raw(paddr)` (`unsafe`): a handle for a forgotten reference, with one minted obligation. */
export const frameFromRaw: OpSpec<MetaRegionOwners, PaddrArgs, FromRawResult> = Object.freeze({
  name: 'Frame::from_raw',
  rust: 'Frame::from_raw',
  source: 'ostd/src/mm/frame/mod.rs',
  requires: [
    frReq('owners_contain', 'from_raw_requires_safety: regions.slot_owners.contains_key(frame_to_index(paddr))', (c) =>
      ownersContain(pIdx(c)),
    ),
    frReq(
      'self_addr',
      'from_raw_requires_safety: regions.slot_owners[frame_to_index(paddr)].self_addr == frame_to_meta(paddr)',
      (c) => ownersContain(pIdx(c)) && slotOwner(c.old, pIdx(c)).selfAddr === frameToMeta(c.args.paddr),
    ),
    frReq('safe_slot', 'from_raw_requires_safety: has_safe_slot(paddr)', (c) =>
      hasSafeSlot(c.args.paddr, c.p.maxPaddr),
    ),
    frReq('regions_inv', 'from_raw_requires_safety: regions.inv()', (c) => regionInv(c.old, okIdx(c))),
    frReq(
      'rc_not_unused',
      'from_raw_requires_safety: regions.slot_owners[frame_to_index(paddr)].inner_perms.ref_count.value() != REF_COUNT_UNUSED',
      (c) => rcOf(c.old, pIdx(c)) !== c.p.refCountUnused,
    ),
    frReq('slots_contain', 'old(regions).slots.contains_key(frame_to_index(paddr))', (c) =>
      slotsContain(c.old, pIdx(c)),
    ),
    frReq(
      'alive',
      'old(regions).slot_owners[frame_to_index(paddr)].inner_perms.ref_count.value() != REF_COUNT_UNUSED',
      (c) => rcOf(c.old, pIdx(c)) !== c.p.refCountUnused,
    ),
    frReq(
      'forgotten_reference',
      '# Safety: restore only a Frame previously forgotten with into_raw, and only once — some counted reference is held by no live handle: ref_count > frame_obligations.count(idx)',
      (c) => {
        const v = rcOf(c.old, pIdx(c));
        return (
          v !== c.p.refCountUnused && v !== c.p.refCountUnique && v > BigInt(c.old.frameObligations.count(pIdx(c)))
        );
      },
      (c) => ({ rc: rcOf(c.old, pIdx(c)), 'frame_obligations.count(idx)': c.old.frameObligations.count(pIdx(c)) }),
      'upstream',
    ),
  ],
  mayPanic: neverPanics<FrPre>('Frame::from_raw'),
  ensures: [
    frEns('regions_inv', 'from_raw_ensures: new_regions.inv()', (c) => regionInv(c.final, okIdx(c))),
    frEns('slots_contain', 'from_raw_ensures: new_regions.slots.contains_key(frame_to_index(paddr))', (c) =>
      slotsContain(c.final, pIdx(c)),
    ),
    frEns(
      'owner_unchanged',
      'from_raw_ensures: new_regions.slot_owners[frame_to_index(paddr)] =~= old_regions.slot_owners[frame_to_index(paddr)]',
      (c) => ownerEq(slotOwner(c.old, pIdx(c)), slotOwner(c.final, pIdx(c))),
    ),
    frEns(
      'self_addr',
      'from_raw_ensures: new_regions.slot_owners[frame_to_index(paddr)].self_addr == r.ptr.addr()',
      (c) => slotOwner(c.final, pIdx(c)).selfAddr === c.result.frame.ptr,
    ),
    frEns(
      'others_unchanged',
      'from_raw_ensures: forall|i| i != frame_to_index(paddr) ==> new_regions.slot_owners[i] == old_regions.slot_owners[i]',
      (c) => othersUnchanged(c.old, c.final, pIdx(c)),
    ),
    frEns(
      'others_slots',
      'from_raw_ensures: forall|i| i != frame_to_index(paddr) ==> new_regions.slots.contains_key(i) == old_regions.slots.contains_key(i)',
      (c) =>
        slotsChanged(c.old, c.final).every((k) => k === pIdx(c) || slotsContain(c.old, k) === slotsContain(c.final, k)),
    ),
    frEns(
      'ptr',
      'from_raw_ensures: r.ptr.addr() == frame_to_meta(paddr)',
      (c) => c.result.frame.ptr === frameToMeta(c.args.paddr),
    ),
    frEns('paddr', 'from_raw_ensures: r.paddr() == paddr', (c) => paddrOf(c.result.frame) === c.args.paddr),
    frEns('frame_inv', 'from_raw_ensures: r.inv()', (c) => frameInv(c.result.frame, c.p)),
    frEns(
      'obligations',
      'from_raw_ensures: new_regions.frame_obligations =~= old_regions.frame_obligations.insert(frame_to_index(paddr))',
      (c) => ledgerMinted(c.old, c.final, pIdx(c)),
    ),
    frEns('slots_unchanged', 'final(regions).slots == old(regions).slots', (c) => slotsUnchanged(c.old, c.final)),
  ],
  next: (c) =>
    ret(withLedger(c.old, c.old.frameObligations.mint(pIdx(c))), { frame: frameAt(c.args.paddr), obl: pIdx(c) }),
  footprint: (a) => [frameToIndex(a.paddr)],
});

/** Every `Frame` op spec, in source order. */
/** The `Frame` ensures whose both sides the checked layer builds from one value, and why. */
export const FRAME_NOTES: readonly ClauseNote[] = [
  note(
    'Frame::clone.ensures.res_eq_self',
    'res == *self',
    "the port's `clone` takes a slot and returns nothing: the checked layer builds the result's `ptr` from the handle's slot, as Rust's `Self { ptr: self.ptr }` does",
  ),
  note(
    'Frame::from_raw.ensures.obl_value',
    'obl@.value() == frame_to_index(paddr)',
    'the obligation handed back is `frame_to_index(paddr)` of the argument, made by the checked layer (proof code the port has no body for)',
  ),
];

export const FRAME_OPS = [frameFromUnused, frameFromInUse, frameClone, frameDrop, frameIntoRaw, frameFromRaw] as const;
