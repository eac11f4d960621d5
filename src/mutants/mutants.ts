/**
 * The seeded bugs, in catalog order. Each names the part it replaces and, for the explorer, the
 * smallest instance on which `framecheck check` kills it; `missing` says what a contract clause would
 * need to state to catch it when none does (`framecheck mutants` checks that claim by running them).
 */
import { LegacyMetaRegion, type MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { acceptsDoubleFree, EarlyAllocWrapping, mergesNonBuddy, ZeroedDefaultsFalse } from './allocatorMutants.ts';
import { OP } from '../../spec/protocol/FrameProtocol.ts';
import type { Mutant } from './catalog.ts';
import { MAPPING_MUTANTS } from './mappingMutants.ts';
import { ORDERING_MUTANTS } from './orderingMutants.ts';
import { UPSTREAM_OP_MUTANTS } from './upstreamOpMutants.ts';
import { LIST_SEGMENT_OP_MUTANTS } from './listSegmentOpMutants.ts';
import {
  DeallocBeforeReset,
  DropRelaxedDecrement,
  IntoSharedStoresTwo,
  TryIntoUniqueWithTwo,
  UniqueDropLeaks,
} from './frameMutants.ts';
import {
  AcquireCasExpectsWrongValue,
  ClaimCasExpectsWrongValue,
  ClaimLoadThenStore,
  FromInUseAcceptsZero,
  GetSlotChecksSwapped,
  GetSlotOffByOne,
  NoOverflowAbort,
  UniqueReportedAsInUse,
  UnusedBeforeMetaDrop,
  WrongSlotSize,
} from './metaSlotMutants.ts';
import { InListNotCleared, PushBackBeforeLast, sliceWithoutOverflowCheck, splitOffByOne } from './structureMutants.ts';

const region =
  <T extends MetaRegion>(C: new (o: MetaRegionOptions) => T) =>
  (o: MetaRegionOptions, legacy: boolean): MetaRegion =>
    legacy ? new LegacyMetaRegion(o) : new C(o);

/** The explorer's instance with `threads` threads running one fixed program each. */
const fixed = (frames: number, ...programs: (readonly string[])[]) =>
  `--frames ${frames} --threads ${programs.length} --program "${programs.map((p, t) => `${t}:${p.join(',')}`).join(';')}"`;

const META_SLOT: readonly Mutant[] = [
  {
    name: 'from_in_use_accepts_zero',
    description:
      'get_from_in_use accepts a count of 0 (no Busy): it resurrects a frame whose metadata is being written or dropped',
    target: 'meta-slot',
    region: region(FromInUseAcceptsZero),
    instance: fixed(1, [OP.from_unused], [OP.from_in_use]),
    missing: {
      op: 'MetaSlot::get_from_in_use',
      fact: 'a count of 0 (a claim or teardown in flight) gives Err(Busy) — a sequential run never observes the transient 0, so only a concurrent check can see it',
    },
  },
  {
    name: 'no_overflow_abort',
    description:
      'get_from_in_use does not abort at REF_COUNT_MAX: the count enters the illegal band between MAX and UNIQUE',
    target: 'meta-slot',
    region: region(NoOverflowAbort),
    instance: `${fixed(1, [OP.from_unused, OP.from_in_use, OP.from_in_use])} --ref-count-max 2`,
    missing: {
      op: 'MetaSlot::get_from_in_use',
      fact: 'old rc >= REF_COUNT_MAX ==> the call aborts (a may_panic that is also a must_panic)',
    },
  },
  {
    name: 'unused_before_meta_drop',
    description:
      'drop_last_in_place stores REF_COUNT_UNUSED before dropping the metadata: a new owner can claim a slot whose metadata is still live',
    target: 'meta-slot',
    region: region(UnusedBeforeMetaDrop),
    instance: fixed(1, [OP.from_unused, OP.drop]),
    missing: {
      op: 'MetaSlot::drop_last_in_place',
      fact: 'the metadata is dropped before REF_COUNT_UNUSED is published (an order of intermediate states; the postcondition speaks of the final state only)',
    },
  },
  {
    name: 'acquire_cas_expects_wrong_value',
    description:
      'the get_from_in_use CAS expects the count plus one: it never succeeds, and the thread spins forever (livelock)',
    target: 'meta-slot',
    region: region(AcquireCasExpectsWrongValue),
    instance: fixed(1, [OP.from_unused], [OP.from_in_use]),
    missing: {
      op: 'MetaSlot::get_from_in_use',
      fact: 'termination: the CAS loop returns (the contracts state partial correctness; only the livelock guard stops the call)',
    },
  },
  {
    name: 'claim_cas_expects_wrong_value',
    description:
      'the get_from_unused CAS expects the busy value 0 instead of REF_COUNT_UNUSED: no unused frame can be claimed, and a frame under construction (count 0) can be claimed a second time',
    target: 'meta-slot',
    region: region(ClaimCasExpectsWrongValue),
    instance: fixed(1, [OP.from_unused]),
    missing: {
      op: 'Frame::from_unused',
      fact: 'on an unused slot the claim succeeds: vostd\u2019s ensures describe only what an Ok result means, so an implementation whose claim always fails satisfies them',
    },
  },
  {
    name: 'claim_load_then_store',
    description:
      'get_from_unused loads REF_COUNT_UNUSED and then stores 0 instead of one CAS: two racing claims both win the same frame',
    target: 'meta-slot',
    region: region(ClaimLoadThenStore),
    instance: fixed(1, [OP.from_unused], [OP.from_unused]),
    missing: {
      op: 'MetaSlot::get_from_unused',
      fact: 'the claim is atomic: no other claim succeeds between reading REF_COUNT_UNUSED and publishing 0 (vostd passes &mut PermissionU64, so the race is outside its model)',
    },
  },
  {
    name: 'unique_reported_as_in_use',
    description: 'a failed claim maps REF_COUNT_UNIQUE to InUse instead of Unique (a wrong error mapping)',
    target: 'meta-slot',
    region: region(UniqueReportedAsInUse),
    instance: fixed(1, [OP.from_unused_unique, OP.from_unused]),
    missing: {
      op: 'Frame::from_unused',
      fact: 'the error names the observed count (UNIQUE → Unique, 0 → Busy, else InUse)',
    },
  },
  {
    name: 'get_slot_checks_swapped',
    description:
      'get_slot checks the bound before the alignment: a misaligned address past MAX_PADDR is OutOfBound instead of NotAligned',
    target: 'meta-slot',
    region: region(GetSlotChecksSwapped),
    missing: {
      op: 'MetaSlot::get_slot',
      fact: 'a misaligned address gives NotAligned even past MAX_PADDR: vostd\u2019s get_slot ensures only has_safe_slot <==> Ok, and the check order is in its body, not its contract',
    },
  },
  {
    name: 'get_slot_off_by_one',
    description:
      'get_slot compares paddr > MAX_PADDR instead of >=: the address MAX_PADDR gets a slot past the end of the region',
    target: 'meta-slot',
    region: region(GetSlotOffByOne),
    missing: {
      op: 'MetaSlot::get_slot',
      fact: 'MAX_PADDR itself has no slot: Err(OutOfBound) (vostd states it: has_safe_slot <==> Ok)',
      inVostd: true,
    },
  },
  {
    name: 'frame_to_meta_wrong_slot_size',
    description:
      'frame_to_meta with a 56-byte slot: the count of every frame but the first lands inside another slot\u2019s storage',
    target: 'meta-slot',
    region: region(WrongSlotSize),
    instance: fixed(2, [`${OP.from_unused}@1`]),
    missing: {
      op: 'Frame::from_unused',
      fact: 'on an unused slot the claim succeeds (an Ok-only postcondition lets a claim that reads the wrong word always fail)',
    },
  },
];

const FRAME: readonly Mutant[] = [
  {
    name: 'dealloc_before_reset',
    description:
      'the last Frame::drop returns the frame to the allocator before resetting the slot: the allocator hands out a frame whose slot is still busy',
    target: 'frame',
    layer: (r, a) => new DeallocBeforeReset(r, a),
    instance: fixed(1, [OP.alloc, OP.drop], [OP.alloc]),
    missing: {
      op: 'Frame::drop',
      fact: 'the frame is returned to the allocator only after its slot is REF_COUNT_UNUSED (vostd never deallocates at all)',
    },
  },
  {
    name: 'into_shared_stores_two',
    description: 'From<UniqueFrame> for Frame stores a count of 2 instead of 1',
    target: 'frame',
    layer: (r, a) => new IntoSharedStoresTwo(r, a),
    instance: fixed(1, [OP.from_unused_unique, OP.into_shared]),
    missing: {
      op: 'Frame::from_unique',
      fact: 'the count becomes 1 (vostd\u2019s ensures keep only the slot permissions and the domain; docs/findings.md F3)',
    },
  },
  {
    name: 'try_into_unique_with_two',
    description:
      'TryFrom<Frame> for UniqueFrame succeeds while two references exist (its CAS expects the count it loaded, 1 or 2)',
    target: 'frame',
    layer: (r, a) => new TryIntoUniqueWithTwo(r, a),
    instance: fixed(1, [OP.from_unused, OP.clone, OP.try_into_unique]),
    missing: {
      op: 'UniqueFrame::try_from_shared',
      fact: 'Ok exactly when the caller holds the only reference (docs/findings.md F3)',
    },
  },
  {
    name: 'unique_drop_leaks',
    description: 'UniqueFrame::drop resets the slot but never returns the frame to the allocator: the frame leaks',
    target: 'frame',
    layer: (r, a) => new UniqueDropLeaks(r, a),
    instance: fixed(1, [OP.alloc, OP.try_into_unique, OP.drop_unique]),
    missing: {
      op: 'UniqueFrame::drop',
      fact: 'the frame is returned to the allocator (vostd comments the dealloc out; docs/findings.md F8)',
    },
  },
  {
    name: 'drop_relaxed_decrement',
    description:
      'Frame::drop decrements with Relaxed instead of Release and skips the Acquire fence (an ordering-only bug): every sequentially consistent engine lets it survive; the weak-memory explorer kills it',
    target: 'frame',
    layer: (r, a) => new DropRelaxedDecrement(r, a),
    weakMemory: true,
    missing: {
      op: 'Frame::drop',
      fact: 'release/acquire ordering of the last decrement (memory orderings are outside vostd\u2019s verified surface)',
    },
  },
];

const STRUCTURES: readonly Mutant[] = [
  {
    name: 'push_back_before_last',
    description: 'LinkedList::push_back inserts before the last element (vostd\u2019s position) instead of appending',
    target: 'list',
    list: (l, ids) => new PushBackBeforeLast(l, ids),
    missing: {
      op: 'LinkedList::push_back',
      fact: 'the frame becomes the last element (vostd\u2019s ensures states position len \u2212 1: docs/findings.md F1)',
    },
  },
  {
    name: 'in_list_not_cleared',
    description:
      'LinkedList::pop_front leaves the frame\u2019s in_list set: the frame still looks listed, and pushing it again trips insert_before\u2019s assertion',
    target: 'list',
    list: (l, ids) => new InListNotCleared(l, ids),
    missing: {
      op: 'LinkedList::pop_front',
      fact: 'the returned frame has in_list == 0 (the seed\u2019s frame_link_inv has no such conjunct: docs/findings.md F5)',
    },
  },
  {
    name: 'segment_slice_overflow',
    description:
      'Segment::slice computes start + offset in wrapping u64 arithmetic before checking the bounds (asterinas #3165): an offset near 2^64 wraps and the slice references frames outside the segment',
    target: 'segment',
    segment: (base) => ({ ...base, slice: sliceWithoutOverflowCheck }),
    missing: {
      op: 'Segment::slice',
      fact: 'the slice lies inside the segment (self.start <= new.start <= new.end <= self.end)',
      inVostd: true,
    },
  },
  {
    name: 'segment_split_off_by_one',
    description:
      'Segment::split asserts offset <= size instead of offset < size: splitting at the end yields an empty second segment',
    target: 'segment',
    segment: (base) => ({ ...base, split: splitOffByOne }),
    missing: {
      op: 'Segment::split',
      fact: 'a split at offset == size aborts (upstream\u2019s assert!): vostd states 0 < offset < size as a requires, so an implementation that returns an empty half breaks no ensures',
    },
  },
];

const ALLOCATORS: readonly Mutant[] = [
  {
    name: 'buddy_merges_non_buddy',
    description:
      'the buddy allocator merges a freed block with the block after it even when that is not its buddy: free blocks stop being aligned to their size',
    target: 'buddy',
    buddy: mergesNonBuddy,
    missing: {
      op: 'GlobalFrameAllocator::dealloc',
      fact: 'free blocks stay aligned to their size (the buddy invariant); the allocator contract speaks of the free set only',
    },
  },
  {
    name: 'buddy_double_free_accepted',
    description:
      'the buddy allocator frees a block that is already free instead of refusing with DoubleFree: its free lists are corrupted',
    target: 'buddy',
    buddy: acceptsDoubleFree,
    missing: {
      op: 'GlobalFrameAllocator::dealloc',
      fact: 'a double free is refused and changes nothing (OSTD makes it the caller\u2019s fault and promises nothing)',
    },
  },
  {
    name: 'zeroed_defaults_false',
    description:
      'FrameAllocOptions::new() sets zeroed to false: a newly allocated frame carries its previous owner\u2019s bytes',
    target: 'alloc-options',
    allocOptions: (layer, source) => new ZeroedDefaultsFalse(layer, source),
    missing: {
      op: 'FrameAllocOptions::new',
      fact: 'zeroed defaults to true: alloc_frame\u2019s contract takes zeroed as an argument, so no clause fixes its default',
    },
  },
  {
    name: 'early_alloc_no_overflow_check',
    description:
      'the early allocator bumps without checked_add: a huge size wraps the end around, passes the bound check and moves the bump pointer back over live allocations',
    target: 'early-allocator',
    early: (regions) => new EarlyAllocWrapping(regions),
    missing: {
      op: 'EarlyFrameAllocator::alloc',
      fact: 'the result lies in one region, after every earlier allocation',
    },
  },
];

export const MUTANTS: readonly Mutant[] = [
  ...META_SLOT,
  ...FRAME,
  ...UPSTREAM_OP_MUTANTS,
  ...MAPPING_MUTANTS,
  ...ORDERING_MUTANTS,
  ...STRUCTURES,
  ...LIST_SEGMENT_OP_MUTANTS,
  ...ALLOCATORS,
];
