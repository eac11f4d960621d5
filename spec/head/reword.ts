/**
 * Builds a vostd HEAD op spec from a seed one whose predicates still mean the same thing: HEAD renamed
 * the fields and spec functions the clause texts speak of, so only the texts change, clause by clause.
 */
import type { Clause, ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { abortsExactly, note } from '../meta/clause.ts';

const isAbortsExactly = (c: Readonly<{ name: string }>): boolean => c.name.endsWith('.ensures.aborts_exactly');

/** What HEAD changed in one op: new texts by clause name, clauses it dropped, clauses it added. */
export type Rewording<S, A, R> = Readonly<{
  /** Full clause name → HEAD's text. Every clause kept must be listed: HEAD's text is never assumed. */
  texts: Readonly<Record<string, string>>;
  drop?: readonly string[];
  addRequires?: readonly Clause<PreCtx<S, A>>[];
  addEnsures?: readonly Clause<PostCtx<S, A, R>>[];
  next?: OpSpec<S, A, R>['next'];
  /** Seed full name → HEAD full name, for a kept clause HEAD states under another name. */
  renames?: Readonly<Record<string, string>>;
  /** Seed full name → HEAD's predicate, for a kept requires clause whose HEAD meaning differs (e.g. HEAD's `inv()`). */
  requiresHolds?: Readonly<Record<string, (c: PreCtx<S, A>) => boolean>>;
  /** Seed full name → HEAD's predicate, for a kept ensures clause whose HEAD meaning differs. */
  ensuresHolds?: Readonly<Record<string, (c: PostCtx<S, A, R>) => boolean>>;
}>;

/**
 * Seed clauses a rewording has no HEAD text for, and HEAD texts naming no seed clause: each means the
 * seed spec moved under a HEAD table (a test asserts this list is empty). Such a seed clause is left
 * out of the HEAD op rather than given the seed's text.
 */
export const REWORD_PROBLEMS: string[] = [];

/** Seed clause name → HEAD clause name, for every clause a rewording renamed (the clause diff follows them). */
export const REWORD_RENAMES: Record<string, string> = {};

type Retext = Readonly<{
  texts: Readonly<Record<string, string>>;
  renames?: Readonly<Record<string, string>> | undefined;
  holds?: Readonly<Record<string, (c: never) => boolean>> | undefined;
}>;

/**
 * The HEAD clause of seed clause `c`: HEAD's text, name and (when given) predicate. A clause the seed
 * labels `vostd-head` is plain `vostd` in HEAD's own table.
 */
function retext<C>(c: Clause<C>, w: Retext, used: Set<string>): Clause<C> | undefined {
  const verus = w.texts[c.name];
  if (verus === undefined) {
    REWORD_PROBLEMS.push(`no HEAD text for seed clause ${c.name}`);
    return undefined;
  }
  used.add(c.name);
  const { origin, ...rest } = c;
  const holds = w.holds?.[c.name] as ((x: C) => boolean) | undefined;
  return Object.freeze({
    ...rest,
    ...(origin !== undefined && origin !== 'vostd-head' && { origin }),
    name: w.renames?.[c.name] ?? c.name,
    verus,
    ...(holds !== undefined && { holds }),
  });
}

/** The HEAD twin of `seed`: same name, predicates and footprint; HEAD's texts and clause set. */
export function reword<S, A, R>(seed: OpSpec<S, A, R>, w: Rewording<S, A, R>): OpSpec<S, A, R> {
  const drop = new Set(w.drop ?? []);
  const used = new Set<string>();
  // Upstream's "aborts exactly when" reading is derived from the may_panic clause: re-derived from HEAD's.
  const upstream = seed.ensures.some(isAbortsExactly);
  const keep = <C>(cs: readonly Clause<C>[], holds: Retext['holds']): Clause<C>[] =>
    cs.flatMap((c) =>
      drop.has(c.name) || isAbortsExactly(c)
        ? []
        : (retext(c, { texts: w.texts, renames: w.renames, holds }, used) ?? []),
    );
  const reqHolds = w.requiresHolds as Retext['holds'];
  const mayPanic = seed.mayPanic.name.endsWith('.may_panic.never')
    ? seed.mayPanic
    : (retext(seed.mayPanic, { texts: w.texts, holds: reqHolds }, used) ?? seed.mayPanic);
  const out: OpSpec<S, A, R> = Object.freeze({
    ...seed,
    requires: [...keep(seed.requires, reqHolds), ...(w.addRequires ?? [])],
    mayPanic,
    ensures: [
      ...keep(seed.ensures, w.ensuresHolds as Retext['holds']),
      ...(w.addEnsures ?? []),
      ...(upstream ? [abortsExactly(mayPanic)] : []),
    ],
    next: w.next ?? seed.next,
  });
  Object.assign(REWORD_RENAMES, w.renames ?? {});
  const given = [...Object.keys(w.texts), ...Object.keys(w.renames ?? {}), ...Object.keys(w.requiresHolds ?? {})];
  for (const k of [...given, ...Object.keys(w.ensuresHolds ?? {})])
    if (!used.has(k)) REWORD_PROBLEMS.push(`HEAD text, name or predicate for unknown clause ${k}`);
  return out;
}

/**
 * The seed's text of every clause of `seed` a rewording must name (its requires, its `may_panic` unless
 * `never`, its ensures but the derived `aborts_exactly`): the start of a HEAD text table whose op HEAD
 * states with the seed's words but for the clauses then overridden.
 */
export function seedTexts<S, A, R>(seed: OpSpec<S, A, R>): Record<string, string> {
  const texts: Record<string, string> = {};
  const panics = seed.mayPanic.name.endsWith('.may_panic.never') ? [] : [seed.mayPanic];
  for (const c of [...seed.requires, ...panics, ...seed.ensures]) if (!isAbortsExactly(c)) texts[c.name] = c.verus;
  return texts;
}

/**
 * HEAD's text of the seed note `name` from `seedNotes`, with the seed's reason: the checked layers build
 * both sides of the clause the same way under either table. Throws when the seed has no such note.
 */
export function headNote(seedNotes: readonly ClauseNote[], name: string, verus: string): ClauseNote {
  const seed = seedNotes.find((n) => n.name === name);
  if (seed === undefined) throw new Error(`no seed note ${name}`);
  return note(name, verus, seed.why, seed.origin);
}
