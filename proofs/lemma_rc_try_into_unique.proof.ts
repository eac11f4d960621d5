/**
 * `Frame` → `UniqueFrame` (`try_into_unique`, a CAS 1 → UNIQUE): succeeds exactly on the sole
 * reference (and never in the legacy protocol); otherwise reports `InUse` and keeps the count.
 *
 * @see vostd `UniqueFrame::try_from(Frame)` (ostd/src/mm/frame/unique.rs); digest §11 "Frame → Unique"
 */
import type { Obligation } from '../src/prove/Obligation.ts';
import { OP, isShared } from '../spec/protocol/FrameProtocol.ts';
import { isSharedBv, resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_try_into_unique',
  statement:
    "both variants, every REF_COUNT_MAX: try_into_unique on a shared count returns ok with rc' == REF_COUNT_UNIQUE when rc == 1 (current variant), else InUse with rc' == rc",
  ops: [OP.try_into_unique],
  guard: (m) => isSharedBv(m, m.rc),
  guardTs: (i, p) => isShared(i.rc, p),
  effect: (m, o) => {
    const { z } = m.b;
    const success = z.And(resultIs(m, o, 'ok'), o.rc.eq(m.uniqueVal));
    const failure = z.And(resultIs(m, o, 'InUse'), o.rc.eq(m.rc));
    return z.If(z.And(m.rc.eq(m.b.k(1)), z.Not(m.legacy)), success, failure);
  },
  effectTs: (i, p, o) =>
    i.rc === 1n && p.refCountUnique !== null
      ? o.result === 'ok' && o.rc === p.refCountUnique
      : o.result === 'InUse' && o.rc === i.rc,
});
