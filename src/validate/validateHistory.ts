/**
 * `validate`: is a concurrent history linearizable with respect to the sequential spec? Each frame's
 * sub-history is searched on its own; allocations of unknown outcome are attributed to frames only
 * where a frame fails without them; the first event (by line) that no linearization explains is
 * reported with the clause it contradicts and a minimal failing sub-history.
 */
import { modelParams, type ModelParams, type Protocol } from '../../spec/vocab.ts';
import { explain } from './explain.ts';
import { splitByFrame, type FrameHistory } from './frameHistories.ts';
import type { History, ParseError } from './History.ts';
import { drain, linearizeSteps } from './linearize.ts';
import { minimalSubHistorySteps } from './minimize.ts';
import { parseHistory } from './parseHistory.ts';
import { explainedByWildcards } from './pendingAllocs.ts';

/** How to validate: the address bound and the protocol's sentinels. */
export type ValidateOptions = Readonly<{
  maxPaddr: number;
  protocol?: Protocol;
  refCountMax?: bigint;
  budget?: number;
}>;

/** The first event no linearization explains. */
export type Failure = Readonly<{
  /** The frame whose sub-history fails (`undefined` for an event judged on its own). */
  frame: number | undefined;
  line: number;
  opId: number;
  clause: string;
  reason: string;
  incomplete: boolean;
}>;

/** A violation as reported: the failure, its event, how many frames fail, and a minimal failing sub-history. */
export type Violation = Failure &
  Readonly<{
    event: string;
    failingFrames: number;
    subHistory: readonly { line: number; text: string }[];
    minimal: boolean;
    /** How many candidate sub-histories minimization validated. */
    validations: number;
  }>;

/** Why a validation stopped before it decided. */
export type StopReason = 'time-limit' | 'interrupted';

/** What a stopped validation had decided: each frame's sub-history by verdict, and those not decided. */
export type Decided = Readonly<{
  reason: StopReason;
  /** Whether the search was still deciding frames, or minimizing the first violation. */
  during: 'search' | 'minimization';
  linearizable: readonly number[];
  failing: readonly { frame: number; line: number }[];
  undecided: readonly number[];
}>;

/** What `validate` answers. */
export type ValidateResult = Readonly<{
  verdict: 'linearizable' | 'not-linearizable' | 'incomplete';
  events: number;
  ops: number;
  frames: number;
  configs: number;
  seconds: number;
  violation?: Violation;
  /** Present when a time limit or an interrupt stopped the validation. */
  stopped?: Decided;
}>;

/** The raw verdict: every failure, first by line, and the search statistics. */
export type Verdict = Readonly<{
  failures: Failure[];
  frames: number;
  configs: number;
  /** The frames decided (all of them unless the driver stopped the search). */
  decided: Omit<Decided, 'reason' | 'during'>;
  stopped: boolean;
}>;

/** How far a validation has got, for a progress line. */
export type ValidateProgress = {
  during: 'search' | 'minimization';
  framesDone: number;
  frames: number;
  configs: number;
  validations: number;
};

/** The generators of a validation: they yield to a driver, and stop when it passes `true`. */
type Steps<T> = Generator<number, T, boolean | undefined>;

/** The model parameters a validation uses. */
export function paramsOf(o: ValidateOptions): ModelParams {
  return modelParams({
    protocol: o.protocol ?? 'current',
    maxPaddr: o.maxPaddr,
    ...(o.refCountMax !== undefined && { refCountMax: o.refCountMax }),
  });
}

/** Every failure of `h`, sorted by line (without minimization), yielding after every frame. */
export function* findFailuresSteps(h: History, o: ValidateOptions, track?: ValidateProgress): Steps<Verdict> {
  const p = paramsOf(o);
  const split = splitByFrame(h, o.maxPaddr);
  const failures: Failure[] = split.stateless.map((s) => ({
    frame: undefined,
    line: (s.op.ret ?? s.op.invoke).line,
    opId: s.op.id,
    clause: s.clause,
    reason: s.reason,
    incomplete: false,
  }));
  const failing = new Map<number, { h: FrameHistory; seq: number; failure: Failure }>();
  const linearizable: number[] = [];
  let configs = 0;
  if (track !== undefined) track.frames = split.frames.size;
  const decided = () => ({
    linearizable,
    failing: [...failing.values()].map((f) => ({ frame: f.h.paddr, line: f.failure.line })),
    undecided: [...split.frames.keys()].filter((k) => !failing.has(k) && !linearizable.includes(k)),
  });
  const stopped = (): Verdict => ({ failures, frames: split.frames.size, configs, decided: decided(), stopped: true });
  for (const fh of split.frames.values()) {
    const v = yield* linearizeSteps(fh, p, o.budget);
    configs += v.configs;
    if (track !== undefined) track.configs += v.configs;
    if (!v.ok && v.stopped === true) return stopped();
    if (track !== undefined) track.framesDone++;
    if (v.ok) linearizable.push(fh.paddr);
    else {
      const e = fh.entries[v.at]!;
      const op = h.ops[fh.subs[e.sub]!.opId]!;
      const why = v.incomplete
        ? { clause: '(search budget)', reason: `the search gave up after ${v.configs} configurations` }
        : explain(fh, e, op, v.states, p);
      const line = e.type === 'ret' ? op.ret!.line : op.deadline!.line;
      failing.set(fh.paddr, {
        h: fh,
        seq: e.seq,
        failure: { frame: fh.paddr, line, opId: op.id, ...why, incomplete: v.incomplete === true },
      });
    }
    if ((yield configs) === true) return stopped();
  }
  const explained =
    failing.size > 0 && split.wildcards.length > 0
      ? explainedByWildcards(failing, split.wildcards, p)
      : new Set<number>();
  for (const paddr of explained) failing.delete(paddr);
  linearizable.push(...explained);
  for (const f of failing.values()) failures.push(f.failure);
  failures.sort((a, b) => a.line - b.line);
  return { failures, frames: split.frames.size, configs, decided: decided(), stopped: false };
}

/** Every failure of `h`, sorted by line (without minimization). */
export function findFailures(h: History, o: ValidateOptions): Verdict {
  return drain(findFailuresSteps(h, o));
}

/** The validation of a parsed history as a generator (the driver adds the stop reason). */
function* validateSteps(
  h: History,
  o: ValidateOptions,
  track: ValidateProgress,
  clock: () => number,
): Steps<ValidateResult & { stoppedDuring?: Decided['during']; decided?: Verdict['decided'] }> {
  const t0 = clock();
  const v = yield* findFailuresSteps(h, o, track);
  const base = { events: h.events, ops: h.ops.length, frames: v.frames, configs: v.configs };
  const seconds = () => (clock() - t0) / 1000;
  if (v.stopped)
    return { verdict: 'incomplete', ...base, seconds: seconds(), stoppedDuring: 'search', decided: v.decided };
  const first = v.failures[0];
  if (first === undefined) return { verdict: 'linearizable', ...base, seconds: seconds() };
  track.during = 'minimization';
  const sub = yield* minimalSubHistorySteps(h, first, o, track);
  const violation: Violation = {
    ...first,
    event: h.lines[first.line - 1] ?? '',
    failingFrames: v.failures.length,
    subHistory: sub.lines.map((line) => ({ line, text: h.lines[line - 1]! })),
    minimal: sub.minimal,
    validations: sub.validations,
  };
  if (sub.stopped === true) {
    const stop = { stoppedDuring: 'minimization' as const, decided: v.decided };
    return { verdict: 'incomplete', ...base, seconds: seconds(), violation, ...stop };
  }
  const verdict = first.incomplete ? 'incomplete' : 'not-linearizable';
  return { verdict, ...base, seconds: seconds(), violation };
}

/** Validates a parsed history. */
export function validateHistory(h: History, o: ValidateOptions): ValidateResult {
  const track: ValidateProgress = { during: 'search', framesDone: 0, frames: 0, configs: 0, validations: 0 };
  return drain(validateSteps(h, o, track, () => performance.now()));
}

/** How an asynchronous validation is bounded and watched. */
export type ValidateControl = Readonly<{
  /** Aborting it stops the validation (`interrupted`). */
  signal?: AbortSignal;
  /** Polled at every yield: `true` stops the validation (`interrupted`), as a shared Ctrl-C flag does. */
  interrupted?: () => boolean;
  timeLimitMs?: number;
  onProgress?: (p: Readonly<ValidateProgress> & { seconds: number }) => void;
  progressEveryMs?: number;
  /** The clock, in milliseconds (`performance.now` unless a test drives it). */
  now?: () => number;
}>;

/** How long the validation runs between turns of the event loop (so that a signal can be delivered). */
const SLICE_MS = 50;

/**
 * Validates a parsed history, giving the event loop a turn at the first yield and every
 * `SLICE_MS` after it: an abort or the time limit stops it with what was decided so far.
 */
export async function validateHistoryAsync(
  h: History,
  o: ValidateOptions,
  ctl: ValidateControl,
): Promise<ValidateResult> {
  const now = ctl.now ?? (() => performance.now());
  const track: ValidateProgress = { during: 'search', framesDone: 0, frames: 0, configs: 0, validations: 0 };
  const t0 = now();
  const g = validateSteps(h, o, track, now);
  let slice = -Infinity;
  const every = ctl.progressEveryMs ?? 1000;
  // the first line after a quarter of the period, so even a short search shows (and can be stopped on) one
  let shown = t0 - (every * 3) / 4;
  let reason: StopReason | undefined;
  let r = g.next(false);
  while (r.done !== true) {
    if (now() - slice >= SLICE_MS) {
      await new Promise<void>((done) => setImmediate(done));
      slice = now();
    }
    const t = now();
    if (ctl.signal?.aborted === true || ctl.interrupted?.() === true) reason = 'interrupted';
    else if (ctl.timeLimitMs !== undefined && t - t0 >= ctl.timeLimitMs) reason = 'time-limit';
    if (ctl.onProgress !== undefined && t - shown >= every) {
      shown = t;
      ctl.onProgress({ ...track, seconds: (t - t0) / 1000 });
    }
    r = g.next(reason !== undefined);
  }
  const { stoppedDuring, decided, ...result } = r.value;
  if (stoppedDuring === undefined || decided === undefined) return result;
  return { ...result, stopped: { reason: reason ?? 'interrupted', during: stoppedDuring, ...decided } };
}

/** Parses and validates the text of a history. */
export function validateText(text: string, o: ValidateOptions): ValidateResult | ParseError {
  const h = parseHistory(text, { maxPaddr: o.maxPaddr });
  return 'error' in h ? h : validateHistory(h, o);
}
