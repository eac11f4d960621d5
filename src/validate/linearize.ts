/**
 * Linearizability of one frame's sub-history against the sequential spec: a depth-first search for
 * an order of atomic steps, in the manner of Wing & Gong and Lowe (Porcupine, Knossos), with every
 * configuration it has visited memoized so no configuration is explored twice.
 *
 * A configuration is the position in the sub-history, the frame's state and the phase of each
 * operation in flight. Steps are taken lazily, just before the event that needs them (a return, or
 * an unknown outcome's deadline): an invoke changes no state, so delaying a step to the next return
 * never loses a linearization.
 */
import type { ModelParams } from '../../spec/vocab.ts';
import type { Entry, FrameHistory } from './frameHistories.ts';
import { stepsOf, type FrameState, type Phase } from './frameSpec.ts';

/** The operations in flight, each packed as `sub * 4 + phase`, in call order. */
type Config = Readonly<{ pos: number; rc: bigint; allocated: boolean; open: readonly number[] }>;

/** The verdict on one frame. */
export type FrameVerdict =
  | Readonly<{ ok: true; configs: number }>
  | Readonly<{ ok: false; configs: number; at: number; states: readonly FrameState[]; incomplete?: true }>;

const keyOf = (c: Config): string => `${c.pos}|${c.rc}|${c.allocated ? 1 : 0}|${c.open.join(',')}`;
const phaseOf = (open: readonly number[], sub: number): Phase | undefined => {
  for (const x of open) if (x >> 2 === sub) return (x & 3) as Phase;
  return undefined;
};

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

/** Searches for a linearization of `h`; `budget` bounds the configurations visited. */
export function linearize(h: FrameHistory, p: ModelParams, budget = 2_000_000): FrameVerdict {
  const seen = new Set<string>();
  const stack: Config[] = [{ pos: 0, rc: h.init ?? p.refCountUnused, allocated: false, open: [] }];
  let best = -1;
  let states = new Map<string, FrameState>();
  while (stack.length > 0) {
    const c = stack.pop()!;
    const key = keyOf(c);
    if (seen.has(key)) continue;
    seen.add(key);
    if (c.pos >= best) {
      if (c.pos > best) states = new Map();
      best = c.pos;
      states.set(`${c.rc}|${c.allocated}`, { rc: c.rc, allocated: c.allocated });
    }
    if (c.pos === h.entries.length) return { ok: true, configs: seen.size };
    if (seen.size > budget)
      return { ok: false, configs: seen.size, at: best, states: [...states.values()], incomplete: true };
    for (const n of successors(c, h.entries[c.pos]!, h, p)) stack.push(n);
  }
  return { ok: false, configs: seen.size, at: best, states: [...states.values()] };
}
