/**
 * The observable difference of two protocol versions: the shortest run whose operations' results (each
 * operation's result word: `ok`, `ok:last`, a `GetFrameError`, an abort) differ between two sides —
 * `current`, `legacy`, a mutant of the catalog, or a third-party module.
 *
 * Sequential first: a breadth-first search over the operation sequences of one thread (its any-op
 * program of the instance's depth, then the drops of what it holds), both sides stepped together, each
 * operation run to completion; the first sequence whose result words differ is the answer. Then
 * concurrent: each side's interleavings of the instance's threads explored breadth-first with what each
 * thread observed so far (per thread, its operations and their results) as part of the state; an
 * observation one side reaches and the other cannot, with the fewest operations, is the answer, and the
 * other side's results are those it gives to the same operation after the same observations.
 *
 * An operation one side does not have (a `UniqueFrame` operation on the legacy protocol) returns
 * `NO_SUCH_OP` there: a caller of that operation observes the difference.
 */
import { KernelAbort } from '../../impl/meta/abort.ts';
import { stateKey } from '../check/canon.ts';
import type { Instance } from '../check/instance.ts';
import { initialState, step, threadLabels, type Label, type State, type StepResult } from '../check/model.ts';
import { World, type Subject } from '../check/world.ts';
import { OP_TABLE } from '../ops/opTable.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';

/** The result word of an operation the side does not have. */
export const NO_SUCH_OP = '(no such operation)';

/** One side of a diff: its name as given, its protocol, and what it runs instead of framecheck's code. */
export type DiffSide = Readonly<{
  name: string;
  variant: 'current' | 'legacy';
  subject: Subject | undefined;
}>;

/** One completed operation of a run: the thread, the operation, its frame and its result word. */
export type Observed = Readonly<{ t: number; op: FrameOpName; frame: number; result: string }>;

/**
 * One operation of a distinguishing trace with both sides' results: the witness side's result, and the
 * results the other side gives to the same operation after the same observations (none: it cannot
 * complete the operation there).
 */
export type DiffStep = Readonly<{
  t: number;
  op: FrameOpName;
  frame: number;
  left: readonly string[];
  right: readonly string[];
}>;

/** The answer of a diff. */
export type DiffResult =
  | Readonly<{
      verdict: 'differ';
      phase: 'sequential' | 'concurrent';
      /** The side whose run the trace is (the other cannot produce its observations). */
      witness: 'left' | 'right';
      steps: readonly DiffStep[];
      /** The witness's schedule: every atomic step (a continuing step has no `op`). */
      labels: readonly Label[];
      states: number;
    }>
  | Readonly<{ verdict: 'same'; states: number }>
  | Readonly<{ verdict: 'incomplete'; states: number; reason: string }>;

/** The bounds of a diff: the instance (its variant and mutant are the sides') and a state limit. */
export type DiffOptions = Readonly<{ instance: Instance; maxStates: number }>;

/** Accesses after which an operation running alone counts as spinning. */
const SPIN_BOUND = 256;

/** A side's world over the instance, with the instance as that side sees it. */
type Runner = Readonly<{ side: DiffSide; inst: Instance; world: World }>;

function runner(side: DiffSide, inst: Instance): Runner {
  const own: Instance = { ...inst, variant: side.variant, mutant: undefined, symmetry: false, por: false };
  return { side, inst: own, world: new World(own, side.subject) };
}

/** Whether `side` has operation `op`. */
function has(r: Runner, op: FrameOpName): boolean {
  return !(r.side.variant === 'legacy' && OP_TABLE[op].unique);
}

type Move = Readonly<{ state: State; label: Label; result: StepResult | undefined; word: string | undefined }>;

/** One step of thread `l.t`: its result word when an operation returned or aborted on it. */
function move(r: Runner, s: State, l: Label): Move {
  if (l.op !== undefined && !has(r, l.op)) return { state: s, label: l, result: undefined, word: NO_SUCH_OP };
  let res: StepResult;
  try {
    res = step(r.world, r.inst, s, l);
  } catch (e) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { state: { ...s, halted: true }, label: l, result: undefined, word: `crash (${what})` };
  }
  if (res.abort !== undefined) return { state: res.state, label: l, result: res, word: abortWord(res.abort.error) };
  if (res.completed !== undefined) return { state: res.state, label: l, result: res, word: res.completed.result };
  const th = res.state.threads[l.t]!;
  if (th.log.length > SPIN_BOUND)
    return { state: { ...res.state, halted: true }, label: l, result: res, word: 'spins' };
  return { state: res.state, label: l, result: res, word: undefined };
}

function abortWord(e: KernelAbort): string {
  return `abort (${e.reason})`;
}

/** Runs operation `l` of thread `l.t` alone to its end: its result word and the schedule it took. */
function runOp(r: Runner, s: State, l: Label): { state: State; word: string; labels: Label[] } {
  const labels: Label[] = [l];
  let m = move(r, s, l);
  while (m.word === undefined) {
    const next: Label = { t: l.t, op: undefined, frame: l.frame };
    labels.push(next);
    m = move(r, m.state, next);
  }
  return { state: m.state, word: m.word, labels };
}

type SeqNode = Readonly<{ left: State; right: State; steps: readonly DiffStep[]; labels: readonly Label[] }>;

/** The sequential phase: one thread, the instance's first program, both sides in lockstep. */
function sequential(L: Runner, R: Runner, maxStates: number): DiffResult {
  const single: Instance = { ...L.inst, threads: 1, programs: [L.inst.programs[0]!] };
  const l1 = runner(L.side, single);
  const r1 = runner(R.side, single);
  const seen = new Set<string>();
  let frontier: SeqNode[] = [{ left: initialState(l1.world), right: initialState(r1.world), steps: [], labels: [] }];
  while (frontier.length > 0) {
    const next: SeqNode[] = [];
    for (const n of frontier) {
      if (n.left.halted || n.right.halted) continue;
      for (const l of threadLabels(l1.inst, 0, n.left.threads[0]!)) {
        const a = runOp(l1, n.left, l);
        const b = runOp(r1, n.right, l);
        const st: DiffStep = { t: 0, op: l.op!, frame: l.frame, left: [a.word], right: [b.word] };
        if (a.word !== b.word)
          return {
            verdict: 'differ',
            phase: 'sequential',
            witness: 'left',
            steps: [...n.steps, st],
            labels: [...n.labels, ...a.labels],
            states: seen.size,
          };
        const key = `${stateKey(a.state)}#${stateKey(b.state)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > maxStates)
          return { verdict: 'incomplete', states: seen.size, reason: `more than ${maxStates} states` };
        next.push({ left: a.state, right: b.state, steps: [...n.steps, st], labels: [...n.labels, ...a.labels] });
      }
    }
    frontier = next;
  }
  return { verdict: 'same', states: seen.size };
}

/** A node of a side's concurrent search: its state, what each thread observed, and how it got there. */
type ObsNode = Readonly<{
  state: State;
  obs: readonly (readonly Observed[])[];
  parent: number;
  label: Label | undefined;
}>;

const obsKey = (obs: readonly (readonly Observed[])[]): string =>
  obs.map((os) => os.map((o) => `${o.op}@${o.frame}=${o.result}`).join(',')).join(';');

type Explored = Readonly<{ nodes: readonly ObsNode[]; byObs: ReadonlyMap<string, number> } | { limit: number }>;

/** Every observation `r` can reach, breadth-first (the first node reaching one is a shortest run to it). */
function observations(r: Runner, maxStates: number): Explored {
  const nodes: ObsNode[] = [
    { state: initialState(r.world), obs: r.inst.programs.map(() => []), parent: -1, label: undefined },
  ];
  const seen = new Set<string>([`${stateKey(nodes[0]!.state)}#${obsKey(nodes[0]!.obs)}`]);
  const byObs = new Map<string, number>([[obsKey(nodes[0]!.obs), 0]]);
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.state.halted) continue;
    for (let t = 0; t < r.inst.threads; t++) {
      for (const l of threadLabels(r.inst, t, n.state.threads[t]!)) {
        const m = move(r, n.state, l);
        const th = n.state.threads[t]!;
        const op = l.op ?? th.op!;
        const obs =
          m.word === undefined
            ? n.obs
            : n.obs.map((os, u) =>
                u === t ? [...os, { t, op, frame: th.op === undefined ? l.frame : th.frame, result: m.word! }] : os,
              );
        const key = `${stateKey(m.state)}#${obsKey(obs)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > maxStates) return { limit: seen.size };
        nodes.push({ state: m.state, obs, parent: k, label: l });
        const ok = obsKey(obs);
        if (!byObs.has(ok)) byObs.set(ok, nodes.length - 1);
      }
    }
  }
  return { nodes, byObs };
}

/** The observations of `node` in completion order, and the schedule that reached it. */
function pathOf(nodes: readonly ObsNode[], node: number): { labels: Label[]; order: Observed[] } {
  const labels: Label[] = [];
  const order: Observed[] = [];
  for (let k = node; nodes[k]!.parent >= 0; k = nodes[k]!.parent) {
    const n = nodes[k]!;
    const p = nodes[n.parent]!;
    labels.unshift(n.label!);
    const t = n.label!.t;
    if (n.obs[t]!.length > p.obs[t]!.length) order.unshift(n.obs[t]![n.obs[t]!.length - 1]!);
  }
  return { labels, order };
}

const opCount = (key: string): number => key.split(/[;,]/).filter((s) => s !== '').length;

/** The shortest observation of `a` that `b` cannot produce, as a trace with `b`'s results for its last operation. */
function firstMissing(
  a: Extract<Explored, { nodes: unknown }>,
  b: Extract<Explored, { nodes: unknown }>,
): { node: number; steps: DiffStep[]; labels: Label[]; ops: number } | undefined {
  let best: { key: string; node: number; ops: number } | undefined;
  for (const [key, node] of a.byObs) {
    if (b.byObs.has(key)) continue;
    const ops = opCount(key);
    if (best === undefined || ops < best.ops || (ops === best.ops && node < best.node)) best = { key, node, ops };
  }
  if (best === undefined) return undefined;
  const { labels, order } = pathOf(a.nodes, best.node);
  const last = order[order.length - 1]!;
  // The other side's results for the same operation after the same observations (its prefix is reachable there).
  const prefix = a.nodes[best.node]!.obs.map((os, t) => (t === last.t ? os.slice(0, -1) : os));
  const others = new Set<string>();
  for (const key of b.byObs.keys()) {
    const n = b.nodes[b.byObs.get(key)!]!;
    const os = n.obs[last.t]!;
    const o = os[os.length - 1];
    if (o === undefined || o.op !== last.op || o.frame !== last.frame) continue;
    const without = n.obs.map((x, t) => (t === last.t ? x.slice(0, -1) : x));
    if (obsKey(without) === obsKey(prefix)) others.add(o.result);
  }
  const steps = order.map((o, k) => ({
    t: o.t,
    op: o.op,
    frame: o.frame,
    left: [o.result],
    right: k < order.length - 1 ? [o.result] : [...others].sort(),
  }));
  return { node: best.node, steps, labels, ops: best.ops };
}

/** The concurrent phase: the instance's threads, each side explored on its own. */
function concurrent(L: Runner, R: Runner, maxStates: number, carried: number): DiffResult {
  const a = observations(L, maxStates);
  if ('limit' in a)
    return { verdict: 'incomplete', states: carried + a.limit, reason: `more than ${maxStates} states` };
  const b = observations(R, maxStates);
  const states = carried + a.nodes.length + ('limit' in b ? b.limit : b.nodes.length);
  if ('limit' in b) return { verdict: 'incomplete', states, reason: `more than ${maxStates} states` };
  const ab = firstMissing(a, b);
  const ba = firstMissing(b, a);
  const pick = ab === undefined ? ba : ba === undefined || ab.ops <= ba.ops ? ab : ba;
  if (pick === undefined) return { verdict: 'same', states };
  const witness = pick === ab ? 'left' : 'right';
  const steps = witness === 'left' ? pick.steps : pick.steps.map((s) => ({ ...s, left: s.right, right: s.left }));
  return { verdict: 'differ', phase: 'concurrent', witness, steps, labels: pick.labels, states };
}

/** The shortest run whose observable results differ between `left` and `right`, within `opts`' bounds. */
export function diffProtocols(left: DiffSide, right: DiffSide, opts: DiffOptions): DiffResult {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const L = runner(left, opts.instance);
    const R = runner(right, opts.instance);
    const seq = sequential(L, R, opts.maxStates);
    if (seq.verdict !== 'same') return seq;
    if (opts.instance.threads < 2) return seq;
    return concurrent(L, R, opts.maxStates, seq.states);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
