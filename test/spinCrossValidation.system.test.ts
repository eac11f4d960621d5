/**
 * Cross-validation with the SPIN peer model: on the correct protocol and on the same seeded bugs,
 * framecheck's verdict (over the real implementation) agrees with SPIN's (over the Promela model).
 * Needs `spin` and `gcc` (`.ci/run` installs Debian's spin when missing); fails with "install" when absent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { explore } from '../src/check/explore/search.ts';
import { buildInstance } from '../src/check/instance.ts';
import { mutantByName } from '../src/mutants/catalog.ts';
import { runSpin, spinMissing, SPIN_MUTANTS } from './spinPeer.ts';
import { requireTools } from './systemTools.ts';

const limits = { maxStates: 5_000_000, timeLimitMs: 120_000, maxMemoryBytes: 4 * 2 ** 30 };
// A smaller instance than the canonical one keeps this test quick: 2 threads, 2 slots, 2 ops each.
const SPIN_SMALL = ['NTHREADS=2', 'OPS=2'];
const ours = (mutant?: string) =>
  explore(
    buildInstance(
      {
        frames: 2,
        threads: 2,
        depth: 2,
        ops: 'from_unused,from_in_use,drop',
        refCountMax: 2,
        ...(mutant !== undefined && { mutant }),
      },
      (n) => mutantByName(n) !== undefined,
    ),
    // the subject is resolved here, at the edge: the mutant, or the real implementation
    { limits, ...(mutant !== undefined && { subject: mutantByName(mutant)! }) },
  ).verdict;

describe('framecheck agrees with SPIN', () => {
  beforeAll(() => requireTools(spinMissing()));

  it('on the correct protocol: both find nothing', () => {
    expect(runSpin({ defines: SPIN_SMALL }).errors).toBe(0);
    expect(ours()).toBe('ok');
  });

  it('with unique frames: both find nothing', () => {
    expect(runSpin({ defines: [...SPIN_SMALL, 'WITH_UNIQUE'] }).errors).toBe(0);
    const inst = buildInstance(
      {
        frames: 2,
        threads: 2,
        depth: 2,
        ops: 'from_unused,from_unused_unique,from_in_use,drop,drop_unique',
        refCountMax: 2,
      },
      () => true,
    );
    expect(explore(inst, { limits }).verdict).toBe('ok');
  });

  it.each(Object.keys(SPIN_MUTANTS))('on mutant %s: both find a violation', (name) => {
    const spin = SPIN_MUTANTS[name]!;
    expect(runSpin({ ...spin, defines: [...SPIN_SMALL, ...(spin.defines ?? [])] }).errors).toBeGreaterThan(0);
    expect(ours(name)).toBe('violation');
  });
});
