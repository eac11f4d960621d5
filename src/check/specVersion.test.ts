/**
 * `check --spec head`: the explorer evaluates vostd HEAD's `MetaSlotOwner::inv` conjuncts (HEAD names
 * and texts, counted apart in clause coverage) instead of the seed's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildInstance } from './instance.ts';
import { World } from './world.ts';
import { slotFindings } from './checks.ts';
import { coverageSnapshot, setCoverageEnabled } from '../contract/coverage.ts';

/** The words of the initial state with slot 0's metadata live while its count says UNUSED. */
function brokenWords(w: World): bigint[] {
  const words = w.initialWords();
  words[w.region.layout.vtable] = 1n;
  return words;
}

describe('check --spec', () => {
  afterEach(() => setCoverageEnabled(false));

  it.each([
    ['seed', undefined, 'inner_perms.ref_count.value() == REF_COUNT_UNUSED'],
    ['head', 'head' as const, 'self.storage_perm().is_uninit()'],
  ])('%s: a slot whose metadata outlives UNUSED breaks that spec’s MetaSlotOwner::inv.unused', (_n, spec, text) => {
    const w = new World(
      buildInstance({ frames: 1, threads: 1, depth: 1, ...(spec && { spec }) }, () => true),
      undefined,
    );
    const f = slotFindings(w, brokenWords(w), 0);
    expect(f.map((x) => x.property)).toContain('MetaSlotOwner::inv.unused');
    expect(f.find((x) => x.property === 'MetaSlotOwner::inv.unused')!.verus).toContain(text);
  });

  it('head evaluates the HEAD conjuncts only, counted under head: keys', () => {
    setCoverageEnabled(true);
    const w = new World(
      buildInstance({ frames: 1, threads: 1, depth: 1, spec: 'head' }, () => true),
      undefined,
    );
    slotFindings(w, brokenWords(w), 0);
    const keys = [...coverageSnapshot().keys()];
    expect(keys).toContain('head:MetaSlotOwner::inv.slot_vaddr_in_range');
    expect(keys).not.toContain('head:MetaSlotOwner::inv.self_addr_in_range');
    expect(keys).not.toContain('head:MetaSlotOwner::inv.paths_finite');
  });
});
