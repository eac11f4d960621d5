/**
 * The mutant catalog, run through every engine: every mutant is killed (the ordering-only ones by the
 * weak-memory explorer alone), the
 * minimized counterexamples are pinned exactly, and the spec gaps are the ones docs/findings.md records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allMutants } from './catalog.ts';
import { runCatalog, score, type MutantReport } from './runCatalog.ts';

let reports: MutantReport[] = [];
const byName = (n: string) => reports.find((r) => r.name === n)!;
const engineOf = (n: string, e: string) => byName(n).engines.find((x) => x.engine === e);

beforeAll(async () => {
  reports = await runCatalog(allMutants(), { numRuns: 200, seed: 1, simRuns: 10 });
}, 180_000);

describe('the catalog', () => {
  it('has at least 20 named, described, distinct one-method variants', () => {
    const names = allMutants().map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(new Set(names).size).toBe(names.length);
    for (const m of allMutants()) expect(m.description.length).toBeGreaterThan(20);
  });

  it('is killed entirely; the ordering-only mutants by the RC11 explorer alone, with a data race', () => {
    expect(reports.filter((r) => !r.killed).map((r) => r.name)).toEqual([]);
    expect(score(reports)).toMatchObject({ killed: reports.length, total: reports.length, weakMemorySurvivors: 0 });
    const weak = reports.filter((r) => r.weakMemory);
    expect(weak.map((r) => r.name)).toEqual([
      'drop_relaxed_decrement',
      'claim_cas_relaxed',
      'claim_publish_relaxed',
      'acquire_cas_relaxed',
      'unused_store_relaxed',
      'drop_decrement_relaxed',
      'drop_fence_removed',
      'into_shared_relaxed',
    ]);
    for (const r of weak) {
      expect(r.by).toEqual(['check-rc11']);
      expect(engineOf(r.name, 'check-rc11')?.property).toBe('data_race');
    }
  });

  it('names the engines that kill each mutant', () => {
    expect(byName('claim_load_then_store').by).toEqual(['check', 'simulate']);
    expect(byName('into_shared_stores_two').by).toEqual(['contracts', 'check', 'simulate', 'model-based']);
    expect(byName('buddy_double_free_accepted').by).toEqual(['contracts', 'model-based']);
    expect(byName('early_alloc_no_overflow_check').by).toEqual(['model-based']);
  });
});

describe('minimal counterexamples, pinned', () => {
  it.each([
    ['from_in_use_accepts_zero', 'linearizability.from_in_use', 'T0:from_unused@0 T1:from_in_use@0 T1:step'],
    ['claim_load_then_store', 'accounting.busy', 'T0:from_unused@0 T1:from_unused@0 T0:step T1:step'],
    ['claim_cas_expects_wrong_value', 'linearizability.from_unused', 'T0:from_unused@0'],
    ['unique_reported_as_in_use', 'linearizability.from_unused', 'T0:from_unused_unique@0 T0:step T0:from_unused@0'],
    ['into_shared_stores_two', 'linearizability.into_shared', 'T0:from_unused_unique@0 T0:step T0:into_shared@0'],
    [
      'try_into_unique_with_two',
      'linearizability.try_into_unique',
      'T0:from_unused@0 T0:step T0:clone@0 T0:try_into_unique@0 T0:step',
    ],
    [
      'unique_drop_leaks',
      'accounting.leak',
      'T0:alloc@0 T0:step T0:step T0:step T0:try_into_unique@0 T0:drop_unique@0 T0:step',
    ],
    [
      'dealloc_before_reset',
      'may_panic.alloc',
      'T0:alloc@0 T0:step T0:step T0:step T0:drop@0 T0:step T0:step T1:alloc@0 T1:step T1:step',
    ],
    // The wrong slot size puts frame 1's count in frame 0's storage: wrong before any step.
    ['frame_to_meta_wrong_slot_size', 'accounting.busy', ''],
  ])('%s: the explorer\u2019s shortest trace', (name, property, trace) => {
    expect(byName(name).counterexample).toEqual({ engine: 'check', property, trace });
  });

  it.each([
    ['push_back_before_last', 'claim(0),push_front(#0),claim(1),push_back(#0)'],
    ['in_list_not_cleared', 'claim(0),push_front(#0),pop_front'],
    ['buddy_double_free_accepted', 'alloc(1),dealloc(#0),dealloc_again(#0)'],
    ['zeroed_defaults_false', 'alloc_frame(),write(#0, 1),drop(#0),alloc_frame()'],
    ['segment_split_off_by_one', 'from_unused(0,1),split(#0,4096)'],
  ])('%s: the model-based test\u2019s shrunk sequence', (name, trace) => {
    expect(byName(name).counterexample).toMatchObject({ engine: 'model-based', trace });
  });

  it('simulate shrinks to the explorer\u2019s minimal traces too', () => {
    expect(engineOf('from_in_use_accepts_zero', 'simulate')).toMatchObject({
      killed: true,
      property: 'linearizability.from_in_use',
      counterexample: 'T0:from_unused_unique@0 T1:from_in_use@0 T1:step',
    });
    expect(engineOf('unused_before_meta_drop', 'simulate')).toMatchObject({
      killed: true,
      counterexample: 'T0:from_unused@0 T0:step T0:drop@0 T0:step',
    });
  });
});

describe('spec completeness', () => {
  const gaps = (kind: 'contract' | 'vostd') => reports.filter((r) => r.gap?.kind === kind).map((r) => r.name);

  it('reports mutants no contract clause catches, with the op and the missing fact', () => {
    expect(gaps('contract')).toEqual([
      'from_in_use_accepts_zero',
      'unused_before_meta_drop',
      'acquire_cas_expects_wrong_value',
      'claim_load_then_store',
      'dealloc_before_reset',
      'inc_frame_ref_count_no_overflow_abort',
      'inc_frame_ref_count_next_slot',
      'frame_ref_drops_frame',
      'reference_count_excludes_self',
      'unique_into_raw_drops',
      'repurpose_via_reset',
      'frame_from_raw_takes_reference',
      'list_drop_forgets_frames',
      'list_drop_keeps_in_list',
      'buddy_merges_non_buddy',
      'zeroed_defaults_false',
      'early_alloc_no_overflow_check',
    ]);
    expect(byName('dealloc_before_reset').gap).toMatchObject({
      op: 'Frame::drop',
      caughtBy: expect.stringMatching(/^nothing/),
    });
  });

  it('reports the gaps of vostd\u2019s own spec: only upstream-origin clauses catch them', () => {
    expect(gaps('vostd')).toEqual([
      'claim_cas_expects_wrong_value',
      'unique_reported_as_in_use',
      'get_slot_checks_swapped',
      'frame_to_meta_wrong_slot_size',
      'into_shared_stores_two',
      'try_into_unique_with_two',
      'unique_drop_leaks',
      'push_back_before_last',
      'in_list_not_cleared',
      // Caught by Segment::split.ensures.aborts_exactly (upstream aborts on the bad offset; Verus only permits it).
      'segment_split_off_by_one',
      'buddy_double_free_accepted',
    ]);
  });

  it('finds vostd clauses that do catch a mutant', () => {
    expect(byName('get_slot_off_by_one').gap).toBeNull();
    expect(byName('get_slot_off_by_one').clauses.map((c) => c.clause)).toContain('get_slot.ensures.safe_iff_ok');
    expect(byName('no_overflow_abort').gap).toBeNull();
    expect(byName('segment_slice_overflow').gap).toBeNull();
    expect(byName('segment_slice_overflow').clauses.map((c) => c.clause)).toContain('Segment::slice.ensures.within');
    expect(byName('segment_split_drops_self').gap).toBeNull();
    expect(byName('segment_split_drops_self').by).toEqual(['contracts', 'check', 'model-based']);
  });
});
