/**
 * Claim failure: on any count other than `REF_COUNT_UNUSED` a claim reports `Unique`, `Busy` (count
 * 0) or `InUse`, and leaves the count unchanged.
 *
 * @see vostd `MetaSlot::get_from_unused` (ostd/src/mm/frame/meta.rs); digest §11 "claim fails"
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { OP, claimError } from '../spec/protocol/FrameProtocol.ts';
import { isUniqueBv, OPS, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

const UNIQUE_OP = BigInt(OPS.indexOf(OP.from_unused_unique));

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_claim_failure',
  statement:
    "both variants, every REF_COUNT_MAX: a claim on rc != REF_COUNT_UNUSED returns Unique (rc == REF_COUNT_UNIQUE), Busy (rc == 0) or InUse, with rc' == rc",
  ops: [OP.from_unused, OP.alloc, OP.from_unused_unique],
  guard: (m) => {
    const unique = m.op.eq(m.b.z.BitVec.val(UNIQUE_OP, 8));
    return m.b.z.And(m.rc.neq(m.unused), m.b.z.Not(m.b.z.And(m.legacy, unique)));
  },
  guardTs: (i, p) => i.rc !== p.refCountUnused && !(p.refCountUnique === null && i.op === OP.from_unused_unique),
  effect: (m, o) => {
    const { z } = m.b;
    const error = z.If(
      isUniqueBv(m, m.rc),
      resultIs(m, o, 'Unique'),
      z.If(m.rc.eq(m.b.k(0)), resultIs(m, o, 'Busy'), resultIs(m, o, 'InUse')),
    );
    return z.And(o.rc.eq(m.rc), error);
  },
  effectTs: (i, p, o) => o.rc === i.rc && o.result === claimError(i.rc, p),
});
