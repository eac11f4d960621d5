/**
 * Boot-time memory regions, as OSTD's boot layer hands them to `meta::init`.
 *
 * @see asterinas `ostd/src/boot/memory_region.rs` (`MemoryRegionType`, `MemoryRegion`)
 */

/**
 * OSTD's `MemoryRegionType`, by name. The discriminant order matters: where regions overlap, the
 * lowest discriminant (the most restrictive type) wins, so use {@link regionTypeOrder}, never the
 * string order.
 */
export const MemoryRegionType = {
  /** Maybe an unplugged DIMM module; bad anyway. */
  BadMemory: 'BadMemory',
  /** A hole the firmware did not describe; maybe I/O memory. */
  Unknown: 'Unknown',
  /** ACPI NVS: must be preserved across sleep. */
  NonVolatileSleep: 'NonVolatileSleep',
  /** Reserved by the firmware or bootloader. */
  Reserved: 'Reserved',
  /** Where the kernel sections are loaded. */
  Kernel: 'Kernel',
  /** Where kernel modules (e.g. the initrd) are loaded. */
  Module: 'Module',
  /** The framebuffer. */
  Framebuffer: 'Framebuffer',
  /** Used during boot; reclaimable afterwards (e.g. ACPI tables). */
  Reclaimable: 'Reclaimable',
  /** Directly usable by the frame allocator. */
  Usable: 'Usable',
} as const;

/** One of OSTD's nine region types. */
export type MemoryRegionType = (typeof MemoryRegionType)[keyof typeof MemoryRegionType];

/** Every region type, indexed by its OSTD discriminant (`BadMemory = 0` … `Usable = 8`). */
export const MEMORY_REGION_TYPES: readonly MemoryRegionType[] = [
  'BadMemory',
  'Unknown',
  'NonVolatileSleep',
  'Reserved',
  'Kernel',
  'Module',
  'Framebuffer',
  'Reclaimable',
  'Usable',
];

const ORDER: Readonly<Record<MemoryRegionType, number>> = {
  BadMemory: 0,
  Unknown: 1,
  NonVolatileSleep: 2,
  Reserved: 3,
  Kernel: 4,
  Module: 5,
  Framebuffer: 6,
  Reclaimable: 7,
  Usable: 8,
};

/** The OSTD discriminant of `type` (`type as u8`): lower is more restrictive. */
export function regionTypeOrder(type: MemoryRegionType): number {
  return ORDER[type];
}

/** Whether `value` names a region type (for parsers of user input). */
export function isMemoryRegionType(value: string): value is MemoryRegionType {
  return Object.hasOwn(ORDER, value);
}

/**
 * Whether a region of this type is backed by physical memory, so that `meta::init` counts it
 * towards `max_paddr` and the linear mapping covers it. Bad memory and I/O memory (unknown holes,
 * reserved ranges, the framebuffer) are not.
 *
 * @see asterinas `MemoryRegionType::is_physical` (ostd/src/boot/memory_region.rs); vostd's copy of
 * `meta::init` still filters on `== Usable`.
 */
export function isPhysical(type: MemoryRegionType): boolean {
  return type !== 'BadMemory' && type !== 'Unknown' && type !== 'Reserved' && type !== 'Framebuffer';
}

/**
 * A physical address range `[base, end)` of one type. Addresses are u64 values held as bigints;
 * a parsed region has `0 <= base <= end <= U64_MAX` (OSTD stores `base` and `len` and computes
 * `end = base + len`, which must not overflow).
 */
export type MemoryRegion = {
  readonly base: bigint;
  readonly end: bigint;
  readonly type: MemoryRegionType;
};
