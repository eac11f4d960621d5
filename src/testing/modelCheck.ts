/**
 * The one runner behind every model-based test here: `fc.commands` over a model and the real thing,
 * `fc.modelRun` per sequence, and the verdict as a value — the shrunk command sequence and the first
 * line of what failed — or, for vitest users, as a thrown error carrying the same.
 */
import fc from 'fast-check';

/** The verdict of a model-based test. */
export type ModelTestReport = Readonly<
  | { ok: true; numRuns: number; seed: number }
  | { ok: false; numRuns: number; seed: number; counterexample: string; error: string; numShrinks: number }
>;

/** How many sequences to run, from which seed, and how long they may be. */
export type RunOptions = Readonly<{ numRuns?: number; seed?: number; maxCommands?: number }>;

/** A mismatch between the implementation and the model: what a command run throws. */
export class ModelMismatch extends Error {
  override readonly name = 'ModelMismatch';
}

/** Runs `numRuns` command sequences; each starts from a fresh `setup()`. */
export function modelCheck<M extends object, R>(
  cmds: fc.Arbitrary<fc.Command<M, R>>[],
  setup: () => { model: M; real: R },
  o: RunOptions = {},
): ModelTestReport {
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const arb = fc.commands(cmds, { maxCommands: o.maxCommands ?? 30 });
  const details = fc.check(
    fc.property(arb, (c) => fc.modelRun(setup, c)),
    { numRuns: o.numRuns ?? 200, seed },
  );
  if (!details.failed) return { ok: true, numRuns: details.numRuns, seed };
  const error = details.errorInstance;
  return {
    ok: false,
    numRuns: details.numRuns,
    seed,
    counterexample: String(details.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\/$/, ''),
    error: error instanceof Error ? error.message.split('\n')[0]! : String(error),
    numShrinks: details.numShrinks,
  };
}

/** Throws an error naming the shrunk counterexample when the report is a failure (for test suites). */
export function assertReport(r: ModelTestReport, what: string): void {
  if (!r.ok)
    throw new Error(
      `${what}: ${r.error}\n  counterexample: ${r.counterexample}\n  seed ${r.seed}, after ${r.numRuns} run(s) and ${r.numShrinks} shrink(s)`,
    );
}

/** A command from a name, a guard and a step (fast-check's `Command` as a value). */
export function command<M extends object, R>(
  name: () => string,
  check: (m: Readonly<M>) => boolean,
  run: (m: M, r: R) => void,
): fc.Command<M, R> {
  return { check, run, toString: name };
}
