/**
 * Subjects are resolved outside the engine: the engine refuses an instance that names a mutant but
 * was handed no subject (it would report the real implementation's verdict as the mutant's), and the
 * parallel search's workers rebuild a mutant from its name.
 */
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../check/instance.ts';
import { World } from '../check/world.ts';
import { explore } from '../check/explore/search.ts';
import { exploreParallel } from '../check/explore/parallel.ts';
import { mutantByName } from '../mutants/catalog.ts';
import { parallelSubject, subjectNamed, subjectOf } from './resolve.ts';

const limits = { maxStates: 1_000_000, timeLimitMs: 120_000, maxMemoryBytes: 2 ** 31 };
const mutant = (name: string) =>
  buildInstance(
    { frames: 1, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop', refCountMax: 2, mutant: name },
    (n) => mutantByName(n) !== undefined,
  );

describe('subjects', () => {
  it('resolves a mutant by name, and no name to framecheck’s own implementation', () => {
    expect(subjectNamed('claim_load_then_store')).toBe(mutantByName('claim_load_then_store'));
    expect(subjectNamed(undefined)).toBeUndefined();
    expect(subjectOf(mutant('claim_load_then_store'))).toBe(mutantByName('claim_load_then_store'));
  });

  it('the engine refuses a mutant’s instance without its subject', () => {
    const inst = mutant('claim_load_then_store');
    expect(() => new World(inst, undefined)).toThrow(/without its subject/);
    expect(() => explore(inst, { limits })).toThrow(/without its subject/);
  });

  it('the parallel search runs the subject in its one-thread probe too', () => {
    const inst = mutant('claim_load_then_store');
    const r = exploreParallel(inst, { workers: 2, limits, ...parallelSubject(inst) }).result;
    expect(r.verdict).toBe('violation');
  });

  it('the parallel workers rebuild the mutant from its name and kill it', () => {
    const inst = mutant('claim_load_then_store');
    const seq = explore(inst, { limits, subject: subjectOf(inst)! });
    const par = exploreParallel(inst, { workers: 2, limits, probeStates: 0, handoff: 2, ...parallelSubject(inst) });
    expect(seq.verdict).toBe('violation');
    expect(par.result.verdict).toBe('violation');
    if (seq.verdict === 'violation' && par.result.verdict === 'violation')
      expect(par.result.violation.labels.length).toBe(seq.violation.labels.length);
  });
});
