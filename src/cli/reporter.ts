/**
 * How every front end reports a verdict (check, simulate, merge, conform's and the mutants' runs
 * use the same words): the exit code of a verdict and the one line of a run that found nothing.
 */
import type { Verdict } from '../check/RunDetails.ts';
import { EXIT, type ExitCode } from './command.ts';

/** The exit code of a verdict: 0 ok, 1 violation, 3 incomplete (2 is bad input, never a verdict). */
export function exitOf(verdict: Verdict): ExitCode {
  return verdict === 'ok' ? EXIT.ok : verdict === 'violation' ? EXIT.violation : EXIT.incomplete;
}

/** The line of a run without a violation: `ok — detail`, or `incomplete: reason — detail`. */
export function quietLine(
  o: Readonly<{ verdict: 'ok' } | { verdict: 'incomplete'; reason: string }>,
  detail: string,
): string {
  return `${o.verdict === 'ok' ? 'ok' : `incomplete: ${o.reason}`} — ${detail}`;
}
