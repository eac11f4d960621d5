/**
 * The trusted axioms evaluated on the real implementation: every slot axiom on every slot of every
 * state, `drop_meta_in_place` at every step that uninitializes a slot's metadata, and the embedded
 * axioms on every completed operation whose slot no other thread wrote while it ran (its first and
 * last states are then its `old` and `final`, as for the axiom's one atomic ghost step). An axiom
 * false on a real state is a finding.
 *
 * `usage` is ghost state (the words do not hold it): it is tracked along each path as the axioms'
 * ensures set it — `Unused` at boot, `Frame` after a successful allocation, kept by every other
 * operation — so `requires usage is Unused` is exercised.
 */
import { PAGE_USAGES, tsAlg, type Alg, type Slot } from '../../spec/axioms/Alg.ts';
import { trustedBase, type SpecVersion, type TrustedItem } from '../../spec/axioms/trustedBase.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import { DEFAULT_MAX_PADDR, type ModelParams } from '../../spec/vocab.ts';
import type { PageUsage } from '../../spec/meta/MetaSlotOwner.ts';
import type { Access } from '../contract/trackingMemory.ts';
import { enabled, initialState, step, type Label, type State } from '../check/model.ts';
import { Rng } from '../simulate/Rng.ts';
import { simWorld } from '../simulate/simRun.ts';
import type { Instance } from '../check/instance.ts';
import { World } from '../check/world.ts';
import { subjectOf } from '../subjects/resolve.ts';
import { opDef, OP_NAMES } from '../ops/opTable.ts';

/** The first real evidence against an axiom. */
export type Violation = Readonly<{ axiom: string; evidence: string }>;

type TSlot = Slot<boolean, bigint>;
const algs = new WeakMap<ModelParams, Alg<boolean, bigint>>();
/** The evaluation algebra of an instance's parameters (one per parameters object). */
const alg = (p: ModelParams): Alg<boolean, bigint> => {
  let a = algs.get(p);
  if (a === undefined)
    algs.set(
      p,
      (a = tsAlg({ unused: p.refCountUnused, unique: p.refCountUnique ?? -1n, max: p.refCountMax }, () => false)),
    );
  return a;
};

/**
 * Slot `f` of `words` as the axioms see it, with ghost usage `usage`: the model has no MMIO frames
 * (`is_mmio_paddr` is false) and no page tables (`paths_in_pt` is empty).
 */
export function slotOfWords(world: World, words: readonly bigint[], f: number, usage: PageUsage = 'Frame'): TSlot {
  const L = world.region.layout;
  const base = f * L.wordsPerSlot;
  const live = words[base + L.vtable]! !== 0n;
  return {
    rc: words[base + L.refCount]!,
    storageInit: live,
    vtableInit: live,
    inList: L.inList < 0 ? 0n : words[base + L.inList]!,
    usage: BigInt(PAGE_USAGES.indexOf(usage)),
    paths: 0n,
    vaddr: metaAddr(f),
  };
}

const show = (s: TSlot, p: ModelParams) =>
  `ref_count ${s.rc === p.refCountUnused ? 'UNUSED' : s.rc === p.refCountUnique ? 'UNIQUE' : s.rc}, metadata ${s.storageInit ? 'live' : 'dropped'}, in_list ${s.inList}, usage ${PAGE_USAGES[Number(s.usage)]}`;

/** The slot and fact axioms false in state `s` (what the explorer or simulator calls per state). */
export function axiomStateViolations(
  world: World,
  s: State,
  spec: SpecVersion,
  usage: readonly PageUsage[] = [],
  frames: readonly number[] = Array.from({ length: world.inst.frames }, (_, f) => f),
): Violation[] {
  const a = alg(world.p);
  const out: Violation[] = [];
  for (const item of trustedBase(spec)) {
    const m = item.meaning;
    if (m.kind === 'slot')
      for (const f of frames)
        if (!m.holds(a, slotOfWords(world, s.words, f, usage[f])))
          out.push({
            axiom: item.name,
            evidence: `frame ${f}: ${show(slotOfWords(world, s.words, f, usage[f]), world.p)}`,
          });
    if (m.kind === 'fact') {
      const facts = {
        sizeOfMetaSlot: BigInt((world.region.layout.wordsPerSlot * world.region.layout.width) / 8),
        maxPaddrResult: BigInt(world.p.maxPaddr),
        MAX_PADDR: BigInt(DEFAULT_MAX_PADDR),
      };
      if (!m.holds(a, facts))
        out.push({
          axiom: item.name,
          evidence: `size_of::<MetaSlot>() ${facts.sizeOfMetaSlot}, the instance's max_paddr ${facts.maxPaddrResult}, MAX_PADDR ${facts.MAX_PADDR}`,
        });
    }
  }
  return out;
}

function transitionViolation(
  item: TrustedItem,
  world: World,
  o: TSlot,
  n: TSlot,
  ok: boolean,
  spec: SpecVersion,
): Violation | undefined {
  const m = item.meaning;
  if (m.kind !== 'transition') return undefined;
  const a = alg(world.p);
  if (!m.requires(a, o, true, spec) || m.ensures(a, o, n, ok, true, spec)) return undefined;
  return {
    axiom: item.name,
    evidence: `old: ${show(o, world.p)}; final: ${show(n, world.p)}; result ${ok ? 'Ok' : 'Err'}`,
  };
}

/**
 * The axioms false at the calls of `drop_meta_in_place` in one step: the step's memory `accesses` are
 * replayed over `before`, and each write that clears a slot's vtable word is the call, its `old` and
 * `final` the words just before and after that write (exact even when the step writes more). `unmet`
 * hears of each call made outside the trusted function's `requires` (a caller's bug).
 */
export function axiomStepViolations(
  world: World,
  before: State,
  accesses: readonly Access[],
  spec: SpecVersion,
  usage: readonly PageUsage[] = [],
  unmet: (v: Violation) => void = () => undefined,
): Violation[] {
  const out: Violation[] = [];
  const L = world.region.layout;
  const words = before.words.slice();
  const a = alg(world.p);
  for (const x of accesses) {
    if (x.written === undefined) continue;
    const f = Math.floor(x.word / L.wordsPerSlot);
    const clears = f < world.inst.frames && x.word % L.wordsPerSlot === L.vtable && x.written === 0n;
    const o = clears ? slotOfWords(world, words, f, usage[f]) : undefined;
    words[x.word] = x.written;
    if (o === undefined || !o.vtableInit) continue;
    const n = slotOfWords(world, words, f, usage[f]);
    for (const item of trustedBase(spec))
      if (item.meaning.kind === 'transition' && item.meaning.at.kind === 'vtable-clear') {
        const v = transitionViolation(item, world, o, n, true, spec);
        if (v !== undefined) out.push(v);
        if (!item.meaning.requires(a, o, true, spec))
          unmet({ axiom: item.name, evidence: `frame ${f}: called on ${show(o, world.p)}` });
      }
  }
  return out;
}

/** What the exploration saw: states visited, operations evaluated, and per axiom the first violation. */
export type RealStatesReport = Readonly<{
  states: number;
  /** Every reachable state was visited (false: the state cap stopped the search first). */
  complete: boolean;
  /** Completed operations the embedded axioms were evaluated on. */
  operations: number;
  /** Completed operations left out because another thread wrote their slot while they ran. */
  interfered: number;
  violations: ReadonlyMap<string, Violation>;
  /**
   * Per axiom, the first successful operation of the implementation where the axiom's `requires` fail
   * (the axiom cannot be applied there), or the first call of a trusted function outside its `requires`.
   */
  requiresUnmet: ReadonlyMap<string, Violation>;
}>;

/** A thread's operation in flight: its slot when it started, and whether another thread wrote it since. */
type InFlight = Readonly<{ start: TSlot; disturbed: boolean }> | undefined;
/** A state with its ghost usage, its operations in flight, and (path information) the frames its step wrote. */
type Node = Readonly<{
  s: State;
  usage: readonly PageUsage[];
  flight: readonly InFlight[];
  written: readonly number[];
}>;

/** The claims by address: on success the frame's ghost usage becomes `Frame`. */
const ALLOCATES: ReadonlySet<string> = new Set(
  OP_NAMES.filter((o) => opDef(o).claims === true && opDef(o).target === 'paddr'),
);

/** The frames whose slot words `accesses` wrote. */
function framesWritten(world: World, accesses: readonly Access[]): number[] {
  const w = world.region.layout.wordsPerSlot;
  const out = new Set<number>();
  for (const x of accesses)
    if (x.written !== undefined && x.word < world.inst.frames * w) out.add(Math.floor(x.word / w));
  return [...out];
}

/** The evaluator's record: first violations, unmet requires, operation counts. */
type Tally = {
  operations: number;
  interfered: number;
  readonly violations: Map<string, Violation>;
  readonly requiresUnmet: Map<string, Violation>;
};

const noteInto = (into: Map<string, Violation>, vs: readonly Violation[]) =>
  vs.forEach((v) => into.has(v.axiom) || into.set(v.axiom, v));

/**
 * One step `l` from node `n`: the metadata-clearing calls of the step and the completed operation (if
 * no other thread wrote its slot while it ran) are evaluated into `tally`; returns the next node.
 * The next state's slot axioms are left to the caller (a search evaluates each distinct state once).
 */
function advance(world: World, spec: SpecVersion, n: Node, l: Label, tally: Tally): Node {
  const { s, usage, flight } = n;
  const a = alg(world.p);
  const r = step(world, world.inst, s, l);
  const earlier = l.op !== undefined ? 0 : s.threads[l.t]!.log.length;
  const accesses = (r.completed?.log ?? r.state.threads[l.t]!.log).slice(earlier);
  noteInto(
    tally.violations,
    axiomStepViolations(world, s, accesses, spec, usage, (v) => noteInto(tally.requiresUnmet, [v])),
  );
  const fl = [...flight];
  if (l.op !== undefined) fl[l.t] = { start: slotOfWords(world, s.words, l.frame, usage[l.frame]), disturbed: false };
  const mine = fl[l.t];
  const written = framesWritten(world, accesses);
  for (let t = 0; t < fl.length; t++) {
    const other = fl[t];
    if (t !== l.t && other !== undefined && written.some((f) => metaAddr(f) === other.start.vaddr))
      fl[t] = { ...other, disturbed: true };
  }
  let nextUsage = usage;
  const c = r.completed;
  if (c !== undefined) {
    fl[c.t] = undefined;
    const ok = c.result.startsWith('ok') || c.result === 'Ok';
    if (ok && ALLOCATES.has(c.op) && usage[c.frame] !== 'Frame')
      nextUsage = usage.map((u, f) => (f === c.frame ? 'Frame' : u));
    if (mine === undefined || mine.disturbed) tally.interfered++;
    else {
      tally.operations++;
      const o = mine.start;
      const fin = slotOfWords(world, r.state.words, c.frame, nextUsage[c.frame]);
      for (const item of trustedBase(spec)) {
        const m = item.meaning;
        if (m.kind !== 'transition' || m.at.kind !== 'op' || !m.at.ops.includes(c.op)) continue;
        const where = `${c.op} on frame ${c.frame} (thread ${c.t}, result ${c.result})`;
        if (ok && !m.requires(a, o, true, spec))
          noteInto(tally.requiresUnmet, [
            { axiom: item.name, evidence: `${where}: requires false on old ${show(o, world.p)}` },
          ]);
        const v = transitionViolation(item, world, o, fin, ok, spec);
        if (v !== undefined) noteInto(tally.violations, [{ ...v, evidence: `${where}: ${v.evidence}` }]);
      }
    }
  }
  return { s: r.state, usage: nextUsage, flight: fl, written };
}

const rootNode = (world: World): Node => ({
  s: initialState(world),
  usage: Array.from({ length: world.inst.frames }, () => 'Unused' as const),
  flight: Array.from({ length: world.inst.threads }, () => undefined),
  written: [],
});

const newTally = (): Tally => ({ operations: 0, interfered: 0, violations: new Map(), requiresUnmet: new Map() });

/**
 * Every state of `inst` (breadth-first, up to `maxStates` distinct states with their ghost usage),
 * with the axioms of `spec` evaluated on each state, each metadata-clearing call and each completed
 * operation no other thread interfered with (on the first path to the state it completes from).
 */
export function exploreAxioms(inst: Instance, spec: SpecVersion, maxStates = 200_000): RealStatesReport {
  const world = new World(inst, subjectOf(inst));
  const tally = newTally();
  // the operations in flight are path information: a state is expanded once, with the flight of the
  // first path that reached it (every state, step and metadata-clearing call is still evaluated)
  const key = (n: Node) =>
    `${n.s.words.join(',')}|${n.s.halted}|${n.usage.join(',')}|${n.s.threads
      .map(
        (t) =>
          `${t.pc},${t.op},${t.frame},${t.shared.join('.')},${t.unique.join('.')},${t.log.map((x) => `${x.word}:${x.observed}:${x.written}`).join(';')}`,
      )
      .join('/')}`;
  const root = rootNode(world);
  const seen = new Set([key(root)]);
  const queue: Node[] = [root];
  noteInto(tally.violations, axiomStateViolations(world, root.s, spec, root.usage));
  let q = 0;
  for (; q < queue.length && seen.size < maxStates; q++)
    for (const l of enabled(inst, queue[q]!.s)) {
      const next = advance(world, spec, queue[q]!, l, tally);
      const k = key(next);
      if (seen.has(k)) continue;
      seen.add(k);
      noteInto(tally.violations, axiomStateViolations(world, next.s, spec, next.usage));
      queue.push(next);
    }
  return { states: seen.size, complete: q === queue.length, ...tally };
}

/** The bounds of a random walk: `runs` runs of at most `steps` steps, run `i` from seed `seed + i`. */
export type WalkBounds = Readonly<{ runs: number; steps: number; seed: number }>;

/**
 * The axioms of `spec` along random runs of `inst` (each step's thread chosen uniformly): for
 * instances too large to exhaust, as `simulate` runs them. A state's slot axioms are evaluated on the
 * frames its step wrote (the others are unchanged since they were last evaluated).
 */
export function walkAxioms(inst: Instance, spec: SpecVersion, b: WalkBounds): RealStatesReport {
  const world = simWorld(inst, subjectOf(inst));
  const tally = newTally();
  let states = 0;
  for (let run = 0; run < b.runs; run++) {
    const rng = new Rng(b.seed + run);
    let n = rootNode(world);
    if (run === 0) noteInto(tally.violations, axiomStateViolations(world, n.s, spec, n.usage));
    for (let i = 0; i < b.steps && !n.s.halted; i++) {
      const ls = enabled(inst, n.s);
      if (ls.length === 0) break;
      n = advance(world, spec, n, rng.pick(ls), tally);
      states++;
      noteInto(tally.violations, axiomStateViolations(world, n.s, spec, n.usage, n.written));
    }
  }
  return { states, complete: true, ...tally };
}
