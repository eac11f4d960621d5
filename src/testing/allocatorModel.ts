/**
 * Model-based tests of the allocators:
 * - the buddy allocator: blocks of 2^k frames allocated and freed (and freed twice), each block
 *   aligned to its size, inside the memory, disjoint from every live block; a double free refused
 *   with `DoubleFree`; the free count and the allocator's own representation audit right after every
 *   command;
 * - the early allocator: allocations of any size (up to ones near 2^64) inside one region, aligned,
 *   and disjoint from every earlier one;
 * - `FrameAllocOptions`: a frame allocated with the default options reads as zeros, even when its
 *   previous owner wrote to it.
 */
import fc from 'fast-check';
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { EarlyFrameAllocator, PADDR_4G, type UsableRegion } from '../../impl/alloc/EarlyFrameAllocator.ts';
import { FrameAllocOptions } from '../../impl/alloc/FrameAllocOptions.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { BuddyLike, Mutant } from '../mutants/catalog.ts';
import {
  assertReport,
  command,
  modelCheck,
  ModelMismatch,
  type ModelTestReport,
  type RunOptions,
} from './modelCheck.ts';
import { exactInt } from '../validate/u64.ts';

/** What the allocator tests run: variants of the allocators (default: the real ones). */
export type AllocatorSubject = Pick<Mutant, 'buddy' | 'early' | 'allocOptions'>;

const P = PAGE_SIZE;
const fail = (msg: string): never => {
  throw new ModelMismatch(msg);
};

type Block = { addr: number; frames: number };
type BuddyModel = { live: Block[]; freed: Block[]; nframes: number };

const overlaps = (a: Block, b: Block) => a.addr < b.addr + b.frames * P && b.addr < a.addr + a.frames * P;

function checkBuddy(m: BuddyModel, a: BuddyLike, what: string): void {
  const problems = a.audit();
  if (problems.length > 0) fail(`after ${what}: the allocator's state is broken: ${problems[0]}`);
  const used = m.live.reduce((n, b) => n + b.frames, 0);
  if (a.usage().free !== m.nframes - used)
    fail(`after ${what}: ${a.usage().free} frames free; the model has ${m.nframes - used}`);
}

function buddyAlloc(m: BuddyModel, a: BuddyLike, order: number): void {
  const frames = 2 ** order;
  const addr = a.alloc({ size: frames * P, align: P });
  if (addr === undefined) return;
  const b = { addr, frames };
  if (addr % (frames * P) !== 0 || addr < 0 || addr + frames * P > m.nframes * P)
    fail(`alloc(${frames} frames) returned ${addr}: not an aligned block inside the memory`);
  if (m.live.some((l) => overlaps(l, b))) fail(`alloc(${frames} frames) returned ${addr}, which overlaps a live block`);
  m.live.push(b);
  m.freed = m.freed.filter((f) => !overlaps(f, b));
}

function buddyFree(m: BuddyModel, a: BuddyLike, k: number): void {
  const b = m.live.splice(k % m.live.length, 1)[0]!;
  const r = a.dealloc(b.addr, b.frames * P);
  if (!r.ok) fail(`dealloc(${b.addr}, ${b.frames} frames) of a live block failed with ${r.error}`);
  m.freed.push(b);
}

function buddyDoubleFree(m: BuddyModel, a: BuddyLike, k: number): void {
  const b = m.freed[k % m.freed.length]!;
  const r = a.dealloc(b.addr, b.frames * P);
  if (r.ok || r.error !== 'DoubleFree')
    fail(
      `a second dealloc(${b.addr}, ${b.frames} frames) returned ${r.ok ? 'ok' : r.error}; a double free must be refused with DoubleFree`,
    );
}

function buddyCommands(): fc.Arbitrary<fc.Command<BuddyModel, BuddyLike>>[] {
  const wrap = (
    name: string,
    check: (m: Readonly<BuddyModel>) => boolean,
    body: (m: BuddyModel, a: BuddyLike) => void,
  ) =>
    command<BuddyModel, BuddyLike>(
      () => name,
      check,
      (m, a) => {
        body(m, a);
        checkBuddy(m, a, name);
      },
    );
  return [
    fc.nat(3).map((o) =>
      wrap(
        `alloc(${2 ** o})`,
        () => true,
        (m, a) => buddyAlloc(m, a, o),
      ),
    ),
    fc.nat(7).map((k) =>
      wrap(
        `dealloc(#${k})`,
        (m) => m.live.length > 0,
        (m, a) => buddyFree(m, a, k),
      ),
    ),
    fc.nat(7).map((k) =>
      wrap(
        `dealloc_again(#${k})`,
        (m) => m.freed.length > 0,
        (m, a) => buddyDoubleFree(m, a, k),
      ),
    ),
  ];
}

/** Runs the model-based test of a buddy allocator of `nframes` frames (default 16). */
export function checkBuddyAllocator(
  subject: AllocatorSubject = {},
  o: RunOptions & Readonly<{ nframes?: number }> = {},
): ModelTestReport {
  const nframes = o.nframes ?? 16;
  const setup = () => {
    const base = BuddyAllocator.create({ basePaddr: 0, nframes, maxOrder: 4 });
    base.addFreeMemory(0, nframes * P);
    return { model: { live: [], freed: [], nframes }, real: subject.buddy ? subject.buddy(base) : (base as BuddyLike) };
  };
  return modelCheck(buddyCommands(), setup, o);
}

/** The two regions of the early-allocator test: 16 frames below 4 GiB, 16 above. */
export const EARLY_REGIONS: readonly UsableRegion[] = [
  { base: 0x10_0000, end: 0x10_0000 + 16 * P },
  { base: PADDR_4G, end: PADDR_4G + 16 * P },
];

type EarlyModel = { taken: { start: number; end: number }[] };

function earlyAlloc(m: EarlyModel, a: EarlyFrameAllocator, size: number, align: number): void {
  const addr = a.alloc({ size, align });
  if (addr === undefined) return;
  const r = { start: addr, end: addr + Math.ceil(size / P) * P };
  const inside = EARLY_REGIONS.some((g) => g.base <= r.start && r.end <= g.end);
  if (!inside || addr % Math.max(align, P) !== 0)
    fail(
      `alloc(${exactInt(size)}, ${align}) returned ${exactInt(addr)}: ${exactInt(r.start)}..${exactInt(r.end)} is not an aligned range inside one region`,
    );
  if (m.taken.some((t) => t.start < r.end && r.start < t.end))
    fail(`alloc(${exactInt(size)}, ${align}) returned ${exactInt(addr)}, overlapping an earlier allocation`);
  m.taken.push(r);
}

const sizeArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 * P }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 64 - P, 2 ** 64 - 16 * P, 2 ** 63, Number.MAX_SAFE_INTEGER) },
);

/** Runs the model-based test of the early allocator over `EARLY_REGIONS`. */
export function checkEarlyAllocator(subject: AllocatorSubject = {}, o: RunOptions = {}): ModelTestReport {
  const cmd = fc.tuple(sizeArb, fc.constantFrom(1, P, 2 * P)).map(([size, align]) =>
    command<EarlyModel, EarlyFrameAllocator>(
      () => `alloc(${exactInt(size)}, ${align})`,
      () => true,
      (m, a) => earlyAlloc(m, a, size, align),
    ),
  );
  const setup = () => ({
    model: { taken: [] },
    real: subject.early ? subject.early(EARLY_REGIONS) : new EarlyFrameAllocator(EARLY_REGIONS),
  });
  return modelCheck([cmd], setup, o);
}

type OptionsModel = { held: number[] };
type OptionsReal = { layer: FrameLayer; options: FrameAllocOptions };

function optionsAlloc(m: OptionsModel, r: OptionsReal): void {
  const slot = r.options.allocFrame(unit(UnitMeta));
  if (typeof slot === 'string') return;
  const bytes = r.layer.region.phys.read(slot * P, P);
  const dirty = bytes.findIndex((b) => b !== 0);
  if (dirty >= 0)
    fail(`alloc_frame() returned frame ${slot} whose byte ${dirty} is ${bytes[dirty]}: default options must zero it`);
  m.held.push(slot);
}

/** Runs the model-based test of `FrameAllocOptions` over a 4-frame buddy allocator. */
export function checkAllocOptions(subject: AllocatorSubject = {}, o: RunOptions = {}): ModelTestReport {
  const cmds = [
    fc.constant(
      command<OptionsModel, OptionsReal>(
        () => 'alloc_frame()',
        () => true,
        optionsAlloc,
      ),
    ),
    fc.tuple(fc.nat(7), fc.integer({ min: 1, max: 255 })).map(([k, v]) =>
      command<OptionsModel, OptionsReal>(
        () => `write(#${k}, ${v})`,
        (m) => m.held.length > 0,
        (m, r) => r.layer.region.phys.write(m.held[k % m.held.length]! * P, new Uint8Array([v])),
      ),
    ),
    fc.nat(7).map((k) =>
      command<OptionsModel, OptionsReal>(
        () => `drop(#${k})`,
        (m) => m.held.length > 0,
        (m, r) => void r.layer.drop(m.held.splice(k % m.held.length, 1)[0]!),
      ),
    ),
  ];
  const setup = () => {
    const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 4 });
    buddy.addFreeMemory(0, 4 * P);
    const layer = new FrameLayer(new MetaRegion({ maxPaddr: 4 * P }), { dealloc: (p, s) => buddy.dealloc(p, s) });
    return {
      model: { held: [] },
      real: {
        layer,
        options: subject.allocOptions ? subject.allocOptions(layer, buddy) : new FrameAllocOptions(layer, buddy),
      },
    };
  };
  return modelCheck(cmds, setup, o);
}

/** As the three checks above, throwing with the first shrunk counterexample. */
export function assertAllocators(subject: AllocatorSubject = {}, o: RunOptions = {}): void {
  assertReport(checkBuddyAllocator(subject, o), 'the buddy allocator disagrees with its model');
  assertReport(checkEarlyAllocator(subject, o), 'the early allocator disagrees with its model');
  assertReport(checkAllocOptions(subject, o), 'FrameAllocOptions disagrees with its model');
}
