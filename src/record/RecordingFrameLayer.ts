/**
 * The real frame layer, recording its own history: each operation is an invoke before the call and a
 * return after it, stamped by the shared ticket clock. The recorder sits outside the operation, so
 * the implementation's atomic steps are exactly those of a release build.
 *
 * A kernel abort leaves the operation without a return (the kernel stopped): in the history it stays
 * pending, which the validator reads as "may or may not have taken effect".
 *
 * @see docs/formats.md "Histories" (the format), `HistoryRecorder` (real-time order across threads)
 */
import type { FrameLayer } from '../../impl/frame/Frame.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { GetFrameError, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { OP_TABLE, type OpDef } from '../ops/opTable.ts';
import { hex, type HistoryRecorder } from './HistoryRecorder.ts';

/** Whether debug builds record histories: `FRAMECHECK_RECORD=1` in the environment. */
export function recordingEnabled(): boolean {
  return process.env['FRAMECHECK_RECORD'] === '1';
}

const claimed = (r: SlotPtr | GetFrameError): string => (typeof r === 'number' ? 'ok' : r);
const always = () => 'ok';

/** A `FrameLayer` whose every operation is recorded by one thread's recorder, in its operation table's history form. */
export class RecordingFrameLayer {
  readonly layer: FrameLayer;
  readonly rec: HistoryRecorder;

  constructor(layer: FrameLayer, rec: HistoryRecorder) {
    this.layer = layer;
    this.rec = rec;
  }

  private paddr(slot: SlotPtr): string {
    return hex(this.layer.region.framePaddr(slot));
  }

  /** Records `run` as operation `op` on `paddr`: its invoke, then its return (none if it aborts). */
  private recorded<T>(op: OpDef, paddr: string, run: () => T, result: (t: T) => string): T {
    this.rec.invoke(op.history.f, op.history.invoke(paddr));
    const r = run();
    this.rec.ok(op.history.f, op.history.ok(result(r), paddr));
    return r;
  }

  /** `Frame::from_unused`, recorded. */
  fromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return this.recorded(OP_TABLE.from_unused, hex(paddr), () => this.layer.fromUnused(paddr, meta), claimed);
  }

  /** `UniqueFrame::from_unused`, recorded. */
  uniqueFromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    const run = () => this.layer.uniqueFromUnused(paddr, meta);
    return this.recorded(OP_TABLE.from_unused_unique, hex(paddr), run, claimed);
  }

  /** `Frame::from_in_use`, recorded. */
  fromInUse(paddr: number): SlotPtr | GetFrameError {
    return this.recorded(OP_TABLE.from_in_use, hex(paddr), () => this.layer.fromInUse(paddr), claimed);
  }

  /** `Frame::clone`, recorded. */
  clone(slot: SlotPtr): void {
    this.recorded(OP_TABLE.clone, this.paddr(slot), () => this.layer.clone(slot), always);
  }

  /** `Frame::drop`, recorded with whether it was the last reference. */
  drop(slot: SlotPtr): boolean {
    return this.recorded(
      OP_TABLE.drop,
      this.paddr(slot),
      () => this.layer.drop(slot),
      (last) => (last ? 'ok:last' : 'ok'),
    );
  }

  /** `From<UniqueFrame> for Frame`, recorded. */
  intoShared(slot: SlotPtr): void {
    this.recorded(OP_TABLE.into_shared, this.paddr(slot), () => this.layer.intoShared(slot), always);
  }

  /** `TryFrom<Frame> for UniqueFrame`, recorded. */
  tryIntoUnique(slot: SlotPtr): boolean {
    const run = () => this.layer.tryIntoUnique(slot);
    return this.recorded(OP_TABLE.try_into_unique, this.paddr(slot), run, (ok) => (ok ? 'ok' : 'InUse'));
  }

  /** `UniqueFrame::drop`, recorded. */
  dropUnique(slot: SlotPtr): void {
    this.recorded(OP_TABLE.drop_unique, this.paddr(slot), () => this.layer.dropUnique(slot), always);
  }

  /** `Frame::reference_count`, recorded as an observation. */
  referenceCount(slot: SlotPtr): bigint {
    this.rec.invoke('ref_count', { paddr: this.paddr(slot) });
    const v = this.layer.referenceCount(slot);
    this.rec.ok('ref_count', { value: v.toString() });
    return v;
  }
}
