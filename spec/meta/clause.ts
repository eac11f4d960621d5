/**
 * Small constructors that name clauses uniformly: `<op>.<requires|ensures|may_panic>.<name>`.
 */
import type { Clause, ClauseOrigin } from '../Op.ts';
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
