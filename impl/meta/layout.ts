/**
 * The byte layout of a `MetaSlot`, as the Rust `#[repr(C)]` struct lays it out.
 *
 * Current protocol (64 bytes): `storage: [u8; 40]` at 0, `ref_count: AtomicU64` at 40,
 * `vtable_ptr` at 48, `in_list: AtomicU64` at 56 — eight u64 words.
 * Legacy protocol (64 bytes, older `meta.rs`): storage, then `ref_count: AtomicU32` at 48 and
 * `vtable_ptr` at 56, no `in_list` — sixteen u32 words.
 *
 * `vtable_ptr` holds the registered metadata type's id while metadata is initialized and 0 otherwise.
 */
import type { MemoryShape } from './memory.ts';

export type SlotLayout = Readonly<{
  /** Words per 64-byte slot. */
  wordsPerSlot: number;
  width: 64 | 32;
  /** Storage bytes available to metadata. */
  storageBytes: number;
  refCount: number;
  vtable: number;
  /** -1 when the layout has no `in_list` field. */
  inList: number;
  refCountUnused: bigint;
}>;

export const CURRENT_LAYOUT: SlotLayout = Object.freeze({
  wordsPerSlot: 8,
  width: 64,
  storageBytes: 40,
  refCount: 5,
  vtable: 6,
  inList: 7,
  refCountUnused: (1n << 64n) - 1n,
});

export const LEGACY_LAYOUT: SlotLayout = Object.freeze({
  wordsPerSlot: 16,
  width: 32,
  storageBytes: 48,
  refCount: 12,
  vtable: 14,
  inList: -1,
  refCountUnused: (1n << 32n) - 1n,
});

/** The memory shape of a region of `nslots` slots, every one initialized unused (`alloc_meta_frames`). */
export function regionShape(layout: SlotLayout, nslots: number): MemoryShape {
  const { wordsPerSlot, refCount, refCountUnused } = layout;
  return Object.freeze({
    words: nslots * wordsPerSlot,
    width: layout.width,
    initialWord: (w: number) => (w % wordsPerSlot === refCount ? refCountUnused : 0n),
  });
}
