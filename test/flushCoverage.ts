/** vitest setup file: after each test file, this process's clause counts go to the coverage directory. */
import { afterAll, expect } from 'vitest';
import { flushCoverage, setCoverageEnabled } from '../src/contract/coverage.ts';

setCoverageEnabled(process.env['FRAMECHECK_CLAUSE_COVERAGE'] !== undefined);
afterAll(() => flushCoverage(expect.getState().testPath ?? 'file'));
