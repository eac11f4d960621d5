/**
 * Running one path from the initial state with every check the search makes: a given path of labels
 * (the counterexample files, minimization and `framecheck replay`), or one chosen step by step (the
 * sampling strategies' seeded runs, `src/strategies/walk.ts`), instead of a search choosing the next
 * state.
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
 * The next step of a run: given the state, the labels enabled in it (never empty) and the number of
 * steps taken, a label (it must be enabled, else the run has diverged) or `undefined` to stop.
 */
export type Chooser = (state: State, enabled: readonly Label[], step: number) => Label | undefined;

/**
 * Runs the steps `choose` picks from the initial state with every check the search makes, stopping
 * at the first violation; a run that ends with nothing enabled is checked for what it leaked.
 * `world` is reused when given (a world's state lives in the words the run passes in).
 */
export function runChosen(inst: Instance, choose: Chooser, subject?: Subject, world?: World): Run {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const w = world ?? new World(inst, subject);
    let x = initialState(w);
    const run: Run = { states: [x], labels: [], results: [], finding: stateFindings(w, x)[0], world: w };
    let en = enabled(inst, x);
    while (run.finding === undefined && en.length > 0) {
      const l = choose(x, en, run.labels.length);
      if (l === undefined) break;
      if (!en.some((e) => e.t === l.t && e.op === l.op && e.frame === l.frame)) {
        run.diverged = run.labels.length + 1;
        break;
      }
      const r = guardedStep(w, inst, x, l);
      run.labels.push(l);
      if ('property' in r) {
        run.finding = r;
        break;
      }
      run.results.push(r);
      x = r.state;
      run.states.push(x);
      run.finding = transitionFinding(w, l, r, 256) ?? stateFindings(w, x)[0];
      en = enabled(inst, x);
    }
    if (run.finding === undefined && run.diverged === undefined && en.length === 0)
      run.finding = quiescentFindings(w, x)[0];
    return run;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Runs labels from the initial state with every check the search makes, stopping at the first
 * violation. `canonical` labels (as the search records them) are mapped back to concrete threads and
 * frames through the symmetry representative of each state.
 */
export function runLabels(inst: Instance, path: readonly Label[], canonical: boolean, subject?: Subject): Run {
  const world = new World(inst, subject);
  const sym = new Symmetry(inst, world.per, inst.symmetry);
  const choose: Chooser = (x, _en, k) => {
    const L = path[k];
    return L === undefined || !canonical ? L : Symmetry.unmap(L, sym.canon(x));
  };
  return runChosen(inst, choose, subject, world);
}
