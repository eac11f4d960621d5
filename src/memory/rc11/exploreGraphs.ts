/**
 * Exhaustive exploration of a concurrent program under RC11, generic over what a thread is: a litmus
 * test's compiled code, or operations of the real implementation run by replay. A thread in a local
 * state names its next access; the explorer enumerates every way that access can extend the execution
 * graph (a read from any write of its location, a write at any coherence position, a CAS succeeding or
 * failing — spuriously too when weak), keeps the RC11-consistent extensions, and hands the value the
 * access returned back to the thread. States are memoized on the threads' keys and the graph's.
 */
import { checkConsistency, type Axiom, type Race } from './consistency.ts';
import { ExecutionGraph, type GraphEvent, type MemOrder } from './ExecutionGraph.ts';

/** One access a thread is about to make. */
export type PendingAccess =
  | Readonly<{ kind: 'load'; loc: string; order: MemOrder }>
  | Readonly<{ kind: 'store'; loc: string; value: bigint; order: MemOrder }>
  | Readonly<{ kind: 'rmw'; loc: string; order: MemOrder; update: (old: bigint) => bigint }>
  | Readonly<{
      kind: 'cas';
      loc: string;
      expected: bigint;
      desired: bigint;
      success: MemOrder;
      failure: MemOrder;
      weak: boolean;
    }>
  | Readonly<{ kind: 'fence'; order: MemOrder }>
  /**
   * A plain (non-atomic) access of `loc`: it reads the coherence-last write (the value a race-free
   * execution must read, since the order events are added in extends happens-before) or writes at the
   * end of coherence; `words` (writes) are the values written, by word, for later plain reads.
   */
  | Readonly<{ kind: 'plain'; loc: string; write: boolean; words?: ReadonlyMap<number, bigint> }>;

/** One step of a thread: its accesses (all but the last plain, so they have one outcome each), or none. */
export type PendingStep = Readonly<{ accesses: readonly PendingAccess[]; label: string }>;

/** What the explorer needs of a thread (`P`: the thread's own step type, handed back to `after`). */
export type GraphThread<S, P extends PendingStep = PendingStep> = Readonly<{
  /**
   * The steps the thread may take next in local state `s` over graph `g` (one, or one per operation it
   * may choose to start), or `undefined` when it has finished.
   */
  next(s: S, g: ExecutionGraph): P | readonly P[] | undefined;
  /**
   * The local state after `step`, whose last access returned `value` (a load's, an RMW's old value, a
   * CAS's observed value); `failed` tells a failed CAS (spuriously, when it observed the expected value)
   * from a success.
   */
  after(s: S, step: P, value: bigint | undefined, failed: boolean): S;
  key(s: S): string;
}>;

export type GraphState<S> = Readonly<{ locals: readonly S[]; graph: ExecutionGraph }>;

/** A complete, consistent execution: every thread finished. */
export type Execution<S> = Readonly<{ locals: readonly S[]; graph: ExecutionGraph; races: readonly Race[] }>;

export type ExploreOptions<S> = Readonly<{
  /** Axioms left out (only to show that a suite depends on each). */
  ignore?: ReadonlySet<Axiom>;
  /** Called for every new consistent state; returning `false` stops the exploration. */
  onState?: (s: GraphState<S>) => boolean;
  /** The most states to visit; the exploration stops (incomplete) beyond it. */
  maxStates?: number;
  /** Whether nothing runs any more in a state (the kernel aborted): it ends an execution there. */
  halted?: (locals: readonly S[]) => boolean;
}>;

export type ExploreResult<S> = Readonly<{ executions: readonly Execution<S>[]; states: number; complete: boolean }>;

type Outcome = Readonly<{ graph: ExecutionGraph; value: bigint | undefined; failed?: boolean }>;

/** Every way `a` by thread `t` can extend `g`, before the consistency check. */
export function accessOutcomes(g: ExecutionGraph, t: number, a: PendingAccess, label: string): Outcome[] {
  const ev = (e: Omit<GraphEvent, 'index' | 'thread' | 'label'>) => ({ ...e, thread: t, label });
  switch (a.kind) {
    case 'fence':
      return [{ graph: g.extend(ev({ kind: 'F', loc: '', order: a.order })), value: undefined }];
    case 'load':
      return g
        .writesTo(a.loc)
        .map((w) => ({ graph: g.extend(ev({ kind: 'R', loc: a.loc, order: a.order }), w), value: g.valueOf(w) }));
    case 'store':
      return g.moPositions(a.loc).map((at) => ({
        graph: g.extend(ev({ kind: 'W', loc: a.loc, order: a.order, written: a.value }), -1, at),
        value: undefined,
      }));
    case 'rmw':
      return g.writesTo(a.loc).map((w) => {
        const old = g.valueOf(w);
        return {
          graph: g.extend(ev({ kind: 'U', loc: a.loc, order: a.order, written: a.update(old) }), w),
          value: old,
        };
      });
    case 'cas': {
      const out: Outcome[] = [];
      for (const w of g.writesTo(a.loc)) {
        const seen = g.valueOf(w);
        if (seen === a.expected)
          out.push({
            graph: g.extend(ev({ kind: 'U', loc: a.loc, order: a.success, written: a.desired }), w),
            value: seen,
          });
        if (seen !== a.expected || a.weak)
          out.push({ graph: g.extend(ev({ kind: 'R', loc: a.loc, order: a.failure }), w), value: seen, failed: true });
      }
      return out;
    }
    case 'plain': {
      const last = g.writesTo(a.loc).at(-1) ?? -1;
      if (a.write)
        return [
          {
            graph: g.extend({
              ...ev({ kind: 'W', loc: a.loc, order: 'na', written: 0n }),
              ...(a.words && { words: a.words }),
            }),
            value: undefined,
          },
        ];
      return [{ graph: g.extend(ev({ kind: 'R', loc: a.loc, order: 'na' }), last), value: undefined }];
    }
  }
}

/** Every way a step's accesses can extend `g`: the plain ones first (one outcome each), then the last. */
function stepOutcomes(g: ExecutionGraph, t: number, step: PendingStep): Outcome[] {
  let graph = g;
  const accesses = step.accesses;
  if (accesses.length === 0) return [{ graph, value: undefined }];
  for (const a of accesses.slice(0, -1)) graph = accessOutcomes(graph, t, a, step.label)[0]!.graph;
  return accessOutcomes(graph, t, accesses[accesses.length - 1]!, step.label);
}

/** Every RC11-consistent execution of `threads` from `init`, by depth-first search with memoized states. */
export function exploreGraphs<S, P extends PendingStep>(
  threads: readonly GraphThread<S, P>[],
  initial: readonly S[],
  init: ReadonlyMap<string, bigint>,
  opts: ExploreOptions<S> = {},
): ExploreResult<S> {
  const start: GraphState<S> = { locals: initial, graph: ExecutionGraph.initial(threads.length, init) };
  const key = (s: GraphState<S>) => `${s.locals.map((l, t) => threads[t]!.key(l)).join('|')}#${s.graph.key()}`;
  const seen = new Set<string>([key(start)]);
  const executions = new Map<string, Execution<S>>();
  const stack = [start];
  const max = opts.maxStates ?? Infinity;
  while (stack.length > 0) {
    const s = stack.pop()!;
    let moved = false;
    const halted = opts.halted?.(s.locals) === true;
    for (let t = 0; t < threads.length && !halted; t++) {
      const th = threads[t]!;
      const steps = th.next(s.locals[t]!, s.graph);
      if (steps === undefined) continue;
      moved = true;
      for (const pending of Array.isArray(steps) ? (steps as readonly P[]) : [steps as P])
        for (const o of stepOutcomes(s.graph, t, pending)) {
          // Plain accesses read the coherence-last write or write at the end of coherence: a step of
          // them alone adds no edge out of its events, so it cannot close a cycle.
          const plainOnly = pending.accesses.every((a) => a.kind === 'plain');
          if (!plainOnly && !checkConsistency(o.graph, opts.ignore).consistent) continue;
          const next: GraphState<S> = {
            locals: s.locals.map((l, k) => (k === t ? th.after(l, pending, o.value, o.failed === true) : l)),
            graph: o.graph,
          };
          const k = key(next);
          if (seen.has(k)) continue;
          seen.add(k);
          if (opts.onState?.(next) === false || seen.size > max)
            return { executions: [...executions.values()], states: seen.size, complete: false };
          stack.push(next);
        }
    }
    if (!moved) {
      const c = checkConsistency(s.graph, opts.ignore);
      if (c.consistent) executions.set(s.graph.key(), { locals: s.locals, graph: s.graph, races: c.races });
    }
  }
  return { executions: [...executions.values()], states: seen.size, complete: true };
}

export type SampleOptions<S> = Readonly<{
  /** A whole number in `0 .. n - 1`, from a seeded generator. */
  int: (n: number) => number;
  /** The most steps of one run (a run cut there is dropped). */
  maxSteps: number;
  halted?: (locals: readonly S[]) => boolean;
}>;

/**
 * One random execution: at each step a random thread takes a random one of its steps with a random
 * consistent outcome, until every thread has finished (or `maxSteps`, which gives `undefined`). For
 * instances too large to exhaust; every execution it returns is RC11-consistent.
 */
export function sampleGraph<S, P extends PendingStep>(
  threads: readonly GraphThread<S, P>[],
  initial: readonly S[],
  init: ReadonlyMap<string, bigint>,
  opts: SampleOptions<S>,
): Execution<S> | undefined {
  let s: GraphState<S> = { locals: initial, graph: ExecutionGraph.initial(threads.length, init) };
  for (let n = 0; n < opts.maxSteps; n++) {
    const movable: [number, readonly P[]][] = [];
    if (opts.halted?.(s.locals) !== true)
      threads.forEach((th, t) => {
        const steps = th.next(s.locals[t]!, s.graph);
        if (steps !== undefined) movable.push([t, Array.isArray(steps) ? (steps as readonly P[]) : [steps as P]]);
      });
    if (movable.length === 0) {
      const c = checkConsistency(s.graph);
      return c.consistent ? { locals: s.locals, graph: s.graph, races: c.races } : undefined;
    }
    const [t, steps] = movable[opts.int(movable.length)]!;
    const pending = steps[opts.int(steps.length)]!;
    const outcomes = stepOutcomes(s.graph, t, pending);
    // The outcomes in a random order; the first consistent one is taken.
    for (let i = outcomes.length - 1; i > 0; i--) {
      const j = opts.int(i + 1);
      [outcomes[i], outcomes[j]] = [outcomes[j]!, outcomes[i]!];
    }
    const o = outcomes.find(
      (x) => pending.accesses.every((a) => a.kind === 'plain') || checkConsistency(x.graph).consistent,
    );
    if (o === undefined) return undefined;
    const th = threads[t]!;
    s = {
      locals: s.locals.map((l, k) => (k === t ? th.after(l, pending, o.value, o.failed === true) : l)),
      graph: o.graph,
    };
  }
  return undefined;
}
