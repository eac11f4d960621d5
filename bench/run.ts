/**
 * `npm run bench [-- NAME…]`: every benchmark (or the named ones), printed as tables of ratios against
 * baselines measured in the same run.
 */
import { bootBench } from './boot.bench.ts';
import { contractsBench } from './contracts.bench.ts';
import { framesBench } from './frames.bench.ts';
import { metaSlotBench } from './metaSlot.bench.ts';
import { simulateBench } from './simulate.bench.ts';
import { spinBench } from './spin.bench.ts';
import { stressBench } from './stress.bench.ts';
import { validateBench } from './validate.bench.ts';
import { rc11Bench } from './rc11.bench.ts';
import { workersBench } from './workers.bench.ts';
import { strategiesBench } from './strategies.bench.ts';

const sections: Record<string, () => Promise<string[]>> = {
  metaslot: metaSlotBench,
  contracts: contractsBench,
  frames: framesBench,
  boot: bootBench,
  spin: async () => [...(await spinBench()), '', ...(await workersBench())],
  workers: workersBench,
  validate: validateBench,
  simulate: simulateBench,
  stress: stressBench,
  rc11: rc11Bench,
  strategies: strategiesBench,
};
const wanted = process.argv.slice(2);
for (const name of wanted)
  if (!(name in sections)) throw new Error(`unknown benchmark '${name}' (${Object.keys(sections).join(', ')})`);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  for (const line of await run()) console.log(line);
  console.log('');
}
