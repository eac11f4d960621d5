/**
 * A small vocabulary for writing encodings over unsigned bit-vectors: constants, variables and the
 * arithmetic idioms the Rust code uses (`align_up`, `min`/`max`, powers of two, half-open ranges).
 * Every comparison is unsigned, as Rust's `usize`/`u64` are.
 */
import type { Z3, ZBool, ZBv } from './Obligation.ts';

/** The toolkit for one context and one word width. */
export type Bv = Readonly<{
  z: Z3;
  width: number;
  /** The numeral `n` (taken modulo 2^width). */
  k: (n: bigint | number) => ZBv;
  /** The free variable `name`. */
  v: (name: string) => ZBv;
  eq: (a: ZBv, b: ZBv | bigint | number) => ZBool;
  ite: (c: ZBool, a: ZBv, b: ZBv) => ZBv;
  umin: (a: ZBv, b: ZBv) => ZBv;
  umax: (a: ZBv, b: ZBv) => ZBv;
  /** `x % m == 0`. */
  multipleOf: (x: ZBv, m: ZBv | bigint | number) => ZBool;
  /** `x % 2^e == 0` for a bit-vector exponent, as a mask (cheaper for the solver than `urem`). */
  alignedPow2: (x: ZBv, e: ZBv) => ZBool;
  /** `2^e` for a bit-vector exponent. */
  pow2: (e: ZBv) => ZBv;
  /** `a` is a positive power of two. */
  isPow2: (a: ZBv) => ZBool;
  /** `x` rounded up to a multiple of the power of two `a` (wraps as the machine word does). */
  alignUp: (x: ZBv, a: ZBv) => ZBv;
  /** `lo <= x < hi`. */
  within: (x: ZBv, lo: ZBv, hi: ZBv) => ZBool;
  /** `a + b` does not wrap. */
  addOk: (a: ZBv, b: ZBv) => ZBool;
  /** `a * b` does not wrap. */
  mulOk: (a: ZBv, b: ZBv) => ZBool;
  /** `a - b` does not wrap (`b <= a`). */
  subOk: (a: ZBv, b: ZBv) => ZBool;
}>;

/** The toolkit for `width`-bit words (64 unless said). */
export function bv(z: Z3, width = 64): Bv {
  const k = (n: bigint | number) => z.BitVec.val(BigInt.asUintN(width, BigInt(n)), width);
  const lift = (x: ZBv | bigint | number) => (typeof x === 'object' ? x : k(x));
  const ite = (c: ZBool, a: ZBv, b: ZBv) => z.If(c, a, b) as ZBv;
  return {
    z,
    width,
    k,
    v: (name) => z.BitVec.const(name, width),
    eq: (a, b) => a.eq(lift(b)),
    ite,
    umin: (a, b) => ite(a.ule(b), a, b),
    umax: (a, b) => ite(a.uge(b), a, b),
    multipleOf: (x, m) => x.urem(lift(m)).eq(k(0)),
    alignedPow2: (x, e) => x.and(k(1).shl(e).sub(k(1))).eq(k(0)),
    pow2: (e) => k(1).shl(e),
    isPow2: (a) => z.And(a.neq(k(0)), a.and(a.sub(k(1))).eq(k(0))),
    alignUp: (x, a) => x.add(a.sub(k(1))).and(a.sub(k(1)).not()),
    within: (x, lo, hi) => z.And(lo.ule(x), x.ult(hi)),
    addOk: (a, b) => a.addNoOverflow(b, false),
    mulOk: (a, b) => a.mulNoOverflow(b, false),
    subOk: (a, b) => b.ule(a),
  };
}
