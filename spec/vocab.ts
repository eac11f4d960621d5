/**
 * The shared words of the frame-metadata model: addresses, sizes and the reference-count sentinels.
 *
 * Physical addresses are JavaScript numbers (exact below 2^53, far above any `MAX_PADDR` a model uses);
 * virtual addresses of metadata slots live near the top of the 64-bit space and are bigints; reference
 * counts are u64 values and therefore bigints.
 *
 * @see vostd `ostd/src/mm/frame/meta.rs` (`REF_COUNT_*`, `mapping`), `ostd/specs/arch/*` (`MAX_PADDR`, `FRAME_METADATA_RANGE`)
 */

/** A physical address (`Paddr`). */
export type Paddr = number;
/** A kernel virtual address (`Vaddr`), a u64. */
export type Vaddr = bigint;
/** The index of a frame: `paddr / PAGE_SIZE` (`frame_to_index`). */
export type FrameIndex = number;

export const PAGE_SIZE = 4096;
export const NR_ENTRIES = 512;
/** `size_of::<MetaSlot>()`, axiomatized as 64 by vostd (`global layout MetaSlot is size == 64`). */
export const META_SLOT_SIZE = 64;
/** `FRAME_METADATA_MAX_SIZE = 64 − 8 (ref_count) − 8 (vtable_ptr) − 8 (in_list)`. */
export const FRAME_METADATA_MAX_SIZE = 40;
/** `FRAME_METADATA_MAX_ALIGN = META_SLOT_SIZE`. */
export const FRAME_METADATA_MAX_ALIGN = 64;

export const U64_MAX = (1n << 64n) - 1n;
export const U32_MAX = (1n << 32n) - 1n;
/** `REF_COUNT_UNUSED = u64::MAX`: the slot is free. */
export const REF_COUNT_UNUSED = U64_MAX;
/** `REF_COUNT_UNIQUE = u64::MAX − 1`: the slot is owned by one `UniqueFrame`. */
export const REF_COUNT_UNIQUE = U64_MAX - 1n;
/** `REF_COUNT_MAX = i64::MAX as u64`: shared counts live in `1 ..= REF_COUNT_MAX`. */
export const REF_COUNT_MAX = (1n << 63n) - 1n;

/** `FRAME_METADATA_RANGE` on x86-64: 1 TiB of slot addresses. */
export const FRAME_METADATA_RANGE = { start: 0xffff_e000_0000_0000n, end: 0xffff_e100_0000_0000n } as const;
/** `LINEAR_MAPPING_BASE_VADDR` on x86-64. */
export const LINEAR_MAPPING_BASE_VADDR = 0xffff_8000_0000_0000n;
/** vostd's verification parameter `MAX_PADDR` (2 GiB). Upstream computes it at boot. */
export const DEFAULT_MAX_PADDR = 0x8000_0000;
/** `max_meta_slots() = (FMR.end − FMR.start) / 64 = 2^34`: the domain of `slot_owners`. */
export const MAX_META_SLOTS = Number((FRAME_METADATA_RANGE.end - FRAME_METADATA_RANGE.start) / BigInt(META_SLOT_SIZE));
/**
 * The largest `MAX_PADDR` a model instance accepts: every frame's slot must lie inside
 * `FRAME_METADATA_RANGE`, whose 2^34 slots describe 2^46 bytes (`framecheck prove` shows 2^52 is too much).
 */
export const MAX_MODEL_PADDR = 2 ** 46;

/** Which reference-count protocol: the current `meta.rs`, or the older one (u32 counts, no UNIQUE, no `in_list`). */
export type Protocol = 'current' | 'legacy';

/**
 * The parameters of one model instance. The spec's clauses read the sentinels from here, so a checker
 * can lower `REF_COUNT_MAX` to make the overflow-abort path reachable, and so the legacy protocol's
 * u32 sentinels are the same clauses with other numbers.
 */
export type ModelParams = Readonly<{
  protocol: Protocol;
  maxPaddr: Paddr;
  refCountUnused: bigint;
  /** `null` in the legacy protocol, which has no unique state. */
  refCountUnique: bigint | null;
  refCountMax: bigint;
  /** The largest value the count word holds (u64 or u32); arithmetic past it wraps. */
  wordMax: bigint;
}>;

/** The parameters of vostd's model: current protocol, 2 GiB, u64 sentinels. */
export function modelParams(
  overrides: Partial<Pick<ModelParams, 'protocol' | 'maxPaddr' | 'refCountMax'>> = {},
): ModelParams {
  const protocol = overrides.protocol ?? 'current';
  const legacy = protocol === 'legacy';
  return Object.freeze({
    protocol,
    maxPaddr: overrides.maxPaddr ?? DEFAULT_MAX_PADDR,
    refCountUnused: legacy ? U32_MAX : REF_COUNT_UNUSED,
    refCountUnique: legacy ? null : REF_COUNT_UNIQUE,
    refCountMax: overrides.refCountMax ?? (legacy ? (1n << 31n) - 1n : REF_COUNT_MAX),
    wordMax: legacy ? U32_MAX : U64_MAX,
  });
}

/** `GetFrameError`, with the seed era's verification-only `Retry`. */
export type GetFrameError = 'InUse' | 'Unused' | 'Busy' | 'Unique' | 'OutOfBound' | 'NotAligned' | 'Retry';
export const GET_FRAME_ERRORS: readonly GetFrameError[] = [
  'InUse',
  'Unused',
  'Busy',
  'Unique',
  'OutOfBound',
  'NotAligned',
  'Retry',
];
