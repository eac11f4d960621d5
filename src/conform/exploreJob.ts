/**
 * The explorer job of `conform`: every interleaving of a default bounded instance of the module, run
 * by the explorer itself with the module's operations in place of framecheck's frame layer (every check,
 * reduction and limit applies unchanged) through `checkInstance`; a violation comes minimized,
 * replayed into a timeline and kept as an ITF trace (`replay --impl MODULE` re-runs it).
 */
import type { Finding } from '../check/checks.ts';
import { checkInstance } from '../check/checkInstance.ts';
import type { Limits } from '../check/explore/search.ts';
import { buildInstance, type Instance } from '../check/instance.ts';
import { timelineText } from '../check/timeline.ts';
import type { Trace } from '../check/trace.ts';
import type { Subject } from '../check/world.ts';
import { HANDLE_OPS } from '../ops/opTable.ts';
import { ExternalLayer } from './adapters.ts';
import type { ImplementationModule } from './Implementation.ts';

const ALL_CURRENT = HANDLE_OPS.join(',');

/** The default bounded instances, per protocol: one frame under every operation, two frames, and the allocator. */
export const DEFAULT_INSTANCES: Readonly<Record<'current' | 'legacy', readonly string[]>> = {
  current: [
    `--frames 1 --threads 3 --depth 2 --ops ${ALL_CURRENT} --ref-count-max 2`,
    '--frames 2 --threads 2 --depth 2 --ops from_unused,from_in_use,clone,drop --ref-count-max 2',
    '--frames 1 --threads 2 --depth 2 --ops alloc,from_in_use,clone,drop,try_into_unique,drop_unique --ref-count-max 2',
  ],
  legacy: [
    '--frames 1 --threads 3 --depth 2 --ops from_unused,from_in_use,clone,drop --ref-count-max 2',
    '--frames 2 --threads 2 --depth 2 --ops from_unused,from_in_use,clone,drop --ref-count-max 2',
  ],
};

/** The instance the flags `text` describe (a fixed, well-formed default). */
export function instanceOf(text: string, protocol: 'current' | 'legacy'): Instance {
  const v = (k: string) => new RegExp(`--${k} (\\S+)`).exec(text)?.[1];
  const n = (k: string) => Number(v(k));
  return buildInstance(
    {
      frames: n('frames'),
      threads: n('threads'),
      depth: n('depth'),
      ops: v('ops')!,
      refCountMax: n('ref-count-max'),
      variant: protocol,
    },
    () => false,
  );
}

/** An instance to explore: the flags that describe it, as reports show them, and the instance. */
export type InstanceSpec = Readonly<{ text: string; instance: Instance }>;

/** The default instances of `protocol`, as specs. */
export function defaultInstances(protocol: 'current' | 'legacy'): InstanceSpec[] {
  return DEFAULT_INSTANCES[protocol].map((text) => ({ text, instance: instanceOf(text, protocol) }));
}

/** The verdict on one instance; a violation comes minimized, as an ITF trace and a timeline. */
export type ExploreOutcome = Readonly<{
  instance: string;
  verdict: 'ok' | 'violation' | 'incomplete';
  states: number;
  seconds: number;
  reason?: string;
  finding?: Finding;
  timeline?: readonly string[];
  trace?: Trace;
  /** The minimized instance's threads and the trace's steps. */
  minimized?: Readonly<{ threads: number; steps: number }>;
}>;

/** The explorer's limits for `conform` (the time limit is what is left of the run's). */
export const LIMITS: Limits = { maxStates: 400_000, timeLimitMs: 300_000, maxMemoryBytes: 4 * 2 ** 30 };

/** The module in the explorer's world: its operations in place of framecheck's frame layer. */
export function subjectOf(module: ImplementationModule): Subject {
  return { layer: (region, allocator) => new ExternalLayer(region, allocator, module) };
}

/**
 * Explores one instance of the module with the explorer itself (its checks, reductions and limits);
 * a violation is minimized and replayed, so its finding names the concrete threads of its trace.
 */
export function exploreInstance(
  module: ImplementationModule,
  spec: InstanceSpec,
  limits: Limits = LIMITS,
): ExploreOutcome {
  const inst = spec.instance;
  const r = checkInstance(inst, { limits, subject: subjectOf(module) });
  const base = { instance: spec.text, states: r.stats.states, seconds: r.stats.seconds };
  if (r.verdict === 'ok') return { ...base, verdict: 'ok' };
  if (r.verdict === 'incomplete') return { ...base, verdict: 'incomplete', reason: r.reason };
  const cx = r.counterexample;
  return {
    ...base,
    verdict: 'violation',
    finding: cx.finding,
    timeline: timelineText(cx.run, cx.instance.threads),
    trace: cx.trace,
    minimized: { threads: cx.instance.threads, steps: cx.labels.length },
  };
}
