/**
 * The simulator as a mutant engine: random walks and PCT runs of a small generated instance (three
 * frames, three threads, a low count limit so the overflow path is reachable), the failure shrunk to
 * an explorer-replayable trace.
 */
import type { Trace } from '../../check/trace.ts';
import { CURRENT_OPS, simInstance } from '../../simulate/simInstance.ts';
import { failureOf, simulate, type SchedulerName } from '../../simulate/simulate.ts';
import { ALLOCATOR_OPS } from '../../ops/opTable.ts';
import type { Mutant } from '../catalog.ts';
import { showLabels } from './checkEngine.ts';
import { timed, type EngineResult } from './types.ts';

const ALLOC_OPS = 'alloc,from_in_use,clone,drop,try_into_unique,into_shared,drop_unique';

/** The simulate engine's verdict, with the shrunk trace when it killed the mutant. */
export type SimulateOutcome = EngineResult & Readonly<{ trace?: Trace }>;

/** Runs `runs` random and `runs` PCT (depth 2) simulations of the mutant. */
export function runSimulateEngine(m: Mutant, o: { runs: number; seed: number }): SimulateOutcome | undefined {
  if (m.target !== 'meta-slot' && m.target !== 'frame') return undefined;
  const steps = 400;
  const inst = simInstance({
    frames: 3,
    threads: 3,
    steps,
    ops: ALLOCATOR_OPS.some((o) => m.instance?.includes(o) === true) ? ALLOC_OPS : CURRENT_OPS,
    opsPerThread: 6,
    refCountMax: 2,
    mutant: m.name,
  });
  const [r, seconds] = timed(() => {
    const run = (scheduler: SchedulerName) =>
      simulate({ inst, runs: o.runs, steps, seed: o.seed, scheduler, depth: 2, subject: m });
    const random = run('random');
    return random.verdict === 'violation' ? random : run('pct');
  });
  const f = failureOf(r);
  if (f === undefined) return { engine: 'simulate', killed: false, seconds };
  const labels = f.trace?.['#meta'].labels.map((l) => ({ t: l.t, op: (l.op ?? undefined) as never, frame: l.frame }));
  return {
    engine: 'simulate',
    killed: true,
    property: f.finding.property,
    counterexample: labels ? showLabels(labels) : f.finding.message,
    seconds,
    ...(f.trace !== undefined && { trace: f.trace }),
  };
}
