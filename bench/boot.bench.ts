/**
 * The boot simulation on the 24 GiB QEMU q35 map (`max_paddr` 26 GiB, 6,815,744 frames) against the
 * cost of its metadata region alone.
 *
 * Baseline: construct the `MetaRegion` for the same `max_paddr` and write one word in every 16 MiB of
 * slots, which materializes every chunk and initializes every slot unused — what a dense region (and
 * upstream's `alloc_meta_frames`, which writes all 6.8 M slots) pays before boot does anything.
 * Measured: `bootOstd` end to end (early allocator, `meta::init`, `allocator::init`, the accounting
 * and every invariant check, including the buddy allocator's full audit), and the DragonOS flavor.
 */
import { readFileSync } from 'node:fs';
import { MetaRegion } from '../impl/meta/MetaSlot.ts';
import { bootDragonos } from '../src/boot/dragonosBoot.ts';
import { bootOstd } from '../src/boot/ostdBoot.ts';
import { parseMemoryMap } from '../src/boot/parseMemoryMap.ts';
import { measure, type Measure } from './harness.ts';

const MAP = 'src/boot/fixtures/qemu-q35-24g.dmesg.txt';
const MAX_PADDR = 0x6_8000_0000;

function regions() {
  const p = parseMemoryMap(readFileSync(MAP, 'utf8'));
  if (!p.ok) throw new Error(`${MAP}: ${p.error}`);
  return p.regions;
}

function denseRegion(): void {
  const r = new MetaRegion({ maxPaddr: MAX_PADDR });
  const { wordsPerSlot, vtable } = r.layout;
  for (let slot = 0; slot < r.nslots; slot += 4096) r.mem.writePlain(slot * wordsPerSlot + vtable, 0n);
}

/** A table row in milliseconds per boot, with the ratio against `base`. */
function msRow(m: Measure, base: Measure, target?: string): string {
  const ms = (m.nsPerOp / 1e6).toFixed(0).padStart(10);
  const ratio = (m.nsPerOp / base.nsPerOp).toFixed(2).padStart(8);
  return `${m.name.padEnd(62)} ${ms} ms/boot ${ratio}×${target ? `   (target ${target})` : ''}`;
}

/** Runs the boot benchmark and returns the printed lines. */
export async function bootBench(): Promise<string[]> {
  const map = regions();
  const once = { n: 1, rounds: 3 };
  const base = measure('MetaRegion for 26 GiB, every chunk touched (the baseline)', denseRegion, once);
  const ostd = measure('bootOstd, 24 GiB map, with accounting and audits', () => void bootOstd(map), once);
  const dragonos = measure('bootDragonos, 24 GiB map, with accounting and audits', () => void bootDragonos(map), once);
  return [
    '## Boot simulation on the 24 GiB map (median ms per boot)',
    msRow(base, base),
    msRow(ostd, base, '≤ 3×'),
    msRow(dragonos, base),
  ];
}
