/**
 * The contracts engine for the parts beyond the frame layer: segments through `CheckedSegment`, the
 * buddy allocator through `CheckedAllocator`, and `FrameAllocOptions` through
 * `CheckedFrameAllocOptions`, each driven by random call sequences in `collect` mode.
 *
 * `CheckedSegment` calls the segment's own `slice`/`split`, so a segment variant is installed on
 * `Segment.prototype` for the duration of the run (synchronously, and always restored): the
 * segment's constructor is private, so a subclass could not stand in for it.
 */
import fc from 'fast-check';
import { BuddyAllocator } from '../../../impl/alloc/BuddyAllocator.ts';
import { Segment } from '../../../impl/frame/Segment.ts';
import { unit, UnitMeta } from '../../../impl/meta/frameMeta.ts';
import { PAGE_SIZE } from '../../../spec/vocab.ts';
import type { FrameHandle } from '../../contract/accounting.ts';
import { CheckedAllocator } from '../../contract/CheckedAllocator.ts';
import { CheckedFrameAllocOptions } from '../../contract/CheckedFrameAllocOptions.ts';
import { CheckedFrameLayer } from '../../contract/CheckedFrameLayer.ts';
import { CheckedSegment, type SegmentHandle } from '../../contract/CheckedSegment.ts';
import type { Violation } from '../../contract/report.ts';
import type { Mutant, SegmentOps } from '../catalog.ts';
import { exactInt } from '../../validate/u64.ts';

const P = PAGE_SIZE;

/** A command sequence's real side: whether a violation stops it, and what it recorded. */
export type Real = { stop: boolean; violations: () => readonly Violation[] };
/** Builds one command from its name and body; the caller's guard records and stops on violations. */
export type CmdMaker<M extends { halted: boolean }, R extends Real> = (
  name: string,
  check: (m: Readonly<M>) => boolean,
  body: (m: M, r: R) => void,
) => fc.Command<M, R>;

type SegModel = { halted: boolean; live: SegmentHandle[] };
type SegReal = Real & { s: CheckedSegment };

const offsetArb = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map((k) => k * P),
  fc.constantFrom(P / 2, 2 ** 64 - P, 2 ** 64 - 2 * P),
);

/** Segment calls: claims of ranges, clones, drops, splits and slices at valid and edge offsets. */
export function segmentCommands(cmd: CmdMaker<SegModel, SegReal>): fc.Arbitrary<fc.Command<SegModel, SegReal>>[] {
  const k = fc.nat(7);
  const some = (m: Readonly<SegModel>) => m.live.length > 0;
  const pick = (m: SegModel, j: number) => m.live[j % m.live.length]!;
  return [
    fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 3 })).map(([f, n]) =>
      cmd(
        `from_unused(${f},${n})`,
        () => true,
        (m, r) => {
          const h = r.s.fromUnused({ start: f * P, end: Math.min(f + n, 4) * P }, () => unit(UnitMeta));
          if (typeof h !== 'string') m.live.push(h);
        },
      ),
    ),
    k.map((j) => cmd(`clone(#${j})`, some, (m, r) => void m.live.push(r.s.clone(pick(m, j))))),
    k.map((j) => cmd(`drop(#${j})`, some, (m, r) => void r.s.drop(m.live.splice(j % m.live.length, 1)[0]!))),
    fc
      .tuple(k, offsetArb)
      .map(([j, off]) =>
        cmd(
          `split(#${j},${exactInt(off)})`,
          some,
          (m, r) => void m.live.push(...r.s.split(m.live.splice(j % m.live.length, 1)[0]!, off)),
        ),
      ),
    fc
      .tuple(k, offsetArb, offsetArb)
      .map(([j, a, b]) =>
        cmd(
          `slice(#${j},${exactInt(a)}..${exactInt(b)})`,
          some,
          (m, r) => void m.live.push(r.s.slice(pick(m, j), { start: a, end: b })),
        ),
      ),
  ];
}

/** A checked segment layer over four frames. */
export function segmentSetup(): { model: SegModel; real: SegReal } {
  const layer = new CheckedFrameLayer({ maxPaddr: 4 * P, mode: 'collect' });
  return {
    model: { halted: false, live: [] },
    real: { s: new CheckedSegment(layer), stop: true, violations: () => layer.violations },
  };
}

/** Runs `body` with the mutant's `slice` or `split` installed on `Segment.prototype` (only the one it replaces). */
export function withSegmentVariant<T>(m: Mutant, body: () => T): T {
  const proto = Segment.prototype as unknown as Record<'slice' | 'split', (this: Segment, x: never) => unknown>;
  const saved = { slice: proto.slice, split: proto.split };
  const base: SegmentOps = {
    slice: (seg, r) => saved.slice.call(seg, r as never) as never,
    split: (seg, o) => saved.split.call(seg, o as never) as never,
  };
  const ops = m.segment!(base);
  if (ops.slice !== base.slice)
    proto.slice = function (this: Segment, r: never) {
      return ops.slice(this, r);
    };
  if (ops.split !== base.split)
    proto.split = function (this: Segment, o: never) {
      return ops.split(this, o);
    };
  try {
    return body();
  } finally {
    Object.assign(proto, saved);
  }
}

type Block = { addr: number; size: number };
type BuddyModel = { halted: boolean; live: Block[]; freed: Block[] };
type BuddyReal = Real & { a: CheckedAllocator };

/** Buddy calls: allocations of 2^k frames, frees, and frees of blocks already freed. */
export function buddyCommands(cmd: CmdMaker<BuddyModel, BuddyReal>): fc.Arbitrary<fc.Command<BuddyModel, BuddyReal>>[] {
  const k = fc.nat(7);
  return [
    fc.nat(2).map((o) =>
      cmd(
        `alloc(${2 ** o})`,
        () => true,
        (m, r) => {
          const addr = r.a.alloc({ size: 2 ** o * P, align: P });
          if (addr !== undefined) m.live.push({ addr, size: 2 ** o * P });
        },
      ),
    ),
    k.map((j) =>
      cmd(
        `dealloc(#${j})`,
        (m) => m.live.length > 0,
        (m, r) => {
          const b = m.live.splice(j % m.live.length, 1)[0]!;
          r.a.dealloc(b.addr, b.size);
          m.freed.push(b);
        },
      ),
    ),
    k.map((j) =>
      cmd(
        `dealloc_again(#${j})`,
        (m) => m.freed.length > 0,
        (m, r) => void r.a.dealloc(m.freed[j % m.freed.length]!.addr, m.freed[j % m.freed.length]!.size),
      ),
    ),
  ];
}

/** A checked buddy allocator of 16 frames, built over the mutant's variant. */
export function buddySetup(m: Mutant): { model: BuddyModel; real: BuddyReal } {
  const base = BuddyAllocator.create({ basePaddr: 0, nframes: 16, maxOrder: 4 });
  base.addFreeMemory(0, 16 * P);
  const variant = m.buddy!(base);
  const a = CheckedAllocator.overBuddy(variant as unknown as BuddyAllocator, { mode: 'collect' });
  return { model: { halted: false, live: [], freed: [] }, real: { a, stop: true, violations: () => a.violations } };
}

type OptModel = { halted: boolean; held: FrameHandle[] };
type OptReal = Real & { o: CheckedFrameAllocOptions };

/** Options calls: frames allocated with the default options, written to, dropped. */
export function optionsCommands(cmd: CmdMaker<OptModel, OptReal>): fc.Arbitrary<fc.Command<OptModel, OptReal>>[] {
  const k = fc.nat(7);
  return [
    fc.constant(
      cmd(
        'alloc_frame()',
        () => true,
        (m, r) => {
          const h = r.o.allocFrame();
          if (typeof h !== 'string') m.held.push(h);
        },
      ),
    ),
    k.map((j) =>
      cmd(
        `write(#${j})`,
        (m) => m.held.length > 0,
        (m, r) => r.o.frames.impl.phys.write(m.held[j % m.held.length]!.slot * P, new Uint8Array([0xab])),
      ),
    ),
    k.map((j) =>
      cmd(
        `drop(#${j})`,
        (m) => m.held.length > 0,
        (m, r) => void r.o.frames.drop(m.held.splice(j % m.held.length, 1)[0]!),
      ),
    ),
  ];
}

/** Checked options over a 4-frame buddy allocator, built with the mutant's `FrameAllocOptions`. */
export function optionsSetup(m: Mutant): { model: OptModel; real: OptReal } {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 4 });
  buddy.addFreeMemory(0, 4 * P);
  const o = CheckedFrameAllocOptions.create(buddy, {
    maxPaddr: 4 * P,
    mode: 'collect',
    ...(m.allocOptions !== undefined && { makeOptions: m.allocOptions }),
  });
  return { model: { halted: false, held: [] }, real: { o, stop: true, violations: () => o.violations } };
}
