/**
 * Discharging an obligation: Z3 searches for an assignment of the free variables that falsifies the
 * statement. None (unsat) is a proof for all inputs; one (sat) is a counterexample, read back as
 * values and turned into a TypeScript input; anything else (a timeout, resource limits) is unknown.
 */
import type { Model } from 'z3-solver';
import type { AnyObligation, Values, Vars, Z3 } from './Obligation.ts';

/** The solver's verdict on one obligation, with its wall-clock time. */
export type Verdict =
  | Readonly<{ status: 'proved'; seconds: number }>
  | Readonly<{ status: 'failed'; seconds: number; counterexample: Values; input: unknown; predicateHolds: boolean }>
  | Readonly<{ status: 'unknown'; seconds: number; reason: string }>;

/** The default per-obligation time budget given to Z3. */
export const DEFAULT_TIMEOUT_MS = 20_000;

/** The value of every free variable in `model` (variables the model leaves free read as 0). */
export function readModel(z: Z3, model: Model<'framecheck'>, vars: Vars): Values {
  const out: Record<string, bigint> = {};
  for (const [name, width] of Object.entries(vars)) {
    const v = model.eval(z.BitVec.const(name, width), true);
    // model completion makes every bit-vector constant a numeral
    out[name] = z.isBitVecVal(v) ? v.value() : 0n;
  }
  return out;
}

/** Asks Z3 whether `o.encode` holds for all values of its variables, within `timeoutMs`. */
export async function discharge(z: Z3, o: AnyObligation, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Verdict> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const solver = new z.Solver();
  solver.set('timeout', timeoutMs);
  solver.add(z.Not(o.encode(z)));
  const answer = await solver.check();
  if (answer === 'unsat') return { status: 'proved', seconds: seconds() };
  if (answer === 'unknown') return { status: 'unknown', seconds: seconds(), reason: solver.reasonUnknown() };
  const counterexample = readModel(z, solver.model(), o.vars);
  const input = o.toInput(counterexample);
  return { status: 'failed', seconds: seconds(), counterexample, input, predicateHolds: o.predicate(input) };
}
