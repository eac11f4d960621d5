/**
 * What a proof obligation is: a statement over bit-vectors that Z3 proves for all inputs, tied to the
 * executable TypeScript predicate it claims to prove, so that the two can be cross-checked on samples.
 *
 * The free variables of an encoding are named bit-vector constants (`vars`); a Z3 model is read back
 * as `Values`, one unsigned bigint per variable, and `toInput` turns it into an input of the
 * predicate. `fromInput` goes the other way, so the encoding can be evaluated on a sampled input.
 */
import type { Arbitrary } from 'fast-check';
import type { BitVec, Bool, Context } from 'z3-solver';

/** The Z3 context every encoding is built in. */
export type Z3 = Context<'framecheck'>;
/** A Z3 Boolean term. */
export type ZBool = Bool<'framecheck'>;
/** A Z3 bit-vector term. */
export type ZBv = BitVec<number, 'framecheck'>;

/** The free variables of an encoding: name → bit width. */
export type Vars = Readonly<Record<string, number>>;
/** A value for each free variable (unsigned, below 2^width): a Z3 model, or the image of an input. */
export type Values = Readonly<Record<string, bigint>>;

/**
 * A sub-term of the encoding with the TypeScript value it mirrors (`undefined`: the TypeScript code
 * gives none there, so the sample is not compared). Bit-vector terms are compared modulo 2^width: the
 * encoding has Rust's wrapping words, the TypeScript code exact integers.
 */
export type Term<I> = Readonly<{
  name: string;
  encode: (z: Z3) => ZBool | ZBv;
  value: (input: I) => bigint | boolean | undefined;
}>;

/**
 * One proof obligation. `encode(z)` is the statement, proved when its negation is unsat; `predicate`
 * is the TypeScript statement it claims to prove, evaluated by the cross-check on `inputs`.
 */
export type Obligation<I> = Readonly<{
  /** The obligation's name, also its file name in `proofs/` (`NAME.proof.ts`). */
  name: string;
  /** The vostd lemma it mirrors, where there is one. */
  mirrors?: string;
  /** The statement in words. */
  statement: string;
  vars: Vars;
  encode: (z: Z3) => ZBool;
  predicate: (input: I) => boolean;
  inputs: Arbitrary<I>;
  toInput: (model: Values) => I;
  fromInput: (input: I) => Values;
  /** The encoding's building blocks, cross-checked one by one against the code they mirror. */
  terms?: readonly Term<I>[];
}>;

/**
 * An obligation whose input type is hidden: the prover and the cross-check only ever feed an
 * obligation's own inputs (sampled from `inputs`, or built by `toInput`) to its own functions.
 */
export type AnyObligation = Obligation<unknown>;

/** Hides an obligation's input type (see `AnyObligation`). */
export function erase<I>(o: Obligation<I>): AnyObligation {
  return o as unknown as AnyObligation;
}
