/**
 * The laws of the `FrameAllocOptions` specs: `post(s, a, next(s, a))` over worlds reached by adding
 * memory, allocating frames and segments through `next`, and claiming frames behind the allocator's
 * back (which makes the `unwrap` panic reachable); and every clause falsifiable on a wrong outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordClause } from '../../src/contract/coverage.ts';
import { assertPostHoldsForNext } from '../../test/laws.ts';
import { frameAt, frameFromUnused } from '../frame/Frame.ts';
import { initialRegion, withLedger } from '../meta/MetaRegionOwners.ts';
import type { MetaSlotStorage } from '../meta/MetaSlotOwner.ts';
import type { OpSpec, PreCtx } from '../Op.ts';
import { registeredAllocOps } from '../registry.ts';
import { modelParams, PAGE_SIZE } from '../vocab.ts';
import {
  allocFrameWith,
  allocSegmentWith,
  freeFrameInUse,
  FRAME_ALLOC_OPTIONS_OPS,
  type AllocWorld,
} from './FrameAllocOptions.ts';
import { addFreeMemoryNext, EMPTY_FREE_SET } from './FrameAllocator.ts';

const P = PAGE_SIZE;
const p = modelParams({ maxPaddr: 16 * P });
const K: MetaSlotStorage = { type: 'KernelMeta', fields: {} };
const metadataFn = () => K;

type Step = readonly [op: number, a: number];
function apply(w: AllocWorld, [op, a]: Step): AllocWorld {
  const run = <A, R>(spec: OpSpec<AllocWorld, A, R>, args: A) => {
    const out = spec.next({ old: w, args, p });
    return out.kind === 'return' ? out.final : w;
  };
  if (op % 3 === 0) return run(allocFrameWith, { metadata: K, zeroed: true });
  if (op % 3 === 1) return run(allocSegmentWith, { nframes: 1 + (a % 3), metadataFn, zeroed: a % 2 === 0 });
  const out = frameFromUnused.next({ old: w.region, args: { paddr: (a % 16) * P, metadata: K }, p });
  return out.kind === 'return' && out.result.ok && a % 5 === 0 ? { region: out.final, alloc: w.alloc } : w;
}

const worldArb: fc.Arbitrary<AllocWorld> = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.array(fc.tuple(fc.nat(9), fc.nat(30)), { maxLength: 8 }))
  .map(([added, steps]) =>
    steps.reduce(apply, {
      region: initialRegion(p),
      alloc: added === 0 ? EMPTY_FREE_SET : addFreeMemoryNext(EMPTY_FREE_SET, 0, added * P),
    }),
  );
const frameArgs = fc.record({ metadata: fc.constant(K), zeroed: fc.boolean() });
const segArgs = fc.record({
  nframes: fc.integer({ min: 0, max: 5 }),
  metadataFn: fc.constant(metadataFn),
  zeroed: fc.boolean(),
});
const pre = <A>(args: fc.Arbitrary<A>): fc.Arbitrary<PreCtx<AllocWorld, A>> =>
  fc.tuple(worldArb, args).map(([old, a]) => ({ old, args: a, p }));

describe('post(s, a, next(s, a)) for the FrameAllocOptions ops', () => {
  it('every registered FrameAllocOptions spec has a law here', () => {
    expect(registeredAllocOps().slice(-2)).toEqual([...FRAME_ALLOC_OPTIONS_OPS]);
  });
  it('alloc_frame_with', () => {
    const seen = assertPostHoldsForNext(allocFrameWith, pre(frameArgs), { numRuns: 150, seed: 2 });
    expect([...seen.keys()].sort()).toEqual(['err:NoMemory', 'ok', 'panic']);
  });
  it('alloc_segment_with', () => {
    const seen = assertPostHoldsForNext(allocSegmentWith, pre(segArgs), { numRuns: 150, seed: 2 });
    expect([...seen.keys()].sort()).toEqual(['err:InvalidArgs', 'err:NoMemory', 'ok', 'panic']);
  });
});

describe('FrameAllocOptions clauses', () => {
  const base: AllocWorld = { region: initialRegion(p), alloc: addFreeMemoryNext(EMPTY_FREE_SET, 0, 4 * P) };

  it('a frame the allocator holds as free but someone claimed makes the unwrap panic allowed', () => {
    expect(freeFrameInUse(base, p)).toBe(false);
    const out = frameFromUnused.next({ old: base.region, args: { paddr: 0, metadata: K }, p });
    if (out.kind !== 'return') throw new Error('claim');
    const w = { region: out.final, alloc: base.alloc };
    expect(freeFrameInUse(w, p)).toBe(true);
    expect(allocFrameWith.next({ old: w, args: { metadata: K, zeroed: true }, p }).kind).toBe('panic');
  });

  it('an allocator pick other than the first fit refines the spec (alsoAllows); a wrong one does not', () => {
    const args = { metadata: K, zeroed: false };
    const at2 = (at: number) => {
      const claim = frameFromUnused.next({ old: base.region, args: { paddr: at, metadata: K }, p });
      if (claim.kind !== 'return') throw new Error('claim');
      const region = withLedger(claim.final, claim.final.frameObligations);
      const alloc = {
        added: base.alloc.added,
        free: [
          { start: 0, end: at },
          { start: at + P, end: 4 * P },
        ],
      };
      const result = { ok: true as const, value: { frame: frameAt(at), readsZero: undefined } };
      return { old: base, args, p, final: { region, alloc }, result };
    };
    expect(allocFrameWith.alsoAllows?.(at2(2 * P))).toBe(true);
    expect(
      allocFrameWith.alsoAllows?.({
        ...at2(2 * P),
        result: { ok: true, value: { frame: frameAt(3 * P), readsZero: undefined } },
      }),
    ).toBe(false);
  });

  it('every clause is falsifiable on a wrong outcome (or a broken input)', () => {
    const never: string[] = [];
    for (const [spec, args] of [
      [allocFrameWith, frameArgs],
      [allocSegmentWith, segArgs],
    ] as const) {
      const seen = new Set<string>();
      const tally = (c: { name: string; holds: (x: never) => boolean }, x: unknown) => {
        const v = c.holds(x as never);
        recordClause(c.name, v);
        if (!v) seen.add(c.name);
      };
      const samples = fc.sample(pre(args as unknown as fc.Arbitrary<Record<string, unknown>>), {
        numRuns: 40,
        seed: 9,
      });
      const s = spec as unknown as OpSpec<AllocWorld, Record<string, unknown>, { ok: boolean; value?: object }>;
      const outs = samples.map((x) => s.next(x));
      samples.forEach((x, k) => {
        for (const c of [...s.requires, s.mayPanic]) {
          tally(c, x);
          tally(c, { ...x, args: { ...x.args, nframes: -1 } });
        }
        const out = outs[k]!;
        const other = outs[(k + 1) % outs.length]!;
        if (out.kind !== 'return') return;
        const v = out.result;
        const results = [
          v,
          { ok: false, error: 'InvalidArgs' },
          { ok: false, error: 'NoMemory' },
          ...(v.ok ? [{ ok: true, value: { ...v.value, readsZero: false } }] : []),
          ...(other.kind === 'return' ? [other.result] : []),
        ];
        const finals = [
          out.final,
          x.old,
          { region: withLedger(out.final.region, x.old.region.frameObligations), alloc: out.final.alloc },
        ];
        if (other.kind === 'return') finals.push(other.final, { region: out.final.region, alloc: x.old.alloc });
        for (const final of finals)
          for (const result of results)
            for (const argv of [x.args, { ...x.args, nframes: 0 }, { ...x.args, nframes: 7 }])
              for (const c of s.ensures) tally(c, { old: x.old, args: argv, p, final, result });
      });
      for (const c of [...s.requires, s.mayPanic, ...s.ensures]) if (!seen.has(c.name)) never.push(c.name);
    }
    expect(never).toEqual([]);
  });
});
