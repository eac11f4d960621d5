/**
 * One obligation per transition of the per-slot state machine: from a count satisfying the slot
 * invariant, with the transition's guard, `seqStep` returns, has the transition's effect, and leaves a
 * count satisfying the invariant.
 */
import type { Obligation, ZBool } from '../../src/prove/Obligation.ts';
import type { FrameOpName, SeqOutcome } from '../../spec/protocol/FrameProtocol.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import {
  countInv,
  countInvBv,
  KIND,
  machine,
  opIn,
  paramsOf,
  paramsOk,
  paramsOkBv,
  PROTOCOL_VARS,
  seqStepBv,
  stepOf,
  validWord,
  type Machine,
  type OutcomeBv,
  type ProtocolInput,
} from './protocol.ts';
import { PROTOCOL_TERMS, protocolCodec, protocolInputs, type Focus } from './protocolInputs.ts';

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
