/**
 * The frame accounting after DragonOS's `allocator_init`, and its invariants:
 *
 * 1. the bump allocator handed out exactly the page-table frames (everything else below its offset
 *    was used before it started: the kernel and the memory under it);
 * 2. `buddyFreeFrames == usableFrames − bumpUsedFrames + identityTablesFreed`;
 * 3. every free frame is bump leftover or a freed identity table, never the kernel or a live table;
 * 4. the buddy allocator's own representation invariant holds.
 */
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { hexAddr } from './bootKernel.ts';
import { intersect, subtract, totalFrames, union, type AddrRange } from './bootRanges.ts';
import type { DragonosRun } from './dragonosBoot.ts';
import type { KernelPageFlags, SectionName } from './dragonosKernel.ts';
import { pagesStartingIn } from './dragonosMapper.ts';

/** What `framecheck boot --flavor dragonos` reports. */
export type DragonosAccounting = {
  flavor: 'dragonos';
  areas: number;
  usableFrames: number;
  kernel: { start: string; end: string; assumed: boolean };
  kernelFrames: number;
  mappedPages: number;
  mappedPagesByFlags: Record<KernelPageFlags, number>;
  mappedPagesBySection: Record<SectionName, number>;
  partialPagesMapped: number;
  pageTableFrames: number;
  identityPagesMapped: number;
  identityPagesRemoved: number;
  identityTablesFreed: number;
  bumpUsedFrames: number;
  framesBelowKernel: number;
  buddyFreeFrames: number;
  violations: string[];
};

/** The accounting of a finished (or panicked) run. */
export function accountDragonos(run: DragonosRun): DragonosAccounting {
  const m = run.mapper;
  const areas = run.bump.areas;
  const removed = run.buddy === undefined ? 0 : run.identityMapped;
  const a: DragonosAccounting = {
    flavor: 'dragonos',
    areas: run.areas.length,
    usableFrames: run.bump.usage().total,
    kernel: { start: hexAddr(run.kernel.start), end: hexAddr(run.kernel.end), assumed: run.kernelAssumed },
    kernelFrames: areas.reduce(
      (n, r) => n + pagesStartingIn(r.start, (r.end - r.start) / PAGE_SIZE, run.kernel.start, run.kernel.end),
      0,
    ),
    mappedPages: m?.mappedPages ?? 0,
    mappedPagesByFlags: { ...(m?.byFlags ?? { RWX: 0, 'R-X': 0 }) },
    mappedPagesBySection: { ...(m?.bySection ?? { text: 0, data: 0, rodata: 0, bss: 0, other: 0 }) },
    partialPagesMapped: m?.partialPages ?? 0,
    pageTableFrames: m?.tables.length ?? 0,
    identityPagesMapped: run.identityMapped,
    identityPagesRemoved: removed,
    identityTablesFreed: run.identityFreed.length,
    bumpUsedFrames: run.bump.usage().used,
    framesBelowKernel: totalFrames(
      intersect(areas, [{ start: 0, end: Math.floor(run.kernel.start / PAGE_SIZE) * PAGE_SIZE }]),
    ),
    buddyFreeFrames: run.buddy?.usage().free ?? 0,
    violations: [],
  };
  a.violations = [
    ...(run.panic === undefined ? [] : [`boot panicked: ${run.panic}`]),
    ...run.refused,
    ...checkInvariants(run, a),
  ];
  return a;
}

function checkInvariants(run: DragonosRun, a: DragonosAccounting): string[] {
  const out: string[] = [];
  if (a.bumpUsedFrames !== run.usedAtStart + a.pageTableFrames)
    out.push(
      `bump allocator used ${a.bumpUsedFrames} frames, but ${run.usedAtStart} below the kernel end + ${a.pageTableFrames} page tables = ${run.usedAtStart + a.pageTableFrames}`,
    );
  if (run.buddy === undefined) return out;
  const expected = a.usableFrames - a.bumpUsedFrames + a.identityTablesFreed;
  if (a.buddyFreeFrames !== expected)
    out.push(
      `buddy holds ${a.buddyFreeFrames} free frames, but usable ${a.usableFrames} − bump used ${a.bumpUsedFrames} + freed tables ${a.identityTablesFreed} = ${expected}`,
    );
  const free = run.buddy.freeBlocks().map((b) => ({ start: b.addr, end: b.addr + 2 ** b.order * PAGE_SIZE }));
  out.push(...freeFrameFindings(run, free));
  for (const p of run.buddy.audit().slice(0, 5)) out.push(`buddy allocator: ${p}`);
  return out;
}

/** Free memory must be bump leftover or a freed identity table, and never the kernel or a live table. */
function freeFrameFindings(run: DragonosRun, free: readonly AddrRange[]): string[] {
  const frames = (ps: readonly number[]) => union(ps.map((p) => ({ start: p, end: p + PAGE_SIZE })));
  const freed = new Set(run.identityFreed);
  const live = frames((run.mapper?.tables ?? []).filter((t) => !freed.has(t)));
  const allowed = union([...run.handedOver, ...frames(run.identityFreed)]);
  const show = (r: AddrRange) => `${hexAddr(r.start)}..${hexAddr(r.end)}`;
  return [
    ...subtract(free, allowed).map((r) => `free frames ${show(r)} were never handed to the buddy allocator`),
    ...intersect(free, [run.kernel]).map((r) => `free frames ${show(r)} hold the kernel`),
    ...intersect(free, live).map((r) => `free frame ${show(r)} is a live page table`),
  ].slice(0, 10);
}
