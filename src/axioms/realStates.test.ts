import { describe, expect, test } from 'vitest';
import { buildInstance } from '../check/instance.ts';
import { exploreAxioms } from './realStates.ts';

const inst = (flags: Parameters<typeof buildInstance>[0]) => buildInstance(flags, () => true);

describe('the trusted axioms on every state of a bounded exploration of the real implementation', () => {
  test('one thread, every op: the embedded axioms hold on each operation, max_paddr is stronger than the model', () => {
    const r = exploreAxioms(
      inst({
        frames: 2,
        threads: 1,
        depth: 3,
        ops: 'from_unused,from_unused_unique,from_in_use,drop,into_shared,try_into_unique,drop_unique',
      }),
      'head',
    );
    expect(r.operations).toBeGreaterThan(50);
    expect([...r.violations.keys()]).toEqual(['max_paddr']);
  });
  test('two threads (states and metadata-clearing steps); the seed axioms hold', () => {
    const r = exploreAxioms(inst({ frames: 1, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop' }), 'seed');
    expect(r.states).toBeGreaterThan(20);
    expect([...r.violations.keys()]).toEqual([]);
  });
});
