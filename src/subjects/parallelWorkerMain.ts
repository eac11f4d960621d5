/** A worker of the parallel search that runs the subject its instance names (a mutant of the catalog). */
import { serveParallelWorker } from '../check/explore/parallelWorker.ts';
import { subjectOf } from './resolve.ts';

serveParallelWorker(subjectOf);
