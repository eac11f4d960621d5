/**
 * The clause engine: runs a clause mutant (`src/mutants/clauseMutants.ts`) through fixed scenarios of
 * checked calls — every operation of its area (the MetaSlot region with its internal calls and
 * `on_drop`, the frame layer, lists, segments, FrameAllocOptions, the global allocator), at frames and at
 * edge addresses, on the happy paths, the error paths and the aborting ones — in `collect` mode, so that every clause false at any call is
 * recorded (under `withFalsifier('mutant:NAME')`, as the clause's falsifier). A mutant is killed when
 * some clause blamed on the implementation is false (a requires of an internal call — `frame_to_meta`,
 * `meta_to_frame`, `addr_of`, `on_drop` — counts: its caller is the implementation); the real implementation runs the same scenarios
 * with no such violation (`clauseMutants.test.ts` checks it), so every one is the mutant's doing.
 *
 * The fast path is off for the run: a proof-code mutant perturbs the checked layer's ghost step, which
 * a call the fast path accepts never takes.
 */
import { BuddyAllocator } from '../../../impl/alloc/BuddyAllocator.ts';
import { link } from '../../../impl/frame/LinkedList.ts';
import {
  KernelMeta,
  registerFrameMeta,
  unit,
  UnitMeta,
  type FrameMeta,
  type FrameMetaDef,
} from '../../../impl/meta/frameMeta.ts';
import { Ordering } from '../../../impl/meta/memory.ts';
import type { MetaRegionOptions } from '../../../impl/meta/MetaSlot.ts';
import type { MetaRegionOwners } from '../../../spec/meta/MetaRegionOwners.ts';
import type { OnDropState } from '../../../spec/meta/OnDrop.ts';
import { PAGE_SIZE, type FrameIndex } from '../../../spec/vocab.ts';
import type { FrameHandle, UniqueHandle } from '../../contract/accounting.ts';
import { BUDDY_DEALLOC_REQUIRES, buddyFreeView, CheckedAllocator } from '../../contract/CheckedAllocator.ts';
import { CheckedFrameAllocOptions } from '../../contract/CheckedFrameAllocOptions.ts';
import { CheckedFrameLayer, type CheckedCall } from '../../contract/CheckedFrameLayer.ts';
import type { CheckedLinkedList } from '../../contract/CheckedLinkedList.ts';
import { CheckedMetaRegion } from '../../contract/CheckedMetaRegion.ts';
import { CheckedSegment, type SegmentHandle } from '../../contract/CheckedSegment.ts';
import type { Call, ContractChecker } from '../../contract/ContractChecker.ts';
import { withFalsifier } from '../../contract/coverage.ts';
import { fastPathEnabled, setFastPathEnabled } from '../../contract/fastPath.ts';
import type { Violation } from '../../contract/report.ts';
import { AccessGuard } from '../../testing/AccessGuard.ts';
import { SETUP, type Area, type ClauseMutant, type GhostTamper } from '../clauseMutants.ts';

const P = PAGE_SIZE;
const FRAMES = 4;
/** Broken by the real implementation too: vostd's push_back position (docs/findings.md F1). */
const BASELINE = new Set(['LinkedList::push_back.ensures.insert_before_last']);

/** What a clause-engine run found. */
export type ClauseRun = Readonly<{
  name: string;
  killed: boolean;
  /** Every clause blamed on the implementation (or the spec) that some call found false, sorted. */
  clauses: readonly string[];
}>;

/** A scenario's checked world. */
type World = { l: CheckedFrameLayer | undefined; violations: () => readonly Violation[] };

/** Runs `f`, ignoring what it throws: an abort, or a handle a wrong implementation never produced. */
function step(f: () => void): void {
  try {
    f();
  } catch {
    // The checker has recorded what the call broke; the scenario goes on with its next call.
  }
}

const isHandle = <H>(h: H | string): h is H => typeof h !== 'string';

/** The slot a tampered ghost step is about: the call's footprint, else the first slot it wrote. */
function slotOf(l: CheckedFrameLayer, footprint: readonly FrameIndex[]): FrameIndex {
  if (footprint.length > 0) return footprint[0]!;
  const per = l.impl.layout.wordsPerSlot;
  for (const a of l.tracking.log) if (a.written !== undefined) return Math.floor(a.word / per);
  return 0;
}

/** `s` with its region replaced by `f`'s: a region itself, or a list, cursor or allocation state holding one. */
function withRegion(s: unknown, f: (r: MetaRegionOwners) => MetaRegionOwners): unknown {
  const o = s as Record<string, unknown>;
  if ('frameObligations' in o) return f(s as MetaRegionOwners);
  if ('regions' in o) return { ...o, regions: f(o['regions'] as MetaRegionOwners) };
  if ('region' in o) return { ...o, region: f(o['region'] as MetaRegionOwners) };
  return s;
}

/** Wraps the layer's checked calls of `t.op` so that their ghost step runs the wrong proof code. */
function tamper(l: CheckedFrameLayer, t: GhostTamper): void {
  const base = l.checkedCall.bind(l) as (c: CheckedCall<unknown, unknown, unknown>, ...rest: unknown[]) => unknown;
  const { state } = t;
  const wrapped = (c: CheckedCall<unknown, unknown, unknown>, ...rest: unknown[]) =>
    base(
      c.spec.name !== t.op
        ? c
        : state !== undefined
          ? { ...c, final: (g, v) => state(c.final(g, v)) }
          : t.after === true
            ? {
                ...c,
                final: (g, v) => withRegion(c.final(g, v), (r) => t.at(r, slotOf(l, c.footprint), l.impl.nslots)),
              }
            : { ...c, final: (g, v) => c.final(t.at(g, slotOf(l, c.footprint), l.impl.nslots), v) },
      ...rest,
    );
  Object.defineProperty(l, 'checkedCall', { value: wrapped });
}

/** The slot a MetaSlot-layer call is about: its address argument, or the slot its `on_drop` reader covers. */
function callSlot(c: Call<unknown, unknown, unknown>, nslots: number): FrameIndex {
  const paddr = (c.args as { paddr?: unknown }).paddr;
  if (typeof paddr === 'number' && Number.isInteger(paddr / P) && paddr / P < nslots) return Math.max(0, paddr / P);
  return (c.old as Partial<OnDropState>).invAt?.[0] ?? 0;
}

/**
 * Wraps `checker`'s checks of `t.op` (a MetaSlot op, an internal call, an allocator op: layers without a
 * `checkedCall`) so that the final tracked state is the wrong proof code's.
 */
function tamperChecker(checker: ContractChecker, t: GhostTamper, nslots: number): void {
  const check = checker.check.bind(checker);
  const { state } = t;
  checker.check = (<S, A, R>(c: Call<S, A, R>, ...rest: unknown[]) => {
    if (c.spec.name !== t.op) return check(c, ...(rest as []));
    const i = callSlot(c as Call<unknown, unknown, unknown>, nslots);
    const final = (r: R) =>
      (state !== undefined ? state(c.final(r)) : withRegion(c.final(r), (g) => t.at(g, i, nslots))) as S;
    return check({ ...c, final }, ...(rest as []));
  }) as ContractChecker['check'];
}

/** A checked frame layer over the mutant's parts (the real ones when `m` is undefined). */
function layerOf(m: ClauseMutant | undefined): CheckedFrameLayer {
  const guard = new AccessGuard();
  const l = new CheckedFrameLayer({
    maxPaddr: FRAMES * P,
    refCountMax: 3n,
    mode: 'collect',
    wrapMemory: (mem) => guard.wrap(mem),
    ...(m?.region !== undefined && { makeRegion: regionOf(m) }),
    ...(m?.layer !== undefined && { makeLayer: m.layer }),
    ...(m?.list !== undefined && { makeList: m.list }),
  });
  if (m?.tamper !== undefined) tamper(l, m.tamper);
  return l;
}

/** The mutant's region builder (current protocol). */
const regionOf = (m: ClauseMutant) => (o: MetaRegionOptions) => m.region!(o, false);

const world = (l: CheckedFrameLayer): World => ({ l, violations: () => l.violations });

// --- scenarios -------------------------------------------------------------------------------------

type Scenario = (m: ClauseMutant | undefined) => World;

/** Shared frames: claims (and failed claims at edge addresses), acquisitions, clones, drops, raw round trips. */
const sharedFrames: Scenario = (m) => {
  const l = layerOf(m);
  held(l, 2);
  let a: FrameHandle | undefined;
  step(() => void (a = pick(l.fromUnused(0, unit(KernelMeta)))));
  for (const p of [0, 1, FRAMES * P, P / 2, P + 1]) step(() => void l.fromUnused(p, unit(KernelMeta)));
  let b: FrameHandle | undefined;
  step(() => void (b = pick(l.fromInUse(0))));
  for (const p of [P, 1, FRAMES * P]) step(() => void l.fromInUse(p));
  let c: FrameHandle | undefined;
  step(() => void (a !== undefined && (c = l.clone(a))));
  step(() => void (c !== undefined && l.drop(c)));
  step(() => void (b !== undefined && l.drop(b)));
  let raw: number | undefined;
  step(() => void (a !== undefined && (raw = l.intoRaw(a))));
  let back: FrameHandle | undefined;
  step(() => void (raw !== undefined && (back = l.fromRaw(raw))));
  step(() => void (back !== undefined && l.drop(back)));
  step(() => void l.fromInUse(0));
  return world(l);
};

/** Counts at REF_COUNT_MAX: a clone there aborts, and so does an acquisition (each on a layer of its own). */
const atMax: Scenario = (m) => {
  const worlds = [false, true].map((acquire) => {
    const l = layerOf(m);
    let a: FrameHandle | undefined;
    step(() => void (a = pick(l.fromUnused(P, unit(KernelMeta)))));
    step(() => void (a !== undefined && l.clone(a)));
    step(() => void (a !== undefined && l.clone(a)));
    step(() => void (acquire ? l.fromInUse(P) : a !== undefined && l.clone(a)));
    return l;
  });
  return { l: worlds[0]!, violations: () => worlds.flatMap((l) => l.violations) };
};

/** Unique frames: claims, metadata reads and writes, conversions both ways, drops, reset, repurpose. */
const uniqueFrames: Scenario = (m) => {
  const l = layerOf(m);
  held(l, 1);
  let u: UniqueHandle | undefined;
  step(() => void (u = pick(l.uniqueFromUnused(2 * P, unit(KernelMeta)))));
  for (const p of [2 * P, 1, FRAMES * P]) step(() => void l.uniqueFromUnused(p, unit(KernelMeta)));
  step(() => void (u !== undefined && l.meta(u)));
  step(() => void (u !== undefined && l.metaMut(u, unit(KernelMeta))));
  let f: FrameHandle | undefined;
  step(() => void (u !== undefined && (f = l.intoShared(u))));
  let g: FrameHandle | undefined;
  step(() => void (f !== undefined && (g = l.clone(f))));
  step(() => void (f !== undefined && l.tryIntoUnique(f)));
  step(() => void (g !== undefined && l.drop(g)));
  let u2: UniqueHandle | undefined;
  step(() => {
    const r = f === undefined ? undefined : l.tryIntoUnique(f);
    if (r?.ok === true) u2 = r.unique;
  });
  let u3: UniqueHandle | undefined;
  step(() => void (u2 !== undefined && (u3 = l.repurpose(u2, unit(UnitMeta)))));
  step(() => void (u3 !== undefined && l.dropUnique(u3)));
  let v: UniqueHandle | undefined;
  step(() => void (v = pick(l.uniqueFromUnused(3 * P, unit(KernelMeta)))));
  step(() => void (v !== undefined && l.resetAsUnused(v)));
  step(() => void l.fromUnused(3 * P, unit(KernelMeta)));
  return world(l);
};

/** A frame claimed at slot `f` and held to the end: the ledger is never empty, so a lost obligation shows. */
function held(l: CheckedFrameLayer, f: number): void {
  step(() => void l.fromUnused(f * P, unit(KernelMeta)));
}

function pick<H>(h: H | string): H | undefined {
  return isHandle(h) ? h : undefined;
}

/**
 * A list dropped with frames in it (`Drop for LinkedList` as one checked call): two unique frames on
 * slots 0 and 2, so that slot 1, next to the front, is a frame the list does not hold (a shared frame,
 * with an obligation wrong proof code can redeem).
 */
const listDrops: Scenario = (m) => {
  const l = layerOf(m);
  held(l, 1);
  const list: CheckedLinkedList = l.newList();
  for (const f of [0, 2])
    step(() => {
      const u = pick(l.uniqueFromUnused(f * P, link(BigInt(20 + f))));
      if (u !== undefined) list.pushBack(u);
    });
  step(() => list.drop());
  return world(l);
};

/** Frame lists and cursors: pushes at both ends, queries, every cursor move, take and insert, pops to empty. */
const lists: Scenario = (m) => {
  const l = layerOf(m);
  held(l, 3);
  const list: CheckedLinkedList = l.newList();
  const us: UniqueHandle[] = [];
  for (let f = 0; f < 3; f++)
    step(() => {
      const u = pick(l.uniqueFromUnused(f * P, link(BigInt(10 + f))));
      if (u !== undefined) us.push(u);
    });
  step(() => void list.isEmpty());
  step(() => void list.popFront());
  step(() => void (us[0] !== undefined && list.pushFront(us[0])));
  step(() => void (us[1] !== undefined && list.pushBack(us[1])));
  step(() => void (us[2] !== undefined && list.pushFront(us[2])));
  step(() => void list.size());
  step(() => void list.isEmpty());
  // Pops from a list of three, each frame pushed back again.
  step(() => {
    const u = list.popBack();
    if (u !== null) list.pushBack(u);
  });
  step(() => {
    const u = list.popFront();
    if (u !== null) list.pushFront(u);
  });
  for (const p of [0, P, 3 * P, 1]) step(() => void list.contains(p));
  for (const p of [P, 3 * P, 1]) step(() => void list.cursorMutAt(p));
  step(() => {
    const c = list.cursorFrontMut();
    step(() => c.moveNext());
    step(() => void c.currentMeta());
    step(() => void c.currentMeta(77n));
    step(() => c.movePrev());
    step(() => c.movePrev());
    step(() => c.moveNext());
    const t = c.takeCurrent();
    step(() => void (t !== null && c.insertBefore(t)));
  });
  step(() => {
    const c = list.cursorBackMut();
    step(() => void c.currentMeta());
    step(() => c.moveNext());
    step(() => void c.takeCurrent());
  });
  step(() => {
    const c = list.cursorMutAt(P);
    step(() => void c?.takeCurrent());
  });
  const out: UniqueHandle[] = [];
  step(() => {
    const u = list.popBack();
    if (u !== null) out.push(u);
  });
  step(() => {
    const u = list.popFront();
    if (u !== null) out.push(u);
  });
  step(() => void (out[0] !== undefined && list.pushBack(out[0])));
  for (let k = 0; k < 4; k++)
    step(() => {
      const u = k % 2 === 0 ? list.popFront() : list.popBack();
      if (u !== null) step(() => l.dropUnique(u));
    });
  step(() => void list.isEmpty());
  step(() => void list.size());
  return world(l);
};

/**
 * Cursors on a list built with the list mutant's method off (`SETUP`): moves both ways, the current
 * metadata read and written, a take and an insert in the middle, at the front and at the ghost, a take
 * from a cursor found by address, and a take from an emptied list.
 */
const cursors: Scenario = (m) => {
  const l = layerOf(m);
  held(l, 3);
  const list: CheckedLinkedList = l.newList();
  const gate = list.impl as unknown as Record<symbol, unknown>;
  gate[SETUP] = true;
  const us: UniqueHandle[] = [];
  for (let f = 0; f < 3; f++)
    step(() => {
      const u = pick(l.uniqueFromUnused(f * P, link(BigInt(20 + f))));
      if (u !== undefined) us.push(u);
    });
  for (const u of us.slice(0, 2)) step(() => list.pushBack(u));
  gate[SETUP] = false;
  const spare = us[2];
  step(() => {
    const c = list.cursorFrontMut();
    step(() => c.moveNext());
    step(() => void c.currentMeta(5n));
    step(() => void (spare !== undefined && c.insertBefore(spare)));
    step(() => c.movePrev());
    let t: UniqueHandle | null = null;
    step(() => void (t = c.takeCurrent()));
    step(() => c.moveNext());
    step(() => c.moveNext());
    step(() => void (t !== null && c.insertBefore(t)));
    step(() => c.moveNext());
    step(() => void c.takeCurrent());
  });
  step(() => {
    const c = list.cursorMutAt(0);
    let t: UniqueHandle | null = null;
    step(() => void (t = c?.takeCurrent() ?? null));
    step(() => void (t !== null && c?.insertBefore(t)));
  });
  gate[SETUP] = true;
  const out: UniqueHandle[] = [];
  for (let k = 0; k < 4; k++)
    step(() => {
      const u = list.popFront();
      if (u !== null) out.push(u);
    });
  gate[SETUP] = false;
  step(() => void list.cursorFrontMut().takeCurrent());
  for (const u of out) step(() => l.dropUnique(u));
  return world(l);
};

/** Segments: claims of ranges (and of bad ones), clones, slices, splits, iteration, raw round trips, drops. */
const segments: Scenario = (m) => {
  const l = layerOf(m);
  const s = new CheckedSegment(l);
  const seg = (r: { start: number; end: number }) => pick<SegmentHandle>(s.fromUnused(r, () => unit(UnitMeta)));
  let a: SegmentHandle | undefined;
  step(() => void (a = seg({ start: 0, end: 3 * P })));
  for (const r of [
    { start: 1, end: P },
    { start: 3 * P, end: 5 * P },
    { start: 3 * P, end: 3 * P },
    { start: 2 * P, end: 4 * P },
  ])
    step(() => void seg(r));
  let c: SegmentHandle | undefined;
  step(() => void (a !== undefined && (c = s.clone(a))));
  let sl: SegmentHandle | undefined;
  step(() => void (a !== undefined && (sl = s.slice(a, { start: P, end: 2 * P }))));
  // Bad ranges: an unaligned start or end, reversed, past the end.
  for (const r of [
    { start: 1, end: P },
    { start: 0, end: P / 2 },
    { start: 2 * P, end: P },
    { start: 0, end: 4 * P },
  ])
    step(() => void (a !== undefined && s.slice(a, r)));
  let halves: [SegmentHandle, SegmentHandle] | undefined;
  step(() => void (c !== undefined && (halves = s.split(c, P))));
  step(() => {
    if (halves === undefined) return;
    for (const f of s.frames(halves[1])) step(() => void l.drop(f));
  });
  step(() => void (halves !== undefined && s.drop(halves[0])));
  let raw: { range: { start: number; end: number } } | undefined;
  step(() => void (sl !== undefined && (raw = s.intoRaw(sl))));
  let back: SegmentHandle | undefined;
  step(() => void (raw !== undefined && (back = s.fromRaw(raw.range))));
  step(() => void (back !== undefined && s.drop(back)));
  step(() => void (a !== undefined && s.drop(a)));
  step(() => void seg({ start: 0, end: P }));
  return world(l);
};

/** A slice over a frame at REF_COUNT_MAX (three references), which aborts (on a layer of its own). */
const saturatedSlice: Scenario = (m) => {
  const l = layerOf(m);
  const s = new CheckedSegment(l);
  step(() => {
    const h = pick<SegmentHandle>(s.fromUnused({ start: 0, end: P }, () => unit(UnitMeta)));
    if (h === undefined) return;
    s.clone(h);
    s.clone(h);
    s.slice(h, { start: 0, end: P });
  });
  return world(l);
};

/** Splits at bad offsets, each aborting on a layer of its own (the kernel is gone after an abort). */
const badSplits: Scenario = (m) => {
  const worlds = [P / 2, (3 * P) / 2, 0, 2 * P].map((off) => {
    const l = layerOf(m);
    const s = new CheckedSegment(l);
    step(() => {
      const h = pick<SegmentHandle>(s.fromUnused({ start: 0, end: 2 * P }, () => unit(UnitMeta)));
      if (h !== undefined) s.split(h, off);
    });
    return l;
  });
  return { l: worlds[0]!, violations: () => worlds.flatMap((l) => l.violations) };
};

/** A unique frame's metadata value rewritten through `meta_mut` (a value other than the one claimed with). */
const metaWrites: Scenario = (m) => {
  const l = layerOf(m);
  let u: UniqueHandle | undefined;
  step(() => void (u = pick(l.uniqueFromUnused(P, counter(1)))));
  step(() => void (u !== undefined && l.metaMut(u, counter(2))));
  step(() => void (u !== undefined && l.dropUnique(u)));
  return world(l);
};

/** FrameAllocOptions over a buddy allocator of four frames: frames and segments, zeroed and not, until memory runs out. */
const options: Scenario = (m) => {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: FRAMES });
  buddy.addFreeMemory(0, FRAMES * P);
  const o = CheckedFrameAllocOptions.create(buddy, {
    maxPaddr: FRAMES * P,
    mode: 'collect',
    ...(m?.layer !== undefined && { makeLayer: m.layer }),
    ...(m?.allocOptions !== undefined && { makeOptions: m.allocOptions }),
  });
  if (m?.tamper !== undefined) tamper(o.frames, m.tamper);
  // Every frame holds a previous owner's bytes: a zeroed allocation must clear them.
  for (let f = 0; f < FRAMES; f++) o.frames.impl.phys.write(f * P, new Uint8Array([0xab]));
  const frames: FrameHandle[] = [];
  step(() => {
    const f = pick(o.allocFrame());
    if (f !== undefined) {
      frames.push(f);
      o.frames.impl.phys.write(f.slot * P, new Uint8Array([0xab]));
    }
  });
  step(() => void (frames[0] !== undefined && o.frames.drop(frames.shift()!)));
  let seg: SegmentHandle | undefined;
  step(() => void (seg = pick(o.allocSegment(2))));
  step(() => void (seg !== undefined && o.segments.drop(seg)));
  step(() => void (seg = pick(o.allocSegment(3))));
  step(() => void o.allocSegment(2));
  step(() => void o.allocSegment(0));
  step(() => {
    const f = pick(o.allocFrame());
    if (f !== undefined) frames.push(f);
  });
  step(() => void o.allocFrame());
  for (const f of frames) step(() => void o.frames.drop(f));
  step(() => void (seg !== undefined && o.segments.drop(seg)));
  return { l: o.frames, violations: () => o.violations };
};

/** A 4-byte metadata type named `name` whose `on_drop` is `onDrop` (registered once per name). */
const u32Meta = (name: string, onDrop?: FrameMetaDef<number>['onDrop']) =>
  registerFrameMeta<number>({
    name,
    size: 4,
    align: 4,
    encode: (v, out) => out.setUint32(0, v, true),
    decode: (b) => b.getUint32(0, true),
    ...(onDrop !== undefined && { onDrop }),
  });
/** A metadata type whose `on_drop` reads more than its frame (a clamped reader stops at the end). */
const ReadsPastEnd = u32Meta('ClauseEngineReadsPastEnd', (_v, reader) => void reader.readBytes(P + 64));
/** A page-table node's metadata: its `on_drop_pre` wants a reader over a whole page (spec/meta/OnDrop.ts). */
const PageTableNode = u32Meta('PageTablePageMeta');
const meta = (type: typeof ReadsPastEnd): FrameMeta => ({ type, value: 1 }) as FrameMeta;
/** A 4-byte metadata value a unique frame's owner may rewrite. */
const Counter = u32Meta('ClauseEngineCounter');
const counter = (value: number): FrameMeta => ({ type: Counter, value }) as FrameMeta;

/** A checked MetaSlot region over the mutant's region (collect mode), its proof code tampered when it is one. */
function regionLayer(m: ClauseMutant | undefined): CheckedMetaRegion {
  const guard = new AccessGuard();
  const r = new CheckedMetaRegion(
    { maxPaddr: FRAMES * P, refCountMax: 4n, mode: 'collect', wrapMemory: (mem) => guard.wrap(mem) },
    m?.region === undefined ? undefined : regionOf(m),
  );
  if (m?.tamper !== undefined) tamperChecker(r.checker, m.tamper, r.impl.nslots);
  return r;
}

/**
 * The MetaSlot layer: get_slot at frames and edges, claims (shared, unique, failed), acquisitions and the
 * loop body, count increments up to the abort at REF_COUNT_MAX, frame_paddr, as_meta_ptr, metadata drops
 * of frames whose on_drop reads through the reader (and of a page-table node), a write_meta between
 * drops, and the last drop of a shared frame whose count reached zero.
 */
const metaSlots: Scenario = (m) => {
  const worlds = [0, 1, 2, 3].map((k) => {
    const r = regionLayer(m);
    if (k > 0) {
      // Counts up to REF_COUNT_MAX, then an increment, an acquisition or a loop body that aborts.
      step(() => void r.getFromUnused(0, unit(KernelMeta), false));
      for (let n = 0; n < 3; n++) step(() => r.incRefCount(0));
      step(() => void (k === 1 ? r.incRefCount(0) : k === 2 ? r.getFromInUse(0) : r.getFromInUseLoop(0)));
      return r;
    }
    for (const p of [0, P, 1, FRAMES * P, P / 2]) step(() => void r.getSlot(p));
    step(() => void r.getFromUnused(P, unit(KernelMeta), false));
    for (const p of [P, 1, FRAMES * P]) step(() => void r.getFromUnused(p, unit(KernelMeta), false));
    step(() => void r.getFromUnused(2 * P, meta(ReadsPastEnd), true));
    step(() => void r.getFromUnused(3 * P, meta(PageTableNode), true));
    for (const p of [P, 0, 2 * P, 1, FRAMES * P]) step(() => void r.getFromInUse(p));
    for (const s of [1, 0, 2]) step(() => void r.getFromInUseLoop(s));
    step(() => r.incRefCount(1));
    step(() => void r.framePaddr(1));
    step(() => void r.asMetaPtr(1, KernelMeta));
    // The unique frame: its metadata dropped (on_drop reads the frame), rewritten, and dropped last.
    step(() => r.dropMetaInPlace(2));
    step(() => r.writeMeta(2, meta(ReadsPastEnd)));
    step(() => r.dropLastInPlace(2));
    step(() => r.dropLastInPlace(3));
    // The shared frame's references all dropped (`Frame::drop`), then its last drop.
    step(() => {
      const w = r.impl.refCountWord(1);
      while (r.impl.mem.load(w, Ordering.SeqCst) > 0n) r.impl.mem.fetchSub(w, 1n, Ordering.Release);
    });
    step(() => void r.getFromInUseLoop(1));
    step(() => void r.getFromInUse(P));
    step(() => r.dropLastInPlace(1));
    step(() => void r.getFromUnused(P, unit(UnitMeta), true));
    return r;
  });
  return { l: undefined, violations: () => worlds.flatMap((r) => r.violations) };
};

/** The global allocator over a buddy allocator of four frames: memory added, allocations until it runs out, frees. */
const allocator: Scenario = (m) => {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: FRAMES });
  const a = new CheckedAllocator(m?.buddy === undefined ? buddy : m.buddy(buddy), {
    mode: 'collect',
    freeView: buddyFreeView(buddy),
    deallocRequires: BUDDY_DEALLOC_REQUIRES,
  });
  if (m?.tamper !== undefined) tamperChecker(a.checker, m.tamper, FRAMES);
  step(() => void a.addFreeMemory(0, FRAMES * P));
  const got: number[] = [];
  for (const size of [P, 2 * P, P, P])
    step(() => {
      const r = a.alloc({ size, align: P });
      if (r !== undefined) got.push(r);
    });
  step(() => void (got[0] !== undefined && a.dealloc(got[0], P)));
  return { l: undefined, violations: () => a.violations };
};

const SCENARIOS: Readonly<Record<Area, readonly Scenario[]>> = {
  meta: [metaSlots],
  frame: [sharedFrames, atMax, uniqueFrames, metaWrites],
  list: [lists, cursors, listDrops],
  segment: [segments, badSplits, saturatedSlice],
  options: [options],
  allocator: [allocator],
};

/** The calls the implementation makes inside its own operations: their requires speak of the implementation. */
const INTERNAL = /^(frame_to_meta|meta_to_frame|addr_of|on_drop)\.requires\./;

const blamed = (vs: readonly Violation[]) =>
  vs.filter(
    (v) => (v.blame !== 'caller' || INTERNAL.test(v.clause)) && v.kind !== 'linearity' && !BASELINE.has(v.clause),
  );

/** Runs the scenarios of `areas` over `m` (the real implementation when undefined); the blamed violations. */
export function runScenarios(m: ClauseMutant | undefined, areas: readonly Area[]): Violation[] {
  const fast = fastPathEnabled();
  setFastPathEnabled(false);
  const restore = m?.patch?.();
  try {
    return areas.flatMap((a) => SCENARIOS[a].flatMap((s) => blamed(s(m).violations())));
  } finally {
    restore?.();
    setFastPathEnabled(fast);
  }
}

/** Runs one clause mutant under its falsifier label. */
export function runClauseMutant(m: ClauseMutant): ClauseRun {
  const vs = withFalsifier(`mutant:${m.name}`, () => runScenarios(m, m.areas));
  const clauses = [...new Set(vs.map((v) => v.clause))].sort();
  return { name: m.name, killed: clauses.length > 0, clauses };
}
