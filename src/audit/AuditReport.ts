/**
 * What an audit finds: each violation names the frame, the invariant by its spec name, and what was
 * expected against what the dump holds. Counts are exact; only the first violations are kept, so a
 * dump with millions of bad slots audits in memory that does not grow with it.
 */

/** One violated invariant at one frame. */
export type AuditViolation = Readonly<{ frame: number; invariant: string; expected: string; actual: string }>;

/** How many violations are kept in full (the rest are counted). */
export const KEPT_VIOLATIONS = 1000;

/** The audit's running findings. */
export class AuditReport {
  readonly kept: AuditViolation[] = [];
  readonly counts = new Map<string, number>();
  total = 0;
  /** Notes about what could not be checked (e.g. no free ranges for the leak report). */
  readonly notes: string[] = [];

  /** Records a violation. */
  add(v: AuditViolation): void {
    this.total++;
    this.counts.set(v.invariant, (this.counts.get(v.invariant) ?? 0) + 1);
    if (this.kept.length < KEPT_VIOLATIONS) this.kept.push(v);
  }
}

/** The summary of an audit, as `--json` prints it. */
export type AuditSummary = Readonly<{
  file: string;
  /** The vostd contract table the slots were audited against. */
  spec: 'seed' | 'head';
  format: 'json' | 'raw';
  slots: number;
  inUse: number;
  maxPaddr: string;
  verdict: 'clean' | 'violations';
  violations: number;
  byInvariant: Readonly<Record<string, number>>;
  first: readonly AuditViolation[];
  notes: readonly string[];
  seconds: number;
}>;
