/**
 * Splits a history into per-frame sub-histories (P-compositionality: the spec of each frame is
 * independent of every other frame's), and judges on the spot the events that need no frame state:
 * a bad address, an allocation of zero frames, an allocation error.
 *
 * An `alloc` that returned names its frames, so it becomes one claim per frame; an `alloc` whose
 * outcome is unknown may have taken any frame not allocated, and is kept aside as a wildcard.
 */
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { fromAllocator, historyOp, opNamed } from '../ops/opTable.ts';
import type { History, HistoryOp } from './History.ts';
import type { StepKind, SubOp } from './frameSpec.ts';
import { hexAddr } from './u64.ts';

/** An entry of a frame's sub-history: an operation's invoke, its return, or its deadline. */
export type Entry = Readonly<{ type: 'call' | 'ret' | 'close'; sub: number; seq: number }>;

/** One frame's sub-history. */
export type FrameHistory = Readonly<{
  paddr: number;
  init: bigint | undefined;
  subs: readonly SubOp[];
  entries: readonly Entry[];
}>;

/** An event no frame state can explain, judged on its own. */
export type Stateless = Readonly<{ op: HistoryOp; clause: string; reason: string }>;

/** The split: per-frame sub-histories, stateless findings, and the allocations of unknown outcome. */
export type Split = Readonly<{ frames: Map<number, FrameHistory>; stateless: Stateless[]; wildcards: HistoryOp[] }>;

/** The parts of a sub-history under construction. */
export type SubHistory = { subs: SubOp[]; entries: Entry[] };
type Builder = SubHistory & { paddr: number; init: bigint | undefined };

const NEEDS_SLOT = 'the caller holds a handle to a frame with a slot (has_safe_slot(paddr))';

/** Which frame operation `op` is, in `seqStep`'s alphabet. */
function kindOf(op: HistoryOp): StepKind {
  return historyOp(op.f, op.args) ?? (op.f as StepKind);
}

/** The address error a claim or acquire must report for a paddr without a slot, if any. */
function addressError(paddr: bigint, maxPaddr: number): string | undefined {
  if (paddr % BigInt(PAGE_SIZE) !== 0n) return 'NotAligned';
  return paddr >= BigInt(maxPaddr) ? 'OutOfBound' : undefined;
}

/** Splits `h` into per-frame sub-histories. */
export function splitByFrame(h: History, maxPaddr: number): Split {
  const frames = new Map<number, Builder>();
  const stateless: Stateless[] = [];
  const wildcards: HistoryOp[] = [];
  const frame = (paddr: number): Builder => {
    let b = frames.get(paddr);
    if (b === undefined) frames.set(paddr, (b = { paddr, init: h.init.get(paddr), subs: [], entries: [] }));
    return b;
  };
  for (const op of h.ops) {
    const alone = judgeAlone(op, maxPaddr);
    if (alone === 'fine') continue;
    if (alone !== 'frames') stateless.push(alone);
    else if (fromAllocator(op.f) && op.outcome === undefined) wildcards.push(op);
    else for (const paddr of framesOf(op)) addSub(frame(paddr), op, kindOf(op));
  }
  for (const [p, v] of h.init) if (!frames.has(p)) frame(p).init = v;
  for (const b of frames.values()) b.entries.sort((x, y) => x.seq - y.seq || order(x) - order(y));
  return { frames, stateless, wildcards };
}

/** A deadline comes before the invoke it coincides with. */
const order = (e: Entry): number => (e.type === 'close' ? 0 : 1);

/** The frames an operation touches (an `alloc` with its returned range, a `dealloc` with its range). */
export function framesOf(op: HistoryOp): number[] {
  if (fromAllocator(op.f))
    return op.outcome?.paddr === undefined ? [] : range(Number(op.outcome.paddr), op.args.nframes ?? 0);
  if (op.f === 'dealloc') return range(Number(op.args.paddr!), op.args.nframes ?? 0);
  return [Number(op.args.paddr!)];
}

const range = (start: number, n: number): number[] => Array.from({ length: n }, (_, k) => start + k * PAGE_SIZE);

/** Adds `op`'s part on frame `b`: a sub-operation and its call, return and deadline entries. */
export function addSub(b: SubHistory, op: HistoryOp, kind: StepKind): void {
  const sub = b.subs.length;
  const result = op.outcome?.result;
  b.subs.push({ kind, result, value: op.outcome?.value, opId: op.id });
  b.entries.push({ type: 'call', sub, seq: op.invoke.seq });
  if (op.status === 'ok') b.entries.push({ type: 'ret', sub, seq: op.ret!.seq });
  else if (op.deadline !== undefined) b.entries.push({ type: 'close', sub, seq: op.deadline.seq });
}

/** The verdict on an event that needs no frame state: a finding, `fine`, or `frames` when its frames judge it. */
function judgeAlone(op: HistoryOp, maxPaddr: number): Stateless | 'fine' | 'frames' {
  if (fromAllocator(op.f)) return judgeAlloc(op, maxPaddr);
  const paddr = op.args.paddr!;
  const want = addressError(paddr, maxPaddr);
  const end = op.f === 'dealloc' ? paddr + BigInt((op.args.nframes ?? 0) * PAGE_SIZE) : paddr;
  if (want === undefined && end <= BigInt(maxPaddr)) return 'frames';
  if (op.outcome === undefined) return 'fine';
  const byAddress = opNamed(op.f);
  if (byAddress?.target === 'paddr') {
    if (op.outcome.result === want) return 'fine';
    const rust = byAddress.rust;
    return {
      op,
      clause: `${rust}.ensures.err_kind`,
      reason: `${op.f}(${hexAddr(paddr)}) returned ${show(op.outcome.result)}; an address ${want === 'NotAligned' ? 'not page-aligned' : `at or beyond MAX_PADDR ${hexAddr(maxPaddr)}`} gets Err(${want}) (NotAligned is checked before OutOfBound)`,
    };
  }
  return {
    op,
    clause: `${op.f}.requires.safe_slot`,
    reason: `${op.f}(${hexAddr(paddr)}) returned, but ${NEEDS_SLOT} does not hold: no linearization makes it legal`,
  };
}

function judgeAlloc(op: HistoryOp, maxPaddr: number): Stateless | 'fine' | 'frames' {
  const n = op.args.nframes ?? 0;
  const out = op.outcome;
  if (out === undefined || out.result === 'ok')
    return out === undefined && n === 0 ? 'fine' : judgeRange(op, n, maxPaddr);
  if (out.result === 'NoMemory') return 'fine';
  if (out.result === 'InvalidArgs')
    return n === 0
      ? 'fine'
      : {
          op,
          clause: 'GlobalFrameAllocator::alloc.ensures.fresh',
          reason: `alloc(${n}) returned Err(InvalidArgs), but only a request for zero frames is invalid`,
        };
  return { op, clause: 'GlobalFrameAllocator::alloc.ensures.fresh', reason: `alloc(${n}) returned Err(${out.result})` };
}

/** An allocation that returned (or may have returned) frames: its range must be frames with slots. */
function judgeRange(op: HistoryOp, n: number, maxPaddr: number): Stateless | 'frames' {
  const out = op.outcome;
  if (out === undefined) return 'frames';
  if (n === 0)
    return {
      op,
      clause: 'GlobalFrameAllocator::alloc.ensures.fresh',
      reason: 'alloc(0) returned frames; a request for zero frames is Err(InvalidArgs)',
    };
  const p = out.paddr!;
  if (p % BigInt(PAGE_SIZE) === 0n && p + BigInt(n * PAGE_SIZE) <= BigInt(maxPaddr)) return 'frames';
  return {
    op,
    clause: 'GlobalFrameAllocator::alloc.ensures.fresh',
    reason: `alloc(${n}) returned ${hexAddr(p)}, which is not ${n} page-aligned frame(s) below MAX_PADDR ${hexAddr(maxPaddr)}`,
  };
}

/** A result as the history wrote it. */
export function show(result: string): string {
  return result === 'ok' || result === 'ok:last' ? 'Ok' : result === 'value' ? 'a count' : `Err(${result})`;
}
