import { describe, expect, it } from 'vitest';
import { parseHexU64 } from './parseHexU64.ts';

describe('parseHexU64', () => {
  it('reads prefixed and bare hex', () => {
    expect(parseHexU64('0x9fbff', true)).toEqual({ ok: true, value: 0x9fbffn });
    expect(parseHexU64('0X0000000000100000', true)).toEqual({ ok: true, value: 0x100000n });
    expect(parseHexU64('7ffdffff', false)).toEqual({ ok: true, value: 0x7ffdffffn });
    expect(parseHexU64('ffffffffffffffff', false)).toEqual({ ok: true, value: (1n << 64n) - 1n });
  });

  it('rejects non-hex text', () => {
    for (const text of ['', '0x', '12g', '-0x1', '0x1_000', ' 0x1', '1e3']) {
      expect(parseHexU64(text, true).ok, text).toBe(false);
    }
    expect(parseHexU64('0x10', false)).toEqual({ ok: false, reason: '"0x10" is not a hex number' });
    expect(parseHexU64('100', true)).toEqual({ ok: false, reason: '"100" is not a hex number (expected 0x…)' });
  });

  it('rejects values past u64', () => {
    expect(parseHexU64('0x10000000000000000', true)).toEqual({
      ok: false,
      reason: '"0x10000000000000000" overflows u64',
    });
    expect(parseHexU64('0x00000000000000000001', true)).toEqual({ ok: true, value: 1n });
  });
});
