import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BuddyAllocator } from './BuddyAllocator.ts';
import { PAGE_SIZE as P } from './vocab.ts';

/** The model: which frames (indices from the base) are added and free, and what the test holds. */
type Model = { added: Set<number>; free: Set<number>; held: { i: number; count: number }[] };
type Real = { a: BuddyAllocator };
type Cmd = fc.Command<Model, Real>;

const N = 64;
const BASE_FRAME = 5;
const BASE = BASE_FRAME * P;

const frames = (i: number, count: number): number[] => Array.from({ length: count }, (_, j) => i + j);

/** Whether some block of 2^order frames, aligned on absolute frame numbers, is wholly free. */
function hasFreeBlock(m: Model, order: number, maxOrder: number): boolean {
  if (order > maxOrder) return false;
  const size = 2 ** order;
  for (let i = (size - (BASE_FRAME % size)) % size; i + size <= N; i += size) {
    if (frames(i, size).every((f) => m.free.has(f))) return true;
  }
  return false;
}

function freeSetOf(a: BuddyAllocator): Set<number> {
  return new Set(a.freeBlocks().flatMap((b) => frames((b.addr - BASE) / P, 2 ** b.order)));
}

function expectAgrees(m: Model, r: Real): void {
  expect(r.a.usage()).toEqual({ total: m.added.size, used: m.added.size - m.free.size, free: m.free.size });
  expect([...freeSetOf(r.a)].sort((x, y) => x - y)).toEqual([...m.free].sort((x, y) => x - y));
}

class Alloc implements Cmd {
  readonly count: number;
  readonly align: number;
  constructor(count: number, align: number) {
    this.count = count;
    this.align = align;
  }
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const keep = Math.ceil(Math.log2(this.count));
    const need = Math.max(keep, Math.log2(this.align));
    const p = r.a.alloc({ size: this.count * P, align: this.align * P });
    if (p === undefined) {
      expect(hasFreeBlock(m, need, r.a.maxOrder)).toBe(false);
      return;
    }
    expect(p % (2 ** need * P)).toBe(0);
    const i = (p - BASE) / P;
    for (const f of frames(i, 2 ** keep)) expect(m.free.delete(f)).toBe(true);
    m.held.push({ i, count: 2 ** keep });
    expectAgrees(m, r);
  }
  toString = (): string => `alloc(${this.count}, align ${this.align})`;
}

class Free implements Cmd {
  readonly pick: number;
  readonly piecewise: boolean;
  constructor(pick: number, piecewise: boolean) {
    this.pick = pick;
    this.piecewise = piecewise;
  }
  check = (m: Readonly<Model>): boolean => m.held.length > 0;
  run(m: Model, r: Real): void {
    const [h] = m.held.splice(this.pick % m.held.length, 1);
    if (h === undefined) return;
    const pieces = this.piecewise
      ? frames(h.i, h.count)
          .reverse()
          .map((i) => ({ i, count: 1 }))
      : [h];
    for (const p of pieces) expect(r.a.dealloc(BASE + p.i * P, p.count * P)).toEqual({ ok: true });
    for (const f of frames(h.i, h.count)) m.free.add(f);
    expectAgrees(m, r);
  }
  toString = (): string => `free(#${this.pick}${this.piecewise ? ', piecewise' : ''})`;
}

class DoubleFree implements Cmd {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check = (m: Readonly<Model>): boolean => m.free.size > 0;
  run(m: Model, r: Real): void {
    const f = [...m.free][this.pick % m.free.size] ?? 0;
    expect(r.a.dealloc(BASE + f * P, P)).toEqual({ ok: false, error: 'DoubleFree' });
    expectAgrees(m, r);
  }
  toString = (): string => `doubleFree(#${this.pick})`;
}

class Add implements Cmd {
  readonly start: number;
  readonly count: number;
  constructor(start: number, count: number) {
    this.start = start;
    this.count = Math.min(count, N - start);
  }
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const range = frames(this.start, this.count);
    const result = r.a.addFreeMemory(BASE + this.start * P, this.count * P);
    if (range.some((f) => m.free.has(f))) expect(result).toEqual({ ok: false, error: 'OverlapsFree' });
    else if (range.some((f) => m.added.has(f))) expect(result).toEqual({ ok: false, error: 'AlreadyAdded' });
    else {
      expect(result).toEqual({ ok: true });
      for (const f of range) m.added.add(f) && m.free.add(f);
    }
    expectAgrees(m, r);
  }
  toString = (): string => `add(${this.start}, ${this.count})`;
}

const commands = fc.commands(
  [
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom(1, 1, 2, 8)).map(([c, a]) => new Alloc(c, a)),
    fc.tuple(fc.nat(), fc.boolean()).map(([p, w]) => new Free(p, w)),
    fc.nat().map((p) => new DoubleFree(p)),
    fc.tuple(fc.nat(N - 1), fc.integer({ min: 1, max: 12 })).map(([s, c]) => new Add(s, c)),
  ],
  { maxCommands: 80, size: 'large' },
);

describe('BuddyAllocator against a set-of-free-frames model', () => {
  it('hands out disjoint, aligned, managed blocks and restores everything when all is freed', () => {
    fc.assert(
      fc.property(fc.constantFrom(3, 20), commands, (maxOrder, cmds) => {
        const a = BuddyAllocator.create({ basePaddr: BASE, nframes: N, maxOrder });
        expect(a.addFreeMemory(BASE + 8 * P, 40 * P)).toEqual({ ok: true });
        const m: Model = { added: new Set(frames(8, 40)), free: new Set(frames(8, 40)), held: [] };
        fc.modelRun(() => ({ model: m, real: { a } }), cmds);
        for (const h of m.held) expect(a.dealloc(BASE + h.i * P, h.count * P)).toEqual({ ok: true });
        expect(a.usage()).toEqual({ total: m.added.size, used: 0, free: m.added.size });
        expect(a.audit()).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
