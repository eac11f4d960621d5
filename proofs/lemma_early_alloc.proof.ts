/**
 * `EarlyFrameAllocator::alloc` on a region wholly below or wholly above 4 GiB, after any earlier
 * allocations (`used` bytes bumped): a result is aligned to `max(align, PAGE_SIZE)`, lies inside the
 * region at or past everything allocated before (so it is disjoint from every earlier result), and
 * its end neither overflows nor passes the region's end. The tail advances exactly past the result.
 * The one exception is upstream's too: a zero-size request the region cannot place is answered by
 * the empty other region, with address 0.
 *
 * @see OSTD `EarlyFrameAllocator::alloc` (ostd/src/mm/frame/allocator.rs)
 */
import fc from 'fast-check';
import { bv, type Bv } from '../src/prove/bv.ts';
import type { Obligation, Values, Z3, ZBool, ZBv } from '../src/prove/Obligation.ts';
import { EarlyFrameAllocator, PADDR_4G } from '../impl/alloc/EarlyFrameAllocator.ts';
import { alignUp, isIndex, isPageAligned, PAGE_SIZE } from '../impl/alloc/vocab.ts';
import { num, SAFE } from './lib/inputs.ts';

type Input = Readonly<{ base: number; end: number; used: number; size: number; align: number }>;

const VARS = { base: 64, end: 64, used: 64, size: 64, align: 64 } as const;

type Tail = Readonly<{ start: ZBv; end: ZBv; next: ZBv }>;
type Alloc = Readonly<{ b: Bv; hyp: ZBool; next: ZBv; sz: ZBv; al: ZBv; defined: ZBool; r: ZBv; byRegion: ZBool }>;

/** `bump(tail, size, align)`: the aligned start, and whether the request fits. */
function bump(b: Bv, t: Tail, sz: ZBv, al: ZBv): Readonly<{ start: ZBv; fits: ZBool }> {
  const start = b.alignUp(t.next, al);
  const end = start.add(sz);
  return { start, fits: b.z.And(start.ule(b.k(SAFE)), end.ule(b.k(SAFE)), end.ule(t.end)) };
}

/** The allocator after `used` bytes, and its answer to `{ size, align }`. */
function allocBv(z: Z3): Alloc {
  const b = bv(z);
  const [base, end, used, size, align] = (['base', 'end', 'used', 'size', 'align'] as const).map((n) => b.v(n)) as [
    ZBv,
    ZBv,
    ZBv,
    ZBv,
    ZBv,
  ];
  const safe = b.k(SAFE);
  const page = (x: ZBv) => b.multipleOf(x, PAGE_SIZE);
  const four = b.k(PADDR_4G);
  const hyp = z.And(
    ...[base, end, used, size, align].map((x) => x.ule(safe)),
    page(base),
    page(end),
    page(used),
    base.ult(end),
    z.Or(end.ule(four), base.uge(four)),
    base.add(used).ule(end),
  );
  const next = base.add(used);
  const high = base.uge(four);
  const region = { start: base, end, next };
  const empty = { start: b.k(0), end: b.k(0), next: b.k(0) };
  const pick = (c: ZBool, x: Tail, y: Tail): Tail => ({
    start: b.ite(c, x.start, y.start),
    end: b.ite(c, x.end, y.end),
    next: b.ite(c, x.next, y.next),
  });
  const sz = b.alignUp(size, b.k(PAGE_SIZE));
  const al = b.umax(align, b.k(PAGE_SIZE));
  const first = bump(b, pick(high, empty, region), sz, al);
  const second = bump(b, pick(high, region, empty), sz, al);
  const defined = z.And(b.isPow2(align), sz.ule(safe), z.Or(first.fits, second.fits));
  const byRegion = z.If(high, z.And(z.Not(first.fits), second.fits), first.fits);
  return { b, hyp, next, sz, al, defined, r: b.ite(first.fits, first.start, second.start), byRegion };
}

function encode(z: Z3): ZBool {
  const { b, hyp, next, sz, al, defined, r, byRegion } = allocBv(z);
  const inRegion = z.And(b.v('base').ule(next), next.ule(r), b.addOk(r, sz), r.add(sz).ule(b.v('end')));
  const emptyAnswer = z.And(sz.eq(b.k(0)), r.eq(b.k(0)));
  return z.Implies(z.And(hyp, defined), z.And(b.multipleOf(r, al), z.If(byRegion, inRegion, emptyAnswer)));
}

/** The real allocator: built on the region, `used` bytes bumped, then asked for `{ size, align }`. */
function run(i: Input) {
  const a = new EarlyFrameAllocator([{ base: i.base, end: i.end }]);
  const prior = a.alloc({ size: i.used, align: PAGE_SIZE });
  const before = a.allocatedRegions();
  const r = a.alloc({ size: i.size, align: i.align });
  return { prior, before, r, after: a.allocatedRegions(), regions: a.regions() };
}

function hypothesis(i: Input): boolean {
  const pageOk = [i.base, i.end, i.used].every(isPageAligned) && isIndex(i.size) && isIndex(i.align);
  return pageOk && i.base < i.end && (i.end <= PADDR_4G || i.base >= PADDR_4G) && i.base + i.used <= i.end;
}

function predicate(i: Input): boolean {
  if (!hypothesis(i)) return true;
  const { prior, before, r, after, regions } = run(i);
  if (r === undefined) return true;
  const sz = alignUp(i.size, PAGE_SIZE) ?? NaN;
  const tail = regions.findIndex(
    (g, k) => before[k]!.end <= r && r + sz <= g.end && after[k]!.end === r + sz && g.start <= before[k]!.end,
  );
  const disjoint = prior === undefined || i.used === 0 || sz === 0 || r >= prior + i.used || r + sz <= prior;
  return r % Math.max(i.align, PAGE_SIZE) === 0 && Number.isSafeInteger(r + sz) && tail >= 0 && disjoint;
}

const pages = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => n * PAGE_SIZE);

/** A region below or above 4 GiB, part of it used, and a request of any size and alignment. */
const inputs: fc.Arbitrary<Input> = fc
  .record({ base: fc.oneof(pages(0, 2 ** 20 - 64), pages(2 ** 20, 2 ** 30)), n: fc.integer({ min: 1, max: 64 }) })
  .chain(({ base, n }) =>
    fc.record({
      base: fc.constant(base),
      end: fc.constant(base + n * PAGE_SIZE),
      used: fc.oneof({ weight: 3, arbitrary: pages(0, Math.floor(n / 2)) }, { weight: 1, arbitrary: pages(0, n) }),
      size: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 * PAGE_SIZE }) },
        { weight: 4, arbitrary: pages(0, n) },
        { weight: 1, arbitrary: fc.maxSafeNat() },
      ),
      align: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 0, max: 15 }).map((k) => 2 ** k) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 52 }).map((k) => 2 ** k) },
        { weight: 1, arbitrary: fc.constantFrom(0, 3, 6144) },
      ),
    }),
  );

const opt = (x: number | undefined) => (x === undefined ? undefined : BigInt(x));

/** The obligation. */
export const obligation: Obligation<Input> = {
  name: 'lemma_early_alloc',
  statement:
    'for every page-aligned region below or above 4 GiB (< 2^53), every used prefix and every request: a result r is a multiple of max(align, PAGE_SIZE); from the region, next <= r and r + size (rounded up, no overflow) <= region end, so it is disjoint from all earlier results; otherwise size == 0 and r == 0',
  vars: VARS,
  encode,
  predicate,
  inputs,
  toInput: (m: Values) => ({
    base: num(m['base']),
    end: num(m['end']),
    used: num(m['used']),
    size: num(m['size']),
    align: num(m['align']),
  }),
  fromInput: (i) => ({
    base: BigInt(i.base),
    end: BigInt(i.end),
    used: BigInt(i.used),
    size: BigInt(i.size),
    align: BigInt(i.align),
  }),
  terms: [
    {
      name: 'alloc is Some',
      encode: (z) => allocBv(z).defined,
      value: (i) => (hypothesis(i) ? run(i).r !== undefined : undefined),
    },
    { name: 'alloc result', encode: (z) => allocBv(z).r, value: (i) => (hypothesis(i) ? opt(run(i).r) : undefined) },
  ],
};
