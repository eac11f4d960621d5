import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameToMeta, hasSafeSlot, metaToFrame, frameToIndex, indexToFrame } from './mapping.ts';
import { DEFAULT_MAX_PADDR, FRAME_METADATA_RANGE, PAGE_SIZE } from '../vocab.ts';

describe('mapping', () => {
  it('round-trips frame -> meta -> frame for aligned addresses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DEFAULT_MAX_PADDR / PAGE_SIZE - 1 }), (i) => {
        const p = indexToFrame(i);
        expect(metaToFrame(frameToMeta(p))).toBe(p);
        expect(frameToIndex(p)).toBe(i);
      }),
    );
  });
  it('places frame 0 at the start of FRAME_METADATA_RANGE and frame 1 one slot later', () => {
    expect(frameToMeta(0)).toBe(FRAME_METADATA_RANGE.start);
    expect(frameToMeta(PAGE_SIZE)).toBe(FRAME_METADATA_RANGE.start + 64n);
  });
  it('has_safe_slot rejects misaligned and out-of-bound addresses', () => {
    expect(hasSafeSlot(0x1000, DEFAULT_MAX_PADDR)).toBe(true);
    expect(hasSafeSlot(0x1001, DEFAULT_MAX_PADDR)).toBe(false);
    expect(hasSafeSlot(DEFAULT_MAX_PADDR, DEFAULT_MAX_PADDR)).toBe(false);
  });
  it('has_safe_slot rejects negative multiples of PAGE_SIZE (a u64 paddr is never negative)', () => {
    expect(hasSafeSlot(-PAGE_SIZE, DEFAULT_MAX_PADDR)).toBe(false);
    expect(hasSafeSlot(-0x10_0000, DEFAULT_MAX_PADDR)).toBe(false);
    expect(hasSafeSlot(0, DEFAULT_MAX_PADDR)).toBe(true);
  });
});
