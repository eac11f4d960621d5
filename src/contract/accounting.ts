/**
 * The live references the contract layer knows of, and the accounting invariant over them: every
 * `Frame` handle, `UniqueFrame` handle, unique frame parked in a list and forgotten reference
 * (`into_raw`) is counted per frame, and after every checked call the counts must explain the ghost
 * reference count (`spec/frame/accounting.ts`, vostd's embedding `accounting_inv`).
 *
 * Handles are values with identity: a consumed handle (dropped, converted, pushed into a list) used
 * again is a linearity violation of the caller.
 */
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { ACCOUNTING_INV, frameViolations, type AccountingState, type PaddrRange } from '../../spec/frame/accounting.ts';
import type { UniqueFrameOwner } from '../../spec/frame/UniqueFrame.ts';
import { slotOwner, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import type { PageUsage } from '../../spec/meta/MetaSlotOwner.ts';
import { PAGE_SIZE, type FrameIndex, type ModelParams, type Paddr } from '../../spec/vocab.ts';
import type { InvCheck } from './ContractChecker.ts';
import { coverageEnabled } from './coverage.ts';

/** A live `Frame` handle: a reference to the frame in slot `slot`. */
export type FrameHandle = Readonly<{ kind: 'frame'; id: number; slot: SlotPtr }>;
/** A live `UniqueFrame` handle and its tracked `UniqueFrameOwner`. */
export type UniqueHandle = Readonly<{ kind: 'unique'; id: number; slot: SlotPtr; owner: UniqueFrameOwner }>;
/** Either handle. */
export type Handle = FrameHandle | UniqueHandle;

const bump = (m: Map<Paddr, number>, paddr: Paddr, delta: number): void => {
  const n = (m.get(paddr) ?? 0) + delta;
  if (n === 0) m.delete(paddr);
  else m.set(paddr, n);
};

/**
 * A handle as the store mints it: its fields (frozen), and, outside them, the store it is live in
 * (`undefined` once consumed). A private field is no property: freezing leaves it writable, and
 * reading it is a load where a set of live ids would be a hash lookup per call.
 */
class Minted {
  readonly kind: 'frame' | 'unique';
  readonly id: number;
  readonly slot: SlotPtr;
  #liveIn: HandleStore | undefined;

  constructor(kind: 'frame' | 'unique', id: number, slot: SlotPtr, store: HandleStore) {
    this.kind = kind;
    this.id = id;
    this.slot = slot;
    this.#liveIn = store;
  }

  /** The store `h` is live in (`undefined` when consumed, or not minted by a store). */
  static liveIn(h: Handle): HandleStore | undefined {
    return #liveIn in h ? h.#liveIn : undefined;
  }

  /** Marks `h` consumed. */
  static kill(h: Minted): void {
    h.#liveIn = undefined;
  }
}

/** A minted `UniqueFrame` handle: a `Minted` with its owner. */
class MintedUnique extends Minted {
  readonly owner: UniqueFrameOwner;

  constructor(id: number, slot: SlotPtr, owner: UniqueFrameOwner, store: HandleStore) {
    super('unique', id, slot, store);
    this.owner = owner;
  }
}

/** The live handles and the per-frame reference counts they add up to. */
export class HandleStore {
  readonly handles = new Map<Paddr, number>();
  readonly uniques = new Map<Paddr, number>();
  readonly listed = new Map<Paddr, number>();
  /** References forgotten with `Frame::into_raw` and not yet restored (what a page table holds). */
  readonly ptes = new Map<Paddr, number>();
  private liveCount = 0;
  private nextId = 1;

  /** A new `Frame` handle for slot `slot`. */
  mintFrame(slot: SlotPtr): FrameHandle {
    const h = Object.freeze(new Minted('frame', this.nextId++, slot, this)) as FrameHandle;
    this.liveCount++;
    bump(this.handles, slot * PAGE_SIZE, 1);
    return h;
  }

  /** A new `UniqueFrame` handle for slot `slot` with its owner. */
  mintUnique(slot: SlotPtr, owner: UniqueFrameOwner): UniqueHandle {
    const h = Object.freeze(new MintedUnique(this.nextId++, slot, owner, this)) as UniqueHandle;
    this.liveCount++;
    bump(this.uniques, slot * PAGE_SIZE, 1);
    return h;
  }

  /** Whether `h` is live (minted by this store and not consumed). */
  isLive(h: Handle): boolean {
    return Minted.liveIn(h) === this;
  }

  /** Consumes `h`; returns whether it was live (a dead handle changes no count). */
  consume(h: Handle): boolean {
    if (Minted.liveIn(h) !== this) return false;
    Minted.kill(h as unknown as Minted);
    this.liveCount--;
    bump(h.kind === 'frame' ? this.handles : this.uniques, h.slot * PAGE_SIZE, -1);
    return true;
  }

  /** A unique frame enters (`+1`) or leaves (`−1`) a list. */
  list(slot: SlotPtr, delta: 1 | -1): void {
    bump(this.listed, slot * PAGE_SIZE, delta);
  }

  /** A reference is forgotten (`+1`, `into_raw`) or restored (`−1`, `from_raw`). */
  raw(slot: SlotPtr, delta: 1 | -1): void {
    bump(this.ptes, slot * PAGE_SIZE, delta);
  }

  /** The number of live handles. */
  get size(): number {
    return this.liveCount;
  }
}

/** Other references the accounting sees: live segments and the allocator's free ranges. */
export type ExternalRefs = Readonly<{ segments?: () => readonly PaddrRange[]; free?: () => readonly PaddrRange[] }>;

/** The accounting state of `store` over the ghost region, with counts and usages at `indices`. */
export function accountingState(
  store: HandleStore,
  ghost: MetaRegionOwners,
  indices: readonly FrameIndex[],
  ext: ExternalRefs = {},
): AccountingState {
  const rc = new Map<Paddr, bigint>();
  const usage = new Map<Paddr, PageUsage>();
  for (const i of indices) {
    const o = slotOwner(ghost, i);
    rc.set(i * PAGE_SIZE, o.innerPerms.refCount.value);
    usage.set(i * PAGE_SIZE, o.usage);
  }
  const segments = ext.segments?.() ?? [];
  const free = ext.free?.();
  const { handles, uniques, listed, ptes } = store;
  return free === undefined
    ? { p: ghost.p, rc, usage, handles, uniques, listed, ptes, segments }
    : { p: ghost.p, rc, usage, handles, uniques, listed, ptes, segments, free };
}

/**
 * The accounting checks at `indices`: none when every clause holds and clause coverage is off (the
 * hot path), else one check per clause and frame, so a violation is reported clause by clause.
 */
export function accountingChecks(state: AccountingState, indices: readonly FrameIndex[], p: ModelParams): InvCheck[] {
  let bad = false;
  for (const i of indices) if (frameViolations(state, i * PAGE_SIZE).length > 0) bad = true;
  if (!bad && !coverageEnabled()) return [];
  const out: InvCheck[] = [];
  for (const i of indices) {
    const ctx = { value: { state, frame: i * PAGE_SIZE }, p };
    for (const clause of ACCOUNTING_INV) out.push({ clause: clause as InvCheck['clause'], ctx });
  }
  return out;
}
