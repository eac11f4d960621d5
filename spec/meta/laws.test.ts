/**
 * `assertPostHoldsForNext` for every registered op spec, over pre-states reached by the specs' own
 * transitions: small regions (16 frames, `REF_COUNT_MAX` = 4, current and legacy protocol) built by
 * claiming, acquiring, adding, releasing and dropping frames through `next`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertPostHoldsForNext, clausesBrokenByNext } from '../../test/laws.ts';
import type { OpSpec, PreCtx } from '../Op.ts';
import { registeredOps } from '../registry.ts';
import { modelParams, PAGE_SIZE, type ModelParams, type Paddr } from '../vocab.ts';
import { metaAddr } from './mapping.ts';
import {
  defaultSlotPerm,
  initialRegion,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  withSlotOwner,
  type MetaRegionOwners,
} from './MetaRegionOwners.ts';
import { getFromInUse, getFromInUseLoop, getFromUnused, getSlot, inUseError } from './MetaSlot.ts';
import {
  asMetaPtr,
  dropLastInPlace,
  dropLastInPlaceSafetyCond,
  dropMetaInPlace,
  framePaddr,
  incRefCount,
  writeMeta,
} from './MetaSlotOps.ts';
import { rc, slotIds, withOwnerFields, type MetaSlotStorage } from './MetaSlotOwner.ts';
import { permissionU64 } from './perms.ts';
import { addrOfSpec, frameToMetaSpec, metaToFrameSpec } from './MappingOps.ts';
import { onDropSpec } from './OnDrop.ts';
import { FRAME_METADATA_RANGE, LINEAR_MAPPING_BASE_VADDR } from '../vocab.ts';

const P = PAGE_SIZE;
const FRAMES = 4;
const PARAMS: readonly ModelParams[] = [
  modelParams({ maxPaddr: 16 * P, refCountMax: 4n }),
  modelParams({ protocol: 'legacy', maxPaddr: 16 * P, refCountMax: 4n }),
];
const METAS: readonly MetaSlotStorage[] = [
  { type: 'KernelMeta', fields: {} },
  { type: 'PageTablePageMeta', fields: { level: 2, nr_children: 0 } },
];

type Step = Readonly<{
  op: 'claim' | 'get' | 'inc' | 'release' | 'drop';
  frame: number;
  unique: boolean;
  meta: number;
}>;

/** One step of a caller, applied through the specs' `next` (a step the spec refuses leaves the region as it was). */
function apply(r: MetaRegionOwners, s: Step): MetaRegionOwners {
  const p = r.p;
  const i = s.frame;
  const o = slotOwner(r, i);
  const shared = inUseError(rc(o), p) === undefined;
  switch (s.op) {
    case 'claim': {
      const args = { paddr: i * P, metadata: METAS[s.meta]!, asUnique: s.unique && p.refCountUnique !== null };
      const out = getFromUnused.next({ old: r, args, p });
      return out.kind === 'return' && out.result.ok ? reparkSlotPerm(out.final, i, out.result.value.perm) : r;
    }
    case 'get': {
      const out = getFromInUse.next({ old: r, args: { paddr: i * P }, p });
      return out.kind === 'return' ? out.final : r;
    }
    case 'inc': {
      if (!shared) return r;
      const out = incRefCount.next({ old: { slot: slotIds(i), rcPerm: o.innerPerms.refCount }, args: {}, p });
      return out.kind === 'return' ? withSlotOwner(r, i, withOwnerFields(o, { refCount: out.final.rcPerm })) : r;
    }
    case 'release':
      // `Frame::drop`: the `fetch_sub(1)` that precedes `drop_last_in_place` (the last one leaves 0).
      return shared
        ? withSlotOwner(r, i, withOwnerFields(o, { refCount: permissionU64(o.innerPerms.refCount.id, rc(o) - 1n) }))
        : r;
    case 'drop': {
      if (!Object.values(dropLastInPlaceSafetyCond(o, p)).every(Boolean)) return r;
      const out = dropLastInPlace.next({ old: { slot: slotIds(i), owner: o }, args: {}, p });
      return out.kind === 'return' ? withSlotOwner(r, i, out.final.owner) : r;
    }
  }
}

/** Frames are drawn with a bias towards frame 0, so that counts climb to `REF_COUNT_MAX` and back to 0. */
const frameArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: FRAMES - 1 }) },
);
const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.oneof(
    { weight: 2, arbitrary: fc.constant('claim' as const) },
    { weight: 4, arbitrary: fc.constantFrom('get' as const, 'inc' as const) },
    { weight: 2, arbitrary: fc.constant('release' as const) },
    { weight: 1, arbitrary: fc.constant('drop' as const) },
  ),
  frame: frameArb,
  unique: fc.boolean(),
  meta: fc.integer({ min: 0, max: METAS.length - 1 }),
});
const regionArb: fc.Arbitrary<MetaRegionOwners> = fc
  .tuple(fc.constantFrom(...PARAMS), fc.array(stepArb, { minLength: 4, maxLength: 40, size: 'max' }))
  .map(([p, steps]) => steps.reduce(apply, initialRegion(p)));
const paddrArb: fc.Arbitrary<Paddr> = fc.oneof(
  { weight: 6, arbitrary: frameArb.map((f) => f * P) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 * P }) },
  { weight: 1, arbitrary: fc.integer({ min: 16, max: 20 }).map((f) => f * P) },
  { weight: 1, arbitrary: fc.constantFrom(-P, 0.5, 2 ** 60, NaN) },
);

/** Pre-states of a region-level op: a reachable region and arguments. */
const regionPre = <A>(args: fc.Arbitrary<A>): fc.Arbitrary<PreCtx<MetaRegionOwners, A>> =>
  fc.tuple(regionArb, args).map(([old, a]) => ({ old, args: a, p: old.p }));
/** Pre-states of a per-slot op: the tracked state a verified caller passes for a frame of a reachable region. */
const slotPre = <S, A>(
  state: (r: MetaRegionOwners, i: number) => S,
  args: fc.Arbitrary<A>,
): fc.Arbitrary<PreCtx<S, A>> =>
  fc.tuple(regionArb, frameArb, args).map(([r, i, a]) => ({ old: state(r, i), args: a, p: r.p }));
const none = fc.constant({} as Readonly<Record<string, never>>);
const metaArb = fc.constantFrom(...METAS);
const permAt = (r: MetaRegionOwners, i: number) => slotPerm(r, i) ?? defaultSlotPerm(i);

type Law = Readonly<{ spec: unknown; name: string; run: () => Map<string, number>; mustSee: readonly string[] }>;
const law = <S, A, R>(spec: OpSpec<S, A, R>, pres: fc.Arbitrary<PreCtx<S, A>>, mustSee: readonly string[]): Law => ({
  spec,
  name: spec.name,
  run: () => assertPostHoldsForNext(spec, pres, { numRuns: 200 }),
  mustSee,
});

const LAWS: readonly Law[] = [
  law(getSlot, regionPre(paddrArb.map((paddr) => ({ paddr }))), ['ok', 'err:NotAligned', 'err:OutOfBound']),
  law(
    getFromUnused,
    regionPre(fc.record({ paddr: paddrArb, metadata: metaArb, asUnique: fc.boolean() })).filter(
      (c) => !c.args.asUnique || c.p.refCountUnique !== null,
    ),
    ['ok', 'err:InUse', 'err:Unique', 'err:Busy', 'err:NotAligned', 'err:OutOfBound'],
  ),
  law(getFromInUse, regionPre(paddrArb.map((paddr) => ({ paddr }))), [
    'ok',
    'panic',
    'err:Unused',
    'err:Unique',
    'err:Busy',
    'err:NotAligned',
    'err:OutOfBound',
  ]),
  law(
    getFromInUseLoop,
    fc.tuple(regionArb, frameArb).map(([r, i]) => ({
      old: { perm: permAt(r, i), innerPerms: slotOwner(r, i).innerPerms },
      args: { slot: metaAddr(i) },
      p: r.p,
    })),
    ['ok', 'panic', 'err:Unused', 'err:Unique', 'err:Busy'],
  ),
  law(
    incRefCount,
    slotPre((r, i) => ({ slot: slotIds(i), rcPerm: slotOwner(r, i).innerPerms.refCount }), none),
    ['return', 'panic'],
  ),
  law(
    framePaddr,
    slotPre((r, i) => ({ slot: slotIds(i), perm: permAt(r, i) }), none),
    ['return'],
  ),
  law(
    asMetaPtr,
    slotPre((r, i) => ({ slot: slotIds(i), perm: permAt(r, i) }), none),
    ['return'],
  ),
  law(
    writeMeta,
    slotPre(
      (r, i) => {
        const o = slotOwner(r, i);
        return { slot: slotIds(i), metaPerm: o.innerPerms.storage, vtablePerm: o.innerPerms.vtablePtr };
      },
      metaArb.map((metadata) => ({ metadata })),
    ),
    ['return'],
  ),
  law(
    dropLastInPlace,
    slotPre((r, i) => ({ slot: slotIds(i), owner: slotOwner(r, i) }), none),
    ['return'],
  ),
  law(
    dropMetaInPlace,
    slotPre((r, i) => ({ owner: slotOwner(r, i) }), none),
    ['return'],
  ),
  law(
    frameToMetaSpec,
    regionPre(paddrArb.map((paddr) => ({ paddr }))).map((c) => ({ ...c, old: {} })),
    ['return'],
  ),
  law(
    metaToFrameSpec,
    regionPre(frameArb.map((i) => ({ vaddr: FRAME_METADATA_RANGE.start + BigInt(i) * 64n }))).map((c) => ({
      ...c,
      old: {},
    })),
    ['return'],
  ),
  law(
    addrOfSpec,
    slotPre((r, i) => ({ slot: slotIds(i), perm: permAt(r, i) }), none),
    ['return'],
  ),
  law(
    onDropSpec,
    slotPre((r, i) => {
      const range = {
        start: LINEAR_MAPPING_BASE_VADDR + BigInt(i * P),
        end: LINEAR_MAPPING_BASE_VADDR + BigInt((i + 1) * P),
      };
      const lin = {
        va: { start: LINEAR_MAPPING_BASE_VADDR, end: LINEAR_MAPPING_BASE_VADDR + BigInt(r.p.maxPaddr) },
        pa: 0,
      };
      return {
        self: { type: 'PageTablePageMeta', fields: {} },
        reader: { ghostId: 1, cursor: { vaddr: range.start, range }, end: { vaddr: range.end, range } },
        regions: r,
        vmIoOwner: {
          id: 1,
          range,
          isFallible: false,
          isKernel: true,
          memView: { kind: 'ReadView' as const, mappings: [lin] },
        },
      };
    }, none),
    ['return'],
  ),
];

describe('post(s, a, next(s, a)) for every registered op', () => {
  it('every registered op spec has a law here', () => {
    expect(registeredOps().map((s) => LAWS.find((l) => l.spec === s)?.name ?? `${s.name} (missing)`)).toEqual(
      registeredOps().map((s) => s.name),
    );
  });

  for (const l of LAWS) {
    it(`${l.name}: every ensures clause holds on next, on each of its outcomes`, () => {
      const seen = l.run();
      expect(l.mustSee.filter((label) => !seen.has(label))).toEqual([]);
    });
  }
});

describe('the law catches a wrong next', () => {
  const incPre = slotPre((r, i) => ({ slot: slotIds(i), rcPerm: slotOwner(r, i).innerPerms.refCount }), none);

  it('a successor that adds 2 breaks rc_inc', () => {
    const addsTwo: typeof incRefCount = {
      ...incRefCount,
      next: (c) => ({
        kind: 'return',
        final: { ...c.old, rcPerm: permissionU64(c.old.rcPerm.id, c.old.rcPerm.value + 2n) },
        result: undefined,
      }),
    };
    expect(() => assertPostHoldsForNext(addsTwo, incPre, { seed: 1 })).toThrow(
      /inc_ref_count: next\(old, args\) breaks inc_ref_count\.ensures\.rc_inc/,
    );
  });

  it('a panic where may_panic does not hold', () => {
    const panics: typeof incRefCount = { ...incRefCount, next: () => ({ kind: 'panic' }) };
    const pre = {
      old: { slot: slotIds(0), rcPerm: permissionU64(slotIds(0).refCountId, 1n) },
      args: {},
      p: PARAMS[0]!,
    };
    expect(clausesBrokenByNext(panics, pre)).toEqual(['inc_ref_count.may_panic.at_max']);
    expect(() => assertPostHoldsForNext(panics, incPre, { seed: 1 })).toThrow(
      /breaks inc_ref_count\.may_panic\.at_max/,
    );
  });
});
