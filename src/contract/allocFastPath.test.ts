import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameAllocOptions, type FrameSource } from '../../impl/alloc/FrameAllocOptions.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { GetFrameError } from '../../impl/meta/MetaSlot.ts';
import { allocFrameWith } from '../../spec/alloc/FrameAllocOptions.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { allMutants } from '../mutants/catalog.ts';
import type { FrameHandle } from './accounting.ts';
import { allocFrameWithFast } from './allocFastForms.ts';
import { CheckedFrameAllocOptions, type CheckedFrameAllocOptionsInit } from './CheckedFrameAllocOptions.ts';
import { setFastFormEdit, setFastPathEnabled } from './fastPath.ts';
import { NoZero } from './fixtures/allocOptionsBugs.ts';
import { useFastPathHooks } from './fixtures/fastPathHooks.ts';
import type { ContractLevel } from './level.ts';

useFastPathHooks();

const P = PAGE_SIZE;
const NFRAMES = 4;

type Op = { kind: 'alloc' | 'drop' | 'poke' | 'dirty' | 'zeroed'; frame: number; k: number };
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(
    'alloc' as const,
    'alloc' as const,
    'alloc' as const,
    'drop' as const,
    'drop' as const,
    'poke' as const,
    'dirty' as const,
    'zeroed' as const,
  ),
  frame: fc.nat(NFRAMES - 1),
  k: fc.nat(7),
});
/** Counts stored behind the layer's back, so that a frame the allocator holds free is in use (or torn). */
const POKES: readonly bigint[] = [0n, 1n, 2n, 2n ** 64n - 1n];

/** Takes a page, then reports `NoMemory` (err_unchanged). */
class Leaks extends FrameAllocOptions {
  override allocFrame(meta: FrameMeta) {
    const r = super.allocFrame(meta);
    if (typeof r === 'number' && r % 2 === 1) return 'NoMemory' as const;
    return r;
  }
}
/** Takes a page and reports `NoMemory` without claiming it: nothing written, the allocator changed (err_unchanged). */
class TakesThenNoMemory extends FrameAllocOptions {
  override allocFrame() {
    this.source.alloc({ size: P, align: P });
    return 'NoMemory' as const;
  }
}
/** Reports an exhausted allocator as `InvalidArgs` (err_no_memory). */
class InvalidArgs extends FrameAllocOptions {
  override allocFrame(meta: FrameMeta) {
    const at = this.source.alloc({ size: P, align: P });
    if (at === undefined) return 'InvalidArgs' as const;
    const slot = this.layer.fromUnused(at, meta);
    if (typeof slot !== 'number') return 'NoMemory' as const;
    this.layer.region.phys.fill0(at, P);
    return slot;
  }
}
/** Claims a frame the allocator did not hand out (ok_fresh, ok_taken). */
class ClaimsItsOwn extends FrameAllocOptions {
  override allocFrame(meta: FrameMeta) {
    const slot = this.layer.fromUnused((NFRAMES - 1) * P, meta);
    return typeof slot === 'number' ? slot : ('NoMemory' as const);
  }
}
/** Asks the allocator twice and keeps the second page (the first leaks). */
class TakesTwo extends FrameAllocOptions {
  override allocFrame(meta: FrameMeta) {
    this.source.alloc({ size: P, align: P });
    return super.allocFrame(meta);
  }
}
/** Claims the frame and moves the next slot's count (others_unchanged). */
class TouchesNeighbour extends FrameAllocOptions {
  override allocFrame(meta: FrameMeta) {
    const r = super.allocFrame(meta);
    if (typeof r === 'number') {
      const region = this.layer.region;
      region.mem.fetchAdd(region.refCountWord((r + 1) % NFRAMES), 1n, Ordering.Relaxed);
    }
    return r;
  }
}
/** `Frame::from_unused` leaves the count at 2 (ok_claimed). */
class ClaimTwice extends FrameLayer {
  override fromUnused(paddr: number, meta: FrameMeta): number | GetFrameError {
    const r = super.fromUnused(paddr, meta);
    if (typeof r === 'number') this.region.mem.fetchAdd(this.region.refCountWord(r), 1n, Ordering.Relaxed);
    return r;
  }
}

type Subject = Readonly<Partial<Pick<CheckedFrameAllocOptionsInit, 'makeOptions' | 'makeLayer'>>> & {
  buddy?: (b: BuddyAllocator) => unknown;
};
const opts = (O: typeof FrameAllocOptions) => (l: FrameLayer, s: FrameSource) => new O(l, s);
const SUBJECTS: readonly [string, Subject][] = [
  ['real', {}],
  ['no zero', { makeOptions: opts(NoZero) }],
  ['leaks', { makeOptions: opts(Leaks) }],
  ['claims its own', { makeOptions: opts(ClaimsItsOwn) }],
  ['takes two', { makeOptions: opts(TakesTwo) }],
  ['touches neighbour', { makeOptions: opts(TouchesNeighbour) }],
  ['claim twice', { makeLayer: (r, a) => new ClaimTwice(r, a) }],
  ['takes, then NoMemory', { makeOptions: opts(TakesThenNoMemory) }],
  ['InvalidArgs', { makeOptions: opts(InvalidArgs) }],
  ...allMutants()
    .filter((m) => m.allocOptions !== undefined || m.buddy !== undefined || (m.target === 'frame' && m.layer))
    .map((m): [string, Subject] => [
      m.name,
      {
        ...(m.allocOptions !== undefined && { makeOptions: m.allocOptions }),
        ...(m.layer !== undefined && { makeLayer: m.layer }),
        ...(m.buddy !== undefined && { buddy: m.buddy }),
      },
    ]),
];

/** What a sequence of calls leaves (collect mode), with the fast path on or off. */
function outcome(ops: readonly Op[], fast: boolean, level: ContractLevel, s: Subject) {
  setFastPathEnabled(fast);
  const real = BuddyAllocator.create({ basePaddr: 0, nframes: NFRAMES });
  const buddy = (s.buddy?.(real) ?? real) as BuddyAllocator;
  const o = CheckedFrameAllocOptions.create(buddy, {
    maxPaddr: NFRAMES * P,
    mode: 'collect',
    level,
    ...(s.makeOptions !== undefined && { makeOptions: s.makeOptions }),
    ...(s.makeLayer !== undefined && { makeLayer: s.makeLayer }),
  });
  const held: FrameHandle[] = [];
  const results: unknown[] = [];
  try {
    o.allocator.addFreeMemory(0, NFRAMES * P);
    for (const op of ops) {
      if (op.kind === 'alloc') {
        const r = o.allocFrame();
        results.push(typeof r === 'string' ? r : r.slot);
        if (typeof r !== 'string') held.push(r);
      } else if (op.kind === 'drop' && held.length > 0) o.frames.drop(held.splice(op.k % held.length, 1)[0]!);
      else if (op.kind === 'poke')
        o.frames.tracking.base.store(
          o.frames.impl.refCountWord(op.frame),
          POKES[op.k % POKES.length]!,
          Ordering.SeqCst,
        );
      else if (op.kind === 'dirty') o.frames.impl.phys.write(op.frame * P, new Uint8Array([op.k + 1]));
      else if (op.kind === 'zeroed') o.zeroed(op.k % 2 === 0);
    }
  } catch (e) {
    results.push(e instanceof Error ? e.message : String(e)); // an abort ends the run
  }
  return {
    results,
    violations: o.violations.map((v) => ({ ...v })),
    region: o.frames.ghost,
    alloc: o.allocator.ghost,
    handles: [...o.frames.store.handles],
  };
}

/** The first sequence on which the fast path and the full check disagree, over every subject and level. */
function firstDifference(runs: number, subjects = SUBJECTS): string | undefined {
  for (const level of ['full', 'cheap', 'sample:3'] as const)
    for (const [name, s] of subjects) {
      const r = fc.check(
        fc.property(fc.array(opArb, { maxLength: 16 }), (ops) => {
          expect(outcome(ops, true, level, s)).toEqual(outcome(ops, false, level, s));
        }),
        { numRuns: runs, seed: 7 },
      );
      if (r.failed) return `${name} at level ${level}: ${fc.stringify(r.counterexample)}`;
    }
  return undefined;
}

describe('FrameAllocOptions::alloc_frame_with on its footprint', () => {
  it('has a fast form for every clause of its table', () => {
    expect(allocFrameWithFast({ maxPaddr: NFRAMES * P } as never)).toBeDefined();
  });

  it('reports exactly what the full check reports (real options, seeded bugs, alloc, buddy and frame mutants; full, cheap, sample)', () => {
    expect(firstDifference(60)).toBeUndefined();
  });

  it('the seeded bugs are caught at all (the comparison is not between two silent runs)', () => {
    for (const [name, s] of SUBJECTS.slice(1, 9)) {
      const ops: Op[] = [0, 1, 2, 3, 4, 5].map(() => ({ kind: 'alloc', frame: 0, k: 0 }));
      ops.splice(1, 0, { kind: 'dirty', frame: 0, k: 1 }, { kind: 'drop', frame: 0, k: 0 });
      expect(outcome(ops, true, 'cheap', s).violations.length, name).toBeGreaterThan(0);
    }
  });

  /*
   * The predicates broken by the fact they decide (predicates that decide one fact mask each other when
   * broken alone: a write outside the slot also leaves no claimed owner, and an error that wrote also
   * left the region changed). Left out: `ok_fresh`/`ok_taken` (the checked `alloc` under the call
   * decides them first: a page that was not free, or stays free, is its violation, which sends the call
   * to the full check) and `ok_obligations` (the wrapper's own proof code, the same in both paths).
   */
  const ens = (n: string) => `${allocFrameWith.name}.ensures.${n}`;
  it.each([
    ['ok_claimed', [ens('ok_claimed')]],
    ['ok_zeroed', [ens('ok_zeroed')]],
    ['err_unchanged', [ens('err_unchanged')]],
    ['err_no_memory', [ens('err_no_memory')]],
    [
      'others_unchanged + ok_claimed + err_unchanged',
      [ens('others_unchanged'), ens('ok_claimed'), ens('err_unchanged')],
    ],
  ])('a fast form broken to always hold at %s is caught by the comparison', (_, names) => {
    const broken = Object.fromEntries(names.map((n) => [n, () => true]));
    setFastFormEdit((op, form) =>
      op !== allocFrameWith.name ? form : { ...form, clauses: { ...form.clauses, ...broken } },
    );
    expect(firstDifference(60, SUBJECTS.slice(0, 9))).toBeDefined();
  });
});
