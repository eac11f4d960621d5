/**
 * `AnyFrameMeta::on_drop` and the reader it gets: the ghost `VmReader` (`ghost_id`, `cursor`, `end`, two
 * `VirtPtr`s over one range), its `VmIoOwner` (the range, a memory view), their `inv`/`wf`, and the
 * trait method's five `requires` and four `ensures`, with the seed's binder names (`_reader`,
 * `_regions`, `_vm_io_owner`).
 *
 * `on_drop_pre` is per metadata type (the trait's default is `true`); a type names its own with
 * `ON_DROP_PRE` (the page-table node's, partly mirrored, is there).
 *
 * @see vostd (seed era) `ostd/src/mm/frame/meta.rs` (`trait AnyFrameMeta`), `ostd/specs/mm/io.rs`
 *   (`VmIoOwner`, `impl Inv for VmIoOwner`, `VmReader::wf`, `impl Inv for VmReader`),
 *   `ostd/specs/mm/virt_mem.rs` (`VirtPtr::inv`), `ostd/src/mm/page_table/node/mod.rs` (`on_drop_pre`)
 */
import type { OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import { PAGE_SIZE, type FrameIndex, type Paddr, type Vaddr } from '../vocab.ts';
import { clauseMaker } from './clause.ts';
import { explicitIndices, type MetaRegionOwners } from './MetaRegionOwners.ts';
import type { MetaSlotStorage } from './MetaSlotOwner.ts';
import { regionInvAt } from './MetaSlot.ts';

/** `Range<Vaddr>`. */
export type VRange = Readonly<{ start: Vaddr; end: Vaddr }>;

/** `VirtPtr { vaddr, range: Ghost<Range<Vaddr>> }`. */
export type VirtPtr = Readonly<{ vaddr: Vaddr; range: VRange }>;

/** The exec `VmReader<'_, Infallible>` as the ghost sees it. */
export type VmReaderView = Readonly<{ ghostId: number; cursor: VirtPtr; end: VirtPtr }>;

/** One mapping of a `MemView`: `[va.start, va.end)` translated to physical addresses from `pa`. */
export type Mapping = Readonly<{ va: VRange; pa: Paddr }>;

/** `VmIoMemView`: a read or a write view over some mappings (a `MemView`). */
export type VmIoMemView = Readonly<{ kind: 'ReadView' | 'WriteView'; mappings: readonly Mapping[] }>;

/** `VmIoOwner { id, range, is_fallible, is_kernel, mem_view }`. */
export type VmIoOwner = Readonly<{
  id: number;
  range: VRange;
  isFallible: boolean;
  isKernel: boolean;
  memView: VmIoMemView | undefined;
}>;

/** `VirtPtr::inv`: `range.start <= vaddr <= range.end && range.end >= range.start`. */
export function virtPtrInv(p: VirtPtr): boolean {
  return p.range.start <= p.vaddr && p.vaddr <= p.range.end && p.range.end >= p.range.start;
}

/** `MemView::mappings_are_disjoint()`: no two mappings' virtual ranges overlap. */
export function mappingsAreDisjoint(ms: readonly Mapping[]): boolean {
  const sorted = [...ms].sort((a, b) => (a.va.start < b.va.start ? -1 : a.va.start > b.va.start ? 1 : 0));
  return sorted.every((m, k) => k === 0 || sorted[k - 1]!.va.end <= m.va.start);
}

/** `forall|va| range.start <= va < range.end ==> mv.addr_transl(va) is Some`: the mappings cover the range. */
export function covers(ms: readonly Mapping[], range: VRange): boolean {
  let at = range.start;
  const sorted = [...ms].filter((m) => m.va.start < m.va.end).sort((a, b) => (a.va.start < b.va.start ? -1 : 1));
  for (const m of sorted) {
    if (at >= range.end) break;
    if (m.va.start > at) return false;
    if (m.va.end > at) at = m.va.end;
  }
  return at >= range.end;
}

/**
 * `VmIoOwner::inv()`: `inv_wf()` (the range is ordered) and, with a memory view, its mappings disjoint and
 * covering the range. The view's `mappings.finite()` holds of any array, so it is not evaluated.
 */
export function vmIoOwnerInv(o: VmIoOwner): boolean {
  return (
    o.range.start <= o.range.end &&
    (o.memView === undefined || (mappingsAreDisjoint(o.memView.mappings) && covers(o.memView.mappings, o.range)))
  );
}

/** `VmReader::inv()`: `inv_wf()` (cursor and end share one ghost range), both `VirtPtr`s' `inv`, `cursor <= end`. */
export function vmReaderInv(r: VmReaderView): boolean {
  return (
    r.cursor.range.start === r.end.range.start &&
    r.cursor.range.end === r.end.range.end &&
    virtPtrInv(r.cursor) &&
    virtPtrInv(r.end) &&
    r.cursor.vaddr <= r.end.vaddr
  );
}

/** `VmReader::wf(owner)`: the owner's `inv`, its range is `[cursor, end)`, its id the reader's, a read view covers the range. */
export function vmReaderWf(r: VmReaderView, o: VmIoOwner): boolean {
  return (
    vmIoOwnerInv(o) &&
    o.range.start === r.cursor.vaddr &&
    o.range.end === r.end.vaddr &&
    o.id === r.ghostId &&
    (o.memView?.kind !== 'ReadView' || covers(o.memView.mappings, o.range))
  );
}

/** `VmReader::remain_spec()`: `end.vaddr - cursor.vaddr`. */
export function remainSpec(r: VmReaderView): bigint {
  return r.end.vaddr - r.cursor.vaddr;
}

/** The tracked state of `on_drop`: `&mut self`, `&mut VmReader`, `&mut MetaRegionOwners`, `&mut VmIoOwner`. */
export type OnDropState = Readonly<{
  self: MetaSlotStorage;
  reader: VmReaderView;
  regions: MetaRegionOwners;
  vmIoOwner: VmIoOwner;
  /**
   * Where `regions.inv()` is evaluated: the indices the caller may have changed since the last checked
   * call (every other index was checked then); all explicit indices when left out.
   */
  invAt?: readonly FrameIndex[];
}>;

/** A metadata type's `on_drop_pre(&self, reader, regions, vm_io_owner)`. */
export type OnDropPre = (
  self: MetaSlotStorage,
  reader: VmReaderView,
  regions: MetaRegionOwners,
  vmIoOwner: VmIoOwner,
) => boolean;

/** `regions.inv()` on the indices `s.invAt` names. */
export function regionsInv(s: Pick<OnDropState, 'regions' | 'invAt'>): boolean {
  return regionInvAt(s.regions, s.invAt ?? explicitIndices(s.regions));
}

/**
 * The `on_drop_pre` overrides, by metadata type name; any other type has the trait's default (`true`).
 * `PageTablePageMeta`'s is mirrored in part: `reader.inv()`, `reader.wf(vm_io_owner)`,
 * `reader.remain_spec() >= PAGE_SIZE`, `reader.cursor.vaddr % align_of::<C::E>() == 0` (8-byte entries),
 * `vm_io_owner.inv()` and `regions.inv()`; `read_view_initialized`, `child_perms_embedding` and the
 * `walk_*` conjuncts speak of page-table state framecheck does not model. `Link<M>`'s delegates to `M`,
 * whose (a `u64` here) is the default.
 */
export const ON_DROP_PRE: Readonly<Record<string, OnDropPre>> = Object.freeze({
  PageTablePageMeta: (_self, reader, regions, owner) =>
    vmReaderInv(reader) &&
    vmReaderWf(reader, owner) &&
    remainSpec(reader) >= BigInt(PAGE_SIZE) &&
    reader.cursor.vaddr % 8n === 0n &&
    vmIoOwnerInv(owner) &&
    regionsInv({ regions }),
});

/** `self.on_drop_pre(reader, regions, vm_io_owner)` for the metadata type of `self`. */
export function onDropPre(s: OnDropState): boolean {
  const pre = ON_DROP_PRE[s.self.type];
  return pre === undefined || pre(s.self, s.reader, s.regions, s.vmIoOwner);
}

type Empty = Readonly<Record<string, never>>;
type Pre = PreCtx<OnDropState, Empty>;
type Post = PostCtx<OnDropState, Empty, undefined>;
const req = clauseMaker<Pre>('on_drop', 'requires');
const ens = clauseMaker<Post>('on_drop', 'ensures');
const readerValues = (r: VmReaderView, o: VmIoOwner) => ({
  'reader.cursor': r.cursor,
  'reader.end': r.end,
  'reader.ghost_id': r.ghostId,
  'vm_io_owner.id': o.id,
  'vm_io_owner.range': o.range,
});

/** The four `ensures` of `on_drop`. */
const ensures = [
  ens('regions_inv', 'final(_regions).inv()', (c) => regionsInv(c.final)),
  ens(
    'reader_inv',
    'final(_reader).inv()',
    (c) => vmReaderInv(c.final.reader),
    (c) => readerValues(c.final.reader, c.final.vmIoOwner),
  ),
  ens('vm_io_owner_inv', 'final(_vm_io_owner).inv()', (c) => vmIoOwnerInv(c.final.vmIoOwner)),
  ens(
    'reader_wf',
    'final(_reader).wf(*final(_vm_io_owner))',
    (c) => vmReaderWf(c.final.reader, c.final.vmIoOwner),
    (c) => readerValues(c.final.reader, c.final.vmIoOwner),
  ),
];

/**
 * `AnyFrameMeta::on_drop(&mut self, _reader, Tracked(_regions), Tracked(_vm_io_owner))`. The trait's
 * default body changes nothing; `next` is that body, and a type's own body (which may read through the
 * reader) refines it when it meets the ensures.
 */
export const onDropSpec: OpSpec<OnDropState, Empty, undefined> = Object.freeze({
  name: 'on_drop',
  rust: 'AnyFrameMeta::on_drop',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    req('regions_inv', 'old(_regions).inv()', (c) => regionsInv(c.old)),
    req(
      'reader_inv',
      'old(_reader).inv()',
      (c) => vmReaderInv(c.old.reader),
      (c) => readerValues(c.old.reader, c.old.vmIoOwner),
    ),
    req(
      'vm_io_owner_inv',
      'old(_vm_io_owner).inv()',
      (c) => vmIoOwnerInv(c.old.vmIoOwner),
      (c) => ({
        range: c.old.vmIoOwner.range,
        mem_view: c.old.vmIoOwner.memView,
      }),
    ),
    req(
      'reader_wf',
      'old(_reader).wf(*old(_vm_io_owner))',
      (c) => vmReaderWf(c.old.reader, c.old.vmIoOwner),
      (c) => readerValues(c.old.reader, c.old.vmIoOwner),
    ),
    req(
      'on_drop_pre',
      'old(self).on_drop_pre(*old(_reader), *old(_regions), *old(_vm_io_owner))',
      (c) => onDropPre(c.old),
      (c) => ({ type: c.old.self.type, 'reader.remain_spec()': remainSpec(c.old.reader) }),
    ),
  ],
  mayPanic: clauseMaker<Pre>('on_drop', 'may_panic')('never', '(no may_panic clause)', () => false),
  ensures,
  next: (c): Outcome<OnDropState, undefined> => Object.freeze({ kind: 'return', final: c.old, result: undefined }),
  // A type's own body is any body that meets the trait's contract: what the ensures allow, it allows.
  alsoAllows: (c) => ensures.every((e) => e.holds(c)),
  footprint: () => [],
});
