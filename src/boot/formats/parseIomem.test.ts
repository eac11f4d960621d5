import { describe, expect, it } from 'vitest';
import { iomemType, isIomemLine, parseIomem, parseIomemLine } from './parseIomem.ts';

describe('parseIomemLine', () => {
  it('reads a top-level line with an inclusive end', () => {
    expect(parseIomemLine('00100000-7ffdffff : System RAM')).toEqual({
      ok: true,
      region: { base: 0x100000n, end: 0x7ffe0000n, type: 'Usable' },
    });
    expect(parseIomemLine('100000000-67fffffff : System RAM')).toMatchObject({
      ok: true,
      region: { end: 0x680000000n },
    });
  });

  it('skips children, blank lines and comments, but checks the children’s shape', () => {
    expect(parseIomemLine('  1c000000-1d002581 : Kernel code')).toBeUndefined();
    expect(parseIomemLine('    fd000000-fdffffff : bochs-drm')).toBeUndefined();
    expect(parseIomemLine('')).toBeUndefined();
    expect(parseIomemLine('# comment')).toBeUndefined();
    expect(parseIomemLine('  nonsense')).toMatchObject({ ok: false, reason: /malformed \/proc\/iomem line/ });
  });

  it('rejects non-hex numbers, prefixes, inverted ranges and missing names', () => {
    expect(parseIomemLine('0x0-0xfff : Reserved')).toMatchObject({ ok: false, reason: /not a hex number/ });
    expect(parseIomemLine('0000100g-0009fbff : System RAM')).toEqual({
      ok: false,
      reason: '"0000100g" is not a hex number',
    });
    expect(parseIomemLine('00002000-00001fff : Reserved')).toMatchObject({ ok: false, reason: /inverted/ });
    expect(parseIomemLine('00000000-00000fff :  ')).toMatchObject({ ok: false, reason: /missing resource name/ });
    expect(parseIomemLine('00000000-00000fff: Reserved')).toMatchObject({ ok: false, reason: /malformed/ });
  });
});

describe('iomemType', () => {
  it('maps the e820 resource names and reserves everything else', () => {
    expect(
      ['System RAM', 'Reserved', 'ACPI Tables', 'ACPI Non-volatile Storage', 'Unusable memory', 'Kernel code'].map(
        iomemType,
      ),
    ).toEqual(['Usable', 'Reserved', 'Reclaimable', 'NonVolatileSleep', 'BadMemory', 'Kernel']);
    expect(['PCI Bus 0000:00', 'Video ROM', 'IOAPIC 0', 'Persistent Memory', 'toString'].map(iomemType)).toEqual(
      Array(5).fill('Reserved'),
    );
  });
});

describe('parseIomem', () => {
  it('recognizes iomem lines at any depth', () => {
    expect(isIomemLine('  000f0000-000fffff : System ROM')).toBe(true);
    expect(isIomemLine('base_addr=0x0 length=0x1 type=1')).toBe(false);
  });

  it('rejects a map read without root', () => {
    const lines = [
      '00000000-00000000 : Reserved',
      '00000000-00000000 : System RAM',
      '  00000000-00000000 : Kernel code',
    ];
    expect(parseIomem(lines)).toMatchObject({ ok: false, error: /^line 1: every \/proc\/iomem range is 0-0/ });
  });

  it('rejects a map with only children', () => {
    expect(parseIomem(['', '  00000000-00000fff : Reserved'])).toEqual({
      ok: false,
      error: 'line 2: no top-level /proc/iomem line (all are indented)',
    });
  });
});
