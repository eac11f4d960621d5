import { describe, expect, it } from 'vitest';
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import type { Layout } from '../../impl/alloc/vocab.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { buddyFreeView, CheckedAllocator, type AllocatorImpl } from './CheckedAllocator.ts';
import type { Violation } from './report.ts';

const P = PAGE_SIZE;
const page: Layout = { size: P, align: P };
const blamed = (vs: readonly Violation[]) => vs.map((v) => [v.clause, v.blame]);

/** A buddy allocator over 16 frames, the first `added` of them added, under checking. */
function rig(added = 16) {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 16 });
  const a = CheckedAllocator.overBuddy(buddy, { mode: 'collect' });
  if (added > 0) a.addFreeMemory(0, added * P);
  return { buddy, a };
}

/** The buddy allocator with one method replaced: a deliberately wrong implementation. */
function broken(override: (buddy: BuddyAllocator) => Partial<AllocatorImpl>) {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 16 });
  const impl: AllocatorImpl = {
    alloc: (l) => buddy.alloc(l),
    dealloc: (x, s) => buddy.dealloc(x, s),
    addFreeMemory: (x, s) => buddy.addFreeMemory(x, s),
    ...override(buddy),
  };
  const a = new CheckedAllocator(impl, { mode: 'collect', freeView: buddyFreeView(buddy) });
  return { buddy, a };
}

describe('CheckedAllocator over the buddy allocator', () => {
  it('add, alloc, dealloc keep the ghost equal to the free blocks, with no violation', () => {
    const { buddy, a } = rig();
    const x = a.alloc(page)!;
    const y = a.alloc({ size: 3 * P, align: P })!;
    expect([x, y, a.ghost.free]).toEqual([
      0,
      4 * P,
      [
        { start: P, end: 4 * P },
        { start: 8 * P, end: 16 * P },
      ],
    ]);
    expect(a.dealloc(x, P)).toEqual({ ok: true });
    for (const f of [4, 5, 6, 7]) a.dealloc(f * P, P);
    expect(a.ghost).toEqual({ added: [{ start: 0, end: 16 * P }], free: [{ start: 0, end: 16 * P }] });
    expect(a.alloc({ size: 32 * P, align: P })).toBeUndefined();
    expect(buddy.audit()).toEqual([]);
    expect(a.violations).toEqual([]);
  });

  it('exhaustion returns None and changes nothing', () => {
    const { a } = rig(1);
    expect(a.alloc(page)).toBe(0);
    expect(a.alloc(page)).toBeUndefined();
    expect(a.ghost.free).toEqual([]);
    expect(a.violations).toEqual([]);
  });
});

describe('a broken rule of the caller is blamed on the caller', () => {
  it('a double free', () => {
    const { a } = rig();
    const x = a.alloc(page)!;
    a.dealloc(x, P);
    expect(a.dealloc(x, P)).toEqual({ ok: false, error: 'DoubleFree' });
    expect(blamed(a.violations)).toEqual([['GlobalFrameAllocator::dealloc.requires.not_free', 'caller']]);
  });

  it('a dealloc overlapping free memory, of memory never added, misaligned, or of 3 frames to a buddy allocator', () => {
    const { a } = rig(8);
    a.alloc({ size: 2 * P, align: P });
    a.dealloc(0, 4 * P);
    a.dealloc(12 * P, P);
    a.dealloc(P + 8, P);
    a.dealloc(0, 3 * P);
    expect(blamed(a.violations)).toEqual([
      ['GlobalFrameAllocator::dealloc.requires.not_free', 'caller'],
      ['GlobalFrameAllocator::dealloc.requires.allocated', 'caller'],
      ['GlobalFrameAllocator::dealloc.requires.page_aligned', 'caller'],
      ['GlobalFrameAllocator::dealloc.requires.not_free', 'caller'],
      ['GlobalFrameAllocator::dealloc.requires.not_free', 'caller'],
      ['BuddyAllocator::dealloc.requires.power_of_two', 'caller'],
    ]);
  });

  it('add_free_memory overlapping free memory, or memory added before and now allocated; alloc of a partial page', () => {
    const { a } = rig(8);
    expect(a.addFreeMemory(4 * P, 8 * P)).toEqual({ ok: false, error: 'OverlapsFree' });
    const x = a.alloc(page)!;
    expect(a.addFreeMemory(x, P)).toEqual({ ok: false, error: 'AlreadyAdded' });
    a.addFreeMemory(8 * P, P + 1);
    a.alloc({ size: 100, align: 8 });
    expect(blamed(a.violations)).toEqual([
      ['GlobalFrameAllocator::add_free_memory.requires.not_added', 'caller'],
      ['GlobalFrameAllocator::add_free_memory.requires.not_added', 'caller'],
      ['GlobalFrameAllocator::add_free_memory.requires.page_aligned', 'caller'],
      ['GlobalFrameAllocator::alloc.requires.size_page_aligned', 'caller'],
    ]);
    expect(a.ghost.added).toEqual([{ start: 0, end: 8 * P }]);
  });
});

describe('a broken allocator is blamed on the implementation', () => {
  it('alloc that hands out a range without taking it (it stays free)', () => {
    const { a } = broken((b) => ({
      alloc: (l) => {
        const x = b.alloc(l);
        if (x !== undefined) b.dealloc(x, P);
        return x;
      },
    }));
    a.addFreeMemory(0, 4 * P);
    a.alloc(page);
    expect(blamed(a.violations)).toEqual([
      ['GlobalFrameAllocator::alloc.ensures.taken', 'implementation'],
      ['GlobalFrameAllocator::alloc.refinement', 'implementation'],
    ]);
  });

  it('alloc that returns memory it was never given, or memory already handed out', () => {
    const { a } = broken(() => ({ alloc: () => 12 * P }));
    a.addFreeMemory(0, 4 * P);
    a.alloc(page);
    const { a: twice } = broken((b) => ({ alloc: (l) => (b.alloc(l), 0) }));
    twice.addFreeMemory(0, 4 * P);
    twice.alloc(page);
    twice.alloc(page);
    const clauses = [...a.violations, ...twice.violations].filter((v) => v.kind === 'ensures').map((v) => v.clause);
    expect(clauses).toEqual(['GlobalFrameAllocator::alloc.ensures.fresh', 'GlobalFrameAllocator::alloc.ensures.fresh']);
    expect(new Set([...a.violations, ...twice.violations].map((v) => v.blame))).toEqual(new Set(['implementation']));
  });

  it('dealloc that frees nothing; add_free_memory that frees more than it was given', () => {
    const { a } = broken(() => ({ dealloc: () => undefined }));
    a.addFreeMemory(0, 4 * P);
    a.dealloc(a.alloc(page)!, P);
    const { a: more } = broken((b) => ({ addFreeMemory: (x, s) => b.addFreeMemory(x, s + P) }));
    more.addFreeMemory(0, 4 * P);
    expect(blamed([...a.violations, ...more.violations])).toEqual([
      ['GlobalFrameAllocator::dealloc.ensures.freed', 'implementation'],
      ['GlobalFrameAllocator::dealloc.refinement', 'implementation'],
      ['GlobalFrameAllocator::add_free_memory.ensures.added', 'implementation'],
      ['GlobalFrameAllocator::add_free_memory.refinement', 'implementation'],
      ['GlobalFrameAllocator::inv.free_within_added', 'implementation'],
    ]);
  });
});

describe('without a free-set view the ghost follows the spec', () => {
  it('an allocator handing out the same frame twice is caught by the ghost free set', () => {
    let next = 0;
    const impl: AllocatorImpl = {
      alloc: () => (next++ === 0 ? 0 : 0),
      dealloc: () => undefined,
      addFreeMemory: () => undefined,
    };
    const a = new CheckedAllocator(impl, { mode: 'collect' });
    a.addFreeMemory(0, 2 * P);
    expect([a.alloc(page), a.ghost.free]).toEqual([0, [{ start: P, end: 2 * P }]]);
    a.alloc(page);
    expect(blamed(a.violations.filter((v) => v.kind !== 'refinement'))).toEqual([
      ['GlobalFrameAllocator::alloc.ensures.fresh', 'implementation'],
    ]);
  });

  it('in enforce mode the first violation throws its report', () => {
    const a = new CheckedAllocator({
      alloc: () => undefined,
      dealloc: () => undefined,
      addFreeMemory: () => undefined,
    });
    a.addFreeMemory(0, P);
    expect(() => a.addFreeMemory(0, P)).toThrow(/add_free_memory: contract violation — requires clause .*not_added/);
  });
});
