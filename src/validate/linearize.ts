/**
 * Linearizability of one frame's sub-history against the sequential spec: a depth-first search for
 * an order of atomic steps, in the manner of Wing & Gong and Lowe (Porcupine, Knossos), with every
 * configuration it has visited memoized so no configuration is explored twice.
 *
 * A configuration is the position in the sub-history, the frame's state and the phase of each
 * operation in flight. Steps are taken lazily, just before the event that needs them (a return, or
 * an unknown outcome's deadline): an invoke changes no state, so delaying a step to the next return
 * never loses a linearization.
 *
 * Identical operations in flight are interchangeable (symmetry reduction): two operations of the
 * same kind and recorded outcome, both returned later, differ only in when they must have taken
 * effect, so a configuration where the one returning first is the further advanced dominates its
 * mirror image. Every configuration is canonicalized that way before it is memoized: the phases of
 * a class of identical operations are handed out in return order, most advanced first. Forty
 * concurrent `from_in_use` on one frame then cost a number of configurations linear in the class
 * sizes, not exponential.
 */
import type { ModelParams } from '../../spec/vocab.ts';
import type { Entry, FrameHistory } from './frameHistories.ts';
import { stepsOf, type FrameState, type Phase } from './frameSpec.ts';

/** The operations in flight, each packed as `sub * 4 + phase`, in call order. */
type Config = Readonly<{ pos: number; rc: bigint; allocated: boolean; open: readonly number[] }>;

/** The verdict on one frame (`stopped` when the caller's stop condition cut the search short). */
export type FrameVerdict =
  | Readonly<{ ok: true; configs: number }>
  | Readonly<{
      ok: false;
      configs: number;
      at: number;
      states: readonly FrameState[];
      incomplete?: true;
      stopped?: true;
    }>;

/** How often (in configurations) the search yields to its driver. */
export const YIELD_EVERY = 2048;

const keyOf = (c: Config): string => `${c.pos}|${c.rc}|${c.allocated ? 1 : 0}|${c.open.join(',')}`;
const phaseOf = (open: readonly number[], sub: number): Phase | undefined => {
  for (const x of open) if (x >> 2 === sub) return (x & 3) as Phase;
  return undefined;
};

/**
 * The symmetry classes of a sub-history: for each sub-operation, its class (`-1` when it has an
 * unknown outcome with a deadline, which is never swapped) and the rank of the entry that ends it
 * (its return; `Infinity` when it never returns).
 */
type Symmetry = Readonly<{ cls: readonly number[]; end: readonly number[] }>;

/** The classes of interchangeable sub-operations of `h`. */
export function symmetryOf(h: FrameHistory): Symmetry {
  const end = h.subs.map(() => Infinity);
  const closed = new Set<number>();
  h.entries.forEach((e, k) => {
    if (e.type === 'ret') end[e.sub] = k;
    if (e.type === 'close') closed.add(e.sub);
  });
  const ids = new Map<string, number>();
  const size: number[] = [];
  const cls = h.subs.map((s, k) => {
    if (closed.has(k)) return -1;
    const key = `${s.kind}|${s.result}|${s.value}|${end[k] === Infinity ? 'open' : 'ret'}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    size[id] = (size[id] ?? 0) + 1;
    return id;
  });
  // A class of one has nothing to swap with.
  return { cls: cls.map((c) => (c >= 0 && size[c]! > 1 ? c : -1)), end };
}

/** `open` with each class's phases handed out in return order, the most advanced first. */
export function canonical(open: readonly number[], sym: Symmetry): readonly number[] {
  let groups: Map<number, number[]> | undefined;
  for (let k = 0; k < open.length; k++) {
    const c = sym.cls[open[k]! >> 2]!;
    if (c < 0) continue;
    groups ??= new Map();
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [k]);
    else g.push(k);
  }
  if (groups === undefined) return open;
  let out: number[] | undefined;
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    const phases = idx.map((k) => open[k]! & 3).sort((a, b) => b - a);
    const byEnd = [...idx].sort((a, b) => sym.end[open[a]! >> 2]! - sym.end[open[b]! >> 2]!);
    out ??= [...open];
    byEnd.forEach((k, j) => (out![k] = (open[k]! & ~3) | phases[j]!));
  }
  return out ?? open;
}

/** The configurations one step of any operation in `movers` leads to (the last one pushed is tried first). */
function steps(c: Config, h: FrameHistory, p: ModelParams, movers: readonly number[]): Config[] {
  const out: Config[] = [];
  for (const sub of movers) {
    const phase = phaseOf(c.open, sub)!;
    for (const s of stepsOf(h.subs[sub]!, phase, c, p)) {
      const open = c.open.map((x) => (x >> 2 === sub ? sub * 4 + s.phase : x));
      out.push({ pos: c.pos, rc: s.rc, allocated: s.allocated, open });
    }
  }
  return out;
}

/** The successors of `c` at entry `e`. */
function successors(c: Config, e: Entry, h: FrameHistory, p: ModelParams): Config[] {
  const next = (open: readonly number[]): Config => ({ pos: c.pos + 1, rc: c.rc, allocated: c.allocated, open });
  if (e.type === 'call') return [next([...c.open, e.sub * 4])];
  const phase = phaseOf(c.open, e.sub);
  const without = c.open.filter((x) => x >> 2 !== e.sub);
  if (e.type === 'ret') {
    if (phase === 2) return [next(without)];
    const others = c.open.map((x) => x >> 2).filter((s) => s !== e.sub && (phaseOf(c.open, s) ?? 2) < 2);
    return [...steps(c, h, p, others), ...steps(c, h, p, [e.sub])];
  }
  const mine = steps(c, h, p, [e.sub]);
  return phase === 1 ? mine : [...mine, next(without)];
}

/**
 * The search as a generator: it yields every `YIELD_EVERY` configurations so that a driver can
 * check a time limit or an interrupt, and stops (verdict `stopped`) when `next()` is passed `true`.
 */
export function* linearizeSteps(
  h: FrameHistory,
  p: ModelParams,
  budget = 2_000_000,
): Generator<number, FrameVerdict, boolean | undefined> {
  const sym = symmetryOf(h);
  const seen = new Set<string>();
  const stack: Config[] = [{ pos: 0, rc: h.init ?? p.refCountUnused, allocated: false, open: [] }];
  let best = -1;
  let states = new Map<string, FrameState>();
  const partial = () => ({ ok: false as const, configs: seen.size, at: best, states: [...states.values()] });
  while (stack.length > 0) {
    const raw = stack.pop()!;
    const c = { ...raw, open: canonical(raw.open, sym) };
    const key = keyOf(c);
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size % YIELD_EVERY === 0 && (yield seen.size) === true) return { ...partial(), stopped: true };
    if (c.pos >= best) {
      if (c.pos > best) states = new Map();
      best = c.pos;
      states.set(`${c.rc}|${c.allocated}`, { rc: c.rc, allocated: c.allocated });
    }
    if (c.pos === h.entries.length) return { ok: true, configs: seen.size };
    if (seen.size > budget) return { ...partial(), incomplete: true };
    for (const n of successors(c, h.entries[c.pos]!, h, p)) stack.push(n);
  }
  return partial();
}

/** Runs a generator that yields progress to its end, never stopping it. */
export function drain<T>(g: Generator<unknown, T, boolean | undefined>): T {
  for (;;) {
    const r = g.next(false);
    if (r.done === true) return r.value;
  }
}

/** Searches for a linearization of `h`; `budget` bounds the configurations visited. */
export function linearize(h: FrameHistory, p: ModelParams, budget = 2_000_000): FrameVerdict {
  return drain(linearizeSteps(h, p, budget));
}
