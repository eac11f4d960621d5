/**
 * The audit after a stress run, once every worker has stopped: each frame's count, metadata and
 * allocator state must be exactly what the workers' histories say they hold — nothing for a worker that
 * finished (it dropped everything), its last handles for one that crashed — and a frame may differ
 * only where a crashed worker's in-flight operation explains it (taken effect, not taken, or stopped in
 * its claim/drop window). Then the accounting equation: free + in use + explained = every frame.
 */
import type { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import type { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { Stamped } from '../record/HistoryRecorder.ts';
import { OPS, type StressOp } from './HistoryBuffer.ts';
import { fromAllocator, opDef } from '../ops/opTable.ts';

/** How a worker ended, its events, and the operation it had in flight when it stopped (if it crashed). */
export type WorkerEnd = Readonly<{
  id: number;
  status: 'finished' | 'crashed' | 'timeout';
  events: readonly Stamped[];
  pending: Readonly<{ op: StressOp; paddr: number }> | undefined;
}>;

/** The audit's verdict. */
export type AuditReport = Readonly<{
  frames: number;
  free: number;
  inUse: number;
  /** Frames in a state only a crashed worker's in-flight operation explains. */
  explained: readonly Readonly<{ frame: number; worker: number; op: StressOp }>[];
  violations: readonly string[];
  /** free + inUse + explained == frames, with no violation. */
  exact: boolean;
}>;

type Holds = { shared: Int32Array; unique: Int32Array };
type Obs = { rc: bigint; live: boolean; free: boolean };
type Expect = { shared: number; unique: number; window?: boolean; leakOk?: boolean };

/** What each operation that returned does to the caller's shared and unique handles. */
const DELTA = Object.fromEntries(
  OPS.map((op) => {
    const d = opDef(op);
    const given = (k: 'shared' | 'unique') => (d.releases === k ? -1 : 0) + (d.onOk[k] ?? 0);
    return [op, [given('shared'), given('unique')] as const];
  }),
) as Readonly<Record<StressOp, readonly [number, number]>>;

/**
 * The handles a worker still holds, from its events: each successful return applies to the address
 * its invoke named (an `alloc`'s to the address it returned). A finished worker must hold none.
 */
function holdsOf(w: WorkerEnd, frames: number): Holds {
  const h: Holds = { shared: new Int32Array(frames), unique: new Int32Array(frames) };
  let at = -1;
  for (const { event: e } of w.events) {
    const v = (e.value ?? {}) as Record<string, unknown>;
    if (e.type === 'invoke') {
      at = fromAllocator(e.f) ? -1 : Number.parseInt(String(v['paddr']), 16) / PAGE_SIZE;
      continue;
    }
    if (fromAllocator(e.f) && v['paddr'] !== undefined) at = Number.parseInt(String(v['paddr']), 16) / PAGE_SIZE;
    else if (v['ok'] !== true) continue;
    h.shared[at]! += DELTA[e.f as StressOp][0];
    h.unique[at]! += DELTA[e.f as StressOp][1];
  }
  return h;
}

/** Whether a frame's observed state is the one `e` describes. */
function matches(o: Obs, e: Expect, p: { unused: bigint; unique: bigint }): boolean {
  if (e.window === true && o.rc === 0n) return true;
  if (e.shared === 0 && e.unique === 0) return o.rc === p.unused && !o.live && (o.free || e.leakOk === true);
  if (o.free || !o.live) return false;
  if (e.unique === 1 && e.shared === 0) return o.rc === p.unique;
  return e.unique === 0 && e.shared > 0 && o.rc === BigInt(e.shared);
}

/** The states a crashed worker's in-flight operation allows besides "not taken effect". */
function variants(base: Expect, op: StressOp): Expect[] {
  const after = { shared: base.shared + DELTA[op][0], unique: base.unique + DELTA[op][1] };
  // an outcome through the transient count 0 (a claim by the allocator, a last drop) may be caught in its window
  const teardown = opDef(op).throughZero !== undefined;
  return [
    { ...after, ...(teardown && { window: true, leakOk: true }) },
    ...(fromAllocator(op) ? [{ ...base, window: true, leakOk: true }] : []),
  ];
}

/** Audits the quiescent state left by the workers. */
export function auditQuiescent(
  region: MetaRegion,
  buddy: BuddyAllocator,
  frames: number,
  workers: readonly WorkerEnd[],
): AuditReport {
  const total: Holds = { shared: new Int32Array(frames), unique: new Int32Array(frames) };
  const violations: string[] = [];
  for (const w of workers) {
    const h = holdsOf(w, frames);
    for (let f = 0; f < frames; f++) {
      if (w.status === 'finished' && (h.shared[f] !== 0 || h.unique[f] !== 0))
        violations.push(`worker ${w.id} finished but its history still holds frame ${f}: a lost update`);
      total.shared[f]! += h.shared[f]!;
      total.unique[f]! += h.unique[f]!;
    }
  }
  const free = new Uint8Array(frames);
  for (const b of buddy.freeBlocks()) free.fill(1, b.addr / PAGE_SIZE, b.addr / PAGE_SIZE + 2 ** b.order);
  const p = { unused: region.REF_COUNT_UNUSED, unique: region.REF_COUNT_UNIQUE };
  const explained: { frame: number; worker: number; op: StressOp }[] = [];
  let alloced = workers.filter((w) => w.pending !== undefined && fromAllocator(w.pending.op));
  let inUse = 0;
  for (let f = 0; f < frames; f++) {
    const o: Obs = { rc: region.refCount(f), live: region.dynMeta(f) !== undefined, free: free[f] === 1 };
    const base: Expect = { shared: total.shared[f]!, unique: total.unique[f]! };
    if (matches(o, base, p)) {
      if (!o.free) inUse++;
      continue;
    }
    const w =
      workers.find(
        (x) => x.pending !== undefined && !fromAllocator(x.pending.op) && x.pending.paddr === f * PAGE_SIZE,
      ) ?? alloced[0];
    if (w !== undefined && variants(base, w.pending!.op).some((e) => matches(o, e, p))) {
      explained.push({ frame: f, worker: w.id, op: w.pending!.op });
      if (fromAllocator(w.pending!.op)) alloced = alloced.filter((x) => x !== w);
      continue;
    }
    violations.push(
      `frame ${f}: count ${o.rc}, metadata ${o.live ? 'live' : 'dropped'}, ${o.free ? 'free' : 'allocated'} in the buddy allocator, but the histories hold ${base.shared} shared and ${base.unique} unique handle(s)`,
    );
  }
  const usage = buddy.usage();
  for (const a of buddy.audit()) violations.push(`buddy allocator: ${a}`);
  if (usage.free + inUse + explained.length !== frames)
    violations.push(
      `accounting: ${usage.free} free + ${inUse} in use + ${explained.length} explained != ${frames} frames`,
    );
  return { frames, free: usage.free, inUse, explained, violations, exact: violations.length === 0 };
}
