/**
 * The one shape of a run's outcome (after fast-check's `RunDetails`): a verdict, statistics of the
 * engine that ran, and on a violation the counterexample. `checkInstance` returns it with the
 * strategy's statistics and its minimized counterexample; `simulate`, `conform` and the mutant
 * catalog return it with theirs; every front end reports it through `src/cli/reporter.ts`.
 */

/** What a run decided: every interleaving (or run) holds, one violates a property, or a limit stopped it. */
export type Verdict = 'ok' | 'violation' | 'incomplete';

/** A run's outcome: `failed` with the counterexample `C`, `interrupted` with the reason, or neither. */
export type RunDetails<S, C> = Readonly<{ stats: S }> &
  (
    | Readonly<{ verdict: 'ok'; failed: false; interrupted: false }>
    | Readonly<{ verdict: 'incomplete'; failed: false; interrupted: true; reason: string }>
    | Readonly<{ verdict: 'violation'; failed: true; interrupted: false; counterexample: C }>
  );

/** The details of a run that ended with `verdict`: the counterexample when it failed, the reason when cut short. */
export function runDetails<S, C>(
  verdict: Verdict,
  stats: S,
  counterexample: C | undefined,
  reason: string | undefined,
): RunDetails<S, C> {
  if (verdict === 'violation') {
    if (counterexample === undefined) throw new Error('impossible: a violation without its counterexample');
    return { verdict, failed: true, interrupted: false, stats, counterexample };
  }
  if (verdict === 'incomplete')
    return { verdict, failed: false, interrupted: true, reason: reason ?? 'stopped', stats };
  return { verdict, failed: false, interrupted: false, stats };
}
