/**
 * Clause coverage: how often each clause was evaluated true and false.
 *
 * Counting is on only when `FRAMECHECK_CLAUSE_COVERAGE` names a directory; then `flushCoverage()` writes
 * this process's counts there as one JSON file, and `mergeCoverage()` adds all files up (what
 * `framecheck clauses` reads after `npm test`).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const counts = new Map<string, [number, number]>();
let enabled =
  process.env['FRAMECHECK_CLAUSE_COVERAGE'] !== undefined && process.env['FRAMECHECK_CLAUSE_COVERAGE'] !== '';

/** Turns counting on or off for this process (tests of the counter itself). */
export function setCoverageEnabled(on: boolean): void {
  enabled = on;
}

/** Whether clause evaluations are being counted. */
export function coverageEnabled(): boolean {
  return enabled;
}

/** Records one evaluation of `clause`. */
export function recordClause(clause: string, value: boolean): void {
  if (!enabled) return;
  let c = counts.get(clause);
  if (c === undefined) counts.set(clause, (c = [0, 0]));
  c[value ? 0 : 1]++;
}

/** The counts of this process so far. */
export function coverageSnapshot(): ReadonlyMap<string, readonly [number, number]> {
  return counts;
}

/** Writes this process's counts into the coverage directory and resets them. */
export function flushCoverage(tag: string): void {
  const dir = process.env['FRAMECHECK_CLAUSE_COVERAGE'];
  if (dir === undefined || dir === '' || counts.size === 0) return;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${tag.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(Object.fromEntries(counts)));
  counts.clear();
}

/** Adds up every counts file in `dir`. */
export function mergeCoverage(dir: string): Map<string, [number, number]> {
  const total = new Map<string, [number, number]>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return total;
  }
  for (const f of files) {
    const part = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, [number, number]>;
    for (const [name, [t, n]] of Object.entries(part)) {
      const c = total.get(name) ?? [0, 0];
      total.set(name, [c[0] + t, c[1] + n]);
    }
  }
  return total;
}

/** Empties the coverage directory. */
export function resetCoverageDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
