/**
 * The replay strategy: one given path of labels run from the initial state with every check the
 * search makes (the counterexample files, minimization and `framecheck replay` run it), instead of
 * a search choosing the next step.
 */
import { stateFindings, quiescentFindings, type Finding } from '../checks.ts';
import { Symmetry } from '../canon.ts';
import { enabled, initialState, type Label, type State, type StepResult } from '../model.ts';
import type { Instance } from '../instance.ts';
import { World, type Subject } from '../world.ts';
import { guardedStep, transitionFinding } from './transitions.ts';

/** A concrete run: the states, the labels taken and what each step did, and the first violation met. */
export type Run = {
  states: State[];
  labels: Label[];
  results: StepResult[];
  finding: Finding | undefined;
  world: World;
  /** The 1-based step at which the path stopped fitting the instance (its label was not enabled). */
  diverged?: number;
};

/**
 * Runs labels from the initial state with every check the search makes, stopping at the first
 * violation. `canonical` labels (as the search records them) are mapped back to concrete threads and
 * frames through the symmetry representative of each state.
 */
export function runLabels(inst: Instance, path: readonly Label[], canonical: boolean, subject?: Subject): Run {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const world = new World(inst, subject);
    const sym = new Symmetry(inst, world.per, inst.symmetry);
    let x = initialState(world);
    const run: Run = { states: [x], labels: [], results: [], finding: stateFindings(world, x)[0], world };
    for (const L of path) {
      if (run.finding !== undefined) break;
      const l = canonical ? Symmetry.unmap(L, sym.canon(x)) : L;
      if (!enabled(inst, x).some((e) => e.t === l.t && e.op === l.op && e.frame === l.frame)) {
        run.diverged = run.labels.length + 1;
        break;
      }
      const r = guardedStep(world, inst, x, l);
      run.labels.push(l);
      if ('property' in r) {
        run.finding = r;
        break;
      }
      run.results.push(r);
      x = r.state;
      run.states.push(x);
      run.finding = transitionFinding(world, l, r, 256) ?? stateFindings(world, x)[0];
    }
    if (run.finding === undefined && run.diverged === undefined && enabled(inst, x).length === 0)
      run.finding = quiescentFindings(world, x)[0];
    return run;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
