/**
 * The contract-checked build of framecheck's API (`framecheck/checked`, or the `development` export
 * condition): the same names, every call of the MetaSlot layer checked against its spec.
 */
import type { MetaRegionOptions } from '../impl/meta/MetaSlot.ts';
import { CheckedFrameApi } from './contract/CheckedFrameApi.ts';
import type { FrameLayerApi, FrameLayerOptions } from './contract/FrameLayerApi.ts';
import { CheckedMetaRegion } from './contract/CheckedMetaRegion.ts';

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
export type {
  Frame,
  FrameLayerApi,
  FrameLayerOptions,
  FrameList,
  SegmentRef,
  TryUnique,
  UniqueFrame,
} from './contract/FrameLayerApi.ts';
export { CheckedMetaRegion } from './contract/CheckedMetaRegion.ts';
export { ContractViolation, formatViolation, violationToItf } from './contract/report.ts';
export {
  assertFrameLayer,
  assertInterleavings,
  checkFrameLayer,
  checkInterleavings,
  instanceArb,
  opArb,
  programArb,
} from './testing/index.ts';
export type { ModelTestReport, Subject } from './testing/index.ts';

/** The MetaSlot layer, always checked. */
export function createMetaRegion(opts: MetaRegionOptions): CheckedMetaRegion {
  return new CheckedMetaRegion(opts);
}

/** The frame layer (Frame, UniqueFrame, Segment, frame lists, allocation), always checked. */
export function createFrameLayer(opts: FrameLayerOptions): FrameLayerApi {
  return new CheckedFrameApi(opts);
}
