/**
 * The reductions are sound: on every mutant the explorer runs (region and frame-layer mutants) and on
 * the correct implementations, over a grid of instances, the verdict is the same with and without
 * each reduction (symmetry; partial-order reduction: persistent sets, and sleep sets on top), and a
 * counterexample found with reductions is no longer than the shortest one found without.
 */
import { describe, expect, it } from 'vitest';
import { allMutants, mutantByName } from '../../mutants/catalog.ts';
import { buildInstance, type InstanceFlags } from '../instance.ts';
import { explore, runLabels, type SearchResult } from './search.ts';
import { exploreParallel } from './parallel.ts';
import { subjectNamed, subjectOf } from '../../subjects/resolve.ts';
import { opDef } from '../../ops/opTable.ts';
import { MetaRegion, type MetaRegionOptions } from '../../../impl/meta/MetaSlot.ts';
import type { FrameOpName } from '../../../spec/protocol/FrameProtocol.ts';

const limits = { maxStates: 3_000_000, timeLimitMs: 300_000, maxMemoryBytes: 4 * 2 ** 30 };
const BASIC = 'from_unused,from_in_use,drop';
const UNIQUE = 'from_unused,from_unused_unique,from_in_use,clone,drop,into_shared,try_into_unique,drop_unique';
const ALLOC = 'alloc,from_in_use,clone,drop';
const CLONE = 'from_unused,from_in_use,clone,drop';
const READS = 'from_unused,from_in_use,meta,read,drop';
const SEGMENT = 'from_unused,segment_split,segment_drop,drop';
const LIST = 'from_unused_unique,list_drop,drop_unique';
/** Fixed programs: each thread's future is the frames its remaining steps name. */
const FIXED = '0:from_unused@0,from_in_use@1;1:from_in_use@0,from_unused@1;2:from_unused@1,from_in_use@0,drop@0';

/** The grid: small enough to run every configuration on every subject. */
const GRID: readonly InstanceFlags[] = [
  ...[1, 2].flatMap((frames) => [1, 2, 3].map((depth) => ({ frames, threads: 2, depth, ops: BASIC }))),
  ...[1, 2].flatMap((frames) => [1, 2].map((depth) => ({ frames, threads: 3, depth, ops: BASIC }))),
  { frames: 3, threads: 2, depth: 2, ops: BASIC },
  { frames: 2, threads: 4, depth: 1, ops: BASIC },
  { frames: 1, threads: 2, depth: 2, ops: UNIQUE, refCountMax: 3 },
  { frames: 2, threads: 2, depth: 1, ops: UNIQUE },
  { frames: 2, threads: 2, depth: 2, ops: ALLOC },
  { frames: 1, threads: 3, depth: 1, ops: ALLOC },
  { frames: 2, threads: 3, depth: 1, ops: CLONE },
  { frames: 2, threads: 2, depth: 2, ops: READS },
  { frames: 2, threads: 2, depth: 2, ops: SEGMENT },
  { frames: 2, threads: 2, depth: 2, ops: LIST },
  { frames: 2, threads: 3, program: FIXED },
];

/** Whether an instance runs operations that need the unique state (absent from the legacy protocol). */
const needsUnique = (f: InstanceFlags) =>
  f.ops !== undefined && f.ops.split(',').some((o) => opDef(o as FrameOpName).unique);

const CONFIGS = [
  { symmetry: false, por: false },
  { symmetry: true, por: false },
  { symmetry: false, por: true },
  { symmetry: true, por: true },
  { symmetry: true, por: true },
] as const;

const build = (f: InstanceFlags) => buildInstance(f, (n) => mutantByName(n) !== undefined);

/** Each configuration's result; the last adds sleep sets to both reductions. */
function verdicts(f: InstanceFlags): SearchResult[] {
  const subject = f.mutant === undefined ? {} : { subject: subjectNamed(f.mutant)! };
  return CONFIGS.map((c, k) =>
    explore(build({ refCountMax: 2, ...f, ...c }), { limits, sleepSets: k === CONFIGS.length - 1, ...subject }),
  );
}

/** Each configuration's verdict, and for a violation whether its trace replays to one. */
function summary(f: InstanceFlags, rs: readonly SearchResult[]): string[] {
  return rs.map((r, k) => {
    if (r.verdict !== 'violation') return r.verdict;
    const i = build({ refCountMax: 2, ...f, ...CONFIGS[k]! });
    const run = runLabels(i, r.violation.labels, true, subjectOf(i));
    return run.finding === undefined ? 'violation (does not replay)' : 'violation';
  });
}

const explorerMutants = allMutants().filter((m) => m.region !== undefined || m.layer !== undefined);

/** A correct region that also reads the next frame's reference count when it drops a frame's last handle. */
class PeeksAtNextSlot extends MetaRegion {
  override dropLastInPlace(slot: number): void {
    this.refCount((slot + 1) % this.nslots);
    super.dropLastInPlace(slot);
  }
}

describe('footprints the persistent sets cannot trust', () => {
  it('an implementation touching another frame than its own is searched again without them', () => {
    const f = { frames: 2, threads: 2, depth: 2, ops: BASIC, refCountMax: 2 };
    const subject = { region: (o: MetaRegionOptions) => new PeeksAtNextSlot(o) };
    const run = (por: boolean, s?: typeof subject) =>
      explore(build({ ...f, por }), { limits, ...(s && { subject: s }) });
    // On the correct region the persistent sets leave states out; on the one that peeks they cannot.
    expect(run(true).states).toBeLessThan(run(false).states);
    const peeking = run(true, subject);
    expect(peeking.verdict).toBe('ok');
    expect(peeking.reductions.por).toBe(false);
    expect(peeking.states).toBe(run(false, subject).states);
  });

  it('the level-synchronized search does the same', () => {
    const f = { frames: 2, threads: 2, depth: 2, ops: BASIC, refCountMax: 2 };
    const subject = { region: (o: MetaRegionOptions) => new PeeksAtNextSlot(o) };
    // With a subject and no worker script the search runs on this thread alone, through the same
    // participant code the workers run.
    const run = (por: boolean, s?: typeof subject, shard?: { index: number; count: number }) =>
      exploreParallel(build({ ...f, por }), { workers: 2, limits, ...(s && { subject: s }), ...(shard && { shard }) });
    expect(run(true).result.states).toBeLessThan(run(false).result.states);
    const peeking = run(true, subject);
    expect(peeking.escaped).toBe(true);
    expect(peeking.result.verdict).toBe('ok');
    expect(peeking.result.reductions.por).toBe(false);
    expect(peeking.result.states).toBe(run(false, subject).result.states);
    // A shard's part was cut by the persistent sets: it does not pass for complete.
    const part = run(true, subject, { index: 0, count: 2 }).result;
    expect(part.verdict).toBe('incomplete');
    expect(part.verdict === 'incomplete' && part.reason).toMatch(/--no-por/);
  });
});

describe('reductions keep the verdict', () => {
  it('covers every explorer mutant of the catalog', () => {
    expect(explorerMutants.length).toBeGreaterThanOrEqual(15);
  });

  it.each(['current', 'legacy'] as const)(
    'on the correct implementation (%s), every grid instance is ok',
    (variant) => {
      let pruned = 0;
      for (const f of GRID) {
        if (variant === 'legacy' && needsUnique(f)) continue;
        const rs = verdicts({ ...f, variant });
        expect(
          rs.map((r) => r.verdict),
          JSON.stringify(f),
        ).toEqual(CONFIGS.map(() => 'ok'));
        // Each reduction explores at most the states of no reduction.
        for (const r of rs.slice(1)) expect(r.states).toBeLessThanOrEqual(rs[0]!.states);
        if (rs[2]!.states < rs[0]!.states) pruned++;
      }
      // The persistent sets leave states out (the comparison is not between two unreduced searches).
      expect(pruned).toBeGreaterThanOrEqual(GRID.length / 2);
    },
  );

  it.each(explorerMutants.map((m) => m.name))('on mutant %s', (name) => {
    for (const f of GRID) {
      const flags = { ...f, mutant: name };
      const rs = verdicts(flags);
      const got = summary(flags, rs);
      expect(got, JSON.stringify(f)).toEqual(new Array(CONFIGS.length).fill(got[0]));
      expect(got[0]).not.toBe('violation (does not replay)');
      const lengths = rs.map((r) => (r.verdict === 'violation' ? r.violation.labels.length : 0));
      for (const n of lengths.slice(1)) expect(n, JSON.stringify(f)).toBeLessThanOrEqual(lengths[0]!);
    }
  });
});
