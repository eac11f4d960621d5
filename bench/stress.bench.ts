/**
 * Real threads: operations per second of the stress (alloc, from_in_use on shared addresses, clone,
 * drop, unique conversions, each recorded in a shared-memory history) at 1, 2 and 4 workers on one
 * shared metadata region and buddy allocator, 10^6 operations each, with the quiescent audit.
 */
import { runStress } from '../src/stress/stress.ts';

/** The stress benchmark section. */
export async function stressBench(): Promise<string[]> {
  const ops = Number(process.env['FRAMECHECK_STRESS_OPS'] ?? 1_000_000);
  const lines = [`## Real threads: ${ops.toLocaleString('en')} operations over 1,024 shared frames (same run)`];
  let base: number | undefined;
  for (const workers of [1, 2, 4]) {
    const r = await runStress({ workers, ops, frames: 1024, seed: workers, validate: false, timeoutMs: 600_000 });
    base ??= r.opsPerSecond;
    const audit = r.audit.exact ? 'audit exact' : `AUDIT FAILED: ${r.audit.violations[0]}`;
    lines.push(
      `${workers} worker(s): ${String(r.opsPerSecond).padStart(9)} ops/s  ${(r.opsPerSecond / base).toFixed(2)}× of 1 worker  (${r.ops} ops, ${r.seconds.toFixed(2)} s, ${audit})`,
    );
  }
  return lines;
}
