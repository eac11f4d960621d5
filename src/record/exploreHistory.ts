/**
 * The histories the explorer runs, in the format of docs/formats.md "Histories": a path of the explorer (a `Run` from
 * `runLabels`, or any labels and step results) becomes events — a label that starts an operation is
 * its invoke, the step that completes it is its return — and a seeded random walk through the
 * explorer's model emits long histories of the real implementation interleaved at every atomic step.
 * An aborted operation has no return: the kernel stopped, and the history ends there.
 */
import { runLabels } from '../check/explore/search.ts';
import type { Instance } from '../check/instance.ts';
import { enabled, initialState, step, type Label, type StepResult } from '../check/model.ts';
import { World } from '../check/world.ts';
import { subjectOf } from '../subjects/resolve.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { HistoryOpName } from '../validate/History.ts';
import { OP_TABLE } from '../ops/opTable.ts';
import { hex, type HistoryEvent } from './HistoryRecorder.ts';
import { rng } from './randomOps.ts';

type Value = Readonly<Record<string, unknown>>;

/** The history name and invoke value of an explorer operation on frame `f`. */
function invokeOf(op: FrameOpName, f: number): { f: HistoryOpName; value: Value } {
  const h = OP_TABLE[op].history;
  return { f: h.f, value: h.invoke(hex(f * PAGE_SIZE)) };
}

/** The `ok` value of an explorer result word. */
function okOf(op: FrameOpName, result: string, frame: number): Value {
  return OP_TABLE[op].history.ok(result, hex(frame * PAGE_SIZE));
}

/** The events of one explorer path: thread `t` is process `t`. */
export function historyOfRun(
  run: Readonly<{ labels: readonly Label[]; results: readonly StepResult[] }>,
): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  run.labels.forEach((l, k) => {
    if (l.op !== undefined) {
      const i = invokeOf(l.op, l.frame);
      out.push({ type: 'invoke', process: l.t, f: i.f, value: i.value });
    }
    const done = run.results[k]?.completed;
    if (done !== undefined) {
      out.push({
        type: 'ok',
        process: l.t,
        f: invokeOf(done.op, done.frame).f,
        value: okOf(done.op, done.result, done.frame),
      });
    }
  });
  return out;
}

/** The history of the path `labels` of `inst` (concrete labels, as `runLabels` takes them). */
export function historyOfPath(inst: Instance, labels: readonly Label[]): HistoryEvent[] {
  return historyOfRun(runLabels(inst, labels, false, subjectOf(inst)));
}

/** A seeded random walk of up to `steps` steps through the explorer's model of `inst`, as a history. */
export function randomWalkHistory(inst: Instance, o: Readonly<{ steps: number; seed: number }>): HistoryEvent[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const world = new World(inst, subjectOf(inst));
    const rand = rng(o.seed);
    let s = initialState(world);
    const labels: Label[] = [];
    const results: StepResult[] = [];
    for (let k = 0; k < o.steps; k++) {
      const ls = enabled(inst, s);
      if (ls.length === 0) break;
      const l = ls[rand(ls.length)]!;
      const r = step(world, inst, s, l);
      labels.push(l);
      results.push(r);
      if (r.abort !== undefined) break;
      s = r.state;
    }
    return historyOfRun({ labels, results });
  } finally {
    Error.stackTraceLimit = limit;
  }
}
