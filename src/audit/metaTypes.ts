/**
 * The metadata type names an audit knows: the upstream ones (DESIGN §5.3) and every type registered
 * with framecheck. A dump naming another type is bad input. A type also fixes the slot's ghost usage:
 * boot-time frames (the metadata pages, the kernel image, reserved and unusable memory, frames of the
 * early allocator) are held for ever with no handle, so the accounting equation applies only to the
 * rest (usage `Frame`).
 */
import { frameMetaByName } from '../../impl/meta/frameMeta.ts';
import type { PageUsage } from '../../spec/meta/MetaSlotOwner.ts';

const USAGE: Readonly<Record<string, PageUsage>> = {
  MetaPageMeta: 'Meta',
  KernelMeta: 'Kernel',
  ReservedMemoryMeta: 'Reserved',
  UnusableMemoryMeta: 'Reserved',
  EarlyAllocatedFrameMeta: 'Kernel',
  PageTablePageMeta: 'PageTable',
  UntypedMeta: 'Frame',
};

/** The upstream metadata type names. */
export const UPSTREAM_META_TYPES: readonly string[] = Object.keys(USAGE);

/** Whether an audit knows the metadata type `name`. */
export function isKnownMetaType(name: string): boolean {
  return Object.hasOwn(USAGE, name) || frameMetaByName(name) !== undefined;
}

/** The ghost usage of a slot holding metadata of type `name`. */
export function usageOf(name: string): PageUsage {
  return Object.hasOwn(USAGE, name) ? USAGE[name]! : 'Frame';
}
