import { describe, expect, it } from 'vitest';
import { parsePaddr } from './address.ts';

describe('parsePaddr', () => {
  it('accepts numbers, bigints, hex and decimal strings', () => {
    expect(parsePaddr(0x3000)).toBe(0x3000);
    expect(parsePaddr(0x3000n)).toBe(0x3000);
    expect(parsePaddr('0x3000')).toBe(0x3000);
    expect(parsePaddr('0xffff_ffff_ffff_f000')).toBe(0xffff_ffff_ffff_f000n);
    expect(parsePaddr('12288')).toBe(12288);
  });
  it.each([[-4096], [0.5], [Number.NaN], [Infinity], [1n << 64n], ['0x'], ['hello'], ['-1'], [null], [{}]])(
    'rejects %s with a typed error',
    (bad) => {
      const r = parsePaddr(bad);
      expect(typeof r).toBe('object');
      expect(r).toMatchObject({ error: 'InvalidAddress' });
    },
  );
});
