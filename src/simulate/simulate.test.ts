import { describe, expect, it } from 'vitest';
import { subjectNamed } from '../subjects/resolve.ts';
import { runLabels } from '../check/explore/search.ts';
import type { Label } from '../check/model.ts';
import { PctScheduler } from '../strategies/pct.ts';
import { RandomScheduler } from '../strategies/random.ts';
import { Rng } from './Rng.ts';
import { fixedInstance } from './shrink.ts';
import { simInstance } from './simInstance.ts';
import { generatedRun, scriptRun } from './simRun.ts';
import { failureOf, simulate } from './simulate.ts';
import { explorerForm } from './toTrace.ts';

const show = (labels: readonly Label[]) =>
  labels.map((l) => `T${l.t}:${l.op ?? 'step'}${l.op !== undefined && l.frame >= 0 ? `@${l.frame}` : ''}`).join(' ');
const inst = (
  frames: number,
  threads: number,
  steps: number,
  extra: { mutant?: string; refCountMax?: number; ops?: string } = {},
) => simInstance({ frames, threads, steps, ...extra });

describe('simulate on the real implementation', () => {
  it('runs 1,024 frames × 16 threads with every check and finds nothing', () => {
    const r = simulate({
      inst: inst(1024, 16, 20_000),
      runs: 1,
      steps: 20_000,
      seed: 11,
      scheduler: 'random',
      depth: 3,
    });
    expect(r.verdict).toBe('ok');
    expect(r.stats.steps).toBe(7563);
    expect(r.stats.stepsPerSecond).toBe(Math.round(r.stats.steps / r.stats.seconds));
  });

  it('runs PCT, with the allocator managing 200 frames through the wide bitmap', () => {
    const i = inst(200, 6, 6000, { ops: 'alloc,from_in_use,clone,drop,try_into_unique,into_shared,drop_unique' });
    const r = simulate({ inst: i, runs: 3, steps: 6000, seed: 5, scheduler: 'pct', depth: 3 });
    expect([r.verdict, r.stats.scheduler]).toEqual(['ok', 'pct(d=3)']);
  });

  it('is reproducible from the seed', () => {
    const run = () =>
      simulate({ inst: inst(32, 4, 3000), runs: 3, steps: 3000, seed: 99, scheduler: 'random', depth: 1 });
    const a = run();
    const b = run();
    expect([a.stats.steps, a.stats.completed]).toEqual([b.stats.steps, b.stats.completed]);
  });
});

describe('a script replays exactly as the explorer runs its labels', () => {
  it.each([undefined, 'from_in_use_accepts_zero', 'unused_before_meta_drop', 'claim_load_then_store'])(
    'same words and the same verdict (%s)',
    (mutant) => {
      for (let seed = 1; seed <= 40; seed++) {
        const i = inst(3, 3, 60, { refCountMax: 3, ...(mutant !== undefined && { mutant }) });
        const subject = subjectNamed(mutant);
        const g = generatedRun(i, new Rng(seed), new RandomScheduler(), 60, { ...(subject && { subject }) });
        const fixed = fixedInstance(i, g.script);
        const mine = scriptRun(fixed, g.script, subject);
        const ex = explorerForm({ inst: fixed, script: g.script, run: mine, attempts: 0 });
        const theirs = runLabels(ex.inst, ex.labels, false, subject);
        expect(theirs.diverged).toBeUndefined();
        expect(theirs.finding?.property).toBe(mine.finding?.property);
        expect(theirs.finding?.property).toBe(g.finding?.property);
        if (mine.finding === undefined) expect(theirs.states.at(-1)!.words).toEqual(mine.world.mem.words);
      }
    },
  );
});

describe('simulate kills seeded bugs and shrinks them to the explorer\u2019s minimal traces', () => {
  it.each([
    ['from_in_use_accepts_zero', 'linearizability.from_in_use', 'T0:from_unused@0 T1:from_in_use@0 T1:step'],
    ['claim_load_then_store', 'accounting.busy', 'T0:from_unused@0 T1:from_unused_unique@0 T1:step T0:step'],
    ['unused_before_meta_drop', 'MetaSlotOwner::inv.unused', 'T0:from_unused@0 T0:step T0:drop@0 T0:step'],
    [
      'acquire_cas_expects_wrong_value',
      'livelock',
      'T0:from_unused@0 T0:step T0:from_in_use@0 T0:step T0:step T0:step',
    ],
  ])('%s', (mutant, property, trace) => {
    const r = simulate({
      inst: inst(8, 4, 2000, { mutant }),
      subject: subjectNamed(mutant)!,
      runs: 5,
      steps: 2000,
      seed: 1,
      scheduler: 'random',
      depth: 1,
    });
    expect(r.verdict).toBe('violation');
    const f = failureOf(r)!;
    expect([
      f.finding.property,
      f.noTrace,
      show(f.trace!['#meta'].labels.map((l) => ({ ...l, op: l.op ?? undefined }) as Label)),
    ]).toEqual([property, undefined, trace]);
  });

  it("replays the shrunk failure in the explorer against the subject it was found in, not the instance's name", () => {
    // A subject the instance does not name (as a third party's implementation is): the explorer's
    // replay must run it too, or it finds no violation and no trace is written.
    const r = simulate({
      inst: inst(8, 4, 2000),
      subject: subjectNamed('unused_before_meta_drop')!,
      runs: 5,
      steps: 2000,
      seed: 1,
      scheduler: 'random',
      depth: 1,
    });
    const f = failureOf(r)!;
    expect([f.finding.property, f.noTrace]).toEqual(['MetaSlotOwner::inv.unused', undefined]);
    expect(show(f.trace!['#meta'].labels.map((l) => ({ ...l, op: l.op ?? undefined }) as Label))).toBe(
      'T0:from_unused@0 T0:step T0:drop@0 T0:step',
    );
  });

  it('finds the overflow bug with PCT on a small count limit', () => {
    const r = simulate({
      inst: inst(4, 3, 3000, { mutant: 'no_overflow_abort', refCountMax: 2 }),
      subject: subjectNamed('no_overflow_abort')!,
      runs: 20,
      steps: 3000,
      seed: 3,
      scheduler: 'pct',
      depth: 2,
    });
    expect(failureOf(r)?.finding.property).toBe('MetaSlotOwner::inv.illegal_band');
  });
});

describe('PCT', () => {
  it('runs the highest-priority thread until a change point demotes it', () => {
    const pct = new PctScheduler(2);
    pct.begin(new Rng(4), 3, 10);
    const first = pct.pick([0, 1, 2], 0);
    const picks = Array.from({ length: 10 }, (_, k) => pct.pick([0, 1, 2], k + 1));
    const switchAt = picks.findIndex((t) => t !== first);
    expect(switchAt === -1 || picks.slice(switchAt).every((t) => t !== first)).toBe(true);
  });
});
