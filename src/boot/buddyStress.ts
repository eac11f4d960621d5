/**
 * DragonOS's `test_buddy`, run through the real `BuddyAllocator` and frame layer: each round
 * allocates random power-of-two blocks (up to 4 MiB) until `totalBytes` have been handed out, claims
 * every frame with `Frame::from_unused` (a `Segment`), fills it with data through the region's
 * physical memory, and after each allocation frees a random live block most of the time (dropping
 * its frames, whose last drop deallocates each frame); the rest is freed at the end of the round.
 *
 * Double handouts are detected three ways: the set of live block addresses (DragonOS's
 * `addr_set`), the claim of an in-use slot (`from_unused(..).unwrap()` would panic), and data that
 * changed under a live block.
 *
 * @see DragonOS `kernel/src/arch/x86_64/mm/mod.rs` (`test_buddy`)
 */
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { hexAddr } from './bootKernel.ts';

const MIB = 2 ** 20;

/** Options of `buddyStress`; the defaults are DragonOS's. */
export type BuddyStressOptions = Readonly<{
  seed: number;
  /** Rounds (10). */
  rounds?: number;
  /** Bytes handed out per round (200 MiB). */
  totalBytes?: number;
  /**
   * After each allocation a live block is freed unless `random % 10 >= freeTenths` (8: DragonOS's
   * test `% 10 > 7` frees 8 times in 10, although its comment says 70 %).
   */
  freeTenths?: number;
  /** Memory the allocator manages (2 × `totalBytes` + 8 MiB). */
  memoryBytes?: number;
}>;

/** What a stress run did, and what went wrong. */
export type BuddyStressStats = {
  rounds: number;
  allocations: number;
  randomFrees: number;
  bytesAllocated: number;
  bytesFreed: number;
  maxLiveBytes: number;
  violations: string[];
};

type Block = Readonly<{ segment: Segment<null>; paddr: number; frames: number; tag: number }>;

type Rig = {
  readonly buddy: BuddyAllocator;
  readonly layer: FrameLayer;
  readonly random: () => number;
  readonly stats: BuddyStressStats;
};

/** mulberry32: a small seeded generator of 32-bit values. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Runs the stress; violations are collected, the run stops at the first failed allocation. */
export function buddyStress(opts: BuddyStressOptions): BuddyStressStats {
  const totalBytes = opts.totalBytes ?? 200 * MIB;
  const memoryBytes = opts.memoryBytes ?? Math.ceil((2 * totalBytes + 8 * MIB) / (4 * MIB)) * 4 * MIB;
  const rig = newRig(memoryBytes, opts.seed);
  for (let round = 0; round < (opts.rounds ?? 10); round++) {
    if (!runRound(rig, totalBytes, opts.freeTenths ?? 8)) break;
    checkAllReturned(rig, memoryBytes / PAGE_SIZE);
    rig.stats.rounds++;
  }
  return rig.stats;
}

function newRig(memoryBytes: number, seed: number): Rig {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: memoryBytes / PAGE_SIZE });
  const stats: BuddyStressStats = {
    rounds: 0,
    allocations: 0,
    randomFrees: 0,
    bytesAllocated: 0,
    bytesFreed: 0,
    maxLiveBytes: 0,
    violations: [],
  };
  const dealloc = (paddr: number, size: number) => {
    const r = buddy.dealloc(paddr, size);
    if (!r.ok) stats.violations.push(`dealloc(${hexAddr(paddr)}, ${size}) refused: ${r.error}`);
  };
  const layer = new FrameLayer(new MetaRegion({ maxPaddr: memoryBytes }), { dealloc });
  buddy.addFreeMemory(0, memoryBytes);
  return { buddy, layer, random: mulberry32(seed), stats };
}

/** One round; `false` when an allocation failed and the run must stop. */
function runRound(rig: Rig, totalBytes: number, freeTenths: number): boolean {
  const live: Block[] = [];
  const addrs = new Set<number>();
  let allocated = 0;
  let liveBytes = 0;
  while (allocated < totalBytes) {
    const raw = rig.random() % (4 * MIB);
    if (raw === 0) continue;
    const size = Math.min(Math.ceil(raw / PAGE_SIZE) * PAGE_SIZE, totalBytes - allocated);
    const block = allocate(rig, 2 ** Math.ceil(Math.log2(size / PAGE_SIZE)));
    if (block === undefined) return false;
    allocated += block.frames * PAGE_SIZE;
    liveBytes += block.frames * PAGE_SIZE;
    rig.stats.maxLiveBytes = Math.max(rig.stats.maxLiveBytes, liveBytes);
    live.push(block);
    if (addrs.has(block.paddr)) rig.stats.violations.push(`duplicate address: ${hexAddr(block.paddr)}`);
    addrs.add(block.paddr);
    if (rig.random() % 10 >= freeTenths) continue;
    const [victim] = live.splice(rig.random() % live.length, 1);
    liveBytes -= release(rig, victim!, addrs);
    rig.stats.randomFrees++;
  }
  for (const block of live) release(rig, block, addrs);
  return true;
}

/** `LockedFrameAllocator.allocate(frames)`, the checks of `test_buddy`, the frames claimed, data written. */
function allocate(rig: Rig, frames: number): Block | undefined {
  const bytes = frames * PAGE_SIZE;
  const paddr = rig.buddy.alloc({ size: bytes, align: PAGE_SIZE });
  if (paddr === undefined) {
    rig.stats.violations.push(`allocate(${frames} frames) failed with ${rig.buddy.usage().free} frames free`);
    return undefined;
  }
  if (paddr % bytes !== 0)
    rig.stats.violations.push(`block ${hexAddr(paddr)} of ${frames} frames is not aligned to its size`);
  const segment = Segment.fromUnused(rig.layer, { start: paddr, end: paddr + bytes }, () => unit(UnitMeta));
  if (typeof segment === 'string') {
    rig.stats.violations.push(
      `Frame::from_unused on block ${hexAddr(paddr)} failed: ${segment} (a frame handed out twice)`,
    );
    return undefined;
  }
  const tag = rig.random() & 0xff;
  const page = patternPage(tag);
  for (let p = paddr; p < paddr + bytes; p += PAGE_SIZE) rig.layer.region.phys.write(p, page);
  rig.stats.allocations++;
  rig.stats.bytesAllocated += bytes;
  return { segment, paddr, frames, tag };
}

const pages = new Map<number, Buffer>();

/**
 * One page of `slice[i] = (i + tsc) % 256`, with `tag` for the time stamp: the pattern repeats every
 * 256 bytes, so every page of a block holds the same bytes.
 */
function patternPage(tag: number): Buffer {
  let page = pages.get(tag);
  if (page === undefined) {
    page = Buffer.alloc(PAGE_SIZE);
    for (let i = 0; i < PAGE_SIZE; i++) page[i] = (i + tag) & 0xff;
    pages.set(tag, page);
  }
  return page;
}

/** Whether every page of the block still holds its pattern; the first changed byte offset otherwise. */
function firstChangedByte(rig: Rig, block: Block): number | undefined {
  const page = patternPage(block.tag);
  for (let k = 0; k < block.frames; k++) {
    const data = Buffer.from(rig.layer.region.phys.read(block.paddr + k * PAGE_SIZE, PAGE_SIZE).buffer);
    if (!data.equals(page)) return k * PAGE_SIZE + data.findIndex((b, i) => b !== page[i]);
  }
  return undefined;
}

/** Checks the block's data, drops its frames (each last drop deallocates), forgets its address. */
function release(rig: Rig, block: Block, addrs: Set<number>): number {
  const bytes = block.frames * PAGE_SIZE;
  const bad = firstChangedByte(rig, block);
  if (bad !== undefined)
    rig.stats.violations.push(`data of block ${hexAddr(block.paddr)} changed at byte ${bad} while it was allocated`);
  if (!addrs.delete(block.paddr)) rig.stats.violations.push(`freeing ${hexAddr(block.paddr)}, which is not live`);
  block.segment.drop();
  rig.stats.bytesFreed += bytes;
  return bytes;
}

/** After a round every frame is free in the allocator again, merged, and its slot unused. */
function checkAllReturned(rig: Rig, nframes: number): void {
  const { free } = rig.buddy.usage();
  if (free !== nframes) rig.stats.violations.push(`after round ${rig.stats.rounds}: ${free} of ${nframes} frames free`);
  for (const p of rig.buddy.audit().slice(0, 5)) rig.stats.violations.push(`buddy allocator: ${p}`);
  const region = rig.layer.region;
  for (let slot = 0; slot < nframes; slot++) {
    if (region.refCount(slot) !== region.REF_COUNT_UNUSED) {
      rig.stats.violations.push(`after round ${rig.stats.rounds}: slot of ${hexAddr(slot * PAGE_SIZE)} still in use`);
      return;
    }
  }
}
