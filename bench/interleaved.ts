/**
 * Ratios that survive a loaded machine: the builds of one case run in one process, round by round in
 * alternation (bare, then each checked build, the order rotated every round), each round timed in CPU
 * time of this process (`process.cpuUsage`, user + system) rather than wall time, and the ratio of a
 * build is the median over rounds of its time divided by the baseline's time in the same round. Load
 * from other processes then mostly cancels out of every ratio: a round where the machine is busy
 * slows the baseline and the checked build alike.
 */
import type { Measure } from './harness.ts';

/** One build's result: its median CPU ns/op and the median of its per-round ratios to the baseline. */
export type Interleaved = Measure & Readonly<{ ratio: number; ratios: number[] }>;

/** CPU ns per op of one `body(n)`. */
function cpuNsPerOp(body: (n: number) => void, n: number): number {
  const t = process.cpuUsage();
  body(n);
  const d = process.cpuUsage(t);
  return ((d.user + d.system) * 1000) / n;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Runs `bodies` (the first is the baseline) in `rounds` alternating rounds of `n` ops each, after one
 * warm-up round of every body; `n` of a body may be scaled by `scale[k]` (a slow build gets fewer ops
 * per round, so that each round takes about as long). Returns one result per body, in order.
 */
export function interleaved(
  bodies: readonly Readonly<{ name: string; body: (n: number) => void; n?: number }>[],
  opts: { n: number; rounds?: number },
): Interleaved[] {
  const rounds = opts.rounds ?? 9;
  const ns = bodies.map(() => [] as number[]);
  const ratios = bodies.map(() => [] as number[]);
  for (const b of bodies) b.body(Math.min(b.n ?? opts.n, 20_000));
  for (let r = 0; r < rounds; r++) {
    const round = new Array<number>(bodies.length);
    for (let j = 0; j < bodies.length; j++) {
      const k = (j + r) % bodies.length;
      const b = bodies[k]!;
      round[k] = cpuNsPerOp(b.body, b.n ?? opts.n);
    }
    for (let k = 0; k < bodies.length; k++) {
      ns[k]!.push(round[k]!);
      ratios[k]!.push(round[k]! / round[0]!);
    }
  }
  return bodies.map((b, k) => ({
    name: b.name,
    nsPerOp: median(ns[k]!),
    rounds: ns[k]!,
    ratio: median(ratios[k]!),
    ratios: ratios[k]!,
  }));
}

/** A table row as `row` prints it, with the median per-round ratio. */
export function ratioRow(m: Interleaved, target?: string): string {
  return `${m.name.padEnd(62)} ${m.nsPerOp.toFixed(1).padStart(10)} ns/op ${m.ratio.toFixed(2).padStart(8)}×${target ? `   (target ${target})` : ''}`;
}
