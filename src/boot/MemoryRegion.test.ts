import { describe, expect, it } from 'vitest';
import {
  isMemoryRegionType,
  isPhysical,
  MEMORY_REGION_TYPES,
  MemoryRegionType,
  regionTypeOrder,
} from './MemoryRegion.ts';

describe('MemoryRegionType', () => {
  it('keeps OSTD discriminants', () => {
    expect(MEMORY_REGION_TYPES.map((t) => [t, regionTypeOrder(t)])).toEqual([
      ['BadMemory', 0],
      ['Unknown', 1],
      ['NonVolatileSleep', 2],
      ['Reserved', 3],
      ['Kernel', 4],
      ['Module', 5],
      ['Framebuffer', 6],
      ['Reclaimable', 7],
      ['Usable', 8],
    ]);
  });

  it('names every type in the const object', () => {
    expect(Object.values(MemoryRegionType)).toEqual(MEMORY_REGION_TYPES);
  });

  it('recognizes only its own names', () => {
    expect(MEMORY_REGION_TYPES.every(isMemoryRegionType)).toBe(true);
    expect(isMemoryRegionType('usable')).toBe(false);
    expect(isMemoryRegionType('toString')).toBe(false);
  });
});

describe('isPhysical', () => {
  it('excludes bad memory and I/O memory only', () => {
    const physical = MEMORY_REGION_TYPES.filter(isPhysical);
    expect(physical).toEqual(['NonVolatileSleep', 'Kernel', 'Module', 'Reclaimable', 'Usable']);
  });
});
