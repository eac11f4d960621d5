/**
 * The file a `Worker` loads for the stress: the compiled sibling when framecheck runs from `dist/`, or
 * a bundle of the TypeScript source made with esbuild (a dev dependency) when it runs from source, as
 * under vitest and in the benchmarks.
 */
import { workerScript } from '../check/explore/workerScriptSync.ts';

/** The path of a runnable stress-worker script. */
export async function stressWorkerScript(): Promise<string> {
  return workerScript(new URL('./', import.meta.url), 'stressWorker');
}
