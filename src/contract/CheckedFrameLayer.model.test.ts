/**
 * A model-based run (fast-check `fc.commands`) of random Frame, UniqueFrame and frame-list op sequences
 * through the checked frame layer: every call is checked clause by clause, and after every command the
 * accounting invariant is checked over every frame (not only the ones the call touched).
 *
 * Two rules of vostd's seed-era model shape the command set: `UniqueFrame::from_unused` is only tried
 * on a slot whose usage is still `Unused` (usage is sticky), and `size`/`cursor_front_mut` only on a
 * list that has an id (`LinkedListOwner::inv` wants `list_id != 0`). vostd's `push_back` clause is the
 * one violation expected of the upstream implementation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { link } from '../../impl/frame/LinkedList.ts';
import { KernelMeta, ReservedMemoryMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { accountingViolations } from '../../spec/frame/accounting.ts';
import { slotOwner } from '../../spec/meta/MetaRegionOwners.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { accountingState, type FrameHandle, type UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from './CheckedFrameLayer.ts';
import type { CheckedCursor, CheckedLinkedList } from './CheckedLinkedList.ts';
import type { Violation } from './report.ts';

const FRAMES = 4;
/** The violation the upstream implementation is expected to show: vostd's `push_back` position. */
const EXPECTED = new Set(['LinkedList::push_back.ensures.insert_before_last']);

type Model = { frames: FrameHandle[]; uniques: UniqueHandle[]; raw: number[] };
type Real = { l: CheckedFrameLayer; list: CheckedLinkedList };
type Cmd = fc.Command<Model, Real>;

/** Fails with the first unexpected violation, or an accounting violation over all frames. */
function verify(real: Real, what: string): void {
  const bad = real.l.violations.filter((v) => !EXPECTED.has(v.clause));
  if (bad.length > 0) throw new ViolationFound(bad[0]!, what);
  const all = Array.from({ length: FRAMES }, (_, i) => i);
  const acc = accountingViolations(
    accountingState(real.l.store, real.l.ghost, all),
    all.map((i) => i * PAGE_SIZE),
  );
  if (acc.length > 0)
    throw new Error(
      `after ${what}: ${acc[0]!.clause} at ${acc[0]!.frame}: expected ${acc[0]!.expected}, got ${acc[0]!.actual}`,
    );
}

class ViolationFound extends Error {
  readonly violation: Violation;
  constructor(v: Violation, what: string) {
    super(`after ${what}: ${v.clause} (${v.blame})`);
    this.violation = v;
  }
}

const take = <T>(xs: T[], k: number): T | undefined => (xs.length === 0 ? undefined : xs.splice(k % xs.length, 1)[0]);
const pick = <T>(xs: readonly T[], k: number): T | undefined => xs[k % Math.max(1, xs.length)];
const METAS: readonly FrameMeta[] = [unit(KernelMeta), link(1n), unit(ReservedMemoryMeta)];

/** A command: a name, a guard on the model and a step on both. */
function cmd(
  name: string,
  run: (m: Model, r: Real) => void,
  check: (m: Readonly<Model>, r?: Real) => boolean = () => true,
): Cmd {
  return {
    check: (m) => check(m),
    run: (m, r) => {
      run(m, r);
      verify(r, name);
    },
    toString: () => name,
  };
}

const frameCmds = (f: fc.Arbitrary<number>, k: fc.Arbitrary<number>) => [
  fc.tuple(f, fc.nat(2)).map(([i, mt]) =>
    cmd(`from_unused(${i},${mt})`, (m, r) => {
      const h = r.l.fromUnused(i * PAGE_SIZE, METAS[mt]!);
      if (typeof h !== 'string') m.frames.push(h);
    }),
  ),
  f.map((i) =>
    cmd(`from_in_use(${i})`, (m, r) => {
      const h = r.l.fromInUse(i * PAGE_SIZE);
      if (typeof h !== 'string') m.frames.push(h);
    }),
  ),
  k.map((j) =>
    cmd(
      `clone(${j})`,
      (m, r) => void m.frames.push(r.l.clone(pick(m.frames, j)!)),
      (m) => m.frames.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `drop(${j})`,
      (m, r) => void r.l.drop(take(m.frames, j)!),
      (m) => m.frames.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `into_raw(${j})`,
      (m, r) => void m.raw.push(r.l.intoRaw(take(m.frames, j)!)),
      (m) => m.frames.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `from_raw(${j})`,
      (m, r) => void m.frames.push(r.l.fromRaw(take(m.raw, j)!)),
      (m) => m.raw.length > 0,
    ),
  ),
];

/** `UniqueFrame::from_unused` only where vostd allows it: usage still `Unused`. */
const claimable = (r: Real | undefined, i: number) => r === undefined || slotOwner(r.l.ghost, i).usage === 'Unused';

const uniqueCmds = (f: fc.Arbitrary<number>, k: fc.Arbitrary<number>) => [
  fc.tuple(f, fc.nat(2)).map(([i, mt]) => ({
    check: () => true,
    run: (m: Model, r: Real) => {
      if (!claimable(r, i)) return;
      const h = r.l.uniqueFromUnused(i * PAGE_SIZE, METAS[mt]!);
      if (typeof h !== 'string') m.uniques.push(h);
      verify(r, `unique_from_unused(${i},${mt})`);
    },
    toString: () => `unique_from_unused(${i},${mt})`,
  })),
  k.map((j) =>
    cmd(
      `into_shared(${j})`,
      (m, r) => void m.frames.push(r.l.intoShared(take(m.uniques, j)!)),
      (m) => m.uniques.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `try_into_unique(${j})`,
      (m, r) => {
        const res = r.l.tryIntoUnique(pick(m.frames, j)!);
        if (!res.ok) return;
        m.frames.splice(m.frames.indexOf(pick(m.frames, j)!), 1);
        m.uniques.push(res.unique);
      },
      (m) => m.frames.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `drop_unique(${j})`,
      (m, r) => r.l.dropUnique(take(m.uniques, j)!),
      (m) => m.uniques.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `reset_as_unused(${j})`,
      (m, r) => r.l.resetAsUnused(take(m.uniques, j)!),
      (m) => m.uniques.length > 0,
    ),
  ),
  fc.tuple(k, fc.nat(2)).map(([j, mt]) =>
    cmd(
      `repurpose(${j},${mt})`,
      (m, r) => void m.uniques.push(r.l.repurpose(take(m.uniques, j)!, METAS[mt]!)),
      (m) => m.uniques.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `meta(${j})`,
      (m, r) => void r.l.meta(pick(m.uniques, j)!),
      (m) => m.uniques.length > 0,
    ),
  ),
  k.map((j) =>
    cmd(
      `meta_mut(${j})`,
      (m, r) => {
        const u = pick(m.uniques, j)!;
        r.l.metaMut(u, METAS.find((x) => x.type.name === u.owner.metaOwn.type) ?? METAS[0]!);
      },
      (m) => m.uniques.length > 0,
    ),
  ),
];

const isLink = (u: UniqueHandle | undefined) => u?.owner.metaOwn.type === 'Link';
const linkAt = (m: Readonly<Model>, j: number) =>
  m.uniques.filter(isLink)[j % Math.max(1, m.uniques.filter(isLink).length)];

const listCmds = (f: fc.Arbitrary<number>, k: fc.Arbitrary<number>) => [
  fc.tuple(k, fc.boolean()).map(([j, back]) =>
    cmd(
      `push_${back ? 'back' : 'front'}(${j})`,
      (m, r) => {
        const u = linkAt(m, j)!;
        m.uniques.splice(m.uniques.indexOf(u), 1);
        if (back) r.list.pushBack(u);
        else r.list.pushFront(u);
      },
      (m) => isLink(linkAt(m, j)),
    ),
  ),
  fc.boolean().map((back) =>
    cmd(`pop_${back ? 'back' : 'front'}`, (m, r) => {
      const u = back ? r.list.popBack() : r.list.popFront();
      if (u !== null) m.uniques.push(u);
    }),
  ),
  f.map((i) => cmd(`contains(${i})`, (_m, r) => void r.list.contains(i * PAGE_SIZE))),
  fc.tuple(fc.nat(4), fc.nat(2), k, fc.boolean()).map(([steps, act, j, back]) =>
    cmd(`cursor(${back ? 'back' : 'front'},${steps},${['meta', 'take', 'insert'][act]},${j})`, (m, r) => {
      if (r.list.impl.listId === 0n) return;
      r.list.size();
      r.list.isEmpty();
      const c = back ? r.list.cursorBackMut() : r.list.cursorFrontMut();
      for (let s = 0; s < steps; s++)
        if (back) c.movePrev();
        else c.moveNext();
      act3(m, c, act, j, steps);
    }),
  ),
  fc.tuple(f, fc.nat(2), k).map(([i, act, j]) =>
    cmd(`cursor_at(${i},${['meta', 'take', 'insert'][act]},${j})`, (m, r) => {
      const c = r.list.cursorMutAt(i * PAGE_SIZE);
      if (c !== null) act3(m, c, act, j, i);
    }),
  ),
];

/** What a cursor command does at its position: read and write `M`, take the frame, or insert one. */
function act3(m: Model, c: CheckedCursor, act: number, j: number, v: number): void {
  if (act === 0) c.currentMeta(BigInt(v));
  if (act === 1) {
    const u = c.takeCurrent();
    if (u !== null) m.uniques.push(u);
  }
  const u = linkAt(m, j);
  if (act === 2 && isLink(u)) {
    m.uniques.splice(m.uniques.indexOf(u!), 1);
    c.insertBefore(u!);
  }
}

/** Runs `runs` random sequences; returns fast-check's verdict and, on failure, the first violation. */
function runModel(opts: {
  runs: number;
  seed: number;
  long?: boolean;
  maxCommands?: number;
  layer?: CheckedFrameOptions['makeLayer'];
}) {
  const f = fc.integer({ min: 0, max: FRAMES - 1 });
  const k = fc.nat(7);
  const commands = fc.commands([...frameCmds(f, k), ...uniqueCmds(f, k), ...listCmds(f, k)], {
    maxCommands: opts.maxCommands ?? 30,
    ...(opts.long === true && { size: 'max' as const }),
  });
  let calls = 0;
  const ops = new Set<string>();
  const prop = fc.property(commands, (cmds) => {
    const l = new CheckedFrameLayer({
      maxPaddr: FRAMES * PAGE_SIZE,
      mode: 'collect',
      ...(opts.layer !== undefined && { makeLayer: opts.layer }),
    });
    const checker = l.checker;
    const check = checker.check.bind(checker);
    checker.check = (call) => (ops.add(call.spec.name), check(call));
    fc.modelRun(() => ({ model: { frames: [], uniques: [], raw: [] }, real: { l, list: l.newList() } }), cmds);
    calls += checker.calls;
  });
  const d = fc.check(prop, { numRuns: opts.runs, seed: opts.seed });
  const error = d.errorInstance;
  return {
    calls,
    ops,
    failed: d.failed,
    counterexample: String(d.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\/$/, ''),
    violation: error instanceof ViolationFound ? error.violation : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Every op spec the commands reach. */
const EXERCISED = [
  'CursorMut::current_meta',
  'CursorMut::insert_before',
  'CursorMut::move_next',
  'CursorMut::move_prev',
  'CursorMut::take_current',
  'Frame::clone',
  'Frame::drop',
  'Frame::from_in_use',
  'Frame::from_raw',
  'Frame::from_unique',
  'Frame::from_unused',
  'Frame::into_raw',
  'LinkedList::contains',
  'LinkedList::cursor_back_mut',
  'LinkedList::cursor_front_mut',
  'LinkedList::cursor_mut_at',
  'LinkedList::is_empty',
  'LinkedList::pop_back',
  'LinkedList::pop_front',
  'LinkedList::push_back',
  'LinkedList::push_front',
  'LinkedList::size',
  'UniqueFrame::drop',
  'UniqueFrame::from_unused',
  'UniqueFrame::meta',
  'UniqueFrame::meta_mut',
  'UniqueFrame::repurpose',
  'UniqueFrame::reset_as_unused',
  'UniqueFrame::try_from_shared',
  // the implementation's internal calls, checked where the ops above make them
  'addr_of',
  'frame_to_meta',
  'meta_to_frame',
  'on_drop',
];

describe('model-based run of the checked frame layer', () => {
  it('finds no violation but vostd push_back clause on the upstream implementation, with accounting after every command', () => {
    const r = runModel({ runs: 150, seed: 42, long: true, maxCommands: 60 });
    expect(r.failed ? r.message : 'ok').toBe('ok');
    expect(r.calls).toBeGreaterThan(2000);
    expect([...r.ops].sort()).toEqual(EXERCISED);
  });

  it('catches a seeded bug (From<UniqueFrame> for Frame storing count 2), shrunk to two calls', () => {
    class IntoSharedStoresTwo extends FrameLayer {
      override intoShared(slot: SlotPtr) {
        this.region.mem.store(this.region.refCountWord(slot), 2n, Ordering.Release);
      }
    }
    const r = runModel({ runs: 200, seed: 7, layer: (reg, a) => new IntoSharedStoresTwo(reg, a) });
    expect(r.failed).toBe(true);
    expect(r.counterexample).toBe('unique_from_unused(0,0),into_shared(0)');
    expect([r.violation?.clause, r.violation?.blame]).toEqual(['Frame::from_unique.ensures.rc_one', 'implementation']);
  });
});
