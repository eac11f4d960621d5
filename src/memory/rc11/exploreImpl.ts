/**
 * The real implementation explored under RC11: each thread runs a fixed program of frame operations
 * through the real `MetaRegion`/`FrameLayer` on an `Rc11Memory`, by replay, and `exploreGraphs` visits
 * every RC11-consistent execution. What it finds: data races on the metadata (plain accesses unordered
 * by happens-before), kernel aborts, and final counts that disagree with the handles the threads hold.
 */
import { KernelAbort } from '../../../impl/meta/abort.ts';
import { KernelMeta, unit, type FrameMeta } from '../../../impl/meta/frameMeta.ts';
import type { FrameOpName } from '../../../spec/protocol/FrameProtocol.ts';
import type { ProgramStep } from '../../check/instance.ts';
import { dropOf, opDef, OP_TABLE, returned, type HandleKind, type OpSubject } from '../../ops/opTable.ts';
import { CURRENT_LAYOUT, LEGACY_LAYOUT, regionShape } from '../../../impl/meta/layout.ts';
import { LegacyMetaRegion, MetaRegion, type MetaRegionOptions } from '../../../impl/meta/MetaSlot.ts';
import type { Orderings } from '../../../impl/meta/orderings.ts';
import { FrameLayer, type Deallocator } from '../../../impl/frame/Frame.ts';
import { link, LinkedList, ListIdAllocator } from '../../../impl/frame/LinkedList.ts';
import { PAGE_SIZE } from '../../../impl/meta/pageSize.ts';
import { PhysMemory } from '../../../impl/meta/physMemory.ts';
import type { Race } from './consistency.ts';
import type { ExecutionGraph, GraphEvent } from './ExecutionGraph.ts';
import { exploreGraphs, sampleGraph, type Execution, type GraphThread, type PendingStep } from './exploreGraphs.ts';
import { Rng } from '../../simulate/Rng.ts';
import { PAUSE_RC11, Rc11Memory, type LogEntry } from './Rc11Memory.ts';

/** One operation of a thread's program, on frame `frame`. */
export type Rc11Step = ProgramStep;

const META: FrameMeta = unit(KernelMeta);

/** The operations the RC11 explorer runs: the table's, but `alloc` (its world has no allocator). */
export function rc11Supports(op: FrameOpName): boolean {
  return OP_TABLE[op].target !== 'allocator';
}

/** A thread's program: a fixed sequence, or any of `ops` up to `depth` operations (drops free), then its drops. */
export type Rc11Program = readonly Rc11Step[] | Readonly<{ depth: number; ops: readonly FrameOpName[] }>;

/** An RC11 instance: frames, per-thread programs, the protocol and its orderings. */
export type Rc11Instance = Readonly<{
  frames: number;
  programs: readonly Rc11Program[];
  variant: 'current' | 'legacy';
  refCountMax: bigint;
  orderings?: Orderings;
  /** Replaces the region (a mutant's). */
  region?: (opts: MetaRegionOptions, legacy: boolean) => MetaRegion;
  /** Replaces the frame layer (a mutant's); frames go back to no allocator. */
  layer?: (region: MetaRegion, allocator: Deallocator) => FrameLayer;
  /** How often a weak CAS may fail spuriously in one operation (bounds the retry loops). */
  spuriousBound?: number;
  maxStates?: number;
  /** Polled once per state: a time limit or Ctrl-C stops the exploration (incomplete). */
  stop?: () => boolean;
}>;

type Local = Readonly<{
  /** Steps done (fixed programs) or operations counted toward the depth (any-op programs). */
  pc: number;
  /** The operation in flight. */
  cur: Rc11Step | undefined;
  log: readonly LogEntry[];
  shared: readonly number[];
  unique: readonly number[];
  results: readonly string[];
  aborted: string | undefined;
  /** The kernel aborted where the spec allows it (an overflow at `REF_COUNT_MAX`): everything stops. */
  halted: boolean;
}>;

type Step = PendingStep &
  Readonly<{
    op: Rc11Step;
    plainLog: readonly LogEntry[];
    done: string | undefined;
    abort: string | undefined;
    /** The abort is one the spec allows (`may_panic`). */
    allowed: boolean;
    skip: boolean;
  }>;

export type Rc11Violation = Readonly<{
  kind: 'data_race' | 'abort' | 'accounting';
  message: string;
  /** The execution's events in the order they were added, thread by thread. */
  events: readonly string[];
  /** For a data race: the two racing accesses, as indices into `events`. */
  race?: readonly [number, number];
}>;

export type Rc11Result = Readonly<{
  verdict: 'ok' | 'violation' | 'incomplete';
  states: number;
  executions: number;
  violation: Rc11Violation | undefined;
}>;

/**
 * Physical memory whose frames' first word goes through the memory interface as a plain access, so
 * that reads and writes of a frame's contents are events of the execution graph (and can race).
 */
class PlainContents extends PhysMemory {
  private readonly mem: Rc11Memory;
  private readonly base: number;
  constructor(mem: Rc11Memory, base: number) {
    super();
    this.mem = mem;
    this.base = base;
  }
  override read(paddr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    const word = new Uint8Array(8);
    new DataView(word.buffer).setBigUint64(0, this.mem.readPlain(this.base + Math.floor(paddr / PAGE_SIZE)), true);
    out.set(word.subarray(0, Math.min(8, len)));
    return out;
  }
  override write(paddr: number, data: Uint8Array): void {
    const word = new Uint8Array(8);
    word.set(data.subarray(0, 8));
    this.mem.writePlain(this.base + Math.floor(paddr / PAGE_SIZE), new DataView(word.buffer).getBigUint64(0, true));
  }
}

/** The world of one explorer run: the region and layer over one `Rc11Memory`, and the initial locations. */
function makeWorld(inst: Rc11Instance) {
  const legacy = inst.variant === 'legacy';
  const layout = legacy ? LEGACY_LAYOUT : CURRENT_LAYOUT;
  const shape = regionShape(layout, inst.frames);
  const per = layout.wordsPerSlot;
  const slotOf = (w: number) => Math.floor(w / per);
  const atomicName = (w: number) =>
    w % per === layout.refCount
      ? `ref_count[${slotOf(w)}]`
      : w % per === layout.inList
        ? `in_list[${slotOf(w)}]`
        : `word[${w}]`;
  // A frame's contents are one plain word per frame after the slots (what a reader or writer touches).
  const contents = shape.words;
  const mem = new Rc11Memory({
    atomic: atomicName,
    plain: (w) => (w >= contents ? `contents[${w - contents}]` : `meta[${slotOf(w)}]`),
    initial: (w) => (w >= contents ? 0n : shape.initialWord(w)),
  });
  const opts: MetaRegionOptions = {
    maxPaddr: inst.frames * PAGE_SIZE,
    refCountMax: inst.refCountMax,
    memory: mem,
    phys: new PlainContents(mem, contents),
    ...(inst.orderings && { orderings: inst.orderings }),
  };
  const region = inst.region ? inst.region(opts, legacy) : legacy ? new LegacyMetaRegion(opts) : new MetaRegion(opts);
  const layer = inst.layer ? inst.layer(region, { dealloc: () => undefined }) : new FrameLayer(region);
  // a list holds UniqueFrame<Link<M>>s: when some program drops lists, claims install Link (as the explorer's do)
  const lists = inst.programs.some((p) =>
    ('ops' in p ? p.ops : (p as readonly Rc11Step[]).map((st) => st.op)).some((op) => opDef(op).lists === true),
  );
  const subject: OpSubject = {
    layer,
    alloc: () => undefined,
    meta: lists ? link(0n) : META,
    ...(lists &&
      layer instanceof FrameLayer && {
        list: (f: number) => new LinkedList(layer, new ListIdAllocator(BigInt(f) + 1n)),
      }),
  };
  const init = new Map<string, bigint>();
  for (let f = 0; f < inst.frames; f++) {
    const rc = region.refCountWord(f);
    init.set(atomicName(rc), shape.initialWord(rc));
    if (layout.inList >= 0) init.set(atomicName(f * per + layout.inList), 0n);
    init.set(`meta[${f}]`, 0n);
    init.set(`contents[${f}]`, 0n);
  }
  return { mem, layer, region, init, subject };
}

const holds = (s: Local, st: Rc11Step) => {
  const need = OP_TABLE[st.op].needs;
  return need === undefined || (need === 'shared' ? s.shared[st.frame]! > 0 : s.unique[st.frame]! > 0);
};

/** The drops of every handle `s` still holds. */
function endDrops(s: Local): Rc11Step[] {
  const out: Rc11Step[] = [];
  s.shared.forEach((n, frame) => n > 0 && out.push({ op: dropOf('shared'), frame }));
  s.unique.forEach((n, frame) => n > 0 && out.push({ op: dropOf('unique'), frame }));
  return out;
}

/** The operations a thread may start next: its program's next step, or any enabled operation. */
function choices(program: Rc11Program, s: Local, frames: number): Rc11Step[] {
  if (Array.isArray(program)) {
    const steps = program as readonly Rc11Step[];
    return s.pc < steps.length ? [steps[s.pc]!] : [];
  }
  const { depth, ops } = program as Extract<Rc11Program, { depth: number }>;
  const out: Rc11Step[] = [];
  for (const op of ops) {
    if (OP_TABLE[op].counts && s.pc >= depth) continue;
    for (let frame = 0; frame < frames; frame++) if (holds(s, { op, frame })) out.push({ op, frame });
  }
  if (s.pc >= depth)
    for (const d of endDrops(s)) if (!out.some((o) => o.op === d.op && o.frame === d.frame)) out.push(d);
  return out;
}

function implThread(
  w: ReturnType<typeof makeWorld>,
  program: Rc11Program,
  t: number,
  frames: number,
  bound: number,
): GraphThread<Local, Step> {
  const fixed = Array.isArray(program);
  const run = (s: Local, g: ExecutionGraph, op: Rc11Step): Step => {
    const base = {
      op,
      label: `T${t} ${OP_TABLE[op.op].rust}(frame ${op.frame})`,
      plainLog: [],
      done: undefined,
      abort: undefined,
      allowed: false,
      skip: false,
    };
    // A fixed step whose handle the thread does not hold (an earlier acquisition failed) is skipped.
    if (!holds(s, op)) return { ...base, accesses: [], skip: true };
    w.mem.begin(s.log, g, bound);
    try {
      const done = OP_TABLE[op.op].call(w.subject, op.frame, op.frame * PAGE_SIZE).result;
      return { ...base, accesses: w.mem.stepAccesses(), plainLog: w.mem.plainLog(), done };
    } catch (e) {
      if (e === PAUSE_RC11) return { ...base, accesses: w.mem.stepAccesses(), plainLog: w.mem.plainLog() };
      if (e instanceof KernelAbort) {
        // `may_panic`: an increment may abort when the count it observed is at least REF_COUNT_MAX.
        const observed = s.log.findLast((x) => x.value !== undefined)?.value;
        const allowed =
          e.reason === 'ref_count_overflow' && observed !== undefined && observed >= w.region.REF_COUNT_MAX;
        return { ...base, accesses: w.mem.stepAccesses(), abort: e.message, allowed };
      }
      throw e;
    }
  };
  return {
    next(s, g) {
      if (s.aborted !== undefined || s.halted) return undefined;
      if (s.cur !== undefined) return run(s, g, s.cur);
      const cs = choices(program, s, frames);
      return cs.length === 0 ? undefined : cs.map((op) => run(s, g, op));
    },
    after(s, step, value, failed) {
      const st = step.op;
      const counts = fixed || OP_TABLE[st.op].counts;
      const pc = counts ? s.pc + 1 : s.pc;
      if (step.skip) return { ...s, pc, results: [...s.results, 'skipped'] };
      if (step.abort !== undefined)
        return step.allowed ? { ...s, cur: st, halted: true } : { ...s, cur: st, aborted: step.abort };
      if (step.done !== undefined) {
        const def = OP_TABLE[st.op];
        const gained = returned(st.op, step.done);
        const delta = (k: HandleKind) => (def.releases === k ? -1 : 0) + (gained[k] ?? 0);
        const [ds, du] = [delta('shared'), delta('unique')];
        const bump = (xs: readonly number[], d: number) => xs.map((n, f) => (f === st.frame ? n + d : n));
        return {
          ...s,
          pc,
          cur: undefined,
          log: [],
          shared: bump(s.shared, ds),
          unique: bump(s.unique, du),
          results: [...s.results, step.done],
        };
      }
      return { ...s, cur: st, log: [...s.log, ...step.plainLog, { value, failed }] };
    },
    key: (s) =>
      `${s.pc}:${s.cur === undefined ? '' : `${s.cur.op}@${s.cur.frame}`}:${s.shared}/${s.unique}:${s.aborted ?? ''}${s.halted ? 'H' : ''}:${s.log.map((e) => `${e.value}${e.failed ? 'f' : ''}`).join(',')}`,
  };
}

function describe(e: GraphEvent): string {
  const what = e.kind === 'F' ? 'fence' : e.kind === 'R' ? 'read' : e.kind === 'W' ? 'write' : 'rmw';
  const vals =
    e.kind === 'U'
      ? ` ${e.read}->${e.written}`
      : e.kind === 'R' && e.order !== 'na'
        ? ` -> ${e.read}`
        : e.kind === 'W' && e.order !== 'na'
          ? ` ${e.written}`
          : '';
  return `${e.label ?? 'init'}: ${e.order === 'na' ? 'plain' : e.order} ${what} ${e.loc}${vals}`;
}

function raceMessage(g: ExecutionGraph, r: Race): string {
  const a = g.events[r.a]!;
  const b = g.events[r.b]!;
  return `data race on ${a.loc}: ${describe(a)} and ${describe(b)} are not ordered by happens-before (${missingChain(g, r)})`;
}

/**
 * The synchronization the race lacks: an atomic write of the first access's thread, after it, that the
 * second access's thread reads before its access — the pair that would order them with a release on the
 * write side (or a release fence before it) and an acquire on the read side (or an acquire fence after it).
 */
function missingChain(g: ExecutionGraph, r: Race): string {
  const [first, second] = [g.events[r.a]!, g.events[r.b]!];
  for (const wid of g.byThread[first.thread]!) {
    const w = g.events[wid]!;
    if (w.index <= first.index || w.order === 'na' || !(w.kind === 'W' || w.kind === 'U')) continue;
    for (const rid of g.byThread[second.thread]!) {
      const rd = g.events[rid]!;
      if (rd.index >= second.index || g.rf[rid] !== wid) continue;
      return `${describe(w)} is read by ${describe(rd)}, but ${w.order} → ${rd.order} does not synchronize: it needs a release write (or a release fence before it) and an acquire read (or an acquire fence after it)`;
    }
  }
  return 'no write after the first access is read before the second: nothing can order them';
}

/** Explores `inst` under RC11: the first violation found, or ok. */
export function exploreImplRc11(inst: Rc11Instance): Rc11Result {
  const w = makeWorld(inst);
  const F = inst.frames;
  const threads = inst.programs.map((p, t) => implThread(w, p, t, F, inst.spuriousBound ?? 1));
  const start: Local = {
    pc: 0,
    cur: undefined,
    log: [],
    shared: Array(F).fill(0),
    unique: Array(F).fill(0),
    results: [],
    aborted: undefined,
    halted: false,
  };
  let violation: Rc11Violation | undefined;
  const events = (g: ExecutionGraph) => g.events.filter((e) => e.thread >= 0).map(describe);
  const r = exploreGraphs(
    threads,
    inst.programs.map(() => start),
    w.init,
    {
      ...(inst.maxStates !== undefined && { maxStates: inst.maxStates }),
      halted: (ls) => ls.some((l) => l.halted),
      onState: (s) => {
        if (inst.stop?.() === true) return false;
        const aborted = s.locals.findIndex((l) => l.aborted !== undefined);
        if (aborted >= 0)
          violation = {
            kind: 'abort',
            message: `thread ${aborted}: ${s.locals[aborted]!.aborted}`,
            events: events(s.graph),
          };
        return violation === undefined;
      },
    },
  );
  if (violation !== undefined)
    return { verdict: 'violation', states: r.states, executions: r.executions.length, violation };
  for (const e of r.executions) {
    const v = judge(w, inst, e);
    if (v !== undefined)
      return { verdict: 'violation', states: r.states, executions: r.executions.length, violation: v };
  }
  return {
    verdict: r.complete ? 'ok' : 'incomplete',
    states: r.states,
    executions: r.executions.length,
    violation: undefined,
  };
}

/** What is wrong with a complete execution: a data race, or final counts the handles do not explain. */
function judge(w: World, inst: Rc11Instance, e: Execution<Local>): Rc11Violation | undefined {
  const race = e.races[0];
  if (race !== undefined) {
    const init = e.graph.events.findIndex((x) => x.thread >= 0);
    return {
      kind: 'data_race',
      message: raceMessage(e.graph, race),
      events: eventsOf(e.graph),
      race: [race.a - init, race.b - init],
    };
  }
  const aborted = e.locals.findIndex((l) => l.aborted !== undefined);
  if (aborted >= 0)
    return { kind: 'abort', message: `thread ${aborted}: ${e.locals[aborted]!.aborted}`, events: eventsOf(e.graph) };
  if (e.locals.some((l) => l.halted)) return undefined;
  const bad = accountingError(w, inst, e.locals, e.graph);
  return bad === undefined ? undefined : { kind: 'accounting', message: bad, events: eventsOf(e.graph) };
}

const eventsOf = (g: ExecutionGraph) => g.events.filter((e) => e.thread >= 0).map(describe);

type World = ReturnType<typeof makeWorld>;

export type Rc11SampleResult = Readonly<{
  verdict: 'ok' | 'violation';
  runs: number;
  violation: Rc11Violation | undefined;
  seed: number;
}>;

/** `runs` random RC11 executions of `inst` from `seed` (one seeded generator per run): the first violation, or ok. */
export function sampleImplRc11(inst: Rc11Instance, runs: number, seed: number, maxSteps = 100_000): Rc11SampleResult {
  const w = makeWorld(inst);
  const threads = inst.programs.map((p, t) => implThread(w, p, t, inst.frames, inst.spuriousBound ?? 1));
  let done = 0;
  for (let run = 0; run < runs; run++) {
    if (inst.stop?.() === true) break;
    done++;
    const rng = new Rng(seed + run);
    const e = sampleGraph(
      threads,
      inst.programs.map(() => startOf(inst.frames)),
      w.init,
      { int: (n) => rng.int(n), maxSteps, halted: (ls) => ls.some((l) => l.halted || l.aborted !== undefined) },
    );
    if (e === undefined) continue;
    const v = judge(w, inst, e);
    if (v !== undefined) return { verdict: 'violation', runs: done, violation: v, seed: seed + run };
  }
  return { verdict: 'ok', runs: done, violation: undefined, seed };
}

/** The initial local state of every thread. */
function startOf(frames: number): Local {
  return {
    pc: 0,
    cur: undefined,
    log: [],
    shared: Array<number>(frames).fill(0),
    unique: Array<number>(frames).fill(0),
    results: [],
    aborted: undefined,
    halted: false,
  };
}

/** The final count of each frame against the handles the threads still hold. */
function accountingError(
  w: World,
  inst: Rc11Instance,
  locals: readonly Local[],
  g: ExecutionGraph,
): string | undefined {
  for (let f = 0; f < inst.frames; f++) {
    const rc = g.finalValue(`ref_count[${f}]`)!;
    const shared = locals.reduce((n, l) => n + l.shared[f]!, 0);
    const unique = locals.reduce((n, l) => n + l.unique[f]!, 0);
    const want = unique > 0 ? w.region.REF_COUNT_UNIQUE : shared > 0 ? BigInt(shared) : w.region.REF_COUNT_UNUSED;
    if (rc !== want)
      return `frame ${f}: final count ${rc}, but the threads hold ${shared} shared and ${unique} unique handle(s) (expected ${want})`;
  }
  return undefined;
}
