/**
 * Frame metadata types: what a slot's 40-byte storage can hold.
 *
 * A type registers a codec for its value, its size and alignment (checked at registration, as
 * `check_frame_meta_layout!` checks them at compile time), an `onDrop` hook run with a reader over the
 * frame when the last reference goes away, and `isUntyped`. The id a registration returns is what
 * the slot's `vtable_ptr` word holds.
 *
 * @see upstream `ostd/src/mm/frame/meta.rs` (`AnyFrameMeta`, `impl_frame_meta_for!`, `check_frame_meta_layout!`)
 */
import type { VmReader } from './physMemory.ts';

export const FRAME_METADATA_MAX_SIZE = 40;
export const FRAME_METADATA_MAX_ALIGN = 64;

/** The definition of a metadata type `M`. */
export type FrameMetaDef<M> = Readonly<{
  name: string;
  /** `size_of::<M>()` in bytes. */
  size: number;
  /** `align_of::<M>()` in bytes. */
  align: number;
  encode(value: M, out: DataView): void;
  decode(bytes: DataView): M;
  /** `AnyFrameMeta::on_drop`: runs before the metadata is dropped, with a reader over the frame. */
  onDrop?(value: M, reader: VmReader): void;
  /** `AnyFrameMeta::is_untyped`. */
  isUntyped?: boolean;
}>;

/** A registered metadata type: its definition and the id stored in `vtable_ptr`. */
export type FrameMetaType<M> = FrameMetaDef<M> & Readonly<{ vtable: bigint }>;

/** A metadata value together with its type: what `write_meta` stores. */
export type FrameMeta<M = unknown> = Readonly<{ type: FrameMetaType<M>; value: M }>;

/** A metadata type that does not fit a slot, refused at registration. */
export class FrameMetaLayoutError extends Error {
  override readonly name = 'FrameMetaLayoutError';
}

const registry: FrameMetaType<unknown>[] = [];

/**
 * Registers a metadata type, checking its layout as `check_frame_meta_layout!` does.
 * Throws `FrameMetaLayoutError` naming the type when it is larger than 40 bytes or over-aligned:
 * that is the compile-time error of the Rust macro, so it is raised where the type is defined.
 */
export function registerFrameMeta<M>(def: FrameMetaDef<M>): FrameMetaType<M> {
  if (!Number.isInteger(def.size) || def.size < 0 || def.size > FRAME_METADATA_MAX_SIZE) {
    throw new FrameMetaLayoutError(
      `frame metadata type ${def.name} is ${def.size} bytes; FRAME_METADATA_MAX_SIZE is ${FRAME_METADATA_MAX_SIZE}`,
    );
  }
  const align = def.align;
  if (!Number.isInteger(align) || align < 1 || (align & (align - 1)) !== 0 || align > FRAME_METADATA_MAX_ALIGN) {
    throw new FrameMetaLayoutError(
      `frame metadata type ${def.name} has alignment ${align}; it must be a power of two at most FRAME_METADATA_MAX_ALIGN (${FRAME_METADATA_MAX_ALIGN})`,
    );
  }
  const existing = registry.find((t) => t.name === def.name);
  if (existing !== undefined) return existing as FrameMetaType<M>;
  const type = Object.freeze({ ...def, vtable: BigInt(registry.length + 1) });
  registry.push(type as FrameMetaType<unknown>);
  return type;
}

/** The registered type whose id is `vtable`, if any. */
export function frameMetaByVtable(vtable: bigint): FrameMetaType<unknown> | undefined {
  return registry[Number(vtable) - 1];
}

/** The registered type named `name`, if any. */
export function frameMetaByName(name: string): FrameMetaType<unknown> | undefined {
  return registry.find((t) => t.name === name);
}

/** A unit struct's metadata type (`impl_frame_meta_for!(T)` on a zero-sized `T`). */
function unitMeta(name: string, isUntyped = false): FrameMetaType<null> {
  return registerFrameMeta<null>({ name, size: 0, align: 1, encode: () => {}, decode: () => null, isUntyped });
}

/** `()`: the untyped metadata of `alloc_frame()` frames. */
export const UnitMeta = unitMeta('()', true);
/** The frames that hold the metadata slots themselves. */
export const MetaPageMeta = unitMeta('MetaPageMeta');
/** Frames holding the kernel image. */
export const KernelMeta = unitMeta('KernelMeta');
/** Reserved memory, maybe later used as I/O memory. */
export const ReservedMemoryMeta = unitMeta('ReservedMemoryMeta');
/** Unusable memory. */
export const UnusableMemoryMeta = unitMeta('UnusableMemoryMeta');
/** Frames the early allocator handed out before the metadata existed. */
export const EarlyAllocatedFrameMeta = unitMeta('EarlyAllocatedFrameMeta');

/** A metadata value of a unit type. */
export function unit(type: FrameMetaType<null>): FrameMeta<null> {
  return Object.freeze({ type, value: null });
}
