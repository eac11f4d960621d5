import { describe, expect, it } from 'vitest';
import { elementLines, looksLikeJson, parseJsonMap } from './parseJsonMap.ts';

const entry = (base: unknown, len: unknown, type = 'Usable') => ({ base, len, type });
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

describe('parseJsonMap', () => {
  it('reads hex strings and safe integers', () => {
    expect(parseJsonMap(JSON.stringify([entry('0x1000', '0X2000', 'Kernel'), entry(0, 4096)]))).toEqual({
      ok: true,
      regions: [
        { base: 0x1000n, end: 0x3000n, type: 'Kernel' },
        { base: 0n, end: 0x1000n, type: 'Usable' },
      ],
    });
  });

  it('names the line and the field of a bad entry', () => {
    const text = pretty([entry('0x0', '0x1000'), entry('0x1000', '4096')]);
    expect(parseJsonMap(text)).toEqual({
      ok: false,
      error: 'line 7: entry 1: len: "4096" is not a hex number (expected 0x…)',
    });
    expect(parseJsonMap(pretty([entry('0x0', 2 ** 53)]))).toMatchObject({
      ok: false,
      error: /^line 2: entry 0: len: expected/,
    });
    expect(parseJsonMap(pretty([entry('0x0', -1)]))).toMatchObject({ ok: false, error: /^line 2: entry 0: len: / });
    expect(parseJsonMap(pretty([entry('0x0', '0x1', 'usable')]))).toMatchObject({
      ok: false,
      error: /^line 2: entry 0: type: "usable" is not an OSTD MemoryRegionType \(BadMemory, Unknown, .*Usable\)$/,
    });
    expect(parseJsonMap('[{"base":"0x0","type":"Usable"}]')).toEqual({
      ok: false,
      error: 'line 1: entry 0: len: required',
    });
  });

  it('rejects unknown keys, overflow and non-arrays', () => {
    expect(parseJsonMap('[{"base":"0x0","length":"0x1","len":"0x1","type":"Usable"}]')).toMatchObject({
      ok: false,
      error: /^line 1: entry 0: .*length/,
    });
    expect(parseJsonMap(pretty([entry('0xffffffffffffffff', '0x1', 'Reserved')]))).toMatchObject({
      ok: false,
      error: /^line 2: entry 0: base 0xffffffffffffffff \+ length 0x1 overflows u64$/,
    });
    expect(parseJsonMap('{"regions":[]}')).toMatchObject({ ok: false, error: /^line 1: expected a JSON array/ });
    expect(parseJsonMap('[1]')).toMatchObject({ ok: false, error: /^line 1: entry 0: / });
  });

  it('places syntax errors on their line', () => {
    const text = '[\n  {"base":"0x0","len":"0x1","type":"Usable"}\n  {"base":"0x1"}\n]';
    expect(parseJsonMap(text)).toMatchObject({ ok: false, error: /^line 3:3: not valid JSON \(/ });
    expect(parseJsonMap('[\n{"base":')).toMatchObject({ ok: false, error: /^line 2:9: not valid JSON \(/ });
  });

  it('returns no region for an empty array (the façade rejects it)', () => {
    expect(parseJsonMap('[]')).toEqual({ ok: true, regions: [] });
  });
});

describe('elementLines', () => {
  it('finds where each top-level element starts, ignoring strings and nesting', () => {
    expect(elementLines('[\n {"a":"],{"},\n\n {"b":[1,\n2]}, 3\n]')).toEqual([2, 4, 5]);
    expect(elementLines('[]')).toEqual([]);
  });
});

describe('looksLikeJson', () => {
  it('tells JSON from dmesg', () => {
    expect(looksLikeJson('  [\n{')).toBe(true);
    expect(looksLikeJson('{}')).toBe(true);
    expect(looksLikeJson('[]')).toBe(true);
    expect(looksLikeJson('[    0.000000] BIOS-e820: …')).toBe(false);
    expect(looksLikeJson('[12345.678901] x')).toBe(false);
    expect(looksLikeJson('00000000-00000fff : Reserved')).toBe(false);
  });
});
