import { describe, expect, it } from 'vitest';
import { metaAddr } from '../meta/mapping.ts';
import { initialRegion, slotOwner, withSlotOwner } from '../meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { FRAME_METADATA_RANGE, MAX_META_SLOTS, modelParams, PAGE_SIZE } from '../vocab.ts';
import {
  handleAddrOk,
  maxNrPages,
  neverPanics,
  othersUnchanged,
  ownersContain,
  PANIC,
  regionInv,
  ret,
  slotsUnchanged,
} from './regionFacts.ts';

const p = modelParams({ maxPaddr: 8 * PAGE_SIZE });

describe('region facts', () => {
  it('MAX_NR_PAGES, handle addresses and the owner domain', () => {
    expect(maxNrPages(p)).toBe(8);
    expect([
      handleAddrOk(metaAddr(7), p),
      handleAddrOk(metaAddr(8), p),
      handleAddrOk(FRAME_METADATA_RANGE.start + 1n, p),
    ]).toEqual([true, false, false]);
    expect([ownersContain(0), ownersContain(MAX_META_SLOTS), ownersContain(-1), ownersContain(0.5)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('unchanged-except-at and the invariant at touched indices', () => {
    const r = initialRegion(p);
    const s = withSlotOwner(r, 2, withOwnerFields(slotOwner(r, 2), { usage: 'Frame' }));
    expect([othersUnchanged(r, s, 2), othersUnchanged(r, s, 3), slotsUnchanged(r, s)]).toEqual([true, false, true]);
    expect([regionInv(s, [2, -1, MAX_META_SLOTS]), ret(s, 1).kind, PANIC.kind, neverPanics('x').name]).toEqual([
      true,
      'return',
      'panic',
      'x.may_panic.never',
    ]);
  });
});
