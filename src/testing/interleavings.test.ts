import { describe, expect, it } from 'vitest';
import { mutantByName } from '../mutants/catalog.ts';
import { assertInterleavings, checkInterleavings } from './interleavings.ts';

describe('checkInterleavings (fc.scheduler)', () => {
  it('passes the real implementation on two threads over one and two frames', async () => {
    expect(await checkInterleavings({}, { numRuns: 150, seed: 2 })).toEqual({ ok: true, numRuns: 150, seed: 2 });
    await expect(assertInterleavings({}, { numRuns: 60, seed: 3, frames: 2, threads: 3 })).resolves.toBeUndefined();
  });

  it('finds a race a sequential test cannot see, with its atomic steps', async () => {
    const r = await checkInterleavings(mutantByName('claim_load_then_store')!, { numRuns: 300, seed: 1 });
    expect(r).toMatchObject({ ok: false, property: 'accounting.busy' });
    // Two claims of frame 0 started before either finishes: the interleaving a sequential test never runs.
    expect(r.steps).toMatch(/^T(\d):from_unused\S*@0 T(?!\1)\d:from_unused\S*@0 (T\d:\S+ ?)*T\d:step/);
  });
});
