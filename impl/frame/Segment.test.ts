import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelAbort } from '../meta/abort.ts';
import { KernelMeta, unit, UnitMeta } from '../meta/frameMeta.ts';
import { MetaRegion } from '../meta/MetaSlot.ts';
import { PAGE_SIZE } from '../meta/pageSize.ts';
import { FrameLayer } from './Frame.ts';
import { Segment } from './Segment.ts';

const P = PAGE_SIZE;
const MAX = 64 * P;

function setup() {
  const freed: number[] = [];
  const layer = new FrameLayer(new MetaRegion({ maxPaddr: MAX }), { dealloc: (paddr: number) => freed.push(paddr) });
  const rc = (paddr: number) => layer.region.refCount(paddr / P);
  const unused = layer.region.REF_COUNT_UNUSED;
  return { layer, freed, rc, unused };
}

function seg(layer: FrameLayer, start: number, end: number): Segment<null> {
  const s = Segment.fromUnused(layer, { start, end }, () => unit(KernelMeta));
  if (typeof s === 'string') throw new Error(`setup: ${s}`);
  return s;
}

function abortOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelAbort) return e.reason;
    throw e;
  }
  return undefined;
}

describe('Segment.fromUnused', () => {
  it('claims every frame with count 1 and its metadata', () => {
    const { layer, rc } = setup();
    const s = seg(layer, 2 * P, 5 * P);
    expect([s.startPaddr, s.endPaddr, s.size, s.nframes]).toEqual([2 * P, 5 * P, 3 * P, 3]);
    for (const p of [2 * P, 3 * P, 4 * P]) {
      expect(rc(p)).toBe(1n);
      expect(layer.region.dynMeta(p / P)?.type.name).toBe('KernelMeta');
    }
  });
  it('passes each frame address to the metadata function, front to back', () => {
    const { layer } = setup();
    const seen: number[] = [];
    Segment.fromUnused(layer, { start: 0, end: 3 * P }, (p) => (seen.push(p), unit(UnitMeta)));
    expect(seen).toEqual([0, P, 2 * P]);
  });
  it.each([
    [{ start: 1, end: 2 * P }, 'NotAligned'],
    [{ start: 0, end: P + 8 }, 'NotAligned'],
    [{ start: 0.5, end: P }, 'NotAligned'],
    [{ start: 0, end: MAX + P }, 'OutOfBound'],
    [{ start: MAX + P, end: MAX + 2 * P }, 'OutOfBound'],
    [{ start: -P, end: P }, 'OutOfBound'],
  ])('%o is %s, and nothing is claimed', (range, error) => {
    const { layer, rc, unused } = setup();
    expect(Segment.fromUnused(layer, range, () => unit(KernelMeta))).toBe(error);
    for (let p = 0; p < MAX; p += P) expect(rc(p)).toBe(unused);
  });
  it('aborts on an empty or inverted range (upstream assert!)', () => {
    const { layer } = setup();
    expect(abortOf(() => Segment.fromUnused(layer, { start: P, end: P }, () => unit(KernelMeta)))).toBe(
      'assertion_failed',
    );
    expect(abortOf(() => Segment.fromUnused(layer, { start: 2 * P, end: P }, () => unit(KernelMeta)))).toBe(
      'assertion_failed',
    );
  });
  it.each([
    ['a shared frame', 'InUse', false],
    ['a unique frame', 'Unique', true],
  ])('rolls back every claimed frame when it meets %s, returning them to the allocator', (_, error, unique) => {
    const { layer, freed, rc, unused } = setup();
    const meta = unit(UnitMeta);
    expect(unique ? layer.uniqueFromUnused(6 * P, meta) : layer.fromUnused(6 * P, meta)).toBe(6);
    expect(Segment.fromUnused(layer, { start: 2 * P, end: 10 * P }, () => unit(KernelMeta))).toBe(error);
    for (const p of [2, 3, 4, 5, 7, 8, 9].map((i) => i * P)) {
      expect(rc(p)).toBe(unused);
      expect(layer.region.dynMeta(p / P)).toBeUndefined();
    }
    expect(rc(6 * P)).toBe(unique ? layer.region.REF_COUNT_UNIQUE : 1n);
    expect(freed).toEqual([2, 3, 4, 5].map((i) => i * P));
  });
});

describe('Segment handles', () => {
  it('clone adds a reference to every frame; each drop removes one, the last deallocates', () => {
    const { layer, freed, rc, unused } = setup();
    const a = seg(layer, 0, 3 * P);
    const b = a.clone();
    expect([0, P, 2 * P].map(rc)).toEqual([2n, 2n, 2n]);
    a.drop();
    expect([0, P, 2 * P].map(rc)).toEqual([1n, 1n, 1n]);
    expect(freed).toEqual([]);
    b.drop();
    expect([0, P, 2 * P].map(rc)).toEqual([unused, unused, unused]);
    expect(freed).toEqual([0, P, 2 * P]);
  });
  it('forget leaves every count, and the segment cannot be used again', () => {
    const { layer, rc } = setup();
    const s = seg(layer, P, 3 * P);
    expect(s.forget()).toEqual({ start: P, end: 3 * P });
    expect([P, 2 * P].map(rc)).toEqual([1n, 1n]);
    expect(() => s.drop()).toThrow(/after it was moved/);
    expect(() => s.size).toThrow(/after it was moved/);
  });
  it('split moves the references into two segments', () => {
    const { layer, rc } = setup();
    const [l, r] = seg(layer, 0, 4 * P).split(P);
    expect([l.startPaddr, l.endPaddr, r.startPaddr, r.endPaddr]).toEqual([0, P, P, 4 * P]);
    expect([0, P, 2 * P, 3 * P].map(rc)).toEqual([1n, 1n, 1n, 1n]);
    r.drop();
    expect(rc(0)).toBe(1n);
  });
  it.each([0, 4 * P, 5 * P, P / 2, -P, Number.NaN])('split(%d) of a 4-frame segment aborts', (offset) => {
    const { layer, rc } = setup();
    const s = seg(layer, 0, 4 * P);
    expect(abortOf(() => s.split(offset))).toBe('assertion_failed');
    expect(rc(0)).toBe(1n);
  });
  it('iterates its frames front to back, handing each reference to the caller', () => {
    const { layer, rc, unused } = setup();
    const s = seg(layer, 2 * P, 6 * P);
    const taken: number[] = [];
    for (const slot of s) {
      taken.push(slot);
      layer.drop(slot);
      if (taken.length === 2) break;
    }
    expect(taken).toEqual([2, 3]);
    expect([2 * P, 3 * P].map(rc)).toEqual([unused, unused]);
    expect(s.startPaddr).toBe(4 * P);
    expect([...s]).toEqual([4, 5]);
    expect(s.size).toBe(0);
  });
});

describe('Segment.slice', () => {
  it('adds a reference to the frames of the sub-range only', () => {
    const { layer, rc } = setup();
    const s = seg(layer, 4 * P, 8 * P);
    const t = s.slice({ start: P, end: 3 * P });
    expect([t.startPaddr, t.endPaddr]).toEqual([5 * P, 7 * P]);
    expect([4, 5, 6, 7].map((i) => rc(i * P))).toEqual([1n, 2n, 2n, 1n]);
    expect(s.slice({ start: 2 * P, end: 2 * P }).size).toBe(0);
  });
  it.each([
    ['misaligned start', { start: 1, end: P }],
    ['misaligned end', { start: 0, end: P + 1 }],
    ['start past end', { start: 2 * P, end: P }],
    ['end past the size', { start: 0, end: 5 * P }],
    ['a huge end (start + end would leave the exact range)', { start: 0, end: 2 ** 52 }],
    ['a huge start and end', { start: 2 ** 52 - P, end: 2 ** 52 }],
    ['a negative start', { start: -P, end: P }],
  ])('aborts on %s before computing any address, changing no count', (_, range) => {
    const { layer, rc } = setup();
    const s = seg(layer, 4 * P, 8 * P);
    expect(abortOf(() => s.slice(range))).toBe('assertion_failed');
    expect([4, 5, 6, 7].map((i) => rc(i * P))).toEqual([1n, 1n, 1n, 1n]);
  });
  it('for any range: aborts with no count changed, or adds one reference exactly inside it', () => {
    const { layer, rc } = setup();
    const s = seg(layer, 8 * P, 16 * P);
    const offset = fc.oneof(
      fc.integer({ min: -2, max: 12 }).map((i) => i * P),
      fc.constantFrom(1, 2 ** 53 - 1, 2 ** 52, Number.MAX_VALUE, Infinity),
    );
    fc.assert(
      fc.property(offset, offset, (start, end) => {
        const before = [...Array(8).keys()].map((i) => rc((8 + i) * P));
        const aborted = abortOf(() => s.slice({ start, end }).drop()) !== undefined;
        const ok = start % P === 0 && end % P === 0 && 0 <= start && start <= end && end <= 8 * P;
        expect(aborted).toBe(!ok);
        expect([...Array(8).keys()].map((i) => rc((8 + i) * P))).toEqual(before);
      }),
    );
  });
});
