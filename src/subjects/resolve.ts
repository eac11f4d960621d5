/**
 * Subjects resolved by name, outside the engine: the engine runs whatever `Subject` it is handed, and
 * the front ends (and the parallel search's worker threads, which receive names, not functions) turn
 * an instance's `--mutant` into one here.
 */
import type { Instance } from '../check/instance.ts';
import type { Subject } from '../check/world.ts';
import { mutantByName } from '../mutants/catalog.ts';
import { workerScript } from '../check/explore/workerScriptSync.ts';

/**
 * The subject `name` stands for: the catalog's mutant of that name, or `undefined` (framecheck's own
 * implementation, current or legacy as the instance's variant says) when there is no name.
 */
export function subjectNamed(name: string | undefined): Subject | undefined {
  if (name === undefined) return undefined;
  const m = mutantByName(name);
  // Mutant names are checked where they are read (flags, trace files): an unknown one here is a bug.
  if (m === undefined) throw new Error(`impossible: no mutant '${name}' in the catalog`);
  return m;
}

/** The subject an instance names (its `mutant`), resolved as `subjectNamed` does. */
export function subjectOf(inst: Instance): Subject | undefined {
  return subjectNamed(inst.mutant);
}

/** The worker script of the parallel search that resolves each instance's subject as `subjectOf` does. */
export const subjectWorkerScript = (): string => workerScript(new URL('./', import.meta.url), 'parallelWorkerMain');

/**
 * What the parallel search needs to run the subject `inst` names: the subject for this thread and
 * the worker script that rebuilds it by name in each worker.
 */
export function parallelSubject(inst: Instance): Readonly<{ subject?: Subject; workerScript: () => string }> {
  const subject = subjectOf(inst);
  return { ...(subject !== undefined && { subject }), workerScript: subjectWorkerScript };
}
