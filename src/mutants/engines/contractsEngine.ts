/**
 * The contracts engine: random sequences of Frame, UniqueFrame and frame-list calls (at frames and at
 * edge addresses) through the contract-checked layer built over the mutant — and, for a MetaSlot
 * mutant, of MetaSlot calls through the checked region — every call checked clause by clause in
 * `collect` mode. A mutant is killed when the implementation (or the spec) is blamed for a
 * clause the real implementation never breaks; fast-check then shrinks the call sequence. The clauses
 * the shrunk sequence breaks tell whether a Verus contract clause catches the bug, or only an
 * invariant, the accounting or the refinement check (a spec gap).
 */
import { withFalsifier } from '../../contract/coverage.ts';
import fc from 'fast-check';
import { link } from '../../../impl/frame/LinkedList.ts';
import { KernelMeta, unit } from '../../../impl/meta/frameMeta.ts';
import type { MetaRegionOptions } from '../../../impl/meta/MetaSlot.ts';
import { slotOwner } from '../../../spec/meta/MetaRegionOwners.ts';
import { clauseTable } from '../../../spec/registry.ts';
import { PAGE_SIZE } from '../../../spec/vocab.ts';
import type { FrameHandle, UniqueHandle } from '../../contract/accounting.ts';
import { CheckedFrameLayer, type CheckedFrameOptions } from '../../contract/CheckedFrameLayer.ts';
import { CheckedMetaRegion } from '../../contract/CheckedMetaRegion.ts';
import type { CheckedLinkedList } from '../../contract/CheckedLinkedList.ts';
import type { Violation } from '../../contract/report.ts';
import { AccessGuard } from '../../testing/AccessGuard.ts';
import { paddrArb } from '../../testing/arbitraries.ts';
import type { Mutant } from '../catalog.ts';
import {
  buddyCommands,
  buddySetup,
  optionsCommands,
  optionsSetup,
  segmentCommands,
  segmentSetup,
  withSegmentVariant,
  type Real,
} from './structureContracts.ts';
import { timed, type EngineResult, type ViolatedClause } from './types.ts';

const FRAMES = 3;
/** Broken by the real implementation too: vostd's push_back position (docs/findings.md F1). */
const BASELINE = new Set(['LinkedList::push_back.ensures.insert_before_last']);

type M = { frames: FrameHandle[]; uniques: UniqueHandle[]; halted: boolean };
/** `stop`: a blamed violation fails the sequence (to shrink it); otherwise the survey just collects. */
type R = { l: CheckedFrameLayer; list: CheckedLinkedList; stop: boolean; violations: () => readonly Violation[] };

class Caught extends Error {
  readonly violations: readonly Violation[];
  constructor(vs: readonly Violation[]) {
    super(`${vs[0]!.clause} (blame: ${vs[0]!.blame})`);
    this.violations = vs;
  }
}

const blamed = (vs: readonly Violation[]) => vs.filter((v) => v.blame !== 'caller' && !BASELINE.has(v.clause));

/** Runs a checked call; an abort or a thrown livelock stops the sequence (the checker recorded what it broke). */
function guarded(
  m: { halted: boolean },
  r: { stop: boolean; violations: () => readonly Violation[] },
  body: () => void,
): void {
  try {
    body();
  } catch {
    m.halted = true;
  }
  const bad = blamed(r.violations());
  if (r.stop && bad.length > 0) throw new Caught(bad);
}

const take = <T>(xs: T[], k: number): T => xs.splice(k % xs.length, 1)[0]!;
const isLink = (u: UniqueHandle) => u.owner.metaOwn.type === 'Link';

/** A command whose run is guarded: an abort halts the sequence, a blamed violation stops it (to shrink). */
function guardedCmd<Mo extends { halted: boolean }, Re extends Real>(
  name: string,
  check: (m: Readonly<Mo>) => boolean,
  body: (m: Mo, r: Re) => void,
): fc.Command<Mo, Re> {
  return { check: (m) => !m.halted && check(m), run: (m, r) => guarded(m, r, () => body(m, r)), toString: () => name };
}

const cmd = guardedCmd<M, R>;

function frameCommands(): fc.Arbitrary<fc.Command<M, R>>[] {
  const k = fc.nat(7);
  const some = (m: Readonly<M>) => m.frames.length > 0;
  const uniq = (m: Readonly<M>) => m.uniques.length > 0;
  return [
    paddrArb(FRAMES).map((p) =>
      cmd(
        `from_unused(${p})`,
        () => true,
        (m, r) => pushIf(m.frames, r.l.fromUnused(p, unit(KernelMeta))),
      ),
    ),
    paddrArb(FRAMES).map((p) =>
      cmd(
        `from_in_use(${p})`,
        () => true,
        (m, r) => pushIf(m.frames, r.l.fromInUse(p)),
      ),
    ),
    fc.nat(FRAMES - 1).map((f) =>
      cmd(
        `unique_from_unused(${f * PAGE_SIZE})`,
        () => true,
        (m, r) => {
          if (slotOwner(r.l.ghost, f).usage === 'Unused')
            pushIf(m.uniques, r.l.uniqueFromUnused(f * PAGE_SIZE, unit(KernelMeta)));
        },
      ),
    ),
    k.map((j) => cmd(`clone(#${j})`, some, (m, r) => void m.frames.push(r.l.clone(m.frames[j % m.frames.length]!)))),
    k.map((j) => cmd(`drop(#${j})`, some, (m, r) => void r.l.drop(take(m.frames, j)))),
    k.map((j) => cmd(`into_shared(#${j})`, uniq, (m, r) => void m.frames.push(r.l.intoShared(take(m.uniques, j))))),
    k.map((j) =>
      cmd(`try_into_unique(#${j})`, some, (m, r) => {
        const h = m.frames[j % m.frames.length]!;
        const res = r.l.tryIntoUnique(h);
        if (res.ok) (m.frames.splice(m.frames.indexOf(h), 1), m.uniques.push(res.unique));
      }),
    ),
    k.map((j) => cmd(`drop_unique(#${j})`, uniq, (m, r) => r.l.dropUnique(take(m.uniques, j)))),
  ];
}

function pushIf<H>(xs: H[], h: H | string): void {
  if (typeof h !== 'string') xs.push(h);
}

function listCommands(): fc.Arbitrary<fc.Command<M, R>>[] {
  const links = (m: Readonly<M>) => m.uniques.some(isLink);
  return [
    fc.nat(FRAMES - 1).map((f) =>
      cmd(
        `unique_from_unused(${f * PAGE_SIZE}, link)`,
        () => true,
        (m, r) => {
          if (slotOwner(r.l.ghost, f).usage === 'Unused')
            pushIf(m.uniques, r.l.uniqueFromUnused(f * PAGE_SIZE, link(BigInt(f))));
        },
      ),
    ),
    fc.nat(7).map((j) =>
      cmd(
        `drop_unique(#${j})`,
        (m) => m.uniques.length > 0,
        (m, r) => r.l.dropUnique(take(m.uniques, j)),
      ),
    ),
    fc.tuple(fc.nat(7), fc.boolean()).map(([j, back]) =>
      cmd(`push_${back ? 'back' : 'front'}(#${j})`, links, (m, r) => {
        const ls = m.uniques.filter(isLink);
        const u = ls[j % ls.length]!;
        m.uniques.splice(m.uniques.indexOf(u), 1);
        if (back) r.list.pushBack(u);
        else r.list.pushFront(u);
      }),
    ),
    fc.boolean().map((back) =>
      cmd(
        `pop_${back ? 'back' : 'front'}`,
        () => true,
        (m, r) => pushIf(m.uniques, (back ? r.list.popBack() : r.list.popFront()) ?? 'none'),
      ),
    ),
    fc.nat(FRAMES - 1).map((f) =>
      cmd(
        `contains(${f * PAGE_SIZE})`,
        () => true,
        (_m, r) => void r.list.contains(f * PAGE_SIZE),
      ),
    ),
  ];
}

/** The checked layer over the mutant's parts, with a livelock guard under the tracking memory. */
function layerOf(m: Mutant): R {
  const guard = new AccessGuard();
  const opts: CheckedFrameOptions = {
    maxPaddr: FRAMES * PAGE_SIZE,
    refCountMax: 3n,
    mode: 'collect',
    wrapMemory: (mem) => guard.wrap(mem),
    ...(m.region !== undefined && { makeRegion: (o: MetaRegionOptions) => m.region!(o, false) }),
    ...(m.layer !== undefined && { makeLayer: m.layer }),
    ...(m.list !== undefined && { makeList: m.list }),
  };
  const l = new CheckedFrameLayer(opts);
  return { l, list: l.newList(), stop: true, violations: () => l.violations };
}

let origins: Map<string, ViolatedClause> | undefined;

/** A violated clause with its kind and origin (the registry's, or `framecheck` for the checker's own checks). */
export function describeClause(v: Violation): ViolatedClause {
  origins ??= new Map(clauseTable().map((row) => [row.name, { clause: row.name, kind: row.kind, origin: row.origin }]));
  return (
    origins.get(v.clause) ?? {
      clause: v.clause,
      kind: v.kind,
      origin: v.kind === 'ensures' || v.kind === 'requires' || v.kind === 'may_panic' ? 'vostd' : 'framecheck',
    }
  );
}

/** The contracts engine's verdict, and the clauses the minimized sequence breaks. */
export type ContractsOutcome = EngineResult & Readonly<{ clauses: readonly ViolatedClause[] }>;

/** Whether the contracts engine applies to a mutant: every part but the early allocator has a checked layer. */
export function contractsApply(m: Mutant): boolean {
  return m.target !== 'early-allocator';
}

type Found = Readonly<{ counterexample: string; violations: readonly Violation[] }>;

/** The shrunk sequence that first breaks a clause, if any sequence does. */
function search<Mo extends object, Re extends Real>(
  cmds: fc.Arbitrary<fc.Command<Mo, Re>>[],
  setup: () => { model: Mo; real: Re },
  o: { numRuns: number; seed: number },
): Found | undefined {
  const arb = fc.commands(cmds, { maxCommands: 30, size: 'max' });
  const d = fc.check(
    fc.property(arb, (c) => fc.modelRun(setup, c)),
    { numRuns: o.numRuns, seed: o.seed },
  );
  const e = d.errorInstance;
  if (!d.failed || !(e instanceof Caught)) return undefined;
  return {
    counterexample: String(d.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\/$/, ''),
    violations: e.violations,
  };
}

/** Every clause any of the sequences breaks (none stops at its first violation). */
function survey<Mo extends object, Re extends Real>(
  cmds: fc.Arbitrary<fc.Command<Mo, Re>>[],
  setup: () => { model: Mo; real: Re },
  o: { numRuns: number; seed: number },
): Violation[] {
  const seen = new Map<string, Violation>();
  const arb = fc.commands(cmds, { maxCommands: 30, size: 'max' });
  const prop = fc.property(arb, (c) => {
    const s = setup();
    s.real.stop = false;
    fc.modelRun(() => s, c);
    for (const v of blamed(s.real.violations())) if (!seen.has(v.clause)) seen.set(v.clause, v);
  });
  fc.check(prop, { numRuns: o.numRuns, seed: o.seed + 1 });
  return [...seen.values()];
}

type Search = { found: Found | undefined; seen: readonly Violation[] };

/** Searches for a violating sequence and, when there is one, surveys every clause the sequences break. */
function probe<Mo extends object, Re extends Real>(
  cmds: fc.Arbitrary<fc.Command<Mo, Re>>[],
  setup: () => { model: Mo; real: Re },
  o: { numRuns: number; seed: number },
): Search {
  const found = search(cmds, setup, o);
  return { found, seen: found === undefined ? [] : [...found.violations, ...survey(cmds, setup, o)] };
}

/** The checked runs that apply to the mutant's part. */
function probes(m: Mutant, o: { numRuns: number; seed: number }): Search[] {
  switch (m.target) {
    case 'segment':
      return [withSegmentVariant(m, () => probe(segmentCommands(guardedCmd), segmentSetup, o))];
    case 'buddy':
      return [probe(buddyCommands(guardedCmd), () => buddySetup(m), o)];
    case 'alloc-options':
      return [probe(optionsCommands(guardedCmd), () => optionsSetup(m), o)];
    case 'list':
      return [
        probe(listCommands(), () => ({ model: { frames: [], uniques: [], halted: false }, real: layerOf(m) }), o),
      ];
    default: {
      const frame = probe(
        frameCommands(),
        () => ({ model: { frames: [], uniques: [], halted: false }, real: layerOf(m) }),
        o,
      );
      return m.target === 'meta-slot'
        ? [frame, probe(metaCommands(), () => ({ model: { halted: false }, real: regionOf(m) }), o)]
        : [frame];
    }
  }
}

/** Runs the mutant through the contract-checked layers of its part. */
export function runContracts(m: Mutant, o: { numRuns: number; seed: number }): ContractsOutcome {
  const [runs, seconds] = timed(() => withFalsifier(`mutant:${m.name}`, () => probes(m, o)));
  const found = runs.find((r) => r.found !== undefined)?.found;
  if (found === undefined) return { engine: 'contracts', killed: false, seconds, clauses: [] };
  const clauses = [...new Map(runs.flatMap((r) => r.seen).map((v) => [v.clause, describeClause(v)])).values()];
  return {
    engine: 'contracts',
    killed: true,
    property: found.violations[0]!.clause,
    counterexample: found.counterexample,
    seconds,
    clauses,
  };
}

type MetaModel = { halted: boolean };

type MetaReal = Real & { r: CheckedMetaRegion };

/** The contract-checked MetaSlot layer over the mutant's region, with the livelock guard. */
function regionOf(m: Mutant): MetaReal {
  const guard = new AccessGuard();
  const r = new CheckedMetaRegion(
    { maxPaddr: FRAMES * PAGE_SIZE, refCountMax: 3n, mode: 'collect', wrapMemory: (mem) => guard.wrap(mem) },
    (opts) => m.region!(opts, false),
  );
  return { r, stop: true, violations: () => r.violations };
}

function metaCmd(name: string, body: (r: CheckedMetaRegion) => void): fc.Command<MetaModel, MetaReal> {
  return guardedCmd<MetaModel, MetaReal>(
    name,
    () => true,
    (_m, x) => body(x.r),
  );
}

/** MetaSlot calls: get_slot, claims and acquisitions at any address, increments, unique teardowns. */
function metaCommands(): fc.Arbitrary<fc.Command<MetaModel, MetaReal>>[] {
  const f = fc.nat(FRAMES - 1);
  return [
    paddrArb(FRAMES).map((p) => metaCmd(`get_slot(${p})`, (r) => void r.getSlot(p))),
    fc
      .tuple(paddrArb(FRAMES), fc.boolean())
      .map(([p, u]) =>
        metaCmd(`get_from_unused(${p}${u ? ', unique' : ''})`, (r) => void r.getFromUnused(p, unit(KernelMeta), u)),
      ),
    paddrArb(FRAMES).map((p) => metaCmd(`get_from_in_use(${p})`, (r) => void r.getFromInUse(p))),
    f.map((i) =>
      metaCmd(`inc_ref_count(${i})`, (r) => {
        const rc = r.impl.refCount(i);
        if (rc >= 1n && rc < r.impl.REF_COUNT_MAX) r.incRefCount(i);
      }),
    ),
    f.map((i) =>
      metaCmd(
        `drop_last_in_place(${i})`,
        (r) => void (r.impl.refCount(i) === r.impl.REF_COUNT_UNIQUE && r.dropLastInPlace(i)),
      ),
    ),
  ];
}
