/** A worker of the parallel search that runs framecheck's own implementation (no subject). */
import { serveParallelWorker } from './parallelWorker.ts';

serveParallelWorker(() => undefined);
