/**
 * Builds a vostd HEAD op spec from a seed one whose predicates still mean the same thing: HEAD renamed
 * the fields and spec functions the clause texts speak of, so only the texts change, clause by clause.
 */
import type { Clause, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { abortsExactly } from '../meta/clause.ts';

const isAbortsExactly = (c: Readonly<{ name: string }>): boolean => c.name.endsWith('.ensures.aborts_exactly');

/** What HEAD changed in one op: new texts by clause name, clauses it dropped, clauses it added. */
export type Rewording<S, A, R> = Readonly<{
  /** Full clause name → HEAD's text. Every clause kept must be listed: HEAD's text is never assumed. */
  texts: Readonly<Record<string, string>>;
  drop?: readonly string[];
  addRequires?: readonly Clause<PreCtx<S, A>>[];
  addEnsures?: readonly Clause<PostCtx<S, A, R>>[];
  next?: OpSpec<S, A, R>['next'];
}>;

/**
 * Seed clauses a rewording has no HEAD text for, and HEAD texts naming no seed clause: each means the
 * seed spec moved under a HEAD table (a test asserts this list is empty). Such a seed clause is left
 * out of the HEAD op rather than given the seed's text.
 */
export const REWORD_PROBLEMS: string[] = [];

function retext<C>(c: Clause<C>, texts: Readonly<Record<string, string>>, used: Set<string>): Clause<C> | undefined {
  const verus = texts[c.name];
  if (verus === undefined) {
    REWORD_PROBLEMS.push(`no HEAD text for seed clause ${c.name}`);
    return undefined;
  }
  used.add(c.name);
  return Object.freeze({ ...c, verus });
}

/** The HEAD twin of `seed`: same name, predicates and footprint; HEAD's texts and clause set. */
export function reword<S, A, R>(seed: OpSpec<S, A, R>, w: Rewording<S, A, R>): OpSpec<S, A, R> {
  const drop = new Set(w.drop ?? []);
  const used = new Set<string>();
  // Upstream's "aborts exactly when" reading is derived from the may_panic clause: re-derived from HEAD's.
  const upstream = seed.ensures.some(isAbortsExactly);
  const keep = <C>(cs: readonly Clause<C>[]): Clause<C>[] =>
    cs.flatMap((c) => (drop.has(c.name) || isAbortsExactly(c) ? [] : (retext(c, w.texts, used) ?? [])));
  const mayPanic = seed.mayPanic.name.endsWith('.may_panic.never')
    ? seed.mayPanic
    : (retext(seed.mayPanic, w.texts, used) ?? seed.mayPanic);
  const out: OpSpec<S, A, R> = Object.freeze({
    ...seed,
    requires: [...keep(seed.requires), ...(w.addRequires ?? [])],
    mayPanic,
    ensures: [...keep(seed.ensures), ...(w.addEnsures ?? []), ...(upstream ? [abortsExactly(mayPanic)] : [])],
    next: w.next ?? seed.next,
  });
  for (const k of Object.keys(w.texts)) if (!used.has(k)) REWORD_PROBLEMS.push(`HEAD text for unknown clause ${k}`);
  return out;
}
