/**
 * The abstraction function (vostd's `View`): real memory → ghost model. The one place where `spec/`
 * and `impl/` meet.
 *
 * Physical fields of a slot (the count, `in_list`, the vtable and the storage) are read from memory;
 * ghost-only fields (`usage`, `paths_in_pt`) come from the previous ghost value, because only proof
 * code changes them. Permission identities are the slot's field identities (`slotIds`).
 */
import { frameMetaByVtable, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import type { Memory } from '../../impl/meta/memory.ts';
import type { MetaRegion, SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { slotIds, type MetaSlotOwner, type MetaSlotStorage } from '../../spec/meta/MetaSlotOwner.ts';
import { slotOwner, withSlotOwner, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import { init, permissionU64, UNINIT } from '../../spec/meta/perms.ts';
import type { FrameIndex } from '../../spec/vocab.ts';

/** The ghost view of a metadata value: its type name and its fields. */
export function storageOf(meta: FrameMeta): MetaSlotStorage {
  const v = meta.value;
  const fields = v === null || v === undefined ? {} : typeof v === 'object' ? { ...(v as object) } : { value: v };
  return Object.freeze({ type: meta.type.name, fields: Object.freeze(fields) });
}

/** The ghost-only fields of a slot owner: what only proof code changes. */
export type OwnerGhost = Pick<MetaSlotOwner, 'usage' | 'pathsInPt'>;

const FRAME_GHOST: OwnerGhost = Object.freeze({ usage: 'Frame', pathsInPt: new Set<string>() });

/**
 * The abstraction function on one slot: the ghost owner of slot `i` whose count is `rc`, whose
 * `in_list` is `inList` and whose metadata is `meta` (`undefined` once dropped; the vtable points at
 * its type, unless `vtable` names another). Ghost-only fields come from `ghost` (default: a frame slot no page table maps). The
 * contract layer, the explorer and the audit all build owners with it.
 */
export function slotOwnerOf(
  i: FrameIndex,
  rc: bigint,
  inList: bigint,
  meta: MetaSlotStorage | undefined,
  ghost: OwnerGhost = FRAME_GHOST,
  vtable: string | undefined = meta?.type,
): MetaSlotOwner {
  const ids = slotIds(i);
  return Object.freeze({
    innerPerms: Object.freeze({
      storage: Object.freeze({ id: ids.storageId, contents: meta === undefined ? UNINIT : init(meta) }),
      refCount: permissionU64(ids.refCountId, rc),
      vtablePtr: Object.freeze({ addr: ids.vtablePtr, contents: vtable === undefined ? UNINIT : init(vtable) }),
      inList: permissionU64(ids.inListId, inList),
    }),
    selfAddr: metaAddr(i),
    usage: ghost.usage,
    pathsInPt: ghost.pathsInPt,
  });
}

/** The words of slot `i` as a raw reader sees them. */
export type SlotWords = Readonly<{ refCount: bigint; inList: bigint; vtable: bigint }>;

/** Reads slot `i`'s count, `in_list` and vtable words through `mem` without logging (plain reads). */
export function readSlotWords(region: MetaRegion, mem: Memory, i: SlotPtr): SlotWords {
  const base = i * region.layout.wordsPerSlot;
  return {
    refCount: mem.readPlain(base + region.layout.refCount),
    inList: region.layout.inList < 0 ? 0n : mem.readPlain(base + region.layout.inList),
    vtable: mem.readPlain(base + region.layout.vtable),
  };
}

/**
 * `view(slot i)`: the owner of slot `i` as memory shows it, keeping `prev`'s ghost-only fields.
 * `refCount` overrides the count read from memory (the value at the call's linearization point).
 */
export function viewSlotOwner(
  region: MetaRegion,
  mem: Memory,
  i: FrameIndex,
  prev: MetaSlotOwner,
  refCount?: bigint,
  storageUnchanged = false,
): MetaSlotOwner {
  const words = readSlotWords(region, mem, i);
  const ids = slotIds(i);
  const p = prev.innerPerms;
  const rc = refCount ?? words.refCount;
  const type = words.vtable === 0n ? undefined : frameMetaByVtable(words.vtable);
  // The metadata cannot have changed when the vtable word is the same and the call wrote no storage.
  const same =
    storageUnchanged &&
    (type === undefined
      ? !p.vtablePtr.contents.init
      : p.vtablePtr.contents.init && p.vtablePtr.contents.value === type.name);
  const rcSame = p.refCount.value === rc && p.refCount.id === ids.refCountId;
  const listSame = p.inList.value === words.inList && p.inList.id === ids.inListId;
  if (same && rcSame && listSame) return prev;
  if (same) {
    const kept = p.storage.contents;
    return slotOwnerOf(i, rc, words.inList, kept.init ? kept.value : undefined, prev, type?.name);
  }
  const meta = type === undefined ? undefined : region.dynMeta(i);
  return slotOwnerOf(i, rc, words.inList, meta === undefined ? undefined : storageOf(meta), prev, type?.name);
}

/**
 * The region ghost with slots `indices` re-read from memory; `refCounts[k]` overrides the count of
 * `indices[k]`, and slots not in `storageWritten` keep their metadata when the vtable word is unchanged.
 */
export function viewRegion(
  region: MetaRegion,
  mem: Memory,
  ghost: MetaRegionOwners,
  indices: readonly FrameIndex[],
  refCounts?: readonly (bigint | undefined)[],
  storageWritten?: readonly FrameIndex[],
): MetaRegionOwners {
  let g = ghost;
  indices.forEach((i, k) => {
    const o = viewSlotOwner(
      region,
      mem,
      i,
      slotOwner(ghost, i),
      refCounts?.[k],
      storageWritten !== undefined && !storageWritten.includes(i),
    );
    g = withSlotOwner(g, i, o);
  });
  return g;
}
