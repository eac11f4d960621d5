/**
 * The explorer as a mutant engine: exhaustive exploration of the mutant's smallest instance, the
 * violation minimized (fewer threads, depth, frames) and rendered as its label sequence and ITF trace.
 */
import { checkInstance } from '../../check/checkInstance.ts';
import { buildInstance, type Instance, type InstanceFlags } from '../../check/instance.ts';
import type { Label } from '../../check/model.ts';
import type { Trace } from '../../check/trace.ts';
import { mutantByName, type Mutant } from '../catalog.ts';
import { timed, type EngineResult } from './types.ts';

const LIMITS = { maxStates: 2_000_000, timeLimitMs: 120_000, maxMemoryBytes: 4 * 2 ** 30 };

/** A label sequence as the tests pin it: `T0:from_unused@0 T1:from_in_use@0 T1:step`. */
export function showLabels(labels: readonly Label[]): string {
  return labels
    .map((l) => `T${l.t}:${l.op ?? 'step'}${l.op !== undefined && l.frame >= 0 ? `@${l.frame}` : ''}`)
    .join(' ');
}

/** The flags of a catalog instance string (`--frames 1 --threads 2 --program "0:…;1:…"`). */
export function instanceFlags(text: string): InstanceFlags {
  const args = [...text.matchAll(/--([a-z-]+)\s+(?:"([^"]*)"|(\S+))/g)].map((m) => [m[1]!, m[2] ?? m[3]!] as const);
  const get = (k: string) => args.find(([n]) => n === k)?.[1];
  const num = (k: string) => (get(k) === undefined ? undefined : Number(get(k)));
  const f: Record<string, unknown> = {
    frames: num('frames'),
    threads: num('threads'),
    depth: num('depth'),
    refCountMax: num('ref-count-max'),
    program: get('program'),
    ops: get('ops'),
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as InstanceFlags;
}

/** The instance the explorer kills `m` on. */
export function mutantInstance(m: Mutant): Instance | undefined {
  if (m.instance === undefined) return undefined;
  return buildInstance({ ...instanceFlags(m.instance), mutant: m.name }, (n) => mutantByName(n) !== undefined);
}

/** The check engine's verdict, with the minimized trace when it killed the mutant. */
export type CheckOutcome = EngineResult & Readonly<{ trace?: Trace }>;

/** Explores the mutant's instance. */
export function runCheckEngine(m: Mutant): CheckOutcome | undefined {
  const inst = mutantInstance(m);
  if (inst === undefined) return undefined;
  const [r, seconds] = timed(() => checkInstance(inst, { limits: LIMITS, subject: m }));
  if (r.verdict !== 'violation') return { engine: 'check', killed: false, seconds };
  const cx = r.counterexample;
  return {
    engine: 'check',
    killed: true,
    property: cx.finding.property,
    counterexample: showLabels(cx.labels),
    seconds,
    trace: cx.trace,
  };
}
