import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures/fixture.ts';
import { MEMORY_REGION_TYPES, regionTypeOrder, type MemoryRegion, type MemoryRegionType } from './MemoryRegion.ts';
import { alignDown, alignUp, asAligned, intoNonOverlapping } from './normalize.ts';
import { parseMemoryMap } from './parseMemoryMap.ts';

const P = 4096n;
const region = (base: bigint, end: bigint, type: MemoryRegionType): MemoryRegion => ({ base, end, type });

function normalizedFixture(name: string): MemoryRegion[] {
  const parsed = parseMemoryMap(fixture(name));
  if (!parsed.ok) throw new Error(parsed.error);
  return intoNonOverlapping(parsed.regions);
}

/** Per-page restatement of OSTD's semantics, written without the sweep: the oracle. */
function pageOracle(regions: readonly MemoryRegion[]): MemoryRegionType[] {
  const P_ = Number(P);
  const survivors = regions.flatMap((r) => {
    const usable = r.type === 'Usable';
    const lo = usable ? Math.ceil(Number(r.base) / P_) : Math.floor(Number(r.base) / P_);
    const hi = usable ? Math.floor(Number(r.end) / P_) : Math.ceil(Number(r.end) / P_);
    return lo <= hi ? [{ lo, hi, type: r.type, rawEndPage: Math.floor(Number(r.end) / P_) }] : [];
  });
  const limit = Math.max(0, ...survivors.map((s) => s.rawEndPage));
  const points = [0, ...survivors.flatMap((s) => [s.lo, s.hi])].filter((p) => p >= limit);
  const endPage = Math.min(...points);
  return Array.from({ length: endPage }, (_, page) => {
    const covering = survivors.filter((s) => s.lo <= page && page < s.hi).map((s) => regionTypeOrder(s.type));
    return covering.length === 0 ? 'Unknown' : (MEMORY_REGION_TYPES[Math.min(...covering)] ?? 'Unknown');
  });
}

function pagesOf(regions: readonly MemoryRegion[]): MemoryRegionType[] {
  return regions.flatMap((r) => Array.from({ length: Number((r.end - r.base) / P) }, () => r.type));
}

function expectWellShaped(out: readonly MemoryRegion[]): void {
  out.forEach((r, i) => {
    expect(r.base % P).toBe(0n);
    expect(r.end % P).toBe(0n);
    expect(r.base < r.end).toBe(true);
    expect(r.base).toBe(i === 0 ? 0n : out[i - 1]?.end);
    if (i > 0) expect(r.type).not.toBe(out[i - 1]?.type);
  });
}

/** Small maps: up to 8 regions, byte-granular bounds below 64 pages. */
const smallMap = fc.array(
  fc
    .tuple(fc.nat(64 * 4096), fc.nat(64 * 4096), fc.constantFrom(...MEMORY_REGION_TYPES))
    .map(([a, b, type]) => region(BigInt(Math.min(a, b)), BigInt(Math.max(a, b)), type)),
  { maxLength: 8 },
);

describe('asAligned', () => {
  it('shrinks usable regions and grows the others', () => {
    expect(asAligned(region(0x1001n, 0x3fffn, 'Usable'))).toEqual(region(0x2000n, 0x3000n, 'Usable'));
    expect(asAligned(region(0x1001n, 0x3fffn, 'Reserved'))).toEqual(region(0x1000n, 0x4000n, 'Reserved'));
    expect(asAligned(region(0x1001n, 0x1fffn, 'Usable'))).toBeUndefined();
    expect(asAligned(region(0x1000n, 0x1fffn, 'Usable'))).toEqual(region(0x1000n, 0x1000n, 'Usable'));
    expect([alignDown(0x1fffn), alignUp(0x1001n), alignUp(0x1000n)]).toEqual([0x1000n, 0x2000n, 0x1000n]);
  });
});

describe('intoNonOverlapping', () => {
  it('reproduces OSTD’s ktest sort_full_non_overlapping', () => {
    const input = [
      region(0n, P + 1n, 'Usable'),
      region(P - 1n, 2n * P + 1n, 'Usable'),
      region(2n * P, 7n * P, 'Usable'),
      region(3n * P + 1n, 4n * P - 1n, 'BadMemory'),
      region(9n * P, 11n * P, 'Usable'),
    ];
    expect(intoNonOverlapping(input)).toEqual([
      region(0n, 3n * P, 'Usable'),
      region(3n * P, 4n * P, 'BadMemory'),
      region(4n * P, 7n * P, 'Usable'),
      region(7n * P, 9n * P, 'Unknown'),
      region(9n * P, 11n * P, 'Usable'),
    ]);
  });

  it('normalizes the QEMU q35 2 GiB map', () => {
    expect(normalizedFixture('qemu-q35-2g.dmesg.txt')).toEqual([
      region(0x0n, 0x9f000n, 'Usable'),
      region(0x9f000n, 0xa0000n, 'Reserved'),
      region(0xa0000n, 0xf0000n, 'Unknown'),
      region(0xf0000n, 0x100000n, 'Reserved'),
      region(0x100000n, 0x7ffe0000n, 'Usable'),
      region(0x7ffe0000n, 0x80000000n, 'Reserved'),
      region(0x80000000n, 0xb0000000n, 'Unknown'),
      region(0xb0000000n, 0xc0000000n, 'Reserved'),
      region(0xc0000000n, 0xfed1c000n, 'Unknown'),
      region(0xfed1c000n, 0xfed20000n, 'Reserved'),
      region(0xfed20000n, 0xfeffc000n, 'Unknown'),
      region(0xfeffc000n, 0xff000000n, 'Reserved'),
      region(0xff000000n, 0xfffc0000n, 'Unknown'),
      region(0xfffc0000n, 0x100000000n, 'Reserved'),
    ]);
  });

  it('gives the same map whichever format describes the machine', () => {
    expect(normalizedFixture('qemu-q35-2g.mb2.txt')).toEqual(normalizedFixture('qemu-q35-2g.dmesg.txt'));
  });

  it('extends the 24 GiB map past 4 GiB with 22 GiB of usable RAM', () => {
    const out = normalizedFixture('qemu-q35-24g.dmesg.txt');
    expect(out.at(-1)).toEqual(region(0x100000000n, 0x680000000n, 'Usable'));
    const usable = out.filter((r) => r.type === 'Usable').reduce((sum, r) => sum + (r.end - r.base), 0n);
    expect(usable).toBe(0x9f000n + (0x7ffe0000n - 0x100000n) + 22n * 2n ** 30n);
  });

  it('lets the most restrictive type win where the JSON map overlaps', () => {
    const out = normalizedFixture('boot-regions.json');
    expect(out).toContainEqual(region(0x8000000n, 0x9a00000n, 'Kernel'));
    expect(out).toContainEqual(region(0x7f000000n, 0x80000000n, 'BadMemory'));
    expect(out.at(-1)).toEqual(region(0xfffc0000n, 0x100000000n, 'Reserved'));
    expectWellShaped(out);
  });

  it('handles terabyte maps without touching pages', () => {
    const tib = 1n << 40n;
    const out = intoNonOverlapping([region(0n, 64n * tib, 'Usable'), region(tib, tib + 1n, 'BadMemory')]);
    expect(out).toEqual([
      region(0n, tib, 'Usable'),
      region(tib, tib + P, 'BadMemory'),
      region(tib + P, 64n * tib, 'Usable'),
    ]);
  });

  it('follows OSTD at the edges', () => {
    expect(intoNonOverlapping([])).toEqual([]);
    // The highest raw end is unaligned and another boundary sits on the page below: the partial page is cut.
    expect(intoNonOverlapping([region(0n, 0x3800n, 'Reserved'), region(0n, 0x3000n, 'Usable')])).toEqual([
      region(0n, 0x3000n, 'Reserved'),
    ]);
    // No boundary there: the grown end stays.
    expect(intoNonOverlapping([region(0n, 0x3800n, 'Reserved')])).toEqual([region(0n, 0x4000n, 'Reserved')]);
    // A usable region with no whole page is dropped and does not extend the map.
    expect(intoNonOverlapping([region(0n, 0x1000n, 'Reserved'), region(0x5100n, 0x5900n, 'Usable')])).toEqual([
      region(0n, 0x1000n, 'Reserved'),
    ]);
    // A non-usable region inside one page whose unaligned end is the highest is cut entirely.
    expect(intoNonOverlapping([region(0n, 0x1000n, 'Usable'), region(0x3010n, 0x3020n, 'Reserved')])).toEqual([
      region(0n, 0x1000n, 'Usable'),
      region(0x1000n, 0x3000n, 'Unknown'),
    ]);
    // Growing past the last page boundary of the u64 space reaches 2^64 (no wrap-around).
    const top = (1n << 64n) - 1n;
    expect(intoNonOverlapping([region(top - 0x10000n, top, 'Reserved')]).at(-1)).toEqual(
      region(alignDown(top - 0x10000n), 1n << 64n, 'Reserved'),
    );
  });

  it('types every page as the per-page oracle does', () => {
    fc.assert(
      fc.property(smallMap, (regions) => {
        const out = intoNonOverlapping(regions);
        expectWellShaped(out);
        expect(pagesOf(out)).toEqual(pageOracle(regions));
      }),
    );
  });

  it('is idempotent and ignores input order', () => {
    fc.assert(
      fc.property(smallMap, fc.func(fc.integer()), (regions, key) => {
        const out = intoNonOverlapping(regions);
        expect(intoNonOverlapping(out)).toEqual(out);
        const shuffled = [...regions].sort((a, b) => key(a) - key(b));
        expect(intoNonOverlapping(shuffled)).toEqual(out);
      }),
    );
  });

  it('ends at the highest end, empty regions included, when every bound is page-aligned', () => {
    const aligned = smallMap.map((rs) => rs.map((r) => region(alignDown(r.base), alignDown(r.end), r.type)));
    fc.assert(
      fc.property(aligned, (regions) => {
        const maxEnd = regions.reduce((max, r) => (r.end > max ? r.end : max), 0n);
        expect(intoNonOverlapping(regions).at(-1)?.end ?? 0n).toBe(maxEnd);
      }),
    );
  });
});
