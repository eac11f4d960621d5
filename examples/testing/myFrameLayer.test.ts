/**
 * Checking your own frame layer against framecheck's spec, from your own vitest suite: the example of
 * README's "Testing your implementation" section, run as a test. Outside this repository, import from
 * 'framecheck/testing' and 'framecheck' instead of the two relative paths.
 */
import { describe, expect, it } from 'vitest';
import { assertFrameLayer, assertInterleavings, checkFrameLayer } from '../../src/testing/index.ts';
import { FrameLayer, type SlotPtr } from '../../src/index.ts';

/** Your implementation: here, the real frame layer, counting the frames it released. */
class CountingFrameLayer extends FrameLayer {
  released = 0;
  override drop(slot: SlotPtr): boolean {
    const last = super.drop(slot);
    if (last) this.released++;
    return last;
  }
}

/** A buggy one: `into_shared` publishes a count of 2. */
class BuggyFrameLayer extends FrameLayer {
  override intoShared(slot: SlotPtr): void {
    this.region.mem.store(this.region.refCountWord(slot), 2n, 2);
  }
}

describe('my frame layer', () => {
  it('agrees with the spec on random operation sequences', () => {
    assertFrameLayer(
      { layer: (region, allocator) => new CountingFrameLayer(region, allocator) },
      { numRuns: 200, seed: 1 },
    );
  });

  it('agrees with the spec under the interleavings fast-check schedules', async () => {
    await assertInterleavings(
      { layer: (region, allocator) => new CountingFrameLayer(region, allocator) },
      { numRuns: 100, seed: 1 },
    );
  });

  it('a bug is reported with the shortest sequence that shows it', () => {
    const r = checkFrameLayer(
      { layer: (region, allocator) => new BuggyFrameLayer(region, allocator) },
      { numRuns: 200, seed: 1 },
    );
    expect(r).toMatchObject({
      ok: false,
      counterexample: 'from_unused_unique(0),into_shared(0)',
      error: 'into_shared(0) left count 2; the spec leaves 1',
    });
  });
});
