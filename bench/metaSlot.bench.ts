/**
 * The MetaSlot hot path and the contract layer's cost.
 *
 * (a) `get_from_in_use` + `drop` pairs on the real implementation against the JavaScript floor: a raw
 *     `Atomics.compareExchange` + `Atomics.sub` on a `BigUint64Array` over a `SharedArrayBuffer`.
 * (b) the same pair with contracts on (every `get_from_in_use` checked) against the bare implementation,
 *     and the release bundle (contracts compiled out) against the bare implementation.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KernelMeta, unit } from '../impl/meta/frameMeta.ts';
import { MetaRegion } from '../impl/meta/MetaSlot.ts';
import { FrameLayer } from '../impl/frame/Frame.ts';
import { CheckedMetaRegion } from '../src/contract/CheckedMetaRegion.ts';
import { interleaved, ratioRow } from './interleaved.ts';

const P = 0x5000;
const MAX = 0x100_0000;

function rawPair(): (n: number) => void {
  const a = new BigUint64Array(new SharedArrayBuffer(64 * 8));
  a[5] = 1n;
  return (n) => {
    for (let k = 0; k < n; k++) {
      const v = Atomics.load(a, 5);
      Atomics.compareExchange(a, 5, v, v + 1n);
      Atomics.sub(a, 5, 1n);
    }
  };
}

/** A fresh copy of the loop per case, so that one case's call-site feedback does not slow another. */
function implPair(make: () => { getFromInUse(p: number): unknown; layer: FrameLayer }): (n: number) => void {
  const { getFromInUse, layer } = make();
  const loop = new Function(
    'get',
    'layer',
    'P',
    'slot',
    'return (n) => { for (let k = 0; k < n; k++) { get(P); layer.drop(slot); } };',
  );
  return loop(getFromInUse, layer, P, P / 4096) as (n: number) => void;
}

function bare() {
  const region = new MetaRegion({ maxPaddr: MAX });
  const layer = new FrameLayer(region);
  layer.fromUnused(P, unit(KernelMeta));
  return { getFromInUse: (p: number) => region.getFromInUse(p), layer };
}

function checked(level: 'full' | 'cheap' = 'full') {
  const c = new CheckedMetaRegion({ maxPaddr: MAX, level });
  c.getFromUnused(P, unit(KernelMeta), false);
  const layer = new FrameLayer(c.impl);
  return { getFromInUse: (p: number) => c.getFromInUse(p), layer };
}

/** The release bundle (contracts compiled out, `FRAMECHECK_CONTRACTS` defined as "0"), built and imported once. */
let bundle: Promise<typeof import('../src/index.ts')> | undefined;
export function releaseBundle(): Promise<typeof import('../src/index.ts')> {
  bundle ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framecheck-release-'));
    const out = join(dir, 'release.mjs');
    const r = buildSync({
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      minify: true,
      define: { 'process.env.FRAMECHECK_CONTRACTS': '"0"' },
      external: ['fast-check', 'zod', 'ts-pattern'],
    });
    writeFileSync(out, r.outputFiles[0]!.text);
    return (await import(pathToFileURL(out).href)) as typeof import('../src/index.ts');
  })();
  return bundle;
}

async function release() {
  const m = await releaseBundle();
  const region = m.createMetaRegion({ maxPaddr: MAX }) as MetaRegion;
  const layer = new m.FrameLayer(region);
  layer.fromUnused(P, m.unit(m.KernelMeta));
  return { getFromInUse: (p: number) => region.getFromInUse(p), layer: layer as unknown as FrameLayer };
}

/** Runs the MetaSlot benchmarks and returns the printed lines. */
export async function metaSlotBench(): Promise<string[]> {
  const rel0 = await release();
  // Each table's builds run in alternating rounds in one process, timed in CPU time; each ratio is the
  // median over rounds of the build's time over its baseline's in the same round (see `interleaved.ts`).
  const [floor, impl0] = interleaved(
    [
      { name: 'raw Atomics load + CAS + sub (BigUint64Array, the floor)', body: rawPair() },
      { name: 'get_from_in_use + drop (real implementation)', body: implPair(bare) },
    ],
    { n: 200_000, rounds: 7 },
  );
  const [impl, chk, cheap, rel] = interleaved(
    [
      { name: 'get_from_in_use + drop (real implementation)', body: implPair(bare), n: 200_000 },
      { name: 'get_from_in_use + drop (contracts on, level full)', body: implPair(() => checked('full')) },
      { name: 'get_from_in_use + drop (contracts on, level cheap)', body: implPair(() => checked('cheap')) },
      {
        name: 'get_from_in_use + drop (release bundle, contracts compiled out)',
        body: implPair(() => rel0),
        n: 200_000,
      },
    ],
    { n: 20_000, rounds: 9 },
  );
  return [
    '## MetaSlot hot path (median CPU ns per get_from_in_use + drop pair)',
    ratioRow(floor!),
    ratioRow(impl0!, '≤ 3× the floor'),
    '',
    `## Contract layer cost (against the bare implementation, alternating rounds; load average ${loadavg()[0]!.toFixed(1)})`,
    ratioRow(impl!),
    ratioRow(chk!, '≤ 20×'),
    ratioRow(cheap!, '≤ 8×'),
    ratioRow(rel!, '≤ 1.05×'),
  ];
}
