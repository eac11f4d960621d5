/**
 * A small benchmark harness: run a body in rounds after a warm-up and report the median ns per
 * operation. Ratios are always against a baseline measured in the same run.
 */
export type Measure = Readonly<{ name: string; nsPerOp: number; rounds: number[] }>;

/** Median ns/op of `body(n)` (which performs `n` operations) over `rounds` rounds. */
export function measure(name: string, body: (n: number) => void, opts: { n?: number; rounds?: number } = {}): Measure {
  const n = opts.n ?? 200_000;
  const rounds = opts.rounds ?? 7;
  body(Math.min(n, 20_000));
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    body(n);
    samples.push(Number(process.hrtime.bigint() - t) / n);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, nsPerOp: sorted[Math.floor(sorted.length / 2)]!, rounds: samples };
}

/** A table row: name, ns/op, and the ratio against a baseline. */
export function row(m: Measure, base: Measure, target?: string): string {
  const ratio = m.nsPerOp / base.nsPerOp;
  return `${m.name.padEnd(62)} ${m.nsPerOp.toFixed(1).padStart(10)} ns/op ${ratio.toFixed(2).padStart(8)}×${target ? `   (target ${target})` : ''}`;
}
