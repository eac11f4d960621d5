/**
 * The contract layer's cost per op and level, against the bare implementation in the same run.
 *
 * Each row is one op on the MetaSlot layer (the op checked, its undo done by the bare frame layer so
 * the loop returns to the same state), at levels full, cheap and sample:64.
 */
import { FrameLayer } from '../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../impl/meta/frameMeta.ts';
import { MetaRegion } from '../impl/meta/MetaSlot.ts';
import { CheckedMetaRegion } from '../src/contract/CheckedMetaRegion.ts';
import type { ContractLevel } from '../src/contract/level.ts';
import { measure, row, type Measure } from './harness.ts';

const P = 0x5000;
const SLOT = P / 4096;
const MAX = 0x100_0000;
const META = unit(KernelMeta);

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

function run(c: Case, level: ContractLevel | 'bare'): Measure {
  if (level === 'bare') {
    const impl = new MetaRegion({ maxPaddr: MAX });
    return measure(`${c.name}, bare`, c.loop(impl, impl, new FrameLayer(impl)), { n: 50_000 });
  }
  const checked = new CheckedMetaRegion({ maxPaddr: MAX, level });
  const body = c.loop(checked, checked.impl, new FrameLayer(checked.impl));
  return measure(`${c.name}, ${level}`, body, { n: 50_000 });
}

/** Runs the per-op contract benchmarks and returns the printed lines. */
export async function contractsBench(): Promise<string[]> {
  const out = ['## Contract layer cost per op (median ns/op, ratio against the bare implementation, same run)'];
  for (const c of CASES) {
    const bare = run(c, 'bare');
    out.push(row(bare, bare));
    out.push(row(run(c, 'full'), bare, '≤ 20×'));
    out.push(row(run(c, 'cheap'), bare, '≤ 8×'));
    out.push(row(run(c, 'sample:64'), bare));
  }
  return out;
}
