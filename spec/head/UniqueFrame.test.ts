/**
 * vostd HEAD's `UniqueFrame` contracts over HEAD's owner model (`meta_own`, `repr_perm`, `slot_index`):
 * `next` meets every HEAD ensures from a state the requires accept, and each clause HEAD changed or
 * added is false on a wrong state, result or caller. The same clauses on the real implementation's
 * calls: `src/contract/CheckedFrameLayer.head.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { clausesBrokenByNext } from '../../test/laws.ts';
import { failingEnsures, failingRequires, runSpec } from '../../test/specRun.ts';
import type { OpSpec } from '../Op.ts';
import { initialRegion, slotOwner, withLedger, withSlotOwner } from '../meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../meta/MetaSlotOwner.ts';
import { init, permissionU64 } from '../meta/perms.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import { uniqueDrop, uniqueOwner } from '../frame/UniqueFrame.ts';
import {
  headFrameFromUnique,
  headGlobalInv,
  headUniqueDrop,
  headUniqueFromUnused,
  headUniqueMeta,
  headUniqueMetaMut,
  headUniqueOwner,
  headUniqueRepurpose,
  headUniqueResetAsUnused,
  headUniqueTryFromShared,
  HEAD_UNIQUE_FRAME_OPS,
  uniqueFromRaw,
  uniqueIntoRaw,
  uniqueTransmute,
} from './UniqueFrame.ts';
import { REWORD_PROBLEMS } from './reword.ts';

const p = modelParams({ maxPaddr: 16 * PAGE_SIZE, refCountMax: 4n });
const P = 3 * PAGE_SIZE;
const K = { type: 'KernelMeta', fields: {} };
const K2 = { type: 'KernelMeta', fields: { n: 7 } };
const Other = { type: 'Other', fields: {} };
const T = { metaOwn: { type: 'KernelMeta' }, reprPerm: { type: 'KernelMeta' } };
const r0 = initialRegion(p);

type Any = OpSpec<never, never, never>;
const run = <S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A) => runSpec(spec, old, args, p);

/** A region where frame P is a live unique frame, and its handle and HEAD owner. */
function claimed() {
  const c = run(headUniqueFromUnused, r0, { paddr: P, metadata: K, ...T });
  if (!c.result.ok) throw new Error('claim failed');
  return { r: c.final, args: { unique: c.result.value.unique, owner: c.result.value.owner } };
}

describe('the HEAD UniqueFrame table', () => {
  it('is built from the seed ops without an untranslated clause', () => {
    expect(REWORD_PROBLEMS).toEqual([]);
  });

  it('every op: from a state its requires accept, next meets every ensures', () => {
    const { r, args } = claimed();
    const raw = run(uniqueIntoRaw, r, args).final;
    const shared = run(headFrameFromUnique, r, args).final;
    const cases: [Any, unknown, unknown][] = [
      [headUniqueFromUnused as Any, r0, { paddr: P, metadata: K, ...T }],
      [uniqueTransmute as Any, r, { unique: args.unique }],
      [
        headUniqueRepurpose as Any,
        r,
        { ...args, metadata: Other, metaOwn: { type: 'Other' }, reprPerm: { type: 'Other' } },
      ],
      [headUniqueMeta as Any, r, args],
      [headUniqueMetaMut as Any, r, { ...args, value: K2 }],
      [headUniqueResetAsUnused as Any, r, args],
      [uniqueIntoRaw as Any, r, args],
      [uniqueFromRaw as Any, raw, { paddr: P, ...T }],
      [headUniqueDrop as Any, r, args],
      [headFrameFromUnique as Any, r, args],
      [headUniqueTryFromShared as Any, shared, { frame: args.unique }],
    ];
    for (const [spec, old, a] of cases) {
      const pre = { old, args: a, p } as never;
      expect(failingRequires(spec, pre), spec.name).toEqual([]);
      expect(clausesBrokenByNext(spec, pre), spec.name).toEqual([]);
    }
    expect(new Set(cases.map(([s]) => s.name)).size).toBe(HEAD_UNIQUE_FRAME_OPS.length);
  });
});

describe('HEAD UniqueFrame clauses, each made false', () => {
  it("owner.inv() wants repr_perm is Some: the seed's owner (no repr_perm) fails it, and global_inv with it", () => {
    const { r, args } = claimed();
    const seedOwner = { ...args, owner: uniqueOwner(3, 'KernelMeta') };
    expect(failingRequires(headUniqueMeta, { old: r, args: seedOwner, p })).toEqual([
      'UniqueFrame::meta.requires.owner_inv',
      'UniqueFrame::meta.requires.global_inv.meta_wf',
      'UniqueFrame::meta.requires.global_inv.meta_value_wf',
    ]);
  });

  it('global_inv gains usage is Frame and loses perm.wf', () => {
    const { r, args } = claimed();
    const retyped = withSlotOwner(r, 3, withOwnerFields(slotOwner(r, 3), { usage: 'PageTable' }));
    expect(headGlobalInv(args.owner, retyped).usage_frame).toBe(false);
    expect(failingRequires(headUniqueMeta, { old: retyped, args, p })).toEqual([
      'UniqueFrame::meta.requires.global_inv.usage_frame',
    ]);
    expect(Object.keys(headGlobalInv(args.owner, r))).not.toContain('perm_wf');
  });

  it('from_unused: M::wf(metadata, meta_own_in) required; meta_own and meta_value promised', () => {
    const bad = { paddr: P, metadata: K, metaOwn: { type: 'Other' }, reprPerm: T.reprPerm };
    expect(failingRequires(headUniqueFromUnused, { old: r0, args: bad, p })).toEqual([
      'UniqueFrame::from_unused.requires.meta_own_wf',
    ]);
    const c = run(headUniqueFromUnused, r0, { paddr: P, metadata: K, ...T });
    if (!c.result.ok) throw new Error('claim failed');
    const v = c.result.value;
    const wrongOwn = { ...c, result: { ...c.result, value: { ...v, owner: { ...v.owner, metaOwn: { type: 'X' } } } } };
    expect(failingEnsures(headUniqueFromUnused, wrongOwn)).toEqual(['UniqueFrame::from_unused.ensures.ok_meta_own']);
    const wrongRepr = {
      ...c,
      result: { ...c.result, value: { ...v, owner: { ...v.owner, reprPerm: { type: 'X' } } } },
    };
    expect(failingEnsures(headUniqueFromUnused, wrongRepr)).toEqual(['UniqueFrame::from_unused.ensures.ok_meta_value']);
    expect(headUniqueFromUnused.ensures.map((e) => e.name)).not.toContain('UniqueFrame::from_unused.ensures.ok_owner');
  });

  it('meta returns owner.meta_value(regions); meta_mut keeps every field but the metadata, and the ledger', () => {
    const { r, args } = claimed();
    const m = run(headUniqueMeta, r, args);
    expect(failingEnsures(headUniqueMeta, { ...m, result: K2 })).toEqual(['UniqueFrame::meta.ensures.result']);
    const c = run(headUniqueMetaMut, r, { ...args, value: K2 });
    expect(failingEnsures(headUniqueMetaMut, { ...c, final: c.old })).toEqual([
      'UniqueFrame::meta_mut.ensures.final_res',
    ]);
    const o = slotOwner(c.final, 3);
    const counted = withSlotOwner(
      c.final,
      3,
      withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, 1n) }),
    );
    expect(failingEnsures(headUniqueMetaMut, { ...c, final: counted })).toEqual(
      expect.arrayContaining([
        'UniqueFrame::meta_mut.ensures.kept_ref_count_perm',
        'UniqueFrame::meta_mut.ensures.global_inv_kept',
      ]),
    );
    const redeemed = withLedger(c.final, c.final.frameObligations.redeem(3));
    expect(failingEnsures(headUniqueMetaMut, { ...c, final: redeemed })).toEqual([
      'UniqueFrame::meta_mut.ensures.obligations',
      'UniqueFrame::meta_mut.ensures.global_inv_kept',
    ]);
  });

  it('repurpose: the new owner carries meta_own_in and decodes the new metadata', () => {
    const { r, args } = claimed();
    const a = { ...args, metadata: Other, metaOwn: { type: 'Other' }, reprPerm: { type: 'Other' } };
    const c = run(headUniqueRepurpose, r, a);
    const stale = { ...c, result: { ...c.result, owner: args.owner } };
    expect(failingEnsures(headUniqueRepurpose, stale)).toEqual([
      'UniqueFrame::repurpose.ensures.meta_own',
      'UniqueFrame::repurpose.ensures.meta_value',
    ]);
    expect(
      failingRequires(headUniqueRepurpose, { old: r, args: { ...a, metaOwn: { type: 'KernelMeta' } }, p }),
    ).toEqual(['UniqueFrame::repurpose.requires.meta_own_wf']);
  });

  it('transmute keeps the slot pointer', () => {
    const { r, args } = claimed();
    const c = run(uniqueTransmute, r, { unique: args.unique });
    expect(failingEnsures(uniqueTransmute, { ...c, result: { ptr: c.result.ptr + 64n } })).toEqual([
      'UniqueFrame::transmute.ensures.transmute_spec',
    ]);
  });

  it('into_raw redeems the obligation and returns the paddr; from_raw mints it back', () => {
    const { r, args } = claimed();
    const c = run(uniqueIntoRaw, r, args);
    expect(c.final.frameObligations.count(3)).toBe(0);
    expect(failingEnsures(uniqueIntoRaw, { ...c, final: c.old, result: P + PAGE_SIZE })).toEqual([
      'UniqueFrame::into_raw.ensures.into_raw_ensures.result',
      'UniqueFrame::into_raw.ensures.into_raw_ensures.obligations',
    ]);
    expect(failingRequires(uniqueIntoRaw, { old: c.final, args, p })).toEqual([
      'UniqueFrame::into_raw.requires.into_raw_requires.obligation',
    ]);
    const back = run(uniqueFromRaw, c.final, { paddr: P, ...T });
    expect(back.final.frameObligations.count(3)).toBe(1);
    const { reprPerm: _, ...none } = back.result.owner;
    const noRepr = { ...back, result: { ...back.result, owner: none } };
    expect(failingEnsures(uniqueFromRaw, noRepr)).toEqual(['UniqueFrame::from_raw.ensures.repr_perm']);
    expect(failingEnsures(uniqueFromRaw, { ...back, final: c.final })).toEqual([
      'UniqueFrame::from_raw.ensures.obligations',
    ]);
  });

  it('from_raw of a unique frame that is still live: every vostd requires holds, only the forgotten-frame safety rule fails', () => {
    const { r } = claimed();
    const pre = { old: r, args: { paddr: P, ...T }, p };
    expect(failingRequires(uniqueFromRaw, pre)).toEqual(['UniqueFrame::from_raw.requires.forgotten_unique']);
    // vostd's ensures all hold on the spec's own transition: a second live UniqueFrame, two obligations.
    expect(clausesBrokenByNext(uniqueFromRaw, pre)).toEqual([]);
    expect(run(uniqueFromRaw, r, pre.args).final.frameObligations.count(3)).toBe(2);
    // A shared frame is refused by vostd's own clause.
    const { r: u, args } = claimed();
    const shared = run(headFrameFromUnique, u, args).final;
    expect(failingRequires(uniqueFromRaw, { ...pre, old: shared })).toEqual(
      expect.arrayContaining(['UniqueFrame::from_raw.requires.rc_unique']),
    );
  });

  it("drop and reset_as_unused require wf_with_region: the seed's derived conjuncts are gone, paths_in_pt.is_empty() is one", () => {
    const { r, args } = claimed();
    for (const n of ['owners_contain', 'self_addr', 'storage_init', 'vtable_init']) {
      expect(headUniqueDrop.requires.map((c) => c.name)).not.toContain(`UniqueFrame::drop.requires.${n}`);
      expect(uniqueDrop.requires.map((c) => c.name)).toContain(`UniqueFrame::drop.requires.${n}`);
    }
    const mapped = withSlotOwner(r, 3, { ...slotOwner(r, 3), pathsInPt: new Set(['pt0']) as never });
    expect(failingRequires(headUniqueDrop, { old: mapped, args, p })).toEqual(
      expect.arrayContaining(['UniqueFrame::drop.requires.paths_empty']),
    );
    const listed = withSlotOwner(
      r,
      3,
      withOwnerFields(slotOwner(r, 3), { inList: permissionU64(slotOwner(r, 3).innerPerms.inList.id, 1n) }),
    );
    expect(failingRequires(headUniqueResetAsUnused, { old: listed, args, p })).toEqual(
      expect.arrayContaining(['UniqueFrame::reset_as_unused.requires.in_list_zero']),
    );
    const c = run(headUniqueDrop, r, args);
    expect(failingEnsures(headUniqueDrop, { ...c, final: withLedger(c.final, c.old.frameObligations) })).toEqual([
      'UniqueFrame::drop.ensures.obligations',
    ]);
  });

  it("from_unique and try_from_shared: HEAD's owner.inv() and regions.inv()", () => {
    const { r, args } = claimed();
    const seedOwner = { ...args, owner: uniqueOwner(3, 'KernelMeta') };
    expect(failingRequires(headFrameFromUnique, { old: r, args: seedOwner, p })).toEqual([
      'Frame::from_unique.requires.owner_inv',
    ]);
    const s = run(headFrameFromUnique, r, args);
    const o = slotOwner(s.final, 3);
    const garbled = withSlotOwner(
      s.final,
      3,
      withOwnerFields(o, { storage: { id: o.innerPerms.storage.id, contents: init(Other) } }),
    );
    expect(failingEnsures(headFrameFromUnique, { ...s, final: garbled })).toEqual([
      'Frame::from_unique.ensures.slot_kept',
    ]);
    const t = run(headUniqueTryFromShared, s.final, { frame: args.unique });
    expect(t.result.ok).toBe(true);
    expect(failingEnsures(headUniqueTryFromShared, { ...t, final: s.final })).toEqual([
      'UniqueFrame::try_from_shared.ensures.ok_unique',
    ]);
  });

  it('headUniqueOwner builds an owner whose repr_perm is Some', () => {
    expect(headUniqueOwner(3, 'KernelMeta').reprPerm).toEqual({ type: 'KernelMeta' });
  });
});
