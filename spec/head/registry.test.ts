/**
 * The HEAD clause table against vostd b5b972861's item names, and the seed → HEAD clause diff.
 *
 * The expected names below were read from vostd b5b972861 (`git show b5b972861:<file>`), one list
 * per file and item; they are data, so a table that drifts from the source fails here.
 */
import { describe, expect, it } from 'vitest';
import { diffClauses, diffedRows, headClauseTable, headNoteTable, HEAD_RENAMES } from './registry.ts';
import { REWORD_PROBLEMS } from './reword.ts';

/** `ostd/src/mm/frame/meta.rs` @ b5b972861: every fn with a `requires`/`ensures`/`returns` (source order). */
const META_RS_FNS = [
  'frame_to_meta', // mod mapping, `pub const fn frame_to_meta(paddr: Paddr) -> (res: Vaddr)`
  'meta_to_frame', // mod mapping, `pub const fn meta_to_frame(vaddr: Vaddr) -> (res: Paddr)`
  'get_slot', // `pub(super) fn get_slot(paddr: Paddr) -> Result<&'static MetaSlot, GetFrameError>`
  'addr_of', // `impl MetaSlot`, `#[verifier::external_body] fn addr_of(&self) -> Vaddr`
  'get_from_unused',
  'get_from_in_use',
  'inc_ref_count',
  'frame_paddr',
  'write_meta',
  'drop_last_in_place',
  'drop_meta_in_place',
];

/**
 * `ostd/src/mm/frame/mod.rs` and `frame_ref.rs` @ b5b972861: the `Frame`/`FrameRef` fns with a
 * contract that says more than a constant (`map_level`/`size` return literals; `slot`, `start_paddr`,
 * `meta` and `eq` are read-only accessors the model has no state for), in source order, then the free
 * fn `inc_frame_ref_count` and `FrameRef::borrow_paddr`. `Frame::drop`'s contract is `TrackDrop`'s
 * (frame_specs.rs), `Frame::clone`'s is `RCClone`'s.
 */
const FRAME_FNS = [
  'Frame::from_unused',
  'Frame::from_in_use',
  'Frame::reference_count',
  'Frame::borrow',
  'Frame::into_raw',
  'Frame::from_raw',
  'Frame::clone',
  'Frame::drop',
  'inc_frame_ref_count',
  'FrameRef::borrow_paddr',
];

/**
 * `ostd/src/mm/frame/unique.rs` @ b5b972861: the `UniqueFrame` fns with a contract (`size`/`level`
 * return literals; `slot` and `start_paddr` are read-only accessors), in source order, then the
 * conversions `Frame::from_unique` and `UniqueFrame::try_from_shared` (the `From`/`TryFrom` impls are
 * `external_body` wrappers of these).
 */
const UNIQUE_FNS = [
  'UniqueFrame::from_unused',
  'UniqueFrame::transmute',
  'UniqueFrame::repurpose',
  'UniqueFrame::meta',
  'UniqueFrame::meta_mut',
  'UniqueFrame::reset_as_unused',
  'UniqueFrame::into_raw',
  'UniqueFrame::from_raw',
  'UniqueFrame::drop',
  'Frame::from_unique',
  'UniqueFrame::try_from_shared',
];

/**
 * `ostd/src/mm/frame/segment.rs` @ b5b972861: the verified `Segment` fns framecheck models, in the
 * seed's order (`next` is `SegmentIterator::next_inner`: `Iterator for Segment` is `external_body`).
 */
const SEGMENT_FNS = [
  'Segment::from_unused',
  'Segment::from_raw',
  'Segment::split',
  'Segment::slice',
  'Segment::clone',
  'Segment::into_raw',
  'Segment::next',
  'Segment::drop',
];

/** `ostd/src/mm/frame/linked_list.rs` @ b5b972861: the `LinkedList` fns framecheck models. */
const LIST_FNS = [
  'LinkedList::size',
  'LinkedList::is_empty',
  'LinkedList::push_front',
  'LinkedList::pop_front',
  'LinkedList::push_back',
  'LinkedList::pop_back',
  'LinkedList::contains',
  'LinkedList::cursor_mut_at',
  'LinkedList::cursor_front_mut',
  'LinkedList::cursor_back_mut',
  // `impl TrackDrop for LinkedList<M>`: `drop_requires`/`drop_ensures`.
  'LinkedList::drop',
];

/** `ostd/src/mm/frame/linked_list.rs` @ b5b972861, `impl CursorMut`: every fn with a `requires`/`ensures`. */
const CURSOR_FNS = [
  'CursorMut::move_next',
  'CursorMut::move_prev',
  'CursorMut::current_meta',
  'CursorMut::take_current',
  'CursorMut::insert_before',
];

/** `ostd/src/mm/frame/allocator.rs` @ b5b972861: the seed's file but for two imports; upstream's documented rules. */
const ALLOC_FNS = [
  'GlobalFrameAllocator::alloc',
  'GlobalFrameAllocator::dealloc',
  'GlobalFrameAllocator::add_free_memory',
  'FrameAllocOptions::alloc_frame_with',
  'FrameAllocOptions::alloc_segment_with',
];

/** The invariant items: `impl Inv for MetaSlotOwner`, `impl OwnerOf for MetaSlot` (meta_owners.rs), `impl Inv for MetaRegionOwners` (meta_region_owners.rs), `ListStore::inv` (embedding/list_store.rs). */
const INV_ITEMS = ['MetaSlotOwner::inv', 'MetaSlot::wf', 'MetaRegionOwners::inv', 'ListStore::inv'];

/** Names HEAD no longer has (renamed or removed), which no HEAD clause text may speak of. */
const SEED_ONLY_NAMES = [
  'has_safe_slot', // → valid_frame_paddr (ostd/specs/arch/x86/mod.rs)
  'self_addr', // → slot_vaddr (meta_owners.rs, `pub ghost slot_vaddr: Vaddr`)
  'inner_perms', // MetadataInnerPerms → MetadataPerms + ref_count_perm/in_list_perm
  'MetadataInnerPerms',
  'meta_addr',
  'meta_perm_of', // UniqueFrameOwner::meta_perm_of → meta_value / meta_wf (specs/mm/frame/unique.rs) // → index_to_meta (ostd/specs/mm/frame/mapping.rs)
  'get_from_in_use_loop', // removed from meta.rs
  'Retry', // GetFrameError::Retry removed
  'slot_perm_extracted_spec', // slots are `&'static`, never extracted
  'metadata_from_inner_perms',
];

/** HEAD spec fns the table's texts must cite (meta_specs.rs, mapping.rs, arch): each appears in some clause. */
const HEAD_SPEC_FNS = [
  'valid_frame_paddr',
  'index_to_meta',
  'get_from_unused_spec',
  'get_from_in_use_success',
  'frame_paddr_safety_cond',
  'drop_last_in_place_safety_cond',
  'from_repr_spec',
  'storage_perm()',
  'vtable_ptr_perm()',
  'ref_count_perm',
  'in_list_perm',
  'slot_vaddr',
  'wf_with_region',
  'meta_value',
  'into_raw_requires',
  'transmute_spec',
  'seg_obligations_minted',
  'page_in_range_saturated',
];

describe('the HEAD clause table', () => {
  const rows = headClauseTable();

  it('is built without a seed clause left untranslated', () => {
    expect(REWORD_PROBLEMS).toEqual([]);
  });

  it('mirrors exactly the fns of meta.rs, the Frame, UniqueFrame, Segment, LinkedList, CursorMut and allocator fns and the four invariant items, by their HEAD names', () => {
    const ops = [...new Set(rows.filter((r) => r.kind !== 'inv').map((r) => r.op))];
    expect(ops).toEqual([
      ...META_RS_FNS,
      ...FRAME_FNS,
      ...UNIQUE_FNS,
      ...SEGMENT_FNS,
      ...LIST_FNS,
      ...CURSOR_FNS,
      ...ALLOC_FNS,
    ]);
    expect([...new Set(rows.filter((r) => r.kind === 'inv').map((r) => r.op))]).toEqual(INV_ITEMS);
  });

  it('names every MetaSlotOwner::inv conjunct of HEAD, with the new UNIQUE paths conjunct', () => {
    const inv = rows.filter((r) => r.op === 'MetaSlotOwner::inv').map((r) => r.name.split('.')[1]);
    expect(inv).toEqual([
      'unused',
      'unique',
      'shared',
      'illegal_band',
      'busy',
      'slot_vaddr_in_range',
      'slot_vaddr_aligned',
    ]);
    const unique = rows.find((r) => r.name === 'MetaSlotOwner::inv.unique')!;
    expect(unique.verus).toContain('self.usage != PageUsage::MMIO ==> self.paths_in_pt.is_empty()');
  });

  it('speaks only HEAD names', () => {
    for (const r of rows) for (const n of SEED_ONLY_NAMES) expect(r.verus, r.name).not.toContain(n);
    const text = rows.map((r) => r.verus).join('\n');
    for (const f of HEAD_SPEC_FNS) expect(text, f).toContain(f);
  });

  it('lists the by-construction conjuncts as notes, not clauses', () => {
    const names = new Set(rows.map((r) => r.name));
    const notes = headNoteTable();
    for (const n of notes) expect(names.has(n.name), n.name).toBe(false);
  });
});

describe('clauses --diff seed head', () => {
  const d = diffClauses('seed', 'head');
  const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name);

  it('removes get_from_in_use_loop, as_meta_ptr and the extraction clauses', () => {
    const removed = names(d.removed);
    expect(removed).toContain('get_from_in_use_loop.ensures.ok_rc_inc');
    expect(removed).toContain('get_from_in_use_loop.refinement');
    expect(removed).toContain('as_meta_ptr.refinement');
    expect(removed).toContain('get_from_unused.ensures.ok_slot_perm_extracted');
    expect(removed).toContain('get_from_unused.ensures.ok_perm_extracted');
    expect(
      removed.some((n) => n.startsWith('get_from_in_use_loop.')) && !removed.includes('get_from_in_use.refinement'),
    ).toBe(true);
  });

  it('adds the mapping requires, addr_of, the tracked get_slot option and the Repr clauses', () => {
    const added = names(d.added);
    for (const n of [
      'frame_to_meta.requires.valid',
      'addr_of.returns.addr',
      'get_slot.requires.slot_perm',
      'get_from_unused.ensures.ok_inv',
      'get_from_unused.ensures.ok_repr_wf',
      'write_meta.ensures.repr_wf',
    ])
      expect(added).toContain(n);
  });

  it('follows the renames and reports each text change', () => {
    const byName = new Map(d.changed.map((c) => [c.name, c]));
    for (const [seed, head] of Object.entries(HEAD_RENAMES)) expect(byName.get(head)?.renamedFrom, head).toBe(seed);
    const unique = byName.get('MetaSlotOwner::inv.unique')!;
    expect(unique.from).not.toContain('paths_in_pt');
    expect(unique.to).toContain('paths_in_pt');
    // The seed's kept-field ensures now use the seed's own binder, final(slot_own), as HEAD does: unchanged.
    expect(byName.get('drop_meta_in_place.ensures.usage')).toBeUndefined();
  });

  it('accounts for every row of both tables exactly once', () => {
    const seedRows = diffedRows('seed').length;
    const headRows = diffedRows('head').length;
    expect(d.removed.length + d.changed.length + d.unchanged).toBe(seedRows);
    expect(d.added.length + d.changed.length + d.unchanged).toBe(headRows);
  });

  it('covers the Frame layer: the re-park and membership clauses removed, the new ops added, the renames followed', () => {
    const removed = names(d.removed);
    expect(removed).toContain('Frame::from_unused.ensures.ok_reparked');
    expect(removed).toContain('Frame::clone.requires.slots_contain');
    expect(removed).toContain('Frame::drop.requires.owners_contain');
    const added = names(d.added);
    for (const op of ['Frame::borrow', 'Frame::reference_count', 'inc_frame_ref_count', 'FrameRef::borrow_paddr'])
      expect(added).toContain(`${op}.refinement`);
    const byName = new Map(d.changed.map((c) => [c.name, c]));
    expect(byName.get('Frame::clone.ensures.slot_vaddr')?.renamedFrom).toBe('Frame::clone.ensures.self_addr');
    expect(byName.get('Frame::from_unused.ensures.ok_spec')?.to).toContain('Self::from_unused_spec');
    // A clause HEAD states with the seed's words and meaning is unchanged.
    expect(byName.has('Frame::clone.ensures.res_eq_self')).toBe(false);
  });

  it('covers UniqueFrame: the new into_raw/from_raw/transmute, the meta_own/meta_value promises, the seed-only conjuncts removed', () => {
    const added = names(d.added);
    for (const op of ['UniqueFrame::into_raw', 'UniqueFrame::from_raw', 'UniqueFrame::transmute'])
      expect(added).toContain(`${op}.refinement`);
    for (const n of [
      'UniqueFrame::from_unused.ensures.ok_meta_own',
      'UniqueFrame::from_unused.ensures.ok_meta_value',
      'UniqueFrame::meta.requires.global_inv.usage_frame',
      'UniqueFrame::meta_mut.ensures.kept_ref_count_perm',
    ])
      expect(added).toContain(n);
    const removed = names(d.removed);
    for (const n of [
      'UniqueFrame::from_unused.ensures.ok_owner',
      'UniqueFrame::drop.requires.storage_init',
      'UniqueFrame::meta.requires.global_inv.perm_wf',
    ])
      expect(removed).toContain(n);
    const byName = new Map(d.changed.map((c) => [c.name, c]));
    expect(byName.get('UniqueFrame::drop.requires.owner_inv')?.to).toContain('wf_with_region');
    expect(byName.get('UniqueFrame::from_unused.requires.contains')?.renamedFrom).toBe(
      'UniqueFrame::from_unused.requires.owners_contain',
    );
  });

  it('covers Segment: no owner in HEAD (wf/owner_inv/owner clauses removed), relate_regions over the segment, from_unused promising the invariants', () => {
    const removed = names(d.removed);
    for (const n of [
      'Segment::split.requires.wf',
      'Segment::split.requires.owner_inv',
      'Segment::split.requires.relate_regions.slots_contain',
      'Segment::from_unused.ensures.ok_owner',
      'Segment::from_raw.requires.range_owner',
      'Segment::next.ensures.some_inv_with_regions',
    ])
      expect(removed).toContain(n);
    const added = names(d.added);
    expect(added).toContain('Segment::from_raw.requires.relate_regions.obligation');
    const byName = new Map(d.changed.map((c) => [c.name, c]));
    expect(byName.get('Segment::drop.requires.relate_regions.slot_vaddr')?.renamedFrom).toBe(
      'Segment::drop.requires.relate_regions.self_addr',
    );
    const inv = byName.get('Segment::from_unused.ensures.ok_invariants')!;
    expect([inv.fromOrigin, inv.toOrigin, inv.to]).toEqual([
      'vostd-head',
      'vostd',
      'r matches Ok(seg) ==> seg.invariants(*final(regions))',
    ]);
    expect(byName.get('Segment::next.ensures.end_kept')?.toOrigin).toBe('vostd');
  });

  it("covers LinkedList: HEAD's owner.inv() lets an empty list have no id; the pop texts and valid_frame_paddr", () => {
    const byName = new Map(d.changed.map((c) => [c.name, c]));
    for (const op of ['size', 'is_empty', 'cursor_front_mut', 'cursor_back_mut'])
      expect(byName.get(`LinkedList::${op}.requires.owner_inv.list_id_nonzero`)?.to).toContain('self.list.len() > 0');
    expect(byName.get('LinkedList::pop_front.ensures.model_meta')?.to).toContain('(r->0).1@@.meta');
    expect(byName.get('LinkedList::cursor_mut_at.ensures.invalid_none')?.renamedFrom).toBe(
      'LinkedList::cursor_mut_at.ensures.unsafe_none',
    );
    expect(names(d.removed).filter((n) => n.startsWith('LinkedList::'))).toEqual([]);
    expect(names(d.added).filter((n) => n.startsWith('LinkedList::'))).toEqual([]);
  });

  it("covers CursorMut: inv_region renamed wf_with_region over HEAD's relate_region, the model equations over owner@", () => {
    const byName = new Map(d.changed.map((c) => [c.name, c]));
    for (const op of CURSOR_FNS)
      expect(byName.get(`${op}.requires.wf_with_region`)?.renamedFrom).toBe(`${op}.requires.inv_region`);
    expect(byName.get('CursorMut::take_current.ensures.model')?.to).toBe(
      'res.is_some() ==> final(owner)@ == old(owner)@.remove()',
    );
    expect(byName.get('CursorMut::insert_before.ensures.model')?.to).toBe(
      'final(owner)@ == old(owner)@.insert(final(frame_own).meta_own@)',
    );
    expect(byName.get('CursorMut::take_current.ensures.wf_with_region')?.renamedFrom).toBe(
      'CursorMut::take_current.ensures.inv_region',
    );
    expect(byName.get('CursorMut::insert_before.ensures.id_nonzero')?.to).toBe('final(owner).list_own.list_id != 0');
    expect(names(d.removed).filter((n) => n.startsWith('CursorMut::'))).toEqual([]);
    expect(names(d.added).filter((n) => n.startsWith('CursorMut::'))).toEqual([]);
  });

  it('covers the allocators, unchanged: allocator.rs moved two imports', () => {
    const alloc = (xs: readonly { name: string }[]) =>
      xs.filter((x) => ALLOC_FNS.some((f) => x.name.startsWith(`${f}.`))).map((x) => x.name);
    expect(alloc(d.added)).toEqual([]);
    expect(alloc(d.removed)).toEqual([]);
    expect(alloc(d.changed)).toEqual([]);
    expect(diffedRows('head').filter((r) => r.file.startsWith('spec/alloc/')).length).toBeGreaterThan(0);
  });

  it('reversed, swaps added and removed', () => {
    const r = diffClauses('head', 'seed');
    expect(names(r.added).sort()).toEqual(names(d.removed).sort());
    expect(names(r.removed).sort()).toEqual(names(d.added).sort());
  });
});
