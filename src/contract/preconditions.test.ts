/**
 * Every `requires` clause of the MetaSlot layer, violated on purpose through the checked API: the
 * report names the clause and blames the caller. In `enforce` mode the call is refused before the
 * implementation runs; in `collect` mode every failing clause of the call is recorded.
 */
import { describe, expect, it } from 'vitest';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, UnitMeta, unit } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import { slotOwner } from '../../spec/meta/MetaRegionOwners.ts';
import { slotIds, withOwnerFields } from '../../spec/meta/MetaSlotOwner.ts';
import { init, permissionU64, UNINIT } from '../../spec/meta/perms.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { CheckedMetaRegion, type CheckedOptions } from './CheckedMetaRegion.ts';
import { ContractViolation, type Violation } from './report.ts';

const MAX = 16 * PAGE_SIZE;
const make = (opts: Partial<CheckedOptions> = {}) => new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', ...opts });
const seen = (r: CheckedMetaRegion) => r.violations.map((v) => `${v.clause} / ${v.blame}`);

/** Runs `f` on an `enforce` region and returns the report it throws. */
function refused(f: () => unknown): Violation {
  try {
    f();
  } catch (e) {
    if (e instanceof ContractViolation) return e.report;
    throw e;
  }
  throw new Error('the call was not refused');
}

/** A region in `enforce` mode with slot 1 shared (count 1), slot 2 unique, slot 3 busy (count 0, metadata written). */
function populated(mode: 'enforce' | 'collect' = 'enforce') {
  const r = make({ mode });
  r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
  r.getFromUnused(2 * PAGE_SIZE, unit(KernelMeta), true);
  r.getFromUnused(3 * PAGE_SIZE, unit(KernelMeta), false);
  r.impl.mem.store(r.impl.refCountWord(3), 0n, Ordering.Relaxed);
  r.framePaddr(3); // a checked call re-reads the slot it touches into the ghost
  return r;
}

describe('get_from_unused / get_from_in_use require regions.inv() (caller re-parks)', () => {
  it('a claimed frame whose permission was not re-parked breaks the next claim', () => {
    const r = make({ mode: 'enforce', repark: 'caller' });
    expect(r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false)).toBe(1);
    const v = refused(() => r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false));
    expect([v.clause, v.blame, v.kind]).toEqual(['get_from_unused.requires.regions_inv', 'caller', 'requires']);
    expect(r.impl.refCount(1)).toBe(1n);
  });

  it('… and the next acquisition', () => {
    const r = make({ mode: 'enforce', repark: 'caller' });
    r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    const v = refused(() => r.getFromInUse(PAGE_SIZE));
    expect([v.clause, v.blame, v.kind]).toEqual(['get_from_in_use.requires.regions_inv', 'caller', 'requires']);
    expect(r.impl.refCount(1)).toBe(1n);
  });

  it('re-parking restores the invariant; other frames were never affected', () => {
    const r = make({ repark: 'caller' });
    r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    expect(r.getFromUnused(2 * PAGE_SIZE, unit(KernelMeta), false)).toBe(2);
    const tracked = r.takeTracked();
    expect(tracked.map((t) => t.perm.addr)).toEqual([metaAddr(1), metaAddr(2)]);
    for (const t of tracked) r.syncSlotPerm(t.token, t.perm);
    expect(r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false)).toBe('InUse');
    expect(r.getFromInUse(PAGE_SIZE)).toBe(1);
    expect(r.violations).toEqual([]);
  });

  it('the violation is the first one recorded in collect mode too', () => {
    const r = make({ repark: 'caller' });
    r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    expect(r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false)).toBe('InUse');
    expect(seen(r)[0]).toBe('get_from_unused.requires.regions_inv / caller');
  });

  it('re-parking the same permission twice is a linearity violation of the caller', () => {
    const r = make({ repark: 'caller' });
    r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    const [t] = r.takeTracked();
    r.syncSlotPerm(t!.token, t!.perm);
    expect(r.violations).toEqual([]);
    r.syncSlotPerm(t!.token, t!.perm);
    expect(r.violations.map((v) => [v.clause, v.blame, v.kind])).toEqual([
      ['sync_slot_perm.linearity', 'caller', 'linearity'],
    ]);
    const e = make({ mode: 'enforce', repark: 'caller' });
    e.getFromUnused(0, unit(UnitMeta), false);
    const [u] = e.takeTracked();
    e.syncSlotPerm(u!.token, u!.perm);
    expect(refused(() => e.syncSlotPerm(u!.token, u!.perm)).clause).toBe('sync_slot_perm.linearity');
  });
});

describe('get_from_in_use_loop requires a permission for this slot', () => {
  it('perm.pptr() == slot', () => {
    const r = populated();
    const perm = { addr: metaAddr(2), contents: init(slotIds(1)) };
    const v = refused(() => r.getFromInUseLoop(1, { perm }));
    expect([v.clause, v.blame]).toEqual(['get_from_in_use_loop.requires.perm_pptr', 'caller']);
    expect(r.impl.refCount(1)).toBe(1n);
  });

  it('perm.is_init()', () => {
    const r = populated();
    const v = refused(() => r.getFromInUseLoop(1, { perm: { addr: metaAddr(1), contents: UNINIT } }));
    expect([v.clause, v.blame]).toEqual(['get_from_in_use_loop.requires.perm_init', 'caller']);
  });

  it('perm.value().ref_count.id() == inner_perms.ref_count.id()', () => {
    const r = populated();
    const v = refused(() => r.getFromInUseLoop(1, { perm: { addr: metaAddr(1), contents: init(slotIds(2)) } }));
    expect([v.clause, v.blame]).toEqual(['get_from_in_use_loop.requires.rc_perm_for_slot', 'caller']);
  });

  it('in collect mode, the permission of another slot fails both clauses it breaks, and nothing else', () => {
    const r = populated('collect');
    const other = { addr: metaAddr(2), contents: init(slotIds(2)) };
    expect(r.getFromInUseLoop(1, { perm: other })).toBe(1);
    expect(seen(r)).toEqual([
      'get_from_in_use_loop.requires.perm_pptr / caller',
      'get_from_in_use_loop.requires.rc_perm_for_slot / caller',
    ]);
  });
});

describe('inc_ref_count', () => {
  it('requires the count permission of this slot', () => {
    const r = populated();
    r.getFromUnused(4 * PAGE_SIZE, unit(KernelMeta), false);
    const v = refused(() => r.incRefCount(1, { rcPerm: slotOwner(r.ghost, 4).innerPerms.refCount }));
    expect([v.clause, v.blame]).toEqual(['inc_ref_count.requires.is_for', 'caller']);
    expect(r.impl.refCount(1)).toBe(1n);
  });

  it('requires a count other than REF_COUNT_UNUSED (enforce: refused before the add)', () => {
    const r = populated();
    const v = refused(() => r.incRefCount(5));
    expect([v.clause, v.blame]).toEqual(['inc_ref_count.requires.not_unused', 'caller']);
    expect(r.impl.refCount(5)).toBe(r.impl.REF_COUNT_UNUSED);
  });

  it('… and in collect mode the call goes on and aborts, which the spec allows at that count', () => {
    const r = populated('collect');
    expect(() => r.incRefCount(5)).toThrow(KernelAbort);
    expect(seen(r)).toEqual(['inc_ref_count.requires.not_unused / caller']);
  });

  it('a forged permission with the right id but the UNUSED value is caught the same way', () => {
    const r = populated();
    const v = refused(() =>
      r.incRefCount(1, { rcPerm: permissionU64(slotIds(1).refCountId, r.impl.REF_COUNT_UNUSED) }),
    );
    expect(v.clause).toBe('inc_ref_count.requires.not_unused');
  });
});

describe('frame_paddr and as_meta_ptr require the permission of self', () => {
  it('frame_paddr: perm.value() == self', () => {
    const r = populated('collect');
    expect(r.framePaddr(1, { perm: { addr: metaAddr(1), contents: init(slotIds(2)) } })).toBe(PAGE_SIZE);
    expect(seen(r)).toEqual(['frame_paddr.requires.perm_value / caller']);
    const e = populated();
    expect(refused(() => e.framePaddr(1, { perm: { addr: metaAddr(2), contents: init(slotIds(2)) } })).clause).toBe(
      'frame_paddr.requires.perm_value',
    );
  });

  it('frame_paddr: frame_paddr_safety_cond(perm) (a misaligned or out-of-range slot address)', () => {
    const r = populated('collect');
    expect(r.framePaddr(1, { perm: { addr: metaAddr(1) + 1n, contents: init(slotIds(1)) } })).toBe(PAGE_SIZE);
    expect(seen(r)).toEqual(['frame_paddr.requires.safety_cond / caller']);
    const e = populated();
    const outside = { addr: metaAddr(2 ** 34), contents: init(slotIds(1)) };
    const v = refused(() => e.framePaddr(1, { perm: outside }));
    expect([v.clause, v.blame]).toEqual(['frame_paddr.requires.safety_cond', 'caller']);
  });

  it('as_meta_ptr: self == perm.value()', () => {
    const r = populated('collect');
    r.asMetaPtr(1, KernelMeta, { perm: { addr: metaAddr(1), contents: init(slotIds(3)) } });
    expect(seen(r)).toEqual(['as_meta_ptr.requires.perm_value / caller']);
  });
});

describe('write_meta', () => {
  it('requires the storage permission of self', () => {
    const r = populated();
    r.impl.dropMetaInPlace(3);
    const v = refused(() => r.writeMeta(3, unit(UnitMeta), { metaPerm: slotOwner(r.ghost, 5).innerPerms.storage }));
    expect([v.clause, v.blame]).toEqual(['write_meta.requires.storage_id', 'caller']);
  });

  it('requires the vtable permission of self', () => {
    const r = populated();
    r.impl.dropMetaInPlace(3);
    const v = refused(() => r.writeMeta(3, unit(UnitMeta), { vtablePerm: slotOwner(r.ghost, 5).innerPerms.vtablePtr }));
    expect([v.clause, v.blame]).toEqual(['write_meta.requires.vtable_pptr', 'caller']);
  });

  it('requires an uninitialized vtable: writing over live metadata is refused', () => {
    const r = populated('collect');
    r.writeMeta(1, unit(UnitMeta));
    expect(seen(r)).toEqual(['write_meta.requires.vtable_uninit / caller']);
    const e = populated();
    expect(refused(() => e.writeMeta(3, unit(UnitMeta))).clause).toBe('write_meta.requires.vtable_uninit');
  });
});

describe('drop_last_in_place', () => {
  it('requires old(owner).inv()', () => {
    const r = populated('collect');
    const owner = slotOwner(r.ghost, 2);
    const broken = withOwnerFields(owner, { vtablePtr: { addr: owner.innerPerms.vtablePtr.addr, contents: UNINIT } });
    r.dropLastInPlace(2, { owner: broken });
    expect(seen(r)).toEqual(['drop_last_in_place.requires.owner_inv / caller']);
  });

  it('requires the owner of self (its count id)', () => {
    const r = populated();
    const owner = withOwnerFields(slotOwner(r.ghost, 2), { refCount: slotOwner(r.ghost, 3).innerPerms.refCount });
    const v = refused(() => r.dropLastInPlace(2, { owner }));
    expect([v.clause, v.blame]).toEqual(['drop_last_in_place.requires.rc_id', 'caller']);
  });

  it('requires the safety condition: dropping a slot with count 1 is refused', () => {
    const r = populated('collect');
    r.dropLastInPlace(1);
    expect(seen(r)).toEqual(['drop_last_in_place.requires.safety_cond / caller']);
    const e = populated();
    const v = refused(() => e.dropLastInPlace(1));
    expect([v.clause, v.blame]).toEqual(['drop_last_in_place.requires.safety_cond', 'caller']);
    expect(e.impl.refCount(1)).toBe(1n);
  });
});

describe('drop_meta_in_place', () => {
  it('requires a count of 0 or REF_COUNT_UNIQUE', () => {
    const r = populated();
    const v = refused(() => r.dropMetaInPlace(1));
    expect([v.clause, v.blame]).toEqual(['drop_meta_in_place.requires.rc_zero_or_unique', 'caller']);
    expect(r.impl.dynMeta(1)?.type.name).toBe('KernelMeta');
  });

  it('requires initialized storage', () => {
    const r = populated('collect');
    const owner = slotOwner(r.ghost, 3);
    r.dropMetaInPlace(3, {
      owner: withOwnerFields(owner, { storage: { id: owner.innerPerms.storage.id, contents: UNINIT } }),
    });
    expect(seen(r)).toEqual(['drop_meta_in_place.requires.storage_init / caller']);
  });

  it('requires in_list == 0', () => {
    const r = populated();
    const owner = slotOwner(r.ghost, 3);
    const v = refused(() =>
      r.dropMetaInPlace(3, {
        owner: withOwnerFields(owner, { inList: permissionU64(owner.innerPerms.inList.id, 5n) }),
      }),
    );
    expect([v.clause, v.blame]).toEqual(['drop_meta_in_place.requires.in_list_zero', 'caller']);
  });
});
