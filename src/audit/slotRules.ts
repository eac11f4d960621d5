/**
 * The per-slot rules of an audit, evaluated with the spec's own conjuncts (`META_SLOT_OWNER_INV`) on
 * the owner a dumped slot shows: its count, whether metadata is initialized, and `in_list`.
 *
 * - every count in a legal band: `UNUSED`, `UNIQUE`, 0 or 1..=MAX (`MetaSlotOwner::inv.illegal_band`);
 * - `UNUSED` ⇒ no metadata and `in_list` 0 (`inv.unused`);
 * - 1..=MAX ⇒ metadata and `in_list` 0 (`inv.shared`); `UNIQUE` ⇒ metadata (`inv.unique`);
 * - 0 ⇒ `in_list` 0 (`inv.busy`). So `in_list ≠ 0` only on a `UNIQUE` slot.
 *
 * The common legal shapes are recognized first without building an owner, so a raw dump of millions
 * of slots costs a few comparisons per slot.
 */
import type { MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';
import { invariantsOf } from '../../spec/head/specSet.ts';
import type { SpecVersion } from '../../spec/head/registry.ts';
import { slotOwnerOf } from '../contract/view.ts';
import { PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import type { AuditViolation } from './AuditReport.ts';

/** A slot as a dump shows it. `meta` is the type name, or `undefined` when no metadata is initialized. */
export type DumpedSlot = Readonly<{ paddr: number; refCount: bigint; meta: string | undefined; inList: bigint }>;

/** Whether the slot is in one of the legal shapes (the fast path). */
export function slotLooksFine(s: DumpedSlot, p: ModelParams): boolean {
  const rc = s.refCount;
  if (rc === p.refCountUnused) return s.meta === undefined && s.inList === 0n;
  if (rc === p.refCountUnique) return s.meta !== undefined;
  if (rc === 0n) return s.inList === 0n;
  return rc <= p.refCountMax && s.meta !== undefined && s.inList === 0n;
}

/** The ghost owner the slot shows (the contract layer's abstraction function; a dump names only the type). */
function ownerOf(s: DumpedSlot): MetaSlotOwner {
  const meta = s.meta === undefined ? undefined : { type: s.meta, fields: {} };
  return slotOwnerOf(s.paddr / PAGE_SIZE, s.refCount, s.inList, meta);
}

/** A count as the spec names it. */
export function countName(rc: bigint, p: ModelParams): string {
  if (rc === p.refCountUnused) return 'REF_COUNT_UNUSED';
  if (rc === p.refCountUnique) return 'REF_COUNT_UNIQUE';
  return rc > 0xffff_ffffn ? `0x${rc.toString(16)}` : rc.toString();
}

const EXPECTED: Readonly<Record<string, string>> = {
  'MetaSlotOwner::inv.unused': 'no metadata and in_list == 0 (REF_COUNT_UNUSED)',
  'MetaSlotOwner::inv.unique': 'metadata initialized (REF_COUNT_UNIQUE)',
  'MetaSlotOwner::inv.shared': 'metadata initialized and in_list == 0 (shared count)',
  'MetaSlotOwner::inv.illegal_band': 'ref_count is REF_COUNT_UNUSED, REF_COUNT_UNIQUE, 0 or 1..=REF_COUNT_MAX',
  'MetaSlotOwner::inv.busy': 'in_list == 0 (count 0)',
};

/**
 * The per-slot violations of `s` under `spec`'s `MetaSlotOwner::inv()` (the seed's by default). The
 * legal shapes of `slotLooksFine` are the same under both: HEAD's added conjuncts speak of
 * `paths_in_pt` and `slot_vaddr`, which a dump does not show (the owner has none and the slot's own).
 */
export function slotViolations(s: DumpedSlot, p: ModelParams, spec: SpecVersion = 'seed'): AuditViolation[] {
  if (slotLooksFine(s, p)) return [];
  const o = ownerOf(s);
  const actual = `ref_count ${countName(s.refCount, p)}, metadata ${s.meta ?? 'none'}, in_list ${s.inList === 0n ? 0 : `0x${s.inList.toString(16)}`}`;
  const out: AuditViolation[] = [];
  for (const c of invariantsOf(spec).slotOwnerInv) {
    const expected = EXPECTED[c.name];
    if (expected !== undefined && !c.holds({ value: o, p }))
      out.push({ frame: s.paddr, invariant: c.name, expected, actual });
  }
  return out;
}
