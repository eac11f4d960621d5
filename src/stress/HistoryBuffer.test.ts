import { describe, expect, it } from 'vitest';
import { HistoryBuffer, OPS, RESULTS } from './HistoryBuffer.ts';
import { auditQuiescent } from './quiescentAudit.ts';
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { unit, UnitMeta } from '../../impl/meta/frameMeta.ts';

const code = (op: (typeof OPS)[number]) => OPS.indexOf(op);
const res = (r: (typeof RESULTS)[number]) => RESULTS.indexOf(r);

describe('HistoryBuffer', () => {
  it('decodes its events as docs/formats.md "Histories" events, and names the operation left in flight', () => {
    const h = new HistoryBuffer(4);
    h.push(0, false, code('alloc'), -1, 0);
    h.push(1, true, code('alloc'), 0x3000, res('ok'));
    h.push(2, false, code('drop'), 0x3000, 0);
    expect(h.events(2).map((e) => e.event)).toEqual([
      { type: 'invoke', process: 2, f: 'alloc', value: { nframes: 1 } },
      { type: 'ok', process: 2, f: 'alloc', value: { paddr: '0x3000' } },
      { type: 'invoke', process: 2, f: 'drop', value: { paddr: '0x3000' } },
    ]);
    expect(h.pending()).toEqual({ op: 'drop', paddr: 0x3000 });
    expect(h.push(3, true, code('drop'), 0x3000, res('ok:last'))).toBe(true);
    expect(h.push(4, false, code('alloc'), -1, 0)).toBe(false);
    expect(new HistoryBuffer(0, h.buffer).length).toBe(4);
  });
});

describe('auditQuiescent', () => {
  function rig() {
    const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 4 });
    buddy.addFreeMemory(0, 4 * 4096);
    const region = new MetaRegion({ maxPaddr: 4 * 4096 });
    return { buddy, region, layer: new FrameLayer(region, { dealloc: (p, s) => buddy.dealloc(p, s) }) };
  }

  it('finds a frame held in memory that no history holds (a lost update)', () => {
    const { buddy, region, layer } = rig();
    layer.fromUnused(buddy.alloc({ size: 4096, align: 4096 })!, unit(UnitMeta));
    const r = auditQuiescent(region, buddy, 4, [{ id: 0, status: 'finished', events: [], pending: undefined }]);
    expect(r.exact).toBe(false);
    expect(r.violations[0]).toMatch(
      /^frame 0: count 1, metadata live, allocated in the buddy allocator, but the histories hold 0 shared/,
    );
  });

  it('explains a frame a crashed worker left in its claim window', () => {
    const { buddy, region } = rig();
    const p = buddy.alloc({ size: 4096, align: 4096 })!;
    region.mem.store(region.refCountWord(p / 4096), 0n, 0);
    const r = auditQuiescent(region, buddy, 4, [
      { id: 1, status: 'crashed', events: [], pending: { op: 'alloc', paddr: -1 } },
    ]);
    expect(r).toMatchObject({ exact: true, free: 3, inUse: 0, explained: [{ frame: 0, worker: 1, op: 'alloc' }] });
  });
});
