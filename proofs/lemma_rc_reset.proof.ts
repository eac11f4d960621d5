/**
 * `UniqueFrame::reset_as_unused`: from `REF_COUNT_UNIQUE` the spec writes 0 and then
 * `REF_COUNT_UNUSED`; every value written, and the count it leaves, satisfies the slot invariant.
 *
 * The TypeScript side runs the spec's own transition (`uniqueResetAsUnused.next`) on a region whose
 * slot 0 holds the count.
 *
 * @see upstream `UniqueFrame::reset_as_unused` (ostd/src/mm/frame/unique.rs); digest §11 "reset_as_unused"
 */
import { OP } from '../spec/protocol/FrameProtocol.ts';
import { bv } from '../src/prove/bv.ts';
import type { Obligation, Z3, ZBv } from '../src/prove/Obligation.ts';
import { uniqueOwner, uniqueResetAsUnused } from '../spec/frame/UniqueFrame.ts';
import { metaAddr } from '../spec/meta/mapping.ts';
import { initialRegion, slotOwner, withSlotOwner } from '../spec/meta/MetaRegionOwners.ts';
import { defaultSlotOwner, rc, slotIds, withOwnerFields } from '../spec/meta/MetaSlotOwner.ts';
import { permissionU64 } from '../spec/meta/perms.ts';
import {
  countInv,
  countInvBv,
  isUniqueBv,
  machine,
  paramsOf,
  paramsOk,
  paramsOkBv,
  PROTOCOL_VARS,
  validWord,
  type ProtocolInput,
} from './lib/protocol.ts';
import { protocolCodec, protocolInputs } from './lib/protocolInputs.ts';

/** The counts the spec's `reset_as_unused` writes, then the count it leaves in slot 0. */
function resetCounts(i: ProtocolInput): readonly bigint[] | undefined {
  const p = paramsOf(i);
  const owner = withOwnerFields(defaultSlotOwner(0, p), { refCount: permissionU64(slotIds(0).refCountId, i.rc) });
  const old = withSlotOwner(initialRegion(p), 0, owner);
  const args = { unique: { ptr: metaAddr(0) }, owner: uniqueOwner(0, 'KernelMeta') };
  const out = uniqueResetAsUnused.next({ old, args, p });
  return out.kind === 'return' ? [...out.result.rcWrites, rc(slotOwner(out.final, 0))] : undefined;
}

/** The same counts in the encoding: 0, `REF_COUNT_UNUSED`, and `REF_COUNT_UNUSED` left. */
function countsBv(z: Z3): readonly [ZBv, ZBv, ZBv] {
  const m = machine(z);
  return [bv(z).k(0), m.unused, m.unused];
}

/** The obligation. */
export const obligation: Obligation<ProtocolInput> = {
  name: 'lemma_rc_reset',
  statement:
    'current variant, every REF_COUNT_MAX: reset_as_unused on rc == REF_COUNT_UNIQUE writes 0 then REF_COUNT_UNUSED and leaves REF_COUNT_UNUSED; each satisfies the slot invariant',
  vars: PROTOCOL_VARS,
  encode: (z) => {
    const m = machine(z);
    const [w0, w1, left] = countsBv(z);
    const ok = z.And(countInvBv(m, w0), countInvBv(m, w1), countInvBv(m, left), left.eq(m.unused));
    return z.Implies(z.And(paramsOkBv(m), countInvBv(m, m.rc), isUniqueBv(m, m.rc)), ok);
  },
  predicate: (i) => {
    const p = paramsOf(i);
    if (!(paramsOk(p) && validWord(i) && countInv(i.rc, p) && i.rc === p.refCountUnique)) return true;
    const counts = resetCounts(i);
    return (
      counts !== undefined && counts.every((c) => countInv(c, p)) && counts[counts.length - 1] === p.refCountUnused
    );
  },
  inputs: protocolInputs([OP.drop_unique], (p) => [p.refCountUnique ?? p.refCountUnused]),
  ...protocolCodec,
  terms: [0, 1, 2].map((k) => ({
    name: ['reset.write[0]', 'reset.write[1]', 'reset.left'][k]!,
    encode: (z: Z3) => countsBv(z)[k]!,
    value: (i: ProtocolInput) => resetCounts(i)?.[k],
  })),
};
