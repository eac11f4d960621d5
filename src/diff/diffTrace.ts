/**
 * A diff's distinguishing run as an ITF trace (docs/formats.md): one state per completed operation, in
 * the order the operations completed on the witness side, with both sides' results; `#meta` names the
 * sides, the phase, the instance and the witness's schedule.
 */
import type { Instance } from '../check/instance.ts';
import { programsMeta } from '../check/trace.ts';
import { ITF_NONE, itfSome, toItf, type ItfValue } from '../contract/itf.ts';
import type { DiffResult, DiffSide, DiffStep } from './protocolDiff.ts';

/** The state variables of a diff trace. */
export const DIFF_VARS = ['thread', 'op', 'frame', 'left', 'right', 'mbt::actionTaken', 'mbt::nondetPicks'] as const;

type Differ = Extract<DiffResult, { verdict: 'differ' }>;

const results = (xs: readonly string[]): ItfValue => ({ '#set': xs.map((x) => x) });

function state(index: number, s: DiffStep | undefined): Record<string, ItfValue> {
  const frame = s === undefined || s.frame < 0 ? ITF_NONE : itfSome(toItf(s.frame));
  return {
    '#meta': { index },
    thread: s === undefined ? ITF_NONE : itfSome(toItf(s.t)),
    op: s === undefined ? ITF_NONE : itfSome(s.op),
    frame,
    left: results(s?.left ?? []),
    right: results(s?.right ?? []),
    'mbt::actionTaken': s === undefined ? 'init' : `T${s.t} ${s.op}(${s.frame < 0 ? '' : s.frame})`,
    'mbt::nondetPicks': {
      t: s === undefined ? ITF_NONE : itfSome(toItf(s.t)),
      op: s === undefined ? ITF_NONE : itfSome(s.op),
      frame,
    },
  };
}

/** The one-line description of where two sides' results part. */
export function diffMessage(left: DiffSide, right: DiffSide, r: Differ): string {
  const last = r.steps[r.steps.length - 1]!;
  const show = (xs: readonly string[]) => (xs.length === 0 ? 'cannot complete it' : xs.join(' | '));
  return `T${last.t} ${last.op}(${last.frame < 0 ? '' : last.frame}) after ${r.steps.length - 1} operation(s): ${left.name} → ${show(last.left)}, ${right.name} → ${show(last.right)} (${r.phase})`;
}

/** The ITF trace of a distinguishing run. */
export function diffTrace(left: DiffSide, right: DiffSide, inst: Instance, r: Differ): Record<string, ItfValue> {
  return {
    '#meta': {
      format: 'ITF',
      property: 'diff',
      message: diffMessage(left, right, r),
      left: left.name,
      right: right.name,
      phase: r.phase,
      witness: r.witness === 'left' ? left.name : right.name,
      instance: {
        frames: inst.frames,
        threads: inst.threads,
        programs: programsMeta(inst),
        refCountMax: String(inst.refCountMax),
      },
      labels: r.labels.map((l) => ({ t: l.t, ...(l.op !== undefined && { op: l.op }), frame: l.frame })),
    },
    vars: [...DIFF_VARS],
    states: [state(0, undefined), ...r.steps.map((s, k) => state(k + 1, s))],
  };
}
