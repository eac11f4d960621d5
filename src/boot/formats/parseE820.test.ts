import { describe, expect, it } from 'vitest';
import { e820Type, isE820Line, parseE820, parseE820Line } from './parseE820.ts';

describe('parseE820Line', () => {
  it('reads an entry with an inclusive end, with or without a dmesg prefix', () => {
    const region = { base: 0n, end: 0x9fc00n, type: 'Usable' };
    expect(parseE820Line('BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable')).toEqual({
      ok: true,
      region,
    });
    expect(parseE820Line('[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable')).toEqual({
      ok: true,
      region,
    });
    expect(parseE820Line('Aug 21 10:00:00 host kernel: BIOS-e820: [mem 0x0-0x9fbff] usable  ')).toEqual({
      ok: true,
      region,
    });
  });

  it('skips lines without the marker, including the kernel’s own e820 edits', () => {
    expect(
      parseE820Line('[    0.001361] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved'),
    ).toBeUndefined();
    expect(parseE820Line('random noise')).toBeUndefined();
    expect(isE820Line('e820: remove [mem 0x000a0000-0x000fffff] usable')).toBe(false);
  });

  it('names what is wrong with a malformed entry', () => {
    expect(parseE820Line('BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('malformed e820 entry'),
    });
    expect(parseE820Line('BIOS-e820: [mem 0x0-0x9fbfg] usable')).toEqual({
      ok: false,
      reason: '"0x9fbfg" is not a hex number (expected 0x…)',
    });
    expect(parseE820Line('BIOS-e820: [mem 0x0-0x9fbff]')).toMatchObject({ ok: false, reason: /missing e820 type/ });
    expect(parseE820Line('BIOS-e820: [mem 0x0-0x9fbff] ram')).toEqual({ ok: false, reason: 'unknown e820 type "ram"' });
    expect(parseE820Line('BIOS-e820: [mem 0x2000-0x1fff] usable')).toMatchObject({ ok: false, reason: /inverted/ });
    expect(parseE820Line('BIOS-e820: [mem 0x1000-0xffffffffffffffff] reserved')).toMatchObject({
      ok: false,
      reason: /overflows u64/,
    });
  });
});

describe('e820Type', () => {
  it('maps Linux type names as OSTD maps E820Type', () => {
    expect(
      [
        'usable',
        'reserved',
        'ACPI data',
        'ACPI NVS',
        'unusable',
        'soft reserved',
        'persistent (type 7)',
        'type 12',
      ].map(e820Type),
    ).toEqual([
      'Usable',
      'Reserved',
      'Reclaimable',
      'NonVolatileSleep',
      'BadMemory',
      'Reserved',
      'Reserved',
      'Reserved',
    ]);
    expect(e820Type('Usable')).toBeUndefined();
    expect(e820Type('type x')).toBeUndefined();
  });
});

describe('parseE820', () => {
  it('keeps entry order and reports the 1-based line of the first bad entry', () => {
    const lines = ['noise', 'BIOS-e820: [mem 0x0-0xfff] reserved', 'BIOS-e820: [mem 0x1000-0x1fff] usable'];
    expect(parseE820(lines)).toEqual({
      ok: true,
      regions: [
        { base: 0n, end: 0x1000n, type: 'Reserved' },
        { base: 0x1000n, end: 0x2000n, type: 'Usable' },
      ],
    });
    expect(parseE820([...lines, 'noise', 'BIOS-e820: [mem 0x1000-0x0fff] usable'])).toEqual({
      ok: false,
      error: 'line 5: inverted range: end 0xfff is below start 0x1000',
    });
  });
});
