/**
 * The one shape of a run's outcome (after fast-check's `RunDetails`): a verdict, statistics of the
 * engine that ran, and on a violation the counterexample. `checkInstance` returns it with the
 * explorer's statistics and its minimized counterexample; the front ends report it through
 * `src/cli/reporter.ts`.
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
