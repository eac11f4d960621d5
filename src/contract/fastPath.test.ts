import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import {
  MetaRegion as RealMetaRegion,
  type GetFrameError,
  type MetaRegion,
  type MetaRegionOptions,
  type SlotPtr,
} from '../../impl/meta/MetaSlot.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { getFromInUse, getFromUnused, inUseError } from '../../spec/meta/MetaSlot.ts';
import { modelParams, PAGE_SIZE } from '../../spec/vocab.ts';
import { allMutants } from '../mutants/catalog.ts';
import { AccessGuard } from '../testing/AccessGuard.ts';
import { contractsApply, runContracts } from '../mutants/engines/contractsEngine.ts';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import { useFastPathHooks } from './fixtures/fastPathHooks.ts';
import { getFromInUseFast, getFromUnusedFast, inUseErrorOf } from './fastForms.ts';
import { setFastFormEdit, setFastPathEnabled, specialize } from './fastPath.ts';
import type { ContractLevel } from './level.ts';

useFastPathHooks();

const p = modelParams({ maxPaddr: 4 * PAGE_SIZE, refCountMax: 3n });

describe('fast forms are specialized from the clause table', () => {
  it('get_from_in_use and get_from_unused have a predicate for every clause', () => {
    expect(getFromInUseFast(p)).toBeDefined();
    expect(getFromUnusedFast(p)).toBeDefined();
  });

  it('a clause the fast form lacks, or one the table does not have, disables the fast path', () => {
    const form = { clauses: { 'get_from_in_use.requires.regions_inv': () => true }, refinement: () => true };
    expect(specialize(getFromInUse, form)).toBeUndefined();
    const all = Object.fromEntries(
      [...getFromInUse.requires, ...getFromInUse.ensures].map((c) => [c.name, () => true]),
    );
    expect(specialize(getFromInUse, { clauses: all, refinement: () => true })).toBeDefined();
    expect(
      specialize(getFromInUse, {
        clauses: { ...all, 'get_from_in_use.ensures.new': () => true },
        refinement: () => true,
      }),
    ).toBeUndefined();
  });

  it('the get_from_unused groups cover every clause but the left-out ones', () => {
    const all = [...getFromUnused.requires, ...getFromUnused.ensures].map((c) => c.name);
    const left = [...CLAIM_LEFT_OUT, 'unsafe_err', 'obligations_unchanged'];
    expect(CLAIM_GROUPS.flat().sort()).toEqual(all.filter((n) => !left.some((x) => n.endsWith(`.${x}`))).sort());
  });

  it('inUseErrorOf is inUseError', () => {
    for (const v of [0n, 1n, 2n, 3n, 4n, 5n, p.refCountUnique!, p.refCountUnused, p.refCountUnused - 1n])
      expect(inUseErrorOf(v, p)).toBe(inUseError(v, p));
  });
});

/**
 * Counts a test stores into a slot's count word behind the layer's back (`poke`): every special
 * value, the bound and one past it, so that generated sequences reach the failure of every clause
 * (a broken `regions.inv()` before a call, an overflow, an error kind) even on the real implementation.
 */
const POKES: readonly bigint[] = [0n, 1n, 2n, 3n, 4n, p.refCountUnique!, p.refCountUnused, 2n ** 63n];

type Op = { kind: 'gfu' | 'gfiu' | 'drop' | 'poke'; frame: number; misaligned: boolean; value: number };
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('gfu' as const, 'gfiu' as const, 'gfiu' as const, 'drop' as const, 'poke' as const),
  frame: fc.nat(2),
  misaligned: fc.nat(7).map((x) => x === 0),
  value: fc.nat(POKES.length - 1),
});

/** The violations a sequence of calls records (collect mode), with the fast path on or off. */
function violations(
  ops: readonly Op[],
  fast: boolean,
  level: ContractLevel,
  make?: (o: MetaRegionOptions) => MetaRegion,
) {
  setFastPathEnabled(fast);
  const guard = new AccessGuard();
  const opts = {
    maxPaddr: 2 * PAGE_SIZE,
    refCountMax: 3n,
    mode: 'collect',
    level,
    wrapMemory: guard.wrap.bind(guard),
  } as const;
  const c = new CheckedMetaRegion(opts, make);
  const bare = new FrameLayer(c.impl);
  for (const op of ops) {
    const paddr = op.frame * PAGE_SIZE + (op.misaligned ? 8 : 0);
    try {
      if (op.kind === 'gfu') c.getFromUnused(paddr, unit(KernelMeta), op.value % 3 === 0);
      else if (op.kind === 'gfiu') c.getFromInUse(paddr);
      else if (op.kind === 'poke' && op.frame < 2)
        c.tracking.base.store(c.impl.refCountWord(op.frame), POKES[op.value]!, Ordering.SeqCst);
      else if (op.kind === 'drop' && op.frame < 2 && c.impl.refCount(op.frame) >= 1n && c.impl.refCount(op.frame) <= 3n)
        bare.drop(op.frame);
    } catch {
      break; // an abort ends the run, as in the engine
    }
  }
  return { violations: c.violations.map((v) => ({ ...v })), ghost: c.ghost };
}

/**
 * The clauses whose fast form the comparison must catch when broken to always hold. Left out:
 * `unsafe_err` and `obligations_unchanged`, which no call the layer makes can falsify (an address
 * without a slot is refused by `get_slot`; the op writes no ledger), and `aborts_exactly`, whose fast
 * form is implied by the others (a return at REF_COUNT_MAX breaks `final_inv` or `err_kind`), so that
 * breaking it alone changes no report: the full check runs whenever one of those fails.
 */
const BROKEN = [...getFromInUse.requires, ...getFromInUse.ensures]
  .map((c) => c.name)
  .filter((n) => !['obligations_unchanged', 'unsafe_err', 'aborts_exactly'].some((x) => n.endsWith(x)));

/**
 * The get_from_unused predicates, broken by the fact they decide: the slot's invariant before and
 * after an error; nothing written on an error; the claimed owner (`ok_spec`). Left out, implied by
 * `ok_spec`'s predicate on every call these layers make: the permission clauses (an `Ok` naming
 * another slot breaks `ok_spec`; the permission the wrapper re-parks is always the region's own) and
 * `ok_metadata` (the claimed owner holds the metadata); `unsafe_err` and `obligations_unchanged`, as
 * for get_from_in_use.
 */
const CLAIM_GROUPS: readonly (readonly string[])[] = [
  ['get_from_unused.requires.regions_inv', 'get_from_unused.ensures.err_inv'],
  ['get_from_unused.ensures.err_unchanged'],
  ['get_from_unused.ensures.ok_spec'],
];
const CLAIM_LEFT_OUT = ['ok_perm_spec', 'ok_perm_wf', 'ok_perm_extracted', 'ok_slot_perm_extracted', 'ok_metadata'];

const META_SLOT_MUTANTS = allMutants().filter((m) => m.target === 'meta-slot' && m.region !== undefined);

// Seeded bugs a sequential run sees, one per ensures clause of get_from_in_use (most of the catalog's
// MetaSlot mutants need a concurrent schedule): the differential comparison runs on them too, so that
// a fast predicate that answers `true` when its clause does not hold changes a report.

/** `Ok` names the next slot's address (ok_ptr). */
class WrongSlot extends RealMetaRegion {
  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const r = super.getFromInUse(paddr);
    return typeof r === 'number' ? r + 1 : r;
  }
}

/** Success takes two references (ok_success). */
class DoubleIncrement extends RealMetaRegion {
  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const r = super.getFromInUse(paddr);
    if (typeof r === 'number') this.mem.fetchAdd(this.refCountWord(r), 1n, Ordering.Relaxed);
    return r;
  }
}

/** An error moves the other slot's count (err_unchanged). */
class ErrorWritesNeighbour extends RealMetaRegion {
  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const r = super.getFromInUse(paddr);
    if (typeof r !== 'number' && r !== 'OutOfBound' && r !== 'NotAligned')
      this.mem.fetchAdd(this.refCountWord((paddr / PAGE_SIZE) ^ 1), 1n, Ordering.Relaxed);
    return r;
  }
}

/** A unique frame is reported as busy (err_kind). */
class UniqueAsBusy extends RealMetaRegion {
  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    const r = super.getFromInUse(paddr);
    return r === 'Unique' ? 'Busy' : r;
  }
}

/** A shared claim publishes a count of 2 (get_from_unused ok_spec, and the refinement). */
class ClaimCountsTwo extends RealMetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const r = super.getFromUnused(paddr, meta, asUnique);
    if (typeof r === 'number' && !asUnique) this.mem.store(this.refCountWord(r), 2n, Ordering.Release);
    return r;
  }
}

/** A failed claim takes a reference to the frame it found in use (get_from_unused err_unchanged). */
class ClaimErrorTakesReference extends RealMetaRegion {
  override getFromUnused(paddr: number, meta: FrameMeta, asUnique: boolean): SlotPtr | GetFrameError {
    const r = super.getFromUnused(paddr, meta, asUnique);
    if (r === 'InUse') this.mem.fetchAdd(this.refCountWord(paddr / PAGE_SIZE), 1n, Ordering.Relaxed);
    return r;
  }
}

const SEEDED: readonly [string, (o: MetaRegionOptions) => MetaRegion][] = [
  ['claim counts two', (o) => new ClaimCountsTwo(o)],
  ['claim error takes a reference', (o) => new ClaimErrorTakesReference(o)],
  ['wrong slot', (o) => new WrongSlot(o)],
  ['double increment', (o) => new DoubleIncrement(o)],
  ['error writes neighbour', (o) => new ErrorWritesNeighbour(o)],
  ['unique as busy', (o) => new UniqueAsBusy(o)],
];

/**
 * Runs the fast path against the full check on generated call sequences — on the real implementation
 * the seeded bugs above and every MetaSlot mutant of the catalog, at levels full and cheap — and returns
 * the first sequence whose violations or final ghost differ (`undefined` when none does).
 */
function firstDifference(runs: number): string | undefined {
  type Subject = [string, ContractLevel, ((o: MetaRegionOptions) => MetaRegion) | undefined];
  const makers: [string, ((o: MetaRegionOptions) => MetaRegion) | undefined][] = [
    ['real', undefined],
    ...SEEDED,
    ...META_SLOT_MUTANTS.map((m): [string, (o: MetaRegionOptions) => MetaRegion] => [
      m.name,
      (o) => m.region!(o, false),
    ]),
  ];
  const subjects = (['full', 'cheap'] as const).flatMap((l) => makers.map(([n, m]): Subject => [n, l, m]));
  for (const [name, level, make] of subjects) {
    const r = fc.check(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const a = violations(ops, true, level, make);
        const b = violations(ops, false, level, make);
        expect(a.violations).toEqual(b.violations);
        expect(a.ghost).toEqual(b.ghost);
      }),
      { numRuns: runs, seed: 7 },
    );
    if (r.failed) return `${name} at level ${level}: ${fc.stringify(r.counterexample)}`;
  }
  return undefined;
}

describe('the fast path reports exactly what the full check reports', () => {
  it('on the real implementation (full and cheap) and on every MetaSlot mutant: the same clauses, blame, values, diffs and ghost', () => {
    expect(META_SLOT_MUTANTS.length).toBeGreaterThan(3);
    expect(firstDifference(150)).toBeUndefined();
  });

  it('the generated sequences make each of those clauses, and the refinement, fail on the full check', () => {
    const failed = new Set<string>();
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        for (const v of violations(ops, false, 'full').violations) failed.add(v.clause);
      }),
      { numRuns: 300, seed: 7 },
    );
    const makers = [
      ...SEEDED.map(([, m]) => m),
      ...META_SLOT_MUTANTS.map((m) => (o: MetaRegionOptions) => m.region!(o, false)),
    ];
    for (const make of makers)
      for (const level of ['full', 'cheap'] as const)
        fc.assert(
          fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
            for (const v of violations(ops, false, level, make).violations) failed.add(v.clause);
          }),
          { numRuns: 40, seed: 7 },
        );
    expect(BROKEN.filter((n) => !failed.has(n))).toEqual([]);
    expect(failed.has('get_from_in_use.refinement')).toBe(true);
  });

  it.each(BROKEN)('a fast form broken to always hold at %s is caught by the comparison', (broken) => {
    setFastFormEdit((_op, form) =>
      broken === 'refinement'
        ? { ...form, refinement: () => true }
        : { ...form, clauses: { ...form.clauses, [broken]: () => true } },
    );
    try {
      expect(firstDifference(150)).toBeDefined();
    } finally {
      setFastFormEdit(undefined);
    }
  });

  it.each(CLAIM_GROUPS.map((g) => g.join(' + ')))(
    'a get_from_unused fast form broken to always hold at %s is caught by the comparison',
    (broken) => {
      const names = broken.split(' + ');
      setFastFormEdit((_op, form) => ({
        ...form,
        clauses: { ...form.clauses, ...Object.fromEntries(names.map((n) => [n, () => true])) },
      }));
      try {
        expect(firstDifference(150)).toBeDefined();
      } finally {
        setFastFormEdit(undefined);
      }
    },
  );

  it('the generated sequences make each get_from_unused group fail on the full check', () => {
    const failed = new Set<string>();
    for (const make of [undefined, ...SEEDED.map(([, m]) => m)])
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
          for (const v of violations(ops, false, 'cheap', make).violations) failed.add(v.clause);
        }),
        { numRuns: 150, seed: 7 },
      );
    expect(CLAIM_GROUPS.filter((g) => !g.some((n) => failed.has(n)))).toEqual([]);
  });

  it('a count pushed past REF_COUNT_MAX (no overflow abort) is blamed on the implementation, as by the full check', () => {
    const m = allMutants().find((x) => x.name === 'no_overflow_abort')!;
    const ops: Op[] = [{ kind: 'gfu', frame: 0, misaligned: false, value: 1 }];
    for (let k = 0; k < 3; k++) ops.push({ kind: 'gfiu', frame: 0, misaligned: false, value: 0 });
    const make = (o: MetaRegionOptions) => m.region!(o, false);
    const fast = violations(ops, true, 'full', make).violations;
    expect(fast.map((v) => [v.clause, v.blame])[0]).toEqual(['get_from_in_use.ensures.final_inv', 'implementation']);
    expect(fast).toEqual(violations(ops, false, 'full', make).violations);
  });
});

describe('the contracts engine over the catalog', () => {
  it('kills each mutant with the same clause, trace and clause survey with the fast path as without', () => {
    const o = { numRuns: 60, seed: 1 };
    for (const m of allMutants().filter(contractsApply)) {
      setFastPathEnabled(false);
      const slow = runContracts(m, o);
      setFastPathEnabled(true);
      const fast = runContracts(m, o);
      expect({ name: m.name, ...fast, seconds: 0 }).toEqual({ name: m.name, ...slow, seconds: 0 });
    }
  }, 240_000);
});
