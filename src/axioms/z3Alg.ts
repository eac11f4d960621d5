/**
 * The trusted-base algebra over Z3 terms: 64-bit words, SMT-LIB's unsigned operations, and
 * `is_mmio_paddr` as an uninterpreted function — the encoding of every axiom in `spec/axioms/`.
 */
import type { Alg, Slot } from '../../spec/axioms/Alg.ts';
import { REF_COUNT_MAX, REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../../spec/vocab.ts';
import type { Z3, ZBool, ZBv } from '../prove/Obligation.ts';

/** The algebra for one context, with vostd's constants. */
export function z3Alg(z: Z3): Alg<ZBool, ZBv> {
  const k = (n: bigint) => z.BitVec.val(BigInt.asUintN(64, n), 64);
  const isMmio = z.Function.declare('is_mmio_paddr', z.BitVec.sort(64), z.Bool.sort());
  return {
    t: z.Bool.val(true),
    f: z.Bool.val(false),
    and: (...xs) => (xs.length === 0 ? z.Bool.val(true) : z.And(...xs)),
    or: (...xs) => (xs.length === 0 ? z.Bool.val(false) : z.Or(...xs)),
    not: (x) => z.Not(x),
    imp: (p, q) => z.Implies(p, q),
    iff: (p, q) => z.Eq(p, q),
    ite: (c, x, y) => z.If(c, x, y) as ZBv,
    eq: (x, y) => x.eq(y),
    lt: (x, y) => x.ult(y),
    le: (x, y) => x.ule(y),
    k,
    add: (x, y) => x.add(y),
    sub: (x, y) => x.sub(y),
    mod: (x, y) => x.urem(y),
    div: (x, y) => x.udiv(y),
    mul: (x, y) => x.mul(y),
    addOk: (x, y) => x.addNoOverflow(y, false),
    isMmio: (pa) => isMmio.call(pa as never) as ZBool,
    unused: k(REF_COUNT_UNUSED),
    unique: k(REF_COUNT_UNIQUE),
    max: k(REF_COUNT_MAX),
  };
}

/** A slot owner of fresh constants named `prefix.field`, and its variables (for quantifiers). */
export function slotVars(z: Z3, prefix: string): Readonly<{ slot: Slot<ZBool, ZBv>; vars: (ZBool | ZBv)[] }> {
  const w = (n: string) => z.BitVec.const(`${prefix}.${n}`, 64);
  const b = (n: string) => z.Bool.const(`${prefix}.${n}`);
  const slot = {
    rc: w('ref_count'),
    storageInit: b('storage_init'),
    vtableInit: b('vtable_init'),
    inList: w('in_list'),
    usage: w('usage'),
    paths: w('paths_in_pt_len'),
    vaddr: w('slot_vaddr'),
  };
  return { slot, vars: Object.values(slot) };
}

/** The datatype's definition on a slot: `usage` is one of `PageUsage`'s 7 variants. */
export function slotDatatype(z: Z3, s: Slot<ZBool, ZBv>): ZBool {
  return s.usage.ult(z.BitVec.val(7n, 64));
}
