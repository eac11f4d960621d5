import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures/fixture.ts';
import type { MemoryRegion } from './MemoryRegion.ts';
import { detectFormat, parseMemoryMap } from './parseMemoryMap.ts';

/** The e820 map QEMU q35 reports for 2 GiB of RAM, exclusive ends. */
const Q35_2G: readonly MemoryRegion[] = [
  { base: 0x0n, end: 0x9fc00n, type: 'Usable' },
  { base: 0x9fc00n, end: 0xa0000n, type: 'Reserved' },
  { base: 0xf0000n, end: 0x100000n, type: 'Reserved' },
  { base: 0x100000n, end: 0x7ffe0000n, type: 'Usable' },
  { base: 0x7ffe0000n, end: 0x80000000n, type: 'Reserved' },
  { base: 0xb0000000n, end: 0xc0000000n, type: 'Reserved' },
  { base: 0xfed1c000n, end: 0xfed20000n, type: 'Reserved' },
  { base: 0xfeffc000n, end: 0xff000000n, type: 'Reserved' },
  { base: 0xfffc0000n, end: 0x100000000n, type: 'Reserved' },
];

function parsed(name: string) {
  const result = parseMemoryMap(fixture(name));
  if (!result.ok) throw new Error(`fixture ${name} should parse: ${result.error}`);
  return result;
}

describe('parseMemoryMap on realistic maps', () => {
  it('reads the e820 lines of a QEMU q35 2 GiB dmesg log and ignores the rest', () => {
    expect(parsed('qemu-q35-2g.dmesg.txt')).toEqual({ ok: true, format: 'e820', regions: Q35_2G });
  });

  it('reads the 24 GiB map, RAM above 4 GiB included', () => {
    const high = { base: 0x100000000n, end: 0x680000000n, type: 'Usable' };
    expect(parsed('qemu-q35-24g.dmesg.txt')).toEqual({ ok: true, format: 'e820', regions: [...Q35_2G, high] });
  });

  it('reads the same machine through multiboot2', () => {
    expect(parsed('qemu-q35-2g.mb2.txt')).toEqual({ ok: true, format: 'multiboot2', regions: Q35_2G });
  });

  it('reads the top level of /proc/iomem', () => {
    const map = parsed('qemu-q35-2g.iomem.txt');
    expect(map.format).toBe('iomem');
    expect(map.regions).toHaveLength(20);
    expect(map.regions.filter((r) => r.type === 'Usable')).toEqual([
      { base: 0x1000n, end: 0x9fc00n, type: 'Usable' },
      { base: 0x100000n, end: 0x7ffe0000n, type: 'Usable' },
    ]);
    expect(map.regions.some((r) => r.type === 'Kernel')).toBe(false);
    expect(map.regions.at(-1)).toEqual({ base: 0x100000000n, end: 0x900000000n, type: 'Reserved' });
  });

  it('maps ACPI resources of an OVMF /proc/iomem', () => {
    const types = new Set(parsed('ovmf-acpi.iomem.txt').regions.map((r) => r.type));
    expect([...types].sort()).toEqual(['NonVolatileSleep', 'Reclaimable', 'Reserved', 'Usable']);
  });

  it('reads the JSON map with OSTD type names, overlaps kept', () => {
    const map = parsed('boot-regions.json');
    expect(map.format).toBe('json');
    expect(map.regions).toHaveLength(11);
    expect(map.regions[4]).toEqual({ base: 0x8000000n, end: 0x9a00000n, type: 'Kernel' });
  });

  it('accepts CRLF line ends', () => {
    expect(parseMemoryMap(fixture('qemu-q35-2g.mb2.txt').replaceAll('\n', '\r\n'))).toEqual(
      parsed('qemu-q35-2g.mb2.txt'),
    );
  });
});

describe('parseMemoryMap on bad input', () => {
  const cases: [string, string][] = [
    ['bad-garbage.txt', 'line 3: malformed /proc/iomem line "this line is not a memory map line"'],
    ['bad-inverted.dmesg.txt', 'line 3: inverted range: end 0x100000 is below start 0x7ffdffff'],
    ['bad-end-overflow.dmesg.txt', 'line 2: range end 0xffffffffffffffff + 1 overflows u64'],
    ['bad-length-overflow.mb2.txt', 'line 2: base 0xffffffff00000000 + length 0x100000000 overflows u64'],
    ['bad-nonhex.iomem.txt', 'line 2: "0000100g" is not a hex number'],
    ['bad-no-e820.dmesg.txt', 'line 1: not a memory-map line "[ 0.000000] Linux version'],
    ['bad-empty.json', 'line 1: the json map lists no region'],
    ['bad-type.json', 'line 3: entry 1: type: "RAM" is not an OSTD MemoryRegionType'],
    ['bad-syntax.json.txt', 'line 3:3: not valid JSON ('],
  ];
  it.each(cases)('%s → %s', (name, expected) => {
    const result = parseMemoryMap(fixture(name));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.startsWith(expected), result.error).toBe(true);
    expect(result.error).not.toContain('\n');
  });

  it('rejects an empty or comment-only text', () => {
    expect(parseMemoryMap('')).toEqual({ ok: false, error: 'empty memory map: no line describes a region' });
    expect(parseMemoryMap('\n# nothing\n  \n')).toMatchObject({ ok: false, error: /^empty memory map/ });
  });

  it('does not reject overlapping regions', () => {
    const text = 'base_addr=0x0 length=0x10000 type=1\nbase_addr=0x8000 length=0x10000 type=2\n';
    expect(parseMemoryMap(text)).toMatchObject({ ok: true, regions: [{ end: 0x10000n }, { base: 0x8000n }] });
  });
});

describe('detectFormat', () => {
  const detect = (text: string) => detectFormat(text, text.split('\n'));
  it('applies the rules in order', () => {
    expect(detect('[{"base":"0x0"}]')).toEqual({ format: 'json' });
    expect(detect('garbage\n[ 1.0] BIOS-e820: [mem 0x0-0xfff] usable')).toEqual({ format: 'e820' });
    expect(detect('# c\n\nbase_addr=0x0 length=0x1 type=1')).toEqual({ format: 'multiboot2' });
    expect(detect('00000000-00000fff : Reserved')).toEqual({ format: 'iomem' });
    expect(detect('\nhello')).toMatchObject({
      ok: false,
      error: /^line 2: not a memory-map line "hello": expected e820/,
    });
  });
});
