import { describe, expect, test } from 'vitest';
import { buildInstance } from '../check/instance.ts';
import { exploreAxioms } from './realStates.ts';

const inst = (flags: Parameters<typeof buildInstance>[0]) => buildInstance(flags, () => true);
const ALL = 'from_unused,from_unused_unique,from_in_use,drop,into_shared,try_into_unique,drop_unique';

describe('the trusted axioms on every state of a bounded exploration of the real implementation', () => {
  test('one thread, every op: the embedded axioms hold on each operation, max_paddr is stronger than the model', () => {
    const r = exploreAxioms(inst({ frames: 2, threads: 1, depth: 3, ops: ALL }), 'head');
    expect(r.operations).toBeGreaterThan(50);
    expect(r.interfered).toBe(0);
    expect([...r.violations.keys()]).toEqual(['max_paddr']);
  });
  test('two threads (states and metadata-clearing steps); the seed axioms hold', () => {
    const r = exploreAxioms(inst({ frames: 1, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop' }), 'seed');
    expect(r.states).toBeGreaterThan(20);
    expect([...r.violations.keys()]).toEqual([]);
  });
  test('two threads: operations no other thread interfered with are evaluated, the others are counted apart', () => {
    const r = exploreAxioms(inst({ frames: 1, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop' }), 'head');
    expect(r.operations).toBeGreaterThan(0);
    expect(r.interfered).toBeGreaterThan(0);
    expect([...r.violations.keys()]).toEqual(['max_paddr']);
  });
  test('ghost usage is tracked: a unique re-allocation after a drop meets a slot of usage Frame, which unique_from_unused_embedded does not accept', () => {
    const r = exploreAxioms(inst({ frames: 1, threads: 1, program: '0:from_unused,drop,from_unused_unique' }), 'head');
    const unmet = r.requiresUnmet.get('unique_from_unused_embedded');
    expect(unmet?.evidence).toMatch(/^from_unused_unique on frame 0 .*result ok.*usage Frame$/);
    // the first allocation, from usage Unused, meets the requires
    const first = exploreAxioms(inst({ frames: 1, threads: 1, program: '0:from_unused_unique' }), 'head');
    expect(first.requiresUnmet.size).toBe(0);
  });
  test('a wrong implementation makes an axiom false on a real state: into_shared storing a count of 2 breaks from_unique_embedded', () => {
    const good = exploreAxioms(inst({ frames: 1, threads: 1, program: '0:from_unused_unique,into_shared' }), 'head');
    expect(good.violations.has('from_unique_embedded')).toBe(false);
    const r = exploreAxioms(
      inst({ frames: 1, threads: 1, program: '0:from_unused_unique,into_shared', mutant: 'into_shared_stores_two' }),
      'head',
    );
    expect(r.violations.get('from_unique_embedded')?.evidence).toMatch(/^into_shared on frame 0 .*final: ref_count 2,/);
  });
  test('a wrong drop (REF_COUNT_UNUSED published before the metadata is dropped) calls drop_meta_in_place outside its requires', () => {
    const program = '0:from_unused,drop';
    const good = exploreAxioms(inst({ frames: 1, threads: 1, program }), 'seed');
    expect(good.requiresUnmet.size).toBe(0);
    const r = exploreAxioms(inst({ frames: 1, threads: 1, program, mutant: 'unused_before_meta_drop' }), 'seed');
    expect(r.requiresUnmet.get('MetaSlot::drop_meta_in_place')?.evidence).toMatch(
      /called on ref_count UNUSED, metadata live/,
    );
  });
});
