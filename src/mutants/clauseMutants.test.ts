/**
 * The clause mutants: the real implementation breaks no clause on the scenarios they run on, every
 * mutant but the listed ones breaks one (recorded as the falsifier of each clause it breaks), and together
 * they make every ensures, returns, refinement, invariant and may_panic clause of the MetaSlot layer (with
 * the internal calls and on_drop), the frame layer, the lists, segments, FrameAllocOptions and the global
 * allocator false but the ones docs/findings.md (F32) lists as out of any wrong implementation's reach.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clauseTable } from '../../spec/registry.ts';
import { clauseMutants } from './catalog.ts';
import { runClauseMutant, runScenarios, type ClauseRun } from './engines/clauseEngine.ts';

let runs: ClauseRun[] = [];

beforeAll(() => {
  runs = clauseMutants().map((m) => runClauseMutant(m));
}, 300_000);

/** The ops the clause mutants cover, and their clauses a wrong implementation is expected to falsify. */
const COVERED =
  /^(Frame::|UniqueFrame::|LinkedList::|CursorMut::|Segment::|FrameAllocOptions::|GlobalFrameAllocator::|get_slot|get_from_|inc_ref_count|frame_paddr|as_meta_ptr|write_meta|drop_last_in_place|drop_meta_in_place|frame_to_meta|meta_to_frame|addr_of|on_drop|MetaSlotOwner::inv|MetaRegionOwners::inv|MetaSlot::wf)/;

/**
 * Mutants no clause catches (docs/findings.md F32): wrong proof code of `on_drop`, whose contract promises
 * only `final(_regions).inv()` — it may mint an obligation, change a slot's `usage` (to `Kernel` or
 * `PageTable`) or `paths_in_pt` (no conjunct of `inv()` speaks of them); a permission it extracts from
 * another slot than the one dropped, and an owner or a permission it records at `max_meta_slots()`, break
 * `inv()` at an index `on_drop.ensures.regions_inv` does not visit (it evaluates `final(_regions).inv()` at
 * the indices the drop touched, `OnDropState.invAt`; the domain check the checked layers run after a call,
 * `src/contract/regionDomain.ts`, never sees `on_drop`'s `_regions`, which no layer keeps).
 */
const NOT_KILLED: readonly string[] = [
  'on_drop/proof-extra-obligation',
  'on_drop/proof-usage',
  'on_drop/proof-page-table',
  'on_drop/proof-domain-grown',
  'on_drop/proof-slots-grown',
  'on_drop/proof-paths-in-pt',
  'on_drop/proof-neighbour-usage',
  'on_drop/proof-neighbour-perm',
];

/**
 * The clauses of the covered ops no clause mutant makes false yet (docs/findings.md F32 sorts them: those
 * no wrong body can break in this representation, and those the operators or the scenarios do not reach).
 * The list is what the run computes: a clause that becomes falsified, or one that stops being, fails it.
 */
const NOT_YET_FALSIFIED: readonly string[] = [
  'UniqueFrame::reset_as_unused.ensures.no_dealloc',
  'LinkedList::push_back.ensures.insert_before_last',
  'Segment::slice.ensures.ordered',
  'Segment::slice.ensures.within',
];

describe('clause mutants', () => {
  it('the real implementation breaks no clause on the scenarios', () => {
    expect(
      runScenarios(undefined, ['meta', 'frame', 'list', 'segment', 'options', 'allocator']).map((v) => v.clause),
    ).toEqual([]);
  });

  it('are many, named OP/OPERATOR, distinct, and every one is killed but the listed ones', () => {
    const ms = clauseMutants();
    expect(ms.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(ms.map((m) => m.name)).size).toBe(ms.length);
    for (const m of ms) expect(m.name).toBe(`${m.op}/${m.operator}`);
    expect(runs.filter((r) => !r.killed).map((r) => r.name)).toEqual(NOT_KILLED);
  });

  it('exec mutants of an op are caught by a clause of that op', () => {
    const own = clauseMutants()
      .map((m, k) => [m, runs[k]!] as const)
      .filter(([m]) => m.tamper === undefined);
    const uncaught = own.filter(([m, r]) => !r.clauses.some((c) => c.startsWith(`${m.op}.`))).map(([m]) => m.name);
    expect(uncaught).toEqual(UNCAUGHT_BY_OWN_OP);
  });

  it('make every ensures, returns, refinement, inv and may_panic clause of the covered ops false, but the listed ones', () => {
    const falsified = new Set(runs.flatMap((r) => r.clauses));
    const target = clauseTable().filter(
      (row) => COVERED.test(row.name) && ['ensures', 'returns', 'refinement', 'inv', 'may_panic'].includes(row.kind),
    );
    const missed = target.filter((row) => !falsified.has(row.name)).map((row) => row.name);
    expect(missed).toEqual(NOT_YET_FALSIFIED);
  });
});

/**
 * Exec mutants no clause of their own op catches: the invariants, the accounting or a later call's clauses
 * do (docs/findings.md F32). `inc_frame_ref_count` has no clauses of its own; `Segment::clone` and
 * `Segment::slice` call it. The MetaSlot ops' ensures speak of the permissions each takes (`rc_perm`,
 * `meta_perm`, the owner): a write to another field or slot is caught by the region invariant or a later
 * call; a `drop_meta_in_place` handing `on_drop` a bad reader is caught by `on_drop`'s requires.
 */
const UNCAUGHT_BY_OWN_OP: readonly string[] = [
  'inc_frame_ref_count/rc-up',
  'inc_frame_ref_count/rc-down',
  'inc_frame_ref_count/in-list-set',
  'inc_frame_ref_count/vtable-cleared',
  'inc_frame_ref_count/meta-retyped',
  'inc_frame_ref_count/neighbour-in-list',
  'inc_frame_ref_count/neighbour-rc-down',
  'inc_frame_ref_count/aborts',
  'inc_frame_ref_count/skipped',
  'LinkedList::cursor_back_mut/size-up',
  'LinkedList::cursor_back_mut/front-cleared',
  'LinkedList::cursor_back_mut/id-changed',
  'LinkedList::cursor_back_mut/id-cleared',
  'LinkedList::cursor_back_mut/frame-next-self',
  'get_slot/vtable-cleared',
  'get_from_in_use_loop/in-list-set',
  'get_from_in_use_loop/vtable-cleared',
  'get_from_in_use_loop/neighbour-in-list',
  'get_from_in_use_loop/neighbour-rc-down',
  'inc_ref_count/in-list-set',
  'inc_ref_count/vtable-cleared',
  'inc_ref_count/meta-retyped',
  'inc_ref_count/neighbour-in-list',
  'inc_ref_count/neighbour-rc-down',
  'write_meta/rc-up',
  'write_meta/rc-down',
  'write_meta/in-list-set',
  'write_meta/meta-retyped',
  'write_meta/neighbour-in-list',
  'write_meta/neighbour-rc-down',
  'drop_last_in_place/neighbour-in-list',
  'drop_last_in_place/neighbour-rc-down',
  'drop_meta_in_place/neighbour-in-list',
  'drop_meta_in_place/neighbour-rc-down',
  'drop_meta_in_place/reversed-reader',
  'drop_meta_in_place/short-reader',
  'drop_meta_in_place/unclamped-reader',
];
