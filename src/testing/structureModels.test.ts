import { describe, expect, it } from 'vitest';
import { mutantByName } from '../mutants/catalog.ts';
import { checkAllocOptions, checkBuddyAllocator, checkEarlyAllocator } from './allocatorModel.ts';
import { checkFrameList } from './frameListModel.ts';
import { checkSegments } from './segmentModel.ts';

const o = { numRuns: 200, seed: 1 };

describe('model-based tests of lists, segments and allocators', () => {
  it('pass the real implementations', () => {
    for (const check of [checkFrameList, checkSegments, checkBuddyAllocator, checkEarlyAllocator, checkAllocOptions])
      expect(check({}, o).ok).toBe(true);
  });

  it('catch the seeded bugs, shrunk', () => {
    expect(checkFrameList(mutantByName('push_back_before_last')!, o)).toMatchObject({
      ok: false,
      counterexample: 'claim(0),push_front(#0),claim(1),push_back(#0)',
    });
    expect(checkSegments(mutantByName('segment_split_off_by_one')!, o)).toMatchObject({
      ok: false,
      counterexample: 'from_unused(0,1),split(#0,4096)',
    });
    expect(checkBuddyAllocator(mutantByName('buddy_merges_non_buddy')!, o)).toMatchObject({
      ok: false,
      error: expect.stringContaining('unmerged'),
    });
    expect(checkEarlyAllocator(mutantByName('early_alloc_no_overflow_check')!, o)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not an aligned range inside one region'),
    });
    expect(checkAllocOptions(mutantByName('zeroed_defaults_false')!, o)).toMatchObject({
      ok: false,
      counterexample: 'alloc_frame(),write(#0, 1),drop(#0),alloc_frame()',
    });
  });
});
