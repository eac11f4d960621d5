/**
 * No checked clause is a constant: a predicate whose body is a literal (`() => true`, `(c) => false`)
 * cannot fail or cannot hold, so it is a note (`noteTable()`), not a clause of the table.
 */
import { describe, expect, it } from 'vitest';
import { clauseTable, noteTable, registeredClauses } from './registry.ts';
import { metaAddr } from './meta/mapping.ts';
import {
  defaultSlotPerm,
  extractSlotPerm,
  initialRegion,
  reparkSlotPerm,
  slotOwner,
  withSlotOwner,
  type MetaRegionOwners,
} from './meta/MetaRegionOwners.ts';
import { getFromUnusedSpec } from './meta/MetaSlot.ts';
import { MAX_META_SLOTS, modelParams, PAGE_SIZE } from './vocab.ts';

/** Whether a predicate's source is a function returning a literal boolean, whatever its parameters. */
export function isConstantPredicate(f: (c: never) => boolean): boolean {
  const src = f.toString().replace(/\s+/g, ' ').trim();
  return (
    /^(async )?(\(([^()]*)\)|[A-Za-z_$][\w$]*) => (\(?\s*)?(true|false|!0|!1)(\s*\))?;?$/.test(src) ||
    /^function[^(]*\([^)]*\) \{ return (true|false); \}$/.test(src)
  );
}

describe('honest clauses', () => {
  it('recognizes a constant predicate and a real one', () => {
    expect([isConstantPredicate(() => true), isConstantPredicate((_c: never) => false)]).toEqual([true, true]);
    expect(isConstantPredicate((c: { x: number }) => c.x > 0)).toBe(false);
  });

  it('no clause of the table has a constant predicate', () => {
    const constant = registeredClauses()
      .filter((c) => isConstantPredicate(c.holds))
      .map((c) => c.name);
    expect(constant).toEqual([]);
  });

  it('every note says why it cannot fail and is not also listed as a checked clause', () => {
    const checked = new Set(clauseTable().map((r) => r.name));
    const notes = noteTable();
    expect(notes.filter((n) => n.why.length < 20 || checked.has(n.name)).map((n) => n.name)).toEqual([]);
    expect(notes.map((n) => n.name)).toEqual(
      expect.arrayContaining([
        'MetaSlotOwner::inv.paths_finite',
        'MetaRegionOwners::inv.slots_finite',
        'UniqueFrame::meta_mut.ensures.self_unchanged',
        'Segment::from_unused.requires.metadata_fn_requires',
        'Segment::from_unused.requires.metadata_fn_paddr',
        ...['split', 'slice', 'into_raw', 'next', 'drop'].map(
          (op) => `Segment::${op}.requires.relate_regions.distinct`,
        ),
        ...['move_next', 'move_prev'].flatMap((op) => [
          `CursorMut::${op}.ensures.model`,
          `CursorMut::${op}.ensures.inv_region`,
        ]),
      ]),
    );
  });

  it('registeredClauses and clauseTable agree (the scan sees every checked clause)', () => {
    const table = clauseTable().filter((r) => r.kind !== 'refinement');
    expect(registeredClauses().map((c) => c.name)).toEqual(table.map((r) => r.name));
  });
});

describe('the clauses that were constants, made false by the state they forbid', () => {
  const p = modelParams({ maxPaddr: 16 * PAGE_SIZE, refCountMax: 4n });
  const r0 = initialRegion(p);
  const byName = (name: string) => {
    const c = registeredClauses().find((x) => x.name === name);
    if (c === undefined) throw new Error(`no clause ${name}`);
    return (ctx: unknown) => (c.holds as (x: unknown) => boolean)(ctx);
  };
  // An owner written outside [0, max_meta_slots): the only change of `slot_owners.dom()` the map can hold.
  const grown = withSlotOwner(r0, MAX_META_SLOTS, { ...slotOwner(r0, 1), usage: 'Frame' });
  const post = (old: MetaRegionOwners, final: MetaRegionOwners, args: unknown, result: unknown) => ({
    old,
    final,
    args,
    result,
    p,
  });

  it.each([
    'Frame::clone.ensures.domain',
    'Frame::drop.ensures.domain',
    'Frame::from_unique.ensures.domain',
    'UniqueFrame::try_from_shared.ensures.domain',
    'Segment::slice.ensures.domain',
  ])('%s', (name) => {
    expect([byName(name)(post(r0, r0, {}, {})), byName(name)(post(r0, grown, {}, {}))]).toEqual([true, false]);
  });

  it('LinkedList::cursor_mut_at.ensures.domain and CursorMut::current_meta.ensures.domains', () => {
    const list = (regions: MetaRegionOwners) => ({ regions });
    const ca = byName('LinkedList::cursor_mut_at.ensures.domain');
    expect([ca(post(list(r0) as never, list(grown) as never, {}, null))]).toEqual([false]);
    const cm = byName('CursorMut::current_meta.ensures.domains');
    const extracted = extractSlotPerm(r0, 1);
    expect([cm(post(list(r0) as never, list(extracted) as never, {}, null))]).toEqual([false]);
  });

  it('get_from_unused_spec.domains_equal', () => {
    expect(getFromUnusedSpec(PAGE_SIZE, false, r0, grown).domains_equal).toBe(false);
    expect(getFromUnusedSpec(PAGE_SIZE, false, r0, r0).domains_equal).toBe(true);
  });

  it('Frame::from_unused.ensures.ok_reparked: the permission left extracted is not re-parked', () => {
    const c = byName('Frame::from_unused.ensures.ok_reparked');
    const args = { paddr: PAGE_SIZE, metadata: { type: 'M', value: 0 } };
    const res = { ok: true, value: { ptr: metaAddr(1) } };
    const reparked = reparkSlotPerm(extractSlotPerm(r0, 1), 1, defaultSlotPerm(1));
    expect([c(post(r0, reparked, args, res)), c(post(r0, extractSlotPerm(r0, 1), args, res))]).toEqual([true, false]);
  });
});

describe("the seed's binder names", () => {
  it('drop_meta_in_place says slot_own, drop_last_in_place says owner, as the seed does', () => {
    const texts = (op: string) => clauseTable().filter((r) => r.op === op && r.kind !== 'refinement');
    const meta = texts('drop_meta_in_place');
    expect(meta.filter((r) => r.verus.includes('(owner)')).map((r) => r.name)).toEqual([]);
    expect(meta.filter((r) => r.verus.startsWith('final(slot_own).')).length).toBe(9);
    expect(texts('drop_last_in_place').filter((r) => r.verus.includes('(slot_own)'))).toEqual([]);
  });
});
