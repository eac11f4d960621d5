/**
 * Running one op spec by hand in a test: its transition as a post-state, and the names of the clauses
 * a given pre- or post-state breaks.
 */
import type { OpSpec, PostCtx, PreCtx } from '../spec/Op.ts';
import type { ModelParams } from '../spec/vocab.ts';

/** The post-state of `spec.next` from `old` with `args` (throws when the spec aborts there). */
export function runSpec<S, A, R>(spec: OpSpec<S, A, R>, old: S, args: A, p: ModelParams): PostCtx<S, A, R> {
  const out = spec.next({ old, args, p });
  if (out.kind !== 'return') throw new Error(`${spec.name} panicked`);
  return { old, args, p, final: out.final, result: out.result };
}

/** The requires clauses of `spec` false on `c`, by name. */
export function failingRequires<S, A, R>(spec: OpSpec<S, A, R>, c: PreCtx<S, A>): string[] {
  return spec.requires.filter((x) => !x.holds(c)).map((x) => x.name);
}

/** The ensures clauses of `spec` false on `c`, by name. */
export function failingEnsures<S, A, R>(spec: OpSpec<S, A, R>, c: PostCtx<S, A, R>): string[] {
  return spec.ensures.filter((x) => !x.holds(c)).map((x) => x.name);
}
