/**
 * Spec completeness, read off the contracts engine: a mutant that breaks no contract clause (no
 * `ensures` or `may_panic`) — only an invariant, the accounting, the refinement check or nothing at
 * all — shows a postcondition weaker than it should be. A gap in vostd's own spec is one where no
 * clause of vostd origin fires: only framecheck's upstream-origin clauses, or nothing, catch the bug.
 */
import type { Mutant } from './catalog.ts';
import type { ContractsOutcome } from './engines/contractsEngine.ts';
import type { ViolatedClause } from './engines/types.ts';

/**
 * A spec gap: the op whose contract misses the bug, the missing fact, and what (if anything) caught it.
 * `contract`: no contract clause of framecheck's catches it; `vostd`: only framecheck's upstream-origin
 * clauses do, so vostd's own spec misses it.
 */
export type SpecGap = Readonly<{
  kind: 'contract' | 'vostd';
  op: string;
  missing: string;
  /** What the contracts caught it with: an upstream clause, an invariant, the refinement check, the livelock guard, or nothing. */
  caughtBy: string;
  /** Whether vostd's own spec misses the fact too. */
  vostd: boolean;
}>;

const isContract = (c: ViolatedClause) => c.kind === 'ensures' || c.kind === 'may_panic' || c.kind === 'returns';
const isVostd = (c: ViolatedClause) => isContract(c) && (c.origin === 'vostd' || c.origin === 'vostd-head');

/** What the contracts caught the mutant with, when no contract clause did. */
function caughtBy(clauses: readonly ViolatedClause[]): string {
  if (clauses.length === 0) return 'nothing (the bug is invisible to sequential calls)';
  const k = clauses[0]!;
  if (k.kind === 'inv') return `an invariant (${k.clause})`;
  if (k.clause.endsWith('.unexpected_throw')) return 'the livelock guard (the call never returned)';
  return `the refinement check (${k.clause})`;
}

/** The op a clause belongs to (`Frame::drop.ensures.x` → `Frame::drop`). */
const opOf = (clause: string) => clause.split('.')[0]!;

/** The spec gap a mutant shows, or `undefined` when a vostd contract clause catches it. */
export function specGap(m: Mutant, contracts: ContractsOutcome | undefined): SpecGap | undefined {
  if (m.weakMemory === true) return undefined;
  const vostd = m.missing?.inVostd !== true;
  if (contracts === undefined) {
    return {
      kind: 'contract',
      op: m.missing?.op ?? m.target,
      missing: m.missing?.fact ?? 'no contract',
      caughtBy: `nothing: framecheck has no checked ${m.target} layer`,
      vostd,
    };
  }
  const clauses = contracts.clauses;
  if (clauses.some(isVostd)) return undefined;
  const upstream = clauses.find(isContract);
  if (upstream !== undefined)
    return {
      kind: 'vostd',
      op: m.missing?.op ?? opOf(upstream.clause),
      missing: m.missing?.fact ?? `what ${upstream.clause} states`,
      caughtBy: `only ${upstream.clause} (origin upstream)`,
      vostd: true,
    };
  return {
    kind: 'contract',
    op: m.missing?.op ?? opOf(clauses[0]?.clause ?? m.target),
    missing: m.missing?.fact ?? 'a postcondition naming the outcome',
    caughtBy: caughtBy(clauses),
    vostd,
  };
}
