/**
 * The overflow guard makes wrap-around impossible: whenever `from_in_use` or `clone` returns `ok`, the
 * increment did not wrap the count word (u64, or u32 in the legacy protocol) and the new count is at
 * most `REF_COUNT_MAX`. This holds from *every* count of the word, not only from those satisfying
 * the slot invariant: the guard `rc >= REF_COUNT_MAX → abort` alone excludes the wrap.
 *
 * @see vostd `MetaSlot::inc_ref_count`, `get_from_in_use` (ostd/src/mm/frame/meta.rs): `abort()` when
 *   the old count is `>= REF_COUNT_MAX`; digest §11
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { OP, type FrameOpName } from '../spec/protocol/FrameProtocol.ts';
import {
  KIND,
  machine,
  opIn,
  paramsOf,
  paramsOk,
  paramsOkBv,
  PROTOCOL_VARS,
  resultIs,
  seqStepBv,
  stepOf,
  validWord,
  type ProtocolInput,
} from './lib/protocol.ts';
import { PROTOCOL_TERMS, protocolCodec, protocolInputs } from './lib/protocolInputs.ts';

const INCREMENTS: readonly FrameOpName[] = [OP.from_in_use, OP.clone];

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = {
  name: 'lemma_rc_no_wrap',
  statement:
    "both variants, every REF_COUNT_MAX, every count of the word: if from_in_use or clone returns ok, then rc < word max (no wrap), rc' == rc + 1 exactly, and rc' <= REF_COUNT_MAX",
  vars: PROTOCOL_VARS,
  encode: (z) => {
    const m = machine(z);
    const o = seqStepBv(m);
    const returned = z.And(o.kind.eq(m.b.k(KIND.return)), resultIs(m, o, 'ok'));
    const hyp = z.And(paramsOkBv(m), opIn(m, INCREMENTS), m.rc.ule(m.wordMax), returned);
    return z.Implies(hyp, z.And(m.rc.ult(m.wordMax), o.rc.eq(m.rc.add(m.b.k(1))), o.rc.ule(m.max)));
  },
  predicate: (i) => {
    const p = paramsOf(i);
    const o = stepOf(i);
    if (!(paramsOk(p) && INCREMENTS.includes(i.op) && validWord(i) && o.kind === 'return' && o.result === 'ok'))
      return true;
    return i.rc < p.wordMax && o.rc === i.rc + 1n && o.rc <= p.refCountMax;
  },
  inputs: protocolInputs(INCREMENTS),
  ...protocolCodec,
  terms: PROTOCOL_TERMS,
};
