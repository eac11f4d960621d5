/**
 * The kernel image's physical range for `framecheck boot --kernel START-END`: parsed at the edge,
 * then laid over the firmware map as a `Kernel` region, as OSTD's boot layer adds one to the
 * regions the bootloader reports.
 */
import { U64_MAX } from '../../spec/vocab.ts';
import type { MemoryRegion } from './MemoryRegion.ts';

/** A physical range `[start, end)` as u64 bigints, `start < end`. */
export type KernelRange = Readonly<{ start: bigint; end: bigint }>;

const NUMBER = /^(0[xX][0-9a-fA-F]+|\d+)$/;

/**
 * Parses `START-END` (each `0x` hex or decimal, end exclusive) into a non-empty range, or says
 * why it is not one (without the flag name).
 */
export function parseKernelRange(text: string): KernelRange | string {
  const parts = text.split('-');
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined || !NUMBER.test(a) || !NUMBER.test(b))
    return `expected START-END (0x hex or decimal, end exclusive), got ${JSON.stringify(text)}`;
  const start = BigInt(a);
  const end = BigInt(b);
  if (end > U64_MAX || start > U64_MAX) return `${text} does not fit in u64`;
  if (start >= end) return `empty or inverted range ${text}`;
  return { start, end };
}

/** The `Kernel` region covering `range`. */
export function kernelRegion(range: KernelRange): MemoryRegion {
  return { base: range.start, end: range.end, type: 'Kernel' };
}

/** `0x…` rendering of an address. */
export function hexAddr(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}
