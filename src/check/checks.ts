/**
 * What the explorer checks: the slot invariant (the spec's `MetaSlotOwner::inv` conjuncts on the view
 * of each slot's words) and the accounting invariant (`ACCOUNTING_INV`, plus the claim/drop windows
 * only the explorer sees) in every state; at every operation's linearization point the sequential spec
 * and the mirrored op spec's clauses (`OP_SPECS`); and that an abort happens only where `may_panic`
 * allows it. Every clause evaluation is counted in clause coverage (`framecheck clauses`), once per
 * distinct slot words, handle sums or linearization point: the checks are memoized on those.
 */
import type { MetaSlotOwner } from '../../spec/meta/MetaSlotOwner.ts';
import { coverageKey, invariantsOf } from '../../spec/head/specSet.ts';
import { ACCOUNTING_INV, type AccountingAt, type AccountingState } from '../../spec/frame/accounting.ts';
import { slotOwnerOf } from '../contract/view.ts';
import { recordClause } from '../contract/coverage.ts';
import { ghostAt, OP_SPECS, withCount } from '../ops/opSpecs.ts';
import { seqStep, type FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import type { Access } from './ReplayMemory.ts';
import type { Completed, State } from './model.ts';
import { usesAlloc, type World } from './world.ts';

/** A property violated in a state or by a transition. */
export type Finding = Readonly<{
  property: string;
  verus: string;
  blame: 'implementation' | 'caller' | 'spec';
  message: string;
  frame: number;
}>;

/** Owners by frame, count, vtable and in_list (nested maps: a bigint key hashes without a string). */
const ownerCache = new Map<number, Map<bigint, Map<bigint, Map<bigint, MetaSlotOwner>>>>();
let cached = 0;

function cacheLevel<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

/** The ghost owner of frame `f` as its words show it. */
function viewOwner(f: number, rc: bigint, vtable: bigint, inList: bigint): MetaSlotOwner {
  const byInList = cacheLevel(
    cacheLevel(
      cacheLevel(ownerCache, f, () => new Map()),
      rc,
      () => new Map(),
    ),
    vtable,
    () => new Map<bigint, MetaSlotOwner>(),
  );
  let o = byInList.get(inList);
  if (o !== undefined) return o;
  o = slotOwnerOf(f, rc, inList, vtable === 0n ? undefined : { type: String(vtable), fields: {} });
  if (++cached > 10_000) {
    ownerCache.clear();
    cached = 0;
  }
  byInList.set(inList, o);
  return o;
}

/** The thread in a construction or destruction window of frame `f`: its last write to the count was 0. */
export function inWindow(log: readonly Access[], rcWord: number): boolean {
  for (let k = log.length - 1; k >= 0; k--) {
    const a = log[k]!;
    if (a.word === rcWord && a.written !== undefined) return a.written === 0n;
  }
  return false;
}

type SlotMemo = { rc: bigint; vtable: bigint; inList: bigint; out: Finding[] };
/** Per model (one per world), the last words seen of each slot and their findings: most checks see a slot unchanged. */
const slotMemo = new WeakMap<ModelParams, Map<number, SlotMemo>>();

/** The slot invariant of frame `f` over the words `words` (a state's, or memory in the middle of a step). */
export function slotFindings(world: World, words: readonly bigint[], f: number): Finding[] {
  const L = world.region.layout;
  const base = f * L.wordsPerSlot;
  const rc = words[base + L.refCount]!;
  const vtable = words[base + L.vtable]!;
  const inList = L.inList < 0 ? 0n : words[base + L.inList]!;
  let memo = slotMemo.get(world.p);
  if (memo === undefined) slotMemo.set(world.p, (memo = new Map()));
  const m = memo.get(f);
  if (m !== undefined && m.rc === rc && m.vtable === vtable && m.inList === inList) return m.out;
  const out = slotClauses(world, f, rc, viewOwner(f, rc, vtable, inList));
  memo.set(f, { rc, vtable, inList, out });
  return out;
}

function slotClauses(world: World, f: number, rc: bigint, o: MetaSlotOwner): Finding[] {
  const out: Finding[] = [];
  const spec = world.inst.spec;
  for (const c of invariantsOf(spec).slotOwnerInv) {
    const holds = c.holds({ value: o, p: world.p });
    recordClause(coverageKey(spec, c.name), holds);
    if (!holds) {
      out.push({
        property: c.name,
        verus: c.verus,
        blame: 'implementation',
        message: `slot ${f}: ref_count ${rc}, metadata ${o.innerPerms.vtablePtr.contents.init ? 'live' : 'dropped'}`,
        frame: f,
      });
    }
  }
  return out;
}

const NO_REFS: ReadonlyMap<number, number> = new Map();

/**
 * The accounting invariant of frame `f`: first the claim/drop window (a count of 0 belongs to exactly
 * one thread in a window, and holds no handle), then `ACCOUNTING_INV` over the threads' handles (a
 * thread in a window is inside an operation, where `no_transient` does not apply), then what only the
 * explorer sees: no window on a frame whose count is not 0, and the metadata live exactly while the
 * frame is in use.
 */
export function accountingFindings(world: World, s: State, f: number): Finding[] {
  const p = world.p;
  const rcWord = world.rcWord(f);
  const rc = s.words[rcWord]!;
  const live = s.words[f * world.per + world.region.layout.vtable]! !== 0n;
  let held = 0;
  let uniq = 0;
  let busy = 0;
  for (const th of s.threads) {
    held += th.shared[f]!;
    uniq += th.unique[f]!;
    if (th.op !== undefined && inWindow(th.log, rcWord)) busy++;
  }
  const bad = (property: string, verus: string, msg: string): Finding[] => [
    {
      property,
      verus,
      blame: 'implementation',
      message: `frame ${f}: ${msg} (ref_count ${rc}, shared handles ${held}, unique handles ${uniq}, threads in a claim/drop window ${busy})`,
      frame: f,
    },
  ];
  const window = rc === 0n && (held !== 0 || uniq !== 0 || busy !== 1);
  recordClause('accounting.busy', !window);
  if (window)
    return bad(
      'accounting.busy',
      'rc == 0 ==> exactly one thread in a claim/drop window, no handle',
      'a busy slot is not owned by exactly one window',
    );
  const state: AccountingState = {
    p,
    rc: new Map([[0, rc]]),
    handles: held === 0 ? NO_REFS : new Map([[0, held]]),
    uniques: uniq === 0 ? NO_REFS : new Map([[0, uniq]]),
    ptes: NO_REFS,
    segments: [],
  };
  const at: { value: AccountingAt; p: typeof p } = { value: { state, frame: 0 }, p };
  for (const c of ACCOUNTING_INV) {
    if (busy > 0 && c.name === 'accounting.no_transient') continue;
    const holds = c.holds(at);
    recordClause(c.name, holds);
    if (!holds) return bad(c.name, c.verus, 'the count is not the number of handles');
  }
  const stray = busy !== 0 && rc !== 0n;
  recordClause('accounting.window', !stray);
  if (stray)
    return bad(
      'accounting.window',
      'a thread in a claim/drop window ==> rc == 0',
      'a claim/drop window is open on a slot whose count is not 0',
    );
  // the bands a correct count is in (the illegal band is the slot invariant's)
  const banded = rc === p.refCountUnused || rc === p.refCountUnique || (rc >= 1n && rc <= p.refCountMax);
  const liveOk = !banded || live === (rc !== p.refCountUnused);
  recordClause('accounting.live', liveOk);
  if (!liveOk)
    return bad(
      'accounting.live',
      'rc != 0 ==> (metadata live <==> rc != REF_COUNT_UNUSED)',
      live ? 'an unused slot still has live metadata' : 'a slot in use has no metadata',
    );
  return [];
}

/** Every invariant violated in state `s` (none once the kernel has stopped). */
export function stateFindings(world: World, s: State): Finding[] {
  const out: Finding[] = [];
  if (s.halted) return out;
  for (let f = 0; f < world.inst.frames; f++) {
    out.push(...slotFindings(world, s.words, f));
    if (out.length === 0) out.push(...accountingFindings(world, s, f));
  }
  return out;
}

/**
 * What must hold once every thread has finished (idle, holding nothing): when the allocator manages the
 * frames, every frame is back in it — a frame whose slot is unused but that was never returned leaked.
 */
export function quiescentFindings(world: World, s: State): Finding[] {
  if (s.halted || !usesAlloc(world.inst)) return [];
  for (let f = 0; f < world.inst.frames; f++) {
    if (world.allocatorFactory.isFree(s.words, world.allocWord, f)) continue;
    const message = `frame ${f}: every thread has finished, but the allocator still counts the frame allocated (ref_count ${s.words[world.rcWord(f)]}): it leaked`;
    return [
      {
        property: 'accounting.leak',
        verus: 'quiescent ==> every frame the allocator handed out was returned to it',
        blame: 'implementation',
        message,
        frame: f,
      },
    ];
  }
  return [];
}

/** The count at an operation's linearization point and as it left it, from its own log. */
export function linearized(
  log: readonly Access[],
  rcWord: number,
): { old: bigint | undefined; final: bigint | undefined } {
  let old: bigint | undefined;
  let final: bigint | undefined;
  let seen: bigint | undefined;
  for (const a of log) {
    if (a.word !== rcWord) continue;
    if (a.written !== undefined) {
      if (old === undefined) old = a.before;
      final = a.written;
    } else if (a.observed !== undefined) seen = a.observed;
  }
  return { old: old ?? seen, final: final ?? old ?? seen };
}

/** Checks a returned operation against the sequential spec at its linearization point. */
export function completedFindings(world: World, c: Completed): Finding[] {
  if (c.frame < 0) return [];
  const { old, final } = linearized(c.log, world.rcWord(c.frame));
  if (old === undefined) return [];
  const want = seqStep(c.op, old, world.p);
  const property = `linearizability.${c.op}`;
  if (want.kind === 'undefined') {
    return [
      {
        property,
        verus: 'the operation was called without the handle it needs',
        blame: 'caller',
        message: `thread ${c.t}: ${c.op}(${c.frame}) at ref_count ${old}`,
        frame: c.frame,
      },
    ];
  }
  if (want.kind === 'panic') return [];
  if (want.result === c.result && want.rc === final) return specFindings(world, c, old, final ?? old);
  const message = `thread ${c.t}: ${c.op}(${c.frame}) returned ${c.result} leaving ${final} at ref_count ${old}; the spec returns ${want.result} leaving ${want.rc}`;
  return [
    {
      property,
      verus: `the sequential spec of ${c.op} at its linearization point`,
      blame: 'implementation',
      message,
      frame: c.frame,
    },
  ];
}

/** Per model, the mirrored spec's verdict on each distinct linearization point (`op|frame|old|final|result`). */
const specMemo = new WeakMap<ModelParams, Map<string, Finding[]>>();

/**
 * The mirrored op spec's clauses on a return the sequential spec accepts: `requires` on the canonical
 * region of the old count, `ensures` on the region `next` leaves with the count the operation left.
 */
function specFindings(world: World, c: Completed, old: bigint, final: bigint): Finding[] {
  const spec = OP_SPECS[c.op];
  if (spec === undefined) return [];
  let memo = specMemo.get(world.p);
  if (memo === undefined) specMemo.set(world.p, (memo = new Map()));
  const key = `${c.op}|${c.frame}|${old}|${final}|${c.result}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const out: Finding[] = [];
  const ghost = ghostAt(world.p, c.frame, old);
  const pre = spec.pre(ghost, c.frame);
  for (const r of pre.requires) recordClause(r.clause.name, r.holds);
  const next = spec.next(ghost, c.frame);
  if (next.kind === 'return') {
    for (const e of spec.post(ghost, c.frame, withCount(next.final, c.frame, final), c.result)) {
      recordClause(e.clause.name, e.holds);
      if (!e.holds && out.length === 0)
        out.push({
          property: e.clause.name,
          verus: e.clause.verus,
          blame: 'implementation',
          message: `thread ${c.t}: ${c.op}(${c.frame}) returned ${c.result} leaving ${final} at ref_count ${old}`,
          frame: c.frame,
        });
    }
  }
  memo.set(key, out);
  return out;
}

/** Checks an abort: allowed only where the sequential spec panics (`may_panic`). */
export function abortFindings(
  world: World,
  t: number,
  op: FrameOpName,
  frame: number,
  log: readonly Access[],
  reason: string,
): Finding[] {
  const f =
    frame >= 0
      ? frame
      : log.find((a) => a.word < world.allocWord && a.word % world.per === world.region.layout.refCount)?.word;
  const rcFrame = typeof f === 'number' && frame < 0 ? Math.floor(f / world.per) : frame;
  const { old } = rcFrame >= 0 ? linearized(log, world.rcWord(rcFrame)) : { old: undefined };
  if (old !== undefined && seqStep(op, old, world.p).kind === 'panic') return [];
  const message = `thread ${t}: ${op}(${rcFrame}) aborted (${reason}) at ref_count ${old ?? '?'}, where the spec does not allow a panic`;
  return [
    {
      property: `may_panic.${op}`,
      verus: 'the implementation may abort only where may_panic() holds',
      blame: 'implementation',
      message,
      frame: rcFrame,
    },
  ];
}
