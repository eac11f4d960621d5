import { describe, expect, it } from 'vitest';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { fixture } from './fixtures/fixture.ts';
import type { MemoryRegion } from './MemoryRegion.ts';
import { intoNonOverlapping } from './normalize.ts';
import { accountOstd } from './ostdAccounting.ts';
import { allocatorInit } from './ostdAllocatorInit.ts';
import { bootOstd, physicalMaxPaddr, type OstdAccounting } from './ostdBoot.ts';
import { newOstdMachine } from './ostdMachine.ts';
import { metaInit, regionsToMark } from './ostdMetaInit.ts';
import { parseMemoryMap } from './parseMemoryMap.ts';

const P = 4096;
const G = 2 ** 30;

function regionsOf(name: string): MemoryRegion[] {
  const p = parseMemoryMap(fixture(name));
  if (!p.ok) throw new Error(p.error);
  return p.regions;
}

function accounting(regions: readonly MemoryRegion[], opts: Parameters<typeof bootOstd>[1] = {}): OstdAccounting {
  const r = bootOstd(regions, opts);
  if (!r.ok) throw new Error(r.error);
  return r.accounting;
}

function balance(a: OstdAccounting): number {
  return a.freeFrames + a.metaPages + a.earlyAllocatedFrames + a.kernelFramesInUsable;
}

/** A machine booted on `regions` (normalized), for tests that corrupt its state afterwards. */
function booted(regions: readonly MemoryRegion[]) {
  const map = intoNonOverlapping(regions);
  const m = newOstdMachine(map, Number(physicalMaxPaddr(map)));
  metaInit(m);
  expect(allocatorInit(m)).toEqual([]);
  return { m, map };
}

describe('bootOstd on QEMU q35 with 2 GiB', () => {
  // Normalized e820 map: usable [0, 0x9f000) (0x9fc00 shrunk to a page), reserved [0x9f000, 0xa0000),
  // unknown hole [0xa0000, 0xf0000), reserved [0xf0000, 0x100000), usable [0x100000, 0x7ffe0000),
  // then reserved/unknown up to 4 GiB: none of those is physical.
  const usable = 0x9f000 / P + (0x7ffe0000 - 0x100000) / P; // 159 + 524000 = 524159
  const maxPaddr = 0x7ffe0000; // the end of the highest usable region
  const total = maxPaddr / P; // 524256
  const meta = Math.ceil((total * 64) / P); // ceil(8191.5) = 8192
  const reserved = 1 + 80 + 16; // [0x9f000,0xa0000) + unknown [0xa0000,0xf0000) + [0xf0000,0x100000)

  it('accounts every frame', () => {
    const a = accounting(regionsOf('qemu-q35-2g.dmesg.txt'));
    expect(a).toEqual({
      flavor: 'ostd',
      maxPaddr: '0x7ffe0000',
      totalFrames: total,
      usableFrames: usable,
      metaPages: meta,
      earlyAllocatedFrames: 0,
      freeFrames: usable - meta, // 515967
      kernelFrames: 0,
      kernelFramesInUsable: 0,
      byMeta: {
        MetaPageMeta: meta,
        ReservedMemoryMeta: reserved,
        UnusableMemoryMeta: 0,
        KernelMeta: 0,
        EarlyAllocatedFrameMeta: 0,
      },
      linearMappedPages: 0, // max_paddr <= 4 GiB
      metaMappedPages: meta,
      violations: [],
    });
    expect(balance(a)).toBe(a.usableFrames);
  });
  it('gives the same numbers for the multiboot2 map of the same machine', () => {
    expect(accounting(regionsOf('qemu-q35-2g.mb2.txt'))).toEqual(accounting(regionsOf('qemu-q35-2g.dmesg.txt')));
  });
  it('with --kernel, marks the kernel and keeps it out of the allocator', () => {
    const kernel = { start: 0x100000n, end: 0x900000n }; // 8 MiB = 2048 frames, inside usable memory
    const a = accounting(regionsOf('qemu-q35-2g.dmesg.txt'), { kernel });
    expect([a.kernelFrames, a.kernelFramesInUsable, a.byMeta.KernelMeta]).toEqual([2048, 2048, 2048]);
    expect(a.freeFrames).toBe(usable - meta - 2048); // 513919
    expect(balance(a)).toBe(a.usableFrames);
    expect(a.violations).toEqual([]);
  });
  it('marks the early-allocated frames besides the meta pages, and keeps both out of the allocator', () => {
    const a = accounting(regionsOf('qemu-q35-2g.dmesg.txt'), { earlyAllocations: [3, 5] });
    expect([a.earlyAllocatedFrames, a.byMeta.EarlyAllocatedFrameMeta]).toEqual([8, 8]);
    expect(a.freeFrames).toBe(usable - meta - 8);
    expect(a.violations).toEqual([]);
  });
});

describe('bootOstd on QEMU q35 with 24 GiB', () => {
  // As the 2 GiB map, plus usable [4 GiB, 26 GiB) (0x1_0000_0000..0x6_8000_0000).
  const usable = 159 + 524000 + (0x680000000 - 0x100000000) / P; // 159 + 524000 + 5767168 = 6291327
  const maxPaddr = 0x680000000; // 26 GiB
  const total = maxPaddr / P; // 6815744
  const meta = Math.ceil((total * 64) / P); // 106496, early-allocated below 4 GiB
  // Reserved/unknown marks below the highest physical region: 97 frames below 1 MiB, and
  // [0x7ffe0000, 4 GiB) whole (reserved, unknown holes, PCI MMIO): 0x80020 = 524320 frames.
  const reserved = 97 + (0x100000000 - 0x7ffe0000) / P;

  it('accounts every frame, with the temporary linear mapping, writing no slot above 4 GiB', () => {
    const { m, map } = booted(regionsOf('qemu-q35-24g.dmesg.txt'));
    const a = accountOstd(m, map, []);
    expect(a).toMatchObject({
      maxPaddr: '0x680000000',
      totalFrames: total,
      usableFrames: usable,
      metaPages: meta,
      earlyAllocatedFrames: 0,
      freeFrames: usable - meta, // 6184831
      byMeta: {
        MetaPageMeta: meta,
        ReservedMemoryMeta: reserved,
        UnusableMemoryMeta: 0,
        KernelMeta: 0,
        EarlyAllocatedFrameMeta: 0,
      },
      linearMappedPages: (maxPaddr - 4 * G) / P, // 5767168 pages, 4 GiB .. 26 GiB
      metaMappedPages: meta,
      violations: [],
    });
    expect(balance(a)).toBe(a.usableFrames);
    // The region costs what is marked, not max_paddr: no 16 MiB block of slots above 4 GiB was written.
    const blocks = Math.ceil(m.region.nslots / 4096);
    const above4g = [...Array(blocks).keys()].filter((b) => b * 4096 * P >= 4 * G);
    expect(above4g.every((b) => m.tracker.blockUntouched(b))).toBe(true);
    expect(m.tracker.blocksTouched).toBeLessThanOrEqual((4 * G) / (4096 * P));
  });
});

describe('mark_unusable_ranges', () => {
  const r = (base: number, end: number, type: MemoryRegion['type']): MemoryRegion => ({
    base: BigInt(base),
    end: BigInt(end),
    type,
  });

  it('skips the regions above the highest physical one, then keeps the rest in reverse', () => {
    const map = [
      r(0, P, 'Usable'),
      r(P, 2 * P, 'Reserved'),
      r(2 * P, 3 * P, 'Reclaimable'),
      r(3 * P, 4 * P, 'Reserved'),
    ];
    expect(regionsToMark(map).map((x) => x.type)).toEqual(['Reclaimable', 'Reserved', 'Usable']);
    expect(regionsToMark([r(0, P, 'Reserved')])).toEqual([]);
  });
  it('writes the metadata of the upstream table for each region type', () => {
    const types: MemoryRegion['type'][] = [
      'BadMemory',
      'Unknown',
      'NonVolatileSleep',
      'Reserved',
      'Kernel',
      'Module',
      'Framebuffer',
      'Reclaimable',
    ];
    const map = [
      r(0, 64 * P, 'Usable'),
      ...types.map((t, i) => r((64 + i) * P, (65 + i) * P, t)),
      r(72 * P, 128 * P, 'Usable'),
    ];
    const a = accounting(map);
    // Unusable: BadMemory, NonVolatileSleep, Module, Reclaimable; Reserved: Unknown, Reserved, Framebuffer.
    expect(a.byMeta).toMatchObject({ UnusableMemoryMeta: 4, ReservedMemoryMeta: 3, KernelMeta: 1 });
    expect(a.violations).toEqual([]);
  });
});

describe('bootOstd failures', () => {
  it('reports a panic when the meta pages do not fit in the early allocator', () => {
    // NVS is physical, so max_paddr = 1 GiB + 4 KiB and 4097 meta pages are needed; 16 are usable.
    const map: MemoryRegion[] = [
      { base: 0n, end: 0x10000n, type: 'Usable' },
      { base: 0x4000_0000n, end: 0x4000_1000n, type: 'NonVolatileSleep' },
    ];
    const a = accounting(map);
    expect(a.violations[0]).toMatch(/^boot panicked: kernel abort \(unwrap_failed\): early_alloc\(meta pages\)/);
    expect(a.freeFrames).toBe(0);
  });
  it('refuses a map with no physical region, or one past the simulated limit', () => {
    expect(bootOstd([{ base: 0n, end: 0x1000n, type: 'Reserved' }])).toEqual({
      ok: false,
      error: expect.stringContaining('no physical memory'),
    });
    expect(bootOstd([{ base: 0n, end: 2n ** 40n, type: 'Usable' }])).toEqual({
      ok: false,
      error: expect.stringContaining('past the 0x1000000000'),
    });
  });
});

describe('the accounting catches a broken state', () => {
  const twoG = regionsOf('qemu-q35-2g.dmesg.txt');

  it('a free frame claimed behind the allocator’s back', () => {
    const { m, map } = booted(twoG);
    const victim = 0x4000_0000; // free after boot
    expect(m.layer.fromUnused(victim, unit(KernelMeta))).toBe(victim / P);
    const v = accountOstd(m, map, []).violations;
    expect(v).toContain('frame 0x40000000 is free in the allocator but its slot is in use (count 1)');
    expect(v).toContain('1 frames hold KernelMeta, but meta::init marked 0');
  });
  it('a meta page deallocated into the allocator while still in use', () => {
    const { m, map } = booted(twoG);
    const metaPage = m.metaPageRange!.start;
    expect(m.buddy.dealloc(metaPage, P)).toEqual({ ok: false, error: 'OutOfRange' });
    expect(m.buddy.addFreeMemory(metaPage, P)).toEqual({ ok: true });
    const v = accountOstd(m, map, []).violations;
    expect(v[0]).toMatch(/^free \d+ \+ meta 8192 \+ early 0 \+ kernel 0 = 524160 != usable 524159$/);
    expect(v).toContain(`frame 0x${metaPage.toString(16)} is free in the allocator but its slot is in use (count 1)`);
  });
  it('a usable frame lost: neither free nor in use', () => {
    const { m, map } = booted(twoG);
    expect(m.buddy.alloc({ size: P, align: P })).toBe(0x9e000);
    expect(accountOstd(m, map, []).violations).toEqual([
      'free 515966 + meta 8192 + early 0 + kernel 0 = 524158 != usable 524159',
      'usable frame 0x9e000 is neither free in the allocator nor in use with metadata',
    ]);
  });
});
