import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clausesOf } from '../Op.ts';
import { modelParams, PAGE_SIZE as P } from '../vocab.ts';
import { EMPTY_FREE_SET, type FreeSetModel } from './FrameAllocator.ts';
import { addFreeMemorySpec, allocSpec, deallocSpec } from './GlobalFrameAllocator.ts';
import { isNormalized } from './rangeSet.ts';

const p = modelParams();
type Step = { kind: 'alloc'; pages: number; align: number } | { kind: 'free' | 'add'; page: number; pages: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('alloc' as const),
    pages: fc.integer({ min: 1, max: 4 }),
    align: fc.constantFrom(1, 2, 4),
  }),
  fc.record({
    kind: fc.constantFrom('free' as const, 'add' as const),
    page: fc.nat(40),
    pages: fc.integer({ min: 1, max: 6 }),
  }),
);

/** Runs a step through its spec when its requires hold; checks `post(old, next(old))` on the way. */
function apply(m: FreeSetModel, s: Step): FreeSetModel {
  if (s.kind === 'alloc') {
    const args = { layout: { size: s.pages * P, align: s.align * P } };
    const out = allocSpec.next({ old: m, args, p });
    if (out.kind !== 'return') throw new Error('alloc never panics');
    for (const c of allocSpec.ensures)
      expect([c.name, c.holds({ old: m, final: out.final, args, result: out.result, p })]).toEqual([c.name, true]);
    return out.final;
  }
  const spec = s.kind === 'free' ? deallocSpec : addFreeMemorySpec;
  const args = { addr: s.page * P, size: s.pages * P };
  if (!spec.requires.every((c) => c.holds({ old: m, args, p }))) return m;
  const out = spec.next({ old: m, args, p });
  if (out.kind !== 'return') throw new Error('never panics');
  for (const c of spec.ensures)
    expect([c.name, c.holds({ old: m, final: out.final, args, result: undefined, p })]).toEqual([c.name, true]);
  return out.final;
}

describe('GlobalFrameAllocator op specs', () => {
  it('each next satisfies its own ensures, and the model stays normalized with free ⊆ added', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let m = EMPTY_FREE_SET;
        for (const s of steps) {
          m = apply(m, s);
          expect(isNormalized(m.free) && isNormalized(m.added)).toBe(true);
          expect(m.free.every((r) => m.added.some((a) => a.start <= r.start && r.end <= a.end))).toBe(true);
        }
      }),
    );
  });
  it('lists every clause with a GlobalFrameAllocator name and upstream origin', () => {
    const clauses = [...clausesOf(allocSpec), ...clausesOf(deallocSpec), ...clausesOf(addFreeMemorySpec)];
    expect(clauses.every((c) => c.name.startsWith('GlobalFrameAllocator::') && c.origin === 'upstream')).toBe(true);
    expect(new Set(clauses.map((c) => c.name)).size).toBe(clauses.length);
  });
  it('gives dealloc and add_free_memory the frames of their range as footprint', () => {
    expect(deallocSpec.footprint({ addr: 2 * P, size: 3 * P })).toEqual([2, 3, 4]);
    expect(addFreeMemorySpec.footprint({ addr: 0, size: 0 })).toEqual([]);
    expect(allocSpec.footprint({ layout: { size: P, align: P } })).toEqual([]);
  });
});
