/**
 * The bit-vector twin of `seqStep` (spec/protocol/FrameProtocol.ts), the per-slot state machine on a
 * reference count, for both protocol variants at once: a 1-bit variable `legacy` picks the sentinels
 * and the word width (u64, or u32 whose increments wrap at 2^32), and `REF_COUNT_MAX` is a variable,
 * so every proof covers every `--ref-count-max` an instance may use, and counts are unbounded.
 *
 * The slot invariant on a count is `rc ∈ {UNUSED, UNIQUE, 0} ∪ [1, REF_COUNT_MAX]` (a value of the
 * word); `MetaSlotOwner::inv`'s `illegal_band` conjunct is its complement inside the word.
 *
 * @see vostd digest §11 (the per-slot state machine)
 */
import fc from 'fast-check';
import { bv, type Bv } from '../../src/prove/bv.ts';
import type { Obligation, Term, Values, Z3, ZBool, ZBv } from '../../src/prove/Obligation.ts';
import { defaultSlotOwner, META_SLOT_OWNER_INV, slotIds, withOwnerFields } from '../../spec/meta/MetaSlotOwner.ts';
import { permissionU64 } from '../../spec/meta/perms.ts';
import { isShared, seqStep, type FrameOpName, type SeqOutcome } from '../../spec/protocol/FrameProtocol.ts';
import { modelParams, U32_MAX, U64_MAX, type ModelParams, type Protocol } from '../../spec/vocab.ts';

/** Every operation of `seqStep`, in the order of their codes in the encoding. */
export const OPS: readonly FrameOpName[] = [
  'from_unused',
  'from_unused_unique',
  'from_in_use',
  'clone',
  'drop',
  'into_shared',
  'try_into_unique',
  'drop_unique',
  'alloc',
];
/** The results `seqStep` returns, in the order of their codes. */
export const RESULTS: readonly string[] = ['ok', 'ok:last', 'InUse', 'Unused', 'Unique', 'Busy'];
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

// ---------------------------------------------------------------------------------------------------
// Inputs, codec and cross-checked terms

/** `REF_COUNT_MAX`: mostly valid for the variant (tiny, the real one, random), sometimes not. */
function maxFor(protocol: Protocol): fc.Arbitrary<bigint> {
  const p = modelParams({ protocol });
  const first = p.refCountUnique ?? p.refCountUnused;
  return fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 4n }) },
    { weight: 2, arbitrary: fc.constant(p.refCountMax) },
    { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: first - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, first, U64_MAX) },
  );
}

/** Counts: mostly the states and boundaries of the machine, sometimes any value of the word or of u64. */
function countFor(protocol: Protocol, max: bigint, focus: Focus): fc.Arbitrary<bigint> {
  const p = modelParams({ protocol });
  const states = [p.refCountUnused, U64_MAX - 1n, 0n, 1n, 2n, max - 1n, max, max + 1n].map((x) =>
    BigInt.asUintN(64, x),
  );
  const focused = focus(p).length > 0 ? [{ weight: 8, arbitrary: fc.constantFrom(...focus(p)) }] : [];
  return fc.oneof(
    ...focused,
    { weight: 6, arbitrary: fc.constantFrom(...states) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: p.wordMax }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: U64_MAX }) },
  );
}

/** The counts a transition's guard singles out (drawn more often, so that its hypothesis is met). */
export type Focus = (p: ModelParams) => readonly bigint[];

/**
 * Inputs for operations among `ops`: both variants, small and real `REF_COUNT_MAX`, counts on every
 * boundary and, often, the `focus` counts.
 */
export function protocolInputs(ops: readonly FrameOpName[], focus: Focus = () => []): fc.Arbitrary<ProtocolInput> {
  return fc
    .record({ protocol: fc.constantFrom<Protocol>('current', 'legacy'), op: fc.constantFrom(...ops) })
    .chain((r) => maxFor(r.protocol).map((refCountMax) => ({ ...r, refCountMax })))
    .chain((r) => countFor(r.protocol, r.refCountMax, focus).map((rc) => ({ ...r, rc })));
}

/** Protocol inputs to and from model values. */
export const protocolCodec = {
  toInput: (v: Values): ProtocolInput => ({
    protocol: v['legacy'] === 1n ? 'legacy' : 'current',
    refCountMax: v['max'] ?? 0n,
    rc: v['rc'] ?? 0n,
    op: OPS[Number(v['op'] ?? 0n)] ?? 'from_unused',
  }),
  fromInput: (i: ProtocolInput): Values => ({
    legacy: i.protocol === 'legacy' ? 1n : 0n,
    max: i.refCountMax,
    rc: i.rc,
    op: BigInt(OPS.indexOf(i.op)),
  }),
};

const whenReturn = <T>(i: ProtocolInput, f: (o: Extract<SeqOutcome, { kind: 'return' }>) => T): T | undefined => {
  const o = stepOf(i);
  return o.kind === 'return' ? f(o) : undefined;
};

/**
 * `seqStep` and the invariants, term by term, against the TypeScript functions; compared on counts
 * the variant's word can hold (a legacy count past 2^32 − 1 is no value of the machine's word).
 */
export const PROTOCOL_TERMS: readonly Term<ProtocolInput>[] = [
  {
    name: 'seqStep.kind',
    encode: (z) => seqStepBv(machine(z)).kind,
    value: inWordOnly((i) => BigInt(KIND[stepOf(i).kind])),
  },
  {
    name: 'seqStep.result',
    encode: (z) => seqStepBv(machine(z)).result,
    value: inWordOnly((i) => whenReturn(i, (o) => BigInt(RESULTS.indexOf(o.result)))),
  },
  {
    name: 'seqStep.rc',
    encode: (z) => seqStepBv(machine(z)).rc,
    value: inWordOnly((i) => whenReturn(i, (o) => inWord(i, o.rc))),
  },
  {
    name: 'countInv(rc)',
    encode: (z) => countInvBv(machine(z), machine(z).rc),
    value: (i) => validWord(i) && countInv(i.rc, paramsOf(i)),
  },
  {
    name: 'illegal_band(rc)',
    encode: (z) => bandBv(machine(z), machine(z).rc),
    value: (i) => !bandConjunct(i.rc, paramsOf(i)),
  },
  { name: 'paramsOk', encode: (z) => paramsOkBv(machine(z)), value: (i) => paramsOk(paramsOf(i)) },
];

function inWordOnly<T>(f: (i: ProtocolInput) => T | undefined): (i: ProtocolInput) => T | undefined {
  return (i) => (validWord(i) ? f(i) : undefined);
}

/** `x` as the variant's count word holds it: the spec's counts are exact, the machine's wrap. */
function inWord(i: ProtocolInput, x: bigint): bigint {
  return x & paramsOf(i).wordMax;
}

/** The count is a value of the variant's word. */
export function validWord(i: ProtocolInput): boolean {
  return i.rc <= paramsOf(i).wordMax;
}

// ---------------------------------------------------------------------------------------------------
// One obligation per transition

/** A transition of the state machine: the operations it belongs to, its guard and its effect. */
export type Transition = Readonly<{
  name: string;
  mirrors?: string;
  statement: string;
  ops: readonly FrameOpName[];
  guard: (m: Machine) => ZBool;
  guardTs: (i: ProtocolInput, p: ModelParams) => boolean;
  effect: (m: Machine, o: OutcomeBv) => ZBool;
  effectTs: (i: ProtocolInput, p: ModelParams, o: Extract<SeqOutcome, { kind: 'return' }>) => boolean;
  /** The counts the guard singles out, for the cross-check's inputs. */
  focus?: Focus;
}>;

/**
 * The obligation "from a count satisfying the slot invariant, with the transition's guard, `seqStep`
 * returns, its effect is the transition's, and the count after satisfies the slot invariant".
 */
export function transition(t: Transition): Obligation<ProtocolInput> {
  return {
    name: t.name,
    ...(t.mirrors !== undefined && { mirrors: t.mirrors }),
    statement: t.statement,
    vars: PROTOCOL_VARS,
    encode: (z) => {
      const m = machine(z);
      const o = seqStepBv(m);
      const hyp = z.And(paramsOkBv(m), opIn(m, t.ops), countInvBv(m, m.rc), t.guard(m));
      return z.Implies(hyp, z.And(o.kind.eq(m.b.k(KIND.return)), countInvBv(m, o.rc), t.effect(m, o)));
    },
    predicate: (i) => {
      const p = paramsOf(i);
      if (!(paramsOk(p) && t.ops.includes(i.op) && validWord(i) && countInv(i.rc, p) && t.guardTs(i, p))) return true;
      const o = stepOf(i);
      return o.kind === 'return' && countInv(o.rc, p) && t.effectTs(i, p, o);
    },
    inputs: protocolInputs(t.ops, t.focus),
    ...protocolCodec,
    terms: PROTOCOL_TERMS,
  };
}

/** `o.result` is `name`. */
export function resultIs(m: Machine, o: OutcomeBv, name: string): ZBool {
  return o.result.eq(m.b.k(RESULTS.indexOf(name)));
}
