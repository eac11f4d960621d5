/**
 * The laws every op spec obeys, written once (STYLE rule 10): a new op gets them by naming a generator
 * of its pre-states.
 *
 * @see fast-check `test/unit/arbitrary/__test-helpers__/ArbitraryAssertions.ts` (the pattern)
 */
import fc from 'fast-check';
import type { OpSpec, Outcome, PostCtx, PreCtx } from '../spec/Op.ts';

/**
 * The clauses the outcome of `spec.next(pre)` breaks: every `ensures` clause false on a return, or the
 * `may_panic` condition when `next` panics where the spec does not allow an abort.
 */
export function clausesBrokenByNext<S, A, R>(spec: OpSpec<S, A, R>, pre: PreCtx<S, A>): string[] {
  const out = spec.next(pre);
  if (out.kind === 'panic') return spec.mayPanic.holds(pre) ? [] : [spec.mayPanic.name];
  const post: PostCtx<S, A, R> = { old: pre.old, args: pre.args, p: pre.p, final: out.final, result: out.result };
  return spec.ensures.filter((c) => !c.holds(post)).map((c) => c.name);
}

/** How an outcome is counted: `panic`, `ok`, `err:<error>` for a `Result`, `return` otherwise. */
export function outcomeLabel(o: Outcome<unknown, unknown>): string {
  if (o.kind === 'panic') return 'panic';
  const r = o.result;
  if (typeof r === 'object' && r !== null && 'ok' in r && typeof r.ok === 'boolean') {
    return r.ok ? 'ok' : `err:${String((r as { error?: unknown }).error)}`;
  }
  return 'return';
}

/**
 * `post(s, a, next(s, a))`: for every generated pre-state satisfying `requires`, the outcome of `next`
 * satisfies every `ensures` clause, and `next` panics only where `may_panic` holds.
 *
 * Returns how often each outcome label was seen, so that a test can show the law was exercised on the
 * paths it claims (not only on, say, errors). Throws fast-check's report, naming the broken clauses and
 * the shrunk pre-state, when the law fails.
 */
export function assertPostHoldsForNext<S, A, R>(
  spec: OpSpec<S, A, R>,
  pres: fc.Arbitrary<PreCtx<S, A>>,
  params: fc.Parameters<[PreCtx<S, A>]> = {},
): Map<string, number> {
  const seen = new Map<string, number>();
  const property = fc.property(pres, (pre) => {
    fc.pre(spec.requires.every((c) => c.holds(pre)));
    const broken = clausesBrokenByNext(spec, pre);
    if (broken.length > 0) throw new Error(`${spec.name}: next(old, args) breaks ${broken.join(', ')}`);
    const label = outcomeLabel(spec.next(pre));
    seen.set(label, (seen.get(label) ?? 0) + 1);
  });
  try {
    fc.assert(property, params);
  } catch (e) {
    // fast-check keeps the predicate's error as `cause`; the message names the broken clauses.
    const cause = e instanceof Error && e.cause instanceof Error ? `\n${e.cause.message}` : '';
    throw new Error(`${e instanceof Error ? e.message : String(e)}${cause}`, { cause: e });
  }
  return seen;
}
