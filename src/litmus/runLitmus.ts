/**
 * Runs a litmus test under RC11: every consistent execution graph of its threads, found by adding one
 * access at a time (a read choosing any write of its location, a write any coherence position) and
 * pruning a partial graph as soon as it breaks an axiom. Partial states are memoized, so the order in
 * which independent events are added is explored once per distinct graph.
 */
import { checkConsistency, type Axiom, type Race } from '../memory/rc11/consistency.ts';
import { ExecutionGraph, type GraphEvent } from '../memory/rc11/ExecutionGraph.ts';
import { showProp, type Access, type Expr, type Instr, type LitmusTest, type Prop } from './LitmusTest.ts';

type Regs = ReadonlyMap<string, bigint>;
type ThreadState = Readonly<{ pc: number; regs: Regs }>;
type State = Readonly<{ threads: readonly ThreadState[]; graph: ExecutionGraph }>;

/** One access of a race, as the report shows it. */
export type RaceAccess = Readonly<{
  thread: string;
  line: number;
  text: string;
  access: string;
  loc: string;
  order: string;
}>;
export type LitmusRace = Readonly<{ first: RaceAccess; second: RaceAccess; missing: string }>;

export type LitmusResult = Readonly<{
  test: string;
  condition: string;
  observation: 'Never' | 'Sometimes' | 'Always';
  positive: number;
  negative: number;
  executions: number;
  /** Distinct final states over the condition's registers and locations, with whether each satisfies it. */
  states: readonly Readonly<{ values: Readonly<Record<string, string>>; satisfies: boolean }>[];
  races: readonly LitmusRace[];
  /** Whether the test passes: `exists`/`~exists` never observed, `forall` always true. */
  holds: boolean;
}>;

function evalExpr(e: Expr, regs: Regs): bigint {
  switch (e.kind) {
    case 'int':
      return e.value;
    case 'reg':
      return regs.get(e.name) ?? 0n;
    case 'unary': {
      const v = evalExpr(e.arg, regs);
      return e.op === '!' ? (v === 0n ? 1n : 0n) : -v;
    }
    case 'binary': {
      const l = evalExpr(e.left, regs);
      const r = evalExpr(e.right, regs);
      const b = (x: boolean) => (x ? 1n : 0n);
      const ops: Record<typeof e.op, () => bigint> = {
        '+': () => l + r,
        '-': () => l - r,
        '*': () => l * r,
        '&': () => l & r,
        '|': () => l | r,
        '^': () => l ^ r,
        '==': () => b(l === r),
        '!=': () => b(l !== r),
        '<': () => b(l < r),
        '<=': () => b(l <= r),
        '>': () => b(l > r),
        '>=': () => b(l >= r),
        '&&': () => b(l !== 0n && r !== 0n),
        '||': () => b(l !== 0n || r !== 0n),
      };
      return ops[e.op]();
    }
  }
}

/** Runs the thread's local instructions up to its next access (or its end). */
function settle(code: readonly Instr[], th: ThreadState): ThreadState {
  let { pc, regs } = th;
  for (;;) {
    const ins = code[pc];
    if (ins === undefined || ins.kind === 'access') return { pc, regs };
    if (ins.kind === 'set') {
      regs = new Map(regs).set(ins.dst, evalExpr(ins.value, regs));
      pc++;
    } else if (ins.kind === 'jump') pc = ins.to;
    else pc = evalExpr(ins.cond, regs) !== 0n ? pc + 1 : ins.ifFalse;
  }
}

type Step = Readonly<{ graph: ExecutionGraph; result: bigint | undefined }>;

/** Every way access `a` of thread `t` can extend graph `g` (consistency is checked by the caller). */
function accessSteps(g: ExecutionGraph, t: number, a: Access, regs: Regs, label: string): Step[] {
  const ev = (e: Omit<GraphEvent, 'index' | 'thread' | 'label'>) => ({ ...e, thread: t, label });
  switch (a.kind) {
    case 'fence':
      return [{ graph: g.extend(ev({ kind: 'F', loc: '', order: a.order })), result: undefined }];
    case 'load':
      return g
        .writesTo(a.loc)
        .map((w) => ({ graph: g.extend(ev({ kind: 'R', loc: a.loc, order: a.order }), w), result: g.valueOf(w) }));
    case 'store': {
      const written = evalExpr(a.value, regs);
      return g
        .moPositions(a.loc)
        .map((at) => ({
          graph: g.extend(ev({ kind: 'W', loc: a.loc, order: a.order, written }), -1, at),
          result: undefined,
        }));
    }
    case 'rmw': {
      const v = evalExpr(a.value, regs);
      return g.writesTo(a.loc).map((w) => {
        const old = g.valueOf(w);
        const written = a.op === 'exchange' ? v : a.op === 'fetch_add' ? old + v : old - v;
        return { graph: g.extend(ev({ kind: 'U', loc: a.loc, order: a.order, written }), w), result: old };
      });
    }
    case 'cas':
      return casSteps(g, t, a, regs, label);
  }
}

/**
 * `atomic_compare_exchange_*(x, e, d, s, f)`: a plain read of `*e`, then either a successful RMW of `x`
 * (order `s`) reading the expected value, or a failed read (order `f`) of another value — any value for
 * a weak CAS, which may fail spuriously — followed by a plain write of what it read back into `*e`.
 */
function casSteps(
  g0: ExecutionGraph,
  t: number,
  a: Extract<Access, { kind: 'cas' }>,
  regs: Regs,
  label: string,
): Step[] {
  const out: Step[] = [];
  for (const we of g0.writesTo(a.expected)) {
    const g1 = g0.extend({ thread: t, kind: 'R', loc: a.expected, order: 'na', label }, we);
    const expected = g0.valueOf(we);
    const desired = evalExpr(a.desired, regs);
    for (const w of g1.writesTo(a.loc)) {
      const seen = g1.valueOf(w);
      if (seen === expected)
        out.push({
          graph: g1.extend({ thread: t, kind: 'U', loc: a.loc, order: a.success, written: desired, label }, w),
          result: 1n,
        });
      if (seen !== expected || a.weak) {
        const g2 = g1.extend({ thread: t, kind: 'R', loc: a.loc, order: a.failure, label }, w);
        for (const at of g2.moPositions(a.expected))
          out.push({
            graph: g2.extend({ thread: t, kind: 'W', loc: a.expected, order: 'na', written: seen, label }, -1, at),
            result: 0n,
          });
      }
    }
  }
  return out;
}

function stateKey(s: State): string {
  return `${s.threads.map((th) => `${th.pc}[${[...th.regs].map(([k, v]) => `${k}=${v}`).join(',')}]`).join('|')}#${s.graph.key()}`;
}

function evalProp(p: Prop, regs: readonly Regs[], g: ExecutionGraph): boolean {
  switch (p.kind) {
    case 'true':
      return true;
    case 'atom':
      return (p.thread === undefined ? g.finalValue(p.name) : (regs[p.thread]!.get(p.name) ?? 0n)) === p.value;
    case 'not':
      return !evalProp(p.arg, regs, g);
    case 'and':
      return evalProp(p.left, regs, g) && evalProp(p.right, regs, g);
    case 'or':
      return evalProp(p.left, regs, g) || evalProp(p.right, regs, g);
  }
}

function atoms(p: Prop): Extract<Prop, { kind: 'atom' }>[] {
  if (p.kind === 'atom') return [p];
  if (p.kind === 'not') return atoms(p.arg);
  if (p.kind === 'true') return [];
  return [...atoms(p.left), ...atoms(p.right)];
}

const ORDER_NAMES: Readonly<Record<string, string>> = {
  na: 'plain',
  rlx: 'relaxed',
  acq: 'acquire',
  rel: 'release',
  acq_rel: 'acq_rel',
  sc: 'seq_cst',
};

function raceAccess(test: LitmusTest, e: GraphEvent): RaceAccess {
  const th = test.threads[e.thread]!;
  const line = Number(/^L(\d+)/.exec(e.label ?? '')?.[1] ?? 0);
  return {
    thread: th.name,
    line,
    text: (e.label ?? '').replace(/^L\d+ /, ''),
    access: e.kind === 'R' ? 'read' : e.kind === 'W' ? 'write' : 'read-modify-write',
    loc: e.loc,
    order: ORDER_NAMES[e.order]!,
  };
}

function describeRace(test: LitmusTest, g: ExecutionGraph, r: Race): LitmusRace {
  const first = raceAccess(test, g.events[r.a]!);
  const second = raceAccess(test, g.events[r.b]!);
  return {
    first,
    second,
    missing: `no happens-before between ${first.thread}'s ${first.access} and ${second.thread}'s ${second.access} of ${first.loc}: a release write (or fence) read by an acquire read (or followed by an acquire fence) must order them`,
  };
}

/** Runs `test` to exhaustion under RC11 (`ignore`: axioms left out, to test the suite itself). */
export function runLitmus(test: LitmusTest, ignore?: ReadonlySet<Axiom>): LitmusResult {
  const initial: State = {
    threads: test.threads.map((th) => settle(th.code, { pc: 0, regs: new Map(th.registers.map((r) => [r, 0n])) })),
    graph: ExecutionGraph.initial(test.threads.length, test.init),
  };
  const seen = new Set<string>();
  const finals = new Map<string, Readonly<{ regs: readonly Regs[]; graph: ExecutionGraph; races: readonly Race[] }>>();
  const stack: State[] = [initial];
  while (stack.length > 0) {
    const s = stack.pop()!;
    let moved = false;
    s.threads.forEach((th, t) => {
      const code = test.threads[t]!.code;
      const ins = code[th.pc];
      if (ins === undefined || ins.kind !== 'access') return;
      moved = true;
      for (const st of accessSteps(s.graph, t, ins.access, th.regs, `L${ins.line} ${ins.text}`)) {
        const c = checkConsistency(st.graph, ignore);
        if (!c.consistent) continue;
        const regs =
          ins.dst === undefined || st.result === undefined ? th.regs : new Map(th.regs).set(ins.dst, st.result);
        const nt = settle(code, { pc: th.pc + 1, regs });
        const next: State = { threads: s.threads.map((x, k) => (k === t ? nt : x)), graph: st.graph };
        const key = stateKey(next);
        if (!seen.has(key)) {
          seen.add(key);
          stack.push(next);
        }
      }
    });
    if (!moved) {
      const c = checkConsistency(s.graph, ignore);
      if (c.consistent)
        finals.set(s.graph.key(), { regs: s.threads.map((th) => th.regs), graph: s.graph, races: c.races });
    }
  }
  return summarize(test, [...finals.values()]);
}

function summarize(
  test: LitmusTest,
  finals: readonly Readonly<{ regs: readonly Regs[]; graph: ExecutionGraph; races: readonly Race[] }>[],
): LitmusResult {
  const shown = [...new Map(atoms(test.prop).map((a) => [`${a.thread ?? ''}:${a.name}`, a])).values()];
  const states = new Map<string, { values: Record<string, string>; satisfies: boolean }>();
  const races = new Map<string, LitmusRace>();
  let positive = 0;
  for (const f of finals) {
    const satisfies = evalProp(test.prop, f.regs, f.graph);
    if (satisfies) positive++;
    const values: Record<string, string> = {};
    for (const a of shown)
      values[a.thread === undefined ? a.name : `${a.thread}:${a.name}`] = String(
        a.thread === undefined ? f.graph.finalValue(a.name) : (f.regs[a.thread]!.get(a.name) ?? 0n),
      );
    states.set(JSON.stringify(values), { values, satisfies });
    for (const r of f.races) {
      const d = describeRace(test, f.graph, r);
      races.set(`${d.first.thread}:${d.first.line}|${d.second.thread}:${d.second.line}|${d.first.loc}`, d);
    }
  }
  const negative = finals.length - positive;
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  const holds = test.quantifier === 'forall' ? observation === 'Always' : observation === 'Never';
  return {
    test: test.name,
    condition: `${test.quantifier} ${showProp(test.prop)}`,
    observation,
    positive,
    negative,
    executions: finals.length,
    states: [...states.values()].sort((a, b) => (JSON.stringify(a.values) < JSON.stringify(b.values) ? -1 : 1)),
    races: [...races.values()],
    holds,
  };
}
