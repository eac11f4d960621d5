/** What each engine reports for one mutant. */
export type EngineName = 'contracts' | 'check' | 'check-rc11' | 'simulate' | 'model-based';

/** One engine's verdict on one mutant: killed with a minimized counterexample, survived, or not applicable. */
export type EngineResult = Readonly<{
  engine: EngineName;
  killed: boolean;
  /** The property or clause that failed. */
  property?: string;
  /** The minimized counterexample, as the engine prints it. */
  counterexample?: string;
  seconds: number;
}>;

/** A violated contract-layer clause: its name, kind and origin (vostd, vostd-head, upstream, framecheck). */
export type ViolatedClause = Readonly<{ clause: string; kind: string; origin: string }>;

/** Times `f`. */
export function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}
