import { describe, expect, it } from 'vitest';
import { runLabels } from './explore/search.ts';
import { buildInstance } from './instance.ts';
import { timelineText } from './timeline.ts';
import { mutantByName } from '../mutants/catalog.ts';

const inst = buildInstance(
  { frames: 1, threads: 2, depth: 1, ops: 'from_unused,from_in_use,drop' },
  (n) => mutantByName(n) !== undefined,
);

describe('timelineText', () => {
  it('prints each step with its atomic access and the value it read', () => {
    const run = runLabels(
      inst,
      [
        { t: 0, op: 'from_unused', frame: 0 },
        { t: 0, op: undefined, frame: 0 },
        { t: 1, op: 'from_in_use', frame: 0 },
        { t: 1, op: undefined, frame: 0 },
      ],
      false,
    );
    expect(timelineText(run, 2).map((l) => l.replace(/ +/g, ' ').trimEnd())).toEqual([
      'step T0 T1 slot 0',
      '1 starts from_unused(0): ref_count.compare_exchange(UNUSED, 0) -> UNUSED UNUSED → 0 meta',
      '2 continues: ref_count.store(1) → ok 0 meta → 1 meta',
      '3 starts from_in_use(0): ref_count.load() -> 1 1 meta',
      '4 continues: ref_count.compare_exchange(1, 2) -> 1 → ok 1 meta → 2 meta',
    ]);
  });
});
