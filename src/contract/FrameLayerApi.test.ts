/**
 * The frame layer as a library user gets it: only the public entry points (`framecheck/checked` and
 * `framecheck`), one constructor, the same interface in both builds, a caller bug caught with blame.
 */
import { describe, expect, it } from 'vitest';
import * as checkedApi from '../index.checked.ts';
import * as releaseApi from '../index.ts';
import type { FrameLayerApi } from '../index.ts';
import { CheckedFrameApi } from './CheckedFrameApi.ts';

const P = 4096;
const opts = { maxPaddr: 16 * P } as const;
const withAllocator = { maxPaddr: 16 * P, allocatable: { start: 8 * P, end: 16 * P } } as const;

/** The same program in either build: the observable answers, in order. */
function program(api: typeof checkedApi | typeof releaseApi): unknown[] {
  const layer: FrameLayerApi = api.createFrameLayer(opts);
  const meta = () => api.unit(api.KernelMeta);
  const out: unknown[] = [];
  const a = layer.fromUnused(P, meta());
  if (typeof a === 'string') throw new Error(a);
  out.push(layer.fromUnused(P, meta()), layer.referenceCount(a));
  const b = layer.clone(a);
  out.push(layer.referenceCount(b), layer.drop(a), layer.drop(b), layer.fromInUse(P));
  const u = layer.uniqueFromUnused(2 * P, api.link(7n));
  if (typeof u === 'string') throw new Error(u);
  const list = layer.newList();
  list.pushBack(u);
  out.push(list.size(), list.contains(2 * P));
  const back = list.popFront();
  out.push(back === null ? null : layer.paddrOf(back));
  if (back !== null) layer.dropUnique(back);
  const seg = layer.segmentFromUnused({ start: 3 * P, end: 5 * P }, meta);
  if (typeof seg === 'string') throw new Error(seg);
  const [lo, hi] = layer.splitSegment(seg, P);
  out.push(layer.segmentRange(seg), layer.segmentRange(lo), layer.segmentRange(hi));
  layer.dropSegment(lo);
  layer.dropSegment(hi);
  out.push(layer.allocFrame(), layer.fromUnused(-P, meta()), layer.violations.length);
  const alloc = api.createFrameLayer(withAllocator);
  const f = alloc.allocFrame();
  if (typeof f === 'string') throw new Error(f);
  const s = alloc.allocSegment(2);
  if (typeof s === 'string') throw new Error(s);
  out.push(alloc.paddrOf(f), alloc.segmentRange(s), alloc.drop(f), alloc.allocSegment(0), alloc.violations.length);
  alloc.dropSegment(s);
  return out;
}

describe('createFrameLayer', () => {
  it('gives the checked layer from framecheck/checked and the release one from framecheck (contracts off)', () => {
    expect(checkedApi.createFrameLayer(opts).checked).toBe(true);
    expect(releaseApi.createFrameLayer(opts).checked).toBe(false);
  });

  it('answers the same program the same way in both builds', () => {
    const expected = [
      'InUse',
      1n,
      2n,
      false,
      true,
      'Unused',
      1,
      true,
      2 * P,
      undefined,
      { start: 3 * P, end: 4 * P },
      { start: 4 * P, end: 5 * P },
      'NoMemory',
      'OutOfBound',
      0,
      8 * P,
      { start: 10 * P, end: 12 * P },
      true,
      'InvalidArgs',
      0,
    ];
    expect(program(checkedApi)).toEqual(expected);
    expect(program(releaseApi)).toEqual(expected);
  });

  it('catches a seeded caller bug (a Frame dropped twice) and blames the caller', () => {
    const layer = checkedApi.createFrameLayer({ ...opts, mode: 'collect' });
    const f = layer.fromUnused(P, checkedApi.unit(checkedApi.KernelMeta));
    if (typeof f === 'string') throw new Error(f);
    const g = layer.clone(f);
    layer.drop(f);
    layer.drop(f);
    // The second drop runs anyway (collect mode) and frees the frame under a live handle; the use of the
    // moved handle voids it, as a broken requires does, so the report is the caller's alone.
    expect(layer.violations.map((v) => [v.clause, v.blame])).toEqual([['Frame::drop.linearity', 'caller']]);
    expect(layer.referenceCount(g)).toBe(2n ** 64n - 1n);
  });

  it('throws the first violation in enforce mode, as a ContractViolation naming the caller', () => {
    const layer = checkedApi.createFrameLayer(opts);
    const f = layer.fromUnused(P, checkedApi.unit(checkedApi.KernelMeta));
    if (typeof f === 'string') throw new Error(f);
    layer.drop(f);
    let caught: unknown;
    try {
      layer.drop(f);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(checkedApi.ContractViolation);
    expect((caught as InstanceType<typeof checkedApi.ContractViolation>).report.clause).toBe('Frame::drop.linearity');
    expect((caught as InstanceType<typeof checkedApi.ContractViolation>).report.blame).toBe('caller');
  });

  it('checks at the level FRAMECHECK_CONTRACTS or the level option names (cheap was checked at full)', () => {
    const before = process.env['FRAMECHECK_CONTRACTS'];
    try {
      process.env['FRAMECHECK_CONTRACTS'] = 'cheap';
      expect((releaseApi.createFrameLayer(opts) as CheckedFrameApi).frames.checker.level).toBe('cheap');
      process.env['FRAMECHECK_CONTRACTS'] = 'sample:8';
      expect((releaseApi.createFrameLayer(withAllocator) as CheckedFrameApi).frames.checker.level).toBe('sample:8');
    } finally {
      if (before === undefined) delete process.env['FRAMECHECK_CONTRACTS'];
      else process.env['FRAMECHECK_CONTRACTS'] = before;
    }
    expect(checkedApi.createFrameLayer({ ...opts, level: 'cheap' }).checked).toBe(true);
    expect(new CheckedFrameApi({ ...withAllocator, level: 'cheap' }).frames.checker.level).toBe('cheap');
  });

  it('refuses a checked MetaSlot region under the release FrameLayer with a clear error', () => {
    const region = checkedApi.createMetaRegion({ maxPaddr: 16 * P });
    expect(() => new checkedApi.FrameLayer(region as never)).toThrow(
      'FrameLayer: CheckedMetaRegion is not a MetaRegion; a checked frame layer comes from createFrameLayer',
    );
  });
});
