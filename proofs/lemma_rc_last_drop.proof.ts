/**
 * The last drop of a `Frame` (count 1): the slot goes back to `REF_COUNT_UNUSED` (through the
 * transient 0, itself a state of the invariant) and reports that it was the last.
 *
 * @see vostd `<Frame as Drop>::drop`, `drop_last_in_place` (ostd/src/mm/frame/mod.rs, meta.rs); digest §11
 */
import { OP } from '../spec/protocol/FrameProtocol.ts';
import type { Obligation } from '../src/prove/Obligation.ts';
import { resultIs, type ProtocolInput } from './lib/protocol.ts';
import { transition } from './lib/transition.ts';

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = transition({
  name: 'lemma_rc_last_drop',
  statement: "both variants, every REF_COUNT_MAX: drop on rc == 1 returns ok:last with rc' == REF_COUNT_UNUSED",
  ops: [OP.drop],
  guard: (m) => m.rc.eq(m.b.k(1)),
  guardTs: (i) => i.rc === 1n,
  effect: (m, o) => m.b.z.And(resultIs(m, o, 'ok:last'), o.rc.eq(m.unused)),
  effectTs: (_i, p, o) => o.result === 'ok:last' && o.rc === p.refCountUnused,
  focus: () => [1n],
});
