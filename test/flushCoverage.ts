/** vitest setup file: after each test file, this process's clause counts go to the coverage directory. */
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { flushCoverage, setCoverageEnabled, setCurrentTest } from '../src/contract/coverage.ts';

setCoverageEnabled(process.env['FRAMECHECK_CLAUSE_COVERAGE'] !== undefined);
// The running test names the falsifier of a clause a checked call finds false outside a mutant run.
beforeEach(() => setCurrentTest(expect.getState().currentTestName));
afterEach(() => setCurrentTest(undefined));
afterAll(() => flushCoverage(expect.getState().testPath ?? 'file'));
