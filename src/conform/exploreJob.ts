/**
 * The explorer job of `conform`: every interleaving of a default bounded instance of the module, run
 * by the explorer itself with the module's operations in place of framecheck's frame layer (every check,
 * reduction and limit applies unchanged); a violation is replayed into a timeline.
 */
import type { Finding } from '../check/checks.ts';
import { explore, runLabels } from '../check/explore/search.ts';
import { buildInstance, type Instance } from '../check/instance.ts';
import { timelineText } from '../check/timeline.ts';
import type { Subject } from '../check/world.ts';
import { ExternalLayer, protocolOf } from './adapters.ts';
import type { ImplementationModule } from './Implementation.ts';

const ALL_CURRENT = 'from_unused,from_unused_unique,from_in_use,clone,drop,into_shared,try_into_unique,drop_unique';

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

/** The verdict on one instance. */
export type ExploreOutcome = Readonly<{
  instance: string;
  verdict: 'ok' | 'violation' | 'incomplete';
  states: number;
  seconds: number;
  finding?: Finding;
  timeline?: readonly string[];
}>;

const LIMITS = { maxStates: 400_000, timeLimitMs: 300_000, maxMemoryBytes: 4 * 2 ** 30 };

/** The module in the explorer's world: its operations in place of framecheck's frame layer. */
function subjectOf(module: ImplementationModule): Subject {
  return { layer: (region, allocator) => new ExternalLayer(region, allocator, module) };
}

/** Explores one instance of the module with the explorer itself (its checks, reductions and limits). */
export function exploreInstance(module: ImplementationModule, text: string): ExploreOutcome {
  const inst = instanceOf(text, protocolOf(module));
  const subject = subjectOf(module);
  const r = explore(inst, { limits: LIMITS, subject });
  if (r.verdict !== 'violation') return { instance: text, verdict: r.verdict, states: r.states, seconds: r.seconds };
  const { finding, labels } = r.violation;
  const timeline =
    finding.property === 'crash' ? [] : timelineText(runLabels(inst, labels, true, subject), inst.threads);
  return { instance: text, verdict: 'violation', states: r.states, seconds: r.seconds, finding, timeline };
}
