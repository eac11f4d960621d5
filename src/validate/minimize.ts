/**
 * The minimal failing sub-history: a subset of the history's lines that is itself a history, fails at
 * the same event for the same reason (the same clause, the same counts), and loses that property when
 * any one more operation is removed (delta debugging, Zeller's ddmin on operations, within a budget).
 * The failing operation is always kept.
 */
import type { Failure, ValidateOptions } from './validateHistory.ts';
import { findFailures } from './validateHistory.ts';
import { framesOf } from './frameHistories.ts';
import type { History, HistoryOp } from './History.ts';

/** How many candidate sub-histories minimization validates at most. */
export const MINIMIZE_BUDGET = 400;

/** The lines of a failing sub-history, and whether it is 1-minimal (the budget was not exhausted). */
export type SubHistory = Readonly<{ lines: readonly number[]; minimal: boolean }>;

const opLines = (op: HistoryOp): number[] => (op.ret === undefined ? [op.invoke.line] : [op.invoke.line, op.ret.line]);

/** The lines of `ops` (and the init line), in file order. */
function linesOf(h: History, ops: readonly HistoryOp[]): number[] {
  const out = ops.flatMap(opLines);
  if (h.initLine !== undefined) out.push(h.initLine);
  return out.sort((a, b) => a - b);
}

/**
 * The history made of `ops` alone (in invoke order), as parsing its lines would give it: an unknown
 * outcome's deadline is the process's next invoke among `ops`.
 */
export function subHistory(h: History, ops: readonly HistoryOp[]): History {
  const sorted = [...ops].sort((a, b) => a.invoke.seq - b.invoke.seq);
  const next = new Map<number, HistoryOp>();
  const out: HistoryOp[] = [];
  for (let k = sorted.length - 1; k >= 0; k--) {
    const op = sorted[k]!;
    const later = next.get(op.process);
    out.push({ ...op, id: k, deadline: op.status === 'ok' ? undefined : later?.invoke });
    next.set(op.process, op);
  }
  return { ...h, ops: out.reverse() };
}

/** Whether the sub-history of `ops` still fails first at `f`'s event, for the same reason. */
function stillFails(h: History, ops: readonly HistoryOp[], f: Failure, o: ValidateOptions): boolean {
  const first = findFailures(subHistory(h, ops), o).failures[0];
  return first !== undefined && first.line === f.line && first.clause === f.clause && first.reason === f.reason;
}

/** The operations that can matter to `f`: those on its frame invoked no later than its event. */
function candidates(h: History, f: Failure): HistoryOp[] {
  const culprit = h.ops[f.opId]!;
  if (f.frame === undefined) return [];
  const limit = Math.max(culprit.ret?.seq ?? 0, culprit.deadline?.seq ?? 0, culprit.invoke.seq);
  return h.ops.filter(
    (op) =>
      op !== culprit &&
      op.invoke.seq <= limit &&
      (op.f === 'alloc' && op.outcome === undefined ? true : framesOf(op).includes(f.frame!)),
  );
}

/** ddmin over `units` (complements only), keeping `fixed`. */
function ddmin(
  units: HistoryOp[],
  test: (xs: HistoryOp[]) => boolean,
  budget: { left: number },
): { units: HistoryOp[]; minimal: boolean } {
  let n = 2;
  while (units.length >= 1 && budget.left > 0) {
    const size = Math.ceil(units.length / n);
    let reduced = false;
    for (let k = 0; k < units.length && budget.left > 0; k += size) {
      const complement = [...units.slice(0, k), ...units.slice(k + size)];
      budget.left--;
      if (test(complement)) {
        units = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size <= 1) return { units, minimal: true };
      n = Math.min(n * 2, units.length);
    }
  }
  return { units, minimal: units.length === 0 };
}

/** A minimal sub-history that fails at `f`'s event; the whole relevant part when none reproduces. */
export function minimalSubHistory(h: History, f: Failure, o: ValidateOptions): SubHistory {
  const culprit = h.ops[f.opId]!;
  const all = candidates(h, f);
  if (!stillFails(h, all.concat(culprit), f, o)) return { lines: linesOf(h, all.concat(culprit)), minimal: false };
  const r = ddmin(all, (xs) => stillFails(h, xs.concat(culprit), f, o), { left: MINIMIZE_BUDGET });
  return { lines: linesOf(h, r.units.concat(culprit)), minimal: r.minimal };
}
