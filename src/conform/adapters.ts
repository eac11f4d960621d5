/**
 * How framecheck's engines run an implementation given through the conformance interface: the
 * options it is created with, and the two adapters the contract layer takes — a frame layer (current
 * protocol, `CheckedFrameLayer`) and a legacy metadata region (`CheckedMetaRegion`) whose operations
 * are the implementation's. The real `MetaRegion` underneath only reads slots for the views and
 * provides the metadata codec.
 */
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import type { FrameMeta } from '../../impl/meta/frameMeta.ts';
import { abort } from '../../impl/meta/abort.ts';
import { CURRENT_LAYOUT, LEGACY_LAYOUT } from '../../impl/meta/layout.ts';
import type { Memory, Ordering } from '../../impl/meta/memory.ts';
import {
  LegacyMetaRegion,
  MetaRegion,
  type GetFrameError,
  type MetaRegionOptions,
  type SlotPtr,
} from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { FrameOps, ImplementationModule, ImplementationOptions } from './Implementation.ts';

/** The protocol a module implements. */
export const protocolOf = (m: ImplementationModule): 'current' | 'legacy' => m.protocol ?? 'current';

/** The options an implementation is created with, over `memory`. */
export function implementationOptions(
  memory: Memory,
  protocol: 'current' | 'legacy',
  maxPaddr: number,
  refCountMax: bigint,
  dealloc: (paddr: number) => void,
): ImplementationOptions {
  const layout = protocol === 'legacy' ? LEGACY_LAYOUT : CURRENT_LAYOUT;
  const codec = new MetaRegion({ maxPaddr, memory }, layout);
  return {
    memory,
    layout,
    protocol,
    maxPaddr,
    refCountMax,
    refCountUnused: layout.refCountUnused,
    refCountUnique: protocol === 'legacy' ? null : layout.refCountUnused - 1n,
    metadata: { write: (slot, meta) => codec.writeMeta(slot, meta), drop: (slot) => codec.dropMetaInPlace(slot) },
    dealloc,
    abort,
  };
}

/** A unique operation the current protocol needs, or a crash naming it. */
function need<K extends keyof FrameOps>(ops: FrameOps, k: K): NonNullable<FrameOps[K]> {
  const f = ops[k];
  // conform checks the module's shape before any engine runs: a missing operation here is a bug.
  if (f === undefined) throw new TypeError(`the implementation has no ${String(k)}`);
  return f as NonNullable<FrameOps[K]>;
}

/** An operation that made more memory accesses than any terminating one could: it spins. */
export class Livelock extends Error {
  override readonly name = 'Livelock';
}

/** How many memory accesses one sequential operation may make before it is declared a livelock. */
export const ACCESS_BUDGET = 100_000;

/** A memory that counts the accesses of one operation and stops a runaway one (sequential runs only). */
export class BudgetMemory implements Memory {
  private readonly base: Memory;
  private left = ACCESS_BUDGET;

  constructor(base: Memory) {
    this.base = base;
  }

  /** Starts a new operation's budget. */
  reset(): void {
    this.left = ACCESS_BUDGET;
  }

  private tick(): void {
    if (--this.left < 0)
      throw new Livelock(`an operation made ${ACCESS_BUDGET} memory accesses without returning: it spins`);
  }

  load(w: number, o: Ordering): bigint {
    this.tick();
    return this.base.load(w, o);
  }
  store(w: number, v: bigint, o: Ordering): void {
    this.tick();
    this.base.store(w, v, o);
  }
  compareExchange(w: number, e: bigint, d: bigint, o: Ordering): bigint {
    this.tick();
    return this.base.compareExchange(w, e, d, o);
  }
  compareExchangeWeak(w: number, e: bigint, d: bigint, o: Ordering): bigint {
    this.tick();
    return this.base.compareExchangeWeak(w, e, d, o);
  }
  fetchAdd(w: number, d: bigint, o: Ordering): bigint {
    this.tick();
    return this.base.fetchAdd(w, d, o);
  }
  fetchSub(w: number, d: bigint, o: Ordering): bigint {
    this.tick();
    return this.base.fetchSub(w, d, o);
  }
  fence(o: Ordering): void {
    this.base.fence(o);
  }
  readPlain(w: number): bigint {
    this.tick();
    return this.base.readPlain(w);
  }
  writePlain(w: number, v: bigint): void {
    this.tick();
    this.base.writePlain(w, v);
  }
}

/**
 * A `FrameLayer` whose operations are a module's (for `CheckedFrameLayer` and the explorer). Each
 * operation runs under a fresh access budget, so a spinning one ends as a `Livelock`.
 */
export class ExternalLayer extends FrameLayer {
  readonly ops: FrameOps;
  private readonly budget: BudgetMemory;

  constructor(region: MetaRegion, allocator: Deallocator, module: ImplementationModule) {
    super(region, allocator);
    this.budget = new BudgetMemory(region.mem);
    this.ops = module.createImplementation(
      implementationOptions(this.budget, protocolOf(module), region.maxPaddr, region.REF_COUNT_MAX, (paddr) =>
        this.allocator.dealloc(paddr, PAGE_SIZE),
      ),
    );
  }

  private fresh(): FrameOps {
    this.budget.reset();
    return this.ops;
  }

  override fromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return this.fresh().fromUnused(paddr, meta);
  }

  override fromInUse(paddr: number): SlotPtr | GetFrameError {
    return this.fresh().fromInUse(paddr);
  }

  override clone(slot: SlotPtr): void {
    this.fresh().clone(slot);
  }

  override drop(slot: SlotPtr): boolean {
    return this.fresh().drop(slot);
  }

  override uniqueFromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return need(this.fresh(), 'uniqueFromUnused')(paddr, meta);
  }

  override intoShared(slot: SlotPtr): void {
    need(this.fresh(), 'intoShared')(slot);
  }

  override tryIntoUnique(slot: SlotPtr): boolean {
    return need(this.fresh(), 'tryIntoUnique')(slot);
  }

  override dropUnique(slot: SlotPtr): void {
    need(this.fresh(), 'dropUnique')(slot);
  }
}

/** A legacy `MetaRegion` whose claim, acquire and increment are a module's (for `CheckedMetaRegion`). */
export class ExternalLegacyRegion extends LegacyMetaRegion {
  private readonly ext: FrameOps;
  private readonly budget: BudgetMemory;

  constructor(opts: MetaRegionOptions, module: ImplementationModule) {
    super(opts);
    this.budget = new BudgetMemory(this.mem);
    this.ext = module.createImplementation(
      implementationOptions(this.budget, 'legacy', this.maxPaddr, this.REF_COUNT_MAX, (paddr) => this.dealloc(paddr)),
    );
  }

  /** The module's operations, with a fresh access budget. */
  get ops(): FrameOps {
    this.budget.reset();
    return this.ext;
  }

  override getFromUnused(paddr: number, meta: FrameMeta, _asUnique: boolean): SlotPtr | GetFrameError {
    return this.ops.fromUnused(paddr, meta);
  }

  override getFromInUse(paddr: number): SlotPtr | GetFrameError {
    return this.ops.fromInUse(paddr);
  }

  override incRefCount(slot: SlotPtr): void {
    this.ops.clone(slot);
  }
}
