/**
 * The contract layer's cost per op and level, against the bare implementation in the same run.
 *
 * MetaSlot rows: one op on the MetaSlot layer (the op checked, its undo done by the bare frame layer
 * so the loop returns to the same state). Frame-layer rows: a pair of ops through the `FrameLayerApi`
 * (the checked build at each level, the release bundle, and the bare `ReleaseFrameLayer` from source
 * as the baseline). Levels: full, cheap, sample:64, and release (contracts compiled out).
 */
import { BuddyAllocator } from '../impl/alloc/BuddyAllocator.ts';
import { FrameLayer } from '../impl/frame/Frame.ts';
import { link } from '../impl/frame/LinkedList.ts';
import { KernelMeta, unit } from '../impl/meta/frameMeta.ts';
import { MetaRegion } from '../impl/meta/MetaSlot.ts';
import { CheckedAllocator } from '../src/contract/CheckedAllocator.ts';
import { CheckedFrameApi } from '../src/contract/CheckedFrameApi.ts';
import { CheckedMetaRegion } from '../src/contract/CheckedMetaRegion.ts';
import type {
  Frame,
  FrameLayerApi,
  FrameLayerOptions,
  SegmentRef,
  UniqueFrame,
} from '../src/contract/FrameLayerApi.ts';
import type { ContractLevel } from '../src/contract/level.ts';
import { ReleaseFrameLayer } from '../src/contract/ReleaseFrameLayer.ts';
import { runStress } from '../src/stress/stress.ts';
import { loadavg } from 'node:os';
import { interleaved, ratioRow } from './interleaved.ts';
import { row, type Measure } from './harness.ts';
import { releaseBundle } from './metaSlot.bench.ts';

const P = 0x5000;
const PAGE = 4096;
const SLOT = P / PAGE;
const MAX = 0x100_0000;
const META = unit(KernelMeta);
const LEVELS: readonly [ContractLevel, string | undefined][] = [
  ['full', '≤ 20×'],
  ['cheap', '≤ 8×'],
  ['sample:64', undefined],
];

type Region = { getFromInUse(p: number): unknown; getFromUnused(p: number, m: typeof META, u: boolean): unknown };
type Case = Readonly<{
  name: string;
  n: number;
  loop: (r: Region, impl: MetaRegion, layer: FrameLayer) => (n: number) => void;
}>;

const CASES: readonly Case[] = [
  {
    name: 'get_from_in_use (+ bare drop)',
    n: 100_000,
    loop: (r, impl, layer) => {
      impl.getFromUnused(P, META, false);
      return (n) => {
        for (let k = 0; k < n; k++) (r.getFromInUse(P), layer.drop(SLOT));
      };
    },
  },
  {
    name: 'get_from_unused (+ bare last drop)',
    n: 4_000,
    loop: (r, _impl, layer) => (n) => {
      for (let k = 0; k < n; k++) (r.getFromUnused(P, META, false), layer.drop(SLOT));
    },
  },
];

/** The body of case `c` on one build: the bare region, the release bundle's, or a checked region at `level`. */
function metaBody(c: Case, level: ContractLevel | 'bare' | 'release', release: () => MetaRegion): (n: number) => void {
  if (level === 'bare' || level === 'release') {
    const impl = level === 'bare' ? new MetaRegion({ maxPaddr: MAX }) : release();
    return c.loop(impl, impl, new FrameLayer(impl));
  }
  const checked = new CheckedMetaRegion({ maxPaddr: MAX, level });
  return c.loop(checked, checked.impl, new FrameLayer(checked.impl));
}

const FRAME_OPTS: FrameLayerOptions = { maxPaddr: MAX, allocatable: { start: MAX / 2, end: MAX } };

type FrameCase = Readonly<{
  name: string;
  n: number;
  /** The layer's options (default `FRAME_OPTS`). */
  opts?: FrameLayerOptions;
  loop: (api: FrameLayerApi) => (n: number) => void;
}>;

/** The slots of the region the unique-frame case claims from (1 GiB of frames; the slot array is 16 MiB). */
const UNIQUE_SLOTS = 1 << 18;

function must<T>(v: T | string): T {
  if (typeof v === 'string') throw new Error(`benchmark setup failed: ${v}`);
  return v;
}

const FRAME_CASES: readonly FrameCase[] = [
  {
    name: 'Frame::clone + Frame::drop',
    n: 40_000,
    loop: (api) => {
      const f = must(api.fromUnused(P, META));
      return (n) => {
        for (let k = 0; k < n; k++) api.drop(api.clone(f));
      };
    },
  },
  {
    name: 'Frame::from_in_use + Frame::drop',
    n: 30_000,
    loop: (api) => {
      must(api.fromUnused(P, META));
      return (n) => {
        for (let k = 0; k < n; k++) api.drop(must(api.fromInUse(P)) as Frame);
      };
    },
  },
  {
    name: 'Frame::from_unused + Frame::drop (last)',
    n: 4_000,
    // no allocator: a last drop returns the frame nowhere (P is not the allocator's)
    opts: { maxPaddr: MAX },
    loop: (api) => (n) => {
      for (let k = 0; k < n; k++) api.drop(must(api.fromUnused(P, META)) as Frame);
    },
  },
  {
    // A frame once claimed keeps usage `Frame`, which `UniqueFrame::from_unused` refuses: every claim
    // takes a slot never claimed before (the region has enough for every round of every build).
    name: 'UniqueFrame::from_unused + UniqueFrame::drop (fresh slots)',
    n: 2_000,
    opts: { maxPaddr: UNIQUE_SLOTS * PAGE },
    loop: (api) => {
      let slot = 0;
      return (n) => {
        for (let k = 0; k < n; k++) {
          slot = (slot % (UNIQUE_SLOTS - 1)) + 1;
          api.dropUnique(must(api.uniqueFromUnused(slot * PAGE, META)) as UniqueFrame);
        }
      };
    },
  },
  {
    name: 'alloc_frame + Frame::drop (last)',
    n: 2_000,
    loop: (api) => (n) => {
      for (let k = 0; k < n; k++) api.drop(must(api.allocFrame()) as Frame);
    },
  },
  {
    name: 'Segment::split (of a clone) + drop of both halves',
    n: 10_000,
    loop: (api) => {
      const s = must(api.segmentFromUnused({ start: P, end: P + 2 * PAGE }, () => META)) as SegmentRef;
      return (n) => {
        for (let k = 0; k < n; k++) {
          const [a, b] = api.splitSegment(api.cloneSegment(s), PAGE);
          api.dropSegment(a);
          api.dropSegment(b);
        }
      };
    },
  },
  {
    name: 'LinkedList::push_back + pop_front (one unique frame)',
    n: 2_000,
    loop: (api) => {
      const list = api.newList();
      const first = api.uniqueFromUnused(P, link(7n));
      if (typeof first === 'string') throw new Error(`benchmark setup failed: ${first}`);
      let u = first;
      return (n) => {
        for (let k = 0; k < n; k++) {
          list.pushBack(u);
          u = list.popFront()!;
        }
      };
    },
  },
];

/**
 * Checked throughput on real threads: the stress mix over the shared region and buddy allocator, each
 * worker checking its own `from_in_use` and `clone` calls on their footprint, against the same run
 * unchecked (ns per operation of wall time over all workers; median of 3).
 */
async function threaded(workers: number, contracts: boolean): Promise<Measure> {
  const ns: number[] = [];
  for (let k = 0; k < 3; k++) {
    const r = await runStress({ workers, ops: 400_000, frames: 256, seed: 1 + k, validate: false, contracts });
    if (!r.ok) throw new Error(`the stress run failed: ${JSON.stringify(r.workers)}`);
    ns.push(1e9 / r.opsPerSecond);
  }
  const name = `stress mix, ${workers} worker${workers > 1 ? 's' : ''}, ${contracts ? 'contracts on' : 'bare'} (ns/op of wall time)`;
  return { name, nsPerOp: ns.sort((a, b) => a - b)[1]!, rounds: ns };
}

/** Ops per round of each build, as a multiple of the case's `n` (cheap builds get more, so rounds last about as long). */
const SCALE: Readonly<Record<string, number>> = { bare: 10, release: 10, 'sample:64': 5, full: 1, cheap: 1 };

/**
 * The rows of one case: every build run in alternating rounds in this process, CPU time per round,
 * each ratio the median over rounds of the build's time over the bare build's in the same round.
 */
function caseRows(
  name: string,
  n: number,
  body: (level: ContractLevel | 'bare' | 'release') => (n: number) => void,
  release = true,
) {
  const builds: readonly (readonly [ContractLevel | 'bare' | 'release', string | undefined])[] = [
    ['bare', undefined],
    ...LEVELS,
    ...(release ? [['release', '1.00×'] as const] : []),
  ];
  const ms = interleaved(
    builds.map(([level]) => ({ name: `${name}, ${level}`, body: body(level), n: n * (SCALE[level] ?? 1) })),
    { n, rounds: ROUNDS },
  );
  return ms.map((m, k) => ratioRow(m, builds[k]![1]));
}

/**
 * `GlobalFrameAllocator::alloc` of one frame + `dealloc` of it on a buddy allocator: the bare buddy, and
 * `CheckedAllocator.overBuddy` at each level (no release row: the buddy carries no contract layer, the
 * release build runs the bare buddy).
 */
function allocatorRows(): string[] {
  const layout = { size: PAGE, align: PAGE };
  const body = (level: ContractLevel | 'bare' | 'release') => {
    const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 1024 });
    buddy.addFreeMemory(0, 1024 * PAGE);
    const a = level === 'bare' || level === 'release' ? buddy : CheckedAllocator.overBuddy(buddy, { level });
    return (n: number) => {
      for (let k = 0; k < n; k++) a.dealloc(a.alloc(layout)!, PAGE);
    };
  };
  return caseRows('GlobalFrameAllocator::alloc + dealloc (buddy, one frame)', 4_000, body, false);
}

/** Alternating rounds per case (`FRAMECHECK_BENCH_ROUNDS` overrides, for a quick look). */
const ROUNDS = Number(process.env['FRAMECHECK_BENCH_ROUNDS'] ?? '') || 9;

/** The per-op table (every case, every build), with its heading. */
export async function perOpRows(): Promise<string[]> {
  const m = await releaseBundle();
  const release = () => m.createMetaRegion({ maxPaddr: MAX }) as MetaRegion;
  const out = [
    '## Contract layer cost per op (CPU ns/op, median of per-round ratios against the bare implementation;',
    `## ${ROUNDS} alternating rounds in one process, load average ${loadavg()[0]!.toFixed(1)} at the start)`,
  ];
  for (const c of CASES) out.push(...caseRows(c.name, c.n, (level) => metaBody(c, level, release)));
  for (const c of FRAME_CASES) {
    const opts = c.opts ?? FRAME_OPTS;
    const api = (level: ContractLevel | 'bare' | 'release'): FrameLayerApi =>
      level === 'bare'
        ? new ReleaseFrameLayer(opts)
        : level === 'release'
          ? m.createFrameLayer(opts)
          : new CheckedFrameApi({ ...opts, level });
    out.push(...caseRows(c.name, c.n, (level) => c.loop(api(level))));
  }
  out.push(...allocatorRows());
  return out;
}

/** Runs the per-op contract benchmarks and returns the printed lines. */
export async function contractsBench(): Promise<string[]> {
  const out = await perOpRows();
  out.push('', '## Checked throughput under worker_threads (each worker checks its own calls)');
  for (const workers of [1, 2]) {
    const bare = await threaded(workers, false);
    out.push(row(bare, bare), row(await threaded(workers, true), bare));
  }
  return out;
}
