import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../check/explore/search.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { instanceArb, opArb, paddrArb, programArb } from './arbitraries.ts';

describe('arbitraries', () => {
  it('generate operations on frames of the instance, and programs of them', () => {
    fc.assert(fc.property(opArb({ frames: 3 }), (o) => o.frame >= 0 && o.frame < 3 && o.op !== 'alloc'));
    fc.assert(fc.property(programArb({ maxLength: 2 }), (p) => p.length >= 1 && p.length <= 2));
  });

  it('generate instances the explorer accepts and checks', () => {
    fc.assert(
      fc.property(
        instanceArb({ maxFrames: 1, maxThreads: 2, maxOps: 2, ops: ['from_unused', 'from_in_use', 'drop'] }),
        (inst) => {
          const r = explore(inst, { limits: { maxStates: 100_000, timeLimitMs: 10_000, maxMemoryBytes: 2 ** 30 } });
          return r.verdict === 'ok';
        },
      ),
      { numRuns: 30, seed: 2 },
    );
  });

  it('generate mostly frame addresses, and the edge cases get_slot must sort', () => {
    const seen = fc.sample(paddrArb(2), { numRuns: 400, seed: 3 });
    expect(seen.filter((p) => p % PAGE_SIZE === 0 && p < 2 * PAGE_SIZE).length).toBeGreaterThan(200);
    expect(seen).toContain(2 * PAGE_SIZE);
    expect(seen.some((p) => p % PAGE_SIZE !== 0)).toBe(true);
    expect(seen.every((p) => p >= 0)).toBe(true);
  });
});
