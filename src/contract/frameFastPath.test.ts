import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import { KernelMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { GetFrameError, MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { frameClone, frameDrop, frameFromInUse, frameFromUnused } from '../../spec/frame/Frame.ts';
import { frameFromUnique, uniqueDrop, uniqueFromUnused, uniqueTryFromShared } from '../../spec/frame/UniqueFrame.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { allMutants } from '../mutants/catalog.ts';
import { AccessGuard } from '../testing/AccessGuard.ts';
import type { FrameHandle, UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { useFastPathHooks } from './fixtures/fastPathHooks.ts';
import { setFastFormEdit, setFastPathEnabled, setFusedEdit } from './fastPath.ts';
import { frameCloneFast, frameDropFast, frameFromInUseFast, frameFromUnusedFast } from './frameFastForms.ts';
import type { ContractLevel } from './level.ts';
import {
  frameFromUniqueFast,
  uniqueDropFast,
  uniqueFromUnusedFast,
  uniqueTryFromSharedFast,
} from './uniqueFastForms.ts';

useFastPathHooks();

type Op = {
  kind: 'from_unused' | 'from_in_use' | 'clone' | 'drop' | 'poke' | 'poke_vtable' | UniqueOp;
  frame: number;
  k: number;
};
type UniqueOp = 'unique_from_unused' | 'unique_drop' | 'into_shared' | 'try_into_unique' | 'clear_vtable';
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(
    'from_unused' as const,
    'from_in_use' as const,
    'clone' as const,
    'clone' as const,
    'drop' as const,
    'poke' as const,
    'poke_vtable' as const,
  ),
  frame: fc.nat(2),
  k: fc.nat(7),
});

/** Sequences with unique frames: claimed, dropped, made shared, and the shared frames' ops around them. */
const uniqueOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(
    'unique_from_unused' as const,
    'unique_from_unused' as const,
    'unique_drop' as const,
    'unique_drop' as const,
    'into_shared' as const,
    'try_into_unique' as const,
    'from_unused' as const,
    'drop' as const,
    'poke' as const,
    'poke_vtable' as const,
    'clear_vtable' as const,
  ),
  frame: fc.nat(2),
  k: fc.nat(7),
});

/** Counts stored behind the layer's back (`poke`), so that sequences reach every clause's failure. */
const POKES: readonly bigint[] = [0n, 1n, 2n, 3n, 4n, 2n ** 64n - 2n, 2n ** 64n - 1n, 2n ** 63n];

/** A clone that takes two references (rc_inc). */
class CloneTwice extends FrameLayer {
  override clone(slot: number): void {
    super.clone(slot);
    super.clone(slot);
  }
}

/** A clone that also moves the next slot's count (others_unchanged and the like). */
class CloneTouchesNeighbour extends FrameLayer {
  override clone(slot: number): void {
    super.clone(slot);
    this.region.mem.fetchAdd(this.region.refCountWord(slot ^ 1), 1n, Ordering.Relaxed);
  }
}

/** A drop that is not the last releases two references (dec, and the refinement). */
class DropTwice extends FrameLayer {
  override drop(slot: number): boolean {
    const last = super.drop(slot);
    if (!last && this.region.refCount(slot) > 1n)
      this.region.mem.fetchSub(this.region.refCountWord(slot), 1n, Ordering.Release);
    return last;
  }
}

/** A drop that also moves the next slot's count (others_unchanged and the like). */
class DropTouchesNeighbour extends FrameLayer {
  override drop(slot: number): boolean {
    this.region.mem.fetchAdd(this.region.refCountWord(slot ^ 1), 1n, Ordering.Relaxed);
    return super.drop(slot);
  }
}

/** `Frame::from_in_use` hands out the other slot's frame (ok_ptr, and the refinement). */
class FromInUseWrongSlot extends FrameLayer {
  override fromInUse(paddr: number): number | GetFrameError {
    const r = super.fromInUse(paddr);
    return typeof r === 'number' ? r ^ 1 : r;
  }
}

/** `Frame::from_in_use` takes two references (ok_rc_inc). */
class FromInUseTwice extends FrameLayer {
  override fromInUse(paddr: number): number | GetFrameError {
    const r = super.fromInUse(paddr);
    if (typeof r === 'number') this.region.mem.fetchAdd(this.region.refCountWord(r), 1n, Ordering.Relaxed);
    return r;
  }
}

/** A failed `Frame::from_in_use` moves the other slot's count (err_unchanged, others_unchanged). */
class FromInUseErrorTouchesNeighbour extends FrameLayer {
  override fromInUse(paddr: number): number | GetFrameError {
    const r = super.fromInUse(paddr);
    if (typeof r !== 'number' && r !== 'OutOfBound' && r !== 'NotAligned')
      this.region.mem.fetchAdd(this.region.refCountWord((paddr / PAGE_SIZE) ^ 1), 1n, Ordering.Relaxed);
    return r;
  }
}

/** `Frame::from_in_use` of an unused frame reports it busy (err_kind). */
class FromInUseUnusedAsBusy extends FrameLayer {
  override fromInUse(paddr: number): number | GetFrameError {
    const r = super.fromInUse(paddr);
    return r === 'Unused' ? 'Busy' : r;
  }
}

/** The last reference dropped with the metadata and the frame released, but the count left at 0 (last_unused, last_through_zero). */
class LastDropLeavesZero extends FrameLayer {
  override drop(slot: number): boolean {
    const r = this.region;
    if (r.mem.fetchSub(r.refCountWord(slot), 1n, Ordering.Release) !== 1n) return false;
    r.dropMetaInPlace(slot);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
    return true;
  }
}

/** The last reference published UNUSED without dropping the metadata (the vtable stays set). */
class LastDropKeepsMeta extends FrameLayer {
  override drop(slot: number): boolean {
    const r = this.region;
    if (r.mem.fetchSub(r.refCountWord(slot), 1n, Ordering.Release) !== 1n) return false;
    r.mem.store(r.refCountWord(slot), r.REF_COUNT_UNUSED, Ordering.Release);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
    return true;
  }
}

/** The last reference torn down, but the frame never returned to the allocator (last_dealloc). */
class LastDropNoDealloc extends FrameLayer {
  override drop(slot: number): boolean {
    const r = this.region;
    if (r.mem.fetchSub(r.refCountWord(slot), 1n, Ordering.Release) !== 1n) return false;
    r.dropLastInPlace(slot);
    return true;
  }
}

/** The last reference torn down without a deallocation, and reported as not the last (last_iff_one). */
class LastDropUnreported extends FrameLayer {
  override drop(slot: number): boolean {
    const r = this.region;
    if (r.mem.fetchSub(r.refCountWord(slot), 1n, Ordering.Release) === 1n) r.dropLastInPlace(slot);
    return false;
  }
}

/** `Frame::from_unused` hands out the other slot's frame (ok_ptr, and the refinement). */
class FromUnusedWrongSlot extends FrameLayer {
  override fromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.fromUnused(paddr, meta);
    return typeof r === 'number' ? r ^ 1 : r;
  }
}

/** `Frame::from_unused` leaves the count at 2 (ok_spec). */
class FromUnusedTwice extends FrameLayer {
  override fromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.fromUnused(paddr, meta);
    if (typeof r === 'number') this.region.mem.fetchAdd(this.region.refCountWord(r), 1n, Ordering.Relaxed);
    return r;
  }
}

/** A failed `Frame::from_unused` moves the other slot's count (err_unchanged). */
class FromUnusedErrorTouchesNeighbour extends FrameLayer {
  override fromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.fromUnused(paddr, meta);
    if (typeof r !== 'number' && r !== 'OutOfBound' && r !== 'NotAligned')
      this.region.mem.fetchAdd(this.region.refCountWord((paddr / PAGE_SIZE) ^ 1), 1n, Ordering.Relaxed);
    return r;
  }
}

/** `Frame::from_unused` of a frame in use reports it busy (err_kind). */
class FromUnusedInUseAsBusy extends FrameLayer {
  override fromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.fromUnused(paddr, meta);
    return r === 'InUse' ? 'Busy' : r;
  }
}

type MakeLayer = (r: MetaRegion, a: Deallocator) => FrameLayer;
const SEEDED: readonly [string, MakeLayer][] = [
  ['clone twice', (r, a) => new CloneTwice(r, a)],
  ['clone touches neighbour', (r, a) => new CloneTouchesNeighbour(r, a)],
  ['drop twice', (r, a) => new DropTwice(r, a)],
  ['drop touches neighbour', (r, a) => new DropTouchesNeighbour(r, a)],
  ['from_in_use wrong slot', (r, a) => new FromInUseWrongSlot(r, a)],
  ['from_in_use twice', (r, a) => new FromInUseTwice(r, a)],
  ['from_in_use error touches neighbour', (r, a) => new FromInUseErrorTouchesNeighbour(r, a)],
  ['from_in_use unused as busy', (r, a) => new FromInUseUnusedAsBusy(r, a)],
  ['last drop leaves zero', (r, a) => new LastDropLeavesZero(r, a)],
  ['last drop keeps the metadata', (r, a) => new LastDropKeepsMeta(r, a)],
  ['last drop without dealloc', (r, a) => new LastDropNoDealloc(r, a)],
  ['last drop unreported', (r, a) => new LastDropUnreported(r, a)],
  ['from_unused wrong slot', (r, a) => new FromUnusedWrongSlot(r, a)],
  ['from_unused twice', (r, a) => new FromUnusedTwice(r, a)],
  ['from_unused error touches neighbour', (r, a) => new FromUnusedErrorTouchesNeighbour(r, a)],
  ['from_unused in use as busy', (r, a) => new FromUnusedInUseAsBusy(r, a)],
];
const FRAME_MUTANTS = allMutants().filter((m) => m.target === 'frame' && m.layer !== undefined);

/** What a sequence of calls leaves (collect mode), with the fast path on or off. */
function outcome(ops: readonly Op[], fast: boolean, level: ContractLevel, makeLayer?: MakeLayer, accounting = true) {
  setFastPathEnabled(fast);
  const guard = new AccessGuard();
  const c = new CheckedFrameLayer({
    maxPaddr: 2 * PAGE_SIZE,
    refCountMax: 3n,
    mode: 'collect',
    level,
    wrapMemory: guard.wrap.bind(guard),
    accounting,
    ...(makeLayer !== undefined && { makeLayer }),
  });
  const held: FrameHandle[] = [];
  const uniques: UniqueHandle[] = [];
  for (const op of ops) {
    try {
      if (op.kind === 'unique_from_unused') {
        const r = c.uniqueFromUnused(op.frame * PAGE_SIZE, unit(KernelMeta));
        if (typeof r !== 'string') uniques.push(r);
      } else if (op.kind === 'unique_drop' || op.kind === 'into_shared') {
        const u = uniques.splice(op.k % Math.max(1, uniques.length), 1)[0];
        if (u !== undefined && op.kind === 'unique_drop') c.dropUnique(u);
        else if (u !== undefined) held.push(c.intoShared(u));
      } else if (op.kind === 'poke' && op.frame < 2)
        c.tracking.base.store(c.impl.refCountWord(op.frame), POKES[op.k]!, Ordering.SeqCst);
      else if ((op.kind === 'poke_vtable' || op.kind === 'clear_vtable') && op.frame < 2) {
        const vtable = op.kind === 'poke_vtable' ? BigInt(op.k) : 0n;
        c.tracking.base.writePlain(op.frame * c.impl.layout.wordsPerSlot + c.impl.layout.vtable, vtable);
      } else if (op.kind === 'from_unused' || op.kind === 'from_in_use') {
        const r =
          op.kind === 'from_unused'
            ? c.fromUnused(op.frame * PAGE_SIZE, unit(KernelMeta))
            : c.fromInUse(op.frame * PAGE_SIZE);
        if (typeof r !== 'string') held.push(r);
      } else if (held.length > 0) {
        const h = held[op.k % held.length]!;
        if (op.kind === 'clone') held.push(c.clone(h));
        else if (op.kind === 'try_into_unique') {
          const r = c.tryIntoUnique(h);
          if (r.ok) (held.splice(held.indexOf(h), 1), uniques.push(r.unique));
        } else (held.splice(held.indexOf(h), 1), c.drop(h));
      }
    } catch {
      break; // an abort ends the run, as in the engine
    }
  }
  const { handles, uniques: unique } = c.store;
  return {
    violations: c.violations.map((v) => ({ ...v })),
    ghost: c.ghost,
    handles: [...handles],
    unique: [...unique],
  };
}

/** The first sequence on which the fast path and the full check disagree, over every subject and level. */
function firstDifference(runs: number, arb = opArb, seeded = SEEDED): string | undefined {
  const makers: [string, MakeLayer | undefined][] = [
    ['real', undefined],
    ...seeded,
    ...FRAME_MUTANTS.map((m): [string, MakeLayer] => [m.name, m.layer!]),
  ];
  for (const accounting of [true, false])
    for (const level of ['full', 'cheap'] as const)
      for (const [name, make] of makers) {
        const r = fc.check(
          fc.property(fc.array(arb, { maxLength: 20 }), (ops) => {
            const a = outcome(ops, true, level, make, accounting);
            const b = outcome(ops, false, level, make, accounting);
            expect(a).toEqual(b);
          }),
          { numRuns: runs, seed: 11 },
        );
        if (r.failed) return `${name} at level ${level} (accounting ${accounting}): ${fc.stringify(r.counterexample)}`;
      }
  return undefined;
}

describe('Frame::clone on its footprint', () => {
  it('has a fast form for every clause of its table', () => {
    expect(frameCloneFast(new CheckedFrameLayer({ maxPaddr: PAGE_SIZE }).p)).toBeDefined();
  });

  it('reports exactly what the full check reports (real layer, seeded bugs, frame mutants; full and cheap)', () => {
    expect(firstDifference(120)).toBeUndefined();
  });
});

/**
 * The fast form's distinct predicates, each with the clauses it decides: a broken predicate breaks all
 * of them at once (clauses sharing one, like those that say only the count moved, are one fact).
 */
function predicateGroups(op = frameClone.name): string[][] {
  const form = new Map<unknown, string[]>();
  let clauses: Readonly<Record<string, unknown>> = {};
  setFastFormEdit((name, f) => (name === op && (clauses = f.clauses), f));
  new CheckedFrameLayer({ maxPaddr: PAGE_SIZE });
  setFastFormEdit(undefined);
  for (const [name, pred] of Object.entries(clauses)) form.set(pred, [...(form.get(pred) ?? []), name]);
  return [...form.values()];
}

/**
 * The predicate groups whose breaking the comparison must catch. `regions.inv()` before and after is
 * one computation at two counts, broken together. Left out, each implied by the others or not a
 * claim about the implementation: `frame_inv`/`owners_contain`/`safe_slot` (a handle the layer minted
 * names a slot below the bound), `slots_contain` (implied by `regions_inv`), `rc_not_unused` and
 * `aborts_exactly` (a count at or past REF_COUNT_MAX aborts the clone, or breaks `rc_inc` or the
 * invariant), `obligations` (the wrapper's own proof code), and the
 * refinement (its conjuncts are those of the ensures).
 */
function brokenGroups(): string[][] {
  const groups = predicateGroups();
  const inv = ['Frame::clone.requires.regions_inv', 'Frame::clone.ensures.regions_inv'];
  const implied = ['frame_inv', 'slots_contain', 'rc_not_unused', 'aborts_exactly', 'obligations'];
  return [inv, ...groups.filter((g) => !g.some((n) => inv.includes(n) || implied.some((x) => n.endsWith(`.${x}`))))];
}

/** The first difference `firstDifference` finds once the predicates of `names` in `op`'s fast form always hold. */
function differenceWhenBroken(op: string, names: readonly string[], arb = opArb, seeded = SEEDED): string | undefined {
  const broken = Object.fromEntries(names.map((n) => [n, () => true]));
  setFastFormEdit((name, form) => (name !== op ? form : { ...form, clauses: { ...form.clauses, ...broken } }));
  return firstDifference(300, arb, seeded);
}

/**
 * The suite of `op`'s broken fast forms: `groups` (the predicates broken together) cover every
 * predicate of its form but the clauses named by `left` (each group's docs say why), and each group
 * broken to always hold is caught by the comparison.
 */
function brokenFormSuite(
  op: string,
  groups: readonly string[][],
  left: readonly string[],
  arb = opArb,
  seeded = SEEDED,
): void {
  describe(`a broken ${op} fast form is caught by the comparison`, () => {
    it('the groups cover every predicate but the left-out ones', () => {
      const all = predicateGroups(op).flat();
      expect(groups.flat().sort()).toEqual(all.filter((n) => !left.some((x) => n.endsWith(`.${x}`))).sort());
    });

    it.each(groups.map((g) => g.join(' + ')))('broken to always hold at %s', (broken) => {
      expect(differenceWhenBroken(op, broken.split(' + '), arb, seeded)).toBeDefined();
    });
  });
}

describe('a broken Frame::clone fast form is caught by the comparison', () => {
  it('the groups cover every predicate but the implied ones', () => {
    expect(brokenGroups().flat().length + 7).toBe(predicateGroups().flat().length);
  });

  it.each(brokenGroups().map((g) => g.join(' + ')))('broken to always hold at %s', (broken) => {
    expect(differenceWhenBroken(frameClone.name, broken.split(' + '))).toBeDefined();
  });
});

/**
 * The drop's predicates, broken by the fact they decide (predicates that decide one fact mask each
 * other when broken alone): the slot's invariant and the count band and permission it implies; `dec`;
 * every write within the slot; the count a last drop leaves (UNUSED, through 0); its deallocation;
 * whether it reports itself the last. Left out: the handle's range (a handle the layer minted names a
 * slot below the bound), the obligation argument (these sequences drop with the handle's own key, whose
 * obligation every live handle has; an override goes to the full check when the ledger lacks it),
 * `last_paths_empty` (no op of these sequences maps a frame, so every `paths_in_pt` is empty) and
 * `self_addr`/`usage`/`paths_in_pt` (ghost-only fields the view carries over from the old owner, which
 * no implementation makes false).
 */
function dropGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `Frame::drop.${kind}.${n}`);
  const groups = [
    [
      ...d('requires', ['regions_inv', 'slots_contain', 'slot_pptr', 'rc_not_unused', 'rc_not_unique', 'rc_pos']),
      ...d('requires', ['rc_le_max']),
      ...d('ensures', ['regions_inv']),
    ],
    d('ensures', ['dec']),
    d('ensures', ['others_unchanged', 'slots_unchanged', 'domain']),
    d('ensures', ['last_unused', 'last_through_zero']),
    d('ensures', ['last_dealloc']),
    d('ensures', ['last_iff_one']),
  ];
  return groups;
}

describe('Frame::drop on its footprint', () => {
  it('has a fast form for every clause of its table', () => {
    expect(frameDropFast(new CheckedFrameLayer({ maxPaddr: PAGE_SIZE }).p)).toBeDefined();
  });

  it.each(['full', 'cheap'] as const)(
    'at level %s, from_unused and the last drop reach the full check only with the fast path off',
    (level) => {
      const fullChecks = (fast: boolean) => {
        setFastPathEnabled(fast);
        const c = new CheckedFrameLayer({ maxPaddr: 2 * PAGE_SIZE, level });
        const specs: unknown[] = [];
        const check = c.checker.check.bind(c.checker);
        c.checker.check = ((call, lvl) => (specs.push(call.spec), check(call, lvl))) as typeof check;
        for (let k = 0; k < 3; k++) expect(c.drop(c.fromUnused(0, unit(KernelMeta)) as FrameHandle)).toBe(true);
        expect(c.violations).toEqual([]);
        expect(c.impl.refCount(0)).toBe(c.impl.REF_COUNT_UNUSED);
        return { specs, calls: c.checker.calls, obligations: c.ghost.frameObligations.count(0) };
      };
      const on = fullChecks(true);
      const off = fullChecks(false);
      const full = (specs: unknown[]) => specs.filter((s) => s === frameDrop || s === frameFromUnused);
      expect(full(off.specs)).toHaveLength(6);
      expect(full(on.specs)).toEqual([]);
      // the fast path runs each last drop as a numbered call of no clause of its own (`runNumbered`)
      const numbered = on.specs.filter((s) => (s as { requires: unknown[] }).requires.length === 0);
      expect(numbered).toHaveLength(3);
      expect({ ...on, specs: [] }).toEqual({ ...off, specs: [] });
    },
  );
});

brokenFormSuite(frameDrop.name, dropGroups(), [
  ...['frame_inv', 'owners_contain', 'obligation', 'obl_key', 'obligations', 'last_paths_empty'],
  ...['self_addr', 'usage', 'paths_in_pt'],
]);

describe('Frame::from_unused on its footprint', () => {
  it('has a fast form for every clause of its table', () => {
    expect(frameFromUnusedFast(new CheckedFrameLayer({ maxPaddr: PAGE_SIZE }).p)).toBeDefined();
  });
});

/**
 * The from_unused predicates, broken by the fact they decide: the slot's invariant before and after
 * (an error leaves the slot as it was, and a claim that leaves exactly the claimed owner keeps it);
 * the slot handed out; the claimed owner; nothing written on an error; the error's kind. Left out:
 * `unsafe_err` (an address without a slot never takes the fast path), `ok_reparked` (the checked layer
 * moves no slot permission), the obligation clauses (the wrapper's own proof code) and `ok_metadata`
 * (implied by `ok_spec`'s: the claimed owner holds exactly the metadata).
 */
function fromUnusedGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `Frame::from_unused.${kind}.${n}`);
  return [
    [...d('requires', ['regions_inv']), ...d('ensures', ['final_inv'])],
    d('ensures', ['ok_ptr']),
    d('ensures', ['ok_spec']),
    d('ensures', ['err_unchanged']),
    d('ensures', ['err_kind']),
  ];
}

brokenFormSuite(frameFromUnused.name, fromUnusedGroups(), [
  ...['unsafe_err', 'ok_reparked', 'ok_obligations', 'err_obligations', 'ok_metadata'],
]);

describe('Frame::from_in_use on its footprint', () => {
  it('has a fast form for every clause of its table', () => {
    expect(frameFromInUseFast(new CheckedFrameLayer({ maxPaddr: PAGE_SIZE }).p)).toBeDefined();
  });
});

/**
 * The from_in_use predicates, broken by the fact they decide: the slot's invariant before and after;
 * the count moved by one; the slot handed out; only the count moved, with nothing written on an
 * error; the error's kind. Left out: `unsafe_err` (an address without a slot never takes the fast
 * path), the obligation clauses (the wrapper's own proof code) and `aborts_exactly` (a return at
 * REF_COUNT_MAX breaks `final_inv`).
 */
function fromInUseGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `Frame::from_in_use.${kind}.${n}`);
  return [
    [...d('requires', ['regions_inv']), ...d('ensures', ['final_inv'])],
    d('ensures', ['ok_rc_inc']),
    d('ensures', ['ok_ptr']),
    d('ensures', ['others_unchanged', 'err_unchanged']),
    d('ensures', ['err_kind']),
  ];
}

brokenFormSuite(frameFromInUse.name, fromInUseGroups(), [
  ...['unsafe_err', 'ok_obligations', 'err_obligations', 'aborts_exactly'],
]);

/** `UniqueFrame::from_unused` hands out the other slot's frame and owner (ok_owner). */
class UniqueFromUnusedWrongSlot extends FrameLayer {
  override uniqueFromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.uniqueFromUnused(paddr, meta);
    return typeof r === 'number' ? r ^ 1 : r;
  }
}

/** `UniqueFrame::from_unused` claims the frame shared, count 1 (ok_claimed). */
class UniqueFromUnusedShared extends FrameLayer {
  override uniqueFromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    return super.fromUnused(paddr, meta);
  }
}

/** A failed `UniqueFrame::from_unused` moves the other slot's count (err_unchanged). */
class UniqueFromUnusedErrorTouchesNeighbour extends FrameLayer {
  override uniqueFromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.uniqueFromUnused(paddr, meta);
    if (typeof r !== 'number' && r !== 'OutOfBound' && r !== 'NotAligned')
      this.region.mem.fetchAdd(this.region.refCountWord((paddr / PAGE_SIZE) ^ 1), 1n, Ordering.Relaxed);
    return r;
  }
}

/** `UniqueFrame::from_unused` names the wrong count: in use as busy, busy as unique, unique as in use (err_kind). */
class UniqueFromUnusedWrongError extends FrameLayer {
  override uniqueFromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.uniqueFromUnused(paddr, meta);
    return r === 'InUse' ? 'Busy' : r === 'Busy' ? 'Unique' : r === 'Unique' ? 'InUse' : r;
  }
}

/** `UniqueFrame::drop` tears the slot down but never returns the frame (dealloc). */
class UniqueDropNoDealloc extends FrameLayer {
  override dropUnique(slot: number): void {
    this.region.mem.store(this.region.refCountWord(slot), 0n, Ordering.Relaxed);
    this.region.dropLastInPlace(slot);
  }
}

/** `UniqueFrame::drop` publishes UNUSED straight from UNIQUE, without the store of 0 (through_zero). */
class UniqueDropSkipsZero extends FrameLayer {
  override dropUnique(slot: number): void {
    this.region.dropLastInPlace(slot);
    this.allocator.dealloc(this.region.framePaddr(slot), PAGE_SIZE);
  }
}

/** `UniqueFrame::drop` stores 0 and UNUSED but keeps the metadata (unused). */
class UniqueDropKeepsMeta extends FrameLayer {
  override dropUnique(slot: number): void {
    const r = this.region;
    r.mem.store(r.refCountWord(slot), 0n, Ordering.Relaxed);
    r.mem.store(r.refCountWord(slot), r.REF_COUNT_UNUSED, Ordering.Release);
    this.allocator.dealloc(r.framePaddr(slot), PAGE_SIZE);
  }
}

/** `From<UniqueFrame> for Frame` stores nothing: the count stays UNIQUE (rc_one). */
class IntoSharedKeepsUnique extends FrameLayer {
  override intoShared(): void {}
}

/** `From<UniqueFrame> for Frame` also moves the next slot's count (slots_unchanged, domain, slot_kept). */
class IntoSharedTouchesNeighbour extends FrameLayer {
  override intoShared(slot: number): void {
    super.intoShared(slot);
    this.region.mem.fetchAdd(this.region.refCountWord(slot ^ 1), 1n, Ordering.Relaxed);
  }
}

/** `try_from_shared` refuses a frame held once (ok_iff_sole). */
class TryIntoUniqueRefuses extends FrameLayer {
  override tryIntoUnique(): boolean {
    return false;
  }
}

/** `try_from_shared` swaps the count 1 for 0, not UNIQUE (ok_unique). */
class TryIntoUniqueStoresZero extends FrameLayer {
  override tryIntoUnique(slot: number): boolean {
    const r = this.region;
    return r.mem.compareExchange(r.refCountWord(slot), 1n, 0n, Ordering.AcqRel, Ordering.Relaxed) === 1n;
  }
}

/** A `try_from_shared` also moves the next slot's count (err_unchanged, slot_kept and the like). */
class TryIntoUniqueTouchesNeighbour extends FrameLayer {
  override tryIntoUnique(slot: number): boolean {
    this.region.mem.fetchAdd(this.region.refCountWord(slot ^ 1), 1n, Ordering.Relaxed);
    return super.tryIntoUnique(slot);
  }
}

const UNIQUE_SEEDED: readonly [string, MakeLayer][] = [
  ['into_shared keeps unique', (r, a) => new IntoSharedKeepsUnique(r, a)],
  ['into_shared touches neighbour', (r, a) => new IntoSharedTouchesNeighbour(r, a)],
  ['try_into_unique refuses', (r, a) => new TryIntoUniqueRefuses(r, a)],
  ['try_into_unique stores zero', (r, a) => new TryIntoUniqueStoresZero(r, a)],
  ['try_into_unique touches neighbour', (r, a) => new TryIntoUniqueTouchesNeighbour(r, a)],
  ['unique from_unused wrong slot', (r, a) => new UniqueFromUnusedWrongSlot(r, a)],
  ['unique from_unused shared', (r, a) => new UniqueFromUnusedShared(r, a)],
  ['unique from_unused error touches neighbour', (r, a) => new UniqueFromUnusedErrorTouchesNeighbour(r, a)],
  ['unique from_unused wrong error', (r, a) => new UniqueFromUnusedWrongError(r, a)],
  ['unique drop without dealloc', (r, a) => new UniqueDropNoDealloc(r, a)],
  ['unique drop skips zero', (r, a) => new UniqueDropSkipsZero(r, a)],
  ['unique drop keeps the metadata', (r, a) => new UniqueDropKeepsMeta(r, a)],
];

describe('UniqueFrame::from_unused, UniqueFrame::drop, from_unique and try_from_shared on their footprint', () => {
  it('have a fast form for every clause of their tables', () => {
    const { p } = new CheckedFrameLayer({ maxPaddr: PAGE_SIZE });
    for (const form of [uniqueFromUnusedFast, uniqueDropFast, frameFromUniqueFast, uniqueTryFromSharedFast])
      expect(form(p)).toBeDefined();
  });

  it('report exactly what the full check reports (real layer, seeded bugs, frame mutants; full and cheap)', () => {
    expect(firstDifference(120, uniqueOpArb, UNIQUE_SEEDED)).toBeUndefined();
  });
});

/**
 * The unique claim's predicates, broken by the fact they decide: the slot's invariant before and
 * after; the usage a first claim requires; the owner handed out; the claimed owner; nothing written on
 * an error; the error's kind. Left out: `owners_contain` and `unsafe_err` (an address without a slot
 * never takes the fast path) and the obligation clauses (the wrapper's own proof code).
 */
function uniqueFromUnusedGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `UniqueFrame::from_unused.${kind}.${n}`);
  return [
    [...d('requires', ['regions_inv']), ...d('ensures', ['final_inv'])],
    d('requires', ['usage_unused']),
    d('ensures', ['ok_owner']),
    d('ensures', ['ok_claimed']),
    d('ensures', ['err_unchanged']),
    d('ensures', ['err_kind']),
  ];
}

brokenFormSuite(
  uniqueFromUnused.name,
  uniqueFromUnusedGroups(),
  ['owners_contain', 'unsafe_err', 'ok_obligations', 'err_obligations'],
  uniqueOpArb,
  UNIQUE_SEEDED,
);

/**
 * The unique drop's predicates, broken by the fact they decide: the slot's invariant before and after,
 * with the initialized metadata it implies; the count UNIQUE; the teardown's count writes; the
 * deallocation. Left out: `unused` (implied by the others: `through_zero`'s last write is UNUSED, and
 * `MetaSlotOwner::inv`, part of `final_inv`, asks an UNUSED slot for its metadata dropped); `owner_inv`,
 * `wf`, `owners_contain` (a handle the layer minted names a slot below the bound with its own owner);
 * `self_addr` (the view gives every owner `meta_addr(i)`); `in_list_zero` and `paths_empty` (no op of
 * these sequences lists or maps a frame); `obligation`/`obligations` (every live unique handle holds its
 * obligation; the redeem is the wrapper's proof code); and `slots_unchanged`/`others_unchanged` (the
 * fast path reads the owner it left only when every write lies in the slot).
 */
function uniqueDropGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `UniqueFrame::drop.${kind}.${n}`);
  return [
    [...d('requires', ['regions_inv', 'storage_init', 'vtable_init']), ...d('ensures', ['final_inv'])],
    d('requires', ['rc_unique']),
    d('ensures', ['through_zero']),
    d('ensures', ['dealloc']),
  ];
}

brokenFormSuite(
  uniqueDrop.name,
  uniqueDropGroups(),
  [
    ...['owner_inv', 'wf', 'owners_contain', 'self_addr', 'in_list_zero', 'paths_empty', 'obligation'],
    ...['obligations', 'slots_unchanged', 'others_unchanged', 'unused'],
  ],
  uniqueOpArb,
  UNIQUE_SEEDED,
);

/**
 * `Frame::from_unique`'s predicates, broken by the fact they decide: the slot's invariant before and
 * after; the count 1; nothing but the count written. Left out: `wf` and `owner_inv` (a handle the layer
 * minted names its own slot, below the bound) and `obligations` (the op's proof code leaves the ledger).
 */
function fromUniqueGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `Frame::from_unique.${kind}.${n}`);
  return [
    [...d('requires', ['regions_inv']), ...d('ensures', ['final_inv'])],
    d('ensures', ['rc_one']),
    d('ensures', ['slots_unchanged', 'domain', 'slot_kept']),
  ];
}

brokenFormSuite(
  frameFromUnique.name,
  fromUniqueGroups(),
  ['wf', 'owner_inv', 'obligations'],
  uniqueOpArb,
  UNIQUE_SEEDED,
);

/**
 * `try_from_shared`'s predicates, broken by the fact they decide: the slot's invariant before and
 * after; `Ok` exactly at count 1; the count UNIQUE after `Ok`; nothing but the count written, and
 * nothing at all on an error. Left out: `frame_inv` (a handle the layer minted names a slot below the
 * bound).
 */
function tryFromSharedGroups(): string[][] {
  const d = (kind: string, ns: string[]) => ns.map((n) => `UniqueFrame::try_from_shared.${kind}.${n}`);
  return [
    [...d('requires', ['regions_inv']), ...d('ensures', ['final_inv'])],
    d('ensures', ['ok_iff_sole']),
    d('ensures', ['ok_unique']),
    d('ensures', ['slots_unchanged', 'domain', 'slot_kept', 'err_unchanged']),
  ];
}

brokenFormSuite(uniqueTryFromShared.name, tryFromSharedGroups(), ['frame_inv'], uniqueOpArb, UNIQUE_SEEDED);

/**
 * Each op's fused predicates (`FastCheck.requiresHold`, `ensuresHold`, `allHold`: what the fast path
 * runs) broken to always hold: the comparison with the full check catches every one, so the layer
 * decides on the fused predicates and not on something beside them.
 */
describe('a fused predicate broken to always hold is caught by the comparison', () => {
  const frameOps = [frameClone, frameDrop, frameFromUnused, frameFromInUse].map((o) => [o.name, false] as const);
  const uniqueOps = [uniqueFromUnused, uniqueDrop, frameFromUnique, uniqueTryFromShared].map(
    (o) => [o.name, true] as const,
  );
  it.each([...frameOps, ...uniqueOps])('%s', (op, unique) => {
    setFusedEdit((name, _part, fused) => (name === op ? () => true : fused));
    try {
      expect(unique ? firstDifference(300, uniqueOpArb, UNIQUE_SEEDED) : firstDifference(300)).toBeDefined();
    } finally {
      setFusedEdit(undefined);
    }
  });
});
