/**
 * The instance a simulation runs: the explorer's `Instance` (every thread an any-op program, its depth
 * the number of operations it starts), with bounds far beyond the explorer's and the one combination a
 * simulation refuses: `alloc` together with a claim of a frame the allocator may still hand out.
 */
import { buildInstance, InstanceError, type Bounds, type Instance } from '../check/instance.ts';
import { mutantByName } from '../mutants/catalog.ts';
import { HANDLE_OPS, opDef, type OpTarget } from '../ops/opTable.ts';

/** The simulator's bounds: the words array holds 8 words per frame, and threads are stepped one by one. */
export const SIMULATION_BOUNDS: Bounds = { frames: 65_536, threads: 64, engine: 'a simulation' };

/** The default alphabets (`--ops`) of the current and the legacy protocol. */
export const CURRENT_OPS = HANDLE_OPS.join(',');
export const LEGACY_OPS = HANDLE_OPS.filter((o) => !opDef(o).unique).join(',');

export type SimInstanceFlags = Readonly<{
  frames: number;
  threads: number;
  steps: number;
  ops?: string;
  opsPerThread?: number;
  refCountMax?: number;
  variant?: 'current' | 'legacy';
  mutant?: string;
}>;

/** The operations each thread starts by default: enough for runs to end quiescent within `steps`. */
export function defaultOpsPerThread(steps: number, threads: number): number {
  return Math.max(1, Math.floor(steps / (threads * 4)));
}

/** Builds a simulation instance; a malformed one throws `InstanceError`. */
export function simInstance(f: SimInstanceFlags): Instance {
  const variant = f.variant ?? 'current';
  const ops = f.ops ?? (variant === 'legacy' ? LEGACY_OPS : CURRENT_OPS);
  const inst = buildInstance(
    {
      frames: f.frames,
      threads: f.threads,
      depth: f.opsPerThread ?? defaultOpsPerThread(f.steps, f.threads),
      ops,
      variant,
      ...(f.refCountMax !== undefined && { refCountMax: f.refCountMax }),
      ...(f.mutant !== undefined && { mutant: f.mutant }),
    },
    (n) => mutantByName(n) !== undefined,
    SIMULATION_BOUNDS,
  );
  const alphabet = inst.programs[0]?.kind === 'any' ? inst.programs[0].ops : [];
  const claims = (target: OpTarget) => alphabet.some((o) => opDef(o).claims === true && opDef(o).target === target);
  if (claims('allocator') && claims('paddr'))
    throw new InstanceError(
      'alloc cannot run with from_unused or from_unused_unique: the allocator would hand out frames claimed behind its back',
    );
  return inst;
}
