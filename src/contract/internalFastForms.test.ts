/**
 * The fast forms of the internal calls (`frame_to_meta`, `meta_to_frame`, `addr_of`): each predicate
 * against its clause on generated values, the same report with the fast path as without on the real
 * region and the mapping mutants, and each predicate broken to always hold caught by that comparison.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetaRegion, MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { Clause } from '../../spec/Op.ts';
import { addrOfSpec, frameToMetaSpec, metaToFrameSpec } from '../../spec/meta/MappingOps.ts';
import { defaultSlotPerm } from '../../spec/meta/MetaRegionOwners.ts';
import { slotIds } from '../../spec/meta/MetaSlotOwner.ts';
import { FRAME_METADATA_RANGE, modelParams } from '../../spec/vocab.ts';
import { MAPPING_MUTANTS } from '../mutants/mappingMutants.ts';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import {
  FortyEightByteSlots,
  GetSlotPassesMax,
  MetaToFrameBytePast,
  MetaToFrameNextFrame,
} from './fixtures/mappingRegions.ts';
import { useFastPathHooks } from './fixtures/fastPathHooks.ts';
import { setFastFormEdit, setFastPathEnabled, type FastCheck } from './fastPath.ts';
import {
  addrOfFast,
  frameToMetaFast,
  metaToFrameFast,
  newPureFootprint,
  PermMemo,
  type PureFootprint,
} from './internalFastForms.ts';

const MAX = 8 * PAGE_SIZE;
const p = modelParams({ maxPaddr: MAX });

useFastPathHooks();

/** Each predicate of `check` next to the clause it decides, evaluated on one context. */
function pairs(check: FastCheck<PureFootprint>) {
  return [
    ...check.requires.map((fast, k) => ({ fast, clause: check.requiresOf[k]!.name, kind: 'requires' as const })),
    ...check.ensures.map((fast, k) => ({ fast, clause: check.ensuresOf[k]!.name, kind: 'ensures' as const })),
  ];
}

const holds = (c: Clause<never>, ctx: unknown) => {
  try {
    return (c.holds as (x: unknown) => boolean)(ctx);
  } catch {
    return false;
  }
};

/** Integers around the interesting values: aligned or not, in range or not, negative, unsafe. */
const num = fc.oneof(
  fc.integer({ min: -2, max: 3 * MAX }),
  fc.integer({ min: -2, max: 20 }).map((k) => k * PAGE_SIZE),
  fc.integer({ min: -2, max: 600 }).map((k) => k * 64),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 60, 0.5, Number.NaN),
);

describe('each fast predicate answers exactly its clause on safe integers, and never true when it fails', () => {
  it('frame_to_meta', () => {
    const check = frameToMetaFast(p)!;
    const spec = [...frameToMetaSpec.requires, ...frameToMetaSpec.ensures];
    fc.assert(
      fc.property(num, num, (paddr, out) => {
        const f: PureFootprint = { ...newPureFootprint(), arg: paddr, out };
        const res = Number.isSafeInteger(out) ? FRAME_METADATA_RANGE.start + BigInt(out) : undefined;
        const ctx = { old: {}, args: { paddr }, p, final: {}, result: res };
        for (const [k, { fast }] of pairs(check).entries()) {
          const truth = res === undefined && k >= 2 ? false : holds(spec[k]! as Clause<never>, ctx);
          if (fast(f)) expect(truth).toBe(true);
          const exact = [paddr, out].every((x) => Number.isSafeInteger(x));
          if (exact) expect(fast(f)).toBe(truth);
        }
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('meta_to_frame', () => {
    const check = metaToFrameFast()!;
    const spec = [...metaToFrameSpec.requires, ...metaToFrameSpec.ensures];
    fc.assert(
      fc.property(num, num, (off, out) => {
        if (!Number.isSafeInteger(off)) return;
        const f: PureFootprint = { ...newPureFootprint(), arg: off, out };
        const ctx = { old: {}, args: { vaddr: FRAME_METADATA_RANGE.start + BigInt(off) }, p, final: {}, result: out };
        for (const [k, { fast }] of pairs(check).entries()) {
          const truth = holds(spec[k]! as Clause<never>, ctx);
          if (fast(f)) expect(truth).toBe(true);
          if (Number.isSafeInteger(out) && Math.abs(off) < 2 ** 40) expect(fast(f)).toBe(truth);
        }
      }),
      { numRuns: 2000, seed: 4 },
    );
  });

  it('addr_of, with the permission memo', () => {
    const check = addrOfFast()!;
    const spec = [...addrOfSpec.requires, ...addrOfSpec.ensures];
    const memo = new PermMemo();
    const slot = fc.integer({ min: -1, max: 9 });
    fc.assert(
      fc.property(slot, slot, num, fc.boolean(), (self, owner, out, init) => {
        const base = defaultSlotPerm(Math.max(owner, 0));
        const perm = init ? base : { addr: base.addr, contents: { init: false as const } };
        const f: PureFootprint = { ...newPureFootprint(), arg: self };
        f.out = out;
        memo.read(perm, f);
        const res = Number.isSafeInteger(out) ? FRAME_METADATA_RANGE.start + BigInt(out) : undefined;
        const ctx = { old: { slot: slotIds(self), perm }, args: {}, p, final: {}, result: res };
        for (const [k, { fast }] of pairs(check).entries()) {
          const truth = res === undefined && k >= 1 ? false : holds(spec[k]! as Clause<never>, ctx);
          if (fast(f)) expect(truth).toBe(true);
          if (out >= 0 && Number.isSafeInteger(out)) expect(fast(f)).toBe(truth);
        }
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});

/** The regions compared: the real one, the catalog's mapping mutants, and three more wrong conversions. */
type Make = ((o: MetaRegionOptions) => MetaRegion) | undefined;
const REGIONS: readonly [string, Make][] = [
  ['real', undefined],
  ...MAPPING_MUTANTS.map((m): [string, Make] => [m.name, (o) => m.region!(o, false)]),
  ['48-byte slots', (o) => new FortyEightByteSlots(o)],
  ['get_slot passes MAX_PADDR', (o) => new GetSlotPassesMax(o)],
  ['meta_to_frame next frame', (o) => new MetaToFrameNextFrame(o)],
  ['meta_to_frame a byte past', (o) => new MetaToFrameBytePast(o)],
];

/**
 * The violations of one run over `make`'s region (collect mode): get_slot and frame_paddr over every
 * frame and a few wrong addresses, then frame_paddr of slot 2 after its permission in the ghost was
 * replaced by one at slot 2's address holding slot 3's ids (a wrong caller of `addr_of`).
 */
function report(make: Make, fast: boolean, level: 'full' | 'cheap') {
  setFastPathEnabled(fast);
  try {
    const r = new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', level }, make);
    for (const paddr of [0, PAGE_SIZE, PAGE_SIZE + 8, 3 * PAGE_SIZE, MAX - PAGE_SIZE, MAX, -PAGE_SIZE, 2.5]) {
      r.getSlot(paddr);
    }
    for (let i = 0; i < 8; i++) r.framePaddr(i);
    const g = r.ghost;
    r.ghost = { ...g, slots: g.slots.set(2, { addr: defaultSlotPerm(2).addr, contents: defaultSlotPerm(3).contents }) };
    r.framePaddr(2);
    return r.violations;
  } finally {
    setFastPathEnabled(true);
  }
}

/** The first region and level whose report differs with the fast path from without it. */
function firstDifference(): string | undefined {
  for (const [name, make] of REGIONS)
    for (const level of ['full', 'cheap'] as const) {
      const slow = report(make, false, level);
      const fast = report(make, true, level);
      if (JSON.stringify(fast, replacer) !== JSON.stringify(slow, replacer)) return `${name} at ${level}`;
    }
  return undefined;
}

const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

/**
 * Every clause of the three tables, each broken alone but two: the ensures `res % META_SLOT_SIZE == 0`
 * and `res % PAGE_SIZE == 0`, which the `spec` ensures implies (with it true, their predicates can only
 * answer true: a result they would wrongly pass is one the `spec` predicate sends to the full check).
 */
const IMPLIED = ['frame_to_meta.ensures.aligned', 'meta_to_frame.ensures.aligned'];
const CLAUSES = [
  ...[...frameToMetaSpec.requires, ...frameToMetaSpec.ensures],
  ...[...metaToFrameSpec.requires, ...metaToFrameSpec.ensures],
  ...[...addrOfSpec.requires, ...addrOfSpec.ensures],
].map((c) => c.name);

describe('the internal calls report the same with their fast forms as without', () => {
  it('on the real region, the mapping mutants and the wrong conversions, at full and cheap', () => {
    expect(firstDifference()).toBeUndefined();
  });

  it('the runs falsify every clause of the three tables', () => {
    const failed = new Set<string>();
    for (const [, make] of REGIONS) for (const v of report(make, false, 'full')) failed.add(v.clause);
    expect(CLAUSES.filter((c) => !failed.has(c))).toEqual([]);
  });

  it.each(CLAUSES.filter((c) => !IMPLIED.includes(c)))(
    'a fast form broken to always hold at %s is caught by the comparison',
    (clause) => {
      setFastFormEdit((_op, form) =>
        clause in form.clauses ? { ...form, clauses: { ...form.clauses, [clause]: () => true } } : form,
      );
      expect(firstDifference()).toBeDefined();
    },
  );
});
