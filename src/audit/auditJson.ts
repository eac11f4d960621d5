/**
 * The audit of a JSON dump: the per-slot rules on every listed slot; with `handles`, the accounting
 * equation per frame (`accounting.*`: the count is the number of Frame handles, mappings and segments
 * covering the frame; at most one unique handle, none on a shared frame); with `free`, free ranges
 * disjoint and every free frame `REF_COUNT_UNUSED` with no handle; with a memory map, the leak report.
 *
 * The equation applies to slots of usage `Frame`: every metadata type but those the kernel holds for
 * ever from boot (see `metaTypes.ts`). A frame of another usage may still be referenced by handles —
 * its count then covers at least those (`accounting.rc_covers_refs`): fewer is a violation whatever
 * the type's name.
 */
import {
  accountingFrames,
  accountingViolations,
  countByFrame,
  frameRefs,
  type AccountingState,
  type PaddrRange,
} from '../../spec/frame/accounting.ts';
import type { PageUsage } from '../../spec/meta/MetaSlotOwner.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { hexAddr } from '../validate/u64.ts';
import type { AuditReport } from './AuditReport.ts';
import type { DumpHandle, JsonDump } from './dumpSchema.ts';
import { checkMemoryMap } from './leakRule.ts';
import { usageOf } from './metaTypes.ts';
import { overlaps } from './ranges.ts';
import { countName, slotViolations } from './slotRules.ts';
import type { SpecVersion } from '../../spec/head/registry.ts';

/** The rule a frame outside the accounting equation breaks when its count is below the references listed. */
export const RC_COVERS_REFS = 'accounting.rc_covers_refs';

/** The rule a free range overlapping another breaks (the buddy allocator's representation invariant). */
export const FREE_DISJOINT = 'allocator.free_disjoint';

const paddrsOf = (hs: readonly DumpHandle[], kind: 'frame' | 'unique' | 'pte'): number[] =>
  hs.flatMap((h) => (h.kind === kind ? [h.paddr] : []));

/** The accounting view of the dump: counts, usages, handles, list links, mappings, segments, free ranges. */
function accountingOf(d: JsonDump, handles: readonly DumpHandle[], p: ModelParams): AccountingState {
  const rc = new Map<number, bigint>();
  const usage = new Map<number, PageUsage>();
  const listed = new Map<number, number>();
  for (const s of d.slots) {
    rc.set(s.paddr, s.refCount);
    if (s.meta !== undefined) usage.set(s.paddr, usageOf(s.meta, d.metaTypes));
    if (s.inList !== 0n) listed.set(s.paddr, 1);
  }
  return {
    p,
    rc,
    usage,
    listed,
    handles: countByFrame(paddrsOf(handles, 'frame')),
    uniques: countByFrame(paddrsOf(handles, 'unique')),
    ptes: countByFrame(paddrsOf(handles, 'pte')),
    segments: handles.flatMap((h) => (h.kind === 'segment' ? [{ start: h.start, end: h.end }] : [])),
    ...(d.free !== undefined && { free: d.free }),
  };
}

/**
 * Frames of a usage other than `Frame` (boot-held, page tables…) with a shared count: the count must be
 * at least the handles, mappings and segments listed on them (the rest is held for ever with no handle).
 */
function nonFrameCovers(state: AccountingState, report: AuditReport): void {
  const { refCountUnused, refCountUnique } = state.p;
  for (const paddr of accountingFrames(state)) {
    const r = frameRefs(state, paddr);
    const refs = r.handles + r.ptes + r.segments;
    if (r.usage === 'Frame' || refs === 0 || r.rc === refCountUnused || r.rc === refCountUnique || r.rc === 0n)
      continue;
    if (r.rc >= BigInt(refs)) continue;
    report.add({
      frame: paddr,
      invariant: RC_COVERS_REFS,
      expected: `rc >= ${refs} (handles ${r.handles}, mappings ${r.ptes}, segments ${r.segments}; usage ${r.usage})`,
      actual: `rc == ${r.rc}`,
    });
  }
}

/** Free frames must be unused even when the dump lists no handles. */
function freeFramesUnused(d: JsonDump, p: ModelParams, report: AuditReport): void {
  const free = d.free ?? [];
  for (const s of d.slots) {
    if (s.refCount === p.refCountUnused || !free.some((r) => r.start <= s.paddr && s.paddr < r.end)) continue;
    report.add({
      frame: s.paddr,
      invariant: 'accounting.free_unused',
      expected: 'rc == REF_COUNT_UNUSED for a free frame',
      actual: `rc == ${countName(s.refCount, p)}`,
    });
  }
}

/** Audits a parsed JSON dump into `report`; `usable` is the memory map's usable memory, when given. */
export function auditJson(
  d: JsonDump,
  p: ModelParams,
  report: AuditReport,
  usable?: readonly PaddrRange[],
  spec: SpecVersion = 'seed',
): { inUse: number } {
  const inUse: number[] = [];
  for (const s of d.slots) {
    if (s.refCount !== p.refCountUnused) inUse.push(s.paddr);
    for (const v of slotViolations(s, p, spec)) report.add(v);
  }
  if (d.handles !== undefined) {
    const state = accountingOf(d, d.handles, p);
    for (const v of accountingViolations(state, accountingFrames(state)))
      report.add({ frame: v.frame, invariant: v.clause, expected: v.expected, actual: v.actual });
    nonFrameCovers(state, report);
  } else if (d.free !== undefined) freeFramesUnused(d, p, report);
  for (const [a, b] of overlaps(d.free ?? [])) {
    report.add({
      frame: b.start,
      invariant: FREE_DISJOINT,
      expected: 'free ranges are disjoint',
      actual: `${hexAddr(a.start)}..${hexAddr(a.end)} overlaps ${hexAddr(b.start)}..${hexAddr(b.end)}`,
    });
  }
  if (usable !== undefined)
    checkMemoryMap(
      usable,
      d.maxPaddr,
      d.free,
      inUse.sort((a, b) => a - b),
      report,
    );
  return { inUse: inUse.length };
}
