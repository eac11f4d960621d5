/**
 * The sequential spec of one frame as a validator steps it: `seqStep` on the frame's count, plus the
 * allocator's bit for the frame, with the operations that pass through the transient count 0 split
 * into their two atomic steps.
 *
 * A claim (`from_unused`, the claim inside `alloc`), a last `drop` and a `drop_unique` first move the
 * count to 0 (step A) and later publish their final count (step B); in between the frame is `Busy` to
 * everyone else, which is the only way a `Busy` result or an observed count of 0 is explained.
 */
import { seqStep, type FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { fromAllocator, opNamed } from '../ops/opTable.ts';

/** What one sub-operation does to one frame: a `seqStep` operation, an observation, or the allocator's hand-back. */
export type StepKind = FrameOpName | 'ref_count' | 'dealloc';

/** One operation's part on one frame. `result` is `undefined` when the outcome is unknown. */
export type SubOp = Readonly<{ kind: StepKind; result: string | undefined; value: bigint | undefined; opId: number }>;

/** A frame's state: its count and whether the allocator has handed it out. */
export type FrameState = Readonly<{ rc: bigint; allocated: boolean }>;

/** Progress of one operation on the frame: not yet taken effect, halfway through zero, or done. */
export type Phase = 0 | 1 | 2;

/** A step one operation can take from a state. */
export type Step = Readonly<{ phase: Phase; rc: bigint; allocated: boolean }>;

/** Whether `result` of `kind` is reached through the transient count 0 (two atomic steps). */
export function throughZero(kind: StepKind, result: string): boolean {
  return opNamed(kind)?.throughZero === result;
}

/** The count step B publishes: a claim's (1, or `REF_COUNT_UNIQUE` for a unique handle), else `REF_COUNT_UNUSED`. */
function finalCount(kind: StepKind, p: ModelParams): bigint {
  const def = opNamed(kind);
  if (def?.claims !== true) return p.refCountUnused;
  return def.onOk.unique === 1 ? (p.refCountUnique ?? p.refCountUnused) : 1n;
}

/** Step A of a through-zero outcome, if the state allows it. */
function stepA(op: SubOp, s: FrameState, p: ModelParams): Step | undefined {
  if (fromAllocator(op.kind) && s.allocated) return undefined;
  const out = seqStep(op.kind as FrameOpName, s.rc, p);
  if (out.kind !== 'return' || !throughZero(op.kind, out.result)) return undefined;
  return { phase: 1, rc: 0n, allocated: fromAllocator(op.kind) ? true : s.allocated };
}

/** The one step of an outcome that does not pass through 0, if the state allows it. */
function single(op: SubOp, s: FrameState, p: ModelParams): Step | undefined {
  if (op.kind === 'ref_count') return op.value === s.rc ? { phase: 2, rc: s.rc, allocated: s.allocated } : undefined;
  if (op.kind === 'dealloc')
    return s.allocated && s.rc === p.refCountUnused ? { phase: 2, rc: s.rc, allocated: false } : undefined;
  const out = seqStep(op.kind, s.rc, p);
  if (out.kind !== 'return' || throughZero(op.kind, out.result)) return undefined;
  if (op.result !== undefined && out.result !== op.result) return undefined;
  // An unknown outcome that changes nothing is the same as never taking effect.
  if (op.result === undefined && out.rc === s.rc) return undefined;
  return { phase: 2, rc: out.rc, allocated: s.allocated };
}

/** Every step `op`, at `phase`, can take from state `s` towards its recorded outcome (any outcome when unknown). */
export function stepsOf(op: SubOp, phase: Phase, s: FrameState, p: ModelParams): Step[] {
  if (phase === 2) return [];
  if (phase === 1) {
    if (s.rc !== 0n) return [];
    // a last drop through 0 returns the frame to the allocator
    const dealloc = opNamed(op.kind)?.throughZero === 'ok:last' ? false : s.allocated;
    return [{ phase: 2, rc: finalCount(op.kind, p), allocated: dealloc }];
  }
  const out: Step[] = [];
  const twoStep = op.result === undefined || throughZero(op.kind, op.result);
  const a = twoStep ? stepA(op, s, p) : undefined;
  if (a !== undefined) out.push(a);
  const one = op.result === undefined || !throughZero(op.kind, op.result) ? single(op, s, p) : undefined;
  if (one !== undefined) out.push(one);
  return out;
}
