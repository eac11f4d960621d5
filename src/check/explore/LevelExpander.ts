/**
 * One level of a level-synchronized breadth-first search, over a slice of the level's states: every
 * state's enabled steps are run (through the store, as `search` runs them), checked, and their
 * successors inserted into a `SharedFingerprints` table; the ones this expander found first are
 * returned for the next level. What a state's expansion does depends only on the state and on the
 * levels before the current one, never on which thread got there first: the persistent-set cycle
 * proviso asks whether a step leads back to a state of an earlier or the current level (a cycle in
 * the reduced graph must contain such a step, so some state of every cycle is expanded fully).
 */
import { quiescentFindings, type Finding } from '../checks.ts';
import { Symmetry } from '../canon.ts';
import type { Instance } from '../instance.ts';
import { World, type Subject } from '../world.ts';
import { decodeLabel, Components, type Move, type Packed } from './components.ts';
import { PersistentSet } from './persistentSet.ts';
import { guardedStep, spinCycle, stepFinding, transitionFinding } from './search.ts';
import { decodeThread, decodeWords, encodeThread, encodeWords, stateParts, stateText } from './stateCodec.ts';
import type { SharedFingerprints } from './SharedFingerprints.ts';

/**
 * States of the next level: their texts, and per state four numbers in `links`: the index of its
 * parent in the level expanded, its label, its fingerprint's two halves (flat: cheap to post).
 */
export type Found = { states: string[]; links: number[] };

/** What expanding a slice found. */
export type LevelResult = {
  found: Found;
  transitions: number;
  ampleStates: number;
  /** The first violation in the slice: the index of the state it was met in and the step (-1: none). */
  violation: Readonly<{ index: number; code: number; finding: Finding }> | undefined;
  /** The table filled, or the stop flag was raised, before the slice was done. */
  stopped: 'full' | 'stop' | undefined;
};

/**
 * Where an expansion puts a new successor: its representative (valid only during the call), its
 * streak, the index of its parent in the level expanded, and the step's label code.
 */
export type Sink = (c: Components['rep'], streakT: number, accesses: number, index: number, code: number) => void;

const emptyResult = (): LevelResult => ({
  found: { states: [], links: [] },
  transitions: 0,
  ampleStates: 0,
  violation: undefined,
  stopped: undefined,
});

/** Expands states of one level; one per thread (its store interns what that thread has met). */
export class LevelExpander {
  readonly world: World;
  readonly store: Components;
  private readonly inst: Instance;
  private readonly bound: number;
  /** The table successors are claimed in (a worker's own until it hands off, then the shared one). */
  table: SharedFingerprints;
  private readonly kid: Int32Array;
  /** The persistent sets (partial-order reduction), when on. */
  private readonly ample: PersistentSet | undefined;

  constructor(inst: Instance, table: SharedFingerprints, subject: Subject | undefined, bound = 256) {
    this.inst = inst;
    this.world = new World(inst, subject);
    this.store = new Components(this.world, new Symmetry(inst, this.world.per, inst.symmetry));
    this.store.onDecided = (r, t) => stepFinding(this.world, r, t);
    this.table = table;
    this.bound = bound;
    this.kid = new Int32Array(inst.threads);
    this.ample = inst.por ? new PersistentSet(this.store, inst.threads) : undefined;
    this.threadIds = Array.from({ length: inst.threads }, () => new Map());
  }

  /** The root: the initial state's representative, as text, with its fingerprint. */
  root(state: Parameters<Components['pack']>[0]): { state: string; hi: number; lo: number; finding?: Finding } {
    const c = this.store.canon(this.store.pack(state));
    const bad = this.store.firstFinding(c);
    return { state: this.text(c, { t: -1, accesses: 0 }), hi: c.hi, lo: c.lo, ...(bad && { finding: bad }) };
  }

  private readonly wordsText: string[] = [];
  private readonly threadText: string[] = [];
  private readonly wordsIds = new Map<string, number>();
  /** Per position: thread text to id (a thread's id depends on its position's program). */
  private readonly threadIds: Map<string, number>[];

  /** The text of packed state `p` (each component's text made once per id). */
  private text(p: Packed, streak: Readonly<{ t: number; accesses: number }>): string {
    const words = (this.wordsText[p.words] ??= encodeWords(this.store.state(p).words));
    const threads: string[] = [];
    for (let t = 0; t < p.threads.length; t++) {
      const id = p.threads[t]!;
      threads.push((this.threadText[id] ??= encodeThread(this.store.thread(id))));
    }
    return stateText(p.halted, streak, words, threads);
  }

  /** The packed state of a text (each component parsed once per distinct text). */
  private pack(s: ReturnType<typeof stateParts>): Packed {
    let words = this.wordsIds.get(s.words);
    if (words === undefined) this.wordsIds.set(s.words, (words = this.store.wordsId(decodeWords(s.words))));
    const threads = s.threads.map((text, t) => {
      const ids = this.threadIds[t]!;
      let id = ids.get(text);
      if (id === undefined) ids.set(text, (id = this.store.threadId(decodeThread(text), t)));
      return id;
    });
    return { words, threads, halted: s.halted };
  }

  /** Expands `states` (level `level`; state i at index `indices[i]` of it); `stop()` is polled between states. */
  expand(states: readonly string[], indices: ArrayLike<number>, level: number, stop: () => boolean): LevelResult {
    const out = emptyResult();
    const sink: Sink = (c, streakT, accesses, index, code) => {
      out.found.states.push(this.text(c, { t: streakT, accesses }));
      out.found.links.push(index, code, c.hi, c.lo);
    };
    for (let i = 0; i < states.length; i++) {
      if ((i & 63) === 0 && stop()) return { ...out, stopped: 'stop' };
      const s = stateParts(states[i]!);
      const v = this.expandOne(this.pack(s), s.streak, level, indices[i]!, out, sink);
      if (v !== undefined) return { ...out, violation: { index: indices[i]!, ...v } };
      if (out.stopped !== undefined) return out;
    }
    return out;
  }

  /**
   * Expands packed states kept by the caller (`LocalLevels`): state i is read by `at(i)`, and each new
   * successor is handed to `sink` (with its parent's index) instead of being written out as text.
   */
  expandPacked(
    n: number,
    at: (i: number) => { p: Packed; streak: Readonly<{ t: number; accesses: number }> },
    level: number,
    stop: () => boolean,
    sink: Sink,
  ): LevelResult {
    const out = emptyResult();
    for (let i = 0; i < n; i++) {
      if ((i & 63) === 0 && stop()) return { ...out, stopped: 'stop' };
      const { p, streak } = at(i);
      const v = this.expandOne(p, streak, level, i, out, sink);
      if (v !== undefined) return { ...out, violation: { index: i, ...v } };
      if (out.stopped !== undefined) return out;
    }
    return out;
  }

  private expandOne(
    p: Packed,
    streak: Readonly<{ t: number; accesses: number }>,
    level: number,
    index: number,
    out: LevelResult,
    sink: Sink,
  ): { code: number; finding: Finding } | undefined {
    const { store, kid } = this;
    // Reused from state to state (never shrunk): no arrays per state; `count` of them in use.
    const { codes, moves, starts } = this;
    const { threads, words, halted } = p;
    const n = threads.length;
    let count = 0;
    if (!halted)
      for (let t = 0; t < n; t++) {
        const id = threads[t]!;
        const ls = store.labels(id);
        starts[t] = count;
        for (let slot = 0; slot < ls.length; slot++) {
          codes[count] = ls[slot]! | t;
          moves[count++] = store.move(id, words, slot);
        }
      }
    starts[halted ? 0 : n] = count;
    if (count === 0) {
      const leak = quiescentFindings(this.world, store.state(p))[0];
      return leak === undefined ? undefined : { code: -1, finding: leak };
    }
    for (let k = 0; k < count; k++)
      if (moves[k]!.crashed) return { code: codes[k]!, finding: this.report(p, streak, codes[k]!) };
    // The steps to expand: a persistent set, or every step.
    this.level = level;
    const ample = this.ample;
    const reduced = ample !== undefined && ample.choose(threads, moves, starts, count, this.seenBefore);
    if (reduced) out.ampleStates++;
    const { table, bound } = this;
    const next = level + 1;
    for (let k = 0; k < count; k++) {
      if (reduced && !ample.has(k)) continue;
      const code = codes[k]!;
      const m = moves[k]!;
      const t = code & 0xff;
      out.transitions++;
      const accesses = (streak.t === t ? streak.accesses : 0) + m.made;
      if (m.bad || (!m.decided && (store.thread(m.thread).log.length > bound || this.cycle(m.thread, accesses) > 0)))
        return { code, finding: this.report(p, streak, code) };
      for (let u = 0; u < n; u++) kid[u] = threads[u]!;
      kid[t] = m.thread;
      store.canonInto(m.words, kid, m.halted);
      const c = store.rep;
      const ins = table.insert(c.hi, c.lo, next);
      if (ins === 'seen') continue;
      if (ins === 'full') {
        out.stopped = 'full';
        return undefined;
      }
      const bad = store.firstFinding(c);
      if (bad !== undefined) return { code, finding: bad };
      sink(c, c.threadPerm[t]!, accesses, index, code);
    }
    return undefined;
  }

  /** The level being expanded, for `seenBefore`. */
  private level = 0;
  /**
   * Whether a state is of this level or an earlier one (the cycle proviso of the persistent sets, as
   * `search` applies it with its own table).
   */
  private readonly seenBefore = (hi: number, lo: number): boolean => {
    const at = this.table.levelOf(hi, lo);
    return at >= 0 && at <= this.level;
  };

  private readonly codes: number[] = [];
  private readonly moves: Move[] = [];
  private readonly starts: number[] = [];
  /** Per thread state id: its spin cycle after 0..8 accesses (-1: not yet computed). */
  private readonly cycles: Int8Array[] = [];

  /** The spin cycle within the last `accesses` accesses of thread state `id` (memoized: past 8 all alike). */
  private cycle(id: number, accesses: number): number {
    const k = Math.min(accesses, 8);
    let memo = this.cycles[id];
    if (memo === undefined) this.cycles[id] = memo = new Int8Array(9).fill(-1);
    if (memo[k]! < 0) {
      const log = this.store.thread(id).log;
      memo[k] = spinCycle(log.slice(log.length - accesses));
    }
    return memo[k]!;
  }

  /** The finding of step `code` from `p`, recomputed with the real thread and streak. */
  private report(p: Packed, streak: Readonly<{ t: number; accesses: number }>, code: number): Finding {
    const l = decodeLabel(code);
    const r = guardedStep(this.world, this.inst, this.store.state(p, streak), l);
    return 'property' in r ? r : transitionFinding(this.world, l, r, this.bound)!;
  }
}
