import { describe, expect, it } from 'vitest';
import { modelParams, REF_COUNT_MAX, REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../vocab.ts';
import { metaSlotStatus } from './MetaSlotOwner.ts';

describe('metaSlotStatus', () => {
  const p = modelParams();
  it.each([
    [REF_COUNT_UNUSED, 'UNUSED'],
    [REF_COUNT_UNIQUE, 'UNIQUE'],
    [0n, 'UNDER_CONSTRUCTION'],
    [1n, 'SHARED'],
    [REF_COUNT_MAX, 'SHARED'],
    [REF_COUNT_MAX + 1n, 'OVERFLOW'],
    [REF_COUNT_UNIQUE - 1n, 'OVERFLOW'],
  ])('%s is %s', (v, status) => {
    expect(metaSlotStatus(v, p)).toBe(status);
  });
  it('follows the instance parameters (legacy u32 sentinels, no unique state; a lowered REF_COUNT_MAX)', () => {
    const legacy = modelParams({ protocol: 'legacy', refCountMax: 2n });
    expect(metaSlotStatus((1n << 32n) - 1n, legacy)).toBe('UNUSED');
    expect(metaSlotStatus(REF_COUNT_UNIQUE, legacy)).toBe('OVERFLOW');
    expect(metaSlotStatus(3n, legacy)).toBe('OVERFLOW');
  });
});
