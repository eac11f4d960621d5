/**
 * Address arithmetic between frames, frame indices and metadata slots.
 *
 * Each function is the executable twin of a vostd spec function; `proofs/` proves their laws for all
 * inputs and cross-checks the SMT encodings against these very functions.
 *
 * @see vostd `ostd/src/mm/frame/meta.rs` (`mod mapping`), `ostd/specs/mm/frame/mapping.rs`
 */
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE, type FrameIndex, type Paddr, type Vaddr } from '../vocab.ts';

const PAGE = BigInt(PAGE_SIZE);
const SLOT = BigInt(META_SLOT_SIZE);

/**
 * `has_safe_slot(paddr)`: `paddr % PAGE_SIZE == 0 && paddr < MAX_PADDR` (HEAD: `valid_frame_paddr`).
 * `paddr` is a `u64` there, so `0 <= paddr` is implicit; here it is spelled out, as is integrality.
 */
export function hasSafeSlot(paddr: Paddr, maxPaddr: Paddr): boolean {
  return Number.isInteger(paddr) && paddr >= 0 && paddr % PAGE_SIZE === 0 && paddr < maxPaddr;
}

/** `frame_to_index(paddr) = paddr / PAGE_SIZE`. */
export function frameToIndex(paddr: Paddr): FrameIndex {
  return Math.floor(paddr / PAGE_SIZE);
}

/** `index_to_frame(i) = i * PAGE_SIZE`. */
export function indexToFrame(index: FrameIndex): Paddr {
  return index * PAGE_SIZE;
}

/** `meta_addr(i) = FRAME_METADATA_RANGE.start + i * META_SLOT_SIZE` (HEAD: `index_to_meta`). */
export function metaAddr(index: FrameIndex): Vaddr {
  // a direct-mapped cache of the last addresses (every check at a slot asks for its address again)
  const k = index & (ADDR_CACHE - 1);
  if (addrKeys[k] === index) return addrValues[k]!;
  const a = FRAME_METADATA_RANGE.start + BigInt(index) * SLOT;
  addrKeys[k] = index;
  addrValues[k] = a;
  return a;
}

const ADDR_CACHE = 256;
const addrKeys = new Float64Array(ADDR_CACHE).fill(-1);
const addrValues: Vaddr[] = new Array<Vaddr>(ADDR_CACHE).fill(0n);

/** `frame_to_meta_spec(paddr) = FRAME_METADATA_RANGE.start + (paddr / PAGE_SIZE) * META_SLOT_SIZE`. */
export function frameToMeta(paddr: Paddr): Vaddr {
  return FRAME_METADATA_RANGE.start + (BigInt(paddr) / PAGE) * SLOT;
}

/** `meta_to_frame_spec(vaddr) = ((vaddr − FRAME_METADATA_RANGE.start) / META_SLOT_SIZE) * PAGE_SIZE`. */
export function metaToFrame(vaddr: Vaddr): Paddr {
  return Number(((vaddr - FRAME_METADATA_RANGE.start) / SLOT) * PAGE);
}

/** `meta_to_index(vaddr) = frame_to_index(meta_to_frame(vaddr))`. */
export function metaToIndex(vaddr: Vaddr): FrameIndex {
  return frameToIndex(metaToFrame(vaddr));
}

/** `get_slot_spec(paddr) = PPtr(frame_to_meta(paddr))`. */
export function getSlotSpec(paddr: Paddr): Vaddr {
  return frameToMeta(paddr);
}

/** `frame_paddr_safety_cond(perm)`: the slot address is inside `FRAME_METADATA_RANGE` and 64-aligned. */
export function framePaddrSafetyCond(slotAddr: Vaddr): boolean {
  return FRAME_METADATA_RANGE.start <= slotAddr && slotAddr < FRAME_METADATA_RANGE.end && slotAddr % SLOT === 0n;
}
