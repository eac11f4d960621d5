import { describe, expect, it } from 'vitest';
import { buddyStress } from './buddyStress.ts';

const MIB = 2 ** 20;

describe('buddyStress (DragonOS test_buddy)', () => {
  it('hands out, fills and frees every block with no double handout, in every round', () => {
    const s = buddyStress({ seed: 7, rounds: 3, totalBytes: 8 * MIB });
    expect(s.violations).toEqual([]);
    expect(s.rounds).toBe(3);
    expect(s.bytesFreed).toBe(s.bytesAllocated);
    expect(s.bytesAllocated).toBeGreaterThanOrEqual(3 * 8 * MIB);
    expect(s.randomFrees).toBeGreaterThan(0);
    expect(s.maxLiveBytes).toBeLessThanOrEqual(8 * MIB + 4 * MIB);
  });
  it('is deterministic given the seed', () => {
    const a = buddyStress({ seed: 42, rounds: 2, totalBytes: 4 * MIB });
    expect(buddyStress({ seed: 42, rounds: 2, totalBytes: 4 * MIB })).toEqual(a);
  });
  it('reports an allocation the allocator cannot serve, and stops', () => {
    const s = buddyStress({ seed: 1, rounds: 2, totalBytes: 16 * MIB, memoryBytes: 2 * MIB, freeTenths: 0 });
    expect(s.rounds).toBe(0);
    expect(s.violations).toEqual([expect.stringMatching(/^allocate\(\d+ frames\) failed with \d+ frames free$/)]);
  });
});
