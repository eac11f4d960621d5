/**
 * A simulation run as data: each thread's operations in the order it started them, and the thread
 * that took each step. It is what a run records, what shrinking edits, and what becomes the fixed
 * programs and labels of an explorer counterexample.
 */
import type { ProgramStep } from '../check/instance.ts';

export type Script = Readonly<{
  frames: number;
  programs: readonly (readonly ProgramStep[])[];
  schedule: readonly number[];
}>;

/** The number of operations in a script. */
export function opCount(s: Script): number {
  return s.programs.reduce((n, p) => n + p.length, 0);
}
