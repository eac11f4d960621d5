import { describe, expect, it } from 'vitest';
import { runLabels } from './explore/search.ts';
import { buildInstance, type Instance } from './instance.ts';
import { timelineRows, timelineText } from './timeline.ts';
import type { Label } from './model.ts';
import { mutantByName } from '../mutants/catalog.ts';
import { subjectOf } from '../subjects/resolve.ts';

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

const one = (mutant: string, frames = 1) =>
  buildInstance(
    { frames, threads: 1, depth: 2, ops: 'from_unused,from_in_use,drop', refCountMax: 2, mutant },
    (n) => mutantByName(n) !== undefined,
  );
/** Labels from the compact form the search tests use: `T0:from_unused@0 T0:step`. */
const labels = (s: string) =>
  s
    .split(' ')
    .filter((x) => x !== '')
    .map((x) => {
      const [t, rest] = x.slice(1).split(':') as [string, string];
      const [op, f] = rest.split('@');
      return { t: Number(t), op: op === 'step' ? undefined : (op as 'from_unused'), frame: Number(f ?? 0) };
    });
/** A concrete run of a mutant's instance, its subject resolved as the CLI does. */
const runOne = (i: Instance, path: readonly Label[]) => runLabels(i, path, false, subjectOf(i));
const text = (run: ReturnType<typeof runLabels>) => timelineText(run, 1).map((l) => l.replace(/ +/g, ' ').trimEnd());

describe('timeline marks', () => {
  it('a violation in the initial state: the initial state row, marked', () => {
    const run = runOne(one('frame_to_meta_wrong_slot_size', 2), []);
    expect(run.finding?.property).toBe('accounting.busy');
    expect(text(run)).toEqual([
      'step T0 slot 0 slot 1',
      '0 initial state UNUSED UNUSED ✗ accounting.busy broken in the initial state',
    ]);
    expect(timelineRows(run)).toEqual([
      {
        step: 0,
        thread: -1,
        action: 'initial state',
        slots: [
          { before: 'UNUSED', after: 'UNUSED', changed: false },
          { before: 'UNUSED', after: 'UNUSED', changed: false },
        ],
        mark: '✗ accounting.busy broken in the initial state',
      },
    ]);
  });

  it('a mid-step invariant failure: the step is marked with the access after which the slot broke', () => {
    const run = runOne(one('unused_before_meta_drop'), labels('T0:from_unused@0 T0:step T0:drop@0 T0:step'));
    expect(run.finding?.property).toBe('MetaSlotOwner::inv.unused');
    expect(text(run).slice(3)).toEqual([
      '3 starts drop(0): ref_count.fetch_sub(1) -> 1 1 meta → 0 meta',
      '4 continues: ref_count.store(UNUSED) → ok:last 0 meta → UNUSED ✗ MetaSlotOwner::inv.unused broken mid-step, right after ref_count.store(UNUSED)',
    ]);
  });

  it('a livelock: where the repeating cycle starts and where it ends', () => {
    const path = 'T0:from_unused@0 T0:step T0:from_in_use@0 T0:step T0:step T0:step';
    const run = runOne(one('acquire_cas_expects_wrong_value'), labels(path));
    expect(run.finding?.property).toBe('livelock');
    expect(text(run).slice(3)).toEqual([
      '3 starts from_in_use(0): ref_count.load() -> 1 1 meta',
      '4 continues: ref_count.compare_exchange(…) -> 1 (failed) 1 meta',
      '5 continues: ref_count.load() -> 1 1 meta ⟲ cycle starts: steps 5–6 repeat forever',
      '6 continues: ref_count.compare_exchange(…) -> 1 (failed) 1 meta ⟲ cycle ends: back to step 5',
    ]);
  });

  it('a run without a violation marks nothing', () => {
    const run = runLabels(inst, labels('T0:from_unused@0 T0:step'), false);
    expect(timelineRows(run).map((r) => r.mark)).toEqual([undefined, undefined]);
  });
});

describe('showAccess', () => {
  it("names the allocator's word as the allocator's, not as a slot beyond the last", () => {
    const two = buildInstance({ frames: 2, threads: 1, depth: 1, ops: 'alloc' }, (n) => mutantByName(n) !== undefined);
    const run = runLabels(two, [{ t: 0, op: 'alloc', frame: -1 }], false);
    expect(timelineRows(run).map((r) => r.action)).toEqual(['T0 starts alloc(): allocator.load() -> 3']);
  });
});
