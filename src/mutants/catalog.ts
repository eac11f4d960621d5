/**
 * The mutant catalog: seeded bugs, each a one-method variant of the real implementation. The checker
 * must kill every one (but the weak-memory one, which the sequentially consistent engines cannot see).
 *
 * A mutant names what it replaces; the engines that can run that part pick it up: the explorer and
 * the simulator run region and frame-layer mutants, the contract layer runs those and the list
 * mutants, and the model-based tests run every kind.
 */
import type { BuddyAllocator, FreeBlock, FrameUsage } from '../../impl/alloc/BuddyAllocator.ts';
import type { EarlyFrameAllocator, UsableRegion } from '../../impl/alloc/EarlyFrameAllocator.ts';
import type { FrameAllocOptions, FrameSource } from '../../impl/alloc/FrameAllocOptions.ts';
import type { FrameAllocResult } from '../../impl/alloc/GlobalFrameAllocator.ts';
import type { Layout, Paddr } from '../../impl/alloc/vocab.ts';
import type { Deallocator, FrameLayer } from '../../impl/frame/Frame.ts';
import type { LinkedList, ListIdAllocator } from '../../impl/frame/LinkedList.ts';
import type { PaddrRange, Segment } from '../../impl/frame/Segment.ts';
import type { MetaRegion, MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { clauseMutantList, type ClauseMutant } from './clauseMutants.ts';
import { MUTANTS } from './mutants.ts';

/** The part of the implementation a mutant replaces. */
export type MutantTarget = 'meta-slot' | 'frame' | 'list' | 'segment' | 'buddy' | 'early-allocator' | 'alloc-options';

/** `Segment::slice` and `Segment::split`, as functions of the segment (a variant replaces one). */
export type SegmentOps = Readonly<{
  slice: <M>(seg: Segment<M>, range: PaddrRange) => Segment<M>;
  split: <M>(seg: Segment<M>, offset: number) => [Segment<M>, Segment<M>];
}>;

/** The buddy allocator's surface the model-based test and the contracts use. */
export type BuddyLike = Readonly<{
  alloc(layout: Layout): Paddr | undefined;
  dealloc(addr: Paddr, size: number): FrameAllocResult;
  addFreeMemory(addr: Paddr, size: number): FrameAllocResult;
  usage(): FrameUsage;
  freeBlocks(): FreeBlock[];
  audit(): string[];
}>;

/**
 * What the spec would have to say to catch the mutant with a contract clause (see `framecheck mutants`);
 * `inVostd` when vostd's own spec states it (framecheck's contract layer does not check it yet).
 */
export type MissingFact = Readonly<{ op: string; fact: string; inVostd?: boolean }>;

export type Mutant = Readonly<{
  name: string;
  description: string;
  target: MutantTarget;
  /** Builds the mutated region (`legacy` selects the legacy protocol as the base). */
  region?: (opts: MetaRegionOptions, legacy: boolean) => MetaRegion;
  /** Builds the mutated frame layer. */
  layer?: (region: MetaRegion, allocator: Deallocator) => FrameLayer;
  /** Builds the mutated frame list. */
  list?: (layer: FrameLayer, ids: ListIdAllocator) => LinkedList;
  /** Replaces `Segment::slice` or `Segment::split`. */
  segment?: (base: SegmentOps) => SegmentOps;
  /** Wraps a real buddy allocator, replacing one of its operations. */
  buddy?: (base: BuddyAllocator) => BuddyLike;
  /** Builds the mutated early allocator. */
  early?: (regions: readonly UsableRegion[]) => EarlyFrameAllocator;
  /** Builds the mutated `FrameAllocOptions`. */
  allocOptions?: (layer: FrameLayer, source: FrameSource) => FrameAllocOptions;
  /** The smallest instance (check flags) on which the explorer kills it. */
  instance?: string;
  /** The simulation (simulate flags) that kills it, when the default one does not. */
  simulate?: string;
  /** An ordering-only bug: invisible to the sequentially consistent engines until the weak-memory mode exists. */
  weakMemory?: boolean;
  /**
   * Why no operation's result can show it: the wrong step is internal (the same frames, counts and
   * results reach the interface), so only a clause on the internal call catches it — the contract
   * layer, never a black-box engine such as conform's.
   */
  internal?: string;
  /** The postcondition fact a contract would need to catch it, when no contract clause does. */
  missing?: MissingFact;
}>;

/** The mutant named `name`, or `undefined`. */
export function mutantByName(name: string): Mutant | undefined {
  return MUTANTS.find((m) => m.name === name);
}

/** Every mutant, in catalog order. */
export function allMutants(): readonly Mutant[] {
  return MUTANTS;
}

/** The clause mutants: one per mutation operator and operation, run by the clause engine (`clauseMutants.ts`). */
export function clauseMutants(): readonly ClauseMutant[] {
  return clauseMutantList();
}
