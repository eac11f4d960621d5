import { describe, expect, it } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { Ordering, type Memory } from '../../impl/meta/memory.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { ThreadContracts } from './threadContracts.ts';
import { TrackingMemory } from './trackingMemory.ts';

/** A region on tracked memory, its frame layer and a worker's contract checker over them. */
function rig() {
  let tracking: TrackingMemory | undefined;
  const region = new MetaRegion({
    maxPaddr: 4 * PAGE_SIZE,
    wrapMemory: (m: Memory) => (tracking = new TrackingMemory(m)),
  });
  const layer = new FrameLayer(region);
  const contracts = new ThreadContracts(region, tracking!);
  return { region, layer, contracts };
}

describe('a worker checks its own drops on their footprint', () => {
  it('a drop that is not the last: checked, no violation; the last drop is left to the audit', () => {
    const { layer, contracts } = rig();
    layer.fromUnused(0, unit(KernelMeta));
    layer.clone(0);
    contracts.begin();
    layer.drop(0);
    contracts.end('drop', 0, undefined);
    contracts.begin();
    layer.drop(0);
    contracts.end('drop', 0, undefined);
    expect(contracts.checked).toBe(1);
    expect(contracts.violations).toEqual([]);
  });

  it('a drop that releases two references is blamed on the implementation (dec)', () => {
    const { region, layer, contracts } = rig();
    layer.fromUnused(0, unit(KernelMeta));
    layer.clone(0);
    layer.clone(0);
    contracts.begin();
    layer.drop(0);
    region.mem.fetchSub(region.refCountWord(0), 1n, Ordering.Release);
    contracts.end('drop', 0, undefined);
    expect(contracts.violations.some((l) => l.startsWith('Frame::drop.ensures.dec (blame: implementation)'))).toBe(
      true,
    );
  });
});
