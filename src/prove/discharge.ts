/**
 * Discharging an obligation: Z3 searches for an assignment of the free variables that falsifies the
 * statement. None (unsat) is a proof for all inputs; one (sat) is a counterexample, read back as
 * values and turned into a TypeScript input; anything else (a timeout, resource limits) is unknown.
 */
import type { Model } from 'z3-solver';
import type { AnyObligation, Values, Vars, Z3, ZBool } from './Obligation.ts';

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

/**
 * The statement as a list of goals whose conjunction it is: `A ∧ B`, `H ⟹ (A ∧ B)` and `A ⟺ B`
 * (Boolean equality) are split, as each part is valid exactly when the whole is. Small goals keep
 * the solver's search small, and a failed one names a smaller counterexample.
 */
export function goals(z: Z3, e: ZBool): ZBool[] {
  const parts = (xs: readonly unknown[]) => xs.filter((x): x is ZBool => z.isBool(x));
  if (z.isAnd(e)) return parts(e.children()).flatMap((c) => goals(z, c));
  if (z.isImplies(e)) {
    const [h, c] = parts(e.children());
    if (h !== undefined && c !== undefined && (z.isAnd(c) || z.isImplies(c) || isIff(z, c)))
      return goals(z, c).map((g) => z.Implies(h, g));
  }
  if (isIff(z, e)) {
    const [a, b] = parts(e.children());
    if (a !== undefined && b !== undefined) return [...goals(z, z.Implies(a, b)), ...goals(z, z.Implies(b, a))];
  }
  return [e];
}

function isIff(z: Z3, e: ZBool): boolean {
  return z.isEq(e) && e.children().every((c) => z.isBool(c));
}

/**
 * Asks Z3 whether `o.encode` holds for all values of its variables; all its goals share the budget
 * `timeoutMs`, and running out of it is `unknown`, never `proved`.
 */
export async function discharge(z: Z3, o: AnyObligation, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Verdict> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  for (const goal of goals(z, o.encode(z))) {
    const left = Math.floor(timeoutMs - (performance.now() - t0));
    if (left <= 0) return { status: 'unknown', seconds: seconds(), reason: 'timeout' };
    const solver = new z.Solver();
    solver.set('timeout', left);
    solver.add(z.Not(goal));
    const answer = await solver.check();
    if (answer === 'unknown') return { status: 'unknown', seconds: seconds(), reason: solver.reasonUnknown() };
    if (answer === 'sat') {
      const counterexample = readModel(z, solver.model(), o.vars);
      // A model that is no input of the obligation (seen once under heavy load, with values outside
      // its own bounds, on which its predicate threw) says nothing: unknown. (Evaluating the negated
      // goal in the model instead made Z3's rewriter exhaust its 2 GiB of WASM memory on some goals.)
      let input: unknown;
      let predicateHolds: boolean;
      try {
        input = o.toInput(counterexample);
        predicateHolds = o.predicate(input);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return {
          status: 'unknown',
          seconds: seconds(),
          reason: `the solver's model is no input of the obligation (${why})`,
        };
      }
      return { status: 'failed', seconds: seconds(), counterexample, input, predicateHolds };
    }
  }
  return { status: 'proved', seconds: seconds() };
}
