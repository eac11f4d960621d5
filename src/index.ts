/**
 * framecheck's programmatic API.
 *
 * `createMetaRegion` returns the real MetaSlot layer; with contracts enabled (`FRAMECHECK_CONTRACTS=1`,
 * or importing `framecheck/checked`, or the `development` export condition) every call is checked
 * against its Verus-mirrored spec. A release bundle built with
 * `--define:process.env.FRAMECHECK_CONTRACTS='"0"'` drops the contract layer entirely.
 */
import { MetaRegion, type MetaRegionOptions } from '../impl/meta/MetaSlot.ts';
import { CheckedFrameApi } from './contract/CheckedFrameApi.ts';
import type { FrameLayerApi, FrameLayerOptions } from './contract/FrameLayerApi.ts';
import { levelFromEnv } from './contract/level.ts';
import { CheckedMetaRegion } from './contract/CheckedMetaRegion.ts';
import { ReleaseFrameLayer } from './contract/ReleaseFrameLayer.ts';

export { MetaRegion, LegacyMetaRegion } from '../impl/meta/MetaSlot.ts';
export type { MetaRegionOptions, SlotPtr, GetFrameError } from '../impl/meta/MetaSlot.ts';
export { FrameLayer } from '../impl/frame/Frame.ts';
export {
  registerFrameMeta,
  unit,
  KernelMeta,
  MetaPageMeta,
  ReservedMemoryMeta,
  UnusableMemoryMeta,
  EarlyAllocatedFrameMeta,
  UnitMeta,
} from '../impl/meta/frameMeta.ts';
export { KernelAbort } from '../impl/meta/abort.ts';
export { parsePaddr } from './address.ts';
export type {
  AbortReason,
  FrameMeta,
  FrameOps,
  ImplementationModule,
  ImplementationOptions,
  Memory,
  MetadataAccess,
  Ordering,
  SlotLayout,
} from './conform/Implementation.ts';
export { link } from '../impl/frame/LinkedList.ts';
export { ContractLevelError, parseContractLevel } from './contract/level.ts';
export type { ContractLevel } from './contract/level.ts';
export type {
  Frame,
  FrameLayerApi,
  FrameLayerOptions,
  FrameList,
  SegmentRef,
  TryUnique,
  UniqueFrame,
} from './contract/FrameLayerApi.ts';

/** The MetaSlot layer, checked when contracts are enabled for this build. */
export function createMetaRegion(opts: MetaRegionOptions): MetaRegion | CheckedMetaRegion {
  // `0`, empty or unset: the release path (a bundle defining the variable as "0" keeps only it); `1`,
  // full, cheap or sample:N: checked; anything else throws a ContractLevelError naming the value.
  return process.env['FRAMECHECK_CONTRACTS'] === '0' || !process.env['FRAMECHECK_CONTRACTS']
    ? new MetaRegion(opts)
    : new CheckedMetaRegion({ ...opts, level: levelFromEnv(process.env['FRAMECHECK_CONTRACTS']) ?? 'full' });
}

/** The frame layer (Frame, UniqueFrame, Segment, frame lists, allocation), checked when contracts are enabled for this build. */
export function createFrameLayer(opts: FrameLayerOptions): FrameLayerApi {
  // As above: an unknown value is an error, never a silent fallback to contracts off.
  return process.env['FRAMECHECK_CONTRACTS'] === '0' || !process.env['FRAMECHECK_CONTRACTS']
    ? new ReleaseFrameLayer(opts)
    : new CheckedFrameApi({ ...opts, level: levelFromEnv(process.env['FRAMECHECK_CONTRACTS']) ?? 'full' });
}
