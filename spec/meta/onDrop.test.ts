import { describe, expect, it } from 'vitest';
import { covers, mappingsAreDisjoint, onDropPre, remainSpec, vmIoOwnerInv, vmReaderInv, vmReaderWf } from './OnDrop.ts';
import { initialRegion } from './MetaRegionOwners.ts';
import { modelParams } from '../vocab.ts';

const r = (start: bigint, end: bigint) => ({ start, end });
const reader = (cursor: bigint, end: bigint, range = r(0n, 4096n)) => ({
  ghostId: 1,
  cursor: { vaddr: cursor, range },
  end: { vaddr: end, range },
});
const view = (...ms: [bigint, bigint][]) => ({
  kind: 'ReadView' as const,
  mappings: ms.map(([s, e]) => ({ va: r(s, e), pa: 0 })),
});
const owner = (start: bigint, end: bigint, mv = view([0n, 8192n])) => ({
  id: 1,
  range: r(start, end),
  isFallible: false,
  isKernel: true,
  memView: mv,
});

describe('the reader and its owner', () => {
  it('covers: the mappings cover the range exactly when no byte of it is left out', () => {
    expect(covers(view([0n, 10n], [10n, 20n]).mappings, r(0n, 20n))).toBe(true);
    expect(covers(view([0n, 10n], [11n, 20n]).mappings, r(0n, 20n))).toBe(false);
    expect(covers([], r(5n, 5n))).toBe(true);
  });
  it('mappings_are_disjoint', () => {
    expect(mappingsAreDisjoint(view([0n, 10n], [10n, 20n]).mappings)).toBe(true);
    expect(mappingsAreDisjoint(view([0n, 11n], [10n, 20n]).mappings)).toBe(false);
  });
  it('VmIoOwner::inv: an ordered range its view covers', () => {
    expect(vmIoOwnerInv(owner(0n, 4096n))).toBe(true);
    expect(vmIoOwnerInv(owner(4096n, 0n))).toBe(false);
    expect(vmIoOwnerInv(owner(4096n, 9000n))).toBe(false);
    expect(vmIoOwnerInv({ ...owner(4096n, 9000n), memView: undefined })).toBe(true);
  });
  it('VmReader::inv and wf', () => {
    expect(vmReaderInv(reader(0n, 4096n))).toBe(true);
    expect(vmReaderInv(reader(4097n, 4096n))).toBe(false);
    expect(vmReaderWf(reader(8n, 4096n), owner(8n, 4096n))).toBe(true);
    expect(vmReaderWf(reader(8n, 4096n), owner(0n, 4096n))).toBe(false);
    expect(vmReaderWf(reader(8n, 4096n), { ...owner(8n, 4096n), id: 2 })).toBe(false);
    expect(remainSpec(reader(8n, 4096n))).toBe(4088n);
  });
  it("on_drop_pre: the default is true; the page-table node's wants a whole page at an 8-aligned cursor", () => {
    const regions = initialRegion(modelParams({ maxPaddr: 8 * 4096 }));
    const st = (type: string, rd = reader(0n, 4096n), o = owner(0n, 4096n)) => ({
      self: { type, fields: {} },
      reader: rd,
      regions,
      vmIoOwner: o,
    });
    expect(onDropPre(st('Other', reader(0n, 8n), owner(0n, 8n)))).toBe(true);
    expect(onDropPre(st('PageTablePageMeta'))).toBe(true);
    expect(onDropPre(st('PageTablePageMeta', reader(0n, 2048n), owner(0n, 2048n)))).toBe(false);
    const r4 = r(4n, 4100n);
    expect(onDropPre(st('PageTablePageMeta', reader(4n, 4100n, r4), owner(4n, 4100n)))).toBe(false);
  });
});
