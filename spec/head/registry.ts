/**
 * The second clause table: vostd HEAD (b5b972861)'s frame-metadata contracts, and the clause diff
 * between the seed table and it.
 *
 * Scope: `ostd/src/mm/frame/meta.rs` and its owners (`meta_owners.rs`, `meta_region_owners.rs`,
 * `meta_specs.rs`, `mapping.rs`); the `Frame` handle, `FrameRef` and `inc_frame_ref_count` (`mod.rs`,
 * `frame_ref.rs`, `frame_specs.rs`); `UniqueFrame` and its conversions (`unique.rs`, `specs/mm/frame/unique.rs`);
 * the allocators (`allocator.rs`, whose HEAD text is the seed's: every allocator clause is upstream's
 * documented rule, the same table); `Segment` (`segment.rs`, `specs/mm/frame/segment.rs`); `LinkedList`
 * (`linked_list.rs`, `linked_list_owners.rs`) and its `CursorMut`; the embedding's list store
 * (`embedding/list_store.rs`: `ListStore::inv()`, an invariant row no op contract names). A diff compares the seed's rows of the layers HEAD mirrors
 * ({@link DIFFED_SEED_FILES}).
 */
import type { Clause, OpSpec } from '../Op.ts';
import { clauseTable, registeredAllocOps, rowsOf, type ClauseRow, type NoteRow } from '../registry.ts';
import { HEAD_UNIQUE_FRAME_NOTES, HEAD_UNIQUE_FRAME_OPS } from './UniqueFrame.ts';
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { HEAD_META_REGION_INV } from './MetaRegionOwners.ts';
import { HEAD_META_OPS } from './MetaSlot.ts';
import { HEAD_META_SLOT_OWNER_INV, HEAD_META_SLOT_WF } from './MetaSlotOwner.ts';
import { HEAD_FRAME_NOTES, HEAD_FRAME_OPS } from './Frame.ts';
import { HEAD_LINKED_LIST_NOTES, HEAD_LINKED_LIST_OPS, HEAD_LIST_DROP_NOTES } from './LinkedList.ts';
import { HEAD_CURSOR_NOTES, HEAD_CURSOR_OPS } from './CursorMut.ts';
import { HEAD_LIST_STORE_INV } from './ListStore.ts';
import { HEAD_SEGMENT_NOTES, HEAD_SEGMENT_OPS, HEAD_SEGMENT_RENAMES } from './Segment.ts';
import { REWORD_RENAMES } from './reword.ts';

export type { SpecVersion } from '../axioms/trustedBase.ts';

/** The vostd commit each spec version mirrors. */
export const SPEC_COMMITS: Readonly<Record<SpecVersion, string>> = { seed: '1bd29df43', head: 'b5b972861' };

/** The spec versions `--spec` accepts. */
export const SPEC_VERSIONS: readonly SpecVersion[] = ['seed', 'head'];

type AnySpec = OpSpec<never, never, never>;
const OPS: readonly (readonly [AnySpec, string])[] = [
  ...HEAD_META_OPS.map((s) => [s as unknown as AnySpec, 'spec/head/MetaSlot.ts'] as const),
  ...HEAD_FRAME_OPS.map((s) => [s as unknown as AnySpec, 'spec/head/Frame.ts'] as const),
  ...HEAD_UNIQUE_FRAME_OPS.map((s) => [s as unknown as AnySpec, 'spec/head/UniqueFrame.ts'] as const),
  ...HEAD_SEGMENT_OPS.map((s) => [s as unknown as AnySpec, 'spec/head/Segment.ts'] as const),
  ...HEAD_LINKED_LIST_OPS.map((s) => [s as unknown as AnySpec, 'spec/head/LinkedList.ts'] as const),
  ...HEAD_CURSOR_OPS.map((s) => [s as unknown as AnySpec, 'spec/head/CursorMut.ts'] as const),
  // allocator.rs is the seed's (two import lines moved): the same op specs, under their seed files.
  ...registeredAllocOps().map((s) => [s, allocFile(s.name)] as const),
];
function allocFile(op: string): string {
  return op.startsWith('FrameAllocOptions::')
    ? 'spec/alloc/FrameAllocOptions.ts'
    : 'spec/alloc/GlobalFrameAllocator.ts';
}
const INVS: readonly [string, readonly Clause<never>[], string][] = [
  ['MetaSlotOwner::inv', HEAD_META_SLOT_OWNER_INV as readonly Clause<never>[], 'spec/head/MetaSlotOwner.ts'],
  ['MetaSlot::wf', HEAD_META_SLOT_WF as readonly Clause<never>[], 'spec/head/MetaSlotOwner.ts'],
  ['MetaRegionOwners::inv', HEAD_META_REGION_INV as readonly Clause<never>[], 'spec/head/MetaRegionOwners.ts'],
  ['ListStore::inv', HEAD_LIST_STORE_INV as readonly Clause<never>[], 'spec/head/ListStore.ts'],
];

/** Every HEAD op spec: the frame-metadata layer, the frame handles, the unique frames, the segments, the allocators. */
export function registeredHeadOps(): readonly AnySpec[] {
  return OPS.map(([s]) => s);
}

/** Every clause of the HEAD mirror, in a stable order (`never` may_panic placeholders left out). */
export function headClauseTable(): ClauseRow[] {
  return rowsOf(OPS, INVS);
}

/** The clause table of a spec version. */
export function clauseTableOf(spec: SpecVersion): ClauseRow[] {
  return spec === 'head' ? headClauseTable() : clauseTable();
}

/** The seed files of the layers the HEAD table mirrors: a diff compares these rows with every HEAD row. */
export const DIFFED_SEED_FILES: readonly string[] = [
  'spec/meta/',
  'spec/frame/Frame.ts',
  'spec/frame/UniqueFrame.ts',
  'spec/frame/Segment.ts',
  'spec/frame/LinkedList.ts',
  'spec/frame/LinkedListDrop.ts',
  'spec/frame/CursorMut.ts',
  'spec/alloc/',
];

/** The Verus conjuncts of the HEAD mirror kept as notes, not checked: each says why it cannot fail here. */
export function headNoteTable(): NoteRow[] {
  return [
    ...HEAD_FRAME_NOTES.map((n) => ({ ...n, file: 'spec/head/Frame.ts' })),
    ...HEAD_UNIQUE_FRAME_NOTES.map((n) => ({ ...n, file: 'spec/head/UniqueFrame.ts' })),
    ...HEAD_SEGMENT_NOTES.map((n) => ({ ...n, file: 'spec/head/Segment.ts' })),
    ...HEAD_LINKED_LIST_NOTES.map((n) => ({ ...n, file: 'spec/head/LinkedList.ts' })),
    ...HEAD_LIST_DROP_NOTES.map((n) => ({ ...n, file: 'spec/head/LinkedList.ts' })),
    ...HEAD_CURSOR_NOTES.map((n) => ({ ...n, file: 'spec/head/CursorMut.ts' })),
  ];
}

/** The rows a diff compares: the seed's rows of the layers HEAD mirrors, every HEAD row. */
export function diffedRows(spec: SpecVersion): ClauseRow[] {
  const rows = clauseTableOf(spec);
  return spec === 'head' ? rows : rows.filter((r) => DIFFED_SEED_FILES.some((f) => r.file.startsWith(f)));
}

/** Seed clause name → HEAD clause name, where HEAD renamed what the clause speaks of (same predicate). */
export const HEAD_RENAMES: Readonly<Record<string, string>> = {
  ...REWORD_RENAMES,
  ...HEAD_SEGMENT_RENAMES,
  'get_slot.ensures.safe_iff_ok': 'get_slot.ensures.valid_iff_ok',
  'get_slot.ensures.ok_addr': 'get_slot.ensures.ok_value',
  'get_from_unused.ensures.unsafe_err': 'get_from_unused.ensures.ok_valid',
  'get_from_in_use.ensures.unsafe_err': 'get_from_in_use.ensures.ok_valid',
  'drop_last_in_place.ensures.self_addr': 'drop_last_in_place.ensures.slot_vaddr',
  'drop_meta_in_place.ensures.self_addr': 'drop_meta_in_place.ensures.slot_vaddr',
  'MetaSlotOwner::inv.self_addr_in_range': 'MetaSlotOwner::inv.slot_vaddr_in_range',
  'MetaSlotOwner::inv.self_addr_aligned': 'MetaSlotOwner::inv.slot_vaddr_aligned',
  'MetaRegionOwners::inv.self_addr': 'MetaRegionOwners::inv.slot_vaddr',
};

/** A clause in both tables (under its name in each) whose text or origin differs. */
export type ClauseChange = Readonly<{
  name: string;
  renamedFrom?: string;
  from: string;
  to: string;
  fromOrigin: string;
  toOrigin: string;
}>;

/** What changed between two tables: clauses only in `b`, only in `a`, and in both with other name, text or origin. */
export type ClauseDiff = Readonly<{
  from: SpecVersion;
  to: SpecVersion;
  added: readonly ClauseRow[];
  removed: readonly ClauseRow[];
  changed: readonly ClauseChange[];
  unchanged: number;
}>;

/** The clause diff of the mirrored layers between spec versions `a` and `b`, by clause name (renames followed). */
export function diffClauses(a: SpecVersion, b: SpecVersion): ClauseDiff {
  const renames = new Map<string, string>();
  for (const [seed, head] of Object.entries(HEAD_RENAMES)) {
    if (a === 'seed' && b === 'head') renames.set(seed, head);
    if (a === 'head' && b === 'seed') renames.set(head, seed);
  }
  const ra = diffedRows(a);
  const rb = diffedRows(b);
  const byName = new Map(ra.map((r) => [renames.get(r.name) ?? r.name, r]));
  const inB = new Set(rb.map((r) => r.name));
  const changed: ClauseChange[] = [];
  let unchanged = 0;
  for (const r of rb) {
    const o = byName.get(r.name);
    if (o === undefined) continue;
    const renamed = o.name !== r.name;
    if (!renamed && o.verus === r.verus && o.origin === r.origin) unchanged++;
    else
      changed.push({
        name: r.name,
        ...(renamed && { renamedFrom: o.name }),
        from: o.verus,
        to: r.verus,
        fromOrigin: o.origin,
        toOrigin: r.origin,
      });
  }
  return {
    from: a,
    to: b,
    added: rb.filter((r) => !byName.has(r.name)),
    removed: ra.filter((r) => !inB.has(renames.get(r.name) ?? r.name)),
    changed,
    unchanged,
  };
}
