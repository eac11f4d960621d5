/**
 * Claim (`get_from_unused`, also `alloc`'s claim): from `REF_COUNT_UNUSED` the count becomes 1, or
 * `REF_COUNT_UNIQUE` for a unique claim, and the slot invariant holds after.
 *
 * @see vostd `MetaSlot::get_from_unused` (ostd/src/mm/frame/meta.rs); digest §11 "claim"
 */
import { OP } from '../spec/protocol/FrameProtocol.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { OPS, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

const UNIQUE_OP = BigInt(OPS.indexOf(OP.from_unused_unique));

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_claim',
  statement:
    "both variants, every REF_COUNT_MAX: from_unused / alloc / from_unused_unique on rc == REF_COUNT_UNUSED returns ok with rc' == 1 (REF_COUNT_UNIQUE when unique), and the slot invariant holds after",
  ops: [OP.from_unused, OP.alloc, OP.from_unused_unique],
  guard: (m) => {
    const unique = m.op.eq(m.b.z.BitVec.val(UNIQUE_OP, 8));
    return m.b.z.And(m.rc.eq(m.unused), m.b.z.Not(m.b.z.And(m.legacy, unique)));
  },
  guardTs: (i, p) => i.rc === p.refCountUnused && !(p.refCountUnique === null && i.op === OP.from_unused_unique),
  effect: (m, o) => {
    const unique = m.op.eq(m.b.z.BitVec.val(UNIQUE_OP, 8));
    return m.b.z.And(resultIs(m, o, 'ok'), o.rc.eq(m.b.ite(unique, m.uniqueVal, m.b.k(1))));
  },
  effectTs: (i, p, o) => o.result === 'ok' && o.rc === (i.op === OP.from_unused_unique ? p.refCountUnique : 1n),
  focus: (p) => [p.refCountUnused],
});
