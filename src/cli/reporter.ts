/**
 * How every front end reports a run (check, simulate, merge, conform, mutants): one `RunDetails`
 * (src/check/RunDetails.ts) printed either as one JSON object (`--json`) or as text, and the exit code
 * of its verdict. The JSON object has the same head for every command — `verdict`, `failed`,
 * `interrupted`, `reason` when interrupted — then the command's statistics and, on a violation, its
 * `counterexample` (docs/formats.md, Results).
 */
import type { RunDetails, Verdict } from '../check/RunDetails.ts';
import { EXIT, type ExitCode, type Io } from './command.ts';

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

/** How a command shows its results: its statistics and counterexample as JSON fields, and as text. */
export type Rendering<S, C> = Readonly<{
  /** The statistics' JSON fields, after the head. */
  stats: (s: S) => Record<string, unknown>;
  /** The counterexample's JSON value (`counterexample` field). */
  counterexample: (c: C, s: S) => unknown;
  /** The word `verdict` takes in JSON (default the verdict itself: conform says `conforms`/`fails`). */
  verdictWord?: (v: Verdict) => string;
  /** The text lines of the run. */
  text: (d: RunDetails<S, C>) => readonly string[];
}>;

/** The run as its one JSON object: the common head, the statistics, the counterexample. */
export function detailsJson<S, C>(d: RunDetails<S, C>, r: Rendering<S, C>): Record<string, unknown> {
  return {
    verdict: r.verdictWord?.(d.verdict) ?? d.verdict,
    failed: d.failed,
    interrupted: d.interrupted,
    ...(d.verdict === 'incomplete' && { reason: d.reason }),
    ...r.stats(d.stats),
    ...(d.verdict === 'violation' && { counterexample: r.counterexample(d.counterexample, d.stats) }),
  };
}

/** Prints the run (one JSON object with `json`, else its text) and returns its exit code. */
export function report<S, C>(io: Io, d: RunDetails<S, C>, r: Rendering<S, C>, json: boolean): ExitCode {
  if (json) io.out(JSON.stringify(detailsJson(d, r)));
  else for (const line of r.text(d)) io.out(line);
  return exitOf(d.verdict);
}
