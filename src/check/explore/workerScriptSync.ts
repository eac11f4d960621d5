/**
 * The file a `Worker` loads: the compiled sibling when framecheck runs from `dist/`, or a bundle of
 * the TypeScript source made with esbuild (a dev dependency) when it runs from source, as under
 * vitest and in the benchmarks. Synchronous, for the parallel search that starts its workers in the
 * middle of a synchronous run.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundled = new Map<string, string>();

/** The path of a runnable script for worker module `name` in directory `dir` (a file: URL ending in /). */
export function workerScript(dir: URL, name: string): string {
  const compiled = fileURLToPath(new URL(`./${name}.js`, dir));
  if (existsSync(compiled)) return compiled;
  const source = fileURLToPath(new URL(`./${name}.ts`, dir));
  const done = bundled.get(source);
  if (done !== undefined) return done;
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const outfile = join(mkdtempSync(join(tmpdir(), `framecheck-${name}-`)), `${name}.mjs`);
  esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  bundled.set(source, outfile);
  return outfile;
}

/** The parallel search's worker script for framecheck's own implementation (no subject). */
export const parallelWorkerScript = (): string => workerScript(new URL('./', import.meta.url), 'parallelWorkerMain');
