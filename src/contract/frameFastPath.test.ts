import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { GetFrameError, MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { frameClone, frameDrop, frameFromInUse } from '../../spec/frame/Frame.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { allMutants } from '../mutants/catalog.ts';
import { AccessGuard } from '../testing/AccessGuard.ts';
import type { FrameHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { coverageEnabled, setCoverageEnabled } from './coverage.ts';
import { setFastFormEdit, setFastPathEnabled } from './fastPath.ts';
import { frameCloneFast, frameFromInUseFast } from './frameFastForms.ts';
import type { ContractLevel } from './level.ts';

// Clause coverage (on under vitest) sends every call to the full check: off here, so the fast path runs.
const counting = coverageEnabled();
beforeEach(() => setCoverageEnabled(false));
afterEach(() => {
  setFastPathEnabled(true);
  setFastFormEdit(undefined);
  setCoverageEnabled(counting);
});

type Op = { kind: 'from_unused' | 'from_in_use' | 'clone' | 'drop' | 'poke' | 'poke_vtable'; frame: number; k: number };
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
  for (const op of ops) {
    try {
      if (op.kind === 'poke' && op.frame < 2)
        c.tracking.base.store(c.impl.refCountWord(op.frame), POKES[op.k]!, Ordering.SeqCst);
      else if (op.kind === 'poke_vtable' && op.frame < 2)
        c.tracking.base.writePlain(op.frame * c.impl.layout.wordsPerSlot + c.impl.layout.vtable, BigInt(op.k));
      else if (op.kind === 'from_unused' || op.kind === 'from_in_use') {
        const r =
          op.kind === 'from_unused'
            ? c.fromUnused(op.frame * PAGE_SIZE, unit(KernelMeta))
            : c.fromInUse(op.frame * PAGE_SIZE);
        if (typeof r !== 'string') held.push(r);
      } else if (held.length > 0) {
        const h = held[op.k % held.length]!;
        if (op.kind === 'clone') held.push(c.clone(h));
        else (held.splice(held.indexOf(h), 1), c.drop(h));
      }
    } catch {
      break; // an abort ends the run, as in the engine
    }
  }
  return { violations: c.violations.map((v) => ({ ...v })), ghost: c.ghost, handles: [...c.store.handles] };
}

/** The first sequence on which the fast path and the full check disagree, over every subject and level. */
function firstDifference(runs: number): string | undefined {
  const makers: [string, MakeLayer | undefined][] = [
    ['real', undefined],
    ...SEEDED,
    ...FRAME_MUTANTS.map((m): [string, MakeLayer] => [m.name, m.layer!]),
  ];
  for (const accounting of [true, false])
    for (const level of ['full', 'cheap'] as const)
      for (const [name, make] of makers) {
        const r = fc.check(
          fc.property(fc.array(opArb, { maxLength: 20 }), (ops) => {
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
function differenceWhenBroken(op: string, names: readonly string[]): string | undefined {
  const broken = Object.fromEntries(names.map((n) => [n, () => true]));
  setFastFormEdit((name, form) => (name !== op ? form : { ...form, clauses: { ...form.clauses, ...broken } }));
  return firstDifference(300);
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
 * only the count moved. Left out: the last-drop clauses (`last_paths_empty`, `last_unused`,
 * `last_iff_one`, `last_through_zero`, `last_dealloc`), which decline a last drop as `dec`'s predicate
 * does (it answers false on any old count up to 1: a last drop is the full check's); the
 * handle's range (a handle the layer minted names a slot below the bound) and the obligation argument
 * (these sequences drop with the handle's own key, whose obligation every live handle has; an
 * override goes to the full check when the ledger lacks it).
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
    d('ensures', ['others_unchanged', 'slots_unchanged', 'domain', 'self_addr', 'usage', 'paths_in_pt']),
  ];
  return groups;
}

describe('a broken Frame::drop fast form is caught by the comparison', () => {
  it('the groups cover every predicate but the left-out ones', () => {
    const left = ['frame_inv', 'owners_contain', 'obligation', 'obl_key', 'obligations', 'last_paths_empty'];
    left.push('last_unused', 'last_iff_one', 'last_through_zero', 'last_dealloc');
    const all = predicateGroups(frameDrop.name).flat();
    expect(dropGroups().flat().sort()).toEqual(all.filter((n) => !left.some((x) => n.endsWith(`.${x}`))).sort());
  });

  it.each(dropGroups().map((g) => g.join(' + ')))('broken to always hold at %s', (broken) => {
    expect(differenceWhenBroken(frameDrop.name, broken.split(' + '))).toBeDefined();
  });
});

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

describe('a broken Frame::from_in_use fast form is caught by the comparison', () => {
  it('the groups cover every predicate but the left-out ones', () => {
    const left = ['unsafe_err', 'ok_obligations', 'err_obligations', 'aborts_exactly'];
    const all = predicateGroups(frameFromInUse.name).flat();
    expect(fromInUseGroups().flat().sort()).toEqual(all.filter((n) => !left.some((x) => n.endsWith(`.${x}`))).sort());
  });

  it.each(fromInUseGroups().map((g) => g.join(' + ')))('broken to always hold at %s', (broken) => {
    expect(differenceWhenBroken(frameFromInUse.name, broken.split(' + '))).toBeDefined();
  });
});
