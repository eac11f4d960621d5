import { describe, expect, it } from 'vitest';
import { isMultiboot2Line, multiboot2Type, parseMultiboot2, parseMultiboot2Line } from './parseMultiboot2.ts';

describe('parseMultiboot2Line', () => {
  it('reads base and length, fields in any order', () => {
    const region = { base: 0x100000n, end: 0x7ffe0000n, type: 'Usable' };
    expect(parseMultiboot2Line('base_addr=0x100000 length=0x7fee0000 type=1')).toEqual({ ok: true, region });
    expect(parseMultiboot2Line('  type=0x1   length=0x7fee0000 base_addr=0x100000 ')).toEqual({ ok: true, region });
  });

  it('skips blank and comment lines', () => {
    expect(parseMultiboot2Line('   ')).toBeUndefined();
    expect(parseMultiboot2Line('# GRUB map')).toBeUndefined();
  });

  it('names the faulty field', () => {
    const bad = (line: string) => parseMultiboot2Line(line);
    expect(bad('base_addr=0x0 length=0x1')).toEqual({ ok: false, reason: 'missing field type=' });
    expect(bad('base_addr=0x0 base_addr=0x1 length=0x1 type=1')).toEqual({
      ok: false,
      reason: 'duplicate field base_addr=',
    });
    expect(bad('base_addr=0x0 size=0x1 type=1')).toMatchObject({ ok: false, reason: /unexpected token "size=0x1"/ });
    expect(bad('base_addr=0x0 length 0x1 type=1')).toMatchObject({ ok: false, reason: /unexpected token "length"/ });
    expect(bad('base_addr=4096 length=0x1 type=1')).toMatchObject({
      ok: false,
      reason: /^base_addr: "4096" is not a hex/,
    });
    expect(bad('base_addr=0x0 length=0xq type=1')).toMatchObject({ ok: false, reason: /^length: / });
    expect(bad('base_addr=0x0 length=0x1 type=usable')).toEqual({ ok: false, reason: 'type: "usable" is not a u32' });
    expect(bad('base_addr=0x0 length=0x1 type=4294967296')).toMatchObject({ ok: false, reason: /not a u32/ });
    expect(bad('base_addr=0xffffffffffffffff length=0x1 type=2')).toMatchObject({ ok: false, reason: /overflows u64/ });
  });
});

describe('multiboot2Type', () => {
  it('maps the five spec types and reserves custom ones', () => {
    expect([1, 2, 3, 4, 5, 0, 6, 0xf0000000].map(multiboot2Type)).toEqual([
      'Usable',
      'Reserved',
      'Reclaimable',
      'NonVolatileSleep',
      'BadMemory',
      'Reserved',
      'Reserved',
      'Reserved',
    ]);
  });
});

describe('parseMultiboot2', () => {
  it('requires every meaningful line to be an entry', () => {
    expect(isMultiboot2Line('base_addr=0x0 length=0x1 type=1')).toBe(true);
    expect(isMultiboot2Line('mybase_addr=0x0')).toBe(false);
    expect(parseMultiboot2(['base_addr=0x0 length=0x1000 type=1', '', 'garbage'])).toMatchObject({
      ok: false,
      error: /^line 3: unexpected token "garbage"/,
    });
  });
});
