import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import type { OpSpec } from '../Op.ts';
import {
  initialRegion,
  refCountAt,
  slotOwner,
  withSlotOwner,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { slotIds, withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { permissionU64 } from '../meta/perms.ts';
import { modelParams, PAGE_SIZE, REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../vocab.ts';
import { frameAt, frameDrop, frameFromUnused } from './Frame.ts';
import {
  frameFromUnique,
  globalInv,
  uniqueAt,
  uniqueDrop,
  uniqueFromUnused,
  uniqueOwner,
  uniqueOwnerInv,
  uniqueRepurpose,
  uniqueResetAsUnused,
  uniqueTryFromShared,
  uniqueWf,
} from './UniqueFrame.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE });
const P = 3 * PAGE_SIZE;
const K = { type: 'KernelMeta', fields: {} };
const r0 = initialRegion(p);
const args = { unique: uniqueAt(P), owner: uniqueOwner(3, 'KernelMeta') };

function after<S, A, R>(spec: OpSpec<S, A, R>, old: S, a: A): { s: S; r: R } {
  const out = spec.next({ old, args: a, p });
  if (out.kind !== 'return') throw new Error(`${spec.name} panicked`);
  return { s: out.final, r: out.result };
}
const failing = <S, A, R>(spec: OpSpec<S, A, R>, old: S, a: A) =>
  spec.requires.filter((c) => !c.holds({ old, args: a, p })).map((c) => c.name);
const unique = (r: MetaRegionOwners = r0) => after(uniqueFromUnused, r, { paddr: P, metadata: K }).s;
const withRc = (r: MetaRegionOwners, v: bigint) =>
  withSlotOwner(r, 3, withOwnerFields(slotOwner(r, 3), { refCount: permissionU64(slotIds(3).refCountId, v) }));

describe('UniqueFrame predicates', () => {
  it('owner inv, wf and every global_inv conjunct hold for a freshly claimed unique frame', () => {
    const s = unique();
    expect([uniqueOwnerInv(args.owner, p), uniqueWf(args.unique, args.owner)]).toEqual([
      { slot_index_lt_max_nr_pages: true, slot_index_lt_max_meta_slots: true },
      true,
    ]);
    expect(Object.values(globalInv(args.owner, s)).every(Boolean)).toBe(true);
    const wrongType = globalInv(uniqueOwner(3, 'Link'), s);
    expect(
      Object.entries(wrongType)
        .filter(([, v]) => !v)
        .map(([k]) => k),
    ).toEqual(['metadata_wf']);
  });
});

describe('UniqueFrame op specs', () => {
  it('from_unused requires usage Unused: a slot once shared cannot be claimed unique again', () => {
    const used = after(frameDrop, after(frameFromUnused, r0, { paddr: P, metadata: K }).s, {
      frame: frameAt(P),
      obl: 3,
    }).s;
    expect(refCountAt(used, 3)).toBe(REF_COUNT_UNUSED);
    expect(failing(uniqueFromUnused, used, { paddr: P, metadata: K })).toEqual([
      'UniqueFrame::from_unused.requires.usage_unused',
    ]);
    expect(failing(uniqueFromUnused, r0, { paddr: P, metadata: K })).toEqual([]);
  });

  it('from_unique: a next storing 2 breaks only the upstream rc_one (vostd states slots and domain only)', () => {
    const pre = { old: unique(), args, p };
    const storesTwo: typeof frameFromUnique = {
      ...frameFromUnique,
      next: (c) => ({ kind: 'return', final: withRc(c.old, 2n), result: { ptr: c.args.unique.ptr } }),
    };
    expect(clausesBrokenByNext(storesTwo, pre)).toEqual(['Frame::from_unique.ensures.rc_one']);
    expect(clausesBrokenByNext(frameFromUnique, pre)).toEqual([]);
  });

  it('from_unique on a slot that is not UNIQUE: vostd allows it; the upstream clauses say nothing then', () => {
    expect(failing(frameFromUnique, r0, args)).toEqual([]);
    expect(clausesBrokenByNext(frameFromUnique, { old: r0, args, p })).toEqual([]);
  });

  it('try_from_shared: a next that always succeeds breaks only the upstream clauses', () => {
    const shared = after(frameFromUnused, r0, { paddr: P, metadata: K }).s;
    const twice = withRc(shared, 2n);
    const always: typeof uniqueTryFromShared = {
      ...uniqueTryFromShared,
      next: (c) => ({
        kind: 'return',
        final: withRc(c.old, REF_COUNT_UNIQUE),
        result: { ok: true, value: c.args.frame },
      }),
    };
    expect(after(uniqueTryFromShared, shared, { frame: frameAt(P) }).r.ok).toBe(true);
    expect(after(uniqueTryFromShared, twice, { frame: frameAt(P) }).r.ok).toBe(false);
    expect(clausesBrokenByNext(always, { old: twice, args: { frame: frameAt(P) }, p })).toEqual([
      'UniqueFrame::try_from_shared.ensures.ok_iff_sole',
    ]);
  });

  it('drop redeems and deallocates; reset_as_unused does neither; repurpose swaps the metadata', () => {
    const s = unique();
    const d = after(uniqueDrop, s, args);
    expect([refCountAt(d.s, 3), d.s.frameObligations.len, d.r.dealloc]).toEqual([REF_COUNT_UNUSED, 0, [P]]);
    const z = after(uniqueResetAsUnused, s, args);
    expect([refCountAt(z.s, 3), z.s.frameObligations.len, z.r.dealloc]).toEqual([REF_COUNT_UNUSED, 1, []]);
    const R = { type: 'ReservedMemoryMeta', fields: {} };
    const rp = after(uniqueRepurpose, s, { ...args, metadata: R });
    expect([rp.r.owner.metaOwn.type, refCountAt(rp.s, 3)]).toEqual(['ReservedMemoryMeta', REF_COUNT_UNIQUE]);
  });

  it('teardown of a unique frame parked in a list violates in_list_zero', () => {
    const s = unique();
    const listed = withSlotOwner(
      s,
      3,
      withOwnerFields(slotOwner(s, 3), { inList: permissionU64(slotIds(3).inListId, 1n) }),
    );
    expect(failing(uniqueDrop, listed, args)).toEqual(['UniqueFrame::drop.requires.in_list_zero']);
    expect(failing(uniqueRepurpose, listed, { ...args, metadata: K })).toEqual([
      'UniqueFrame::repurpose.requires.in_list_zero',
    ]);
  });
});
