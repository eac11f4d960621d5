/**
 * The ghost region a checked layer keeps with a fast path (see `fastPath.ts`): the region as of the
 * last full check, the counts and ledger entries fast calls moved since (written into the region only
 * when someone reads it), and per touched slot the memo a fast call reads (`SlotEntry`: the raw
 * entries and the value of `regions.inv()` at the slot per count).
 *
 * A fast call allocates no region: it reads its slot's entry, and records its count and ledger change
 * in `move`. Reading `ghost` writes every recorded change into the region, so the full check and any
 * other reader see exactly the region the full check would have built call by call.
 */
import type { Memory } from '../../impl/meta/memory.ts';
import type { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import {
  slotOwner,
  slotPerm,
  withLedger,
  withSlotOwner,
  type MetaRegionOwners,
  type SlotPerm,
} from '../../spec/meta/MetaRegionOwners.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import type { FrameIndex } from '../../spec/vocab.ts';
import {
  CountMemo,
  invAtCount,
  invWithOwner,
  ownerEqButCount,
  withRefCount,
  type Footprint,
  type SlotEntry,
} from './fastPath.ts';
import { LastKeyMap } from './lastKeyMap.ts';
import { viewSlotOwner } from './view.ts';
import type { MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';

/**
 * What fast calls did at one slot since the region last absorbed them: the count they left, the
 * obligations minted minus redeemed, and the owner a call that rewrote the slot left (`undefined`: the
 * region's, with the count `rc`).
 */
type Moved = { rc: bigint; obl: number; owner: MetaSlotOwner | undefined };

export class FastPathGhost {
  private base: MetaRegionOwners;
  private readonly moved = new LastKeyMap<Moved>();
  private readonly entries = new LastKeyMap<SlotEntry>();
  /** `ledger.count(key)` as last read (the ledger is a persistent value: its identity keys the count). */
  private ledger: MetaRegionOwners['frameObligations'] | undefined = undefined;
  private ledgerKey = -1;
  private ledgerCount = 0;
  private readonly region: MetaRegion;
  private readonly mem: Memory;

  /** `mem` is the region's memory, read without logging. */
  constructor(region: MetaRegion, mem: Memory, initial: MetaRegionOwners) {
    this.region = region;
    this.mem = mem;
    this.base = initial;
  }

  /** The region with every fast call's change written in. */
  get ghost(): MetaRegionOwners {
    if (this.moved.size > 0) this.flush();
    return this.base;
  }

  set ghost(g: MetaRegionOwners) {
    this.moved.clear();
    this.base = g;
  }

  /** The region as of the last full check (without the fast calls' changes): what entries' memos are keyed on. */
  get stale(): MetaRegionOwners {
    return this.base;
  }

  /** A fast call left count `rc` at slot `i` and minted (`obl > 0`) or redeemed (`obl < 0`) obligations there. */
  move(i: FrameIndex, rc: bigint, obl = 0): void {
    const m = this.moved.get(i);
    if (m === undefined) this.moved.set(i, { rc, obl, owner: undefined });
    else {
      m.rc = rc;
      m.obl += obl;
    }
  }

  /**
   * A fast call rewrote slot `i` (read back from memory as `owner`: the count, the metadata and the
   * vtable it left) and minted or redeemed `obl` obligations there. Nothing is built: the slot's entry
   * takes the owner (its memo of the invariant dropped), and the region takes it when someone reads it.
   */
  rewrite(i: FrameIndex, owner: MetaSlotOwner, obl: number): void {
    this.move(i, owner.innerPerms.refCount.value, obl);
    this.moved.get(i)!.owner = owner;
    const e = this.entries.get(i);
    if (e === undefined) return;
    const { layout } = this.region;
    const per = i * layout.wordsPerSlot;
    e.owner = owner;
    e.resolved = owner;
    e.vtable = this.mem.readPlain(per + layout.vtable);
    e.inList = layout.inList < 0 ? 0n : this.mem.readPlain(per + layout.inList);
    e.inv = this.memoOf(e, owner);
    // the entry is the region's slot with the pending changes (fast calls move no permission)
    if (e.perm === this.base.slots.get(i)) e.seen = this.base;
  }

  /**
   * The word of slot `i`'s count as the view reads it (the region's layout; an implementation whose
   * `refCountWord` names another word writes outside it, which the footprint then sees).
   */
  rcWord(i: FrameIndex): number {
    const { layout } = this.region;
    return i * layout.wordsPerSlot + layout.refCount;
  }

  /** `slots[i]` of the region (fast calls move counts and the ledger only, so no change is pending there). */
  perm(i: FrameIndex): SlotPerm | undefined {
    return slotPerm(this.base, i);
  }

  /** `frame_obligations.count(i)` with the fast calls' changes. */
  obligations(i: FrameIndex): number {
    const ledger = this.base.frameObligations;
    if (ledger !== this.ledger || i !== this.ledgerKey) {
      this.ledger = ledger;
      this.ledgerKey = i;
      this.ledgerCount = ledger.count(i);
    }
    return this.ledgerCount + (this.moved.get(i)?.obl ?? 0);
  }

  /** Writes the fast calls' changes into the region; the slot entries keep their memo (only counts and the ledger moved). */
  private flush(): void {
    let g = this.base;
    for (const [i, m] of this.moved) {
      if (m.owner !== undefined) g = withSlotOwner(g, i, m.owner);
      g = withRefCount(g, i, m.rc);
      let ledger = g.frameObligations;
      for (let k = 0; k < m.obl; k++) ledger = ledger.mint(i);
      for (let k = 0; k > m.obl; k--) ledger = ledger.redeem(i);
      if (ledger !== g.frameObligations) g = withLedger(g, ledger);
    }
    for (const [i, m] of this.moved) {
      const e = this.entries.get(i);
      if (e === undefined || (e.owner !== this.base.slotOwners.get(i) && e.owner !== m.owner)) continue;
      e.owner = g.slotOwners.get(i);
      e.resolved = slotOwner(g, i);
      e.seen = g;
    }
    this.moved.clear();
    this.base = g;
  }

  /**
   * The footprint of a fast call on slot `i` before it runs, in `f`: the slot, the count memory holds
   * (what the full check's refresh reads) and `regions.inv()` at the slot with that count (unless
   * `inv` is false: a call a sampling level passes over reads none). Returns the slot's entry.
   */
  before(i: FrameIndex, f: Footprint, inv = true): SlotEntry {
    const e = this.entry(i);
    f.i = i;
    f.beforeRc = this.mem.readPlain(this.rcWord(i));
    f.invBefore = inv && invAtCount(this.base, e, i, f.beforeRc);
    return e;
  }

  /**
   * Whether memory shows slot `i` as the region (with the fast calls' changes) holds it: a view of the
   * slot would change nothing there. A call whose full check reads the region without refreshing the
   * slot first (`alloc_frame_with`) takes the fast path only then.
   */
  agrees(i: FrameIndex): boolean {
    const prior = slotOwner(this.regionAt(i), i);
    return viewSlotOwner(this.region, this.mem, i, prior, undefined, true) === prior;
  }

  /**
   * The region as it reads at slot `i`: with no fast call's change pending there, the region as of the
   * last full check reads the slot as the flushed one would (so it need not be built).
   */
  private regionAt(i: FrameIndex): MetaRegionOwners {
    return this.moved.has(i) ? this.ghost : this.base;
  }

  /**
   * Takes `g`, the region with slot `i`'s owner replaced by the one memory now shows there (a fast
   * call's own result), as the region; slot `i`'s entry follows it (its memo of the invariant is
   * dropped), so the next call there does not re-read the slot.
   */
  adopt(g: MetaRegionOwners, i: FrameIndex): void {
    this.ghost = g;
    const e = this.entries.get(i);
    if (e === undefined) return;
    const { layout } = this.region;
    const per = i * layout.wordsPerSlot;
    e.owner = g.slotOwners.get(i);
    e.resolved = slotOwner(g, i);
    e.vtable = this.mem.readPlain(per + layout.vtable);
    e.inList = layout.inList < 0 ? 0n : this.mem.readPlain(per + layout.inList);
    e.seen = g;
    // the full check may have moved the slot's permission: no memo carries over
    e.inv = new CountMemo();
    e.alts = [{ owner: e.resolved, inv: e.inv }];
  }

  /**
   * `regions.inv()` at slot `i` (entry `e`, its permission) with `owner` there, from the memo of the
   * owners the slot held lately (computed once per owner value and count).
   */
  invWith(e: SlotEntry, i: FrameIndex, owner: MetaSlotOwner): boolean {
    const memo = this.memoOf(e, owner);
    const rc = owner.innerPerms.refCount.value;
    let v = memo.get(rc);
    if (v === undefined) {
      v = invWithOwner(this.base, e.perm, i, owner);
      memo.set(rc, v);
    }
    return v;
  }

  /** The memo of `owner` (equal but the count) among `e`'s, a new one when the slot held none lately. */
  private memoOf(e: SlotEntry, owner: MetaSlotOwner): CountMemo {
    const alts = e.alts;
    for (let k = 0; k < alts.length; k++) if (ownerEqButCount(alts[k]!.owner, owner)) return alts[k]!.inv;
    const inv = new CountMemo();
    if (alts.length >= 4) alts.shift();
    alts.push({ owner, inv });
    return inv;
  }

  /**
   * `regions.inv()` at slot `i` of the region with the slot re-read from memory, from the slot's memo:
   * `undefined` when the memo is not current (no entry, the vtable or `in_list` word or the region's
   * entries moved since). A count or ledger change fast calls left pending does not matter: the count
   * is memory's, and the invariant at a slot reads no ledger. Changes nothing (safe inside a full check).
   */
  invInMemory(i: FrameIndex): boolean | undefined {
    const e = this.entries.get(i);
    if (e === undefined) return undefined;
    const { layout } = this.region;
    const per = i * layout.wordsPerSlot;
    if (e.vtable !== this.mem.readPlain(per + layout.vtable)) return undefined;
    if (layout.inList >= 0 && e.inList !== this.mem.readPlain(per + layout.inList)) return undefined;
    const current = e.owner === this.base.slotOwners.get(i) && e.perm === this.base.slots.get(i);
    if (e.seen !== this.base && !current) return undefined;
    return invAtCount(this.base, e, i, this.mem.readPlain(this.rcWord(i)));
  }

  /**
   * The entry of slot `i`, refreshed from memory (the slot's owner re-read into the region, as the full
   * check's refresh does) when the region or the slot's vtable or `in_list` word moved since it was made.
   * The count word is the caller's to read: a fast call takes it from memory.
   */
  entry(i: FrameIndex): SlotEntry {
    const e = this.entries.get(i);
    const { layout } = this.region;
    const per = i * layout.wordsPerSlot;
    const vtable = this.mem.readPlain(per + layout.vtable);
    const inList = layout.inList < 0 ? 0n : this.mem.readPlain(per + layout.inList);
    if (e !== undefined && e.vtable === vtable && e.inList === inList) {
      if (e.seen === this.base) return e;
      if (e.owner === this.base.slotOwners.get(i) && e.perm === this.base.slots.get(i)) {
        e.seen = this.base;
        return e;
      }
    }
    // A slot memory shows as the region holds it needs no region built.
    const before = this.regionAt(i);
    const prior = slotOwner(before, i);
    const viewed = viewSlotOwner(this.region, this.mem, i, prior, undefined, true);
    const g = viewed === prior ? before : (this.ghost = withSlotOwner(this.ghost, i, viewed));
    const perm = slotPerm(g, i);
    const addr = metaAddr(i);
    const fresh: SlotEntry = {
      owner: g.slotOwners.get(i),
      perm: g.slots.get(i),
      vtable,
      inList,
      // `slotOwner(g, i)`: the owner just viewed (the one `g` holds, or an equal default)
      resolved: viewed,
      // a permission at its own slot's address (the usual case) needs no division
      permSlot: perm === undefined ? -1 : perm.addr === addr ? i : slotOfMetaAddr(perm.addr),
      addr,
      seen: g,
      inv: new CountMemo(),
      alts: [],
    };
    fresh.alts.push({ owner: fresh.resolved, inv: fresh.inv });
    if (this.entries.size > 4096) this.entries.clear();
    this.entries.set(i, fresh);
    return fresh;
  }
}

/** The slot index whose meta address is `addr`, or -1 when `addr` is not one. */
export function slotOfMetaAddr(addr: bigint): FrameIndex {
  const off = addr - metaAddr(0);
  return off >= 0n && off % 64n === 0n && off / 64n < BigInt(Number.MAX_SAFE_INTEGER) ? Number(off / 64n) : -1;
}
