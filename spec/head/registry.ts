/**
 * The second clause table: vostd HEAD (b5b972861)'s frame-metadata contracts, and the clause diff
 * between the seed table and it.
 *
 * Scope: `ostd/src/mm/frame/meta.rs` and its owners (`meta_owners.rs`, `meta_region_owners.rs`,
 * `meta_specs.rs`, `mapping.rs`). The frame handles, lists, segments and allocators are mirrored from
 * the seed only; a diff compares the seed's rows of the same layer (its `spec/meta/` rows).
 */
import type { Clause, OpSpec } from '../Op.ts';
import { clauseTable, rowsOf, type ClauseRow } from '../registry.ts';
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { HEAD_META_REGION_INV } from './MetaRegionOwners.ts';
import { HEAD_META_OPS } from './MetaSlot.ts';
import { HEAD_META_SLOT_OWNER_INV, HEAD_META_SLOT_WF } from './MetaSlotOwner.ts';

export type { SpecVersion } from '../axioms/trustedBase.ts';

/** The vostd commit each spec version mirrors. */
export const SPEC_COMMITS: Readonly<Record<SpecVersion, string>> = { seed: '1bd29df43', head: 'b5b972861' };

/** The spec versions `--spec` accepts. */
export const SPEC_VERSIONS: readonly SpecVersion[] = ['seed', 'head'];

type AnySpec = OpSpec<never, never, never>;
const OPS_FILE = 'spec/head/MetaSlot.ts';
const INVS: readonly [string, readonly Clause<never>[], string][] = [
  ['MetaSlotOwner::inv', HEAD_META_SLOT_OWNER_INV as readonly Clause<never>[], 'spec/head/MetaSlotOwner.ts'],
  ['MetaSlot::wf', HEAD_META_SLOT_WF as readonly Clause<never>[], 'spec/head/MetaSlotOwner.ts'],
  ['MetaRegionOwners::inv', HEAD_META_REGION_INV as readonly Clause<never>[], 'spec/head/MetaRegionOwners.ts'],
];

/** Every HEAD op spec of the frame-metadata layer. */
export function registeredHeadOps(): readonly AnySpec[] {
  return HEAD_META_OPS as unknown as readonly AnySpec[];
}

/** Every clause of the HEAD mirror, in a stable order (`never` may_panic placeholders left out). */
export function headClauseTable(): ClauseRow[] {
  return rowsOf(
    registeredHeadOps().map((s) => [s, OPS_FILE] as const),
    INVS,
  );
}

/** The clause table of a spec version. */
export function clauseTableOf(spec: SpecVersion): ClauseRow[] {
  return spec === 'head' ? headClauseTable() : clauseTable();
}

/** The rows a diff compares: the frame-metadata layer (the seed's `spec/meta/` rows, every HEAD row). */
export function metaLayerRows(spec: SpecVersion): ClauseRow[] {
  const rows = clauseTableOf(spec);
  return spec === 'head' ? rows : rows.filter((r) => r.file.startsWith('spec/meta/'));
}

/** Seed clause name → HEAD clause name, where HEAD renamed what the clause speaks of (same predicate). */
export const HEAD_RENAMES: Readonly<Record<string, string>> = {
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

/** The clause diff of the frame-metadata layer between spec versions `a` and `b`, by clause name (renames followed). */
export function diffClauses(a: SpecVersion, b: SpecVersion): ClauseDiff {
  const renames = new Map<string, string>();
  for (const [seed, head] of Object.entries(HEAD_RENAMES)) {
    if (a === 'seed' && b === 'head') renames.set(seed, head);
    if (a === 'head' && b === 'seed') renames.set(head, seed);
  }
  const ra = metaLayerRows(a);
  const rb = metaLayerRows(b);
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
