import { describe, expect, it } from 'vitest';
import { ContractChecker } from './ContractChecker.ts';
import { ContractLevelError, levelFromEnv, parseContractLevel, Sampler, type ContractLevel } from './level.ts';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';

describe('contract levels', () => {
  it('reads full, cheap, sample:N and sample=N', () => {
    expect(parseContractLevel('full')).toBe('full');
    expect(parseContractLevel('cheap')).toBe('cheap');
    expect(parseContractLevel('sample:10')).toBe('sample:10');
    expect(parseContractLevel('sample=7')).toBe('sample:7');
  });

  it.each(['fast', 'FULL', 'sample', 'sample:', 'sample:0', 'sample:-3', 'sample:x', 'sample:1.5', ' full'])(
    'refuses %j with a typed error naming the value',
    (bad) => {
      expect(() => parseContractLevel(bad)).toThrow(ContractLevelError);
      expect(() => parseContractLevel(bad)).toThrow(`'${bad}'`);
    },
  );

  it('FRAMECHECK_CONTRACTS: 0, empty or unset is off, 1 is full, anything unknown is an error (no silent fallback)', () => {
    expect(levelFromEnv(undefined)).toBeUndefined();
    expect(levelFromEnv('')).toBeUndefined();
    expect(levelFromEnv('0')).toBeUndefined();
    expect(levelFromEnv('1')).toBe('full');
    expect(levelFromEnv('sample:100')).toBe('sample:100');
    expect(() => levelFromEnv('sample:abc')).toThrow(/FRAMECHECK_CONTRACTS: unknown contract level 'sample:abc'/);
  });

  it('the option is validated where a layer is built', () => {
    const bad = 'sometimes' as ContractLevel;
    expect(() => new ContractChecker('enforce', bad)).toThrow(ContractLevelError);
    expect(() => new CheckedMetaRegion({ maxPaddr: 4 * 4096, level: bad })).toThrow(/'sometimes'/);
  });

  it('sample:N checks exactly one call in each block of N, the same calls for the same seed', () => {
    const picks = (seed: number) => {
      const s = new Sampler(5, seed);
      return Array.from({ length: 50 }, () => s.next());
    };
    const a = picks(42);
    for (let b = 0; b < 10; b++) expect(a.slice(5 * b, 5 * b + 5).filter(Boolean)).toHaveLength(1);
    expect(picks(42)).toEqual(a);
    expect(picks(43)).not.toEqual(a);
  });

  it('a sampling checker passes most calls over and checks the sampled ones fully', () => {
    const c = new ContractChecker('enforce', 'sample:4', 9);
    const levels = Array.from({ length: 8 }, () => c.nextCallLevel());
    expect(levels.filter((l) => l === 'full')).toHaveLength(2);
    expect(levels.filter((l) => l === 'skip')).toHaveLength(6);
  });
});
