/**
 * Drop of a `UniqueFrame`: `REF_COUNT_UNIQUE` goes back to `REF_COUNT_UNUSED` (upstream through the
 * transient 0) and reports that it was the last.
 *
 * @see vostd `<UniqueFrame as Drop>::drop` (ostd/src/mm/frame/unique.rs); digest §11 "drop UniqueFrame"
 */
import { OP } from '../spec/protocol/FrameProtocol.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { isUniqueBv, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_unique_drop',
  statement:
    "current variant, every REF_COUNT_MAX: drop_unique on rc == REF_COUNT_UNIQUE returns ok:last with rc' == REF_COUNT_UNUSED",
  ops: [OP.drop_unique],
  guard: (m) => isUniqueBv(m, m.rc),
  guardTs: (i, p) => i.rc === p.refCountUnique,
  effect: (m, o) => m.b.z.And(resultIs(m, o, 'ok:last'), o.rc.eq(m.unused)),
  effectTs: (_i, p, o) => o.result === 'ok:last' && o.rc === p.refCountUnused,
  focus: (p) => [p.refCountUnique ?? p.refCountUnused],
});
