/**
 * The contract layer's fast path: a call is checked on its footprint only — the op's clauses evaluated
 * on the slot it touched, from the values its atomics returned — without building or diffing region
 * ghosts. When every clause holds there, nothing else is done; when one does not (or the call did
 * something the fast form does not describe), the caller runs the full check, which rebuilds the
 * ghost state and writes the same rich report as always.
 *
 * The clause table stays the single source: each op's fast form is a table of predicates keyed by the
 * clause names of its `OpSpec`, specialized once at load (`specialize`), and an op whose clause table
 * names a clause its fast form lacks gets no fast path. A fast predicate may only answer `true` when
 * the clause holds (a law test compares both on generated calls); `false` just means "ask the full
 * check".
 */
import type { OpSpec } from '../../spec/Op.ts';
import {
  META_REGION_INV,
  slotOwner,
  withSlotOwner,
  type MetaRegionOwners,
  type SlotPerm,
} from '../../spec/meta/MetaRegionOwners.ts';
import { withOwnerFields, type MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';
import { contentsEq, ghostEq, permEq, permissionU64 } from '../../spec/meta/perms.ts';
import { MultisetLedger } from '../../spec/meta/ObligationLedger.ts';
import type { FrameIndex } from '../../spec/vocab.ts';
import type { CallLevel } from './ContractChecker.ts';
import type { TrackingMemory } from './trackingMemory.ts';

let enabled = true;

/** Turns the fast path off (every call then takes the full check) or on: for tests that compare the two. */
export function setFastPathEnabled(on: boolean): void {
  enabled = on;
}

/** Whether checked calls try the fast path first. */
export function fastPathEnabled(): boolean {
  return enabled;
}

/** The footprint of one call as the fast forms read it: filled in place, never allocated per call. */
export type Footprint = {
  /** The slot, or -1 when the address has none. */
  i: FrameIndex;
  /** The count read just before the call (what the full check's `old` holds). */
  beforeRc: bigint;
  /** The count at the linearization point: what the call's first effective write observed. */
  oldRc: bigint;
  /** The count the call left. */
  finalRc: bigint;
  /** The call wrote nothing but the slot's count word (atomically; no plain write). */
  onlyRc: boolean;
  /** The call wrote no word of slot `i` but its count (it may have written other slots). */
  slotOnlyRc: boolean;
  /** The call wrote nothing at all. */
  nothingWritten: boolean;
  /** Every word the call wrote (atomically or not) lies in slot `i`. */
  withinSlot: boolean;
  /** The result: `Ok` and its slot pointer (in index form), or the error. */
  ok: boolean;
  ptr: number;
  error: string;
  /** `regions.inv()` at the slot with the counts `beforeRc` and `finalRc`. */
  invBefore: boolean;
  invFinal: boolean;
  /** `slots[i].addr()` in index form (`meta_addr` is injective), or -1 when the permission is not in the region. */
  permSlot: number;
  /** A drop: whether it released the last reference, the writes to the count word, the frames deallocated. */
  last: boolean;
  rcWrites: number;
  deallocs: number;
  /** A drop's obligation argument: the ledger holds one at it, and it is the frame's key. */
  ledgerHas: boolean;
  oblIsKey: boolean;
  /**
   * A claim (`get_from_unused`): the slot's permission is in the region (`permPresent`), is initialized
   * at `meta_addr(i)` (`permOk`) and its value's ids are the final owner's (`permWf`); the final owner is
   * `claimedOwner(old owner, metadata, as_unique)` (`claimed`) with `in_list == 0` (`inListZero`), and
   * its storage decodes to the metadata passed (`metaOk`).
   */
  permPresent: boolean;
  permOk: boolean;
  permWf: boolean;
  claimed: boolean;
  inListZero: boolean;
  metaOk: boolean;
  /**
   * A last drop (count 1 → 0 → UNUSED, the slot torn down): the final owner is the old one with the
   * count UNUSED and the storage and vtable uninitialized, every other field kept (`tornDown`); the
   * count word was written exactly 0 then REF_COUNT_UNUSED (`throughZero`); the frames deallocated
   * are exactly the slot's (`deallocSelf`); and the old owner's `paths_in_pt` is empty (`pathsEmpty`).
   */
  tornDown: boolean;
  throughZero: boolean;
  deallocSelf: boolean;
  pathsEmpty: boolean;
  /** A drop that rewrote its slot's owner: the final owner's `self_addr`, `usage` and `paths_in_pt` are the old one's. */
  ghostKept: boolean;
};

/** A fresh footprint record (one per checked layer, reused by every call). */
export function newFootprint(): Footprint {
  return {
    i: -1,
    beforeRc: 0n,
    oldRc: 0n,
    finalRc: 0n,
    onlyRc: true,
    slotOnlyRc: true,
    nothingWritten: true,
    withinSlot: true,
    ok: false,
    ptr: -1,
    error: '',
    invBefore: false,
    invFinal: false,
    permSlot: -1,
    last: false,
    rcWrites: 0,
    deallocs: 0,
    ledgerHas: false,
    oblIsKey: false,
    permPresent: false,
    permOk: false,
    permWf: false,
    claimed: false,
    inListZero: false,
    metaOk: false,
    tornDown: false,
    throughZero: false,
    deallocSelf: false,
    pathsEmpty: false,
    ghostKept: false,
  };
}

/** A fast predicate of one clause, over the footprint (a slot op's `Footprint` unless said otherwise). */
export type FastClause<F = Footprint> = (f: F) => boolean;

/** An op's fast form: one predicate per clause name of its spec, and the refinement `final == next(old)`. */
export type FastForm<F = Footprint> = Readonly<{
  clauses: Readonly<Record<string, FastClause<F>>>;
  refinement: FastClause<F>;
}>;

/** An op's fast form specialized against its clause table, in clause order. */
export type FastCheck<F = Footprint> = Readonly<{
  requires: readonly FastClause<F>[];
  ensures: readonly FastClause<F>[];
  refinement: FastClause<F>;
  /** The clauses the predicates decide, in the same order (for a report that names them). */
  requiresOf: readonly Readonly<{ name: string; verus: string }>[];
  ensuresOf: readonly Readonly<{ name: string; verus: string }>[];
  /** The requires fused into one predicate (see `fuse`): every one holds. */
  requiresHold: FastClause<F>;
  /** The ensures fused: every one holds. */
  ensuresHold: FastClause<F>;
  /** The ensures and the refinement fused (level full). */
  allHold: FastClause<F>;
}>;

let formEdit: ((op: string, form: FastForm<never>) => FastForm<never>) | undefined;
let fusedEdit: ((op: string, part: FusedPart, fused: FastClause<never>) => FastClause<never>) | undefined;

/** Which fused predicate of an op's fast check (`FastCheck.requiresHold`, `ensuresHold`, `allHold`). */
export type FusedPart = 'requires' | 'ensures' | 'all';

/**
 * Edits every fast form before it is specialized (`undefined`: none). For the tests that show the
 * differential suites catch a deliberately broken fast form; takes effect for layers built afterwards.
 */
export function setFastFormEdit(edit: ((op: string, form: FastForm<never>) => FastForm<never>) | undefined): void {
  formEdit = edit;
}

/**
 * Edits every fused predicate after it is built (`undefined`: none). For the tests that show the
 * differential suites catch a broken fused predicate; takes effect for layers built afterwards.
 */
export function setFusedEdit(
  edit: ((op: string, part: FusedPart, fused: FastClause<never>) => FastClause<never>) | undefined,
): void {
  fusedEdit = edit;
}

/**
 * The conjunction of `preds` as one function of its own: each distinct predicate (many clauses share
 * one, e.g. every "only the count moved" clause) called once, in order, from a body compiled for this
 * op alone, so that every call site in it sees one callee and the compiler inlines it. A loop over the
 * predicates would call them all from one shared site, which no compiler inlines. `name` (the op and
 * the part) names the function in profiles and keeps the bodies of two ops apart.
 */
export function fuse<F>(name: string, preds: readonly FastClause<F>[]): FastClause<F> {
  const distinct = [...new Set(preds)];
  const params = distinct.map((_, k) => `c${k}`);
  const body = params.length === 0 ? 'true' : params.map((c) => `${c}(f)`).join(' && ');
  const label = name.replace(/[^A-Za-z0-9_:.]/g, '_');
  const source = `return function fused(f) { return ${body}; };\n//# sourceURL=framecheck-fast/${label}`;
  // The predicates are this module's closures, never user input: the source is built from parameter names alone.
  return new Function(...params, source)(...distinct) as FastClause<F>;
}

/**
 * Orders `form`'s predicates as `spec`'s clause table lists them. `undefined` when the table names a
 * clause the form lacks (the op then has no fast path), or the form names one the table does not.
 */
export function specialize<S, A, R, F = Footprint>(
  spec: OpSpec<S, A, R>,
  given: FastForm<F>,
): FastCheck<F> | undefined {
  const form = formEdit === undefined ? given : (formEdit(spec.name, given as FastForm<never>) as FastForm<F>);
  const names = [...spec.requires, ...spec.ensures].map((c) => c.name);
  const extra = Object.keys(form.clauses).filter((n) => !names.includes(n) && n !== spec.mayPanic.name);
  const pick = (cs: readonly { name: string }[]) => cs.map((c) => form.clauses[c.name]);
  const requires = pick(spec.requires);
  const ensures = pick(spec.ensures);
  if (extra.length > 0 || requires.includes(undefined) || ensures.includes(undefined)) return undefined;
  const req = requires as FastClause<F>[];
  const ens = ensures as FastClause<F>[];
  const fused = (part: FusedPart, preds: readonly FastClause<F>[]): FastClause<F> => {
    const f = fuse(`${spec.name}.${part}`, preds);
    return fusedEdit === undefined ? f : (fusedEdit(spec.name, part, f as FastClause<never>) as FastClause<F>);
  };
  return {
    requires: req,
    ensures: ens,
    refinement: form.refinement,
    requiresOf: spec.requires,
    ensuresOf: spec.ensures,
    requiresHold: fused('requires', req),
    ensuresHold: fused('ensures', ens),
    allHold: fused('all', [...ens, form.refinement]),
  };
}

/** Whether every clause of the call's level holds on the footprint (the requires are run before the call). */
export function fastEnsures<F>(check: FastCheck<F>, f: F, level: CallLevel): boolean {
  return level === 'full' ? check.allHold(f) : check.ensuresHold(f);
}

/** Whether every requires clause holds on the footprint. */
export function fastRequires<F>(check: FastCheck<F>, f: F): boolean {
  return check.requiresHold(f);
}

/**
 * What the ghost holds at one slot, as of the last full check that touched it: the raw region entries
 * (owner and permission, by identity), the memory words they were read from, and the memoized value
 * of `regions.inv()` at the slot per count (the invariant reads nothing else of the region).
 */
export type SlotEntry = {
  owner: MetaSlotOwner | undefined;
  perm: SlotPerm | null | undefined;
  vtable: bigint;
  inList: bigint;
  /** The owner as `slot_owners[i]` reads (the default one when `owner` is undefined). */
  resolved: MetaSlotOwner;
  /** `slots[i].addr()` in index form, or -1 (absent, or not a slot address). */
  permSlot: number;
  /** `meta_addr(i)`, computed once per entry. */
  addr: bigint;
  /** The region the raw entries were last compared with (a fast call leaves it as it is). */
  seen: MetaRegionOwners;
  inv: CountMemo;
  /**
   * The memos of the owners the slot held lately (`inv` among them, for `resolved`), each keyed by the
   * count: a slot claimed and torn down over and over holds equal owners again (see `ownerEqButCount`).
   */
  alts: { owner: MetaSlotOwner; inv: CountMemo }[];
};

/**
 * The memoized value of `regions.inv()` at one slot per count: a few counts at a time (a hot slot's
 * counts move by one around a few values), compared with `===` in a scan, where a `Map` keyed by a
 * bigint hashes it per lookup. A cache: the oldest count is forgotten when a new one comes. The first
 * two counts live in fields (most slots see no more before their entry goes: a memo is made per slot
 * entry and owner value, so its size is what a fresh slot's claim pays), the others in arrays made
 * when a third comes.
 */
export class CountMemo {
  private c0: bigint | undefined = undefined;
  private v0 = false;
  private c1: bigint | undefined = undefined;
  private v1 = false;
  private counts: bigint[] | undefined = undefined;
  private values: boolean[] | undefined = undefined;
  private next = 0;

  /** The memoized value at count `rc`, if any. */
  get(rc: bigint): boolean | undefined {
    if (this.c0 === rc) return this.v0;
    if (this.c1 === rc) return this.v1;
    const c = this.counts;
    if (c !== undefined) for (let k = 0; k < c.length; k++) if (c[k] === rc) return this.values![k];
    return undefined;
  }

  /** Memoizes `v` at count `rc`. */
  set(rc: bigint, v: boolean): void {
    if (this.c0 === undefined || this.c0 === rc) return void ((this.c0 = rc), (this.v0 = v));
    if (this.c1 === undefined || this.c1 === rc) return void ((this.c1 = rc), (this.v1 = v));
    const c = (this.counts ??= []);
    const values = (this.values ??= []);
    for (let k = 0; k < c.length; k++) if (c[k] === rc) return void (values[k] = v);
    if (c.length < COUNT_MEMO_SIZE - 2) {
      c.push(rc);
      values.push(v);
      return;
    }
    // full: the oldest of the arrays' counts goes (the two in fields stay: a slot's usual counts)
    c[this.next] = rc;
    values[this.next] = v;
    this.next = (this.next + 1) % (COUNT_MEMO_SIZE - 2);
  }
}

const COUNT_MEMO_SIZE = 8;

/**
 * `a` and `b` agree on the slot's address, the ids of its cells, `in_list` and `paths_in_pt`: every
 * field but the count's value, the contents of the storage and the vtable, and the usage.
 */
export function sameSlotFields(a: MetaSlotOwner, b: MetaSlotOwner): boolean {
  const x = a.innerPerms;
  const y = b.innerPerms;
  return (
    a.selfAddr === b.selfAddr &&
    x.refCount.id === y.refCount.id &&
    permEq(x.inList, y.inList) &&
    x.storage.id === y.storage.id &&
    x.vtablePtr.addr === y.vtablePtr.addr &&
    (a.pathsInPt === b.pathsInPt || ghostEq(a.pathsInPt, b.pathsInPt))
  );
}

/**
 * `a == b` on two slot owners but their counts' values (the same count id): owners that agree here
 * give `regions.inv()` at a slot the same value at every count.
 */
export function ownerEqButCount(a: MetaSlotOwner, b: MetaSlotOwner): boolean {
  return (
    a === b ||
    (a.usage === b.usage &&
      sameSlotFields(a, b) &&
      contentsEq(a.innerPerms.storage.contents, b.innerPerms.storage.contents) &&
      contentsEq(a.innerPerms.vtablePtr.contents, b.innerPerms.vtablePtr.contents))
  );
}

/** `regions.inv()` at slot `i` of a region whose slot `i` holds `owner` with count `rc` and `perm`. */
export function invAtCount(base: MetaRegionOwners, e: SlotEntry, i: FrameIndex, rc: bigint): boolean {
  let v = e.inv.get(rc);
  if (v !== undefined) return v;
  const o = e.resolved;
  const owner =
    o.innerPerms.refCount.value === rc
      ? o
      : withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, rc) });
  v = invWithOwner(base, e.perm, i, owner);
  e.inv.set(rc, v);
  return v;
}

/**
 * `regions.inv()` at slot `i` of a region whose slot `i` holds `owner` and the raw permission entry
 * `perm` (as `SlotEntry.perm`): the invariant at a slot reads that slot alone, so a one-slot region
 * answers it.
 */
export function invWithOwner(
  base: MetaRegionOwners,
  perm: SlotPerm | null | undefined,
  i: FrameIndex,
  owner: MetaSlotOwner,
): boolean {
  const c = oneSlotCtx;
  c.slots.key = c.slotOwners.key = i;
  c.slots.value = perm;
  c.slotOwners.value = owner;
  const region = c.region as { p: MetaRegionOwners['p']; frameObligations: MetaRegionOwners['frameObligations'] };
  region.p = c.ctx.p = base.p;
  region.frameObligations = base.frameObligations;
  c.ctx.value.i = i;
  const inv = META_REGION_INV;
  let holds = true;
  for (let k = 0; k < inv.length && holds; k++) holds = inv[k]!.holds(c.ctx);
  // drop the references to the call's owner and region
  c.slots.value = c.slotOwners.value = undefined;
  region.frameObligations = MultisetLedger.EMPTY;
  return holds;
}

/**
 * A map with at most one explicit entry (`value` at `key`), read as `PMap` reads (`get` the default
 * elsewhere, `has` only an explicit entry): the one-slot region `invWithOwner` evaluates, reused by
 * every call instead of two persistent-map inserts per call.
 */
class OneSlotMap<V> {
  key = -1;
  value: V | undefined = undefined;
  readonly defaultValue = undefined;
  get(k: number): V | undefined {
    return k === this.key ? this.value : undefined;
  }
  has(k: number): boolean {
    return k === this.key && this.value !== undefined;
  }
}

function newOneSlotCtx() {
  const slots = new OneSlotMap<SlotPerm | null>();
  const slotOwners = new OneSlotMap<MetaSlotOwner>();
  // `p` is set by every evaluation
  const p = undefined as unknown as MetaRegionOwners['p'];
  const region = {
    p,
    slots: slots as unknown as MetaRegionOwners['slots'],
    slotOwners: slotOwners as unknown as MetaRegionOwners['slotOwners'],
    frameObligations: MultisetLedger.EMPTY as MetaRegionOwners['frameObligations'],
  };
  const ctx = { value: { region: region as MetaRegionOwners, i: -1 }, p };
  return { slots, slotOwners, region, ctx };
}

const oneSlotCtx = newOneSlotCtx();

/**
 * Fills the counts of `f` from the call's tracking log: the count at the linearization point (the
 * value the first effective atomic on `w` returned, else `f.beforeRc`), the count it left, and whether
 * it wrote anything but `w` (or anything at all, or any other word of the slot of `per` words holding `w`).
 */
export function readFootprint(tracking: TrackingMemory, w: number, f: Footprint, per = 1): void {
  const log = tracking.log;
  const plain = tracking.plainWrites;
  const lo = w - (w % per);
  const hi = lo + per;
  let onlyRc = plain.length === 0;
  let slotOnly = true;
  let within = true;
  for (let k = 0; k < plain.length; k++) {
    const x = plain[k]!;
    if (x !== w && x >= lo && x < hi) slotOnly = false;
    else if (x !== w) within = false;
  }
  let wrote = !onlyRc;
  let rcWrites = 0;
  // `tracking.linearizedOld(w)` and `tracking.lastWritten(w)`, read in the same pass
  let observed: bigint | undefined;
  let linearized: bigint | undefined;
  let lastWritten: bigint | undefined;
  for (let k = 0; k < log.length; k++) {
    const a = log[k]!;
    const x = a.word;
    if (a.written === undefined) {
      if (x === w && rcWrites === 0 && a.observed !== undefined) observed = a.observed;
      continue;
    }
    wrote = true;
    if (x === w) {
      if (rcWrites === 0) linearized = a.observed ?? observed;
      lastWritten = a.written;
      rcWrites++;
    } else {
      onlyRc = false;
      if (x >= lo && x < hi) slotOnly = false;
      else within = false;
    }
  }
  f.withinSlot = within;
  f.onlyRc = onlyRc;
  f.slotOnlyRc = slotOnly;
  f.rcWrites = rcWrites;
  f.nothingWritten = !wrote;
  f.oldRc = (rcWrites === 0 ? observed : linearized) ?? f.beforeRc;
  f.finalRc = lastWritten ?? f.oldRc;
}

/** `g` with the count of slot `i` set to `rc` (the same permission id); `g` itself when it already is. */
export function withRefCount(g: MetaRegionOwners, i: FrameIndex, rc: bigint): MetaRegionOwners {
  const o = slotOwner(g, i);
  if (o.innerPerms.refCount.value === rc) return g;
  return withSlotOwner(g, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, rc) }));
}
