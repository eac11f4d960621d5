/**
 * The explorer's state store. A state is a handful of small integers: the id of its memory words and
 * the id of each thread's local state, each interned once in a table. What a thread's step does
 * depends only on its local state and the words, so a step is run through the implementation (under
 * replay) once per (thread, words, label) and looked up afterwards; the symmetry representative is
 * computed from per-component hashes memoized on the ids (the same hashes, the same representative
 * as `Symmetry.canon`, which `runLabels` uses to map labels back).
 */
import { frameHash, threadHash, threadKey, type Symmetry } from '../canon.ts';
import { NEEDS, threadLabels, step, type Label, type State, type StepResult, type ThreadState } from '../model.ts';
import { OP_NAMES, type Instance } from '../instance.ts';
import { usesAlloc, type World } from '../world.ts';
import { accountingFindings, inWindow, slotFindings, type Finding } from '../checks.ts';
import { fingerprint } from '../FingerprintSet.ts';
import { OP_TABLE } from '../../ops/opTable.ts';

/** A label as one integer: thread, operation (0: continue) and frame. */
export function encodeLabel(l: Label): number {
  return l.t | ((l.op === undefined ? 0 : OP_NAMES.indexOf(l.op) + 1) << 8) | ((l.frame + 1) << 16);
}

/** The label an integer encodes. */
export function decodeLabel(x: number): Label {
  const opIx = (x >> 8) & 0xff;
  return { t: x & 0xff, op: opIx === 0 ? undefined : OP_NAMES[opIx - 1], frame: ((x >> 16) & 0xffff) - 1 };
}

/** The footprint bit of the allocator's words (frames take bits 0..15). */
export const ALLOC_BIT = 1 << 30;

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
  /** The footprint as a mask: frame bits and `ALLOC_BIT`. */
  mask: number;
  abort: boolean;
  /** The step returned, aborted or broke a slot mid-step: its own checks decide, livelock is not examined. */
  decided: boolean;
  /** The implementation threw. */
  crashed: boolean;
  /** The step itself violates a property (or the implementation threw): re-run it to report. */
  bad: boolean;
}>;

/** A state of the store: words id, thread ids by position, and whether the kernel stopped. */
export type Packed = Readonly<{ words: number; threads: ArrayLike<number>; halted: boolean }>;

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

/** The interned components of one search, the steps between them, and their representatives. */
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
  /** Per thread id: the frames (bit f) and the allocator (`ALLOC_BIT`) its future steps may touch. */
  private readonly futures: number[] = [];
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
    const n = this.inst.threads;
    this.ids = new Int32Array(n);
    this.ord = new Int32Array(n);
    this.bestIds = new Int32Array(n);
    this.bestOrd = new Int32Array(n);
    this.rep.threads = new Int32Array(n);
    this.rep.threadPerm = new Int32Array(n);
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
      this.futures.push(this.futureOf(th, g));
      this.sums.push(this.sumOf(th));
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
    const threads = new Array<ThreadState>(p.threads.length);
    for (let t = 0; t < threads.length; t++) threads[t] = this.threadTable[p.threads[t]!]!;
    return { words: this.wordsTable[p.words]!, threads, halted: p.halted, streak };
  }

  /** Packs a state. */
  pack(s: State): Packed {
    return { words: this.wordsId(s.words), threads: s.threads.map((th, t) => this.threadId(th, t)), halted: s.halted };
  }

  /**
   * Whether the representative of a representative is itself, with the same fingerprint (exact
   * canonical forms: no frame symmetry, or at most 4 frames).
   */
  get idempotent(): boolean {
    return this.exact;
  }

  /** The frames (bit f) and the allocator (`ALLOC_BIT`) thread state `id` may still touch. */
  future(id: number): number {
    return this.futures[id]!;
  }

  /** The bit of word `w` in a footprint mask: its frame's, or the allocator's. */
  wordBit(w: number): number {
    return w < this.world.allocWord ? 1 << Math.floor(w / this.world.per) : ALLOC_BIT;
  }

  /**
   * Everything a thread may touch from local state `th` on (position group `g`): the frame of the
   * operation in flight, the frames it holds handles on (it drops them), and, while it may still
   * start an operation that needs no handle, every frame. The allocator too when some program
   * allocates (an allocation takes any frame, a last drop may give one back).
   */
  private futureOf(th: ThreadState, g: number): number {
    const F = this.inst.frames;
    const all = (1 << F) - 1;
    const alloc = usesAlloc(this.inst) ? ALLOC_BIT : 0;
    let mask = 0;
    if (th.op !== undefined) mask |= th.frame < 0 ? all : 1 << th.frame;
    for (let f = 0; f < F; f++) if (th.shared[f]! > 0 || th.unique[f]! > 0) mask |= 1 << f;
    const prog = this.inst.programs[g]!;
    if (prog.kind === 'fixed')
      for (const st of prog.steps.slice(th.pc)) mask |= OP_TABLE[st.op].target === 'allocator' ? all : 1 << st.frame;
    else if (th.pc < prog.depth && prog.ops.some((op) => NEEDS[op] === undefined)) mask |= all;
    return mask === 0 ? 0 : mask | alloc;
  }

  /**
   * The first invariant `stateFindings` reports in `p` (the slot invariant, then the accounting, frame
   * by frame), from memos: the slot part depends on the words only, the accounting of a frame on its
   * words and the sums of the threads' handles and windows on it.
   */
  firstFinding(p: Packed): Finding | undefined {
    if (p.halted) return undefined;
    const F = this.inst.frames;
    let slots = this.slotMemo[p.words];
    if (slots === undefined) {
      const words = this.wordsTable[p.words]!;
      this.slotMemo[p.words] = slots = Array.from(
        { length: F },
        (_, f) => slotFindings(this.world, words, f)[0] ?? null,
      );
    }
    for (let f = 0; f < F; f++) {
      const bad = slots[f]!;
      if (bad !== null) return bad;
      let held = 0;
      let uniq = 0;
      let busy = 0;
      for (let t = 0; t < p.threads.length; t++) {
        const sum = this.sums[p.threads[t]!]!;
        held += sum[3 * f]!;
        uniq += sum[3 * f + 1]!;
        busy += sum[3 * f + 2]!;
      }
      // The memo key packs the sums; beyond its fields' widths the frame is checked directly.
      const key = (((p.words * F + f) * 256 + held) * 64 + uniq) * 64 + busy;
      const packable = held < 256 && uniq < 64 && busy < 64 && Number.isSafeInteger(key);
      let out = packable ? this.accountingMemo.get(key) : undefined;
      if (out === undefined) {
        out = accountingFindings(this.world, this.state(p), f)[0] ?? null;
        if (packable) this.accountingMemo.set(key, out);
      }
      if (out !== null) return out;
    }
    return undefined;
  }

  private readonly slotMemo: (readonly (Finding | null)[])[] = [];
  private readonly accountingMemo = new Map<number, Finding | null>();
  /** Per thread id and frame: shared handles, unique handles, 1 when in a claim/drop window. */
  private readonly sums: Int32Array[] = [];

  private sumOf(th: ThreadState): Int32Array {
    const F = this.inst.frames;
    const out = new Int32Array(3 * F);
    for (let f = 0; f < F; f++) {
      out[3 * f] = th.shared[f]!;
      out[3 * f + 1] = th.unique[f]!;
      out[3 * f + 2] = th.op !== undefined && inWindow(th.log, this.world.rcWord(f)) ? 1 : 0;
    }
    return out;
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
        mask: 0,
        abort: false,
        decided: true,
        crashed: true,
        bad: true,
      };
    }
    const decided = r.abort !== undefined || r.midStep !== undefined || r.completed !== undefined;
    const mask = r.touched.reduce((acc, w) => acc | this.wordBit(w), 0);
    if ((mask & ~this.futures[id]!) !== 0) this.escaped = true;
    return {
      thread: this.threadId(r.state.threads[g]!, g),
      words: this.wordsId(r.state.words),
      halted: r.state.halted,
      made: r.state.streak.accesses,
      touched: r.touched,
      mask,
      abort: r.abort !== undefined,
      decided,
      crashed: false,
      bad: decided && this.onDecided(r, g) !== undefined,
    };
  }

  /**
   * Whether some step touched a frame its thread's future (`future`) did not name: an implementation
   * that reaches into another frame's slot (the persistent sets' footprints assume it does not).
   */
  escaped = false;

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

  /** Sorts positions `ord[0..n)` as the representative orders the threads `ids`: by group, then hash. */
  private sortPositions(ids: Int32Array, ord: Int32Array): void {
    const groups = this.sym.groups;
    const n = ids.length;
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
  }

  /** Thread ids of `threads` renamed by the `pi`-th frame permutation, into `out`. */
  private renameAll(threads: ArrayLike<number>, pi: number, out: Int32Array): void {
    const same = this.identityPerm[pi]!;
    for (let t = 0; t < out.length; t++) out[t] = same ? threads[t]! : this.renamedThread(threads[t]!, pi);
  }

  private readonly ids: Int32Array;
  private readonly ord: Int32Array;
  private readonly bestIds: Int32Array;
  private readonly bestOrd: Int32Array;
  /** The representative `canonInto` computed last (overwritten by the next call). */
  readonly rep: {
    words: number;
    halted: boolean;
    threads: Int32Array;
    threadPerm: Int32Array;
    framePerm: readonly number[];
    hi: number;
    lo: number;
    ambiguous: boolean;
  } = {
    words: 0,
    halted: false,
    threads: new Int32Array(0),
    threadPerm: new Int32Array(0),
    framePerm: [],
    hi: 0,
    lo: 0,
    ambiguous: false,
  };

  /**
   * The representative of the state (words `w`, thread ids `threads`, `halted`) into `rep`, without
   * allocating: the least hash (as `Symmetry` computes it) over the frame renamings picks it.
   */
  canonInto(w: number, threads: ArrayLike<number>, halted: boolean): void {
    const rep = this.rep;
    if (!this.exact) {
      const r = this.inexact({ words: w, threads: Array.from(threads), halted });
      rep.words = r.words;
      rep.halted = r.halted;
      rep.threads.set(r.threads);
      rep.threadPerm.set(r.threadPerm);
      rep.framePerm = r.framePerm;
      rep.hi = r.hi;
      rep.lo = r.lo;
      rep.ambiguous = r.ambiguous;
      return;
    }
    const F = this.sym.nframes;
    const fh = this.frameHashes[w]!;
    const groups = this.sym.groups;
    const { hash0, hash1 } = this;
    // The renamed ids and their order under the permutation being hashed, and under the best so far.
    let ids = this.ids;
    let ord = this.ord;
    let bestIds = this.bestIds;
    let bestOrd = this.bestOrd;
    let best0 = 0;
    let best1 = 0;
    let bestPi = -1;
    for (let pi = 0; pi < this.perms.length; pi++) {
      const inv = this.identityPerm[pi] ? undefined : this.sym.inverse(pi);
      let a = halted ? 1 : 0;
      let b = 0x2545f491;
      for (let f = 0; f <= F; f++) {
        const x = fh[f === F || inv === undefined ? f : inv[f]!]!;
        a = Math.imul(a ^ x, 0x01000193) >>> 0;
        b = Math.imul((b ^ x) + 0x9e3779b9, 0x5bd1e995) >>> 0;
        b ^= b >>> 15;
      }
      this.renameAll(threads, pi, ids);
      this.sortPositions(ids, ord);
      for (let k = 0; k < ord.length; k++) {
        const t = ord[k]!;
        // mix() of the group, then the thread's two hash lanes (unrolled).
        const g = groups[t]!;
        a = Math.imul(a ^ g, 0x01000193) >>> 0;
        b = Math.imul((b ^ g) + 0x9e3779b9, 0x5bd1e995) >>> 0;
        b ^= b >>> 15;
        const x = hash0[ids[t]!]!;
        a = Math.imul(a ^ x, 0x01000193) >>> 0;
        b = Math.imul((b ^ x) + 0x9e3779b9, 0x5bd1e995) >>> 0;
        b ^= b >>> 15;
        const y = hash1[ids[t]!]!;
        a = Math.imul(a ^ y, 0x01000193) >>> 0;
        b = Math.imul((b ^ y) + 0x9e3779b9, 0x5bd1e995) >>> 0;
        b ^= b >>> 15;
      }
      if (bestPi < 0 || a < best0 || (a === best0 && b < best1)) {
        best0 = a;
        best1 = b;
        bestPi = pi;
        const i = ids;
        ids = bestIds;
        bestIds = i;
        const o = ord;
        ord = bestOrd;
        bestOrd = o;
      }
    }
    for (let to = 0; to < bestOrd.length; to++) {
      rep.threads[to] = bestIds[bestOrd[to]!]!;
      rep.threadPerm[bestOrd[to]!] = to;
    }
    rep.words = this.identityPerm[bestPi] ? w : this.renamedWord(w, bestPi);
    rep.halted = halted;
    rep.framePerm = this.perms[bestPi]!;
    rep.hi = fmix(best0 ^ Math.imul(best1, 0x9e3779b1));
    rep.lo = fmix(best1 + 0x7f4a7c15);
    rep.ambiguous = false;
  }

  /** The representative of `p`'s orbit and its 64-bit fingerprint (a copy of `canonInto`'s). */
  canon(p: Packed): Rep {
    this.canonInto(p.words, p.threads, p.halted);
    const r = this.rep;
    return {
      words: r.words,
      threads: Array.from(r.threads),
      halted: r.halted,
      threadPerm: Array.from(r.threadPerm),
      framePerm: r.framePerm,
      hi: r.hi,
      lo: r.lo,
      ambiguous: r.ambiguous,
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
