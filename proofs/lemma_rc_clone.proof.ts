/**
 * Clone (`inc_ref_count`): a holder's shared count below `REF_COUNT_MAX` goes up by one and stays
 * shared.
 *
 * @see vostd `MetaSlot::inc_ref_count` (ostd/src/mm/frame/meta.rs); digest §11 "clone"
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { OP, isShared } from '../spec/protocol/FrameProtocol.ts';
import { incBv, isSharedBv, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_clone',
  statement:
    "both variants, every REF_COUNT_MAX: clone on a shared count rc < REF_COUNT_MAX returns ok with rc' == rc + 1, a shared count",
  ops: [OP.clone],
  guard: (m) => m.b.z.And(isSharedBv(m, m.rc), m.rc.ult(m.max)),
  guardTs: (i, p) => isShared(i.rc, p) && i.rc < p.refCountMax,
  effect: (m, o) => m.b.z.And(resultIs(m, o, 'ok'), o.rc.eq(incBv(m, m.rc)), isSharedBv(m, o.rc)),
  effectTs: (i, p, o) => o.result === 'ok' && o.rc === i.rc + 1n && isShared(o.rc, p),
});
