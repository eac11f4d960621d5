import { defineConfig } from 'vitest/config';

/**
 * `npm test`: Node alone. Files named `*.system.test.ts` need system tools (spin + gcc, chromium, npm
 * with network, Quint) and run under `npm run test:system` (vitest.system.config.ts) instead.
 *
 * Two groups: everything else, in parallel; then the files that drive Z3 (its WASM build reserves
 * gigabytes per instance), one at a time, after the rest — several Z3 instances at once, beside the
 * explorer's tests, can exhaust WASM memory.
 */
const Z3_FILES = [
  'proofs/**/*.test.ts',
  'src/prove/**/*.test.ts',
  'src/cli/commands/prove.test.ts',
  'src/axioms/consistency.test.ts',
];
const EXCLUDE = ['**/node_modules/**', 'dist/**', '**/*.system.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    globalSetup: ['./test/clauseCoverageSetup.ts'],
    setupFiles: ['./test/flushCoverage.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: [...EXCLUDE, ...Z3_FILES],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'z3',
          include: Z3_FILES,
          exclude: EXCLUDE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
