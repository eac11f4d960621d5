/**
 * Small helpers to write histories in tests and benchmarks: events as objects, rendered as the JSON
 * Lines of docs/formats.md "Histories".
 */
import { OP_TABLE } from '../ops/opTable.ts';

/** One event of a history. */
export type Ev = Readonly<{ type: 'invoke' | 'ok' | 'info'; process: number; f: string; value?: unknown }>;

/** An invoke event. */
export const inv = (process: number, f: string, value: unknown): Ev => ({ type: 'invoke', process, f, value });
/** An ok event. */
export const ok = (process: number, f: string, value: unknown): Ev => ({ type: 'ok', process, f, value });
/** An info event. */
export const info = (process: number, f: string): Ev => ({ type: 'info', process, f });

/** The JSON Lines text of `events`, after an optional init line. */
export function jsonl(events: readonly Ev[], init?: readonly { paddr: string; refCount: string }[]): string {
  const head = init === undefined ? [] : [JSON.stringify({ type: 'init', value: { frames: init } })];
  return [...head, ...events.map((e) => JSON.stringify(e))].join('\n') + '\n';
}

/** A complete operation by one process: its invoke and its ok. */
export function call(process: number, f: string, args: unknown, result: unknown): Ev[] {
  return [inv(process, f, args), ok(process, f, result)];
}

/**
 * One claim of frame `0x3000`, then `n` concurrent `from_in_use` of it (every invoke before every
 * return), every second one returning `Busy`: the first `Busy` has no claim or last drop in flight
 * to explain it. `2 + 2n` lines; identical operations the search and minimization must not tell apart.
 */
export function concurrentFromInUse(n: number): string {
  const P = '0x3000';
  const [claim, acquire] = [OP_TABLE.from_unused.history, OP_TABLE.from_in_use.history];
  const ev: Ev[] = call(0, claim.f, claim.invoke(P), claim.ok('ok', P));
  for (let k = 1; k <= n; k++) ev.push(inv(k, acquire.f, acquire.invoke(P)));
  for (let k = 1; k <= n; k++) ev.push(ok(k, acquire.f, acquire.ok(k % 2 === 1 ? 'ok' : 'Busy', P)));
  return jsonl(ev);
}
