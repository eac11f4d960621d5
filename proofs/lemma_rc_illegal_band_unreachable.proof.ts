/**
 * The slot invariant is an inductive invariant of the whole state machine, for unbounded counts:
 * the initial count `REF_COUNT_UNUSED` satisfies it, every operation that returns from a count
 * satisfying it leaves one satisfying it, and it is exactly the complement of `MetaSlotOwner::inv`'s
 * illegal band `(REF_COUNT_MAX, REF_COUNT_UNIQUE)` — so no reachable count lies in the band.
 *
 * @see vostd `MetaSlotOwner::inv` (`REF_COUNT_MAX < rc < REF_COUNT_UNIQUE ==> false`); digest §11
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import {
  bandBv,
  bandConjunct,
  countInv,
  countInvBv,
  KIND,
  machine,
  opIn,
  OPS,
  paramsOf,
  paramsOk,
  paramsOkBv,
  PROTOCOL_VARS,
  seqStepBv,
  stepOf,
  validWord,
  type ProtocolInput,
} from './lib/protocol.ts';
import { PROTOCOL_TERMS, protocolCodec, protocolInputs } from './lib/protocolInputs.ts';

/** The three parts in TypeScript: base case, equivalence with the conjunct, induction step. */
function holds(i: ProtocolInput): boolean {
  const p = paramsOf(i);
  if (!paramsOk(p)) return true;
  const base = countInv(p.refCountUnused, p) && bandConjunct(p.refCountUnused, p);
  const inv = validWord(i) && countInv(i.rc, p);
  const same = inv === (validWord(i) && bandConjunct(i.rc, p));
  const o = stepOf(i);
  const step = !inv || o.kind !== 'return' || (o.rc <= p.wordMax && countInv(o.rc, p) && bandConjunct(o.rc, p));
  return base && same && step;
}

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = {
  name: 'lemma_rc_illegal_band_unreachable',
  statement:
    "both variants, every REF_COUNT_MAX, every count, every operation of seqStep: countInv(UNUSED); countInv(rc) <=> (rc in the word and not in the illegal band); countInv(rc) and a return imply countInv(rc') and rc' not in the band",
  vars: PROTOCOL_VARS,
  encode: (z) => {
    const m = machine(z);
    const o = seqStepBv(m);
    const base = z.And(countInvBv(m, m.unused), z.Not(bandBv(m, m.unused)));
    const same = countInvBv(m, m.rc).eq(z.And(m.rc.ule(m.wordMax), z.Not(bandBv(m, m.rc))));
    const pre = z.And(opIn(m, OPS), countInvBv(m, m.rc), o.kind.eq(m.b.k(KIND.return)));
    const step = z.Implies(pre, z.And(countInvBv(m, o.rc), z.Not(bandBv(m, o.rc))));
    return z.Implies(paramsOkBv(m), z.And(base, same, step));
  },
  predicate: holds,
  inputs: protocolInputs(OPS),
  ...protocolCodec,
  terms: PROTOCOL_TERMS,
};
