/**
 * The one contract the engine knows: an operation's named Verus clauses, its ghost transition, its
 * footprint and its panic condition.
 *
 * Clauses are data. Each carries the Verus text it mirrors and a pure predicate over a context object;
 * the contract layer, the explorer and the prover all evaluate the same predicate.
 */
import type { FrameIndex, ModelParams } from './vocab.ts';

/**
 * Where a clause comes from: the seed-era vostd text, vostd HEAD, upstream's documented behaviour, or
 * framecheck's own strengthening (stated by neither vostd nor upstream).
 */
export type ClauseOrigin = 'vostd' | 'vostd-head' | 'upstream' | 'framecheck';

/** The context of a `requires` clause: the ghost state before the call and the arguments. */
export type PreCtx<S, A> = Readonly<{ old: S; args: A; p: ModelParams }>;
/** The context of an `ensures` clause: also the ghost state after the call and the result. */
export type PostCtx<S, A, R> = Readonly<{ old: S; final: S; args: A; result: R; p: ModelParams }>;

/** One named clause. `name` is `<op>.<requires|ensures|inv>.<clause>`; `verus` is the clause text it mirrors. */
export type Clause<C> = Readonly<{
  name: string;
  verus: string;
  holds: (c: C) => boolean;
  /** The values of the clause's sub-expressions, for a violation report (cold path only). */
  explain?: (c: C) => Readonly<Record<string, unknown>>;
  origin?: ClauseOrigin;
}>;

/**
 * A Verus conjunct that cannot fail in the TypeScript representation (e.g. `dom().finite()` of a
 * persistent map): kept with its text and the reason, and listed by `framecheck clauses` as a note, never
 * as a checked clause.
 */
export type ClauseNote = Readonly<{ name: string; verus: string; why: string; origin: ClauseOrigin }>;

/** What the sequential spec says one call does: a successor and a result, or an abort. */
export type Outcome<S, R> = Readonly<{ kind: 'return'; final: S; result: R }> | Readonly<{ kind: 'panic' }>;

/**
 * The spec of one operation.
 *
 * `mayPanic` mirrors Verus `P ==> may_panic()`: an abort is allowed only when `P` holds, and `P` does not
 * force one (it is evaluated on an abort). Where upstream aborts exactly when `P` holds, the op also lists
 * an `upstream` ensures clause `aborts_exactly` (`returned ==> !P`, see `abortsExactly`).
 * `next` is the ghost transition used by model runs; a law test checks that its outcome satisfies
 * every `ensures` clause.
 */
export type OpSpec<S, A, R> = Readonly<{
  name: string;
  /** The Rust item it mirrors, e.g. `MetaSlot::get_from_unused`. */
  rust: string;
  /** The source file of the Rust item, relative to the vostd repository. */
  source: string;
  requires: readonly Clause<PreCtx<S, A>>[];
  ensures: readonly Clause<PostCtx<S, A, R>>[];
  mayPanic: Clause<PreCtx<S, A>>;
  next: (c: PreCtx<S, A>) => Outcome<S, R>;
  /**
   * Outcomes the spec allows besides `next`'s (nondeterminism the sequential model does not choose,
   * e.g. a weak CAS failing spuriously): the refinement check accepts a call for which this holds.
   */
  alsoAllows?: (c: PostCtx<S, A, R>) => boolean;
  footprint: (args: A) => readonly FrameIndex[];
}>;

/** An invariant conjunct over a value of type T, named after the Verus `inv`/`wf` it mirrors. */
export type Invariant<T> = Clause<Readonly<{ value: T; p: ModelParams }>>;

/** Every clause of a spec, in declaration order. */
export function clausesOf<S, A, R>(spec: OpSpec<S, A, R>): readonly Clause<never>[] {
  return [...spec.requires, spec.mayPanic, ...spec.ensures] as readonly Clause<never>[];
}
