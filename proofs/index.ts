/**
 * Every proof obligation, in the order `framecheck prove` reports them: the address mapping (vostd
 * `group_page_meta`), the per-slot reference-count state machine, then the allocator arithmetic.
 * One obligation per `NAME.proof.ts` file; its `name` is the file's.
 */
import { erase, type AnyObligation } from '../src/prove/Obligation.ts';
import { obligation as lemmaFrameToMetaRoundTrip } from './lemma_frame_to_meta_round_trip.proof.ts';
import { obligation as lemmaMetaToFrameRoundTrip } from './lemma_meta_to_frame_round_trip.proof.ts';
import { obligation as lemmaFrameToMetaAligned } from './lemma_frame_to_meta_aligned.proof.ts';
import { obligation as lemmaMetaToFrameAligned } from './lemma_meta_to_frame_aligned.proof.ts';
import { obligation as lemmaFrameToMetaInRange } from './lemma_frame_to_meta_in_range.proof.ts';
import { obligation as lemmaFrameToIndexInjective } from './lemma_frame_to_index_injective.proof.ts';
import { obligation as lemmaIndexToFrameRoundTrip } from './lemma_index_to_frame_round_trip.proof.ts';
import { obligation as lemmaMappingNoOverflow } from './lemma_mapping_no_overflow.proof.ts';
import { obligation as lemmaRcClaim } from './lemma_rc_claim.proof.ts';
import { obligation as lemmaRcClaimFailure } from './lemma_rc_claim_failure.proof.ts';
import { obligation as lemmaRcAcquire } from './lemma_rc_acquire.proof.ts';
import { obligation as lemmaRcClone } from './lemma_rc_clone.proof.ts';
import { obligation as lemmaRcDrop } from './lemma_rc_drop.proof.ts';
import { obligation as lemmaRcLastDrop } from './lemma_rc_last_drop.proof.ts';
import { obligation as lemmaRcIntoShared } from './lemma_rc_into_shared.proof.ts';
import { obligation as lemmaRcTryIntoUnique } from './lemma_rc_try_into_unique.proof.ts';
import { obligation as lemmaRcUniqueDrop } from './lemma_rc_unique_drop.proof.ts';
import { obligation as lemmaRcReset } from './lemma_rc_reset.proof.ts';
import { obligation as lemmaRcNoWrap } from './lemma_rc_no_wrap.proof.ts';
import { obligation as lemmaRcIllegalBandUnreachable } from './lemma_rc_illegal_band_unreachable.proof.ts';
import { obligation as lemmaRangeDifferencePieces } from './lemma_range_difference_pieces.proof.ts';
import { obligation as lemmaRangeDifferenceUnion } from './lemma_range_difference_union.proof.ts';
import { obligation as lemmaEarlyAlloc } from './lemma_early_alloc.proof.ts';
import { obligation as lemmaBuddyAddress } from './lemma_buddy_address.proof.ts';
import { obligation as lemmaBuddyMerge } from './lemma_buddy_merge.proof.ts';
import { obligation as lemmaBuddySplit } from './lemma_buddy_split.proof.ts';
import { obligation as lemmaSegmentSplitBounds } from './lemma_segment_split_bounds.proof.ts';
import { obligation as lemmaSegmentSliceBounds } from './lemma_segment_slice_bounds.proof.ts';

/** The obligations, by report order. */
export const OBLIGATIONS: readonly AnyObligation[] = [
  erase(lemmaFrameToMetaRoundTrip),
  erase(lemmaMetaToFrameRoundTrip),
  erase(lemmaFrameToMetaAligned),
  erase(lemmaMetaToFrameAligned),
  erase(lemmaFrameToMetaInRange),
  erase(lemmaFrameToIndexInjective),
  erase(lemmaIndexToFrameRoundTrip),
  erase(lemmaMappingNoOverflow),
  erase(lemmaRcClaim),
  erase(lemmaRcClaimFailure),
  erase(lemmaRcAcquire),
  erase(lemmaRcClone),
  erase(lemmaRcDrop),
  erase(lemmaRcLastDrop),
  erase(lemmaRcIntoShared),
  erase(lemmaRcTryIntoUnique),
  erase(lemmaRcUniqueDrop),
  erase(lemmaRcReset),
  erase(lemmaRcNoWrap),
  erase(lemmaRcIllegalBandUnreachable),
  erase(lemmaRangeDifferencePieces),
  erase(lemmaRangeDifferenceUnion),
  erase(lemmaEarlyAlloc),
  erase(lemmaBuddyAddress),
  erase(lemmaBuddyMerge),
  erase(lemmaBuddySplit),
  erase(lemmaSegmentSplitBounds),
  erase(lemmaSegmentSliceBounds),
];
