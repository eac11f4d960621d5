/**
 * The trusted axioms evaluated on the real implementation: every slot axiom on every slot of every
 * state, `drop_meta_in_place` at every step that uninitializes a slot's metadata, and the embedded
 * axioms on every operation of a one-thread run (where an operation's first and last states are its
 * `old` and `final`). An axiom false on a real state is a finding.
 */
import { tsAlg, usageTag, type Slot } from '../../spec/axioms/Alg.ts';
import { trustedBase, type SpecVersion, type TrustedItem } from '../../spec/axioms/trustedBase.ts';
import { metaAddr } from '../../spec/meta/mapping.ts';
import { DEFAULT_MAX_PADDR, type ModelParams } from '../../spec/vocab.ts';
import { enabled, initialState, step, type State } from '../check/model.ts';
import type { Instance } from '../check/instance.ts';
import { World } from '../check/world.ts';

/** The first real evidence against an axiom. */
export type Violation = Readonly<{ axiom: string; evidence: string }>;

type TSlot = Slot<boolean, bigint>;
const alg = (p: ModelParams) =>
  tsAlg({ unused: p.refCountUnused, unique: p.refCountUnique ?? -1n, max: p.refCountMax }, () => false);

/**
 * Slot `f` of `words` as the axioms see it: the model has no MMIO frames (`is_mmio_paddr` is false) and
 * no page tables (`paths_in_pt` is empty); usage is `Frame`, as in the explorer's own view.
 */
export function slotOfWords(world: World, words: readonly bigint[], f: number): TSlot {
  const L = world.region.layout;
  const base = f * L.wordsPerSlot;
  const live = words[base + L.vtable]! !== 0n;
  return {
    rc: words[base + L.refCount]!,
    storageInit: live,
    vtableInit: live,
    inList: L.inList < 0 ? 0n : words[base + L.inList]!,
    usage: usageTag(alg(world.p), 'Frame'),
    paths: 0n,
    vaddr: metaAddr(f),
  };
}

const show = (s: TSlot) => `ref_count ${s.rc}, metadata ${s.storageInit ? 'live' : 'dropped'}, in_list ${s.inList}`;

/** The slot and fact axioms false in state `s` (what the explorer or simulator calls per state). */
export function axiomStateViolations(world: World, s: State, spec: SpecVersion): Violation[] {
  const a = alg(world.p);
  const out: Violation[] = [];
  for (const item of trustedBase(spec)) {
    const m = item.meaning;
    if (m.kind === 'slot')
      for (let f = 0; f < world.inst.frames; f++)
        if (!m.holds(a, slotOfWords(world, s.words, f)))
          out.push({ axiom: item.name, evidence: `frame ${f}: ${show(slotOfWords(world, s.words, f))}` });
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
  return { axiom: item.name, evidence: `old: ${show(o)}; final: ${show(n)}; result ${ok ? 'Ok' : 'Err'}` };
}

/** The axioms false at the step from `before` to `after` (a thread's step that cleared frame metadata). */
export function axiomStepViolations(world: World, before: State, after: State, spec: SpecVersion): Violation[] {
  const out: Violation[] = [];
  for (let f = 0; f < world.inst.frames; f++) {
    const o = slotOfWords(world, before.words, f);
    const n = slotOfWords(world, after.words, f);
    // a step that also wrote the count is coarser than the call: the call's own old/final are not both visible
    if (!o.vtableInit || n.vtableInit || o.rc !== n.rc) continue;
    for (const item of trustedBase(spec))
      if (item.meaning.kind === 'transition' && item.meaning.at.kind === 'vtable-clear') {
        const v = transitionViolation(item, world, o, n, true, spec);
        if (v !== undefined) out.push(v);
      }
  }
  return out;
}

/** What the exploration saw: states visited and, per axiom, the first violation. */
export type RealStatesReport = Readonly<{
  states: number;
  operations: number;
  violations: ReadonlyMap<string, Violation>;
}>;

/**
 * Every state of `inst` (breadth-first, up to `maxStates`), with the axioms of `spec` evaluated on each
 * state, each metadata-clearing step and — when `inst` has one thread — each completed operation.
 */
export function exploreAxioms(inst: Instance, spec: SpecVersion, maxStates = 200_000): RealStatesReport {
  const world = new World(inst);
  const violations = new Map<string, Violation>();
  const note = (vs: readonly Violation[]) => vs.forEach((v) => violations.has(v.axiom) || violations.set(v.axiom, v));
  const key = (s: State) =>
    JSON.stringify([s.words.map(String), s.threads, s.halted], (_, v: unknown) =>
      typeof v === 'bigint' ? String(v) : v,
    );
  type Node = Readonly<{ s: State; opStart: State | undefined }>;
  const root = initialState(world);
  const seen = new Set([key(root)]);
  const queue: Node[] = [{ s: root, opStart: undefined }];
  let operations = 0;
  note(axiomStateViolations(world, root, spec));
  for (let q = 0; q < queue.length && seen.size < maxStates; q++) {
    const { s, opStart } = queue[q]!;
    for (const l of enabled(inst, s)) {
      const r = step(world, inst, s, l);
      const start = l.op !== undefined ? s : opStart;
      note(axiomStepViolations(world, s, r.state, spec));
      if (r.completed !== undefined && inst.threads === 1 && start !== undefined) {
        operations++;
        const f = r.completed.frame;
        const ok = r.completed.result.startsWith('ok') || r.completed.result === 'Ok';
        for (const item of trustedBase(spec)) {
          const m = item.meaning;
          if (m.kind !== 'transition' || m.at.kind !== 'op' || !m.at.ops.includes(r.completed.op)) continue;
          const v = transitionViolation(
            item,
            world,
            slotOfWords(world, start.words, f),
            slotOfWords(world, r.state.words, f),
            ok,
            spec,
          );
          if (v !== undefined) note([{ ...v, evidence: `${r.completed.op} on frame ${f}: ${v.evidence}` }]);
        }
      }
      const k = key(r.state);
      if (seen.has(k)) continue;
      seen.add(k);
      note(axiomStateViolations(world, r.state, spec));
      queue.push({ s: r.state, opStart: r.completed !== undefined ? undefined : start });
    }
  }
  return { states: seen.size, operations, violations };
}
