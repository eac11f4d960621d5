/** Runs a litmus test under RC11: every consistent execution of its threads (`exploreGraphs`). */
import type { Axiom, Race } from '../memory/rc11/consistency.ts';
import type { ExecutionGraph, GraphEvent } from '../memory/rc11/ExecutionGraph.ts';
import { exploreGraphs, type GraphThread, type PendingAccess } from '../memory/rc11/exploreGraphs.ts';
import { showProp, type Access, type Expr, type Instr, type LitmusTest, type Prop } from './LitmusTest.ts';

type Regs = ReadonlyMap<string, bigint>;
type ThreadState = Readonly<{ pc: number; regs: Regs }>;

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

/**
 * `atomic_compare_exchange_*(x, e, d, s, f)` is three accesses in herd's semantics: a plain read of `*e`,
 * the CAS of `x` against that value, and — when it fails — a plain write of what it read back into `*e`.
 * `phase` says which comes next; `expected`/`observed` carry the values between them.
 */
type CasProgress = Readonly<{ phase: 'cas' | 'writeBack'; expected: bigint; observed: bigint }>;

/** A litmus thread's local state: its position, its registers and a CAS in progress. */
type Local = Readonly<{ pc: number; regs: Regs; cas?: CasProgress }>;

function litmusThread(code: readonly Instr[]): GraphThread<Local> {
  const at = (s: Local) => code[s.pc] as Extract<Instr, { kind: 'access' }> | undefined;
  const done = (s: Local, dst: string | undefined, v: bigint | undefined): Local => {
    const regs = dst === undefined || v === undefined ? s.regs : new Map(s.regs).set(dst, v);
    return settle(code, { pc: s.pc + 1, regs });
  };
  return {
    next(s) {
      const ins = at(s);
      if (ins === undefined) return undefined;
      const label = `L${ins.line} ${ins.text}`;
      const a = ins.access;
      const one = (access: PendingAccess) => ({ accesses: [access], label });
      if (a.kind !== 'cas') return one(toPending(a, s.regs));
      if (s.cas === undefined) return one({ kind: 'load', loc: a.expected, order: 'na' });
      if (s.cas.phase === 'cas')
        return one({
          kind: 'cas',
          loc: a.loc,
          expected: s.cas.expected,
          desired: evalExpr(a.desired, s.regs),
          success: a.success,
          failure: a.failure,
          weak: a.weak,
        });
      return one({ kind: 'store', loc: a.expected, value: s.cas.observed, order: 'na' });
    },
    after(s, _step, value, failed) {
      const ins = at(s)!;
      if (ins.access.kind !== 'cas') return done(s, ins.dst, value);
      if (s.cas === undefined) return { ...s, cas: { phase: 'cas', expected: value!, observed: 0n } };
      if (s.cas.phase === 'cas' && failed) return { ...s, cas: { ...s.cas, phase: 'writeBack', observed: value! } };
      const { cas: _cas, ...rest } = s;
      return done(rest, ins.dst, s.cas.phase === 'cas' ? 1n : 0n);
    },
    key: (s) =>
      `${s.pc}${s.cas === undefined ? '' : `/${s.cas.phase}${s.cas.expected}:${s.cas.observed}`}[${[...s.regs].map(([k, v]) => `${k}=${v}`).join(',')}]`,
  };
}

function toPending(a: Exclude<Access, { kind: 'cas' }>, regs: Regs): PendingAccess {
  switch (a.kind) {
    case 'fence':
    case 'load':
      return a;
    case 'store':
      return { kind: 'store', loc: a.loc, value: evalExpr(a.value, regs), order: a.order };
    case 'rmw': {
      const v = evalExpr(a.value, regs);
      const update =
        a.op === 'exchange' ? () => v : a.op === 'fetch_add' ? (old: bigint) => old + v : (old: bigint) => old - v;
      return { kind: 'rmw', loc: a.loc, order: a.order, update };
    }
  }
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
  const threads = test.threads.map((th) => litmusThread(th.code));
  const initial = test.threads.map((th) => settle(th.code, { pc: 0, regs: new Map(th.registers.map((r) => [r, 0n])) }));
  const r = exploreGraphs(threads, initial, test.init, ignore === undefined ? {} : { ignore });
  return summarize(
    test,
    r.executions.map((e) => ({ regs: e.locals.map((l) => l.regs), graph: e.graph, races: e.races })),
  );
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
