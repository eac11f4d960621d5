/**
 * The memory-map rules of an audit (`--memory-map`): every usable frame has a metadata slot and is
 * either free in the allocator or in use — the frames that are neither are reported as leaked ranges
 * — and the allocator's free ranges lie in usable memory. Without free ranges in the dump (a raw
 * dump, or a JSON dump without `free`) only the coverage is checked, and a note says so.
 *
 * These are OSTD's boot accounting (`framecheck boot`, rule 1: every usable frame is exactly one of
 * free or in use), applied to a state captured later.
 */
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { MAX_MODEL_PADDR } from '../../spec/vocab.ts';
import { intoNonOverlapping } from '../boot/normalize.ts';
import { parseMemoryMap } from '../boot/parseMemoryMap.ts';
import { hexAddr } from '../validate/u64.ts';
import type { AuditReport } from './AuditReport.ts';
import { difference, normalize, withoutFrames } from './ranges.ts';

/** The rule names. */
export const LEAK_RULES = {
  usableAccounted: 'allocator.usable_accounted',
  freeInUsable: 'allocator.free_in_usable',
} as const;

/** The usable ranges of a memory map (normalized as OSTD does), or the one-line reason it is bad input. */
export function usableRanges(text: string): PaddrRange[] | { error: string } {
  const parsed = parseMemoryMap(text);
  if (!parsed.ok) return { error: parsed.error };
  const clip = (v: bigint) => Number(v > BigInt(MAX_MODEL_PADDR) ? BigInt(MAX_MODEL_PADDR) : v);
  return normalize(
    intoNonOverlapping(parsed.regions)
      .filter((r) => r.type === 'Usable')
      .map((r) => ({ start: clip(r.base), end: clip(r.end) })),
  );
}

const frames = (r: PaddrRange) => (r.end - r.start) / 4096;
const span = (r: PaddrRange) =>
  `${hexAddr(r.start)}..${hexAddr(r.end)} (${frames(r)} frame${frames(r) === 1 ? '' : 's'})`;

/**
 * Checks the usable memory against the region: coverage always; with `free`, the leak report and
 * `free ⊆ usable`. `inUse` lists the frames whose count is not `REF_COUNT_UNUSED`, sorted.
 */
export function checkMemoryMap(
  usable: readonly PaddrRange[],
  maxPaddr: number,
  free: readonly PaddrRange[] | undefined,
  inUse: readonly number[],
  report: AuditReport,
): void {
  for (const r of difference(usable, [{ start: 0, end: maxPaddr }])) {
    report.add({
      frame: r.start,
      invariant: LEAK_RULES.usableAccounted,
      expected: 'every usable frame has a metadata slot',
      actual: `usable ${span(r)} lies beyond maxPaddr ${hexAddr(maxPaddr)}`,
    });
  }
  if (free === undefined) {
    report.notes.push(
      'the dump lists no free ranges: the leak report needs them, so only slot coverage of usable memory was checked',
    );
    return;
  }
  const freeSet = normalize(free);
  for (const r of difference(freeSet, usable)) {
    report.add({
      frame: r.start,
      invariant: LEAK_RULES.freeInUsable,
      expected: 'free ranges lie in usable memory',
      actual: `free ${span(r)} is not usable memory`,
    });
  }
  const leaked = withoutFrames(
    difference(difference(usable, [{ start: maxPaddr, end: Number.MAX_SAFE_INTEGER }]), freeSet),
    inUse,
  );
  for (const r of leaked) {
    report.add({
      frame: r.start,
      invariant: LEAK_RULES.usableAccounted,
      expected: 'every usable frame is free in the allocator or in use',
      actual: `leaked: ${span(r)} REF_COUNT_UNUSED and not free`,
    });
  }
}
