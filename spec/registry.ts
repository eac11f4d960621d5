/**
 * Every mirrored clause, with where its predicate lives: the table `framecheck clauses` prints.
 */
import { clausesOf, type Clause, type ClauseNote, type OpSpec } from './Op.ts';
import { getFromInUse, getFromInUseLoop, getFromUnused, getSlot } from './meta/MetaSlot.ts';
import { asMetaPtr, dropLastInPlace, dropMetaInPlace, framePaddr, incRefCount, writeMeta } from './meta/MetaSlotOps.ts';
import { META_SLOT_OWNER_INV, META_SLOT_OWNER_NOTES, META_SLOT_WF } from './meta/MetaSlotOwner.ts';
import { MAPPING_OPS } from './meta/MappingOps.ts';
import { onDropSpec } from './meta/OnDrop.ts';
import { META_REGION_INV, META_REGION_NOTES } from './meta/MetaRegionOwners.ts';
import { ACCOUNTING_INV } from './frame/accounting.ts';
import { CURSOR_NOTES, CURSOR_OPS } from './frame/CursorMut.ts';
import { FRAME_NOTES, FRAME_OPS } from './frame/Frame.ts';
import { LINKED_LIST_OPS } from './frame/LinkedList.ts';
import { LIST_DROP_NOTES, listDrop } from './frame/LinkedListDrop.ts';
import { SEGMENT_NOTES, SEGMENT_OPS } from './frame/Segment.ts';
import { FRAME_ALLOC_OPTIONS_OPS } from './alloc/FrameAllocOptions.ts';
import { addFreeMemorySpec, allocSpec, deallocSpec } from './alloc/GlobalFrameAllocator.ts';
import { UNIQUE_FRAME_NOTES, UNIQUE_FRAME_OPS } from './frame/UniqueFrame.ts';

export type ClauseKind = 'requires' | 'ensures' | 'returns' | 'may_panic' | 'inv' | 'refinement';

export type ClauseRow = Readonly<{
  op: string;
  kind: ClauseKind;
  name: string;
  verus: string;
  origin: string;
  file: string;
}>;

type AnySpec = OpSpec<never, never, never>;
const OPS: readonly [AnySpec, string][] = [
  [getSlot as unknown as AnySpec, 'spec/meta/MetaSlot.ts'],
  [getFromUnused as unknown as AnySpec, 'spec/meta/MetaSlot.ts'],
  [getFromInUseLoop as unknown as AnySpec, 'spec/meta/MetaSlot.ts'],
  [getFromInUse as unknown as AnySpec, 'spec/meta/MetaSlot.ts'],
  [incRefCount as unknown as AnySpec, 'spec/meta/MetaSlotOps.ts'],
  [framePaddr as unknown as AnySpec, 'spec/meta/MetaSlotOps.ts'],
  [asMetaPtr as unknown as AnySpec, 'spec/meta/MetaSlotOps.ts'],
  [writeMeta as unknown as AnySpec, 'spec/meta/MetaSlotOps.ts'],
  [dropLastInPlace as unknown as AnySpec, 'spec/meta/MetaSlotOps.ts'],
  [dropMetaInPlace as unknown as AnySpec, 'spec/meta/MetaSlotOps.ts'],
  ...MAPPING_OPS.map((s) => [s as unknown as AnySpec, 'spec/meta/MappingOps.ts'] as [AnySpec, string]),
  [onDropSpec as unknown as AnySpec, 'spec/meta/OnDrop.ts'],
];

/** The frame-handle and frame-list op specs; their laws are in `spec/frame/laws.test.ts`. */
const FRAME_HANDLE_OPS: readonly [AnySpec, string][] = [
  ...FRAME_OPS.map((s) => [s as unknown as AnySpec, 'spec/frame/Frame.ts'] as [AnySpec, string]),
  ...UNIQUE_FRAME_OPS.map((s) => [s as unknown as AnySpec, 'spec/frame/UniqueFrame.ts'] as [AnySpec, string]),
  ...LINKED_LIST_OPS.map((s) => [s as unknown as AnySpec, 'spec/frame/LinkedList.ts'] as [AnySpec, string]),
  ...CURSOR_OPS.map((s) => [s as unknown as AnySpec, 'spec/frame/CursorMut.ts'] as [AnySpec, string]),
  [listDrop as unknown as AnySpec, 'spec/frame/LinkedListDrop.ts'],
];

/** The `Segment` op specs; their laws are in `spec/frame/Segment.laws.test.ts`. */
const SEGMENT_HANDLE_OPS: readonly [AnySpec, string][] = SEGMENT_OPS.map(
  (s) => [s as unknown as AnySpec, 'spec/frame/Segment.ts'] as [AnySpec, string],
);

/** The allocator op specs: `GlobalFrameAllocator`'s rules and `FrameAllocOptions`. */
const ALLOC_OPS: readonly [AnySpec, string][] = [
  ...[allocSpec, deallocSpec, addFreeMemorySpec].map(
    (s) => [s as unknown as AnySpec, 'spec/alloc/GlobalFrameAllocator.ts'] as [AnySpec, string],
  ),
  ...FRAME_ALLOC_OPTIONS_OPS.map(
    (s) => [s as unknown as AnySpec, 'spec/alloc/FrameAllocOptions.ts'] as [AnySpec, string],
  ),
];

const INVS: readonly [string, readonly Clause<never>[], string][] = [
  ['MetaSlotOwner::inv', META_SLOT_OWNER_INV as readonly Clause<never>[], 'spec/meta/MetaSlotOwner.ts'],
  ['MetaSlot::wf', META_SLOT_WF as readonly Clause<never>[], 'spec/meta/MetaSlotOwner.ts'],
  ['MetaRegionOwners::inv', META_REGION_INV as readonly Clause<never>[], 'spec/meta/MetaRegionOwners.ts'],
  ['accounting_inv', ACCOUNTING_INV as readonly Clause<never>[], 'spec/frame/accounting.ts'],
];

/** The kind of a clause, from its name `<op>.<kind>.<name>`. */
function kindOf(name: string): ClauseKind {
  const k = name.split('.')[1];
  return k === 'requires' || k === 'ensures' || k === 'returns' || k === 'may_panic' ? k : 'inv';
}

/** Every op spec the registry knows. */
export function registeredOps(): readonly AnySpec[] {
  return OPS.map(([s]) => s);
}

/** Every frame-handle and frame-list op spec the registry knows (`Frame`, `UniqueFrame`, `LinkedList`, `CursorMut`). */
export function registeredFrameOps(): readonly AnySpec[] {
  return FRAME_HANDLE_OPS.map(([s]) => s);
}

/** Every `Segment` op spec the registry knows. */
export function registeredSegmentOps(): readonly AnySpec[] {
  return SEGMENT_HANDLE_OPS.map(([s]) => s);
}

/** Every allocator op spec the registry knows (`GlobalFrameAllocator`, `FrameAllocOptions`). */
export function registeredAllocOps(): readonly AnySpec[] {
  return ALLOC_OPS.map(([s]) => s);
}

/** Every checked clause object (op clauses and invariant conjuncts), in `clauseTable()`'s order. */
export function registeredClauses(): readonly Clause<never>[] {
  const ops = [...OPS, ...FRAME_HANDLE_OPS, ...SEGMENT_HANDLE_OPS, ...ALLOC_OPS].flatMap(([s]) =>
    clausesOf(s).filter((c) => !c.name.endsWith('.may_panic.never')),
  );
  return [...ops, ...INVS.flatMap(([, list]) => list)];
}

/** Every mirrored clause, in a stable order. `never` may_panic placeholders are left out. */
export function clauseTable(): ClauseRow[] {
  return rowsOf([...OPS, ...FRAME_HANDLE_OPS, ...SEGMENT_HANDLE_OPS, ...ALLOC_OPS], INVS);
}

/**
 * The table rows of some op specs (each clause, then the op's refinement row) and invariant conjunct
 * lists, in order; `never` may_panic placeholders are left out. Shared by every spec version's table.
 */
export function rowsOf(
  ops: readonly (readonly [OpSpec<never, never, never>, string])[],
  invs: readonly (readonly [string, readonly Clause<never>[], string])[],
): ClauseRow[] {
  const rows: ClauseRow[] = [];
  for (const [spec, file] of ops) {
    for (const c of clausesOf(spec)) {
      if (c.name.endsWith('.may_panic.never')) continue;
      rows.push({
        op: spec.name,
        kind: kindOf(c.name),
        name: c.name,
        verus: c.verus,
        origin: c.origin ?? 'vostd',
        file,
      });
    }
    rows.push({
      op: spec.name,
      kind: 'refinement',
      name: `${spec.name}.refinement`,
      verus: '(framecheck) final == next(old, args)',
      origin: 'framecheck',
      file,
    });
  }
  for (const [op, list, file] of invs)
    for (const c of list)
      rows.push({ op, kind: 'inv', name: c.name, verus: c.verus, origin: c.origin ?? 'vostd', file });
  return rows;
}

/** A note of the clause table: a Verus conjunct that cannot fail in this representation, with where it lives. */
export type NoteRow = ClauseNote & Readonly<{ file: string }>;

const NOTES: readonly [readonly ClauseNote[], string][] = [
  [META_SLOT_OWNER_NOTES, 'spec/meta/MetaSlotOwner.ts'],
  [META_REGION_NOTES, 'spec/meta/MetaRegionOwners.ts'],
  [FRAME_NOTES, 'spec/frame/Frame.ts'],
  [UNIQUE_FRAME_NOTES, 'spec/frame/UniqueFrame.ts'],
  [SEGMENT_NOTES, 'spec/frame/Segment.ts'],
  [CURSOR_NOTES, 'spec/frame/CursorMut.ts'],
  [LIST_DROP_NOTES, 'spec/frame/LinkedListDrop.ts'],
];

/** The Verus conjuncts kept as notes, not checked: each says why it cannot fail in the TypeScript representation. */
export function noteTable(): NoteRow[] {
  return NOTES.flatMap(([list, file]) => list.map((n) => ({ ...n, file })));
}
