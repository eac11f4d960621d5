/**
 * The implementation's internal calls checked on real runs: `frame_to_meta` (from `get_slot`),
 * `addr_of` and `meta_to_frame` (from `frame_paddr`) and `AnyFrameMeta::on_drop` (from
 * `drop_meta_in_place`, with the reader over the frame). Each clause is shown true on the real code
 * and false under a wrong implementation or a wrong caller of the real code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerFrameMeta, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { vmReader, VmReader } from '../../impl/meta/physMemory.ts';
import { LINEAR_MAPPING_BASE_VADDR } from '../../spec/vocab.ts';
import { withSlotOwner, slotOwner } from '../../spec/meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../../spec/meta/MetaSlotOwner.ts';
import { permissionU64 } from '../../spec/meta/perms.ts';
import { UnusedBeforeMetaDrop } from '../mutants/metaSlotMutants.ts';
import {
  AddrOfFieldAddress,
  AddrOfPreviousSlot,
  FrameToMetaNextSlot,
  GetSlotRoundsDown,
} from '../mutants/mappingMutants.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import {
  FortyEightByteSlots,
  GetSlotPassesMax,
  MetaToFrameBytePast,
  MetaToFrameNextFrame,
} from './fixtures/mappingRegions.ts';
import { coverageEnabled, coverageSnapshot, setCoverageEnabled } from './coverage.ts';
import { checkedOnDrop, readerOwner } from './internalCalls.ts';

const MAX = 8 * PAGE_SIZE;
const checked = (make?: (o: MetaRegionOptions) => MetaRegion) =>
  new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect' }, make);
const broken = (r: { violations: readonly { clause: string; blame: string }[] }) =>
  [...new Set(r.violations.map((v) => `${v.clause} (${v.blame})`))].sort();

/** A metadata type whose `on_drop` runs `body` (registered once per name). */
function dropping(name: string, body: (reader: VmReader) => void): FrameMeta<number> {
  const type = registerFrameMeta<number>({
    name,
    size: 4,
    align: 4,
    encode: (v, out) => out.setUint32(0, v, true),
    decode: (b) => b.getUint32(0, true),
    onDrop: (_v, reader) => body(reader),
  });
  return { type, value: 1 };
}

/** A region whose `drop_meta_in_place` hands `on_drop` the reader `reader(phys, paddr)` builds. */
const dropsWithReader = (reader: (r: MetaRegion, paddr: number) => VmReader) =>
  class extends MetaRegion {
    override dropMetaInPlace(slot: number): void {
      const meta = this.dynMeta(slot);
      if (meta !== undefined) this.onDrop(slot, meta, reader(this, this.framePaddr(slot)));
      this.mem.writePlain(slot * this.layout.wordsPerSlot + this.layout.vtable, 0n);
    }
  };

/** Claims frame `i` uniquely with `meta` and drops its metadata through the checked region (the last-drop path). */
function claimAndDrop(r: CheckedMetaRegion, i: number, meta: FrameMeta): void {
  expect(r.getFromUnused(i * PAGE_SIZE, meta, true)).toBe(i);
  r.dropLastInPlace(i);
}

let wasOn = false;
beforeEach(() => {
  wasOn = coverageEnabled();
  setCoverageEnabled(true);
});
afterEach(() => setCoverageEnabled(wasOn));

const seenTrue = (name: string) => (coverageSnapshot().get(name)?.[0] ?? 0) > 0;

describe('frame_to_meta, addr_of and meta_to_frame on the real code', () => {
  it('hold on every get_slot and frame_paddr of the real region, and are evaluated there', () => {
    const r = checked();
    for (let i = 0; i < 8; i++) expect(r.getSlot(i * PAGE_SIZE)).toBe(i);
    expect(r.getSlot(PAGE_SIZE + 1)).toBe('NotAligned');
    expect(r.getSlot(MAX)).toBe('OutOfBound');
    for (let i = 0; i < 8; i++) expect(r.framePaddr(i)).toBe(i * PAGE_SIZE);
    expect(broken(r)).toEqual([]);
    for (const c of [
      'frame_to_meta.requires.aligned',
      'frame_to_meta.requires.below_max',
      'frame_to_meta.ensures.spec',
      'frame_to_meta.ensures.aligned',
      'addr_of.requires.perm_value',
      'addr_of.returns.perm_addr',
      'meta_to_frame.requires.in_range',
      'meta_to_frame.requires.aligned',
      'meta_to_frame.ensures.spec',
      'meta_to_frame.ensures.aligned',
    ])
      expect([c, seenTrue(c)]).toEqual([c, true]);
  });

  it('get_slot without its alignment check calls frame_to_meta with a misaligned address (caller blamed)', () => {
    const r = checked((o) => new GetSlotRoundsDown(o));
    r.getSlot(PAGE_SIZE + 8);
    expect(broken(r)).toContain('frame_to_meta.requires.aligned (caller)');
  });

  it('a get_slot that passes MAX_PADDR to frame_to_meta breaks its below_max requires (caller blamed)', () => {
    const r = checked((o) => new GetSlotPassesMax(o));
    r.getSlot(MAX);
    expect(broken(r)).toContain('frame_to_meta.requires.below_max (caller)');
  });

  it('frame_to_meta one slot too far breaks frame_to_meta.ensures.spec (implementation blamed)', () => {
    const r = checked((o) => new FrameToMetaNextSlot(o));
    r.getSlot(2 * PAGE_SIZE);
    expect(broken(r)).toContain('frame_to_meta.ensures.spec (implementation)');
  });

  it('frame_to_meta with 48-byte slots breaks both its ensures', () => {
    const r = checked((o) => new FortyEightByteSlots(o));
    r.getSlot(3 * PAGE_SIZE);
    expect(broken(r)).toEqual(
      expect.arrayContaining([
        'frame_to_meta.ensures.aligned (implementation)',
        'frame_to_meta.ensures.spec (implementation)',
      ]),
    );
  });

  it('addr_of answering the previous slot breaks addr_of.returns, and at slot 0 meta_to_frame.requires.in_range', () => {
    const r = checked((o) => new AddrOfPreviousSlot(o));
    r.framePaddr(0);
    expect(broken(r)).toEqual(
      expect.arrayContaining([
        'addr_of.returns.perm_addr (implementation)',
        'meta_to_frame.requires.in_range (caller)',
      ]),
    );
  });

  it('addr_of answering a field address hands meta_to_frame a misaligned address', () => {
    const r = checked((o) => new AddrOfFieldAddress(o));
    expect(r.framePaddr(3)).toBe(3 * PAGE_SIZE);
    expect(broken(r)).toEqual(
      expect.arrayContaining(['addr_of.returns.perm_addr (implementation)', 'meta_to_frame.requires.aligned (caller)']),
    );
  });

  it('addr_of with the permission of another slot breaks addr_of.requires.perm_value (a wrong caller)', () => {
    const r = checked();
    const other = {
      addr: 0n,
      contents: { init: true as const, value: { storageId: -1, refCountId: -1, vtablePtr: 0n, inListId: -1 } },
    };
    r.framePaddr(2, { perm: other });
    expect(broken(r)).toContain('frame_paddr.requires.perm_value (caller)');
  });

  it('meta_to_frame answering the next frame, or a byte past the page, breaks its ensures', () => {
    const a = checked((o) => new MetaToFrameNextFrame(o));
    a.framePaddr(1);
    expect(broken(a)).toContain('meta_to_frame.ensures.spec (implementation)');
    const b = checked((o) => new MetaToFrameBytePast(o));
    b.framePaddr(1);
    expect(broken(b)).toEqual(
      expect.arrayContaining([
        'meta_to_frame.ensures.aligned (implementation)',
        'meta_to_frame.ensures.spec (implementation)',
      ]),
    );
  });
});

describe('AnyFrameMeta::on_drop with the reader over the frame', () => {
  it('holds on the real drop of a type that reads its whole frame, and is evaluated there', () => {
    const r = checked();
    let read = 0;
    const meta = dropping('InternalCallsReadsAll', (reader) => {
      while (reader.remain() > 0) read += reader.readBytes(512).length;
    });
    r.impl.phys.write(2 * PAGE_SIZE, new Uint8Array([1, 2, 3]));
    claimAndDrop(r, 2, meta);
    expect(read).toBe(PAGE_SIZE);
    expect(broken(r)).toEqual([]);
    for (const c of [
      'on_drop.requires.regions_inv',
      'on_drop.requires.reader_inv',
      'on_drop.requires.vm_io_owner_inv',
      'on_drop.requires.reader_wf',
      'on_drop.requires.on_drop_pre',
      'on_drop.ensures.regions_inv',
      'on_drop.ensures.reader_inv',
      'on_drop.ensures.vm_io_owner_inv',
      'on_drop.ensures.reader_wf',
    ])
      expect([c, seenTrue(c)]).toEqual([c, true]);
  });

  it('is checked on the frame layer\u2019s last drop too (Frame::drop)', () => {
    const l = new CheckedFrameLayer({ maxPaddr: MAX, mode: 'collect' });
    let calls = 0;
    const before = coverageSnapshot().get('on_drop.ensures.reader_wf')?.[0] ?? 0;
    const h = l.fromUnused(
      PAGE_SIZE,
      dropping('InternalCallsCounts', () => calls++),
    );
    if (typeof h === 'string') throw new Error(h);
    l.drop(h);
    expect([calls, l.violations.map((v) => v.clause)]).toEqual([1, []]);
    expect(coverageSnapshot().get('on_drop.ensures.reader_wf')?.[0]).toBe(before + 1);
  });

  it('drop_last_in_place publishing UNUSED before the metadata drop calls on_drop on a broken region (caller blamed)', () => {
    const r = checked((o) => new UnusedBeforeMetaDrop(o));
    claimAndDrop(
      r,
      1,
      dropping('InternalCallsQuiet', () => {}),
    );
    expect(broken(r)).toContain('on_drop.requires.regions_inv (caller)');
  });

  it('a drop_meta_in_place that builds the reader backwards breaks reader_inv, vm_io_owner_inv and reader_wf (caller blamed)', () => {
    const ReaderBackwards = dropsWithReader((r, paddr) => vmReader(r.phys, paddr + PAGE_SIZE, -PAGE_SIZE));
    const r = checked((o) => new ReaderBackwards(o));
    claimAndDrop(
      r,
      1,
      dropping('InternalCallsQuiet', () => {}),
    );
    expect(broken(r)).toEqual(
      expect.arrayContaining([
        'on_drop.requires.reader_inv (caller)',
        'on_drop.requires.vm_io_owner_inv (caller)',
        'on_drop.requires.reader_wf (caller)',
      ]),
    );
  });

  it('a page-table node\u2019s on_drop_pre wants a whole page: a half-page reader breaks it (caller blamed)', () => {
    const HalfPageReader = dropsWithReader((r, paddr) => vmReader(r.phys, paddr, PAGE_SIZE / 2));
    const pt = dropping('PageTablePageMeta', () => {});
    const good = checked();
    claimAndDrop(good, 3, pt);
    expect(broken(good)).toEqual([]);
    const r = checked((o) => new HalfPageReader(o));
    claimAndDrop(r, 3, pt);
    expect(broken(r)).toEqual(['on_drop.requires.on_drop_pre (caller)']);
  });

  it('an owner of another reader, or one whose view does not cover its range, is a wrong caller', () => {
    const r = checked();
    const meta = dropping('InternalCallsQuiet', () => {});
    expect(r.getFromUnused(PAGE_SIZE, meta, true)).toBe(1);
    const ctx = { checker: r.checker, p: r.p, ghost: () => r.ghost, tracking: r.tracking };
    const reader = vmReader(r.impl.phys, PAGE_SIZE, PAGE_SIZE);
    const owner = readerOwner(reader, 0, r.p);
    checkedOnDrop(ctx, r.impl, 1, meta, reader, () => {}, { vmIoOwner: { ...owner, id: -7 } });
    expect(broken(r)).toEqual(['on_drop.requires.reader_wf (caller)']);
    const beyond = {
      start: LINEAR_MAPPING_BASE_VADDR + BigInt(MAX),
      end: LINEAR_MAPPING_BASE_VADDR + BigInt(MAX + PAGE_SIZE),
    };
    checkedOnDrop(ctx, r.impl, 1, meta, reader, () => {}, { vmIoOwner: { ...owner, range: beyond } });
    expect(broken(r)).toEqual(
      ['on_drop.requires.reader_wf (caller)', 'on_drop.requires.vm_io_owner_inv (caller)'].sort(),
    );
  });

  it('a region whose slot breaks its invariant is a wrong caller of on_drop', () => {
    const r = checked();
    const meta = dropping('InternalCallsQuiet', () => {});
    expect(r.getFromUnused(PAGE_SIZE, meta, true)).toBe(1);
    const o = slotOwner(r.ghost, 1);
    const bad = withSlotOwner(
      r.ghost,
      1,
      withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, r.p.refCountUnused) }),
    );
    const ctx = { checker: r.checker, p: r.p, ghost: () => r.ghost, tracking: r.tracking };
    checkedOnDrop(ctx, r.impl, 1, meta, vmReader(r.impl.phys, PAGE_SIZE, PAGE_SIZE), () => {}, { regions: bad });
    expect(broken(r)).toEqual(['on_drop.requires.regions_inv (caller)']);
  });

  it('an on_drop that moves the cursor past the end breaks the reader\u2019s inv and wf after the call', () => {
    const r = checked();
    claimAndDrop(
      r,
      2,
      dropping('InternalCallsOverruns', (reader) => {
        reader.cursor = reader.end + 8;
      }),
    );
    expect(broken(r)).toEqual([
      'on_drop.ensures.reader_inv (implementation)',
      'on_drop.ensures.reader_wf (implementation)',
      'on_drop.refinement (implementation)',
    ]);
  });

  it('an on_drop that skips bytes without reading them breaks reader_wf alone (the owner did not follow)', () => {
    const r = checked();
    claimAndDrop(
      r,
      2,
      dropping('InternalCallsSkips', (reader) => {
        reader.cursor += 8;
      }),
    );
    expect(broken(r)).toEqual(['on_drop.ensures.reader_wf (implementation)', 'on_drop.refinement (implementation)']);
  });

  it('a reader whose read is not clamped to what remains runs the owner past its range', () => {
    class UnclampedReader extends VmReader {
      override readBytes(n: number): Uint8Array {
        this.cursor += n;
        return new Uint8Array(n);
      }
    }
    const DropsWithUnclampedReader = dropsWithReader((r, paddr) => new UnclampedReader(r.phys, paddr, PAGE_SIZE));
    const r = checked((o) => new DropsWithUnclampedReader(o));
    claimAndDrop(
      r,
      4,
      dropping('InternalCallsReadsTwoPages', (reader) => void reader.readBytes(2 * PAGE_SIZE)),
    );
    expect(broken(r)).toEqual(
      expect.arrayContaining([
        'on_drop.ensures.reader_inv (implementation)',
        'on_drop.ensures.vm_io_owner_inv (implementation)',
      ]),
    );
  });

  it('an on_drop that writes its own slot\u2019s in_list during a teardown breaks the region invariant after the call', () => {
    const l = new CheckedFrameLayer({ maxPaddr: MAX, mode: 'collect' });
    const meta = dropping('InternalCallsWritesInList', (reader) => l.impl.setInList(reader.paddr / PAGE_SIZE, 7n));
    const h = l.fromUnused(5 * PAGE_SIZE, meta);
    if (typeof h === 'string') throw new Error(h);
    l.drop(h);
    expect(l.violations.map((v) => `${v.clause} (${v.blame})`)).toContain(
      'on_drop.ensures.regions_inv (implementation)',
    );
  });
});
