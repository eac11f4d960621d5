/**
 * The minimal failing sub-history: a subset of the history's lines that is itself a history, fails at
 * the same event for the same reason (the same clause, the same counts), and loses that property when
 * any one more operation is removed (delta debugging, Zeller's ddmin on operations, within a budget).
 * The failing operation is always kept.
 *
 * Before ddmin, identical operations are shrunk as classes (count-based symmetry): operations of the
 * same name, arguments and outcome that sit on the same side of the failing event are mostly
 * interchangeable, so how many of each class the failure needs is found by bisection on the count
 * (a few validations per class instead of one per subset). ddmin then runs on what is left and
 * decides 1-minimality on its own, so the claim `minimal` never rests on the symmetry.
 */
import type { Failure, ValidateOptions, ValidateProgress } from './validateHistory.ts';
import { findFailuresSteps } from './validateHistory.ts';
import { drain } from './linearize.ts';
import { fromAllocator } from '../ops/opTable.ts';
import { framesOf } from './frameHistories.ts';
import type { History, HistoryOp } from './History.ts';

/** How many candidate sub-histories minimization validates at most. */
export const MINIMIZE_BUDGET = 400;

/**
 * The lines of a failing sub-history, whether it is 1-minimal (the budget was not exhausted), and
 * how many candidate sub-histories were validated to find it.
 */
export type SubHistory = Readonly<{ lines: readonly number[]; minimal: boolean; validations: number }>;

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

/** The generators minimization runs: they yield to the driver, and stop when it passes `true`. */
type Steps<T> = Generator<number, T, boolean | undefined>;
/** A candidate's test: whether it still fails, `undefined` when the driver stopped it. */
type Test = (xs: HistoryOp[]) => Steps<boolean | undefined>;

/** Whether the sub-history of `ops` still fails first at `f`'s event, for the same reason. */
function* stillFails(
  h: History,
  ops: readonly HistoryOp[],
  f: Failure,
  o: ValidateOptions,
  track?: ValidateProgress,
): Steps<boolean | undefined> {
  const v = yield* findFailuresSteps(subHistory(h, ops), o);
  if (track !== undefined) track.validations++;
  if (v.stopped || (yield 0) === true) return undefined;
  const first = v.failures[0];
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
      (fromAllocator(op.f) && op.outcome === undefined ? true : framesOf(op).includes(f.frame!)),
  );
}

/** The class of interchangeable operations `op` belongs to, relative to the failing operation. */
function classOf(op: HistoryOp, culprit: HistoryOp): string {
  const end = culprit.ret?.seq ?? culprit.deadline?.seq ?? Infinity;
  const side = `${op.invoke.seq < end ? 'b' : 'a'}${(op.ret?.seq ?? Infinity) < end ? 'b' : 'a'}`;
  const show = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}` : x));
  return `${op.f}|${op.status}|${show(op.args)}|${show(op.outcome)}|${side}`;
}

/** Shrinks each class of identical operations in `units` to the fewest members (by bisection on the count). */
function* shrinkClasses(units: HistoryOp[], culprit: HistoryOp, test: Test, budget: Budget): Steps<HistoryOp[]> {
  const classes = new Map<string, HistoryOp[]>();
  for (const op of units) {
    const k = classOf(op, culprit);
    const c = classes.get(k);
    if (c === undefined) classes.set(k, [op]);
    else c.push(op);
  }
  let kept = units;
  for (const members of classes.values()) {
    if (members.length < 2) continue;
    const keeping = (n: number) => {
      const drop = new Set(members.slice(n));
      return kept.filter((op) => !drop.has(op));
    };
    let lo = 0;
    let hi = members.length;
    while (lo < hi && budget.left > 0) {
      const mid = (lo + hi) >> 1;
      budget.left--;
      const t = yield* test(keeping(mid));
      if (t === undefined) return ((budget.stopped = true), kept);
      if (t) hi = mid;
      else lo = mid + 1;
    }
    kept = keeping(hi);
  }
  return kept;
}

/** What minimization may still spend, and whether the driver stopped it. */
type Budget = { left: number; stopped: boolean };

/** ddmin over `units` (complements only), keeping `fixed`. */
function* ddmin(units: HistoryOp[], test: Test, budget: Budget): Steps<{ units: HistoryOp[]; minimal: boolean }> {
  let n = 2;
  while (units.length >= 1 && budget.left > 0 && !budget.stopped) {
    const size = Math.ceil(units.length / n);
    let reduced = false;
    for (let k = 0; k < units.length && budget.left > 0; k += size) {
      const complement = [...units.slice(0, k), ...units.slice(k + size)];
      budget.left--;
      const t = yield* test(complement);
      if (t === undefined) return ((budget.stopped = true), { units, minimal: false });
      if (t) {
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

/**
 * A minimal sub-history that fails at `f`'s event; the whole relevant part when none reproduces, and
 * the smallest one found so far (`stopped`) when the driver stops it.
 */
export function* minimalSubHistorySteps(
  h: History,
  f: Failure,
  o: ValidateOptions,
  track?: ValidateProgress,
): Steps<SubHistory & { stopped?: true }> {
  const culprit = h.ops[f.opId]!;
  const all = candidates(h, f);
  const whole = { lines: linesOf(h, all.concat(culprit)), minimal: false };
  const first = yield* stillFails(h, all.concat(culprit), f, o, track);
  if (first === undefined) return { ...whole, validations: 0, stopped: true };
  if (!first) return { ...whole, validations: 1 };
  const test: Test = (xs) => stillFails(h, xs.concat(culprit), f, o, track);
  const budget: Budget = { left: MINIMIZE_BUDGET, stopped: false };
  const shrunk = yield* shrinkClasses(all, culprit, test, budget);
  const r = budget.stopped ? { units: shrunk, minimal: false } : yield* ddmin(shrunk, test, budget);
  return {
    lines: linesOf(h, r.units.concat(culprit)),
    minimal: r.minimal && !budget.stopped,
    validations: 1 + MINIMIZE_BUDGET - budget.left,
    ...(budget.stopped && { stopped: true as const }),
  };
}

/** A minimal sub-history that fails at `f`'s event; the whole relevant part when none reproduces. */
export function minimalSubHistory(h: History, f: Failure, o: ValidateOptions): SubHistory {
  return drain(minimalSubHistorySteps(h, f, o));
}
