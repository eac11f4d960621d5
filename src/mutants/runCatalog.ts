/**
 * Runs the mutant catalog: every applicable engine on every mutant — the contracts, the explorer
 * (`check`), the simulator and the model-based tests — and reports which killed it, the minimized
 * counterexample of the first killer (in that order of preference: check, model-based, contracts,
 * simulate), the explorer trace to keep in `counterexamples/`, and the spec gap it shows.
 */
import type { Trace } from '../check/trace.ts';
import { runDetails, type RunDetails } from '../check/RunDetails.ts';
import type { Mutant } from './catalog.ts';
import { runCheckEngine } from './engines/checkEngine.ts';
import { contractsApply, runContracts, type ContractsOutcome } from './engines/contractsEngine.ts';
import { runModelEngine, runSequentialModel } from './engines/modelEngine.ts';
import { runSimulateEngine } from './engines/simulateEngine.ts';
import { runRc11Engine } from './engines/rc11Engine.ts';
import type { EngineName, EngineResult, ViolatedClause } from './engines/types.ts';
import { specGap, type SpecGap } from './specGap.ts';

export type MutantReport = Readonly<{
  name: string;
  description: string;
  target: Mutant['target'];
  killed: boolean;
  by: readonly EngineName[];
  counterexample: Readonly<{ engine: EngineName; property: string; trace: string }> | null;
  engines: readonly EngineResult[];
  /** The contract-layer clauses the contracts engine's minimized sequence breaks. */
  clauses: readonly ViolatedClause[];
  gap: SpecGap | null;
  weakMemory: boolean;
  /** The explorer trace (check's, else simulate's) for `counterexamples/`. */
  itf: Trace | undefined;
}>;

export type CatalogOptions = Readonly<{ numRuns?: number; seed?: number; simRuns?: number }>;

const PREFERENCE: readonly EngineName[] = ['check', 'check-rc11', 'model-based', 'contracts', 'simulate'];

/** Runs every engine on one mutant; `interleavings: false` leaves out the (asynchronous) scheduler test. */
export async function runMutant(m: Mutant, o: CatalogOptions = {}): Promise<MutantReport> {
  const opts = { numRuns: o.numRuns ?? 300, seed: o.seed ?? 1 };
  return report(m, o, await runModelEngine(m, opts));
}

/** As `runMutant`, synchronously: the model-based engine runs its sequential tests only. */
export function runMutantSync(m: Mutant, o: CatalogOptions = {}): MutantReport {
  return report(m, o, runSequentialModel(m, { numRuns: o.numRuns ?? 300, seed: o.seed ?? 1 }));
}

function report(m: Mutant, o: CatalogOptions, model: EngineResult): MutantReport {
  const opts = { numRuns: o.numRuns ?? 300, seed: o.seed ?? 1 };
  const contracts: ContractsOutcome | undefined = contractsApply(m) ? runContracts(m, opts) : undefined;
  const check = runCheckEngine(m);
  const sim = runSimulateEngine(m, { runs: o.simRuns ?? 20, seed: opts.seed });
  const rc11 = runRc11Engine(m);
  const engines = [contracts, check, rc11, sim, model].filter((e): e is EngineResult => e !== undefined);
  const by = engines.filter((e) => e.killed).map((e) => e.engine);
  const best = PREFERENCE.map((n) => engines.find((e) => e.engine === n && e.killed)).find((e) => e !== undefined);
  return {
    name: m.name,
    description: m.description,
    target: m.target,
    killed: by.length > 0,
    by,
    counterexample:
      best === undefined
        ? null
        : { engine: best.engine, property: best.property ?? '', trace: best.counterexample ?? '' },
    engines: engines.map(({ engine, killed, property, counterexample, seconds }) => ({
      engine,
      killed,
      ...(property !== undefined && { property }),
      ...(counterexample !== undefined && { counterexample }),
      seconds,
    })),
    clauses: contracts?.clauses ?? [],
    gap: specGap(m, contracts) ?? null,
    weakMemory: m.weakMemory === true,
    itf: check?.trace ?? sim?.trace,
  };
}

/** Runs the catalog, one mutant after another. */
export async function runCatalog(mutants: readonly Mutant[], o: CatalogOptions = {}): Promise<MutantReport[]> {
  const out: MutantReport[] = [];
  for (const m of mutants) out.push(await runMutant(m, o));
  return out;
}

/** The mutation score: killed over all, and the survivors that need the weak-memory mode. */
export function score(
  reports: readonly MutantReport[],
): Readonly<{ killed: number; total: number; score: number; weakMemorySurvivors: number }> {
  const killed = reports.filter((r) => r.killed).length;
  return {
    killed,
    total: reports.length,
    score: reports.length === 0 ? 1 : killed / reports.length,
    weakMemorySurvivors: reports.filter((r) => !r.killed && r.weakMemory).length,
  };
}

/** The catalog run's statistics: every mutant's report (without its trace), the score, the spec gaps. */
export type CatalogStats = Readonly<{
  mutants: readonly Omit<MutantReport, 'itf'>[];
  score: number;
  specGaps: readonly (SpecGap & Readonly<{ mutant: string }>)[];
}>;

/** The catalog run in the one result shape (src/check/RunDetails.ts): a survivor is the violation. */
export type CatalogDetails = RunDetails<CatalogStats, Readonly<{ survivors: readonly string[] }>>;

/** The reports as `RunDetails`: ok when every mutant was killed, else a violation naming the survivors. */
export function catalogDetails(reports: readonly MutantReport[]): CatalogDetails {
  const stats: CatalogStats = {
    mutants: reports.map(({ itf: _itf, ...r }) => r),
    score: score(reports).score,
    specGaps: reports.filter((r) => r.gap !== null).map((r) => ({ mutant: r.name, ...r.gap! })),
  };
  const survivors = reports.filter((r) => !r.killed).map((r) => r.name);
  return runDetails(survivors.length === 0 ? 'ok' : 'violation', stats, { survivors }, undefined);
}
