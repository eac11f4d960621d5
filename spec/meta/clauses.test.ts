/**
 * The clauses no implementation can falsify, falsified by a crafted ghost context.
 *
 * The contract layer builds the ghost after a call from memory plus the ghost-only fields the proof
 * code maintains, so some clauses only constrain what a *proof block* does, never the executable code:
 * - permission identities: `get_from_in_use_loop.ensures.rc_id`, `inc_ref_count.ensures.id`,
 *   `write_meta.ensures.storage_id`/`vtable_pptr`, `drop_{last,meta}_in_place.ensures.{rc_id,storage_id,vtable_pptr}`
 *   and `MetaSlot::wf.*` (the view derives every identity from the slot's address);
 * - ghost-only owner fields: `drop_{last,meta}_in_place.ensures.{self_addr,usage,paths_in_pt}`,
 *   `MetaSlotOwner::inv.self_addr_in_range`/`self_addr_aligned` (only proof code writes them);
 * - the ghost region's maps and ledger: `get_from_unused.ensures.obligations_unchanged`,
 *   `get_from_in_use.ensures.obligations_unchanged` (no MetaSlot op touches the ledger),
 *   `get_from_unused.ensures.ok_slot_perm_extracted` (the extraction is the wrapper's proof block; an
 *   implementation can only reach it by claiming an address without a slot, see postconditions.test.ts),
 *   and `MetaRegionOwners::inv.{owners_domain, owners_have_slots, slot_init, slot_addr, slot_wf, self_addr}`.
 * Each is evaluated here through the contract layer's recording `evaluate`: true on the context the
 * spec's own `next` builds, false on the context a broken proof block would build.
 *
 * `MetaRegionOwners::inv.slots_finite` and `MetaSlotOwner::inv.paths_finite` cannot fail in this
 * representation (a persistent map and a `Set` are finite): they are notes (`noteTable()`), not clauses.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/contract/ContractChecker.ts';
import { clausesOf, type Clause, type OpSpec, type Outcome, type PostCtx, type PreCtx } from '../Op.ts';
import { FRAME_METADATA_RANGE, MAX_META_SLOTS, modelParams, PAGE_SIZE, type ModelParams } from '../vocab.ts';
import { metaAddr } from './mapping.ts';
import {
  defaultSlotPerm,
  extractSlotPerm,
  initialRegion,
  META_REGION_INV,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
} from './MetaRegionOwners.ts';
import { getFromInUse, getFromInUseLoop, getFromUnused, type LoopState } from './MetaSlot.ts';
import {
  dropLastInPlace,
  dropMetaInPlace,
  incRefCount,
  writeMeta,
  type DropMetaState,
  type DropState,
} from './MetaSlotOps.ts';
import {
  META_SLOT_OWNER_INV,
  META_SLOT_WF,
  slotIds,
  withOwnerFields,
  type MetaSlotOwner,
  type MetaSlotStorage,
} from './MetaSlotOwner.ts';
import { init, permissionU64, UNINIT } from './perms.ts';

const p: ModelParams = modelParams({ maxPaddr: 16 * PAGE_SIZE, refCountMax: 4n });
const P = PAGE_SIZE;
const META: MetaSlotStorage = Object.freeze({ type: 'KernelMeta', fields: Object.freeze({}) });
const EMPTY = Object.freeze({}) as Readonly<Record<string, never>>;

/** The clause of `spec` named `name`. */
function clauseOf<S, A, R>(spec: OpSpec<S, A, R>, name: string): Clause<never> {
  const c = clausesOf(spec).find((x) => x.name === name);
  if (c === undefined) throw new Error(`${spec.name} has no clause ${name}`);
  return c;
}
function invariant(list: readonly Clause<never>[], name: string): Clause<never> {
  const c = list.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no invariant ${name}`);
  return c;
}
/** The post context `next` builds from `pre` (the law test checks every clause holds on it). */
function postOf<S, A, R>(spec: OpSpec<S, A, R>, pre: PreCtx<S, A>): PostCtx<S, A, R> {
  const out: Outcome<S, R> = spec.next(pre);
  if (out.kind !== 'return') throw new Error(`${spec.name}.next panicked`);
  return { ...pre, final: out.final, result: out.result };
}
/** `clause` holds on `good` and fails on `bad`, both evaluated through the recording evaluator. */
function bothWays(clause: Clause<never>, good: unknown, bad: unknown): void {
  expect(evaluate(clause, good), `${clause.name} on the correct context`).toEqual({ ok: true });
  expect(evaluate(clause, bad), `${clause.name} on the crafted context`).toEqual({ ok: false });
}

/** Frame 1 claimed (count 1) and its permission re-parked; frame 2 claimed unique. */
function claimedRegion(): MetaRegionOwners {
  let r = initialRegion(p);
  for (const [paddr, asUnique] of [
    [P, false],
    [2 * P, true],
  ] as const) {
    const post = postOf(getFromUnused, { old: r, args: { paddr, metadata: META, asUnique }, p });
    if (!post.result.ok) throw new Error('claim failed');
    r = reparkSlotPerm(post.final, paddr / P, post.result.value.perm);
  }
  return r;
}
const R = claimedRegion();
const owner1 = slotOwner(R, 1);
const unique2 = slotOwner(R, 2);

describe('region-level ensures over ghost maps and the ledger', () => {
  it('get_from_unused.ensures.obligations_unchanged', () => {
    const good = postOf(getFromUnused, { old: R, args: { paddr: 3 * P, metadata: META, asUnique: false }, p });
    const bad = { ...good, final: withLedger(good.final, good.final.frameObligations.mint(3)) };
    bothWays(clauseOf(getFromUnused, 'get_from_unused.ensures.obligations_unchanged'), good, bad);
  });

  it('get_from_in_use.ensures.obligations_unchanged', () => {
    const good = postOf(getFromInUse, { old: R, args: { paddr: P }, p });
    const bad = { ...good, final: withLedger(good.final, good.final.frameObligations.mint(1)) };
    bothWays(clauseOf(getFromInUse, 'get_from_in_use.ensures.obligations_unchanged'), good, bad);
  });

  it('get_from_unused.ensures.ok_slot_perm_extracted: the permission stays parked, or another one leaves too', () => {
    const good = postOf(getFromUnused, { old: R, args: { paddr: 3 * P, metadata: META, asUnique: false }, p });
    const c = clauseOf(getFromUnused, 'get_from_unused.ensures.ok_slot_perm_extracted');
    bothWays(c, good, { ...good, final: reparkSlotPerm(good.final, 3, defaultSlotPerm(3)) });
    bothWays(c, good, { ...good, final: extractSlotPerm(good.final, 4) });
  });
});

describe('permission identities in the per-slot ensures', () => {
  const otherId = 9999;

  it('get_from_in_use_loop.ensures.rc_id', () => {
    const old: LoopState = { perm: defaultSlotPerm(1), innerPerms: owner1.innerPerms };
    const good = postOf(getFromInUseLoop, { old, args: { slot: metaAddr(1) }, p });
    const refCount = permissionU64(otherId, good.final.innerPerms.refCount.value);
    const bad = { ...good, final: { ...good.final, innerPerms: { ...good.final.innerPerms, refCount } } };
    bothWays(clauseOf(getFromInUseLoop, 'get_from_in_use_loop.ensures.rc_id'), good, bad);
  });

  it('inc_ref_count.ensures.id', () => {
    const good = postOf(incRefCount, { old: { slot: slotIds(1), rcPerm: owner1.innerPerms.refCount }, args: EMPTY, p });
    const bad = { ...good, final: { ...good.final, rcPerm: permissionU64(otherId, good.final.rcPerm.value) } };
    bothWays(clauseOf(incRefCount, 'inc_ref_count.ensures.id'), good, bad);
  });

  it('write_meta.ensures.storage_id and vtable_pptr', () => {
    const o = slotOwner(R, 3);
    const old = { slot: slotIds(3), metaPerm: o.innerPerms.storage, vtablePerm: o.innerPerms.vtablePtr };
    const good = postOf(writeMeta, { old, args: { metadata: META }, p });
    const badStorage = { ...good, final: { ...good.final, metaPerm: { ...good.final.metaPerm, id: otherId } } };
    const badVtable = {
      ...good,
      final: { ...good.final, vtablePerm: { ...good.final.vtablePerm, addr: metaAddr(4) + 48n } },
    };
    bothWays(clauseOf(writeMeta, 'write_meta.ensures.storage_id'), good, badStorage);
    bothWays(clauseOf(writeMeta, 'write_meta.ensures.vtable_pptr'), good, badVtable);
  });
});

/** The owner fields a broken proof block could leave behind after a drop, one per clause. */
const tampered: readonly [string, (o: MetaSlotOwner) => MetaSlotOwner][] = [
  ['storage_id', (o) => withOwnerFields(o, { storage: { id: 9999, contents: UNINIT } })],
  ['vtable_pptr', (o) => withOwnerFields(o, { vtablePtr: { addr: metaAddr(5) + 48n, contents: UNINIT } })],
  ['self_addr', (o) => ({ ...o, selfAddr: metaAddr(5) })],
  ['usage', (o) => withOwnerFields(o, { usage: 'Unused' })],
  ['paths_in_pt', (o) => withOwnerFields(o, { pathsInPt: new Set(['pt@0x1000[3]']) })],
];

describe('drop_last_in_place and drop_meta_in_place keep the owner fields they do not own', () => {
  const lastGood = postOf(dropLastInPlace, {
    old: { slot: slotIds(2), owner: unique2 } satisfies DropState,
    args: EMPTY,
    p,
  });
  const metaGood = postOf(dropMetaInPlace, { old: { owner: unique2 } satisfies DropMetaState, args: EMPTY, p });

  for (const [field, tamper] of tampered) {
    it(`drop_last_in_place.ensures.${field}`, () => {
      const bad = { ...lastGood, final: { ...lastGood.final, owner: tamper(lastGood.final.owner) } };
      bothWays(clauseOf(dropLastInPlace, `drop_last_in_place.ensures.${field}`), lastGood, bad);
    });
    it(`drop_meta_in_place.ensures.${field}`, () => {
      const bad = { ...metaGood, final: { owner: tamper(metaGood.final.owner) } };
      bothWays(clauseOf(dropMetaInPlace, `drop_meta_in_place.ensures.${field}`), metaGood, bad);
    });
  }

  it('drop_last_in_place.ensures.rc_id', () => {
    const o = lastGood.final.owner;
    const bad = {
      ...lastGood,
      final: { ...lastGood.final, owner: withOwnerFields(o, { refCount: permissionU64(9999, p.refCountUnused) }) },
    };
    bothWays(clauseOf(dropLastInPlace, 'drop_last_in_place.ensures.rc_id'), lastGood, bad);
  });
});

describe('MetaSlotOwner::inv on the ghost-only self_addr', () => {
  const at = (o: MetaSlotOwner) => ({ value: o, p });
  it('self_addr_in_range', () => {
    const c = invariant(META_SLOT_OWNER_INV, 'MetaSlotOwner::inv.self_addr_in_range');
    bothWays(c, at(owner1), at({ ...owner1, selfAddr: FRAME_METADATA_RANGE.end }));
    expect(evaluate(c, at({ ...owner1, selfAddr: FRAME_METADATA_RANGE.start - 64n })).ok).toBe(false);
  });
  it('self_addr_aligned', () => {
    bothWays(
      invariant(META_SLOT_OWNER_INV, 'MetaSlotOwner::inv.self_addr_aligned'),
      at(owner1),
      at({ ...owner1, selfAddr: metaAddr(1) + 8n }),
    );
  });
});

// A count of 0 exists only inside a claim or a teardown, between two calls the contract layer sees as
// one: `inv.busy` is false only for a slot caught in that window (the explorer checks it there).
describe('MetaSlotOwner::inv in the construction window', () => {
  it('busy: a slot at count 0 is in no list', () => {
    const at = (o: MetaSlotOwner) => ({ value: o, p });
    const window = withOwnerFields(owner1, { refCount: permissionU64(owner1.innerPerms.refCount.id, 0n) });
    const listed = withOwnerFields(window, { inList: permissionU64(owner1.innerPerms.inList.id, 7n) });
    bothWays(invariant(META_SLOT_OWNER_INV, 'MetaSlotOwner::inv.busy'), at(window), at(listed));
  });
});

describe('MetaSlot::wf: each field identity against the owner', () => {
  const wf = (slot: ReturnType<typeof slotIds>) => ({ value: { slot, owner: owner1 }, p });
  const ids = slotIds(1);
  const cases: readonly [string, ReturnType<typeof slotIds>][] = [
    ['storage_id', { ...ids, storageId: ids.storageId + 4 }],
    ['ref_count_id', { ...ids, refCountId: ids.refCountId + 4 }],
    ['vtable_ptr', { ...ids, vtablePtr: ids.vtablePtr + 64n }],
    ['in_list_id', { ...ids, inListId: ids.inListId + 4 }],
  ];
  for (const [name, slot] of cases) {
    it(`MetaSlot::wf.${name}`, () => {
      const c = invariant(META_SLOT_WF, `MetaSlot::wf.${name}`);
      bothWays(c, wf(ids), wf(slot));
      for (const [other] of cases)
        if (other !== name) expect(evaluate(invariant(META_SLOT_WF, `MetaSlot::wf.${other}`), wf(slot)).ok).toBe(true);
    });
  }
});

describe('MetaRegionOwners::inv over crafted regions', () => {
  const inv = (name: string) => invariant(META_REGION_INV, `MetaRegionOwners::inv.${name}`);
  const at = (region: MetaRegionOwners, i: number) => ({ value: { region, i }, p });

  it('owners_domain: an owner written at an index outside [0, max_meta_slots)', () => {
    const outside = withSlotOwner(R, MAX_META_SLOTS, { ...owner1, selfAddr: metaAddr(1) });
    bothWays(inv('owners_domain'), at(R, MAX_META_SLOTS), at(outside, MAX_META_SLOTS));
    expect(evaluate(inv('owners_domain'), at(R, -1)).ok).toBe(true);
  });
  it('slots_domain: a permission parked at an index outside [0, max_meta_slots)', () => {
    const outside = reparkSlotPerm(R, MAX_META_SLOTS, { addr: metaAddr(1), contents: init(slotIds(1)) });
    bothWays(inv('slots_domain'), at(R, MAX_META_SLOTS), at(outside, MAX_META_SLOTS));
  });
  it('owners_have_slots: a permission extracted and never re-parked', () => {
    bothWays(inv('owners_have_slots'), at(R, 1), at(extractSlotPerm(R, 1), 1));
  });
  it('slot_init: a re-parked permission that is uninitialized', () => {
    bothWays(inv('slot_init'), at(R, 1), at(reparkSlotPerm(R, 1, { addr: metaAddr(1), contents: UNINIT }), 1));
  });
  it('slot_addr: a permission to another address', () => {
    bothWays(
      inv('slot_addr'),
      at(R, 1),
      at(reparkSlotPerm(R, 1, { addr: metaAddr(4), contents: init(slotIds(1)) }), 1),
    );
  });
  it('slot_wf: a permission whose value is another slot', () => {
    bothWays(inv('slot_wf'), at(R, 1), at(reparkSlotPerm(R, 1, { addr: metaAddr(1), contents: init(slotIds(4)) }), 1));
  });
  it('self_addr: an owner whose self_addr is not its permission address', () => {
    bothWays(inv('self_addr'), at(R, 1), at(withSlotOwner(R, 1, { ...owner1, selfAddr: metaAddr(4) }), 1));
  });
  it('the domain conjuncts hold where the others fail inside the domain', () => {
    const broken = extractSlotPerm(reparkSlotPerm(R, 1, { addr: metaAddr(4), contents: UNINIT }), 2);
    for (const i of [1, 2]) {
      expect(evaluate(inv('owners_domain'), at(broken, i)).ok).toBe(true);
      expect(evaluate(inv('slots_domain'), at(broken, i)).ok).toBe(true);
    }
    expect(slotPerm(broken, 2)).toBeUndefined();
  });
});
