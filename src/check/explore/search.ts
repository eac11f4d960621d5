/**
 * Exhaustive exploration: breadth-first by default (the first violation found has a shortest trace),
 * depth-first on request. States are stored as 64-bit fingerprints of their symmetry representative;
 * parent pointers and labels live in typed arrays; sleep sets (from each step's real footprint) prune
 * transitions that commute with one already explored. Limits stop the search gracefully.
 */
import { stateFindings, completedFindings, abortFindings, quiescentFindings, type Finding } from '../checks.ts';
import { Symmetry, type Canonical } from '../canon.ts';
import { FingerprintSet, fingerprint } from '../FingerprintSet.ts';
import { enabled, initialState, step, type Label, type State, type StepResult } from '../model.ts';
import { OP_NAMES, type Instance } from '../instance.ts';
import { mutantOf, World, type Subject } from '../world.ts';
import type { Access } from '../ReplayMemory.ts';

export type Limits = Readonly<{ maxStates: number; timeLimitMs: number; maxMemoryBytes: number }>;

export type SearchOptions = Readonly<{
  limits: Limits;
  dfs?: boolean;
  onProgress?: (p: Progress) => void;
  /** The longest an operation may run (accesses) before the thread is examined for a livelock. */
  opAccessBound?: number;
  /** Called once per distinct state, with its 64-bit fingerprint (certificates digest the reachable set). */
  onState?: (fingerprintHi: number, fingerprintLo: number) => void;
  /** What runs instead of the instance's implementation (a third party's, for `conform`). */
  subject?: Subject;
}>;

export type Progress = Readonly<{
  states: number;
  transitions: number;
  queue: number;
  depth: number;
  seconds: number;
  statesPerSecond: number;
  memoryBytes: number;
}>;

export type Stats = Progress &
  Readonly<{
    reductions: {
      symmetry: boolean;
      frameSymmetry: boolean;
      por: boolean;
      sleepPruned: number;
      hashCompaction: '64-bit';
    };
  }>;

export type Violation = Readonly<{ finding: Finding; labels: readonly Label[] }>;

export type SearchResult =
  | (Readonly<{ verdict: 'ok' }> & Stats)
  | (Readonly<{ verdict: 'violation'; violation: Violation }> & Stats)
  | (Readonly<{ verdict: 'incomplete'; reason: string }> & Stats);

type Entry = { state: State; id: number; depth: number; sleep: readonly string[] };

const labelKey = (l: Label) => `${l.t}/${l.op ?? '.'}/${l.frame}`;

/** Encodes labels compactly for the parent table. */
function encodeLabel(l: Label): number {
  return l.t | ((l.op === undefined ? 0 : OP_NAMES.indexOf(l.op) + 1) << 8) | ((l.frame + 1) << 16);
}

export function decodeLabel(x: number): Label {
  const opIx = (x >> 8) & 0xff;
  return { t: x & 0xff, op: opIx === 0 ? undefined : OP_NAMES[opIx - 1], frame: ((x >> 16) & 0xffff) - 1 };
}

class Growable {
  data = new Int32Array(1 << 16);
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const d = new Int32Array(Math.max(this.data.length * 2, i + 1));
      d.set(this.data);
      this.data = d;
    }
    this.data[i] = v;
  }
}

/** Explores every interleaving of `inst`'s threads through the real implementation. */
export function explore(inst: Instance, opts: SearchOptions): SearchResult {
  // Kernel aborts are outcomes here, thrown on many paths: their stack traces would dominate the run.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return search(inst, opts);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function search(inst: Instance, opts: SearchOptions): SearchResult {
  const world = new World(inst, opts.subject ?? mutantOf(inst));
  const sym = new Symmetry(inst, world.per, inst.symmetry);
  const seen = new FingerprintSet();
  const parent = new Growable();
  const via = new Growable();
  const sleeps = new Map<number, readonly string[]>();
  const t0 = performance.now();
  let transitions = 0;
  let maxDepth = 0;
  let pruned = 0;
  let lastProgress = t0;
  const bound = opts.opAccessBound ?? 256;

  const stats = (queue: number): Stats => {
    const seconds = (performance.now() - t0) / 1000;
    return {
      states: seen.size,
      transitions,
      queue,
      depth: maxDepth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(seen.size / seconds) : seen.size,
      memoryBytes: process.memoryUsage().heapUsed + seen.bytes,
      reductions: {
        symmetry: inst.symmetry,
        frameSymmetry: sym.frames,
        por: inst.por,
        sleepPruned: pruned,
        hashCompaction: '64-bit',
      },
    };
  };
  const pathTo = (id: number, last?: Label): Label[] => {
    const out: Label[] = last ? [last] : [];
    for (let i = id; i > 0; i = parent.data[i]!) out.push(decodeLabel(via.data[i]!));
    return out.reverse();
  };

  const root = sym.canon(initialState(world));
  const f0 = fingerprint(root.key);
  const r0 = seen.add(...f0);
  opts.onState?.(...f0);
  const init = stateFindings(world, root.state);
  if (init.length > 0) return { verdict: 'violation', violation: { finding: init[0]!, labels: [] }, ...stats(0) };
  const frontier: Entry[] = [{ state: root.state, id: r0.id, depth: 0, sleep: [] }];
  let head = 0;

  while (head < frontier.length) {
    const e = opts.dfs ? frontier.pop()! : frontier[head++]!;
    if (!opts.dfs && head > 4096) {
      frontier.splice(0, head);
      head = 0;
    }
    const now = performance.now();
    if (seen.size >= opts.limits.maxStates)
      return {
        verdict: 'incomplete',
        reason: `--max-states ${opts.limits.maxStates} reached`,
        ...stats(frontier.length - head),
      };
    if (now - t0 > opts.limits.timeLimitMs)
      return { verdict: 'incomplete', reason: `--time-limit reached`, ...stats(frontier.length - head) };
    if (now - lastProgress > 2000) {
      lastProgress = now;
      const s = stats(frontier.length - head);
      if (s.memoryBytes > opts.limits.maxMemoryBytes)
        return { verdict: 'incomplete', reason: `--max-memory reached`, ...s };
      opts.onProgress?.(s);
    }
    const labels = enabled(inst, e.state);
    const leak = labels.length === 0 ? quiescentFindings(world, e.state)[0] : undefined;
    if (leak !== undefined)
      return {
        verdict: 'violation',
        violation: { finding: leak, labels: pathTo(e.id) },
        ...stats(frontier.length - head),
      };
    const results: StepResult[] = [];
    for (const l of labels) {
      const r = guardedStep(world, inst, e.state, l);
      if ('property' in r)
        return {
          verdict: 'violation',
          violation: { finding: r, labels: pathTo(e.id, l) },
          ...stats(frontier.length - head),
        };
      results.push(r);
    }
    const done: number[] = [];
    for (let k = 0; k < labels.length; k++) {
      const l = labels[k]!;
      const r = results[k]!;
      transitions++;
      if (inst.por && e.sleep.includes(labelKey(l))) {
        pruned++;
        continue;
      }
      const finding = transitionFinding(world, l, r, bound);
      if (finding !== undefined)
        return {
          verdict: 'violation',
          violation: { finding, labels: pathTo(e.id, l) },
          ...stats(frontier.length - head),
        };
      const c = sym.canon(r.state);
      const sleep = inst.por ? childSleep(e, labels, results, done, k, c) : [];
      done.push(k);
      const fp = fingerprint(c.key);
      const { id, isNew } = seen.add(...fp);
      if (!isNew) {
        const old = sleeps.get(id);
        if (old === undefined || old.length === 0 || old.every((x) => sleep.includes(x))) continue;
        const narrowed = old.filter((x) => sleep.includes(x));
        sleeps.set(id, narrowed);
        frontier.push({ state: c.state, id, depth: e.depth + 1, sleep: narrowed });
        continue;
      }
      if (seen.size > opts.limits.maxStates)
        return {
          verdict: 'incomplete',
          reason: `--max-states ${opts.limits.maxStates} reached`,
          ...stats(frontier.length - head),
          states: opts.limits.maxStates,
        };
      opts.onState?.(...fp);
      parent.set(id, e.id);
      via.set(id, encodeLabel(l));
      if (sleep.length > 0) sleeps.set(id, sleep);
      maxDepth = Math.max(maxDepth, e.depth + 1);
      const bad = stateFindings(world, c.state);
      if (bad.length > 0)
        return {
          verdict: 'violation',
          violation: { finding: bad[0]!, labels: pathTo(id) },
          ...stats(frontier.length - head),
        };
      frontier.push({ state: c.state, id, depth: e.depth + 1, sleep });
    }
  }
  return { verdict: 'ok', ...stats(0) };
}

/** The sleep set of the child reached by `labels[k]`: earlier siblings and sleeping labels that commute with it, renamed. */
function childSleep(
  e: Entry,
  labels: readonly Label[],
  results: readonly StepResult[],
  done: readonly number[],
  k: number,
  c: Canonical,
): string[] {
  const mine = results[k]!;
  const l = labels[k]!;
  const out: string[] = [];
  if (c.ambiguous) return out;
  const consider = (j: number) => {
    const other = labels[j]!;
    if (other.t === l.t || !independent(mine, results[j]!)) return;
    out.push(
      labelKey({
        t: c.threadPerm[other.t]!,
        op: other.op,
        frame: other.frame < 0 ? other.frame : c.framePerm[other.frame]!,
      }),
    );
  };
  for (const j of done) consider(j);
  labels.forEach((other, j) => {
    if (j !== k && e.sleep.includes(labelKey(other))) consider(j);
  });
  return out;
}

/** Two steps of different threads commute when they touch disjoint words and neither stops the kernel. */
function independent(a: StepResult, b: StepResult): boolean {
  if (a.abort !== undefined || b.abort !== undefined) return false;
  for (const w of a.touched) if (b.touched.includes(w)) return false;
  return true;
}

/**
 * A step; an exception the implementation throws (other than a kernel abort, which is an outcome) is
 * a `crash` finding blamed on it, not a failure of the checker.
 */
export function guardedStep(world: World, inst: Instance, s: State, l: Label): StepResult | Finding {
  try {
    return step(world, inst, s, l);
  } catch (e) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return {
      property: 'crash',
      verus: '(the implementation threw)',
      blame: 'implementation',
      message: `thread ${l.t}: ${l.op ?? 'continuing'}(${l.frame}) threw ${what}`,
      frame: l.frame,
    };
  }
}

/** A violation caused by the transition itself: a wrong return, an abort outside may_panic, a livelock. */
export function transitionFinding(world: World, l: Label, r: StepResult, bound: number): Finding | undefined {
  // An allowed abort stops the kernel right there: what it wrote just before (an overflowed count,
  // as Arc::clone does) is never seen by anyone.
  if (r.abort !== undefined)
    return abortFindings(world, l.t, r.abort.op, r.abort.frame, r.abort.log, r.abort.error.reason)[0];
  if (r.midStep !== undefined) return r.midStep;
  if (r.completed !== undefined) return completedFindings(world, r.completed)[0];
  const th = r.state.threads[l.t]!;
  // A cycle counts only when the thread ran it alone: then nothing but itself can end the loop.
  const cycle = spinCycle(th.log.slice(th.log.length - r.state.streak.accesses));
  if (cycle > 0) {
    return {
      property: 'livelock',
      verus: '(termination) an operation spins without progress',
      blame: 'implementation',
      message: `thread ${l.t}: ${th.op}(${th.frame}) runs alone and repeats the same ${cycle} access(es), observing the same values and writing nothing: it spins forever (the last ${cycle} step(s) are the cycle of the lasso)`,
      frame: th.frame,
    };
  }
  if (th.log.length > bound) {
    return {
      property: 'livelock',
      verus: '(termination) an operation spins without progress',
      blame: 'implementation',
      message: `thread ${l.t}: ${th.op}(${th.frame}) made ${th.log.length} accesses without returning: it spins on a count that does not change`,
      frame: th.frame,
    };
  }
  return undefined;
}

/**
 * The length of a spin cycle at the end of an operation's log: the last block of accesses repeats the
 * one before it exactly (same words, same observed values) and writes nothing, so nothing the thread
 * does can end the loop. 0 when there is none.
 */
export function spinCycle(log: readonly Access[]): number {
  for (let k = 1; k <= 4 && 2 * k <= log.length; k++) {
    const n = log.length;
    let same = true;
    for (let j = 0; j < k && same; j++) {
      const a = log[n - 1 - j]!;
      const b = log[n - 1 - j - k]!;
      same =
        a.kind === b.kind &&
        a.word === b.word &&
        a.observed === b.observed &&
        a.written === undefined &&
        b.written === undefined;
    }
    if (same && log.slice(n - k).some((a) => a.atomic)) return k;
  }
  return 0;
}

/** A concrete run: the states, the labels taken and what each step did, and the first violation met. */
export type Run = {
  states: State[];
  labels: Label[];
  results: StepResult[];
  finding: Finding | undefined;
  world: World;
  /** The 1-based step at which the path stopped fitting the instance (its label was not enabled). */
  diverged?: number;
};

/**
 * Runs labels from the initial state with every check the search makes, stopping at the first
 * violation. `canonical` labels (as the search records them) are mapped back to concrete threads and
 * frames through the symmetry representative of each state.
 */
export function runLabels(
  inst: Instance,
  path: readonly Label[],
  canonical: boolean,
  subject: Subject | undefined = mutantOf(inst),
): Run {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const world = new World(inst, subject);
    const sym = new Symmetry(inst, world.per, inst.symmetry);
    let x = initialState(world);
    const run: Run = { states: [x], labels: [], results: [], finding: stateFindings(world, x)[0], world };
    for (const L of path) {
      if (run.finding !== undefined) break;
      const l = canonical ? Symmetry.unmap(L, sym.canon(x)) : L;
      if (!enabled(inst, x).some((e) => e.t === l.t && e.op === l.op && e.frame === l.frame)) {
        run.diverged = run.labels.length + 1;
        break;
      }
      const r = guardedStep(world, inst, x, l);
      run.labels.push(l);
      if ('property' in r) {
        run.finding = r;
        break;
      }
      run.results.push(r);
      x = r.state;
      run.states.push(x);
      run.finding = transitionFinding(world, l, r, 256) ?? stateFindings(world, x)[0];
    }
    if (run.finding === undefined && run.diverged === undefined && enabled(inst, x).length === 0)
      run.finding = quiescentFindings(world, x)[0];
    return run;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
