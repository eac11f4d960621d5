/**
 * Contracts under worker_threads: each worker checks its own calls on the shared region, on their
 * footprint only, with `old` the values its own atomics returned (the tracking log of its memory),
 * never a racy re-read of a word another thread may have moved since.
 *
 * What a footprint decides under threads: the op's ensures and its refinement `final == next(old)`
 * over the slot's count (the same fast forms as the one-thread fast path, from the clause table),
 * and a requires on the count the call observed (blame the caller). The region invariant needs the
 * slot's other words at one instant, which only a quiescent state gives: it is the audit's, after
 * the workers stop. Each violation is one line: the op, the clause, its Verus text, the blamed party
 * and the values the call's atomics saw.
 */
import type { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { OP, type FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { modelParams } from '../../spec/vocab.ts';
import { getFromInUseFast } from './fastForms.ts';
import { newFootprint, readFootprint, type FastCheck } from './fastPath.ts';
import { frameCloneFast, frameDropFast } from './frameFastForms.ts';
import type { TrackingMemory } from './trackingMemory.ts';

/**
 * The ops a worker checks: `Frame::from_in_use` (its `get_from_in_use`), `Frame::clone` and a
 * `Frame::drop` that is not the last (the count its `fetch_sub` observed is above 1). A last drop's
 * teardown and deallocation are the audit's: the slot's words move together only at a quiescent point.
 */
export type ThreadCheckedOp = typeof OP.from_in_use | typeof OP.clone | typeof OP.drop;

/** One worker's contract checker over its own tracked memory. */
export class ThreadContracts {
  readonly violations: string[] = [];
  checked = 0;
  private readonly region: MetaRegion;
  private readonly tracking: TrackingMemory;
  private readonly f = newFootprint();
  private readonly forms: Readonly<Record<ThreadCheckedOp, FastCheck>>;

  /** `tracking` is the memory `region` runs on, private to this worker. */
  constructor(region: MetaRegion, tracking: TrackingMemory) {
    this.region = region;
    this.tracking = tracking;
    const p = modelParams({ maxPaddr: region.maxPaddr, refCountMax: region.REF_COUNT_MAX });
    const inUse = getFromInUseFast(p);
    const clone = frameCloneFast(p);
    const drop = frameDropFast(p);
    if (inUse === undefined || clone === undefined || drop === undefined)
      throw new Error('a fast form does not match its clause table');
    this.forms = { [OP.from_in_use]: inUse, [OP.clone]: clone, [OP.drop]: drop };
  }

  /** Whether this checker checks `op`'s calls. */
  checks(op: FrameOpName): op is ThreadCheckedOp {
    return Object.hasOwn(this.forms, op);
  }

  /** Starts a call: forgets the previous call's accesses. */
  begin(): void {
    this.tracking.reset();
  }

  /** Checks the call just made on slot `slot`; `error` is its error (`undefined` on success). */
  end(op: ThreadCheckedOp, slot: number, error: string | undefined): void {
    const f = this.f;
    const check = this.forms[op];
    const w = this.region.refCountWord(slot);
    f.i = slot;
    f.beforeRc = this.tracking.linearizedOld(w) ?? 0n;
    readFootprint(this.tracking, w, f, this.region.layout.wordsPerSlot);
    // a drop: the worker held the handle (its obligation), and only a drop that is not the last is checked here
    f.last = f.oldRc === 1n;
    if (op === OP.drop && f.last) return;
    f.ledgerHas = f.oblIsKey = true;
    // a frame deallocated while still referenced is the audit's to see (it is free and in use there)
    f.deallocs = 0;
    this.checked++;
    // the count before is the one the call's atomics observed; the invariant is the audit's (see above)
    f.beforeRc = f.oldRc;
    f.invBefore = f.invFinal = true;
    f.permSlot = slot;
    f.ok = error === undefined;
    f.ptr = f.ok ? slot : -1;
    f.error = error ?? '';
    for (let k = 0; k < check.requires.length; k++)
      if (!check.requires[k]!(f)) this.report(check.requiresOf[k]!, 'caller');
    for (let k = 0; k < check.ensures.length; k++)
      if (!check.ensures[k]!(f)) this.report(check.ensuresOf[k]!, 'implementation');
    if (!check.refinement(f))
      this.report({ name: `${op}.refinement`, verus: '(framecheck) final == next(old, args)' }, 'implementation');
  }

  private report(c: Readonly<{ name: string; verus: string }>, blame: 'caller' | 'implementation'): void {
    const f = this.f;
    if (this.violations.length >= 16) return;
    const result = f.ok ? `Ok(slot ${f.i})` : `Err(${f.error})`;
    this.violations.push(
      `${c.name} (blame: ${blame}): ${c.verus} — slot ${f.i}, old rc ${f.oldRc} (as its atomics returned), final rc ${f.finalRc}, result ${result}`,
    );
  }
}
