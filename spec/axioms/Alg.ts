/**
 * A small algebra the trusted-base axioms are written in once, and read twice: over booleans and
 * bigints (`TS_ALG`, evaluated on the real implementation's states) and over Z3 terms
 * (`src/axioms/z3Alg.ts`, checked for consistency). One definition per axiom keeps the executable
 * predicate and the SMT encoding from drifting apart.
 *
 * Words are unsigned 64-bit; `add` is only used where the axiom's own guard rules out a wrap.
 */
import type { PageUsage } from '../meta/MetaSlotOwner.ts';

/** The operations an axiom may use: `B` the truth values, `N` the words. */
export type Alg<B, N> = Readonly<{
  t: B;
  f: B;
  and: (...xs: B[]) => B;
  or: (...xs: B[]) => B;
  not: (x: B) => B;
  imp: (a: B, b: B) => B;
  iff: (a: B, b: B) => B;
  /** `if c then x else y` on words. */
  ite: (c: B, x: N, y: N) => N;
  eq: (a: N, b: N) => B;
  lt: (a: N, b: N) => B;
  le: (a: N, b: N) => B;
  k: (n: bigint) => N;
  add: (a: N, b: N) => N;
  sub: (a: N, b: N) => N;
  mod: (a: N, b: N) => N;
  /** Unsigned division (`x / 0` is all ones, as SMT-LIB's `bvudiv`; the axioms never divide by a variable). */
  div: (a: N, b: N) => N;
  mul: (a: N, b: N) => N;
  /** `a + b` fits in 64 bits. */
  addOk: (a: N, b: N) => B;
  /** The uninterpreted `is_mmio_paddr` (the model's interpretation on real states). */
  isMmio: (pa: N) => B;
  /** `REF_COUNT_UNUSED`, `REF_COUNT_UNIQUE`, `REF_COUNT_MAX` of the instance. */
  unused: N;
  unique: N;
  max: N;
}>;

/** A slot owner in the algebra: `usage` is the index of its `PageUsage` variant, `paths` the size of `paths_in_pt`. */
export type Slot<B, N> = Readonly<{
  rc: N;
  storageInit: B;
  vtableInit: B;
  inList: N;
  usage: N;
  paths: N;
  vaddr: N;
}>;

/** `PageUsage`'s variants in declaration order (`usage` is the index). */
export const PAGE_USAGES: readonly PageUsage[] = ['Unused', 'Reserved', 'Frame', 'PageTable', 'Meta', 'Kernel', 'MMIO'];

/** The tag of a usage variant. */
export function usageTag<B, N>(a: Alg<B, N>, u: PageUsage): N {
  return a.k(BigInt(PAGE_USAGES.indexOf(u)));
}

/** The same slot owner with its fields compared one by one (`==` on `MetaSlotOwner`). */
export function slotEq<B, N>(a: Alg<B, N>, x: Slot<B, N>, y: Slot<B, N>): B {
  return a.and(
    a.eq(x.rc, y.rc),
    a.iff(x.storageInit, y.storageInit),
    a.iff(x.vtableInit, y.vtableInit),
    a.eq(x.inList, y.inList),
    a.eq(x.usage, y.usage),
    a.eq(x.paths, y.paths),
    a.eq(x.vaddr, y.vaddr),
  );
}

/** `if c then x else y` field by field (a witness's final state built from the old one). */
export function slotIte<B, N>(a: Alg<B, N>, c: B, x: Slot<B, N>, y: Slot<B, N>): Slot<B, N> {
  const b = (p: B, q: B) => a.or(a.and(c, p), a.and(a.not(c), q));
  return {
    rc: a.ite(c, x.rc, y.rc),
    storageInit: b(x.storageInit, y.storageInit),
    vtableInit: b(x.vtableInit, y.vtableInit),
    inList: a.ite(c, x.inList, y.inList),
    usage: a.ite(c, x.usage, y.usage),
    paths: a.ite(c, x.paths, y.paths),
    vaddr: a.ite(c, x.vaddr, y.vaddr),
  };
}

/** The evaluation algebra: booleans and exact bigints reduced modulo 2^64. */
export function tsAlg(
  c: Readonly<{ unused: bigint; unique: bigint; max: bigint }>,
  isMmio: (pa: bigint) => boolean,
): Alg<boolean, bigint> {
  const W = 1n << 64n;
  return {
    t: true,
    f: false,
    and: (...xs) => xs.every((x) => x),
    or: (...xs) => xs.some((x) => x),
    not: (x) => !x,
    imp: (p, q) => !p || q,
    iff: (p, q) => p === q,
    ite: (c, x, y) => (c ? x : y),
    eq: (x, y) => x === y,
    lt: (x, y) => x < y,
    le: (x, y) => x <= y,
    k: (n) => BigInt.asUintN(64, n),
    add: (x, y) => (x + y) % W,
    sub: (x, y) => (((x - y) % W) + W) % W,
    mod: (x, y) => (y === 0n ? x : x % y),
    div: (x, y) => (y === 0n ? W - 1n : x / y),
    mul: (x, y) => (x * y) % W,
    addOk: (x, y) => x + y < W,
    isMmio,
    ...c,
  };
}
