/**
 * fast-check arbitraries for the frame protocol: operations, per-thread programs, whole instances and
 * physical addresses (including the edge cases `get_slot` must sort: misaligned, `MAX_PADDR` itself,
 * past it). Addresses are `usize` values: never negative.
 */
import fc from 'fast-check';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { OP_NAMES, type Instance, type ProgramStep } from '../check/instance.ts';
import { opDef, UPSTREAM_EXTRA_OPS } from '../ops/opTable.ts';

/**
 * The current protocol's frame-handle operations (everything but the allocator's `alloc`), without the upstream
 * operations that leave the protocol's counts as others do (`UPSTREAM_EXTRA_OPS`: pass them in `ops`).
 */
export const FRAME_OPS: readonly FrameOpName[] = OP_NAMES.filter(
  (o) => opDef(o).target !== 'allocator' && !UPSTREAM_EXTRA_OPS.includes(o),
);

/** One operation on one frame. */
export type FrameOp = ProgramStep;

export type OpArbOptions = Readonly<{ frames?: number; ops?: readonly FrameOpName[] }>;

/** An operation of `ops` (default: every frame-handle operation) on a frame below `frames` (default 2). */
export function opArb(o: OpArbOptions = {}): fc.Arbitrary<FrameOp> {
  const ops = o.ops ?? FRAME_OPS;
  return fc.record({ op: fc.constantFrom(...ops), frame: fc.nat((o.frames ?? 2) - 1) });
}

/** A thread's program: up to `maxLength` (default 4) operations. */
export function programArb(o: OpArbOptions & Readonly<{ maxLength?: number }> = {}): fc.Arbitrary<FrameOp[]> {
  return fc.array(opArb(o), { minLength: 1, maxLength: o.maxLength ?? 4 });
}

export type InstanceArbOptions = Readonly<{
  maxFrames?: number;
  maxThreads?: number;
  maxOps?: number;
  ops?: readonly FrameOpName[];
  refCountMax?: bigint;
}>;

/** An explorer instance of fixed programs: 1..maxThreads threads over 1..maxFrames frames. */
export function instanceArb(o: InstanceArbOptions = {}): fc.Arbitrary<Instance> {
  return fc.integer({ min: 1, max: o.maxFrames ?? 2 }).chain((frames) =>
    fc
      .array(programArb({ frames, maxLength: o.maxOps ?? 3, ...(o.ops !== undefined && { ops: o.ops }) }), {
        minLength: 1,
        maxLength: o.maxThreads ?? 3,
      })
      .map((progs): Instance => ({
        frames,
        threads: progs.length,
        programs: progs.map((steps) => ({ kind: 'fixed', steps })),
        refCountMax: o.refCountMax ?? 3n,
        variant: 'current',
        mutant: undefined,
        symmetry: false,
        por: false,
      })),
  );
}

/** A physical address for a region of `frames` frames: mostly a frame's, sometimes an edge case. */
export function paddrArb(frames: number): fc.Arbitrary<number> {
  const max = frames * PAGE_SIZE;
  return fc.oneof(
    { weight: 6, arbitrary: fc.nat(frames - 1).map((f) => f * PAGE_SIZE) },
    { weight: 1, arbitrary: fc.constantFrom(max, max + PAGE_SIZE, max + 1, 1, PAGE_SIZE / 2) },
    {
      weight: 1,
      arbitrary: fc
        .nat(frames + 1)
        .chain((f) => fc.integer({ min: 1, max: PAGE_SIZE - 1 }).map((d) => f * PAGE_SIZE + d)),
    },
  );
}
