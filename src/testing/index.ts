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
/**
 * The checker as a library: `checkInstance(buildInstance(flags, exists), options)` returns the verdict
 * with the minimized counterexample. It is here, not in the release entry `framecheck`, which must stay
 * free of the specs' clauses (test/releaseBundle.test.ts).
 */
export { checkInstance, DEFAULT_LIMITS } from '../check/checkInstance.ts';
export type { CheckDetails, CheckOptions, Counterexample } from '../check/checkInstance.ts';
export { buildInstance } from '../check/instance.ts';
