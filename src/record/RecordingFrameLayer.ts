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
import { hex, type HistoryRecorder } from './HistoryRecorder.ts';

/** Whether debug builds record histories: `FRAMECHECK_RECORD=1` in the environment. */
export function recordingEnabled(): boolean {
  return process.env['FRAMECHECK_RECORD'] === '1';
}

const claimed = (r: SlotPtr | GetFrameError) => (typeof r === 'number' ? { ok: true } : { err: r });

/** A `FrameLayer` whose every operation is recorded by one thread's recorder. */
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

  /** `Frame::from_unused`, recorded. */
  fromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    this.rec.invoke('from_unused', { paddr: hex(paddr), unique: false });
    const r = this.layer.fromUnused(paddr, meta);
    this.rec.ok('from_unused', claimed(r));
    return r;
  }

  /** `UniqueFrame::from_unused`, recorded. */
  uniqueFromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    this.rec.invoke('from_unused', { paddr: hex(paddr), unique: true });
    const r = this.layer.uniqueFromUnused(paddr, meta);
    this.rec.ok('from_unused', claimed(r));
    return r;
  }

  /** `Frame::from_in_use`, recorded. */
  fromInUse(paddr: number): SlotPtr | GetFrameError {
    this.rec.invoke('from_in_use', { paddr: hex(paddr) });
    const r = this.layer.fromInUse(paddr);
    this.rec.ok('from_in_use', claimed(r));
    return r;
  }

  /** `Frame::clone`, recorded. */
  clone(slot: SlotPtr): void {
    this.rec.invoke('clone', { paddr: this.paddr(slot) });
    this.layer.clone(slot);
    this.rec.ok('clone', { ok: true });
  }

  /** `Frame::drop`, recorded with whether it was the last reference. */
  drop(slot: SlotPtr): boolean {
    this.rec.invoke('drop', { paddr: this.paddr(slot) });
    const last = this.layer.drop(slot);
    this.rec.ok('drop', { ok: true, last });
    return last;
  }

  /** `From<UniqueFrame> for Frame`, recorded. */
  intoShared(slot: SlotPtr): void {
    this.rec.invoke('into_shared', { paddr: this.paddr(slot) });
    this.layer.intoShared(slot);
    this.rec.ok('into_shared', { ok: true });
  }

  /** `TryFrom<Frame> for UniqueFrame`, recorded. */
  tryIntoUnique(slot: SlotPtr): boolean {
    this.rec.invoke('try_into_unique', { paddr: this.paddr(slot) });
    const ok = this.layer.tryIntoUnique(slot);
    this.rec.ok('try_into_unique', ok ? { ok: true } : { err: 'InUse' });
    return ok;
  }

  /** `UniqueFrame::drop`, recorded. */
  dropUnique(slot: SlotPtr): void {
    this.rec.invoke('drop_unique', { paddr: this.paddr(slot) });
    this.layer.dropUnique(slot);
    this.rec.ok('drop_unique', { ok: true });
  }

  /** `Frame::reference_count`, recorded as an observation. */
  referenceCount(slot: SlotPtr): bigint {
    this.rec.invoke('ref_count', { paddr: this.paddr(slot) });
    const v = this.layer.referenceCount(slot);
    this.rec.ok('ref_count', { value: v.toString() });
    return v;
  }
}
