/**
 * State keys and symmetry reduction. Threads with identical programs are interchangeable, and so are
 * frames when no program names one; a state is replaced by a representative of its orbit: frames
 * sorted by a signature, then threads sorted within each group of identical programs.
 */
import { framesSymmetric, type Instance } from './instance.ts';
import { fingerprint } from './FingerprintSet.ts';
import type { Access } from './ReplayMemory.ts';
import { mkThread, type Label, type State, type ThreadState } from './model.ts';

const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;
/** A short name for a word value (the sentinels become one letter). */
function big(v: bigint | undefined): string {
  if (v === undefined) return '_';
  if (v < 0x10000000n) return Number(v).toString(36);
  if (v === U64) return 'U';
  if (v === U64 - 1n) return 'Q';
  if (v === U32) return 'u';
  return `x${v.toString(36)}`;
}

/** Each frame's words as one string (and the words after the slots, the allocator's, last). */
function frameStrings(words: readonly bigint[], per: number, frames: number): string[] {
  const out: string[] = [];
  for (let f = 0; f <= frames; f++) {
    const end = f === frames ? words.length : (f + 1) * per;
    let str = '';
    for (let w = f * per; w < end; w++) str += `${big(words[w])},`;
    out.push(str);
  }
  return out;
}

const bigHashes = new Map<bigint, number>();
/** A 32-bit hash of a word value (small values are their own hash). */
function wordHash(v: bigint): number {
  if (v < 0x40000000n) return Number(v);
  let h = bigHashes.get(v);
  if (h === undefined) {
    h = fingerprint(v.toString(36))[0] | 0x40000000;
    if (bigHashes.size < 4096) bigHashes.set(v, h);
  }
  return h;
}

/** Mixes a 32-bit value into a 64-bit running hash (two lanes). */
function mix(h: [number, number], x: number): void {
  h[0] = Math.imul(h[0] ^ x, 0x01000193) >>> 0;
  h[1] = Math.imul((h[1] ^ x) + 0x9e3779b9, 0x5bd1e995) >>> 0;
  h[1] ^= h[1] >>> 15;
}

/** The hash of frame `f`'s words (`f === frames`: the words after the slots). */
export function frameHash(words: readonly bigint[], per: number, frames: number, f: number): number {
  const end = f === frames ? words.length : (f + 1) * per;
  let h = 0x811c9dc5;
  for (let w = f * per; w < end; w++) h = Math.imul(h ^ wordHash(words[w]!), 0x01000193) >>> 0;
  return h;
}

/** A thread's 64-bit hash (memoized on the value, like its key). */
export function threadHash(th: ThreadState): readonly [number, number] {
  const memo = th as { hash?: readonly [number, number] };
  return (memo.hash ??= fingerprint(threadKey(th)));
}

function accessKey(a: Access): string {
  return `${a.kind[0]}${a.word}:${big(a.observed)}:${big(a.written)}`;
}

/** The key of one thread's local state (memoized on the value: a step changes one thread, the others are shared). */
export function threadKey(th: ThreadState): string {
  const memo = th as { key?: string };
  return (memo.key ??= `${th.pc}|${th.op ?? '-'}|${th.frame}|${th.log.map(accessKey).join(',')}|${th.shared.join('')}|${th.unique.join('')}`);
}

/** The key of a state (without symmetry reduction). */
export function stateKey(s: State): string {
  return `${s.halted ? 'H' : ''}${s.words.map(big).join(',')}#${s.threads.map(threadKey).join('#')}`;
}

/** A representative of a state's orbit, and the permutations that map the state onto it. */
export type Canonical = Readonly<{
  state: State;
  key: string;
  threadPerm: readonly number[];
  framePerm: readonly number[];
  /**
   * Two frames had the same signature without being provably interchangeable: the representative is
   * still a state of the orbit, but which frame went where was a tie-break, so labels cannot be
   * carried across it (partial-order reduction does not prune there).
   */
  ambiguous: boolean;
}>;

/** Every permutation of `0..n-1` (`perm[old] = new`). */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]),
  );
}

/** Where thread `t` of the original state lands in the representative. */
function threadPerm0(order: readonly number[], t: number): number {
  return t < 0 ? t : order.indexOf(t);
}

export class Symmetry {
  readonly frames: boolean;
  readonly groups: readonly number[];
  readonly per: number;
  readonly nframes: number;

  constructor(inst: Instance, per: number, enabled: boolean) {
    this.frames = enabled && framesSymmetric(inst) && inst.frames > 1;
    const progs = inst.programs.map((p) => JSON.stringify(p));
    this.groups = enabled ? progs.map((p) => progs.indexOf(p)) : progs.map((_, t) => t);
    this.per = per;
    this.nframes = inst.frames;
    this.identity = [...Array(inst.frames).keys()];
  }

  private readonly identity: readonly number[];

  /**
   * The representative of `s`. With at most 4 interchangeable frames it is exact: the least key over
   * every renaming of the frames (threads sorted within their groups under each). Beyond that, frames
   * are ordered by a signature, which is sound but may leave ties (`ambiguous`).
   */
  canon(s: State): Canonical {
    if (!this.frames || this.nframes <= 4) {
      // The hash under every renaming is computed without building the renamed state; the least
      // one (a function of the orbit, up to 64-bit collisions) picks the representative.
      const fh = Array.from({ length: this.nframes + 1 }, (_, f) => frameHash(s.words, this.per, this.nframes, f));
      if (!this.frames) return this.hashed(s, this.identity, -1, this.hashUnder(s, this.identity, -1, fh));
      let best: [number, number] | undefined;
      let bestPerm = 0;
      this.allPerms.forEach((perm, pi) => {
        const h = this.hashUnder(s, perm, pi, fh);
        if (best === undefined || h[0] < best[0] || (h[0] === best[0] && h[1] < best[1])) [best, bestPerm] = [h, pi];
      });
      return this.hashed(s, this.allPerms[bestPerm]!, bestPerm, best!);
    }
    const fs = frameStrings(s.words, this.per, this.nframes);
    const order = this.frameOrder(s, fs);
    return this.withFrames(s, order.perm, fs, order.tie);
  }

  /** The representative under frame renaming `perm` (the `pi`-th), threads ordered as `hashUnder` orders them. */
  private hashed(s: State, perm: readonly number[], pi: number, hash: readonly [number, number]): Canonical {
    const identity = pi < 0 || perm.every((to, from) => to === from);
    const threads0 = identity ? s.threads : s.threads.map((th) => this.renamedThread(th, perm, pi));
    const hs = threads0.map(threadHash);
    const order = [...hs.keys()].sort(
      (x, y) => this.groups[x]! - this.groups[y]! || hs[x]![0] - hs[y]![0] || hs[x]![1] - hs[y]![1] || x - y,
    );
    const words = identity ? s.words : this.renameWords(s.words, perm);
    const streak = { t: threadPerm0(order, s.streak.t), accesses: s.streak.accesses };
    const state: State = { words, threads: order.map((t) => threads0[t]!), halted: s.halted, streak };
    const threadPerm: number[] = new Array(order.length);
    order.forEach((from, to) => (threadPerm[from] = to));
    return { state, key: `h${hash[0]}:${hash[1]}`, threadPerm, framePerm: perm, ambiguous: false };
  }

  /** A thread renamed by the `pi`-th frame permutation, memoized on the thread value. */
  private renamedThread(th: ThreadState, perm: readonly number[], pi: number): ThreadState {
    const memo = th as { renamed?: ThreadState[] };
    const renamed = (memo.renamed ??= []);
    return (renamed[pi] ??= this.renameThread(th, perm));
  }

  /** `src` with the slots' words moved by frame renaming `perm`. */
  renameWords(src: readonly bigint[], perm: readonly number[]): bigint[] {
    const per = this.per;
    const words = src.slice();
    for (let w = 0; w < this.nframes * per; w++) words[perm[Math.floor(w / per)]! * per + (w % per)] = src[w]!;
    return words;
  }

  /** The 64-bit hash of `s` with its frames renamed by `perm` (the `pi`-th permutation) and threads sorted. */
  private hashUnder(s: State, perm: readonly number[], pi: number, fh: readonly number[]): [number, number] {
    const inv = pi < 0 ? this.identity : this.inverse(pi);
    const h: [number, number] = [s.halted ? 1 : 0, 0x2545f491];
    for (let f = 0; f <= this.nframes; f++) mix(h, fh[f === this.nframes ? f : inv[f]!]!);
    const hs = s.threads.map((th) => this.threadHashUnder(th, perm, pi));
    const order = [...hs.keys()].sort(
      (x, y) => this.groups[x]! - this.groups[y]! || hs[x]![0] - hs[y]![0] || hs[x]![1] - hs[y]![1] || x - y,
    );
    for (const t of order) {
      mix(h, this.groups[t]!);
      mix(h, hs[t]![0]);
      mix(h, hs[t]![1]);
    }
    return h;
  }

  /** A thread's hash with frames renamed by the `pi`-th permutation, memoized on the thread value. */
  private threadHashUnder(th: ThreadState, perm: readonly number[], pi: number): readonly [number, number] {
    if (pi < 0 || perm.every((to, from) => to === from)) return threadHash(th);
    return threadHash(this.renamedThread(th, perm, pi));
  }

  inverse(pi: number): readonly number[] {
    const invs = (this.invs ??= this.allPerms.map((p) => {
      const inv = new Array<number>(p.length);
      p.forEach((to, from) => (inv[to] = from));
      return inv;
    }));
    return invs[pi]!;
  }

  private invs: number[][] | undefined;

  /** Every permutation of the frames (for exact canonical forms of small instances). */
  get allPerms(): readonly (readonly number[])[] {
    return (this.perms ??= permutations(this.nframes));
  }

  private perms: readonly (readonly number[])[] | undefined;

  /** `s` with frames renamed by `framePerm` and threads sorted within their groups. */
  private withFrames(
    s: State,
    framePerm: readonly number[],
    fs: readonly string[],
    ambiguous: boolean,
    hash?: readonly [number, number],
  ): Canonical {
    const identity = framePerm.every((to, from) => to === from);
    const renamed = identity ? s : this.renameFrames(s, framePerm);
    const keys = renamed.threads.map(threadKey);
    const order = [...keys.keys()].sort(
      (x, y) => this.groups[x]! - this.groups[y]! || (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : x - y),
    );
    const threads = order.map((t) => renamed.threads[t]!);
    const state: State = {
      words: renamed.words,
      threads,
      halted: s.halted,
      streak: { t: threadPerm0(order, s.streak.t), accesses: s.streak.accesses },
    };
    const key =
      hash !== undefined
        ? `h${hash[0]}:${hash[1]}`
        : `${s.halted ? 'H' : ''}${identity ? fs.join('') : frameStrings(renamed.words, this.per, this.nframes).join('')}#${order.map((t) => keys[t]).join('#')}`;
    const threadPerm: number[] = new Array(order.length);
    order.forEach((from, to) => (threadPerm[from] = to));
    return { state, key, threadPerm, framePerm, ambiguous };
  }

  /** `framePerm[old] = new`: frames sorted by their words and the handles threads hold on them. */
  private frameOrder(s: State, fs: readonly string[]): { perm: number[]; tie: boolean } {
    const sig = (f: number) =>
      `${fs[f]}/${s.threads
        .map((th) => `${th.shared[f]}${th.unique[f]}${th.frame === f ? 'o' : ''}`)
        .sort()
        .join(',')}`;
    const sigs = [...Array(this.nframes).keys()].map(sig);
    const order = [...sigs.keys()].sort((x, y) => (sigs[x]! < sigs[y]! ? -1 : sigs[x]! > sigs[y]! ? 1 : x - y));
    const perm: number[] = new Array(this.nframes);
    order.forEach((from, to) => (perm[from] = to));
    return { perm, tie: new Set(sigs).size < sigs.length };
  }

  private renameFrames(s: State, perm: readonly number[]): State {
    const per = this.per;
    const F = this.nframes;
    const word = (w: number) => (w < F * per ? perm[Math.floor(w / per)]! * per + (w % per) : w);
    const words = s.words.slice();
    for (let w = 0; w < F * per; w++) words[word(w)] = s.words[w]!;
    return { words, threads: s.threads.map((th) => this.renameThread(th, perm)), halted: s.halted, streak: s.streak };
  }

  /** A thread's local state with frames renamed by `perm`. */
  renameThread(th: ThreadState, perm: readonly number[]): ThreadState {
    const per = this.per;
    const F = this.nframes;
    const word = (w: number) => (w < F * per ? perm[Math.floor(w / per)]! * per + (w % per) : w);
    const moveCols = (xs: readonly number[]) => {
      const out = xs.slice();
      xs.forEach((x, f) => (out[perm[f]!] = x));
      return out;
    };
    return mkThread(
      th.pc,
      th.op,
      th.frame < 0 ? th.frame : perm[th.frame]!,
      th.log.map((a) =>
        a.word < F * per
          ? {
              kind: a.kind,
              word: word(a.word),
              atomic: a.atomic,
              observed: a.observed,
              written: a.written,
              before: a.before,
            }
          : a,
      ),
      moveCols(th.shared),
      moveCols(th.unique),
    );
  }

  /** A label of the representative, mapped back to the original state's threads and frames. */
  static unmap(l: Label, c: Canonical): Label {
    const t = c.threadPerm.indexOf(l.t);
    const frame = l.frame < 0 ? l.frame : c.framePerm.indexOf(l.frame);
    return { t, op: l.op, frame };
  }
}
