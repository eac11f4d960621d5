/**
 * Evaluating an encoding on concrete values: every free variable is replaced by its value and Z3
 * simplifies the ground term to a literal. This is how the cross-check asks "what does the SMT
 * statement say about this very input?" without a second evaluator that could drift on its own.
 */
import type { Expr } from 'z3-solver';
import type { Values, Vars, Z3, ZBool, ZBv } from './Obligation.ts';

/** Why a term did not simplify to a literal: a free variable the obligation does not declare. */
export class NotGroundError extends Error {
  override readonly name = 'NotGroundError';
}

/** `e` with every variable of `vars` replaced by its value in `values`. */
function ground(z: Z3, e: ZBool | ZBv, vars: Vars, values: Values): Expr<'framecheck'> {
  const pairs = Object.entries(vars).map(([name, width]): [ZBv, ZBv] => {
    const v = values[name];
    if (v === undefined) throw new NotGroundError(`no value for variable '${name}'`);
    return [z.BitVec.const(name, width), z.BitVec.val(BigInt.asUintN(width, v), width)];
  });
  return pairs.length === 0 ? e : z.substitute(e, ...pairs);
}

/** The value of a Boolean or bit-vector term at `values`. */
export async function evaluate(z: Z3, e: ZBool | ZBv, vars: Vars, values: Values): Promise<boolean | bigint> {
  const r = await z.simplify(ground(z, e, vars, values));
  if (z.isTrue(r)) return true;
  if (z.isFalse(r)) return false;
  if (z.isBitVecVal(r)) return r.value();
  throw new NotGroundError(`the term did not simplify to a literal: ${r.sexpr().slice(0, 200)}`);
}

/**
 * The values of several terms at `values`, in one call to Z3: the terms are packed into one
 * bit-vector (a Boolean as one bit), simplified once, and unpacked.
 */
export async function evaluateAll(
  z: Z3,
  terms: readonly (ZBool | ZBv)[],
  vars: Vars,
  values: Values,
): Promise<(boolean | bigint)[]> {
  const packed = terms.map((t) =>
    z.isBool(t) ? (z.If(t, z.BitVec.val(1n, 1), z.BitVec.val(0n, 1)) as ZBv) : (t as ZBv),
  );
  const widths = packed.map((t) => t.size());
  const all = packed.length === 1 ? packed[0]! : z.Concat(...packed);
  const word = await evaluate(z, all, vars, values);
  if (typeof word !== 'bigint') throw new NotGroundError('a packed bit-vector simplified to a Boolean');
  let rest = word;
  const out: (boolean | bigint)[] = [];
  for (let k = terms.length - 1; k >= 0; k--) {
    const w = BigInt(widths[k]!);
    const v = rest & ((1n << w) - 1n);
    rest >>= w;
    out.unshift(z.isBool(terms[k]) ? v === 1n : v);
  }
  return out;
}

/** Whether a TypeScript value agrees with the value of a term of width `width` (bit-vectors modulo 2^width). */
export function agrees(smt: boolean | bigint, ts: boolean | bigint, width: number): boolean {
  if (typeof smt === 'boolean' || typeof ts === 'boolean') return smt === ts;
  return smt === BigInt.asUintN(width, ts);
}
