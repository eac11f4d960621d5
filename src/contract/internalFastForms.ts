/**
 * The fast forms of the implementation's internal calls (see `fastPath.ts` and `internalCalls.ts`):
 * `mapping::frame_to_meta`, `mapping::meta_to_frame` and `MetaSlot::addr_of`, each clause of the seed
 * table as a predicate over plain numbers — the implementation's byte offsets into
 * `FRAME_METADATA_RANGE`, never converted to a `Vaddr` bigint — so a call whose clauses hold allocates
 * nothing. A predicate answers `true` only when the clause holds on the values the full check would
 * compute (`res = FRAME_METADATA_RANGE.start + out`); anything else (an argument outside the safe
 * integers, a permission the memo does not know) answers `false`, and the checker then evaluates the
 * clause table itself and reports.
 */
import { addrOfSpec, frameToMetaSpec, metaToFrameSpec } from '../../spec/meta/MappingOps.ts';
import type { SlotPerm } from '../../spec/meta/MetaRegionOwners.ts';
import { slotIds } from '../../spec/meta/MetaSlotOwner.ts';
import { onDropSpec } from '../../spec/meta/OnDrop.ts';
import { ghostEq } from '../../spec/meta/perms.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import type { OpSpec } from '../../spec/Op.ts';
import { specialize, type FastCheck, type FastForm } from './fastPath.ts';

/**
 * One internal call as its fast form reads it: the argument and the result in number form (a paddr,
 * a metadata offset or a slot index), and for `addr_of` what the memo knows of the slot's permission.
 * Filled in place, one record per region.
 */
export type PureFootprint = {
  /** `paddr` (frame_to_meta), the metadata offset of `vaddr` (meta_to_frame) or the slot (addr_of). */
  arg: number;
  /** What the implementation returned: an offset (frame_to_meta, addr_of) or a paddr (meta_to_frame). */
  out: number;
  /** addr_of: `perm.value() == self` (the permission is initialized with the slot's ids). */
  permValue: boolean;
  /** addr_of: `perm.addr()` as an offset of the range, or NaN when it is not a safe one. */
  permOff: number;
};

/** A fresh record (one per region, reused by every internal call). */
export function newPureFootprint(): PureFootprint {
  return { arg: 0, out: 0, permValue: false, permOff: NaN };
}

/** The size of `FRAME_METADATA_RANGE`, in bytes (a safe integer). */
const RANGE_BYTES = Number(FRAME_METADATA_RANGE.end - FRAME_METADATA_RANGE.start);
/** `spec`'s fast form over a `PureFootprint`. */
function pure<S, A, R>(spec: OpSpec<S, A, R>, form: FastForm<PureFootprint>): FastCheck<PureFootprint> | undefined {
  return specialize(spec, form);
}

const safe = (x: number) => Number.isSafeInteger(x) && x >= 0;

/**
 * `frame_to_meta(paddr)`: `res == start + (paddr / PAGE_SIZE) * META_SLOT_SIZE` is `out` equal to that
 * offset (Verus's and BigInt's `/` truncate), exact on safe integers; `res % META_SLOT_SIZE == 0` is
 * `out % 64 == 0` (`start` is aligned).
 */
export function frameToMetaFast(p: ModelParams): FastCheck<PureFootprint> | undefined {
  const spec = (f: PureFootprint) =>
    Number.isSafeInteger(f.arg) &&
    Number.isSafeInteger(f.out) &&
    f.out === Math.trunc(f.arg / PAGE_SIZE) * META_SLOT_SIZE;
  return pure(frameToMetaSpec, {
    clauses: {
      'frame_to_meta.requires.aligned': (f) => Number.isSafeInteger(f.arg) && f.arg % PAGE_SIZE === 0,
      'frame_to_meta.requires.below_max': (f) => Number.isSafeInteger(f.arg) && f.arg < p.maxPaddr,
      'frame_to_meta.ensures.spec': spec,
      'frame_to_meta.ensures.aligned': (f) => Number.isSafeInteger(f.out) && f.out % META_SLOT_SIZE === 0,
    },
    refinement: spec,
  });
}

/**
 * `meta_to_frame(vaddr)` with `vaddr = start + arg`: in range is `0 <= arg < |range|`, aligned is
 * `arg % 64 == 0`; `res == (arg / META_SLOT_SIZE) * PAGE_SIZE` (truncating, exact for `|arg|` within
 * the range's size) and `res % PAGE_SIZE == 0`.
 */
export function metaToFrameFast(): FastCheck<PureFootprint> | undefined {
  const spec = (f: PureFootprint) =>
    Math.abs(f.arg) <= RANGE_BYTES &&
    Number.isSafeInteger(f.arg) &&
    f.out === Math.trunc(f.arg / META_SLOT_SIZE) * PAGE_SIZE;
  return pure(metaToFrameSpec, {
    clauses: {
      'meta_to_frame.requires.in_range': (f) => safe(f.arg) && f.arg < RANGE_BYTES,
      'meta_to_frame.requires.aligned': (f) => Number.isSafeInteger(f.arg) && f.arg % META_SLOT_SIZE === 0,
      'meta_to_frame.ensures.spec': spec,
      'meta_to_frame.ensures.aligned': (f) => Number.isSafeInteger(f.out) && f.out % PAGE_SIZE === 0,
    },
    refinement: spec,
  });
}

/** `addr_of(&self)`: `self == perm.value()` from the memo, and the result is `perm.addr()` (as an offset). */
export function addrOfFast(): FastCheck<PureFootprint> | undefined {
  const ret = (f: PureFootprint) => safe(f.out) && f.out === f.permOff;
  return pure(addrOfSpec, {
    clauses: {
      'addr_of.requires.perm_value': (f) => f.permValue,
      'addr_of.returns.perm_addr': ret,
    },
    refinement: ret,
  });
}

/**
 * What `addr_of`'s fast form needs of a slot permission, memoized by the permission's identity
 * (permissions are frozen values): the slot whose ids its value is (-1 when none, or uninitialized)
 * and its address as an offset of the range (NaN when not a safe one).
 */
export class PermMemo {
  private readonly memo = new WeakMap<SlotPerm, { slot: number; off: number }>();

  /** Fills `f.permValue` and `f.permOff` for `perm` as the permission of slot `f.arg`. */
  read(perm: SlotPerm, f: PureFootprint): void {
    let m = this.memo.get(perm);
    if (m === undefined) {
      const v = perm.contents.init ? perm.contents.value : undefined;
      const off = perm.addr - FRAME_METADATA_RANGE.start;
      const slot = v === undefined ? -1 : Number((v.refCountId - 1) / 4);
      m = {
        slot: Number.isSafeInteger(slot) && slot >= 0 && ghostEq(v, slotIds(slot)) ? slot : -1,
        off: off >= 0n && off <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(off) : NaN,
      };
      this.memo.set(perm, m);
    }
    f.permValue = m.slot >= 0 && m.slot === f.arg;
    f.permOff = m.off;
  }
}

/**
 * One `on_drop` call as its fast form reads it (filled in place, one record per region): the reader's
 * numbers (`paddr`, `len`, `cursor`, `end`, physical addresses: the ghost's virtual ones are
 * `LINEAR_MAPPING_BASE_VADDR` more), the owner's range start as a physical address (its end is
 * `paddr + len`, its id the reader's, its view the linear mapping of `[0, maxPaddr)`: what the reader's
 * creation gives), `regions.inv()` at the slot and whether the type keeps the trait's `on_drop_pre`.
 * Before the call the fields hold `old`'s values, after it `final`'s.
 */
export type OnDropFootprint = {
  paddr: number;
  len: number;
  cursor: number;
  end: number;
  ownerStart: number;
  /** `regions.inv()` at the slot (after the call: the body wrote nothing, so the region is the same). */
  regionsInv: boolean;
  /** The metadata type has no `on_drop_pre` of its own (the trait's default, `true`). */
  defaultPre: boolean;
};

/** A fresh record (one per region, reused by every `on_drop`). */
export function newOnDropFootprint(): OnDropFootprint {
  return { paddr: 0, len: 0, cursor: 0, end: 0, ownerStart: 0, regionsInv: false, defaultPre: false };
}

/**
 * `on_drop`'s nine clauses on the reader's numbers, exact on safe integers (every comparison of
 * `LINEAR_MAPPING_BASE_VADDR + x` bigints is the comparison of the `x`):
 * - `reader.inv()`: cursor and end share the range `[paddr, paddr + len)`, each `VirtPtr` lies in it
 *   (`paddr <= v <= paddr + len`, which also orders the range) and `cursor <= end`;
 * - `vm_io_owner.inv()`: the range `[ownerStart, paddr + len)` ordered, and the one mapping (disjoint
 *   from itself) covers it: empty, or `0 <= ownerStart` and `paddr + len <= maxPaddr`;
 * - `reader.wf(owner)`: the owner's `inv` (its read view's cover is the same), its range
 *   `[cursor, end)`, its id the reader's (both are the drop's ghost id);
 * - `on_drop_pre`: the trait's default; a type with its own goes to the full check.
 */
export function onDropFast(p: ModelParams): FastCheck<OnDropFootprint> | undefined {
  const ints = (f: OnDropFootprint) =>
    Number.isSafeInteger(f.paddr) &&
    Number.isSafeInteger(f.len) &&
    Number.isSafeInteger(f.cursor) &&
    Number.isSafeInteger(f.end) &&
    Number.isSafeInteger(f.ownerStart) &&
    Number.isSafeInteger(f.paddr + f.len);
  const readerInv = (f: OnDropFootprint) => {
    const hi = f.paddr + f.len;
    return ints(f) && f.paddr <= f.cursor && f.cursor <= hi && f.paddr <= f.end && f.end <= hi && f.cursor <= f.end;
  };
  const ownerInv = (f: OnDropFootprint) => {
    const hi = f.paddr + f.len;
    return ints(f) && f.ownerStart <= hi && (f.ownerStart === hi || (f.ownerStart >= 0 && hi <= p.maxPaddr));
  };
  const wf = (f: OnDropFootprint) => ownerInv(f) && f.ownerStart === f.cursor && f.paddr + f.len === f.end;
  const regionsInv = (f: OnDropFootprint) => f.regionsInv;
  const clauses = {
    'on_drop.requires.regions_inv': regionsInv,
    'on_drop.requires.reader_inv': readerInv,
    'on_drop.requires.vm_io_owner_inv': ownerInv,
    'on_drop.requires.reader_wf': wf,
    'on_drop.requires.on_drop_pre': (f: OnDropFootprint) => f.defaultPre,
    'on_drop.ensures.regions_inv': regionsInv,
    'on_drop.ensures.reader_inv': readerInv,
    'on_drop.ensures.vm_io_owner_inv': ownerInv,
    'on_drop.ensures.reader_wf': wf,
  };
  // The trait's body changes nothing, and a type's own body refines it when it meets the ensures.
  const refinement = (f: OnDropFootprint) => regionsInv(f) && readerInv(f) && wf(f);
  return specialize(onDropSpec, { clauses, refinement });
}
