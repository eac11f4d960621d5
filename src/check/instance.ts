/**
 * A bounded instance of the protocol: frames, threads and each thread's program, the protocol variant
 * and mutant, and the reductions to use. Parsed from CLI flags with zod; an instance that is malformed
 * or absurd is refused before any exploration starts.
 */
import type { SpecVersion } from '../../spec/axioms/trustedBase.ts';
import { z } from 'zod';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { OP_NAMES, OP_TABLE, opDef } from '../ops/opTable.ts';

/** The operation names the CLI and programs accept: the operation table's. */
export { OP_NAMES };

/** One step of a fixed program: an operation and the frame it names (default 0). */
export type ProgramStep = Readonly<{ op: FrameOpName; frame: number }>;

/** A thread's program: a fixed sequence, or any operation of the alphabet up to `depth` acquisitions. */
export type Program =
  | Readonly<{ kind: 'fixed'; steps: readonly ProgramStep[] }>
  | Readonly<{ kind: 'any'; depth: number; ops: readonly FrameOpName[] }>;

export type Instance = Readonly<{
  frames: number;
  threads: number;
  programs: readonly Program[];
  refCountMax: bigint;
  variant: 'current' | 'legacy';
  mutant: string | undefined;
  symmetry: boolean;
  por: boolean;
  /** The vostd contracts the states are checked against (`--spec`); the seed's when absent. */
  spec?: SpecVersion;
}>;

/** Thrown for a malformed instance: the CLI prints it on one line and exits 2. */
export class InstanceError extends Error {
  override readonly name = 'InstanceError';
}

const opName = z.enum(OP_NAMES as [FrameOpName, ...FrameOpName[]]);

/** Parses `--ops a,b,c`. */
export function parseOps(text: string): FrameOpName[] {
  const ops = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ops.length === 0) throw new InstanceError('--ops lists no operation');
  for (const o of ops)
    if (!opName.safeParse(o).success) throw new InstanceError(`unknown op '${o}' (ops: ${OP_NAMES.join(', ')})`);
  return [...new Set(ops)] as FrameOpName[];
}

/** Parses `--program "0:from_unused,drop;1:from_in_use@1,drop"` into per-thread fixed programs. */
export function parsePrograms(text: string, threads: number, frames: number): Map<number, Program> {
  const out = new Map<number, Program>();
  for (const part of text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const m = /^(\d+)\s*:(.*)$/.exec(part);
    if (m === null) throw new InstanceError(`program '${part}' is not THREAD:op,op,…`);
    const t = Number(m[1]);
    if (t >= threads) throw new InstanceError(`program names thread ${t}, but the instance has ${threads} thread(s)`);
    if (out.has(t)) throw new InstanceError(`thread ${t} has two programs`);
    const steps = m[2]!
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => parseStep(s, frames));
    out.set(t, { kind: 'fixed', steps });
  }
  return out;
}

function parseStep(text: string, frames: number): ProgramStep {
  const [name, at] = text.split('@');
  const op = opName.safeParse(name);
  if (!op.success) throw new InstanceError(`unknown op '${name}' (ops: ${OP_NAMES.join(', ')})`);
  const frame = at === undefined ? 0 : Number(at);
  if (!Number.isInteger(frame) || frame < 0 || frame >= frames)
    throw new InstanceError(`'${text}' names frame ${at}, but the instance has ${frames} frame(s)`);
  return { op: op.data, frame };
}

/** Whether frames are interchangeable: no fixed program names one, no allocator picks one, no segment spans two. */
export function framesSymmetric(inst: Instance): boolean {
  // the allocator picks the lowest free frame, and a segment's frames are adjacent
  return inst.programs.every(
    (p) => p.kind === 'any' && !p.ops.some((o) => OP_TABLE[o].target === 'allocator' || opDef(o).span !== undefined),
  );
}

/** The canonical instance the peer models check. */
export const CANONICAL = '--frames 2 --threads 3 --depth 3 --ops from_unused,from_in_use,drop --ref-count-max 2';

/** The raw instance flags, as the CLI gives them. */
export type InstanceFlags = Readonly<{
  frames?: number;
  threads?: number;
  depth?: number;
  ops?: string;
  program?: string;
  refCountMax?: number;
  variant?: 'current' | 'legacy';
  mutant?: string;
  symmetry?: boolean;
  por?: boolean;
  spec?: SpecVersion;
}>;

/** The largest instance an engine takes, and what to call the engine in the error. */
export type Bounds = Readonly<{ frames: number; threads: number; engine: string }>;

/** The explorer's bounds. */
export const EXHAUSTIVE_BOUNDS: Bounds = { frames: 16, threads: 8, engine: 'an exhaustive check' };

/** Builds an instance from flags: programs given for some threads, any-op programs for the rest. */
export function buildInstance(
  f: InstanceFlags,
  mutantExists: (name: string) => boolean,
  bounds: Bounds = EXHAUSTIVE_BOUNDS,
): Instance {
  const frames = f.frames ?? 2;
  const threads = f.threads ?? 3;
  if (frames > bounds.frames)
    throw new InstanceError(`--frames ${frames} is more than ${bounds.engine} can cover (at most ${bounds.frames})`);
  if (threads > bounds.threads)
    throw new InstanceError(`--threads ${threads} is more than ${bounds.engine} can cover (at most ${bounds.threads})`);
  const depth = f.depth ?? 3;
  const ops = parseOps(f.ops ?? 'from_unused,from_in_use,drop');
  const fixed = f.program === undefined ? new Map<number, Program>() : parsePrograms(f.program, threads, frames);
  if (f.program !== undefined && f.depth === undefined && f.ops === undefined && fixed.size < threads) {
    throw new InstanceError(
      `--program gives ${fixed.size} of ${threads} threads a program; give every thread one, or --depth/--ops for the rest`,
    );
  }
  const variant = f.variant ?? 'current';
  const all = [...ops, ...[...fixed.values()].flatMap((p) => (p.kind === 'fixed' ? p.steps.map((s) => s.op) : []))];
  if (variant === 'legacy' && all.some((o) => OP_TABLE[o].unique))
    throw new InstanceError('the legacy protocol has no unique frames: drop the unique ops');
  if (f.mutant !== undefined && !mutantExists(f.mutant))
    throw new InstanceError(`unknown mutant '${f.mutant}' (framecheck mutants --list)`);
  const refCountMax = BigInt(f.refCountMax ?? 2 ** 31 - 1);
  if (refCountMax < 1n) throw new InstanceError('--ref-count-max must be at least 1');
  const programs = Array.from({ length: threads }, (_, t) => fixed.get(t) ?? ({ kind: 'any', depth, ops } as const));
  return {
    frames,
    threads,
    programs,
    refCountMax,
    variant,
    mutant: f.mutant,
    symmetry: f.symmetry ?? true,
    por: f.por ?? true,
    ...(f.spec !== undefined && { spec: f.spec }),
  };
}
