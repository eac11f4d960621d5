/**
 * vitest global setup: every test process counts clause evaluations into `.framecheck/coverage-parts/`,
 * and the teardown adds them up into `.framecheck/clause-coverage.json` for `framecheck clauses`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mergeCoverage, mergeFalsifiers, resetCoverageDir } from '../src/contract/coverage.ts';

const root = resolve(import.meta.dirname, '..', '.framecheck');
// One directory per run, so that two test runs in one checkout do not mix their counts.
const parts = join(root, 'coverage-parts', `${process.pid}-${Date.now()}`);

// With several vitest projects this setup runs once per project: the first one owns the directory.
let owner = false;

export function setup(): void {
  if (process.env['FRAMECHECK_CLAUSE_COVERAGE'] !== undefined) return;
  owner = true;
  resetCoverageDir(parts);
  process.env['FRAMECHECK_CLAUSE_COVERAGE'] = parts;
}

export function teardown(): void {
  if (!owner) return;
  const merged = mergeCoverage(parts);
  mkdirSync(root, { recursive: true });
  const out = Object.fromEntries([...merged].sort(([a], [b]) => a.localeCompare(b)));
  const falsifiedBy = Object.fromEntries([...mergeFalsifiers(parts)].sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(
    join(root, 'clause-coverage.json'),
    JSON.stringify({ generated: new Date().toISOString(), clauses: out, falsifiedBy }, null, 1),
  );
  rmSync(parts, { recursive: true, force: true });
}
