/**
 * The `Frame`/`UniqueFrame` op specs the checked frame layer runs, one table per spec version, and the
 * tracked owner a claim builds under each (HEAD's carries `repr_perm`, the seed's has none).
 */
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { frameClone, frameDrop, frameFromInUse, frameFromRaw, frameFromUnused, frameIntoRaw } from '../frame/Frame.ts';
import {
  frameFromUnique,
  uniqueDrop,
  uniqueFromUnused,
  uniqueMeta,
  uniqueMetaMut,
  uniqueOwner,
  uniqueRepurpose,
  uniqueResetAsUnused,
  uniqueTryFromShared,
} from '../frame/UniqueFrame.ts';
import type { FrameIndex } from '../vocab.ts';
import {
  headFrameClone,
  headFrameDrop,
  headFrameFromInUse,
  headFrameFromRaw,
  headFrameFromUnused,
  headFrameIntoRaw,
} from './Frame.ts';
import {
  headFrameFromUnique,
  headUniqueDrop,
  headUniqueFromUnused,
  headUniqueMeta,
  headUniqueMetaMut,
  headUniqueOwner,
  headUniqueRepurpose,
  headUniqueResetAsUnused,
  headUniqueTryFromShared,
  uniqueFromRaw,
  uniqueIntoRaw,
  type HeadUniqueFrameOwner,
  type MetaTracked,
} from './UniqueFrame.ts';

/** The frame-level op specs of one spec version (typed by HEAD's wider tracked arguments; the seed's ignore them). */
export type FrameOpTable = Readonly<{
  frameFromUnused: typeof headFrameFromUnused;
  frameFromInUse: typeof headFrameFromInUse;
  frameClone: typeof headFrameClone;
  frameDrop: typeof headFrameDrop;
  frameIntoRaw: typeof headFrameIntoRaw;
  frameFromRaw: typeof headFrameFromRaw;
  uniqueFromUnused: typeof headUniqueFromUnused;
  uniqueMeta: typeof headUniqueMeta;
  uniqueMetaMut: typeof headUniqueMetaMut;
  frameFromUnique: typeof headFrameFromUnique;
  uniqueTryFromShared: typeof headUniqueTryFromShared;
  uniqueDrop: typeof headUniqueDrop;
  uniqueResetAsUnused: typeof headUniqueResetAsUnused;
  uniqueRepurpose: typeof headUniqueRepurpose;
  /**
   * `UniqueFrame::into_raw`/`from_raw`, new in HEAD: the seed (vostd 1bd29df43) has no contract for
   * them, so the seed table has none and the checked layer runs them under `--spec head` only.
   */
  uniqueIntoRaw?: typeof uniqueIntoRaw;
  uniqueFromRaw?: typeof uniqueFromRaw;
  /** The owner a claim of slot `i` with metadata of type `type` hands back. */
  uniqueOwner: (i: FrameIndex, type: string) => HeadUniqueFrameOwner;
}>;

const SEED: FrameOpTable = Object.freeze({
  frameFromUnused,
  frameFromInUse,
  frameClone,
  frameDrop,
  frameIntoRaw,
  frameFromRaw,
  uniqueFromUnused,
  uniqueMeta,
  uniqueMetaMut,
  frameFromUnique,
  uniqueTryFromShared,
  uniqueDrop,
  uniqueResetAsUnused,
  uniqueRepurpose,
  uniqueOwner,
});

const HEAD: FrameOpTable = Object.freeze({
  frameFromUnused: headFrameFromUnused,
  frameFromInUse: headFrameFromInUse,
  frameClone: headFrameClone,
  frameDrop: headFrameDrop,
  frameIntoRaw: headFrameIntoRaw,
  frameFromRaw: headFrameFromRaw,
  uniqueFromUnused: headUniqueFromUnused,
  uniqueMeta: headUniqueMeta,
  uniqueMetaMut: headUniqueMetaMut,
  frameFromUnique: headFrameFromUnique,
  uniqueTryFromShared: headUniqueTryFromShared,
  uniqueDrop: headUniqueDrop,
  uniqueResetAsUnused: headUniqueResetAsUnused,
  uniqueRepurpose: headUniqueRepurpose,
  uniqueIntoRaw,
  uniqueFromRaw,
  uniqueOwner: headUniqueOwner,
});

/** The frame-level op specs of `spec`. */
export function frameOpsOf(spec: SpecVersion): FrameOpTable {
  return spec === 'head' ? HEAD : SEED;
}

/** The tracked `M::Owner` and `M::ReprPerm` a caller passes with metadata of type `type` (HEAD's `from_unused`, `repurpose`). */
export function metaTracked(type: string): MetaTracked {
  return Object.freeze({ metaOwn: Object.freeze({ type }), reprPerm: Object.freeze({ type }) });
}
