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
import { linearize } from './linearize.ts';
import { minimalSubHistory } from './minimize.ts';
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

/** What `validate` answers. */
export type ValidateResult = Readonly<{
  verdict: 'linearizable' | 'not-linearizable' | 'incomplete';
  events: number;
  ops: number;
  frames: number;
  configs: number;
  seconds: number;
  violation?: Violation;
}>;

/** The raw verdict: every failure, first by line, and the search statistics. */
export type Verdict = Readonly<{ failures: Failure[]; frames: number; configs: number }>;

/** The model parameters a validation uses. */
export function paramsOf(o: ValidateOptions): ModelParams {
  return modelParams({
    protocol: o.protocol ?? 'current',
    maxPaddr: o.maxPaddr,
    ...(o.refCountMax !== undefined && { refCountMax: o.refCountMax }),
  });
}

/** Every failure of `h`, sorted by line (without minimization). */
export function findFailures(h: History, o: ValidateOptions): Verdict {
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
  let configs = 0;
  for (const fh of split.frames.values()) {
    const v = linearize(fh, p, o.budget);
    configs += v.configs;
    if (v.ok) continue;
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
  const explained =
    failing.size > 0 && split.wildcards.length > 0
      ? explainedByWildcards(failing, split.wildcards, p)
      : new Set<number>();
  for (const [paddr, f] of failing) if (!explained.has(paddr)) failures.push(f.failure);
  failures.sort((a, b) => a.line - b.line);
  return { failures, frames: split.frames.size, configs };
}

/** Validates a parsed history. */
export function validateHistory(h: History, o: ValidateOptions): ValidateResult {
  const t0 = performance.now();
  const v = findFailures(h, o);
  const first = v.failures[0];
  const base = { events: h.events, ops: h.ops.length, frames: v.frames, configs: v.configs };
  if (first === undefined) return { verdict: 'linearizable', ...base, seconds: (performance.now() - t0) / 1000 };
  const sub = minimalSubHistory(h, first, o);
  const violation: Violation = {
    ...first,
    event: h.lines[first.line - 1] ?? '',
    failingFrames: v.failures.length,
    subHistory: sub.lines.map((line) => ({ line, text: h.lines[line - 1]! })),
    minimal: sub.minimal,
    validations: sub.validations,
  };
  const verdict = first.incomplete ? 'incomplete' : 'not-linearizable';
  return { verdict, ...base, seconds: (performance.now() - t0) / 1000, violation };
}

/** Parses and validates the text of a history. */
export function validateText(text: string, o: ValidateOptions): ValidateResult | ParseError {
  const h = parseHistory(text, { maxPaddr: o.maxPaddr });
  return 'error' in h ? h : validateHistory(h, o);
}
