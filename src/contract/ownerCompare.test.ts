/**
 * The field-by-field owner comparisons of the fast path against the owners the spec builds:
 * `isClaimed` is `ownerEq(final, claimedOwner(..))`, `isTornDown` is `ownerEq(final, tornDownOwner(..))`
 * and `ownerEqButCount` is `ownerEq` with the counts made equal, on owners that differ from the spec's
 * in one field at a time (each comparison must answer false there) and on the spec's own (true).
 */
import { describe, expect, it } from 'vitest';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { claimedOwner } from '../../spec/meta/MetaSlot.ts';
import { defaultSlotOwner, ownerEq, withOwnerFields, type MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';
import { init, permissionU64, UNINIT } from '../../spec/meta/perms.ts';
import { modelParams } from '../../spec/vocab.ts';
import { ownerEqButCount } from './fastPath.ts';
import { isClaimed, isTornDown, tornDownOwner } from './frameFastForms.ts';
import { storageOf } from './view.ts';

const p = modelParams();
const meta = storageOf(unit(KernelMeta));

/** `o` and owners that differ from it in exactly one field (count value, ids, contents, usage, address, paths). */
function variants(o: MetaSlotOwner): MetaSlotOwner[] {
  const q = o.innerPerms;
  return [
    o,
    withOwnerFields(o, { refCount: permissionU64(q.refCount.id, q.refCount.value === 1n ? 2n : 1n) }),
    withOwnerFields(o, { refCount: permissionU64(q.refCount.id + 100, q.refCount.value) }),
    withOwnerFields(o, { inList: permissionU64(q.inList.id, q.inList.value + 1n) }),
    withOwnerFields(o, { storage: { id: q.storage.id + 100, contents: q.storage.contents } }),
    withOwnerFields(o, { storage: { id: q.storage.id, contents: q.storage.contents.init ? UNINIT : init(meta) } }),
    withOwnerFields(o, { vtablePtr: { addr: q.vtablePtr.addr + 8n, contents: q.vtablePtr.contents } }),
    withOwnerFields(o, {
      vtablePtr: { addr: q.vtablePtr.addr, contents: q.vtablePtr.contents.init ? UNINIT : init(meta.type) },
    }),
    withOwnerFields(o, { usage: o.usage === 'Frame' ? 'Unused' : 'Frame' }),
    withOwnerFields(o, { pathsInPt: new Set(['p']) }),
    { ...o, selfAddr: o.selfAddr + 64n },
  ];
}

describe('fast-path owner comparisons', () => {
  const base = defaultSlotOwner(5, p);
  const owners = [base, ...[false, true].map((u) => claimedOwner(base, meta, u, p))];

  it('isClaimed is ownerEq against claimedOwner', () => {
    let held = 0;
    for (const o of owners)
      for (const asUnique of [false, true])
        for (const final of variants(claimedOwner(o, meta, asUnique, p))) {
          const want = ownerEq(final, claimedOwner(o, meta, asUnique, p));
          expect(isClaimed(final, o, meta, asUnique, p)).toBe(want);
          if (want) held++;
        }
    expect(held).toBe(owners.length * 2);
  });

  it('isTornDown is ownerEq against tornDownOwner', () => {
    let held = 0;
    for (const o of owners)
      for (const final of variants(tornDownOwner(o, p))) {
        const want = ownerEq(final, tornDownOwner(o, p));
        expect(isTornDown(final, o, p)).toBe(want);
        if (want) held++;
      }
    expect(held).toBe(owners.length);
  });

  it('ownerEqButCount is ownerEq with the counts made equal', () => {
    for (const o of owners)
      for (const x of variants(o)) {
        const sameCount = withOwnerFields(x, {
          refCount: permissionU64(x.innerPerms.refCount.id, o.innerPerms.refCount.value),
        });
        expect(ownerEqButCount(x, o)).toBe(ownerEq(sameCount, o));
      }
  });
});
