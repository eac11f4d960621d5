/**
 * A worker's history in shared memory, so that it survives the worker: each event is five float64
 * fields written in place, and the event count is published last with an atomic store. If the worker
 * crashes, the main thread still reads every event up to the crash — and an invoke with no return is
 * the operation that was in flight.
 *
 * Fields: ticket (the shared clock's, so events of all workers merge in real-time order), kind
 * (invoke/ok), op, paddr (-1 for an `alloc` invoke), result (see `RESULTS`).
 */
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { opDef, OP_NAMES, OP_TABLE } from '../ops/opTable.ts';
import { hex, type HistoryEvent, type Stamped } from '../record/HistoryRecorder.ts';

/** The claims by address: a stress worker's claims go through the allocator instead. */
type ClaimByAddress = {
  [K in FrameOpName]: (typeof OP_TABLE)[K] extends Readonly<{ claims: true; target: 'paddr' }> ? K : never;
}[FrameOpName];

/** The operations a stress worker runs: all but the claims by address. */
export type StressOp = Exclude<FrameOpName, ClaimByAddress>;

/** The operations a stress worker runs, by code. */
export const OPS: readonly StressOp[] = OP_NAMES.filter(
  (o): o is StressOp => !(opDef(o).claims === true && opDef(o).target === 'paddr'),
);

/** The outcomes an event can carry, by code: a definite return of each kind, in the table's result words. */
export const RESULTS = [
  'ok',
  'ok:last',
  'NoMemory',
  'Unused',
  'Busy',
  'Unique',
  'InUse',
  'NotAligned',
  'OutOfBound',
] as const;
export type StressResult = (typeof RESULTS)[number];

const FIELDS = 5;
const INVOKE = 0;
const OK = 1;

export class HistoryBuffer {
  readonly buffer: SharedArrayBuffer;
  private readonly count: Int32Array;
  private readonly data: Float64Array;

  /** A buffer for `capacity` events, or a view of `buffer` (made by another thread). */
  constructor(capacity: number, buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(8 + capacity * FIELDS * 8);
    this.count = new Int32Array(this.buffer, 0, 1);
    this.data = new Float64Array(this.buffer, 8);
  }

  /** The number of events the buffer holds. */
  get capacity(): number {
    return Math.floor(this.data.length / FIELDS);
  }

  /** The number of events recorded. */
  get length(): number {
    return Atomics.load(this.count, 0);
  }

  /** Records an event; `false` (nothing written) when the buffer is full. */
  push(ticket: number, ok: boolean, op: number, paddr: number, result: number): boolean {
    const n = this.count[0]!;
    if ((n + 1) * FIELDS > this.data.length) return false;
    this.data.set([ticket, ok ? OK : INVOKE, op, paddr, result], n * FIELDS);
    Atomics.store(this.count, 0, n + 1);
    return true;
  }

  /** The events of `process`, stamped, as docs/formats.md "Histories" events. */
  events(process: number): Stamped[] {
    const out: Stamped[] = [];
    for (let k = 0; k < this.length; k++) {
      const [ticket, kind, op, paddr, result] = this.data.subarray(
        k * FIELDS,
        k * FIELDS + FIELDS,
      ) as unknown as number[];
      out.push({ ticket: ticket!, event: toEvent(process, kind === OK, OPS[op!]!, paddr!, RESULTS[result!]!) });
    }
    return out;
  }

  /** The operation in flight when the worker stopped (an invoke with no return), if any. */
  pending(): Readonly<{ op: StressOp; paddr: number }> | undefined {
    const n = this.length;
    if (n === 0 || this.data[(n - 1) * FIELDS + 1] !== INVOKE) return undefined;
    return { op: OPS[this.data[(n - 1) * FIELDS + 2]!]!, paddr: this.data[(n - 1) * FIELDS + 3]! };
  }
}

/** One event in the words of docs/formats.md "Histories". */
function toEvent(process: number, ok: boolean, op: StressOp, paddr: number, r: StressResult): HistoryEvent {
  const h = OP_TABLE[op].history;
  return { type: ok ? 'ok' : 'invoke', process, f: h.f, value: ok ? h.ok(r, hex(paddr)) : h.invoke(hex(paddr)) };
}
