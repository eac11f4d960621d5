/**
 * Recording a history (docs/formats.md "Histories") from inside a running implementation, from several
 * `worker_threads` at once, in real-time order.
 *
 * Every event takes a ticket from one global counter in a `SharedArrayBuffer` (`Atomics.add`): an
 * invoke takes its ticket before the operation starts, a return after it ends. The counter is a single
 * atomic location, so tickets are totally ordered consistently with real time: if one operation
 * returned before another was invoked, its return ticket is the smaller. Each thread keeps its events
 * locally (no contention but the counter); sorting the union by ticket is the history.
 */
import type { HistoryOpName } from '../validate/History.ts';

/** One event as written to a history file. */
export type HistoryEvent = Readonly<{
  type: 'invoke' | 'ok' | 'info';
  process: number;
  f: HistoryOpName;
  value?: Readonly<Record<string, unknown>>;
}>;

/** An event with the ticket that orders it. */
export type Stamped = Readonly<{ ticket: number; event: HistoryEvent }>;

/** The global sequence counter: one 64-bit word in a `SharedArrayBuffer` every thread shares. */
export class TicketClock {
  readonly buffer: SharedArrayBuffer;
  private readonly word: BigInt64Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.buffer = buffer;
    this.word = new BigInt64Array(buffer, 0, 1);
  }

  /** The next ticket (atomic: no two threads get the same one). */
  next(): number {
    return Number(Atomics.add(this.word, 0, 1n));
  }
}

/** One thread's recorder: its process number and its events so far. */
export class HistoryRecorder {
  readonly process: number;
  readonly events: Stamped[] = [];
  private readonly clock: TicketClock;

  constructor(clock: TicketClock, process: number) {
    this.clock = clock;
    this.process = process;
  }

  /** Records an invoke; call it before the operation starts. */
  invoke(f: HistoryOpName, value: Readonly<Record<string, unknown>>): void {
    this.events.push({ ticket: this.clock.next(), event: { type: 'invoke', process: this.process, f, value } });
  }

  /** Records a definite return; call it after the operation ended. */
  ok(f: HistoryOpName, value: Readonly<Record<string, unknown>>): void {
    this.events.push({ ticket: this.clock.next(), event: { type: 'ok', process: this.process, f, value } });
  }

  /** Records a return whose outcome is unknown. */
  info(f: HistoryOpName): void {
    this.events.push({ ticket: this.clock.next(), event: { type: 'info', process: this.process, f } });
  }
}

/** The history of several recorders: every event, in ticket order. */
export function mergeHistories(lists: readonly (readonly Stamped[])[]): HistoryEvent[] {
  return lists
    .flat()
    .sort((a, b) => a.ticket - b.ticket)
    .map((s) => s.event);
}

/** A history as JSON Lines, with an optional init line first. */
export function toJsonl(
  events: readonly HistoryEvent[],
  init?: readonly { paddr: number; refCount: bigint }[],
): string {
  const head =
    init === undefined || init.length === 0
      ? []
      : [
          JSON.stringify({
            type: 'init',
            value: { frames: init.map((f) => ({ paddr: hex(f.paddr), refCount: f.refCount.toString() })) },
          }),
        ];
  return [...head, ...events.map((e) => JSON.stringify(e))].join('\n') + '\n';
}

/** `0x…`, the way histories spell addresses. */
export function hex(paddr: number): string {
  return `0x${paddr.toString(16)}`;
}
