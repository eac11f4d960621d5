/**
 * Acquire (`get_from_in_use`): from a shared count below `REF_COUNT_MAX` the count goes up by one;
 * from `UNUSED`, `UNIQUE` or 0 it reports `Unused`, `Unique` or `Busy` and changes nothing. Either
 * way the slot invariant holds after. (At `REF_COUNT_MAX` the kernel aborts: no state follows.)
 *
 * @see vostd `MetaSlot::get_from_in_use` (ostd/src/mm/frame/meta.rs); digest §11 "acquire"
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { OP, isShared } from '../spec/protocol/FrameProtocol.ts';
import { incBv, isSharedBv, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_acquire',
  statement:
    "both variants, every REF_COUNT_MAX: from_in_use on a count satisfying the slot invariant, unless it is a shared count >= REF_COUNT_MAX (abort), returns ok with rc' == rc + 1 from a shared count, else an error with rc' == rc; the invariant holds after",
  ops: [OP.from_in_use],
  guard: (m) => m.b.z.Not(m.b.z.And(isSharedBv(m, m.rc), m.rc.uge(m.max))),
  guardTs: (i, p) => !(isShared(i.rc, p) && i.rc >= p.refCountMax),
  effect: (m, o) => {
    const { z } = m.b;
    const up = z.And(resultIs(m, o, 'ok'), o.rc.eq(incBv(m, m.rc)));
    return z.If(isSharedBv(m, m.rc), up, z.And(z.Not(resultIs(m, o, 'ok')), o.rc.eq(m.rc)));
  },
  effectTs: (i, p, o) =>
    isShared(i.rc, p) ? o.result === 'ok' && o.rc === i.rc + 1n : o.result !== 'ok' && o.rc === i.rc,
});
