import { defineConfig } from 'vitest/config';

/**
 * `npm run test:system`: the suites that need tools beyond Node (`*.system.test.ts`) — spin + gcc,
 * chromium, npm (pack and install with the registry or its cache), Quint's ITF reader. A suite whose
 * tool is missing fails with one line saying what to install. One file at a time: they start
 * compilers, browsers and npm, and the machine's cores are better spent on one of them.
 */
export default defineConfig({
  test: {
    name: 'system',
    include: ['**/*.system.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
