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
import type { Memory } from '../../impl/meta/memory.ts';
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

/**
 * A `FrameLayer` whose operations are a module's (for `CheckedFrameLayer` and the explorer). The
 * module is expected to be guarded (`Guard.wrap`): its step budget and slot checks apply per operation.
 */
export class ExternalLayer extends FrameLayer {
  readonly ops: FrameOps;

  constructor(region: MetaRegion, allocator: Deallocator, module: ImplementationModule) {
    super(region, allocator);
    this.ops = module.createImplementation(
      implementationOptions(region.mem, protocolOf(module), region.maxPaddr, region.REF_COUNT_MAX, (paddr) =>
        this.allocator.dealloc(paddr, PAGE_SIZE),
      ),
    );
  }

  override fromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return this.ops.fromUnused(paddr, meta);
  }

  override fromInUse(paddr: number): SlotPtr | GetFrameError {
    return this.ops.fromInUse(paddr);
  }

  override clone(slot: SlotPtr): void {
    this.ops.clone(slot);
  }

  override drop(slot: SlotPtr): boolean {
    return this.ops.drop(slot);
  }

  override uniqueFromUnused(paddr: number, meta: FrameMeta): SlotPtr | GetFrameError {
    return need(this.ops, 'uniqueFromUnused')(paddr, meta);
  }

  override intoShared(slot: SlotPtr): void {
    need(this.ops, 'intoShared')(slot);
  }

  override tryIntoUnique(slot: SlotPtr): boolean {
    return need(this.ops, 'tryIntoUnique')(slot);
  }

  override dropUnique(slot: SlotPtr): void {
    need(this.ops, 'dropUnique')(slot);
  }
}

/** A legacy `MetaRegion` whose claim, acquire and increment are a module's (for `CheckedMetaRegion`). */
export class ExternalLegacyRegion extends LegacyMetaRegion {
  /** The module's operations. */
  readonly ops: FrameOps;

  constructor(opts: MetaRegionOptions, module: ImplementationModule) {
    super(opts);
    this.ops = module.createImplementation(
      implementationOptions(this.mem, 'legacy', this.maxPaddr, this.REF_COUNT_MAX, (paddr) => this.dealloc(paddr)),
    );
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
