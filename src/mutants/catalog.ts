/**
 * The mutant catalog: seeded bugs, each a one-method variant of the real implementation. The checker
 * must kill every one.
 */
import type { MetaRegion, MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import type { Deallocator, FrameLayer } from '../../impl/frame/Frame.ts';
import { MUTANTS } from './mutants.ts';

export type Mutant = Readonly<{
  name: string;
  description: string;
  /** Builds the mutated region (`legacy` selects the legacy protocol as the base). */
  region?: (opts: MetaRegionOptions, legacy: boolean) => MetaRegion;
  /** Builds the mutated frame layer. */
  layer?: (region: MetaRegion, allocator: Deallocator) => FrameLayer;
  /** The smallest instance (CLI flags) on which the checker kills it. */
  instance: string;
}>;

/** The mutant named `name`, or `undefined`. */
export function mutantByName(name: string): Mutant | undefined {
  return MUTANTS.find((m) => m.name === name);
}

/** Every mutant, in catalog order. */
export function allMutants(): readonly Mutant[] {
  return MUTANTS;
}
