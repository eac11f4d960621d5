/**
 * fast-check for users: arbitraries of the frame protocol and model-based tests of a frame layer (or
 * a list, segments, allocators) against framecheck's specs, to call from a test suite in a few lines.
 */
export { FRAME_OPS, instanceArb, opArb, paddrArb, programArb } from './arbitraries.ts';
export type { FrameOp, InstanceArbOptions, OpArbOptions } from './arbitraries.ts';
export { assertFrameLayer, checkFrameLayer } from './frameLayerModel.ts';
export type { FrameModelOptions } from './frameLayerModel.ts';
export { assertInterleavings, checkInterleavings } from './interleavings.ts';
export type { InterleavingOptions, InterleavingReport } from './interleavings.ts';
export { assertFrameList, checkFrameList } from './frameListModel.ts';
export { assertSegments, checkSegments } from './segmentModel.ts';
export { assertAllocators, checkAllocOptions, checkBuddyAllocator, checkEarlyAllocator } from './allocatorModel.ts';
export type { ModelTestReport } from './modelCheck.ts';
export type { Subject } from '../check/world.ts';
