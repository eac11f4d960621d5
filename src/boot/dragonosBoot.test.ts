import { describe, expect, it } from 'vitest';
import { bootDragonos, physMemoryAreas, type DragonosAccounting } from './dragonosBoot.ts';
import { defaultSections, sectionOf } from './dragonosKernel.ts';
import { pagesStartingIn } from './dragonosMapper.ts';
import { fixture } from './fixtures/fixture.ts';
import type { MemoryRegion } from './MemoryRegion.ts';
import { parseMemoryMap } from './parseMemoryMap.ts';

const P = 4096;
const MB = 2 ** 20;

function regionsOf(name: string): MemoryRegion[] {
  const p = parseMemoryMap(fixture(name));
  if (!p.ok) throw new Error(p.error);
  return p.regions;
}

function accounting(
  regions: readonly MemoryRegion[],
  opts: Parameters<typeof bootDragonos>[1] = {},
): DragonosAccounting {
  const r = bootDragonos(regions, opts);
  if (!r.ok) throw new Error(r.error);
  return r.accounting;
}

describe('bootDragonos on QEMU q35 with 2 GiB (multiboot2)', () => {
  // Type-1 areas: [0, 0x9fc00) and [0x100000, 0x7ffe0000); the bump allocator shrinks them to pages.
  const usable = 0x9f000 / P + (0x7ffe0000 - 0x100000) / P; // 159 + 524000 = 524159
  // The direct map maps ceil(size / 4096) pages per area: 160 + 524000, the 160th only partly usable.
  const mapped = 160 + 524000;
  // Tables: the root; direct map: 1 PDPT, 2 PDs (0..1 GiB, 1..2 GiB), 1024 PTs (2 MiB blocks 0..1023);
  // identity 32 MiB: 1 PDPT, 1 PD, 16 PTs.
  const tables = 1 + (1 + 2 + 1024) + (1 + 1 + 16); // 1046
  // Below the bump offset (the kernel's end, 9 MiB) before any allocation: 159 + 2048 frames.
  const usedAtStart = 159 + (0x900000 - 0x100000) / P; // 2207

  it('accounts every frame with the default kernel (8 MiB at 1 MiB: text 4, data 1, rodata 2, bss 1 MiB)', () => {
    expect(accounting(regionsOf('qemu-q35-2g.mb2.txt'))).toEqual({
      flavor: 'dragonos',
      areas: 2,
      usableFrames: usable,
      kernel: { start: '0x100000', end: '0x900000', assumed: true },
      kernelFrames: 2048,
      mappedPages: mapped,
      mappedPagesByFlags: { RWX: mapped - 512, 'R-X': 512 },
      mappedPagesBySection: { text: 1024, data: 256, rodata: 512, bss: 256, other: mapped - 2048 },
      partialPagesMapped: 1,
      pageTableFrames: tables,
      identityPagesMapped: (32 * MB) / P, // 8192
      identityPagesRemoved: 8192,
      identityTablesFreed: 18,
      bumpUsedFrames: usedAtStart + tables, // 3253
      framesBelowKernel: 159,
      buddyFreeFrames: usable - (usedAtStart + tables) + 18, // 520924
      violations: [],
    });
  });
  it('reads the same areas from the e820 map', () => {
    expect(accounting(regionsOf('qemu-q35-2g.dmesg.txt'))).toEqual(accounting(regionsOf('qemu-q35-2g.mb2.txt')));
  });
  it('takes the sections of a given kernel range', () => {
    const a = accounting(regionsOf('qemu-q35-2g.mb2.txt'), { kernel: { start: 0x200000n, end: 0x1200000n } });
    expect(a.kernel).toEqual({ start: '0x200000', end: '0x1200000', assumed: false });
    expect(a.mappedPagesBySection).toMatchObject({ text: 2048, data: 512, rodata: 1024, bss: 512 });
    expect(a.bumpUsedFrames).toBe(159 + (0x1200000 - 0x100000) / P + tables);
    expect(a.violations).toEqual([]);
  });
});

describe('bootDragonos on QEMU q35 with 24 GiB', () => {
  it('accounts every frame', () => {
    // Areas as for 2 GiB plus [4 GiB, 26 GiB): 5767168 more frames, all mapped.
    const usable = 524159 + 5767168;
    // Direct tables: 1 PDPT; PDs 0, 1 and 4..25 (24); PTs 1024 + 11264 (2 MiB blocks 2048..13311).
    const tables = 1 + (1 + 24 + 1024 + 11264) + 18; // 12332
    const a = accounting(regionsOf('qemu-q35-24g.dmesg.txt'));
    expect(a).toMatchObject({
      usableFrames: usable,
      mappedPages: 524160 + 5767168,
      pageTableFrames: tables,
      bumpUsedFrames: 2207 + tables,
      buddyFreeFrames: usable - (2207 + tables) + 18, // 6276806
      violations: [],
    });
  });
});

describe('DragonOS boot pieces', () => {
  it('takes type-1 areas with a length, in map order', () => {
    const areas = physMemoryAreas([
      { base: 0x5000n, end: 0x9000n, type: 'Usable' },
      { base: 0x1000n, end: 0x1000n, type: 'Usable' },
      { base: 0x2000n, end: 0x3000n, type: 'Reserved' },
    ]);
    expect(areas).toEqual([{ base: 0x5000, size: 0x4000 }]);
  });
  it('splits a kernel into page-aligned sections in link order and flags rodata read-only', () => {
    const s = defaultSections({ start: 0x100000, end: 0x900000 });
    expect(s.rodata).toEqual({ start: 0x600000, end: 0x800000 });
    expect([0x100000, 0x500000, 0x600000, 0x800000, 0x900000].map((p) => sectionOf(s, p))).toEqual([
      'text',
      'data',
      'rodata',
      'bss',
      'other',
    ]);
  });
  it('counts the pages starting inside a range', () => {
    expect(pagesStartingIn(0, 10, P, 3 * P)).toBe(2);
    expect(pagesStartingIn(0, 10, P + 1, 3 * P)).toBe(1);
    expect(pagesStartingIn(0, 10, 20 * P, 30 * P)).toBe(0);
  });
  it('panics on an unaligned area base (map_phys refuses it), before the buddy allocator exists', () => {
    const a = accounting([{ base: 0x800n, end: 0x4000000n, type: 'Usable' }], {
      kernel: { start: 0x100000n, end: 0x200000n },
    });
    expect(a.violations).toEqual([
      'boot panicked: map_phys(0x800): Failed to map frame (the area base is not page aligned)',
    ]);
    expect(a.buddyFreeFrames).toBe(0);
  });
  it('panics when the bump allocator has no frame left for a page table', () => {
    const a = accounting([{ base: 0n, end: 0x102000n, type: 'Usable' }], {
      kernel: { start: 0x1000n, end: 0x101000n },
    });
    expect(a.violations[0]).toMatch(
      /^boot panicked: map_phys\(0x0\): the bump allocator has no frame for a page table$/,
    );
  });
  it('refuses a map without a usable area', () => {
    expect(bootDragonos([{ base: 0n, end: 0x1000n, type: 'Reserved' }])).toEqual({
      ok: false,
      error: 'the map has no usable (multiboot2 type 1) memory area',
    });
  });
});
