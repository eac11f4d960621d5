/**
 * Small helpers to write histories in tests and benchmarks: events as objects, rendered as the JSON
 * Lines of DESIGN §5.2.
 */

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
