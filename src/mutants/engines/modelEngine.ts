/**
 * The model-based tests as a mutant engine: the user-facing fast-check tests of `src/testing`, run on
 * the mutant — the frame layer against the sequential spec (and, when that passes, interleavings chosen
 * by fast-check's scheduler), lists, segments and the allocators against their models.
 */
import { checkAllocOptions, checkBuddyAllocator, checkEarlyAllocator } from '../../testing/allocatorModel.ts';
import { checkFrameLayer } from '../../testing/frameLayerModel.ts';
import { checkFrameList } from '../../testing/frameListModel.ts';
import { checkInterleavings } from '../../testing/interleavings.ts';
import type { ModelTestReport } from '../../testing/modelCheck.ts';
import { checkSegments } from '../../testing/segmentModel.ts';
import type { Mutant } from '../catalog.ts';
import type { EngineResult } from './types.ts';

type Opts = { numRuns: number; seed: number };

function sequential(m: Mutant, o: Opts): ModelTestReport {
  switch (m.target) {
    case 'meta-slot':
    case 'frame':
      return checkFrameLayer(m, o);
    case 'list':
      return checkFrameList(m, o);
    case 'segment':
      return checkSegments(m, o);
    case 'buddy':
      return checkBuddyAllocator(m, o);
    case 'early-allocator':
      return checkEarlyAllocator(m, o);
    case 'alloc-options':
      return checkAllocOptions(m, o);
  }
}

/** Runs the sequential model-based test of the mutant's part. */
export function runSequentialModel(m: Mutant, o: Opts): EngineResult {
  const t0 = performance.now();
  const seq = sequential(m, o);
  const seconds = (performance.now() - t0) / 1000;
  if (seq.ok) return { engine: 'model-based', killed: false, seconds };
  return { engine: 'model-based', killed: true, property: seq.error, counterexample: seq.counterexample, seconds };
}

/** Runs the model-based tests on the mutant: sequential first, then scheduled interleavings. */
export async function runModelEngine(m: Mutant, o: Opts): Promise<EngineResult> {
  const seq = runSequentialModel(m, o);
  if (seq.killed || (m.target !== 'meta-slot' && m.target !== 'frame')) return seq;
  const t0 = performance.now();
  const par = await checkInterleavings(m, { numRuns: o.numRuns, seed: o.seed, frames: 1, threads: 2, refCountMax: 2n });
  const seconds = seq.seconds + (performance.now() - t0) / 1000;
  if (par.ok) return { engine: 'model-based', killed: false, seconds };
  return {
    engine: 'model-based',
    killed: true,
    property: par.property ?? par.error,
    counterexample: par.steps ?? par.counterexample,
    seconds,
  };
}
