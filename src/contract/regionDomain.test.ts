/**
 * The domain conjuncts of `MetaRegionOwners::inv()` at the entries a ghost step changed: wrong proof code
 * that parks a permission or records an owner outside the region, or extracts an untouched slot's
 * permission, is reported as the conjunct it breaks, on the MetaSlot layer and on the frame layer.
 */
import { describe, expect, it } from 'vitest';
import {
  entriesChanged,
  extractSlotPerm,
  initialRegion,
  reparkSlotPerm,
  slotOwner,
  slotPerm,
  withSlotOwner,
} from '../../spec/meta/MetaRegionOwners.ts';
import { withOwnerFields } from '../../spec/meta/MetaSlotOwner.ts';
import { invariantsOf } from '../../spec/head/specSet.ts';
import { MAX_META_SLOTS, modelParams, PAGE_SIZE } from '../../spec/vocab.ts';
import { clauseMutants } from '../mutants/catalog.ts';
import { runClauseMutant } from '../mutants/engines/clauseEngine.ts';
import { domainChecks } from './regionDomain.ts';

const p = modelParams({ protocol: 'current', maxPaddr: 4 * PAGE_SIZE, refCountMax: 3n });
const r0 = initialRegion(p);
const failing = (checks: ReturnType<typeof domainChecks>) =>
  checks.filter((c) => !(c.clause.holds as (x: unknown) => boolean)(c.ctx)).map((c) => c.clause.name);

describe('entriesChanged', () => {
  it('names the keys added, removed or changed in either map, inside the region or not', () => {
    const perm = slotPerm(r0, 1)!;
    let r = reparkSlotPerm(r0, MAX_META_SLOTS, perm);
    r = extractSlotPerm(r, 2);
    r = withSlotOwner(r, 3, withOwnerFields(slotOwner(r, 3), { usage: 'Kernel' }));
    expect(entriesChanged(r0, r)).toEqual([2, 3, MAX_META_SLOTS]);
    expect(entriesChanged(r, r)).toEqual([]);
    expect(entriesChanged(r, r0)).toEqual([2, 3, MAX_META_SLOTS]);
  });
});

describe('domainChecks', () => {
  const seed = invariantsOf('seed');

  it('reports slots_domain for a permission parked at max_meta_slots(), owners_domain and owners_have_slots for an owner there', () => {
    const parked = reparkSlotPerm(r0, MAX_META_SLOTS, slotPerm(r0, 0)!);
    expect(failing(domainChecks(seed, r0, parked, [0], p))).toEqual(['MetaRegionOwners::inv.slots_domain']);
    const owned = withSlotOwner(r0, MAX_META_SLOTS, withOwnerFields(slotOwner(r0, 0), { usage: 'Frame' }));
    // The owner there has no permission beside it either.
    expect(failing(domainChecks(seed, r0, owned, [0], p))).toEqual([
      'MetaRegionOwners::inv.owners_domain',
      'MetaRegionOwners::inv.owners_have_slots',
    ]);
  });

  it('reports owners_have_slots for a permission extracted at an untouched slot, not at a touched one', () => {
    const r = extractSlotPerm(r0, 2);
    expect(failing(domainChecks(seed, r0, r, [0], p))).toEqual(['MetaRegionOwners::inv.owners_have_slots']);
    expect(domainChecks(seed, r0, r, [2], p)).toEqual([]);
  });

  it('checks nothing when the maps are the same', () => {
    expect(domainChecks(seed, r0, r0, [], p)).toEqual([]);
  });
});

describe('on the checked layers (clause mutants)', () => {
  const run = (name: string) => {
    const m = clauseMutants().find((x) => x.name === name);
    expect(m, name).toBeDefined();
    return runClauseMutant(m!).clauses;
  };

  it('a MetaSlot-layer ghost step parking a permission at max_meta_slots() breaks slots_domain', () => {
    expect(run('get_from_in_use/proof-slots-grown')).toContain('MetaRegionOwners::inv.slots_domain');
  });

  it('a frame-layer ghost step parking a permission at max_meta_slots() breaks slots_domain', () => {
    expect(run('Frame::clone/proof-slots-grown')).toContain('MetaRegionOwners::inv.slots_domain');
  });

  it('a frame-layer ghost step recording an owner at max_meta_slots() breaks owners_domain', () => {
    expect(run('Frame::clone/proof-domain-grown')).toContain('MetaRegionOwners::inv.owners_domain');
  });
});
