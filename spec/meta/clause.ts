/**
 * Small constructors that name clauses uniformly: `<op>.<requires|ensures|may_panic>.<name>`.
 */
import type { Clause, ClauseNote, ClauseOrigin, OpSpec, PreCtx } from '../Op.ts';
import { frameToIndex, hasSafeSlot } from './mapping.ts';

type Explain<C> = (c: C) => Readonly<Record<string, unknown>>;

/** Returns a constructor of clauses of `op` of one kind. */
export function clauseMaker<C>(op: string, kind: 'requires' | 'ensures' | 'may_panic' | 'returns') {
  return (
    name: string,
    verus: string,
    holds: (c: C) => boolean,
    explain?: Explain<C>,
    origin?: ClauseOrigin,
  ): Clause<C> =>
    Object.freeze({
      name: `${op}.${kind}.${name}`,
      verus,
      holds,
      ...(explain !== undefined && { explain }),
      ...(origin !== undefined && { origin }),
    });
}

/** The frame index of a clause context's `paddr` argument. */
export function paddrIndex(c: Readonly<{ args: Readonly<{ paddr: number }> }>): number {
  return frameToIndex(c.args.paddr);
}

/** The index the call can touch: `paddr`'s slot when it has one (`has_safe_slot`), else none. */
export function safeIndices(
  c: Readonly<{ args: Readonly<{ paddr: number }>; p: Readonly<{ maxPaddr: number }> }>,
): number[] {
  return hasSafeSlot(c.args.paddr, c.p.maxPaddr) ? [paddrIndex(c)] : [];
}

/** `a ==> b`. */
export function implies(a: boolean, b: () => boolean): boolean {
  return !a || b();
}

/** A Verus conjunct kept as a note: it cannot fail in the TypeScript representation, for the reason `why`. */
export function note(name: string, verus: string, why: string, origin: ClauseOrigin = 'vostd'): ClauseNote {
  return Object.freeze({ name, verus, why, origin });
}

/**
 * Upstream's reading of a `may_panic` clause, as an ensures clause of origin `upstream`: the call returns
 * only when `P` is false, i.e. it aborts exactly when `P` holds (Verus's `P ==> may_panic()` only permits
 * the abort). Evaluated on a return, on the state the call's linearizing atomics observed.
 */
export function abortsExactly<C extends PreCtx<unknown, unknown>>(mayPanic: Clause<C>): Clause<C> {
  const [op] = mayPanic.name.split('.may_panic.');
  return Object.freeze({
    name: `${op}.ensures.aborts_exactly`,
    verus: `(upstream) the call aborts whenever ${mayPanic.verus.replace(/ ==> may_panic\(\)/g, '')}: a return means it was false`,
    holds: (c: C) => !mayPanic.holds(c),
    origin: 'upstream' as const,
  });
}

/** `spec` with `abortsExactly(spec.mayPanic)` appended to its ensures: upstream aborts exactly when the clause's `P` holds. */
export function withAbortsExactly<S, A, R>(spec: OpSpec<S, A, R>): OpSpec<S, A, R> {
  return Object.freeze({ ...spec, ensures: [...spec.ensures, abortsExactly(spec.mayPanic)] });
}
