import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import type { MetaRegion, MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { getFromInUse, inUseError } from '../../spec/meta/MetaSlot.ts';
import { modelParams, PAGE_SIZE } from '../../spec/vocab.ts';
import { allMutants } from '../mutants/catalog.ts';
import { AccessGuard } from '../testing/AccessGuard.ts';
import { contractsApply, runContracts } from '../mutants/engines/contractsEngine.ts';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import { coverageEnabled, setCoverageEnabled } from './coverage.ts';
import { getFromInUseFast, inUseErrorOf } from './fastForms.ts';
import { setFastPathEnabled, specialize } from './fastPath.ts';
import type { ContractLevel } from './level.ts';

// Clause coverage (on under vitest) sends every call to the full check: off here, so the fast path runs.
const counting = coverageEnabled();
beforeEach(() => setCoverageEnabled(false));
afterEach(() => {
  setFastPathEnabled(true);
  setCoverageEnabled(counting);
});

const p = modelParams({ maxPaddr: 4 * PAGE_SIZE, refCountMax: 3n });

describe('fast forms are specialized from the clause table', () => {
  it('get_from_in_use has a predicate for every clause', () => {
    expect(getFromInUseFast(p)).toBeDefined();
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

  it('inUseErrorOf is inUseError', () => {
    for (const v of [0n, 1n, 2n, 3n, 4n, 5n, p.refCountUnique!, p.refCountUnused, p.refCountUnused - 1n])
      expect(inUseErrorOf(v, p)).toBe(inUseError(v, p));
  });
});

type Op = { kind: 'gfu' | 'gfiu' | 'drop'; frame: number; misaligned: boolean };
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('gfu' as const, 'gfiu' as const, 'gfiu' as const, 'drop' as const),
  frame: fc.nat(2),
  misaligned: fc.nat(7).map((x) => x === 0),
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
      if (op.kind === 'gfu') c.getFromUnused(paddr, unit(KernelMeta), false);
      else if (op.kind === 'gfiu') c.getFromInUse(paddr);
      else if (op.frame < 2 && c.impl.refCount(op.frame) >= 1n && c.impl.refCount(op.frame) <= 3n) bare.drop(op.frame);
    } catch {
      break; // an abort ends the run, as in the engine
    }
  }
  return { violations: c.violations.map((v) => ({ ...v })), ghost: c.ghost };
}

describe('the fast path reports exactly what the full check reports', () => {
  it.each(['full', 'cheap'] as const)('on the real implementation, level %s', (level) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const a = violations(ops, true, level);
        const b = violations(ops, false, level);
        expect(a.violations).toEqual(b.violations);
        expect(a.ghost).toEqual(b.ghost);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('a count pushed past REF_COUNT_MAX (no overflow abort) is blamed on the implementation, as by the full check', () => {
    const m = allMutants().find((x) => x.name === 'no_overflow_abort')!;
    const ops: Op[] = [{ kind: 'gfu', frame: 0, misaligned: false }];
    for (let k = 0; k < 3; k++) ops.push({ kind: 'gfiu', frame: 0, misaligned: false });
    const make = (o: MetaRegionOptions) => m.region!(o, false);
    const fast = violations(ops, true, 'full', make).violations;
    expect(fast.map((v) => [v.clause, v.blame])[0]).toEqual(['get_from_in_use.ensures.final_inv', 'implementation']);
    expect(fast).toEqual(violations(ops, false, 'full', make).violations);
  });

  it('on every MetaSlot mutant: the same clauses, blame, values and diffs', () => {
    const mutants = allMutants().filter((m) => m.target === 'meta-slot' && m.region !== undefined);
    expect(mutants.length).toBeGreaterThan(3);
    let caught = 0;
    for (const m of mutants) {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 20 }), (ops) => {
          const make = (o: MetaRegionOptions) => m.region!(o, false);
          const a = violations(ops, true, 'full', make);
          const b = violations(ops, false, 'full', make);
          expect(a.violations).toEqual(b.violations);
          if (a.violations.some((v) => v.blame !== 'caller')) caught++;
        }),
        { numRuns: 60, seed: 3 },
      );
    }
    expect(caught).toBeGreaterThan(0);
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
