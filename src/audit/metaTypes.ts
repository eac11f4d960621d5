/**
 * The metadata types of an audited kernel and the ghost usage each one gives its slots. A type fixes
 * the usage: boot-time frames (the metadata pages, the kernel image, reserved and unusable memory,
 * frames of the early allocator) are held for ever with no handle, so the accounting equation applies
 * only to the rest (usage `Frame`).
 *
 * A kernel names its own types (`impl_frame_meta_for!` on a page-cache, VMO or driver type): a name
 * neither upstream nor registered with framecheck is an ordinary typed frame, usage `Frame`. The dump
 * (`"metaTypes": {"NAME": "USAGE"}`) and `framecheck audit --meta-type NAME=USAGE,…` declare other
 * usages; the flag wins over the dump, and both win over the built-in list.
 *
 * @see docs/formats.md, "Metadata-region dumps"
 */
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

/** The upstream metadata type names with a built-in usage. */
export const UPSTREAM_META_TYPES: readonly string[] = Object.keys(USAGE);

/** The usages a metadata type may be declared with: every `PageUsage` but `Unused`, which is no type's. */
export const META_USAGES = ['Frame', 'PageTable', 'Meta', 'Kernel', 'Reserved', 'MMIO'] as const;

/** A usage a metadata type may be declared with. */
export type MetaUsage = (typeof META_USAGES)[number];

/** Declared usages by type name, overriding the built-in ones. */
export type MetaTypeUsages = ReadonlyMap<string, MetaUsage>;

/** Whether `s` names a usage a type may be declared with. */
export function isMetaUsage(s: string): s is MetaUsage {
  return (META_USAGES as readonly string[]).includes(s);
}

/** The ghost usage of a slot holding metadata of type `name`: declared, built in, or `Frame`. */
export function usageOf(name: string, declared?: MetaTypeUsages): PageUsage {
  const d = declared?.get(name);
  if (d !== undefined) return d;
  return Object.hasOwn(USAGE, name) ? USAGE[name]! : 'Frame';
}

/**
 * Parses `NAME=USAGE[,NAME=USAGE…]` (the `--meta-type` flag), or returns the one-line reason it is not
 * one. A name is a Rust type path (letters, digits, `_`, `::`, generics in `<>`).
 */
export function parseMetaTypeList(text: string): Map<string, MetaUsage> | { error: string } {
  const out = new Map<string, MetaUsage>();
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const usage = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (eq < 0 || name === '')
      return { error: `${JSON.stringify(item.slice(0, 60))} is not NAME=USAGE (e.g. PageCacheMeta=Frame)` };
    if (!isMetaUsage(usage))
      return { error: `${name}: usage ${JSON.stringify(usage.slice(0, 40))} is not one of ${META_USAGES.join(', ')}` };
    out.set(name, usage);
  }
  return out;
}
