/**
 * Drop of a `Frame` that is not the last reference: the shared count goes down by one and stays
 * shared.
 *
 * @see vostd `<Frame as Drop>::drop` (ostd/src/mm/frame/mod.rs); digest §11 "drop Frame"
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { OP, isShared } from '../spec/protocol/FrameProtocol.ts';
import { isSharedBv, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_drop',
  statement:
    "both variants, every REF_COUNT_MAX: drop on a shared count rc != 1 returns ok with rc' == rc - 1, a shared count",
  ops: [OP.drop],
  guard: (m) => m.b.z.And(isSharedBv(m, m.rc), m.rc.neq(m.b.k(1))),
  guardTs: (i, p) => isShared(i.rc, p) && i.rc !== 1n,
  effect: (m, o) => m.b.z.And(resultIs(m, o, 'ok'), o.rc.eq(m.rc.sub(m.b.k(1))), isSharedBv(m, o.rc)),
  effectTs: (i, p, o) => o.result === 'ok' && o.rc === i.rc - 1n && isShared(o.rc, p),
});
