import { describe, expect, it } from 'vitest';
import { hexAddr, kernelRegion, parseKernelRange } from './bootKernel.ts';

describe('parseKernelRange', () => {
  it('reads hex and decimal ends', () => {
    expect(parseKernelRange('0x100000-0x900000')).toEqual({ start: 0x100000n, end: 0x900000n });
    expect(parseKernelRange('4096-8192')).toEqual({ start: 4096n, end: 8192n });
  });
  it.each([
    ['0x100000', /expected START-END/],
    ['0x1-0x2-0x3', /expected START-END/],
    ['zz-0x10', /expected START-END/],
    ['0x900000-0x100000', /empty or inverted/],
    ['0x1000-0x1000', /empty or inverted/],
    ['0x0-0x10000000000000000', /does not fit in u64/],
  ])('rejects %s', (text, reason) => {
    expect(parseKernelRange(text)).toMatch(reason);
  });
  it('makes a Kernel region and renders addresses', () => {
    expect(kernelRegion({ start: 1n, end: 2n })).toEqual({ base: 1n, end: 2n, type: 'Kernel' });
    expect(hexAddr(0x7ffe0000)).toBe('0x7ffe0000');
  });
});
