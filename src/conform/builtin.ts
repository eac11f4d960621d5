/**
 * framecheck's own implementation, both protocol variants and every mutant of the MetaSlot and Frame
 * layers, exposed through the conformance interface: they are its first users (and every mutant must
 * fail `conform`). Named `framecheck:current`, `framecheck:legacy` and `framecheck:mutant/NAME`.
 */
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { LegacyMetaRegion, MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { allMutants, mutantByName, type Mutant } from '../mutants/catalog.ts';
import type { FrameOps, ImplementationModule, ImplementationOptions } from './Implementation.ts';

/** The frame layer of a region, with the allocator wired as the explorer wires it. */
function layerOf(o: ImplementationOptions, mutant: Mutant | undefined): FrameLayer {
  const legacy = o.protocol === 'legacy';
  const opts: MetaRegionOptions = { maxPaddr: o.maxPaddr, refCountMax: o.refCountMax, memory: o.memory };
  const region = mutant?.region
    ? mutant.region(opts, legacy)
    : legacy
      ? new LegacyMetaRegion(opts)
      : new MetaRegion(opts);
  const alloc = { dealloc: (paddr: number, _size: number) => o.dealloc(paddr) };
  // The legacy protocol deallocates inside drop_last_in_place; the current one in the frame layer.
  if (region instanceof LegacyMetaRegion) region.dealloc = (paddr) => o.dealloc(paddr);
  const layerAlloc = legacy ? { dealloc: () => undefined } : alloc;
  return mutant?.layer ? mutant.layer(region, layerAlloc) : new FrameLayer(region, layerAlloc);
}

/** The operations of a frame layer. */
function opsOf(l: FrameLayer, legacy: boolean): FrameOps {
  const shared: FrameOps = {
    fromUnused: (paddr, meta) => l.fromUnused(paddr, meta),
    fromInUse: (paddr) => l.fromInUse(paddr),
    clone: (slot) => l.clone(slot),
    drop: (slot) => l.drop(slot),
  };
  if (legacy) return shared;
  return {
    ...shared,
    uniqueFromUnused: (paddr, meta) => l.uniqueFromUnused(paddr, meta),
    intoShared: (slot) => l.intoShared(slot),
    tryIntoUnique: (slot) => l.tryIntoUnique(slot),
    dropUnique: (slot) => l.dropUnique(slot),
  };
}

/** framecheck's implementation of `protocol`, or a mutant of it. */
export function framecheckImplementation(protocol: 'current' | 'legacy', mutant?: Mutant): ImplementationModule {
  return {
    name: mutant === undefined ? `framecheck:${protocol}` : `framecheck:mutant/${mutant.name}`,
    protocol,
    createImplementation: (o) => opsOf(layerOf(o, mutant), protocol === 'legacy'),
  };
}

/** The mutants that replace part of the MetaSlot or Frame layers (what this interface exposes). */
export function conformMutants(): Mutant[] {
  return allMutants().filter((m) => m.region !== undefined || m.layer !== undefined);
}

/** The built-in module named `name` (`framecheck:…`), or why there is none. */
export function builtinModule(name: string): ImplementationModule | { error: string } {
  if (name === 'framecheck:current' || name === 'framecheck:legacy')
    return framecheckImplementation(name === 'framecheck:legacy' ? 'legacy' : 'current');
  const m = /^framecheck:mutant\/(.+)$/.exec(name);
  const mutant = m === null ? undefined : mutantByName(m[1]!);
  if (mutant !== undefined && (mutant.region !== undefined || mutant.layer !== undefined))
    return framecheckImplementation('current', mutant);
  const names = conformMutants().map((x) => x.name);
  return {
    error: `unknown built-in implementation '${name}' (framecheck:current, framecheck:legacy, framecheck:mutant/NAME with NAME one of ${names.join(', ')})`,
  };
}
