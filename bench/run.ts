/**
 * `npm run bench`: every benchmark, printed as tables of ratios against baselines measured in the
 * same run.
 */
import { bootBench } from './boot.bench.ts';
import { metaSlotBench } from './metaSlot.bench.ts';

const sections: (() => Promise<string[]>)[] = [metaSlotBench, bootBench];
for (const s of sections) {
  for (const line of await s()) console.log(line);
  console.log('');
}
