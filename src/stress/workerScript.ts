/**
 * The file a `Worker` loads for the stress: the compiled sibling when framecheck runs from `dist/`, or
 * a bundle of the TypeScript source made with esbuild (a dev dependency) when it runs from source, as
 * under vitest and in the benchmarks.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let bundled: string | undefined;

/** The path of a runnable stress-worker script. */
export async function stressWorkerScript(): Promise<string> {
  const compiled = fileURLToPath(new URL('./stressWorker.js', import.meta.url));
  if (existsSync(compiled)) return compiled;
  if (bundled !== undefined) return bundled;
  const { buildSync } = await import('esbuild');
  const outfile = join(mkdtempSync(join(tmpdir(), 'framecheck-stress-')), 'stressWorker.mjs');
  buildSync({
    entryPoints: [fileURLToPath(new URL('./stressWorker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return (bundled = outfile);
}
