/**
 * A concurrent history (docs/formats.md "Histories") once parsed: each operation with its invoke, its return (or
 * none), and what it returned, in the sequential spec's words.
 */

import type { HistoryOpName } from '../ops/opTable.ts';

/** The operations a history may name: the operation table's history names. */
export type { HistoryOpName };

/** The arguments of an operation, as given in its invoke. */
export type OpArgs = Readonly<{ paddr?: bigint; unique?: boolean; nframes?: number }>;

/**
 * What an operation returned, in `seqStep`'s words: `ok`, `ok:last` (a drop that released the frame;
 * every `drop_unique`), an error name, or `value` (a `ref_count` observation, in `value`). An `alloc`
 * that succeeded carries the address it returned.
 */
export type OpOutcome = Readonly<{ result: string; paddr?: bigint; value?: bigint }>;

/** Where an event sits: its index among the history's events, and its 1-based line in the file. */
export type EventRef = Readonly<{ seq: number; line: number }>;

/** One operation of the history. */
export type HistoryOp = Readonly<{
  id: number;
  process: number;
  f: HistoryOpName;
  args: OpArgs;
  /** `undefined` when the outcome is unknown: closed by `info`, or never closed. */
  outcome: OpOutcome | undefined;
  status: 'ok' | 'info' | 'pending';
  invoke: EventRef;
  ret: EventRef | undefined;
  /** The same process's next invoke: an operation of unknown outcome is over by then, if it ever took effect. */
  deadline: EventRef | undefined;
}>;

/** A parsed history. */
export type History = Readonly<{
  /** Counts given by the `init` line, by frame address; every other frame starts unused. */
  init: ReadonlyMap<number, bigint>;
  initLine: number | undefined;
  ops: readonly HistoryOp[];
  /** The number of invoke/ok/info events. */
  events: number;
  /** The file's lines, to quote events by line number. */
  lines: readonly string[];
}>;

/** A parse failure: one line naming the line number and the field. */
export type ParseError = Readonly<{ error: string }>;
