/**
 * The explorer job of `conform`: every interleaving of a default bounded instance, breadth-first
 * over the module's atomic steps (so the counterexample is shortest), with the explorer's own
 * transitions and checks and its symmetry reduction; a violation is replayed into a timeline.
 */
import { Symmetry } from '../check/canon.ts';
import type { Finding } from '../check/checks.ts';
import { stateFindings } from '../check/checks.ts';
import { transitionFinding, type Run } from '../check/explore/search.ts';
import { fingerprint, FingerprintSet } from '../check/FingerprintSet.ts';
import { buildInstance, type Instance } from '../check/instance.ts';
import { enabled, initialState, step, type Label, type State, type StepResult } from '../check/model.ts';
import { timelineText } from '../check/timeline.ts';
import { protocolOf } from './adapters.ts';
import { ExternalWorld } from './ExternalWorld.ts';
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

const LIMIT_STATES = 400_000;

/** Replays a path of canonical labels into a run (as `runLabels`, on the module's world). */
function replay(inst: Instance, module: ImplementationModule, path: readonly Label[]): Run {
  const world = new ExternalWorld(inst, module);
  const sym = new Symmetry(inst, world.per, inst.symmetry);
  let x = initialState(world);
  const run: Run = { states: [x], labels: [], results: [], finding: undefined, world };
  for (const L of path) {
    const l = Symmetry.unmap(L, sym.canon(x));
    const r = step(world, inst, x, l);
    run.labels.push(l);
    run.results.push(r);
    x = r.state;
    run.states.push(x);
  }
  return run;
}

type Node = { state: State; path: readonly Label[] };

/** A step of the module; an exception it throws (other than the explorer's own) is a crash finding. */
function tryStep(world: ExternalWorld, inst: Instance, s: State, l: Label): StepResult | Finding {
  try {
    return step(world, inst, s, l);
  } catch (e) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return {
      property: 'crash',
      verus: '(the implementation threw)',
      blame: 'implementation',
      message: `thread ${l.t}: ${l.op ?? 'continuing'}(${l.frame}) threw ${what}`,
      frame: l.frame,
    };
  }
}

/** Explores `inst` breadth-first; the first violation and the path to it. */
function bfs(
  inst: Instance,
  module: ImplementationModule,
): { states: number; found?: { finding: Finding; path: readonly Label[] }; incomplete?: boolean } {
  const world = new ExternalWorld(inst, module);
  const sym = new Symmetry(inst, world.per, inst.symmetry);
  const seen = new FingerprintSet();
  const root = sym.canon(initialState(world));
  seen.add(...fingerprint(root.key));
  const first = stateFindings(world, root.state)[0];
  if (first !== undefined) return { states: 1, found: { finding: first, path: [] } };
  let frontier: Node[] = [{ state: root.state, path: [] }];
  while (frontier.length > 0) {
    const next: Node[] = [];
    for (const n of frontier) {
      for (const l of enabled(inst, n.state)) {
        const r = tryStep(world, inst, n.state, l);
        const path = [...n.path, l];
        const bad = 'property' in r ? r : transitionFinding(world, l, r, 256);
        if (bad !== undefined) return { states: seen.size, found: { finding: bad, path } };
        const c = sym.canon((r as StepResult).state);
        if (!seen.add(...fingerprint(c.key)).isNew) continue;
        const inv = stateFindings(world, c.state)[0];
        if (inv !== undefined) return { states: seen.size, found: { finding: inv, path } };
        if (seen.size > LIMIT_STATES) return { states: seen.size, incomplete: true };
        next.push({ state: c.state, path });
      }
    }
    frontier = next;
  }
  return { states: seen.size };
}

/** Explores one instance of the module. */
export function exploreInstance(module: ImplementationModule, text: string): ExploreOutcome {
  const t0 = performance.now();
  const inst = instanceOf(text, protocolOf(module));
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const r = bfs(inst, module);
    const seconds = (performance.now() - t0) / 1000;
    if (r.found === undefined)
      return { instance: text, verdict: r.incomplete ? 'incomplete' : 'ok', states: r.states, seconds };
    const timeline =
      r.found.finding.property === 'crash' ? [] : timelineText(replay(inst, module, r.found.path), inst.threads);
    return { instance: text, verdict: 'violation', states: r.states, seconds, finding: r.found.finding, timeline };
  } finally {
    Error.stackTraceLimit = limit;
  }
}
