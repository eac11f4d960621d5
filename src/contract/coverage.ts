/**
 * Clause coverage: how often each clause was evaluated true and false.
 *
 * Counting is on only when `FRAMECHECK_CLAUSE_COVERAGE` names a directory; then `flushCoverage()` writes
 * this process's counts there as one JSON file, and `mergeCoverage()` adds all files up (what
 * `framecheck clauses` reads after `npm test`).
 *
 * Beside the counts, each clause's falsifiers: the wrong implementations (`mutant:NAME`) and wrong callers
 * (`caller:TEST NAME`) under which a contract-layer check of a real call found it false. Only the checker's
 * own evaluations record one (`recordFalsified`), so a clause evaluated on a hand-built ghost state never does.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const counts = new Map<string, [number, number]>();
const falsifiers = new Map<string, Set<string>>();
let subject: string | undefined;
let currentTest: string | undefined;
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

/** Runs `body` with `label` (e.g. `mutant:NAME`) as the falsifier of every clause a checked call finds false. */
export function withFalsifier<T>(label: string, body: () => T): T {
  const outer = subject;
  subject = label;
  try {
    return body();
  } finally {
    subject = outer;
  }
}

/** Names the running test (vitest's full test name), for falsifiers found outside `withFalsifier`. */
export function setCurrentTest(name: string | undefined): void {
  currentTest = name;
}

/**
 * Records that a checked call found `clause` false, blaming `blame`: under `withFalsifier` its label,
 * else `caller:TEST` or `mutant:TEST` (a test's own wrong implementation) for the running test.
 */
export function recordFalsified(clause: string, blame: 'caller' | 'implementation' | 'spec'): void {
  if (!enabled || blame === 'spec') return;
  const label =
    subject ?? (currentTest === undefined ? undefined : `${blame === 'caller' ? 'caller' : 'mutant'}:${currentTest}`);
  if (label === undefined) return;
  let set = falsifiers.get(clause);
  if (set === undefined) falsifiers.set(clause, (set = new Set()));
  set.add(label);
}

/** The falsifiers of this process so far. */
export function falsifierSnapshot(): ReadonlyMap<string, ReadonlySet<string>> {
  return falsifiers;
}

/** The counts of this process so far. */
export function coverageSnapshot(): ReadonlyMap<string, readonly [number, number]> {
  return counts;
}

/** Writes this process's counts into the coverage directory and resets them. */
export function flushCoverage(tag: string): void {
  const dir = process.env['FRAMECHECK_CLAUSE_COVERAGE'];
  if (dir === undefined || dir === '' || (counts.size === 0 && falsifiers.size === 0)) return;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${tag.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}.json`);
  const falsifiedBy = Object.fromEntries([...falsifiers].map(([c, set]) => [c, [...set]]));
  writeFileSync(file, JSON.stringify({ counts: Object.fromEntries(counts), falsifiedBy }));
  counts.clear();
  falsifiers.clear();
}

/** One process's counts and falsifiers, as `flushCoverage` writes them. */
export type CoveragePart = Readonly<{
  counts: Record<string, [number, number]>;
  falsifiedBy: Record<string, string[]>;
}>;

/** Every part file in `dir` (a bare counts object is read as one with no falsifiers). */
function readParts(dir: string): CoveragePart[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => {
    const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as
      Partial<CoveragePart> | Record<string, [number, number]>;
    return 'counts' in raw && 'falsifiedBy' in raw
      ? (raw as CoveragePart)
      : { counts: raw as CoveragePart['counts'], falsifiedBy: {} };
  });
}

/** The parts added up: counts summed per clause, falsifiers united (each list sorted). */
export function mergeParts(parts: readonly CoveragePart[]): {
  counts: Map<string, [number, number]>;
  falsifiedBy: Map<string, string[]>;
} {
  const counts = new Map<string, [number, number]>();
  const total = new Map<string, Set<string>>();
  for (const part of parts) {
    for (const [name, [t, n]] of Object.entries(part.counts)) {
      const c = counts.get(name) ?? [0, 0];
      counts.set(name, [c[0] + t, c[1] + n]);
    }
    for (const [name, labels] of Object.entries(part.falsifiedBy)) {
      const set = total.get(name) ?? new Set<string>();
      for (const l of labels) set.add(l);
      total.set(name, set);
    }
  }
  return { counts, falsifiedBy: new Map([...total].map(([name, set]) => [name, [...set].sort()])) };
}

/** The union of every part file's falsifiers in `dir`, each list sorted. */
export function mergeFalsifiers(dir: string): Map<string, string[]> {
  return mergeParts(readParts(dir)).falsifiedBy;
}

/** Adds up every counts file in `dir`. */
export function mergeCoverage(dir: string): Map<string, [number, number]> {
  return mergeParts(readParts(dir)).counts;
}

/** Empties the coverage directory. */
export function resetCoverageDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
