/**
 * A worker script of the parallel search whose thread ends (process.exit) while it builds its
 * subject, before it is ready: the coordinator must hear of it through the control words.
 */
import { serveParallelWorker } from '../../src/check/explore/parallelWorker.ts';

serveParallelWorker(() => process.exit(7));
