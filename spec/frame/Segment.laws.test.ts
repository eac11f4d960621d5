/**
 * The laws of the `Segment` op specs (as `laws.test.ts` states them for the frame handles):
 * `post(s, a, next(s, a))` over states reached by the specs' own transitions — segments built, cloned,
 * sliced, split, iterated and dropped, with foreign frames claimed in between — and every clause
 * falsifiable on broken inputs or wrong outcomes of `next` (counted in clause coverage).
 *
 * `clone` and `slice` mint no ledger entries (vostd); the world's caller mints them after the call, as
 * a verified caller's proof would have to (`tracked_mint_seg_obligations`), so the new segment can be
 * used and dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordClause } from '../../src/contract/coverage.ts';
import { assertPostHoldsForNext } from '../../test/laws.ts';
import type { OpSpec, PreCtx } from '../Op.ts';
import { registeredSegmentOps } from '../registry.ts';
import {
  extractSlotPerm,
  initialRegion,
  slotOwner,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
} from '../meta/MetaRegionOwners.ts';
import { withOwnerFields, type MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import { permissionU64 } from '../meta/perms.ts';
import { modelParams, PAGE_SIZE, type Paddr } from '../vocab.ts';
import type { PaddrRange } from './accounting.ts';
import { frameClone, frameDrop, frameFromUnused, frameAt } from './Frame.ts';
import {
  SEGMENT_OPS,
  segmentClone,
  segmentDrop,
  segmentFromRaw,
  segmentFromUnused,
  segmentIntoRaw,
  segmentNext,
  segmentSlice,
  segmentSplit,
} from './Segment.ts';
import { paddrRange, segIndices, segNframes, type SegmentWithOwner } from './SegmentOwner.ts';

const P = PAGE_SIZE;
const FRAMES = 12;
const p = modelParams({ maxPaddr: FRAMES * P, refCountMax: 6n });
const METAS: readonly MetaSlotStorage[] = [
  { type: 'KernelMeta', fields: {} },
  { type: 'UnitMeta', fields: { value: 7n } },
];
const metaFor = (paddr: Paddr): MetaSlotStorage => METAS[(paddr / P) % 2]!;
const metadataFn = (paddr: Paddr) => metaFor(paddr);
type AnySpec = OpSpec<never, never, never>;

/** Applies `spec.next` when its requires hold. */
function step<S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A): { s: S; r: R } | undefined {
  const pre = { old, args, p };
  if (!spec.requires.every((c) => c.holds(pre))) return undefined;
  const out = spec.next(pre);
  return out.kind === 'return' ? { s: out.final, r: out.result } : undefined;
}

/** The caller's proof after `clone`/`slice`: one ledger entry per frame of the new segment. */
function mintFor(r: MetaRegionOwners, range: PaddrRange): MetaRegionOwners {
  let ledger = r.frameObligations;
  for (const i of segIndices(range)) ledger = ledger.mint(i);
  return withLedger(r, ledger);
}

type World = Readonly<{ r: MetaRegionOwners; segs: readonly SegmentWithOwner[] }>;
type WStep = readonly [op: number, a: number, b: number, c: number];
const own = (range: PaddrRange): SegmentWithOwner => ({ segment: { range }, owner: { range } });

/** One caller step through the specs' `next` (a refused step leaves the world as it was). */
function applyW(w: World, [op, a, b, c]: WStep): World {
  const k = a % Math.max(1, w.segs.length);
  const seg = w.segs[k];
  const rest = w.segs.filter((_, j) => j !== k);
  const start = (a % 10) * P;
  switch (op % 7) {
    case 0: {
      const out = step(segmentFromUnused, w.r, { range: paddrRange(start, start + (1 + (b % 4)) * P), metadataFn });
      return out?.r.ok ? { r: out.s, segs: [...w.segs, out.r.value] } : out ? { ...w, r: out.s } : w;
    }
    case 6: {
      const out = step(frameFromUnused, w.r, { paddr: start, metadata: metaFor(start) });
      return out ? { ...w, r: out.s } : w;
    }
  }
  if (seg === undefined) return w;
  const n = segNframes(seg.segment.range);
  switch (op % 7) {
    case 1: {
      const out = step(segmentClone, w.r, { segment: seg.segment });
      return out ? { r: mintFor(out.s, out.r.range), segs: [...w.segs, own(out.r.range)] } : w;
    }
    case 2: {
      const lo = b % (n + 1);
      const hi = lo + (c % (n - lo + 1));
      const out = step(segmentSlice, w.r, { ...seg, range: paddrRange(lo * P, hi * P) });
      return out ? { r: mintFor(out.s, out.r.range), segs: [...w.segs, own(out.r.range)] } : w;
    }
    case 3: {
      if (n < 2) return w;
      const out = step(segmentSplit, w.r, { ...seg, offset: (1 + (b % (n - 1))) * P });
      return out ? { r: out.s, segs: [...rest, ...out.r] } : w;
    }
    case 4: {
      const out = step(segmentDrop, w.r, seg);
      return out ? { r: out.s, segs: rest } : w;
    }
    default: {
      const out = step(segmentNext, w.r, seg);
      if (out?.r.item == null) return w;
      const dropped = step(frameDrop, out.s, out.r.item);
      const left = { segment: out.r.segment, owner: out.r.owner };
      return dropped ? { r: dropped.s, segs: [...rest, left] } : w;
    }
  }
}

const worldArb: fc.Arbitrary<World> = fc
  .array(fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.nat(20)), { minLength: 2, maxLength: 16, size: 'max' })
  .map((steps) => {
    const base = [
      [0, 0, 1, 0],
      [0, 4, 0, 0],
    ] as const;
    return [...base, ...steps].reduce(applyW, { r: initialRegion(p), segs: [] } as World);
  });

/** A live segment of the world (or, rarely, a forged one, whose requires fail). */
const segOf = (w: World, k: number): SegmentWithOwner =>
  w.segs[k % Math.max(1, w.segs.length)] ?? own(paddrRange(0, P));
const pre = <A>(args: (w: World) => fc.Arbitrary<A>): fc.Arbitrary<PreCtx<MetaRegionOwners, A>> =>
  worldArb.chain((w) => args(w).map((a) => ({ old: w.r, args: a, p })));
const onSeg = (w: World) => fc.nat(8).map((k) => segOf(w, k));
const offsetArb = (n: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: n }).map((j) => j * P) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: (n + 1) * P }) },
  );
const rangeArb: fc.Arbitrary<PaddrRange> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.nat(FRAMES), fc.integer({ min: 1, max: 4 })).map(([s, l]) => paddrRange(s * P, (s + l) * P)),
  },
  { weight: 1, arbitrary: fc.tuple(fc.nat(FRAMES * P), fc.nat(FRAMES * P)).map(([s, e]) => paddrRange(s, e)) },
  { weight: 1, arbitrary: fc.nat(FRAMES).map((s) => paddrRange(s * P, s * P)) },
);

type Law = Readonly<{
  spec: AnySpec;
  run: () => Map<string, number>;
  mustSee: readonly string[];
  falsify: () => Set<string>;
}>;

/** Variants of a small value, each changing one leaf. */
function leafVariants(v: unknown, depth = 0): unknown[] {
  if (typeof v === 'bigint') return [v + 1n, 0n];
  if (typeof v === 'number') return [v + 1, v + P, v - P, v + FRAMES * P, -1];
  if (typeof v === 'boolean') return [!v];
  if (v === null) return [{ frame: frameAt(0), obl: 0 }];
  if (typeof v !== 'object' || depth > 4 || v instanceof Set || typeof v === 'function') return [];
  if (Array.isArray(v)) return [v.slice(1), [...v, v[0] ?? 0], [...v].reverse(), []];
  const out: unknown[] = [];
  for (const [k, x] of Object.entries(v)) for (const y of leafVariants(x, depth + 1)) out.push({ ...v, [k]: y });
  if ('ok' in v && v.ok === true) out.push({ ...v, ok: false, error: 'InUse' });
  return out;
}

/** Regions broken at slot `i` in one way each. */
function regionVariants(r: MetaRegionOwners, i: number): MetaRegionOwners[] {
  const o = slotOwner(r, i);
  const set = (f: Parameters<typeof withOwnerFields>[1]) => withSlotOwner(r, i, withOwnerFields(o, f));
  return [
    extractSlotPerm(r, i),
    set({ inList: permissionU64(o.innerPerms.inList.id, 1n) }),
    set({ pathsInPt: new Set(['pt']) }),
    set({ usage: 'PageTable' }),
    set({ storage: { id: o.innerPerms.storage.id, contents: { init: false } } }),
    withSlotOwner(r, i, Object.freeze({ ...o, selfAddr: o.selfAddr + 64n })),
    withLedger(r, r.frameObligations.redeem(i)),
    withLedger(r, initialRegion(p).frameObligations),
    withLedger(r, r.frameObligations.mint(i)),
    ...[0n, 1n, 2n, 5n, 6n, p.refCountUnused].map((v) => set({ refCount: permissionU64(o.innerPerms.refCount.id, v) })),
  ];
}

/** The clauses of `spec` seen false on sampled pre-states, broken variants of them, and wrong outcomes of `next`. */
function falsify<A, R>(
  spec: OpSpec<MetaRegionOwners, A, R>,
  pres: fc.Arbitrary<PreCtx<MetaRegionOwners, A>>,
): Set<string> {
  const seen = new Set<string>();
  const tally = (c: { name: string; holds: (x: never) => boolean }, x: unknown) => {
    let v: boolean;
    try {
      v = c.holds(x as never);
    } catch {
      return;
    }
    recordClause(c.name, v);
    if (!v) seen.add(c.name);
  };
  const samples = fc.sample(pres, { numRuns: 30, seed: 5 });
  const outs = samples.map((pre) => ({ pre, out: spec.next(pre) }));
  outs.forEach(({ pre, out }, k) => {
    const at = [...spec.footprint(pre.args).slice(0, 3), 0, 5].filter((i) => i >= 0 && i < FRAMES);
    const olds = [pre.old, ...at.flatMap((i) => regionVariants(pre.old, i))];
    for (const old of olds) for (const c of [...spec.requires, spec.mayPanic]) tally(c, { old, args: pre.args, p });
    for (const args of leafVariants(pre.args) as A[])
      for (const c of [...spec.requires, spec.mayPanic]) tally(c, { old: pre.old, args, p });
    if (out.kind !== 'return' || !spec.requires.every((c) => c.holds(pre))) return;
    const other = outs[(k + 1) % outs.length]!.out;
    const posts: [MetaRegionOwners, R][] = [
      [pre.old, out.result],
      ...at.flatMap((i) => regionVariants(out.final, i).map((x): [MetaRegionOwners, R] => [x, out.result])),
      ...(leafVariants(out.result) as R[]).map((x): [MetaRegionOwners, R] => [out.final, x]),
    ];
    if (other.kind === 'return') posts.push([other.final, out.result], [out.final, other.result]);
    for (const [final, result] of posts)
      for (const c of spec.ensures) tally(c, { old: pre.old, args: pre.args, p, final, result });
    for (const args of leafVariants(pre.args) as A[])
      for (const c of spec.ensures) tally(c, { old: pre.old, args, p, final: out.final, result: out.result });
  });
  return seen;
}

const law = <A, R>(
  spec: OpSpec<MetaRegionOwners, A, R>,
  pres: fc.Arbitrary<PreCtx<MetaRegionOwners, A>>,
  mustSee: readonly string[],
): Law => ({
  spec: spec as unknown as AnySpec,
  run: () => assertPostHoldsForNext(spec, pres, { numRuns: 100, seed: 3 }),
  mustSee,
  falsify: () => falsify(spec, pres),
});

const LAWS: readonly Law[] = [
  law(
    segmentFromUnused,
    pre(() => rangeArb.map((range) => ({ range, metadataFn }))),
    ['ok', 'err:InUse', 'err:NotAligned', 'err:OutOfBound', 'panic'],
  ),
  law(
    segmentFromRaw,
    pre((w) => onSeg(w).map((s) => ({ range: s.owner.range, owner: s.owner }))),
    ['return'],
  ),
  law(
    segmentSplit,
    pre((w) =>
      onSeg(w).chain((s) => {
        const n = segNframes(s.segment.range);
        const inside = fc.integer({ min: 1, max: Math.max(1, n - 1) }).map((j) => j * P);
        return fc.oneof({ weight: 3, arbitrary: inside }, offsetArb(n)).map((offset) => ({ ...s, offset }));
      }),
    ),
    ['return', 'panic'],
  ),
  law(
    segmentSlice,
    pre((w) =>
      onSeg(w).chain((s) => {
        const n = segNframes(s.segment.range);
        return fc
          .tuple(offsetArb(n), offsetArb(n))
          .map(([a, b]) => ({ ...s, range: paddrRange(Math.min(a, b), Math.max(a, b)) }));
      }),
    ),
    ['return', 'panic'],
  ),
  law(
    segmentClone,
    pre((w) => onSeg(w).map((s) => ({ segment: s.segment }))),
    ['return'],
  ),
  law(segmentIntoRaw, pre(onSeg), ['return']),
  law(segmentNext, pre(onSeg), ['return']),
  law(segmentDrop, pre(onSeg), ['return']),
];

describe('post(s, a, next(s, a)) for every Segment op', () => {
  it('every registered Segment op spec has a law here', () => {
    expect(registeredSegmentOps()).toEqual([...SEGMENT_OPS]);
    expect(
      SEGMENT_OPS.filter((s) => !LAWS.some((l) => l.spec === (s as unknown as AnySpec))).map((s) => s.name),
    ).toEqual([]);
  });

  for (const l of LAWS) {
    it(`${l.spec.name}: every ensures clause holds on next, on each of its outcomes`, () => {
      const seen = l.run();
      expect(l.mustSee.filter((label) => !seen.has(label))).toEqual([]);
    });
  }

  it('the world reaches shared counts above 1 and segments of several frames', () => {
    const worlds = fc.sample(worldArb, { numRuns: 60, seed: 1 });
    expect(worlds.some((w) => w.segs.some((s) => segNframes(s.segment.range) > 1))).toBe(true);
    expect(
      worlds.some((w) => [...Array(FRAMES).keys()].some((i) => slotOwner(w.r, i).innerPerms.refCount.value > 1n)),
    ).toBe(true);
  });
});

/**
 * The clauses nothing makes false, and why: vostd's closure clauses hold by typing (upstream's closure
 * is `FnMut(Paddr) -> M`) and the owner domain is the whole index space. That consecutive frames of a
 * range have distinct indices (`frame_idx_at` is strictly increasing) is a note (`SEGMENT_NOTES`), not a clause.
 */
const NEVER_FALSE: readonly string[] = ['Segment::slice.ensures.domain'];

describe('every Segment clause is falsifiable: seen false on a generated input or a wrong outcome of next', () => {
  it('all clauses but the ones true by construction', () => {
    const never: string[] = [];
    for (const l of LAWS) {
      const seen = l.falsify();
      for (const c of [...l.spec.requires, l.spec.mayPanic, ...l.spec.ensures])
        if (!seen.has(c.name) && !c.name.endsWith('.may_panic.never')) never.push(c.name);
    }
    expect(never).toEqual(NEVER_FALSE);
  });
});

describe('frame clones keep counts above one inside segments', () => {
  it('a frame cloned into a segment range makes from_unused stop there with InUse', () => {
    const w = [[0, 0, 0, 0] as const, [6, 3, 0, 0] as const].reduce(applyW, { r: initialRegion(p), segs: [] } as World);
    const more = step(frameClone, w.r, { frame: frameAt(3 * P) });
    const out = segmentFromUnused.next({ old: more!.s, args: { range: paddrRange(2 * P, 5 * P), metadataFn }, p });
    expect(out.kind === 'return' && out.result).toMatchObject({ ok: false, error: 'InUse', dealloc: [2 * P] });
  });
});
