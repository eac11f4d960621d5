/**
 * Small constructors that name clauses uniformly: `<op>.<requires|ensures|may_panic>.<name>`.
 */
import type { Clause, ClauseOrigin } from '../Op.ts';

type Explain<C> = (c: C) => Readonly<Record<string, unknown>>;

/** Returns a constructor of clauses of `op` of one kind. */
export function clauseMaker<C>(op: string, kind: 'requires' | 'ensures' | 'may_panic' | 'returns') {
  return (name: string, verus: string, holds: (c: C) => boolean, explain?: Explain<C>, origin?: ClauseOrigin): Clause<C> =>
    Object.freeze({
      name: `${op}.${kind}.${name}`,
      verus,
      holds,
      ...(explain !== undefined && { explain }),
      ...(origin !== undefined && { origin }),
    });
}

/** `a ==> b`. */
export function implies(a: boolean, b: () => boolean): boolean {
  return !a || b();
}
