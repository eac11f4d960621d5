/**
 * The explorer's state store. A state is a handful of small integers: the id of its memory words and
 * the id of each thread's local state, each interned once in a table. What a thread's step does
 * depends only on its local state and the words, so a step is run through the implementation (under
 * replay) once per (thread, words, label) and looked up afterwards; the symmetry representative is
 * computed from per-component hashes memoized on the ids (the same hashes, the same representative
 * as `Symmetry.canon`, which `runLabels` uses to map labels back).
 */
import { frameHash, mix, threadHash, threadKey, type Symmetry } from '../canon.ts';
import { threadLabels, step, type Label, type State, type StepResult, type ThreadState } from '../model.ts';
import { OP_NAMES, type Instance } from '../instance.ts';
import type { World } from '../world.ts';
import type { Finding } from '../checks.ts';
import { fingerprint } from '../FingerprintSet.ts';

/** A label as one integer: thread, operation (0: continue) and frame. */
export function encodeLabel(l: Label): number {
  return l.t | ((l.op === undefined ? 0 : OP_NAMES.indexOf(l.op) + 1) << 8) | ((l.frame + 1) << 16);
}

/** The label an integer encodes. */
export function decodeLabel(x: number): Label {
  const opIx = (x >> 8) & 0xff;
  return { t: x & 0xff, op: opIx === 0 ? undefined : OP_NAMES[opIx - 1], frame: ((x >> 16) & 0xffff) - 1 };
}

/** What one step of a thread does to the components (the same for every state it is taken from). */
export type Move = Readonly<{
  /** The thread's local state and the words after the step. */
  thread: number;
  words: number;
  halted: boolean;
  /** Accesses the step made (for the livelock streak). */
  made: number;
  /** Words the step accessed (its footprint). */
  touched: readonly number[];
  abort: boolean;
  /** The step returned, aborted or broke a slot mid-step: its own checks decide, livelock is not examined. */
  decided: boolean;
  /** The implementation threw. */
  crashed: boolean;
  /** The step itself violates a property (or the implementation threw): re-run it to report. */
  bad: boolean;
}>;

/** A state of the store: words id, thread ids by position, and whether the kernel stopped. */
export type Packed = Readonly<{ words: number; threads: readonly number[]; halted: boolean }>;

/** The representative of a state's orbit, with the renaming that maps the state onto it. */
export type Rep = Packed &
  Readonly<{
    /** `threadPerm[old] = new` and `framePerm[old] = new`. */
    threadPerm: readonly number[];
    framePerm: readonly number[];
    hi: number;
    lo: number;
    ambiguous: boolean;
  }>;

const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

export class Components {
  readonly world: World;
  readonly inst: Instance;
  readonly sym: Symmetry;
  /** Per position: the first position with the same program (what a thread's steps depend on). */
  private readonly progGroup: readonly number[];
  private readonly wordsTable: (readonly bigint[])[] = [];
  private readonly wordsIx = new Map<string, number>();
  private readonly frameHashes: (readonly number[])[] = [];
  private readonly threadTable: ThreadState[] = [];
  private readonly threadIx = new Map<string, number>();
  private readonly hash0: number[] = [];
  private readonly hash1: number[] = [];
  private readonly groupOf: number[] = [];
  /** Per thread id: its enabled labels with thread 0 (the position is or-ed in). */
  private readonly labelCodes: (readonly number[])[] = [];
  private readonly moves: Map<number, Move>[] = [];
  private readonly renamedWords: Int32Array[] = [];
  private readonly renamedThreads: Int32Array[] = [];
  private readonly perms: readonly (readonly number[])[];
  private readonly identityPerm: readonly boolean[];
  private readonly exact: boolean;

  constructor(world: World, sym: Symmetry) {
    this.world = world;
    this.inst = world.inst;
    this.sym = sym;
    const progs = this.inst.programs.map((p) => JSON.stringify(p));
    this.progGroup = progs.map((p) => progs.indexOf(p));
    this.exact = !sym.frames || sym.nframes <= 4;
    this.perms = sym.frames && this.exact ? sym.allPerms : [[...Array(sym.nframes).keys()]];
    this.identityPerm = this.perms.map((p) => p.every((to, from) => to === from));
  }

  /** The number of distinct thread states and word vectors met (for statistics). */
  get sizes(): { threads: number; words: number } {
    return { threads: this.threadTable.length, words: this.wordsTable.length };
  }

  /** Interns a word vector. */
  wordsId(words: readonly bigint[]): number {
    const key = words.join(',');
    let id = this.wordsIx.get(key);
    if (id === undefined) {
      id = this.wordsTable.length;
      this.wordsIx.set(key, id);
      this.wordsTable.push(words);
      const F = this.sym.nframes;
      this.frameHashes.push(Array.from({ length: F + 1 }, (_, f) => frameHash(words, this.sym.per, F, f)));
      this.renamedWords.push(new Int32Array(this.perms.length).fill(-1));
    }
    return id;
  }

  /** Interns the local state of a thread at position `t`. */
  threadId(th: ThreadState, t: number): number {
    const g = this.progGroup[t]!;
    const key = `${g}|${threadKey(th)}`;
    let id = this.threadIx.get(key);
    if (id === undefined) {
      id = this.threadTable.length;
      this.threadIx.set(key, id);
      this.threadTable.push(th);
      const h = threadHash(th);
      this.hash0.push(h[0]);
      this.hash1.push(h[1]);
      this.groupOf.push(g);
      this.labelCodes.push(threadLabels(this.inst, g, th).map((l) => encodeLabel({ ...l, t: 0 })));
      this.moves.push(new Map());
      this.renamedThreads.push(new Int32Array(this.perms.length).fill(-1));
    }
    return id;
  }

  /** A thread state by id. */
  thread(id: number): ThreadState {
    return this.threadTable[id]!;
  }

  /** The state a packed state stands for (`streak` is path information). */
  state(p: Packed, streak: State['streak'] = { t: -1, accesses: 0 }): State {
    return {
      words: this.wordsTable[p.words]!,
      threads: p.threads.map((id) => this.threadTable[id]!),
      halted: p.halted,
      streak,
    };
  }

  /** Packs a state. */
  pack(s: State): Packed {
    return { words: this.wordsId(s.words), threads: s.threads.map((th, t) => this.threadId(th, t)), halted: s.halted };
  }

  /** Thread `id`'s enabled labels, as codes without the position. */
  labels(id: number): readonly number[] {
    return this.labelCodes[id]!;
  }

  /** What the `slot`-th label of thread `id` does from words `w`. */
  move(id: number, w: number, slot: number): Move {
    const cache = this.moves[id]!;
    const key = w * 512 + slot;
    let m = cache.get(key);
    if (m === undefined) {
      m = this.run(id, w, slot);
      cache.set(key, m);
    }
    return m;
  }

  private run(id: number, w: number, slot: number): Move {
    const th = this.threadTable[id]!;
    const g = this.groupOf[id]!;
    const l = decodeLabel(this.labelCodes[id]![slot]! | g);
    const s: State = {
      words: this.wordsTable[w]!,
      threads: new Array<ThreadState>(this.inst.threads).fill(th),
      halted: false,
      streak: { t: -1, accesses: 0 },
    };
    let r: StepResult;
    try {
      r = step(this.world, this.inst, s, l);
    } catch {
      return {
        thread: id,
        words: w,
        halted: false,
        made: 0,
        touched: [],
        abort: false,
        decided: true,
        crashed: true,
        bad: true,
      };
    }
    const decided = r.abort !== undefined || r.midStep !== undefined || r.completed !== undefined;
    return {
      thread: this.threadId(r.state.threads[g]!, g),
      words: this.wordsId(r.state.words),
      halted: r.state.halted,
      made: r.state.streak.accesses,
      touched: r.touched,
      abort: r.abort !== undefined,
      decided,
      crashed: false,
      bad: decided && this.onDecided(r, g) !== undefined,
    };
  }

  /** Set by the search: the finding a decided step makes (abort, mid-step slot, linearization). */
  onDecided: (r: StepResult, t: number) => Finding | undefined = () => undefined;

  private renamedWord(w: number, pi: number): number {
    const row = this.renamedWords[w]!;
    let r = row[pi]!;
    if (r < 0) row[pi] = r = this.wordsId(this.sym.renameWords(this.wordsTable[w]!, this.perms[pi]!));
    return r;
  }

  private renamedThread(id: number, pi: number): number {
    const row = this.renamedThreads[id]!;
    let r = row[pi]!;
    if (r < 0)
      row[pi] = r = this.threadId(this.sym.renameThread(this.threadTable[id]!, this.perms[pi]!), this.groupOf[id]!);
    return r;
  }

  /** Positions sorted as the representative orders them: by symmetry group, then thread hash. */
  private order(ids: readonly number[]): number[] {
    const groups = this.sym.groups;
    const n = ids.length;
    const ord: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) ord[i] = i;
    // Insertion sort: a handful of threads.
    for (let i = 1; i < n; i++) {
      const x = ord[i]!;
      const a = ids[x]!;
      let j = i - 1;
      for (; j >= 0; j--) {
        const y = ord[j]!;
        const b = ids[y]!;
        const c =
          groups[y]! - groups[x]! || this.hash0[b]! - this.hash0[a]! || this.hash1[b]! - this.hash1[a]! || y - x;
        if (c <= 0) break;
        ord[j + 1] = y;
      }
      ord[j + 1] = x;
    }
    return ord;
  }

  /** The raw 64-bit hash of `p` with frames renamed by the `pi`-th permutation (as `Symmetry` computes it). */
  private hashUnder(p: Packed, pi: number, h: [number, number]): void {
    const F = this.sym.nframes;
    const inv = this.identityPerm[pi] ? undefined : this.sym.inverse(pi);
    const fh = this.frameHashes[p.words]!;
    h[0] = p.halted ? 1 : 0;
    h[1] = 0x2545f491;
    for (let f = 0; f <= F; f++) mix(h, fh[f === F || inv === undefined ? f : inv[f]!]!);
    let ids = p.threads;
    if (!this.identityPerm[pi]) {
      const r = this.scratch;
      for (let t = 0; t < ids.length; t++) r[t] = this.renamedThread(ids[t]!, pi);
      ids = r;
    }
    const groups = this.sym.groups;
    for (const t of this.order(ids)) {
      mix(h, groups[t]!);
      mix(h, this.hash0[ids[t]!]!);
      mix(h, this.hash1[ids[t]!]!);
    }
  }

  private readonly scratch: number[] = [];
  private readonly h: [number, number] = [0, 0];

  /** The representative of `p`'s orbit and its 64-bit fingerprint. */
  canon(p: Packed): Rep {
    if (!this.exact) return this.inexact(p);
    let best0 = 0;
    let best1 = 0;
    let bestPi = -1;
    const h = this.h;
    for (let pi = 0; pi < this.perms.length; pi++) {
      this.hashUnder(p, pi, h);
      if (bestPi < 0 || h[0] < best0 || (h[0] === best0 && h[1] < best1)) [best0, best1, bestPi] = [h[0], h[1], pi];
    }
    const identity = this.identityPerm[bestPi]!;
    const ids = identity ? p.threads : p.threads.map((id) => this.renamedThread(id, bestPi));
    const order = this.order(ids);
    const threadPerm: number[] = new Array(order.length);
    order.forEach((from, to) => (threadPerm[from] = to));
    return {
      words: identity ? p.words : this.renamedWord(p.words, bestPi),
      threads: order.map((t) => ids[t]!),
      halted: p.halted,
      threadPerm,
      framePerm: this.perms[bestPi]!,
      hi: fmix(best0 ^ Math.imul(best1, 0x9e3779b1)),
      lo: fmix(best1 + 0x7f4a7c15),
      ambiguous: false,
    };
  }

  /** Beyond 4 interchangeable frames: `Symmetry`'s signature order over the materialized state. */
  private inexact(p: Packed): Rep {
    const c = this.sym.canon(this.state(p));
    const q = this.pack(c.state);
    const [hi, lo] = fingerprint(c.key);
    return { ...q, threadPerm: c.threadPerm, framePerm: c.framePerm, hi, lo, ambiguous: c.ambiguous };
  }
}
