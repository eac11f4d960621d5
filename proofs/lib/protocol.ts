/**
 * The bit-vector twin of `seqStep` (spec/protocol/FrameProtocol.ts), the per-slot state machine on a
 * reference count, for both protocol variants at once: a 1-bit variable `legacy` picks the sentinels
 * and the word width (u64, or u32 whose increments wrap at 2^32), and `REF_COUNT_MAX` is a variable,
 * so every proof covers every `--ref-count-max` an instance may use, and counts are unbounded.
 *
 * The slot invariant on a count is `rc ∈ {UNUSED, UNIQUE, 0} ∪ [1, REF_COUNT_MAX]` (a value of the
 * word); `MetaSlotOwner::inv`'s `illegal_band` conjunct is its complement inside the word.
 *
 * Inputs and cross-checked terms are in `protocolInputs.ts`, the per-transition obligation in
 * `transition.ts`.
 *
 * @see vostd digest §11 (the per-slot state machine)
 */
import { bv, type Bv } from '../../src/prove/bv.ts';
import type { Z3, ZBool, ZBv } from '../../src/prove/Obligation.ts';
import { defaultSlotOwner, META_SLOT_OWNER_INV, slotIds, withOwnerFields } from '../../spec/meta/MetaSlotOwner.ts';
import { permissionU64 } from '../../spec/meta/perms.ts';
import { isShared, seqStep, type FrameOpName, type SeqOutcome } from '../../spec/protocol/FrameProtocol.ts';
import { OP_NAMES } from '../../src/ops/opTable.ts';
import { modelParams, U32_MAX, U64_MAX, type ModelParams, type Protocol } from '../../spec/vocab.ts';

/** Every operation of `seqStep`, in the order of their codes in the encoding: the operation table's. */
export const OPS: readonly FrameOpName[] = OP_NAMES;
/** The results `seqStep` returns, in the order of their codes. */
export const RESULTS: readonly string[] = ['ok', 'ok:last', 'InUse', 'Unused', 'Unique', 'Busy', 'value'];

/** The code of a result word; an observation's number (`reference_count`'s count) is `value`. */
export const resultCode = (result: string): number => RESULTS.indexOf(/^\d+$/.test(result) ? 'value' : result);
/** Outcome kinds, as codes. */
export const KIND = { return: 0, panic: 1, undefined: 2 } as const;

/** One slot, one operation: the protocol variant, its `REF_COUNT_MAX`, the count and the operation. */
export type ProtocolInput = Readonly<{ protocol: Protocol; refCountMax: bigint; rc: bigint; op: FrameOpName }>;

/** The variables: `legacy` (1 bit), `max`, `rc` and the operation's code `op`. */
export const PROTOCOL_VARS = { legacy: 1, max: 64, rc: 64, op: 8 } as const;

// ---------------------------------------------------------------------------------------------------
// TypeScript side

/** The model parameters of an input. */
export function paramsOf(i: ProtocolInput): ModelParams {
  return modelParams({ protocol: i.protocol, refCountMax: i.refCountMax });
}

/** The parameters make sense: `1 <= REF_COUNT_MAX` below the first sentinel. */
export function paramsOk(p: ModelParams): boolean {
  return p.refCountMax >= 1n && p.refCountMax < (p.refCountUnique ?? p.refCountUnused);
}

/** The slot invariant: the count is UNUSED, UNIQUE, 0 or a shared count. */
export function countInv(rc: bigint, p: ModelParams): boolean {
  return rc === p.refCountUnused || rc === p.refCountUnique || rc === 0n || isShared(rc, p);
}

const BAND = META_SLOT_OWNER_INV.find((c) => c.name === 'MetaSlotOwner::inv.illegal_band');

/** `MetaSlotOwner::inv`'s `illegal_band` conjunct, evaluated on an owner whose count is `rc`. */
export function bandConjunct(rc: bigint, p: ModelParams): boolean {
  // the conjunct is declared in spec/meta/MetaSlotOwner.ts; its absence is a broken build
  if (BAND === undefined) throw new Error('MetaSlotOwner::inv.illegal_band is missing');
  const value = withOwnerFields(defaultSlotOwner(0, p), { refCount: permissionU64(slotIds(0).refCountId, rc) });
  return BAND.holds({ value, p });
}

/** The count is a value of the variant's word. */
export function validWord(i: ProtocolInput): boolean {
  return i.rc <= paramsOf(i).wordMax;
}

/** `seqStep` on an input. */
export function stepOf(i: ProtocolInput): SeqOutcome {
  return seqStep(i.op, i.rc, paramsOf(i));
}

// ---------------------------------------------------------------------------------------------------
// Bit-vector side

/** The state machine's terms for one context. */
export type Machine = Readonly<{
  b: Bv;
  legacy: ZBool;
  max: ZBv;
  rc: ZBv;
  op: ZBv;
  unused: ZBv;
  /** `REF_COUNT_UNIQUE`, meaningful only when not `legacy`. */
  uniqueVal: ZBv;
  wordMax: ZBv;
}>;

/** The variables and the variant-dependent constants. */
export function machine(z: Z3): Machine {
  const b = bv(z);
  const legacy = z.BitVec.const('legacy', 1).eq(z.BitVec.val(1n, 1));
  const word = b.ite(legacy, b.k(U32_MAX), b.k(U64_MAX));
  return {
    b,
    legacy,
    max: b.v('max'),
    rc: b.v('rc'),
    op: z.BitVec.const('op', 8),
    unused: word,
    uniqueVal: b.k(U64_MAX - 1n),
    wordMax: word,
  };
}

/** `rc == REF_COUNT_UNIQUE` (never, in the legacy protocol). */
export function isUniqueBv(m: Machine, x: ZBv): ZBool {
  return m.b.z.And(m.b.z.Not(m.legacy), x.eq(m.uniqueVal));
}

/** `1 <= rc <= REF_COUNT_MAX`. */
export function isSharedBv(m: Machine, x: ZBv): ZBool {
  return m.b.z.And(m.b.k(1).ule(x), x.ule(m.max));
}

/** `1 <= REF_COUNT_MAX < first sentinel`. */
export function paramsOkBv(m: Machine): ZBool {
  const { b } = m;
  return b.z.And(b.k(1).ule(m.max), m.max.ult(b.ite(m.legacy, b.k(U32_MAX), m.uniqueVal)));
}

/** The slot invariant: a word value that is UNUSED, UNIQUE, 0 or shared. */
export function countInvBv(m: Machine, x: ZBv): ZBool {
  const { z } = m.b;
  return z.And(x.ule(m.wordMax), z.Or(x.eq(m.unused), isUniqueBv(m, x), x.eq(m.b.k(0)), isSharedBv(m, x)));
}

/** `REF_COUNT_MAX < rc < REF_COUNT_UNIQUE` (legacy: `< REF_COUNT_UNUSED`): the illegal band. */
export function bandBv(m: Machine, x: ZBv): ZBool {
  return m.b.z.And(m.max.ult(x), x.ult(m.b.ite(m.legacy, m.b.k(U32_MAX), m.uniqueVal)));
}

/** `rc + 1` in the count word: u64, or u32 wrapping at 2^32. */
export function incBv(m: Machine, x: ZBv): ZBv {
  return m.b.ite(m.legacy, x.add(m.b.k(1)).and(m.b.k(U32_MAX)), x.add(m.b.k(1)));
}

/** An outcome as three codes: kind, result and the count after. */
export type OutcomeBv = Readonly<{ kind: ZBv; result: ZBv; rc: ZBv }>;

const code = (xs: readonly string[], x: string) => xs.indexOf(x);

function ret(m: Machine, result: string, rc: ZBv): OutcomeBv {
  return { kind: m.b.k(KIND.return), result: m.b.k(code(RESULTS, result)), rc };
}
function stop(m: Machine, kind: 'panic' | 'undefined'): OutcomeBv {
  return { kind: m.b.k(KIND[kind]), result: m.b.k(0), rc: m.rc };
}
function pick(m: Machine, c: ZBool, a: OutcomeBv, o: OutcomeBv): OutcomeBv {
  return { kind: m.b.ite(c, a.kind, o.kind), result: m.b.ite(c, a.result, o.result), rc: m.b.ite(c, a.rc, o.rc) };
}

/** The error a failed claim reports (`claimError`). */
function claimFailure(m: Machine): OutcomeBv {
  const busyOrInUse = pick(m, m.rc.eq(m.b.k(0)), ret(m, 'Busy', m.rc), ret(m, 'InUse', m.rc));
  return pick(m, isUniqueBv(m, m.rc), ret(m, 'Unique', m.rc), busyOrInUse);
}

function claim(m: Machine, to: ZBv): OutcomeBv {
  return pick(m, m.rc.eq(m.unused), ret(m, 'ok', to), claimFailure(m));
}

function acquire(m: Machine): OutcomeBv {
  const { rc, b } = m;
  const inc = pick(m, rc.uge(m.max), stop(m, 'panic'), ret(m, 'ok', incBv(m, rc)));
  const busy = pick(m, rc.eq(b.k(0)), ret(m, 'Busy', rc), inc);
  return pick(m, rc.eq(m.unused), ret(m, 'Unused', rc), pick(m, isUniqueBv(m, rc), ret(m, 'Unique', rc), busy));
}

function sharedOnly(m: Machine, then: OutcomeBv): OutcomeBv {
  return pick(m, isSharedBv(m, m.rc), then, stop(m, 'undefined'));
}

function uniqueOnly(m: Machine, then: OutcomeBv): OutcomeBv {
  return pick(m, isUniqueBv(m, m.rc), then, stop(m, 'undefined'));
}

/** The outcome of each operation, by name. */
function outcomes(m: Machine): Readonly<Record<FrameOpName, OutcomeBv>> {
  const { rc, b } = m;
  const one = b.k(1);
  return {
    from_unused: claim(m, one),
    alloc: claim(m, one),
    from_unused_unique: pick(m, m.legacy, stop(m, 'undefined'), claim(m, m.uniqueVal)),
    from_in_use: acquire(m),
    clone: sharedOnly(m, pick(m, rc.uge(m.max), stop(m, 'panic'), ret(m, 'ok', incBv(m, rc)))),
    drop: sharedOnly(m, pick(m, rc.eq(one), ret(m, 'ok:last', m.unused), ret(m, 'ok', rc.sub(one)))),
    into_shared: uniqueOnly(m, ret(m, 'ok', one)),
    try_into_unique: sharedOnly(
      m,
      pick(m, b.z.And(rc.eq(one), b.z.Not(m.legacy)), ret(m, 'ok', m.uniqueVal), ret(m, 'InUse', rc)),
    ),
    drop_unique: uniqueOnly(m, ret(m, 'ok:last', m.unused)),
    meta: sharedOnly(m, ret(m, 'ok', rc)),
    meta_mut: uniqueOnly(m, ret(m, 'ok', rc)),
    read: sharedOnly(m, ret(m, 'ok', rc)),
    write: uniqueOnly(m, ret(m, 'ok', rc)),
    inc_frame_ref_count: sharedOnly(m, pick(m, rc.uge(m.max), stop(m, 'panic'), ret(m, 'ok', incBv(m, rc)))),
    borrow: sharedOnly(m, ret(m, 'ok', rc)),
    // its result is the count itself, which the encoding's result words do not name: the count is what is proved
    reference_count: sharedOnly(m, pick(m, rc.uge(m.max), stop(m, 'panic'), ret(m, 'value', rc))),
    unique_into_raw: uniqueOnly(m, ret(m, 'ok', rc)),
    repurpose: uniqueOnly(m, ret(m, 'ok', rc)),
    segment_slice: sharedOnly(m, pick(m, rc.uge(m.max), stop(m, 'panic'), ret(m, 'ok', incBv(m, rc)))),
    segment_next: sharedOnly(m, ret(m, 'ok', rc)),
    segment_drop: sharedOnly(m, pick(m, rc.eq(one), ret(m, 'ok:last', m.unused), ret(m, 'ok', rc.sub(one)))),
    // the count of the first frame of the two (the second's is left alone as well)
    segment_split: sharedOnly(m, ret(m, 'ok', rc)),
    list_drop: uniqueOnly(m, ret(m, 'ok:last', m.unused)),
  };
}

/** `seqStep(op, rc)` with the operation chosen by the variable `op` (an unknown code is undefined). */
export function seqStepBv(m: Machine): OutcomeBv {
  const table = outcomes(m);
  return OPS.reduce(
    (acc, name, k) => pick(m, m.op.eq(m.b.z.BitVec.val(BigInt(k), 8)), table[name], acc),
    stop(m, 'undefined'),
  );
}

/** `op` is one of `ops`. */
export function opIn(m: Machine, ops: readonly FrameOpName[]): ZBool {
  return m.b.z.Or(...ops.map((o) => m.op.eq(m.b.z.BitVec.val(BigInt(OPS.indexOf(o)), 8))));
}

/** `o.result` is `name`. */
export function resultIs(m: Machine, o: OutcomeBv, name: string): ZBool {
  return o.result.eq(m.b.k(RESULTS.indexOf(name)));
}
