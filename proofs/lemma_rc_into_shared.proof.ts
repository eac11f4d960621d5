/**
 * `UniqueFrame` → `Frame` (`into_shared` / `Frame::from_unique`): `REF_COUNT_UNIQUE` becomes 1.
 *
 * @see vostd `Frame::from_unique` (ostd/src/mm/frame/mod.rs); digest §11 "Unique → Frame"
 */
import { OP } from '../spec/protocol/FrameProtocol.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { isUniqueBv, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_into_shared',
  statement:
    "current variant (the legacy one has no UNIQUE), every REF_COUNT_MAX: into_shared on rc == REF_COUNT_UNIQUE returns ok with rc' == 1",
  ops: [OP.into_shared],
  guard: (m) => isUniqueBv(m, m.rc),
  guardTs: (i, p) => i.rc === p.refCountUnique,
  effect: (m, o) => m.b.z.And(resultIs(m, o, 'ok'), o.rc.eq(m.b.k(1))),
  effectTs: (_i, _p, o) => o.result === 'ok' && o.rc === 1n,
  focus: (p) => [p.refCountUnique ?? p.refCountUnused],
});
