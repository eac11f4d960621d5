/**
 * Exhaustive exploration: breadth-first by default (the first violation found has a shortest trace),
 * depth-first on request. States are interned component ids (see `Components`), stored as 64-bit
 * fingerprints of their symmetry representative; parent pointers and labels live in typed arrays.
 * Persistent sets (from each step's real footprint and what the threads may touch after the steps
 * left out) expand some of a state's steps only where that is sound; sleep sets can be added on
 * request. Limits stop the search gracefully.
 */
import { acyclic, PersistentSet } from './persistentSet.ts';
import { stateFindings, quiescentFindings, type Finding } from '../checks.ts';
import { Symmetry } from '../canon.ts';
import { FingerprintSet } from '../FingerprintSet.ts';
import { ChunkedInt32, OutOfMemory } from '../chunks.ts';
import { initialState, type Label } from '../model.ts';
import type { Instance } from '../instance.ts';
export { decodeLabel } from './components.ts';
import { Frontier, type FrontierEntry } from './frontier.ts';
import { BFS } from './bfs.ts';
import { DFS } from './dfs.ts';
import { Components, decodeLabel, type Move } from './components.ts';
import { World, type Subject } from '../world.ts';
import { guardedStep, spinCycle, stepFinding, transitionFinding } from './transitions.ts';
export { guardedStep, spinCycle, stepFinding, transitionFinding } from './transitions.ts';
export { runLabels, type Run } from './replay.ts';

/** When the search stops early; `interrupted` is polled beside the clock (Ctrl-C in the CLI). */
export type Limits = Readonly<{
  maxStates: number;
  timeLimitMs: number;
  maxMemoryBytes: number;
  interrupted?: () => boolean;
}>;

export type SearchOptions = Readonly<{
  limits: Limits;
  dfs?: boolean;
  onProgress?: (p: Progress) => void;
  /** The longest an operation may run (accesses) before the thread is examined for a livelock. */
  opAccessBound?: number;
  /** Called once per distinct state, with its 64-bit fingerprint (certificates digest the reachable set). */
  onState?: (fingerprintHi: number, fingerprintLo: number) => void;
  /**
   * Sleep sets on top of the persistent sets (with `por`): they prune transitions, never states, and
   * in a breadth-first search with state caching the re-expansions they force cost more than they
   * save (canonical instance: 17 % more transitions), so they are off unless asked for.
   */
  sleepSets?: boolean;
  /** What runs instead of framecheck's implementation (a mutant, or a third party's), resolved by the caller. */
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
      /** States expanded by some of their steps only (persistent sets). */
      ampleStates: number;
      hashCompaction: '64-bit';
    };
  }>;

export type Violation = Readonly<{ finding: Finding; labels: readonly Label[] }>;

export type SearchResult =
  | (Readonly<{ verdict: 'ok' }> & Stats)
  | (Readonly<{ verdict: 'violation'; violation: Violation }> & Stats)
  | (Readonly<{ verdict: 'incomplete'; reason: string }> & Stats);

type Entry = FrontierEntry;

const NO_SLEEP: readonly number[] = [];
/** The explored siblings when no sleep set needs them (never written). */
const NO_DONE: number[] = [];

/** Explores every interleaving of `inst`'s threads through the real implementation. */
export function explore(inst: Instance, opts: SearchOptions): SearchResult {
  // Kernel aborts are outcomes here, thrown on many paths: their stack traces would dominate the run.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const out = { escaped: false };
    const r = search(inst, opts, out);
    if (!(r.verdict === 'ok' && inst.por && out.escaped)) return r;
    // The implementation reached into a frame its thread's future did not name: the persistent sets'
    // footprints do not hold for it, so its "ok" is searched for again without them.
    if (opts.onState !== undefined)
      return {
        ...r,
        verdict: 'incomplete',
        reason: 'the implementation touches other frames than its own: run with --no-por',
      };
    return search({ ...inst, por: false }, opts, out);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Two steps of different threads commute when they touch disjoint words and neither stops the kernel. */
function independent(a: Move, b: Move): boolean {
  if (a.abort || b.abort) return false;
  for (const w of a.touched) if (b.touched.includes(w)) return false;
  return true;
}

/** `out.escaped`: some step touched a frame its thread's future did not name (`Components.escaped`). */
function search(inst: Instance, opts: SearchOptions, out: { escaped: boolean }): SearchResult {
  const world = new World(inst, opts.subject);
  const sym = new Symmetry(inst, world.per, inst.symmetry);
  const store = new Components(world, sym);
  store.onDecided = (r, t) => stepFinding(world, r, t);
  const useSleep = inst.por && opts.sleepSets === true;
  // Per state, in typed-array chunks: 8 bytes of fingerprint table (at 1/3 to 2/3 load), the parent's
  // index and the label that reached it; with sleep sets also the state's index in the table and the
  // number of the sleep set it was queued with.
  const seen = new FingerprintSet(16, useSleep);
  const parent = new ChunkedInt32();
  const via = new ChunkedInt32();
  const sleeps = useSleep ? new ChunkedInt32() : undefined;
  const cycles: Int8Array[] = [];
  const t0 = performance.now();
  let transitions = 0;
  let maxDepth = 0;
  let pruned = 0;
  let amples = 0;
  let lastProgress = t0;
  let expanded = 0;
  const bound = opts.opAccessBound ?? 256;

  /** What the search holds: the JavaScript heap and every typed array (the tables, the frontier's chunks). */
  const memoryBytes = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  seen.budget = (bytes) => memoryBytes() + bytes <= opts.limits.maxMemoryBytes;
  const stats = (queue: number): Stats => {
    const seconds = (performance.now() - t0) / 1000;
    return {
      states: seen.size,
      transitions,
      queue,
      depth: maxDepth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(seen.size / seconds) : seen.size,
      memoryBytes: memoryBytes(),
      reductions: {
        symmetry: inst.symmetry,
        frameSymmetry: sym.frames,
        por: inst.por,
        sleepPruned: pruned,
        ampleStates: amples,
        hashCompaction: '64-bit',
      },
    };
  };
  const pathTo = (id: number, last?: Label): Label[] => {
    const out: Label[] = last ? [last] : [];
    for (let i = id; i > 0; i = parent.get(i)) out.push(decodeLabel(via.get(i)));
    return out.reverse();
  };
  /** The finding of a step that `Move.bad` flags, recomputed with the real thread and streak. */
  const report = (e: Entry, l: Label): Finding => {
    const s = store.state(e, { t: e.streakT, accesses: e.streakA });
    const r = guardedStep(world, inst, s, l);
    return 'property' in r ? r : transitionFinding(world, l, r, bound)!;
  };
  /**
   * The length of the spin cycle `livelockFinding` sees in thread state `id` after a streak of
   * `accesses` accesses, memoized per thread state and tail length (beyond 8 the cycle is the same).
   */
  const cycle = (id: number, accesses: number): number => {
    const log = store.thread(id).log;
    // The length of `log.slice(log.length - accesses)`, as `livelockFinding` takes it.
    let start = log.length - accesses;
    if (start < 0) start = Math.max(log.length + start, 0);
    const L = Math.min(log.length - start, 8);
    let memo = cycles[id];
    if (memo === undefined) cycles[id] = memo = new Int8Array(9).fill(-1);
    if (memo[L]! < 0) memo[L] = spinCycle(log.slice(log.length - accesses));
    return memo[L]!;
  };

  // The cycle proviso, breadth-first: the states of the level being expanded and of the next, and the
  // states expanded by a persistent set (fingerprints; without sleep sets, which expand a state again).
  // (Not needed where the persistent sets skip the proviso: no cycle, no sleep sets.)
  const bfsLevels = inst.por && opts.dfs !== true && (useSleep || !acyclic(inst));
  const fullKnown = bfsLevels && !useSleep && store.idempotent;
  let thisLevel = new FingerprintSet(12, false);
  let nextLevel = new FingerprintSet(12, false);
  const reducedStates = new FingerprintSet(12, false);
  thisLevel.budget = nextLevel.budget = reducedStates.budget = seen.budget;
  /**
   * Whether a step to this state refuses a persistent set (the cycle proviso). Depth-first: any state
   * reached before (a cycle closes on the stack). Breadth-first, a state first reached at the next level
   * does not refuse it, nor one of an earlier level that was expanded fully: a cycle of the reduced
   * graph holds a step to a level no deeper than its source's, and then its source or its target was
   * expanded fully.
   */
  const seenBefore = (hi: number, lo: number): boolean => {
    if (!seen.has(hi, lo)) return false;
    if (!bfsLevels) return true;
    if (nextLevel.has(hi, lo)) return false;
    return !fullKnown || thisLevel.has(hi, lo) || reducedStates.has(hi, lo);
  };

  const root = store.canon(store.pack(initialState(world)));
  const r0 = seen.add(root.hi, root.lo);
  thisLevel.insert(root.hi, root.lo);
  opts.onState?.(root.hi, root.lo);
  const init = stateFindings(world, store.state(root));
  if (init.length > 0) return { verdict: 'violation', violation: { finding: init[0]!, labels: [] }, ...stats(0) };
  const frontier = new Frontier(inst.threads);
  let level = 0;
  const order = opts.dfs === true ? DFS : BFS;
  frontier.push(root.words, root.halted, -1, 0, r0.id, 0, root.threads, NO_SLEEP);
  const codes: number[] = [];
  const moves: Move[] = [];
  const kid = new Int32Array(inst.threads);
  // With sleep sets, which expand a state again, the cycle proviso is kept everywhere.
  const ample = inst.por ? new PersistentSet(store, inst.threads, useSleep ? 'always' : 'where-cycles') : undefined;
  let count = 0;
  /** Where each thread's steps start in `codes` (and, last, their end). */
  const starts: number[] = [];

  const e = frontier.cur;
  try {
    return loop();
  } catch (x) {
    if (!(x instanceof OutOfMemory)) throw x;
    const reason = x.budget ? '--max-memory reached' : `out of memory (${x.message})`;
    return { verdict: 'incomplete', reason, ...stats(frontier.size) };
  } finally {
    out.escaped = store.escaped;
  }

  function loop(): SearchResult {
    while (order.next(frontier)) {
      if (seen.size >= opts.limits.maxStates)
        return {
          verdict: 'incomplete',
          reason: `--max-states ${opts.limits.maxStates} reached`,
          ...stats(frontier.size),
        };
      // The clock is read every 256 expansions: reading it is not free.
      const now = (++expanded & 255) === 0 ? performance.now() : t0;
      if (now - t0 > opts.limits.timeLimitMs)
        return { verdict: 'incomplete', reason: `--time-limit reached`, ...stats(frontier.size) };
      if (opts.limits.interrupted?.() === true)
        return { verdict: 'incomplete', reason: 'interrupted', ...stats(frontier.size) };
      if (now - lastProgress > 2000) {
        lastProgress = now;
        const s = stats(frontier.size);
        if (s.memoryBytes > opts.limits.maxMemoryBytes)
          return { verdict: 'incomplete', reason: `--max-memory reached`, ...s };
        opts.onProgress?.(s);
      }
      if (bfsLevels && e.depth > level) {
        level = e.depth;
        thisLevel = nextLevel;
        nextLevel = new FingerprintSet(12, false);
        nextLevel.budget = seen.budget;
      }
      // The steps enabled in `e`: `count` entries of `codes` and `moves` (reused, never shrunk).
      count = 0;
      if (!e.halted)
        for (let t = 0; t < e.threads.length; t++) {
          const id = e.threads[t]!;
          const ls = store.labels(id);
          starts[t] = count;
          for (let slot = 0; slot < ls.length; slot++) {
            codes[count] = ls[slot]! | t;
            moves[count++] = store.move(id, e.words, slot);
          }
        }
      starts[e.halted ? 0 : e.threads.length] = count;
      if (count === 0) {
        const leak = quiescentFindings(world, store.state(e))[0];
        if (leak !== undefined)
          return {
            verdict: 'violation',
            violation: { finding: leak, labels: pathTo(e.id) },
            ...stats(frontier.size),
          };
        continue;
      }
      // The implementation throwing is reported before anything else this state's steps show.
      for (let k = 0; k < count; k++) {
        if (!moves[k]!.crashed) continue;
        const l = decodeLabel(codes[k]!);
        return {
          verdict: 'violation',
          violation: { finding: report(e, l), labels: pathTo(e.id, l) },
          ...stats(frontier.size),
        };
      }
      // The steps to expand: a persistent set, or every step.
      const reduced = ample !== undefined && ample.choose(e.threads, moves, starts, count, seenBefore);
      if (reduced) {
        amples++;
        if (fullKnown) {
          store.canonInto(e.words, e.threads, e.halted);
          reducedStates.insert(store.rep.hi, store.rep.lo);
        }
      }
      const done: number[] = useSleep ? [] : NO_DONE;
      for (let k = 0; k < count; k++) {
        const code = codes[k]!;
        const m = moves[k]!;
        const t = code & 0xff;
        if (reduced && !ample.has(k)) continue;
        transitions++;
        if (useSleep && e.sleep.includes(code)) {
          pruned++;
          continue;
        }
        const accesses = (e.streakT === t ? e.streakA : 0) + m.made;
        const th = m.decided ? undefined : store.thread(m.thread);
        if (m.bad || (th !== undefined && (cycle(m.thread, accesses) > 0 || th.log.length > bound))) {
          const l = decodeLabel(code);
          return {
            verdict: 'violation',
            violation: { finding: report(e, l), labels: pathTo(e.id, l) },
            ...stats(frontier.size),
          };
        }
        for (let u = 0; u < kid.length; u++) kid[u] = e.threads[u]!;
        kid[t] = m.thread;
        store.canonInto(m.words, kid, m.halted);
        const c = store.rep;
        const slot = seen.insert(c.hi, c.lo);
        const isNew = slot >= 0;
        // Without sleep sets a state seen before has been (or will be) expanded fully.
        if (!isNew && sleeps === undefined) continue;
        const id = isNew ? slot : ~slot;
        // With them, so has one seen before with an empty sleep set.
        const old = isNew ? undefined : frontier.sleepSet(sleeps!.get(id));
        if (old !== undefined && old.length === 0) {
          done.push(k);
          continue;
        }
        const sleep = useSleep && !c.ambiguous ? childSleep(e.sleep, codes, moves, done, k, c, count) : NO_SLEEP;
        if (useSleep) done.push(k);
        const streakT = c.threadPerm[t]!;
        if (old !== undefined) {
          if (old.every((x) => sleep.includes(x))) continue;
          const narrowed = old.filter((x) => sleep.includes(x));
          sleeps!.set(id, frontier.sleepId(narrowed));
          frontier.push(c.words, c.halted, streakT, accesses, id, e.depth + 1, c.threads, narrowed);
          continue;
        }
        if (seen.size > opts.limits.maxStates)
          return {
            verdict: 'incomplete',
            reason: `--max-states ${opts.limits.maxStates} reached`,
            ...stats(frontier.size),
            states: opts.limits.maxStates,
          };
        opts.onState?.(c.hi, c.lo);
        if (bfsLevels) nextLevel.insert(c.hi, c.lo);
        parent.set(id, e.id);
        via.set(id, code);
        sleeps?.set(id, frontier.sleepId(sleep));
        maxDepth = Math.max(maxDepth, e.depth + 1);
        const bad = store.firstFinding(c);
        if (bad !== undefined)
          return {
            verdict: 'violation',
            violation: { finding: bad, labels: pathTo(id) },
            ...stats(frontier.size),
          };
        frontier.push(c.words, c.halted, streakT, accesses, id, e.depth + 1, c.threads, sleep);
      }
    }
    return { verdict: 'ok', ...stats(0) };
  }
}

/** The sleep set of the child reached by `codes[k]`: earlier siblings and sleeping labels that commute with it, renamed. */
function childSleep(
  sleep: readonly number[],
  codes: readonly number[],
  moves: readonly Move[],
  done: readonly number[],
  k: number,
  c: Readonly<{ threadPerm: ArrayLike<number>; framePerm: readonly number[] }>,
  count: number,
): number[] {
  const mine = moves[k]!;
  const t = codes[k]! & 0xff;
  const out: number[] = [];
  const consider = (j: number) => {
    const other = codes[j]!;
    const u = other & 0xff;
    if (u === t || !independent(mine, moves[j]!)) return;
    const frame = ((other >> 16) & 0xffff) - 1;
    const f = frame < 0 ? frame : c.framePerm[frame]!;
    out.push(c.threadPerm[u]! | (other & 0xff00) | ((f + 1) << 16));
  };
  for (const j of done) consider(j);
  for (let j = 0; j < count; j++) if (j !== k && sleep.includes(codes[j]!)) consider(j);
  return out;
}
