/**
 * Counterexamples as ITF traces (Apalache ADR-015, what Quint writes), their zod schema, and their
 * replay: the file is the replay input.
 */
import { z } from 'zod';
import { ITF_NONE, itfOption, itfSome, toItf, type ItfValue } from '../contract/itf.ts';
import type { Finding } from './checks.ts';
import { OP_NAMES, type Instance } from './instance.ts';
import type { Label, State, StepResult } from './model.ts';
import type { World } from './world.ts';

/** The instance a trace was found on, enough to rebuild it. */
export const InstanceSchema = z.object({
  frames: z.number().int().min(1).max(16),
  threads: z.number().int().min(1).max(8),
  programs: z.array(
    z.union([
      z.object({
        kind: z.literal('fixed'),
        steps: z.array(z.object({ op: z.enum(OP_NAMES as [string, ...string[]]), frame: z.number().int().min(0) })),
      }),
      z.object({
        kind: z.literal('any'),
        depth: z.number().int().min(0),
        ops: z.array(z.enum(OP_NAMES as [string, ...string[]])),
      }),
    ]),
  ),
  refCountMax: z.string().regex(/^\d+$/),
  variant: z.enum(['current', 'legacy']),
  mutant: z.string().optional(),
});

/** A step of the trace: thread `t` starts `op` on `frame`, or (no `op`; `null` in older files) continues. */
const LabelSchema = z.object({
  t: z.number().int().min(0),
  op: z.enum(OP_NAMES as [string, ...string[]]).nullish(),
  frame: z.number().int().min(-1),
});

export const TraceSchema = z.object({
  '#meta': z.object({
    format: z.literal('ITF'),
    property: z.string(),
    verus: z.string(),
    blame: z.enum(['implementation', 'caller', 'spec']),
    message: z.string(),
    instance: InstanceSchema,
    strategy: z.string(),
    labels: z.array(LabelSchema),
  }),
  vars: z.array(z.string()),
  states: z.array(z.record(z.string(), z.unknown())),
});
export type Trace = z.infer<typeof TraceSchema>;

/** The instance recorded in a trace. */
export function instanceOf(t: Trace): Instance {
  const i = t['#meta'].instance;
  return {
    frames: i.frames,
    threads: i.threads,
    programs: i.programs as Instance['programs'],
    refCountMax: BigInt(i.refCountMax),
    variant: i.variant,
    mutant: i.mutant,
    symmetry: false,
    por: false,
  };
}

/** The state variables of a trace, in the order each state lists them (Quint's `mbt::` pair last). */
export const TRACE_VARS = ['slots', 'threads', 'halted', 'mbt::actionTaken', 'mbt::nondetPicks'] as const;

/**
 * The nondeterministic choices of the step into a state, as Quint records them: every pick an
 * `Option`, `None` when the step did not make it (the initial state makes none; a continuing thread
 * picks no operation and no frame, an `alloc` of an any-op program leaves the frame to the allocator).
 */
function itfPicks(l: Label | undefined): ItfValue {
  return {
    t: l === undefined ? ITF_NONE : itfSome(toItf(l.t)),
    op: itfOption(l?.op),
    frame: l?.op === undefined || l.frame < 0 ? ITF_NONE : itfSome(toItf(l.frame)),
  };
}

/** One state of the trace as ITF: each slot's words, each thread's operation and handles. */
function itfState(world: World, s: State, index: number, action: string, picks: ItfValue): Record<string, ItfValue> {
  const L = world.region.layout;
  const slots = Array.from({ length: world.inst.frames }, (_, f) => {
    const base = f * L.wordsPerSlot;
    return [
      f,
      {
        ref_count: s.words[base + L.refCount]!,
        metadata_live: s.words[base + L.vtable]! !== 0n,
        in_list: L.inList < 0 ? 0n : s.words[base + L.inList]!,
      },
    ];
  });
  return {
    '#meta': { index },
    slots: toItf(new Map(slots as [number, unknown][])),
    threads: s.threads.map((th) => ({
      op: itfOption(th.op),
      frame: toItf(th.frame),
      steps_done: toItf(th.log.filter((a) => a.atomic).length),
      shared: toItf(th.shared),
      unique: toItf(th.unique),
    })),
    halted: s.halted,
    'mbt::actionTaken': action,
    'mbt::nondetPicks': picks,
  };
}

/** A label as the timeline and the trace name it. */
export function describeLabel(l: Label, r: StepResult | undefined): string {
  const what = l.op === undefined ? 'continues' : `starts ${l.op}(${l.frame < 0 ? '' : l.frame})`;
  const end = r?.completed ? ` → ${r.completed.result}` : r?.abort ? ` → abort (${r.abort.error.reason})` : '';
  return `T${l.t} ${what}${end}`;
}

/** An instance's programs as a trace's `#meta.instance.programs` lists them. */
export function programsMeta(inst: Instance) {
  return inst.programs.map((p) =>
    p.kind === 'any'
      ? { kind: 'any' as const, depth: p.depth, ops: [...p.ops] }
      : { kind: 'fixed' as const, steps: p.steps.map((s) => ({ ...s })) },
  );
}

/** Builds the ITF trace of a violation from its concrete run. */
export function toTrace(
  world: World,
  inst: Instance,
  finding: Finding,
  run: { states: State[]; labels: Label[]; results: StepResult[] },
  strategy: string,
): Trace {
  const states = run.states.map((s, k) =>
    itfState(
      world,
      s,
      k,
      k === 0 ? 'init' : describeLabel(run.labels[k - 1]!, run.results[k - 1]),
      itfPicks(k === 0 ? undefined : run.labels[k - 1]),
    ),
  );
  return {
    '#meta': {
      format: 'ITF',
      property: finding.property,
      verus: finding.verus,
      blame: finding.blame,
      message: finding.message,
      instance: {
        frames: inst.frames,
        threads: inst.threads,
        programs: programsMeta(inst),
        refCountMax: String(inst.refCountMax),
        variant: inst.variant,
        ...(inst.mutant !== undefined && { mutant: inst.mutant }),
      },
      strategy,
      labels: run.labels.map((l) => ({ t: l.t, ...(l.op !== undefined && { op: l.op }), frame: l.frame })),
    },
    vars: [...TRACE_VARS],
    states,
  };
}
