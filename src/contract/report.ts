/**
 * Violation reports: what a failed clause says, who is blamed, and the values behind it.
 *
 * Blame follows Eiffel's rule with Racket's parties: a failed `requires` blames the caller; a failed
 * `ensures`, invariant, refinement or an abort the spec does not allow blames the implementation; a
 * clause that throws blames the spec.
 */
import { ITF_NONE, itfSome, toItf, type ItfValue } from './itf.ts';

export type Blame = 'caller' | 'implementation' | 'spec';
export type ViolationKind =
  'requires' | 'ensures' | 'inv' | 'refinement' | 'may_panic' | 'linearity' | 'unexpected_throw';

export type Violation = Readonly<{
  op: string;
  rust: string;
  clause: string;
  kind: ViolationKind;
  verus: string;
  blame: Blame;
  detection: 'predicate_false' | 'predicate_threw';
  args: unknown;
  result: unknown;
  /** The clause's sub-expression values. */
  values: Readonly<Record<string, unknown>>;
  /** The ghost before and after, restricted to the slots the call touched. */
  diff: Readonly<Record<string, { old: unknown; final: unknown }>>;
  /** The index of the call in this checked instance (1-based). */
  call: number;
}>;

/** Thrown in `enforce` mode: carries the report. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  readonly report: Violation;

  constructor(report: Violation) {
    super(formatViolation(report));
    this.report = report;
  }
}

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? `${x}` : x instanceof Set ? [...x] : x instanceof Map ? [...x] : x,
  );

/** The human rendering of a report. */
export function formatViolation(v: Violation): string {
  const verb =
    v.blame === 'caller'
      ? 'contract violation'
      : v.blame === 'implementation'
        ? 'broke its own contract'
        : 'the spec is at fault';
  const lines = [
    `${v.rust}: ${verb} — ${v.kind} clause ${v.clause}`,
    `  blaming: ${v.blame}${v.detection === 'predicate_threw' ? ' (the clause threw)' : ''}`,
    `  clause:  ${v.verus}`,
    `  args:    ${show(v.args)}`,
    `  result:  ${show(v.result)}`,
  ];
  for (const [k, x] of Object.entries(v.values)) lines.push(`    ${k} = ${show(x)}`);
  for (const [k, d] of Object.entries(v.diff)) {
    lines.push(`  ${k}:`, `    old:   ${show(d.old)}`, `    final: ${show(d.final)}`);
  }
  return lines.join('\n');
}

/** The report as an ITF trace whose last two states are the failing transition. */
export function violationToItf(v: Violation, seed?: number): ItfValue {
  const state = (index: number, which: 'old' | 'final', action: string) => ({
    '#meta': { index },
    ghost: toItf(Object.fromEntries(Object.entries(v.diff).map(([k, d]) => [k, d[which]]))),
    'mbt::actionTaken': action,
    'mbt::nondetPicks': { args: index === 0 ? ITF_NONE : itfSome(toItf(v.args)) },
  });
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: 'framecheck contract layer',
      description: 'contract violation',
      violation: toItf({ ...v, diff: undefined }),
      property: v.clause,
      blame: v.blame,
      ...(seed !== undefined && { seed }),
    } as ItfValue,
    vars: ['ghost', 'mbt::actionTaken', 'mbt::nondetPicks'],
    states: [state(0, 'old', 'init'), state(1, 'final', v.op)],
  };
}
