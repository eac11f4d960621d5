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
 * The set of live handle ids. Ids are minted in increasing order and most handles die young, so the
 * recent ids sit in a window of flags (an array index per lookup, where a hash set hashes); a live id
 * the window moves past goes to a set (`old`). Liveness is by id, as a handle's identity is: a copy
 * of a live handle (a forged one) is live too, and consuming either consumes both.
 */
export class LiveIds {
  private flags = new Uint8Array(1024);
  /** The id of `flags[0]`. */
  private lo = 1;
  private readonly old = new Set<number>();
  private count = 0;

  /** Adds `id`, which is above every id added before. */
  add(id: number): void {
    while (id - this.lo >= this.flags.length) this.slide();
    this.flags[id - this.lo] = 1;
    this.count++;
  }

  /** Whether `id` is live. */
  has(id: number): boolean {
    const k = id - this.lo;
    return k >= 0 ? k < this.flags.length && this.flags[k] === 1 : this.old.has(id);
  }

  /** Removes `id`; returns whether it was live. */
  delete(id: number): boolean {
    const k = id - this.lo;
    let was: boolean;
    if (k >= 0) {
      was = k < this.flags.length && this.flags[k] === 1;
      if (was) this.flags[k] = 0;
    } else was = this.old.delete(id);
    if (was) this.count--;
    return was;
  }

  /** The number of live ids. */
  get size(): number {
    return this.count;
  }

  /**
   * Moves the window up by half its length: the live ids of the lower half go to `old`. The window
   * doubles when more than a quarter of it stays live, so a store holding many handles slides rarely.
   */
  private slide(): void {
    const f = this.flags;
    const half = f.length >> 1;
    let liveInWindow = 0;
    for (let k = 0; k < f.length; k++) liveInWindow += f[k]!;
    if (liveInWindow > f.length >> 2) {
      const bigger = new Uint8Array(f.length * 2);
      bigger.set(f);
      this.flags = bigger;
      return;
    }
    for (let k = 0; k < half; k++) if (f[k] === 1) this.old.add(this.lo + k);
    f.copyWithin(0, half);
    f.fill(0, f.length - half);
    this.lo += half;
  }
}

/** The live handles and the per-frame reference counts they add up to. */
export class HandleStore {
  readonly handles = new Map<Paddr, number>();
  readonly uniques = new Map<Paddr, number>();
  readonly listed = new Map<Paddr, number>();
  /** References forgotten with `Frame::into_raw` and not yet restored (what a page table holds). */
  readonly ptes = new Map<Paddr, number>();
  private readonly live = new LiveIds();
  private nextId = 1;

  /** A new `Frame` handle for slot `slot`. */
  mintFrame(slot: SlotPtr): FrameHandle {
    const h: FrameHandle = Object.freeze({ kind: 'frame', id: this.nextId++, slot });
    this.live.add(h.id);
    bump(this.handles, slot * PAGE_SIZE, 1);
    return h;
  }

  /** A new `UniqueFrame` handle for slot `slot` with its owner. */
  mintUnique(slot: SlotPtr, owner: UniqueFrameOwner): UniqueHandle {
    const h: UniqueHandle = Object.freeze({ kind: 'unique', id: this.nextId++, slot, owner });
    this.live.add(h.id);
    bump(this.uniques, slot * PAGE_SIZE, 1);
    return h;
  }

  /** Whether `h` is live (not consumed). */
  isLive(h: Handle): boolean {
    return this.live.has(h.id);
  }

  /** Consumes `h`; returns whether it was live (a dead handle changes no count). */
  consume(h: Handle): boolean {
    if (!this.live.delete(h.id)) return false;
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
    return this.live.size;
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
