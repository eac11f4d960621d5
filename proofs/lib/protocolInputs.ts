/**
 * Inputs for the state-machine obligations' cross-checks, the codec between inputs and model values,
 * and the building blocks of the encoding (`seqStep` and the invariants) with their TypeScript twins.
 */
import fc from 'fast-check';
import type { Term, Values } from '../../src/prove/Obligation.ts';
import { OP, type FrameOpName, type SeqOutcome } from '../../spec/protocol/FrameProtocol.ts';
import { modelParams, U64_MAX, type ModelParams, type Protocol } from '../../spec/vocab.ts';
import {
  bandBv,
  bandConjunct,
  countInv,
  countInvBv,
  KIND,
  machine,
  OPS,
  paramsOf,
  paramsOk,
  paramsOkBv,
  resultCode,
  seqStepBv,
  stepOf,
  validWord,
  type ProtocolInput,
} from './protocol.ts';

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
    op: OPS[Number(v['op'] ?? 0n)] ?? OP.from_unused,
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
    value: inWordOnly((i) => whenReturn(i, (o) => BigInt(resultCode(o.result)))),
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
