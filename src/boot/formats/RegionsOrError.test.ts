import { describe, expect, it } from 'vitest';
import { collectLines, failAt, inclusiveRegion, isBlankOrComment, lengthRegion, quote } from './RegionsOrError.ts';

const MAX = (1n << 64n) - 1n;

describe('range constructors', () => {
  it('turns an inclusive end into an exclusive one', () => {
    expect(inclusiveRegion(0n, 0x9fbffn, 'Usable')).toEqual({
      ok: true,
      region: { base: 0n, end: 0x9fc00n, type: 'Usable' },
    });
    expect(inclusiveRegion(5n, 5n, 'Reserved')).toEqual({ ok: true, region: { base: 5n, end: 6n, type: 'Reserved' } });
  });

  it('rejects inverted and overflowing inclusive ranges', () => {
    expect(inclusiveRegion(0x2000n, 0x1fffn, 'Usable')).toEqual({
      ok: false,
      reason: 'inverted range: end 0x1fff is below start 0x2000',
    });
    expect(inclusiveRegion(0n, MAX, 'Reserved').ok).toBe(false);
  });

  it('checks base + length against u64', () => {
    expect(lengthRegion(MAX - 0x10n, 0x10n, 'Reserved')).toEqual({
      ok: true,
      region: { base: MAX - 0x10n, end: MAX, type: 'Reserved' },
    });
    expect(lengthRegion(MAX - 0x10n, 0x11n, 'Reserved')).toEqual({
      ok: false,
      reason: 'base 0xffffffffffffffef + length 0x11 overflows u64',
    });
    expect(lengthRegion(0n, 0n, 'Usable')).toEqual({ ok: true, region: { base: 0n, end: 0n, type: 'Usable' } });
  });
});

describe('line helpers', () => {
  it('numbers lines from 1 and keeps messages on one line', () => {
    expect(failAt(3, 'bad')).toEqual({ ok: false, error: 'line 3: bad' });
    expect(quote('  a\tb\n c ')).toBe('"a b c"');
    expect(quote('x'.repeat(100))).toHaveLength(62);
  });

  it('skips, collects and stops at the first bad line', () => {
    const parse = (line: string) =>
      line === 'skip'
        ? undefined
        : line === 'bad'
          ? { ok: false as const, reason: 'no' }
          : lengthRegion(0n, 1n, 'Usable');
    expect(collectLines(['skip', 'x', 'x'], parse)).toMatchObject({ ok: true, regions: [{}, {}] });
    expect(collectLines(['x', 'skip', 'bad', 'bad'], parse)).toEqual({ ok: false, error: 'line 3: no' });
  });

  it('treats blank and # lines as empty', () => {
    expect(['', '  ', '# note', '  # note'].every(isBlankOrComment)).toBe(true);
    expect(isBlankOrComment('0-1 : x')).toBe(false);
  });
});
