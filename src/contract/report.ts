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

/** An address as a person reads it: in hex (`0x1000`). */
export function showAddr(v: bigint | number): string {
  const n = BigInt(v);
  return `${n < 0n ? '-' : ''}0x${(n < 0n ? -n : n).toString(16)}`;
}

/** A key whose value is an address or holds addresses (`paddr`, `selfAddr`, `vtablePtr.addr`, a paddr `range`). */
const ADDRESS_KEY = /addr|^range$/i;

/** `v` with every number under an address key as hex (`{ paddr: 4096 }` → `{ paddr: "0x1000" }`), for display. */
function hexAddresses(v: unknown, isAddr: boolean): unknown {
  if (isAddr && (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) return showAddr(v);
  if (v instanceof Set) return [...v].map((x) => hexAddresses(x, isAddr));
  if (v instanceof Map) return [...v].map(([k, x]) => [hexAddresses(k, isAddr), hexAddresses(x, isAddr)]);
  if (Array.isArray(v)) return v.map((x) => hexAddresses(x, isAddr));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hexAddresses(x, isAddr || ADDRESS_KEY.test(k))]));
  return v;
}

const show = (v: unknown, isAddr = false): string =>
  JSON.stringify(hexAddresses(v, isAddr), (_k, x: unknown) => (typeof x === 'bigint' ? `${x}` : x)) ?? 'undefined';

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
  for (const [k, x] of Object.entries(v.values)) lines.push(`    ${k} = ${show(x, ADDRESS_KEY.test(k))}`);
  // A broken precondition voids the call: there is no final state to compare, only the old one.
  for (const [k, d] of Object.entries(v.diff)) {
    lines.push(`  ${k}:`, `    old:   ${show(d.old)}`);
    if (v.kind !== 'requires') lines.push(`    final: ${show(d.final)}`);
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
