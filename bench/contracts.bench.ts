/**
 * The contract layer's cost per op and level, against the bare implementation in the same run.
 *
 * MetaSlot rows: one op on the MetaSlot layer (the op checked, its undo done by the bare frame layer
 * so the loop returns to the same state). Frame-layer rows: a pair of ops through the `FrameLayerApi`
 * (the checked build at each level, the release bundle, and the bare `ReleaseFrameLayer` from source
 * as the baseline). Levels: full, cheap, sample:64, and release (contracts compiled out).
 */
import { FrameLayer } from '../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../impl/meta/frameMeta.ts';
import { MetaRegion } from '../impl/meta/MetaSlot.ts';
import { CheckedFrameApi } from '../src/contract/CheckedFrameApi.ts';
import { CheckedMetaRegion } from '../src/contract/CheckedMetaRegion.ts';
import type { Frame, FrameLayerApi, FrameLayerOptions, SegmentRef } from '../src/contract/FrameLayerApi.ts';
import type { ContractLevel } from '../src/contract/level.ts';
import { ReleaseFrameLayer } from '../src/contract/ReleaseFrameLayer.ts';
import { runStress } from '../src/stress/stress.ts';
import { measure, row, type Measure } from './harness.ts';
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
type Case = Readonly<{ name: string; loop: (r: Region, impl: MetaRegion, layer: FrameLayer) => (n: number) => void }>;

const CASES: readonly Case[] = [
  {
    name: 'get_from_in_use (+ bare drop)',
    loop: (r, impl, layer) => {
      impl.getFromUnused(P, META, false);
      return (n) => {
        for (let k = 0; k < n; k++) (r.getFromInUse(P), layer.drop(SLOT));
      };
    },
  },
  {
    name: 'get_from_unused (+ bare last drop)',
    loop: (r, _impl, layer) => (n) => {
      for (let k = 0; k < n; k++) (r.getFromUnused(P, META, false), layer.drop(SLOT));
    },
  },
];

type Build = MetaRegion | CheckedMetaRegion;

function run(c: Case, level: ContractLevel | 'bare' | 'release', release: () => MetaRegion): Measure {
  const n = 20_000;
  if (level === 'bare' || level === 'release') {
    const impl = level === 'bare' ? new MetaRegion({ maxPaddr: MAX }) : release();
    return measure(`${c.name}, ${level}`, c.loop(impl, impl, new FrameLayer(impl)), { n });
  }
  const checked: Build = new CheckedMetaRegion({ maxPaddr: MAX, level });
  return measure(`${c.name}, ${level}`, c.loop(checked, checked.impl, new FrameLayer(checked.impl)), { n });
}

const FRAME_OPTS: FrameLayerOptions = { maxPaddr: MAX, allocatable: { start: MAX / 2, end: MAX } };

type FrameCase = Readonly<{ name: string; n: number; loop: (api: FrameLayerApi) => (n: number) => void }>;

function must<T>(v: T | string): T {
  if (typeof v === 'string') throw new Error(`benchmark setup failed: ${v}`);
  return v;
}

const FRAME_CASES: readonly FrameCase[] = [
  {
    name: 'Frame::clone + Frame::drop',
    n: 5_000,
    loop: (api) => {
      const f = must(api.fromUnused(P, META));
      return (n) => {
        for (let k = 0; k < n; k++) api.drop(api.clone(f));
      };
    },
  },
  {
    name: 'Frame::from_in_use + Frame::drop',
    n: 5_000,
    loop: (api) => {
      must(api.fromUnused(P, META));
      return (n) => {
        for (let k = 0; k < n; k++) api.drop(must(api.fromInUse(P)) as Frame);
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
    n: 2_000,
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

/** Runs the per-op contract benchmarks and returns the printed lines. */
export async function contractsBench(): Promise<string[]> {
  const m = await releaseBundle();
  const release = () => m.createMetaRegion({ maxPaddr: MAX }) as MetaRegion;
  const out = ['## Contract layer cost per op (median ns/op, ratio against the bare implementation, same run)'];
  for (const c of CASES) {
    const bare = run(c, 'bare', release);
    out.push(row(bare, bare));
    for (const [level, target] of LEVELS) out.push(row(run(c, level, release), bare, target));
    out.push(row(run(c, 'release', release), bare, '1.00×'));
  }
  for (const c of FRAME_CASES) {
    const at = (name: string, api: FrameLayerApi) => measure(`${c.name}, ${name}`, c.loop(api), { n: c.n, rounds: 5 });
    const bare = at('bare', new ReleaseFrameLayer(FRAME_OPTS));
    out.push(row(bare, bare));
    for (const [level, target] of LEVELS)
      out.push(row(at(level, new CheckedFrameApi({ ...FRAME_OPTS, level })), bare, target));
    out.push(row(at('release', m.createFrameLayer(FRAME_OPTS)), bare, '1.00×'));
  }
  out.push('', '## Checked throughput under worker_threads (each worker checks its own calls)');
  for (const workers of [1, 2]) {
    const bare = await threaded(workers, false);
    out.push(row(bare, bare), row(await threaded(workers, true), bare));
  }
  return out;
}
