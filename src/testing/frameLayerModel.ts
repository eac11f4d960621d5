/**
 * A model-based test of a frame layer against the sequential spec (`spec/protocol/FrameProtocol.ts`):
 * random sequences of claims (at frames and at edge addresses), acquisitions, clones, drops and unique
 * conversions, each compared with the spec's result and count, the slot's metadata, and the
 * deallocations (a last drop returns exactly its frame, and only once its slot is unused). Shrinks
 * to a minimal sequence.
 *
 * The subject is what a mutant is: a region factory and/or a frame-layer factory; by default the real
 * `MetaRegion` and `FrameLayer`.
 */
import fc from 'fast-check';
import type { Deallocator } from '../../impl/frame/Frame.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { seqStep, type FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { modelParams, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { NEEDS, RELEASES } from '../check/model.ts';
import type { FrameLayerOps, Subject } from '../check/world.ts';
import { OP_TABLE, returned } from '../ops/opTable.ts';
import { AccessGuard } from './AccessGuard.ts';
import { FRAME_OPS, paddrArb } from './arbitraries.ts';
import {
  assertReport,
  command,
  modelCheck,
  ModelMismatch,
  type ModelTestReport,
  type RunOptions,
} from './modelCheck.ts';

export type FrameModelOptions = RunOptions &
  Readonly<{ frames?: number; refCountMax?: bigint; ops?: readonly FrameOpName[] }>;

type Model = {
  rc: bigint[];
  shared: number[];
  unique: number[];
  halted: boolean;
  readonly p: ModelParams;
  readonly maxPaddr: number;
};
type Real = { region: MetaRegion; layer: FrameLayerOps; deallocs: number[]; guard: AccessGuard };

/** The count of frame `f` read where the layout puts it (not through the subject's own mapping). */
function countAt(region: MetaRegion, f: number): bigint {
  return region.mem.load(f * region.layout.wordsPerSlot + region.layout.refCount, Ordering.Relaxed);
}

function liveAt(region: MetaRegion, f: number): boolean {
  return region.mem.readPlain(f * region.layout.wordsPerSlot + region.layout.vtable) !== 0n;
}

function build(subject: Subject, maxPaddr: number, refCountMax: bigint): Real {
  const guard = new AccessGuard();
  const deallocs: number[] = [];
  const opts: MetaRegionOptions = { maxPaddr, refCountMax, wrapMemory: (m) => guard.wrap(m) };
  const region = subject.region ? subject.region(opts, false) : new MetaRegion(opts);
  const alloc: Deallocator = {
    dealloc: (paddr) => {
      const f = paddr / PAGE_SIZE;
      if (Number.isInteger(f) && f >= 0 && countAt(region, f) !== region.REF_COUNT_UNUSED)
        throw new ModelMismatch(`frame ${f} was returned to the allocator while its count is ${countAt(region, f)}`);
      deallocs.push(paddr);
    },
  };
  const layer = subject.layer ? subject.layer(region, alloc) : new FrameLayer(region, alloc);
  return { region, layer, deallocs, guard };
}

const META = unit(KernelMeta);

/** Runs `op` on frame `f` (or address `paddr`): the result word as the spec names it. */
function call(r: Real, op: FrameOpName, f: number, paddr: number): string {
  const got = OP_TABLE[op].call({ layer: r.layer, alloc: () => paddr, meta: META }, f, paddr);
  return got.slot !== undefined && got.slot !== f ? `ok at slot ${got.slot}` : got.result;
}

/** What `get_slot` returns for `paddr`: alignment first, then the bound. */
function slotOf(paddr: number, maxPaddr: number): number | 'NotAligned' | 'OutOfBound' {
  if (!Number.isInteger(paddr) || paddr % PAGE_SIZE !== 0) return 'NotAligned';
  if (paddr < 0 || paddr >= maxPaddr) return 'OutOfBound';
  return paddr / PAGE_SIZE;
}

const fail = (msg: string): never => {
  throw new ModelMismatch(msg);
};

/** Updates the model's handles after a returned operation. */
function acquire(m: Model, op: FrameOpName, f: number, result: string): void {
  const d = returned(op, result);
  if (d.shared !== undefined) m.shared[f]! += d.shared;
  if (d.unique !== undefined) m.unique[f]! += d.unique;
}

/** Checks one call against the spec and updates the model. */
function step(m: Model, r: Real, op: FrameOpName, f: number, paddr: number): void {
  const want = seqStep(op, m.rc[f]!, m.p);
  const rel = RELEASES[op];
  if (rel !== undefined) (rel === 'shared' ? m.shared : m.unique)[f]!--;
  r.deallocs.length = 0;
  r.guard.reset();
  let got: string;
  try {
    got = call(r, op, f, paddr);
  } catch (e) {
    if (e instanceof KernelAbort && want.kind === 'panic') return void (m.halted = true);
    return fail(`${op}(${f}) threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} at count ${m.rc[f]}`);
  }
  if (want.kind !== 'return')
    return fail(
      `${op}(${f}) returned ${got} at count ${m.rc[f]}, where the spec ${want.kind === 'panic' ? 'aborts' : 'has no outcome'}`,
    );
  if (got !== want.result) fail(`${op}(${f}) returned ${got} at count ${m.rc[f]}; the spec returns ${want.result}`);
  const rc = countAt(r.region, f);
  if (rc !== want.rc) fail(`${op}(${f}) left count ${rc}; the spec leaves ${want.rc}`);
  const live = want.rc !== m.p.refCountUnused;
  if (liveAt(r.region, f) !== live) fail(`${op}(${f}) left the metadata ${live ? 'dropped' : 'live'} at count ${rc}`);
  const dealloc = want.result === 'ok:last' ? [paddr] : [];
  if (r.deallocs.join() !== dealloc.join())
    fail(`${op}(${f}) returned [${r.deallocs.join(', ')}] to the allocator; the spec returns [${dealloc.join(', ')}]`);
  m.rc[f] = want.rc;
  acquire(m, op, f, got);
}

/** The `k`-th frame the model holds a handle of `kind` to. */
function held(m: Readonly<Model>, kind: 'shared' | 'unique', k: number): number | undefined {
  const fs = (kind === 'shared' ? m.shared : m.unique).flatMap((n, f) => (n > 0 ? [f] : []));
  return fs.length === 0 ? undefined : fs[k % fs.length];
}

function commands(
  o: Required<Pick<FrameModelOptions, 'frames'>> & FrameModelOptions,
): fc.Arbitrary<fc.Command<Model, Real>>[] {
  const ops = o.ops ?? FRAME_OPS;
  const at = ops.filter((op) => NEEDS[op] === undefined);
  const onHandle = ops.filter((op) => NEEDS[op] !== undefined);
  const out: fc.Arbitrary<fc.Command<Model, Real>>[] = [];
  if (at.length > 0)
    out.push(
      fc.tuple(fc.constantFrom(...at), paddrArb(o.frames)).map(([op, paddr]) =>
        command<Model, Real>(
          () => `${op}(${Number.isInteger(paddr / PAGE_SIZE) ? paddr / PAGE_SIZE : `paddr ${paddr}`})`,
          (m) => !m.halted,
          (m, r) => claimAt(m, r, op, paddr),
        ),
      ),
    );
  if (onHandle.length > 0)
    out.push(
      fc.tuple(fc.constantFrom(...onHandle), fc.nat(7)).map(([op, k]) => {
        let shown = `#${k}`;
        return command<Model, Real>(
          () => `${op}(${shown})`,
          (m) => !m.halted && held(m, NEEDS[op]!, k) !== undefined,
          (m, r) => {
            const f = held(m, NEEDS[op]!, k)!;
            shown = String(f);
            step(m, r, op, f, f * PAGE_SIZE);
          },
        );
      }),
    );
  return out;
}

/** A claim or acquisition at `paddr`: an edge address must get `get_slot`'s error and change nothing. */
function claimAt(m: Model, r: Real, op: FrameOpName, paddr: number): void {
  const slot = slotOf(paddr, m.maxPaddr);
  if (typeof slot === 'number') return step(m, r, op, slot, paddr);
  r.guard.reset();
  let got: string;
  try {
    got = call(r, op, -1, paddr);
  } catch (e) {
    return fail(
      `${op}(paddr ${paddr}) threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}; get_slot returns ${slot}`,
    );
  }
  if (got !== slot) fail(`${op}(paddr ${paddr}) returned ${got}; get_slot returns ${slot}`);
}

/** Runs the model-based test of `subject` (default: the real implementation). */
export function checkFrameLayer(subject: Subject = {}, o: FrameModelOptions = {}): ModelTestReport {
  const frames = o.frames ?? 3;
  const refCountMax = o.refCountMax ?? 3n;
  const maxPaddr = frames * PAGE_SIZE;
  const p = modelParams({ protocol: 'current', maxPaddr, refCountMax });
  const setup = () => ({
    model: {
      rc: new Array<bigint>(frames).fill(p.refCountUnused),
      shared: new Array<number>(frames).fill(0),
      unique: new Array<number>(frames).fill(0),
      halted: false,
      p,
      maxPaddr,
    },
    real: build(subject, maxPaddr, refCountMax),
  });
  return modelCheck(commands({ ...o, frames }), setup, o);
}

/** As `checkFrameLayer`, throwing an error with the shrunk counterexample when the subject fails. */
export function assertFrameLayer(subject: Subject = {}, o: FrameModelOptions = {}): void {
  assertReport(checkFrameLayer(subject, o), 'the frame layer disagrees with the spec');
}
