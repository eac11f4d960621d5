/**
 * A recorded history of the real frame layer under simulated concurrency, in one thread: processes
 * take turns at random; a turn either invokes the process's next operation or runs the one it
 * invoked and records its return. Operations overlap in real time (many are invoked, none is run,
 * then they return in another order), each takes effect inside its interval, and the run is
 * reproducible from its seed. Used by tests and by the validation benchmark.
 */
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { HistoryRecorder, mergeHistories, TicketClock, type HistoryEvent } from './HistoryRecorder.ts';
import { planNext, planRelease, rng, type Handles, type Planned } from './randomOps.ts';

/** What to generate. */
export type SyntheticOptions = Readonly<{
  frames: number;
  processes: number;
  ops: number;
  seed: number;
  unique?: boolean;
  layer?: FrameLayer;
}>;

type Proc = { rec: HistoryRecorder; h: Handles; pending: Planned | undefined; done: number };

/** Generates a history of about `2 × ops` events (every process ends holding nothing). */
export function syntheticHistory(o: SyntheticOptions): HistoryEvent[] {
  const layer = o.layer ?? new FrameLayer(new MetaRegion({ maxPaddr: o.frames * PAGE_SIZE }));
  const clock = new TicketClock();
  const rand = rng(o.seed);
  const procs: Proc[] = Array.from({ length: o.processes }, (_, p) => ({
    rec: new HistoryRecorder(clock, p),
    h: { shared: [], unique: [] },
    pending: undefined,
    done: 0,
  }));
  const quota = Math.ceil(o.ops / o.processes);
  let live = procs.length;
  while (live > 0) {
    const p = procs[rand(procs.length)]!;
    if (p.pending !== undefined) {
      p.rec.ok(p.pending.f, p.pending.run());
      p.pending = undefined;
      p.done++;
      continue;
    }
    const next = p.done < quota ? planNext(layer, p.h, o.frames, rand, o.unique ?? true) : planRelease(layer, p.h);
    if (next === undefined) {
      if (p.done !== Infinity) live--;
      p.done = Infinity;
      continue;
    }
    p.rec.invoke(next.f, next.value);
    p.pending = next;
  }
  return mergeHistories(procs.map((p) => p.rec.events));
}
