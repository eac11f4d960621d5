/**
 * The model-based job of `conform`: fast-check command sequences (`fc.commands`) over a few frames,
 * each run on the implementation and on the sequential spec (`seqStep` per frame), shrunk to a
 * minimal failing sequence. After every command: the result is the spec's; every frame's count is the
 * model's (so no other frame changed); every slot satisfies `MetaSlotOwner::inv`; a claim installed
 * its metadata and a last drop dropped it; the frame went back to the allocator exactly on last drops.
 */
import fc from 'fast-check';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, ReservedMemoryMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { CURRENT_LAYOUT, LEGACY_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory, AtomicsMemory32 } from '../../impl/meta/memory.ts';
import { MetaRegion, type GetFrameError, type SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { OP_TABLE } from '../ops/opTable.ts';
import { seqStep, type FrameOpName, type SeqOutcome } from '../../spec/protocol/FrameProtocol.ts';
import { modelParams, PAGE_SIZE, type ModelParams } from '../../spec/vocab.ts';
import { slotViolations } from '../audit/slotRules.ts';
import { implementationOptions, protocolOf } from './adapters.ts';
import { Livelock, WrongSlot } from './guard.ts';
import type { FrameOps, ImplementationModule } from './Implementation.ts';

/** How large a model-based run is. */
export type ModelJobOptions = Readonly<{
  runs: number;
  seed: number;
  frames?: number;
  refCountMax?: bigint;
  /** Stops generating runs after this long (the result is then `interrupted`). */
  timeLimitMs?: number;
}>;

/** The verdict: the number of runs, or the shrunk failing command sequence and what failed. */
export type ModelJobResult = Readonly<
  | { ok: true; runs: number; interrupted?: boolean }
  | { ok: false; runs: number; counterexample: string; message: string }
>;

const METAS: readonly FrameMeta[] = [unit(KernelMeta), unit(ReservedMemoryMeta)];

/** The spec side: each frame's count, the handles held, and whether the kernel stopped. */
type Model = { rc: bigint[]; shared: number[]; unique: number[]; halted: boolean; p: ModelParams };
/** The implementation side, with what it deallocated and its view of slots. */
type Real = { ops: FrameOps; view: MetaRegion; deallocs: number[] };
type Cmd = fc.Command<Model, Real>;

class Mismatch extends Error {
  override readonly name = 'Mismatch';
}

const fail = (msg: string): never => {
  throw new Mismatch(msg);
};

/** Runs `f` on the implementation; a `KernelAbort` is the spec's panic, and only there. */
function outcome<T>(want: SeqOutcome, what: string, f: () => T): T | undefined {
  try {
    const r = f();
    if (want.kind === 'panic') fail(`${what} returned; the spec aborts (the count is at REF_COUNT_MAX)`);
    return r;
  } catch (e) {
    if (e instanceof KernelAbort && want.kind === 'panic') return undefined;
    if (e instanceof KernelAbort) fail(`${what} aborted (${e.reason}); the spec does not allow a panic here`);
    if (e instanceof Livelock || e instanceof WrongSlot) fail(e.message);
    if (e instanceof Mismatch) throw new Mismatch(`${what}: ${e.message}`);
    throw e;
  }
}

/** Checks every slot against the model after a command. */
function agree(m: Model, r: Real, what: string, claimed?: { f: number; meta: FrameMeta }): void {
  const L = r.view.layout;
  m.rc.forEach((rc, f) => {
    const base = f * L.wordsPerSlot;
    const real = r.view.mem.load(base + L.refCount, 0);
    if (real !== rc) fail(`after ${what}: frame ${f} has count ${real}; the spec says ${rc}`);
    const vtable = r.view.mem.readPlain(base + L.vtable);
    const inList = L.inList < 0 ? 0n : r.view.mem.readPlain(base + L.inList);
    const bad = slotViolations(
      { paddr: f * PAGE_SIZE, refCount: real, meta: vtable === 0n ? undefined : String(vtable), inList },
      m.p,
    )[0];
    if (bad !== undefined)
      fail(`after ${what}: frame ${f} breaks ${bad.invariant} (expected ${bad.expected}; actual ${bad.actual})`);
  });
  if (claimed !== undefined && r.view.dynMeta(claimed.f)?.type !== claimed.meta.type)
    fail(`after ${what}: the slot does not hold the metadata it was claimed with`);
}

/** The result word of an operation. */
const word = (x: SlotPtr | GetFrameError, f: number): string =>
  typeof x === 'number' ? (x === f ? 'ok' : `slot ${x}`) : x;

function step(m: Model, r: Real, op: FrameOpName, f: number, what: string, run: () => string): string | undefined {
  const want = seqStep(op, m.rc[f]!, m.p);
  r.deallocs.length = 0;
  const got = outcome(want, what, run);
  if (got === undefined) return void (m.halted = true);
  if (want.kind !== 'return') return fail(`${what}: the spec has no outcome here`);
  if (got !== want.result) fail(`${what} returned ${got}; the spec returns ${want.result}`);
  const last = want.result === 'ok:last';
  if (last !== (r.deallocs.length === 1 && r.deallocs[0] === f * PAGE_SIZE) || r.deallocs.length > 1)
    fail(
      `${what} deallocated [${r.deallocs.map((p) => `0x${p.toString(16)}`).join(', ')}]; the frame goes back to the allocator exactly on a last drop`,
    );
  m.rc[f] = want.rc;
  return got;
}

const live = (m: Readonly<Model>) => !m.halted;
const take = (xs: number[], k: number): number => xs.splice(k % xs.length, 1)[0]!;
const pick = (xs: readonly number[], k: number): number => xs[k % xs.length]!;

function cmd(name: string, guard: (m: Readonly<Model>) => boolean, run: (m: Model, r: Real) => void): Cmd {
  return {
    check: (m) => live(m) && guard(m),
    run: (m, r) => (run(m, r), m.halted || agree(m, r, name)),
    toString: () => name,
  };
}

function claimCmd(f: number, unique: boolean, k: number): Cmd {
  const name = `${unique ? 'unique_from_unused' : OP_TABLE.from_unused.name}(${f}, ${METAS[k]!.type.name})`;
  return cmd(
    name,
    (m) => !unique || m.p.refCountUnique !== null,
    (m, r) => {
      const paddr = f * PAGE_SIZE;
      const meta = METAS[k]!;
      const got = step(m, r, (unique ? OP_TABLE.from_unused_unique : OP_TABLE.from_unused).name, f, name, () =>
        word(unique ? r.ops.uniqueFromUnused!(paddr, meta) : r.ops.fromUnused(paddr, meta), f),
      );
      if (got === 'ok') (unique ? m.unique : m.shared).push(f);
      if (got === 'ok') agree(m, r, name, { f, meta });
    },
  );
}

function handleCmds(k: number): Cmd[] {
  return [
    cmd(
      `clone(#${k})`,
      (m) => m.shared.length > 0,
      (m, r) => {
        const f = pick(m.shared, k);
        if (step(m, r, OP_TABLE.clone.name, f, `clone(${f})`, () => (r.ops.clone(f), 'ok')) === 'ok') m.shared.push(f);
      },
    ),
    cmd(
      `drop(#${k})`,
      (m) => m.shared.length > 0,
      (m, r) => {
        const f = take(m.shared, k);
        step(m, r, OP_TABLE.drop.name, f, `drop(${f})`, () => (r.ops.drop(f) ? 'ok:last' : 'ok'));
      },
    ),
    cmd(
      `into_shared(#${k})`,
      (m) => m.unique.length > 0,
      (m, r) => {
        const f = take(m.unique, k);
        if (step(m, r, OP_TABLE.into_shared.name, f, `into_shared(${f})`, () => (r.ops.intoShared!(f), 'ok')) === 'ok')
          m.shared.push(f);
      },
    ),
    cmd(
      `try_into_unique(#${k})`,
      (m) => m.shared.length > 0 && m.p.refCountUnique !== null,
      (m, r) => {
        const f = pick(m.shared, k);
        if (
          step(m, r, OP_TABLE.try_into_unique.name, f, `try_into_unique(${f})`, () =>
            r.ops.tryIntoUnique!(f) ? 'ok' : 'InUse',
          ) !== 'ok'
        )
          return;
        m.shared.splice(m.shared.indexOf(f), 1);
        m.unique.push(f);
      },
    ),
    cmd(
      `drop_unique(#${k})`,
      (m) => m.unique.length > 0,
      (m, r) => {
        const f = take(m.unique, k);
        step(m, r, OP_TABLE.drop_unique.name, f, `drop_unique(${f})`, () => (r.ops.dropUnique!(f), 'ok:last'));
      },
    ),
  ];
}

/** Acquires and claims at addresses without a slot: `NotAligned` first, then `OutOfBound`. */
function badAddressCmd(frames: number, k: number): Cmd {
  const paddr = k === 0 ? PAGE_SIZE + 8 : k === 1 ? frames * PAGE_SIZE : frames * PAGE_SIZE + 8;
  const want = k === 1 ? 'OutOfBound' : 'NotAligned';
  return cmd(
    `bad_address(0x${paddr.toString(16)})`,
    () => true,
    (_m, r) => {
      const a = word(r.ops.fromInUse(paddr), -1);
      const b = word(r.ops.fromUnused(paddr, METAS[0]!), -1);
      if (a !== want || b !== want)
        fail(`from_in_use/from_unused(0x${paddr.toString(16)}) returned ${a}/${b}; the spec returns ${want}`);
    },
  );
}

/** The implementation, fresh, over `frames` slots. */
function freshReal(module: ImplementationModule, frames: number, refCountMax: bigint): Real {
  const protocol = protocolOf(module);
  const layout = protocol === 'legacy' ? LEGACY_LAYOUT : CURRENT_LAYOUT;
  const shape = regionShape(layout, frames);
  const mem = layout.width === 64 ? new AtomicsMemory(shape) : new AtomicsMemory32(shape);
  const region = new MetaRegion({ maxPaddr: frames * PAGE_SIZE, refCountMax, memory: mem }, layout);
  const deallocs: number[] = [];
  // A frame goes back to the allocator only once its slot is unused (`accounting.free_unused`).
  const dealloc = (p: number) => {
    const rc = mem.load(region.refCountWord(p / PAGE_SIZE), 0);
    if (rc !== layout.refCountUnused)
      fail(
        `the frame at 0x${p.toString(16)} was deallocated while its count is ${rc} (accounting.free_unused: a free frame is REF_COUNT_UNUSED)`,
      );
    deallocs.push(p);
  };
  const ops = module.createImplementation(
    implementationOptions(mem, protocol, frames * PAGE_SIZE, refCountMax, dealloc),
  );
  return { ops, view: region, deallocs };
}

/** Runs the model-based job. */
export function runModelJob(module: ImplementationModule, o: ModelJobOptions): ModelJobResult {
  const frames = o.frames ?? 3;
  const refCountMax = o.refCountMax ?? 3n;
  const p = modelParams({ protocol: protocolOf(module), maxPaddr: frames * PAGE_SIZE, refCountMax });
  const f = fc.nat(frames - 1);
  const commands = fc.commands(
    [
      fc.tuple(f, fc.boolean(), fc.nat(1)).map(([i, u, k]) => claimCmd(i, u, k)),
      f.map((i) =>
        cmd(
          `from_in_use(${i})`,
          () => true,
          (m, r) => {
            if (
              step(m, r, OP_TABLE.from_in_use.name, i, `from_in_use(${i})`, () =>
                word(r.ops.fromInUse(i * PAGE_SIZE), i),
              ) === 'ok'
            )
              m.shared.push(i);
          },
        ),
      ),
      fc.nat(7).chain((k) => fc.constantFrom(...handleCmds(k))),
      fc.nat(2).map((k) => badAddressCmd(frames, k)),
    ],
    { maxCommands: 40 },
  );
  const prop = fc.property(commands, (cmds) => {
    const real = freshReal(module, frames, refCountMax);
    const model: Model = {
      rc: new Array<bigint>(frames).fill(p.refCountUnused),
      shared: [],
      unique: [],
      halted: false,
      p,
    };
    fc.modelRun(() => ({ model, real }), cmds);
  });
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const d = fc.check(prop, {
      numRuns: o.runs,
      seed: o.seed,
      ...(o.timeLimitMs !== undefined && { interruptAfterTimeLimit: Math.max(1, Math.floor(o.timeLimitMs)) }),
    });
    if (!d.failed) return { ok: true, runs: d.numRuns, ...(d.interrupted && { interrupted: true }) };
    const e = d.errorInstance;
    const message =
      e instanceof Error
        ? `${e instanceof Mismatch ? '' : `the implementation threw ${e.name}: `}${e.message.split('\n')[0]}`
        : String(e);
    return {
      ok: false,
      runs: d.numRuns,
      counterexample: String(d.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\/$/, ''),
      message,
    };
  } finally {
    Error.stackTraceLimit = limit;
  }
}
