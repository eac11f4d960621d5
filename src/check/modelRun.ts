/**
 * A model-based run (fast-check `fc.commands`) of the contract-checked MetaSlot layer against the
 * sequential spec: random op sequences over a few frames, each call checked clause by clause, and the
 * ghost region compared with the spec's own `next` after every step.
 */
import fc from 'fast-check';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, UnitMeta, unit } from '../../impl/meta/frameMeta.ts';
import type { MetaRegion, MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { getFromInUse, getFromUnused } from '../../spec/meta/MetaSlot.ts';
import { refCountAt, regionEq, type MetaRegionOwners } from '../../spec/meta/MetaRegionOwners.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { CheckedMetaRegion } from '../contract/CheckedMetaRegion.ts';
import { storageOf } from '../contract/view.ts';
import { ContractViolation, type Violation } from '../contract/report.ts';

type Model = { ghost: MetaRegionOwners };
type Real = { r: CheckedMetaRegion };
type Cmd = fc.Command<Model, Real>;

const META = [unit(KernelMeta), unit(UnitMeta)] as const;

/** Asserts that the checked region's ghost equals the model's. */
function agree(m: Model, real: Real, what: string): void {
  if (!regionEq(m.ghost, real.r.ghost)) throw new Error(`ghost diverged from the spec model after ${what}`);
}

class Claim implements Cmd {
  readonly frame: number;
  readonly unique: boolean;
  readonly meta: 0 | 1;
  constructor(frame: number, unique: boolean, meta: 0 | 1) {
    this.frame = frame;
    this.unique = unique;
    this.meta = meta;
  }
  check = () => true;
  run(m: Model, real: Real): void {
    const meta = META[this.meta];
    const paddr = this.frame * PAGE_SIZE;
    real.r.getFromUnused(paddr, meta, this.unique);
    const out = getFromUnused.next({
      old: m.ghost,
      args: { paddr, metadata: storageOf(meta), asUnique: this.unique },
      p: m.ghost.p,
    });
    if (out.kind === 'return') m.ghost = out.result.ok ? real.r.ghost : out.final;
    agree(m, real, this.toString());
  }
  toString = () => `get_from_unused(${this.frame}, ${this.unique ? 'unique' : 'shared'})`;
}

class Acquire implements Cmd {
  readonly frame: number;
  constructor(frame: number) {
    this.frame = frame;
  }
  check = () => true;
  run(m: Model, real: Real): void {
    const paddr = this.frame * PAGE_SIZE;
    const out = getFromInUse.next({ old: m.ghost, args: { paddr }, p: m.ghost.p });
    try {
      real.r.getFromInUse(paddr);
    } catch (e) {
      if (e instanceof KernelAbort && out.kind === 'panic') return;
      throw e;
    }
    if (out.kind === 'return') m.ghost = out.final;
    agree(m, real, this.toString());
  }
  toString = () => `get_from_in_use(${this.frame})`;
}

class DropUnique implements Cmd {
  readonly frame: number;
  constructor(frame: number) {
    this.frame = frame;
  }
  check = (m: Readonly<Model>) => refCountAt(m.ghost, this.frame) === m.ghost.p.refCountUnique;
  run(m: Model, real: Real): void {
    real.r.dropLastInPlace(this.frame);
    m.ghost = real.r.ghost;
    if (refCountAt(m.ghost, this.frame) !== m.ghost.p.refCountUnused)
      throw new Error('slot not unused after drop_last_in_place');
  }
  toString = () => `drop_last_in_place(${this.frame})`;
}

class Inc implements Cmd {
  readonly frame: number;
  constructor(frame: number) {
    this.frame = frame;
  }
  check = (m: Readonly<Model>) => {
    const v = refCountAt(m.ghost, this.frame);
    return v >= 1n && v < m.ghost.p.refCountMax;
  };
  run(m: Model, real: Real): void {
    const before = refCountAt(m.ghost, this.frame);
    real.r.incRefCount(this.frame);
    m.ghost = real.r.ghost;
    if (refCountAt(m.ghost, this.frame) !== before + 1n) throw new Error('inc_ref_count did not add one');
  }
  toString = () => `inc_ref_count(${this.frame})`;
}

/** The result of a model-based run. */
export type ModelRunResult = Readonly<
  | { ok: true; runs: number; seed: number }
  | { ok: false; runs: number; seed: number; counterexample: string; violation?: Violation; message: string }
>;

/** Runs `runs` random op sequences over `frames` frames; every call is contract-checked. */
export function runModelBased(opts: {
  runs: number;
  seed: number;
  frames: number;
  refCountMax?: bigint;
  /** Builds the implementation under test (default: the real `MetaRegion`). */
  make?: (o: MetaRegionOptions) => MetaRegion;
}): ModelRunResult {
  const f = fc.integer({ min: 0, max: opts.frames - 1 });
  const commands = fc.commands(
    [
      fc.tuple(f, fc.boolean(), fc.constantFrom<0 | 1>(0, 1)).map(([i, u, k]) => new Claim(i, u, k)),
      f.map((i) => new Acquire(i)),
      f.map((i) => new Inc(i)),
      f.map((i) => new DropUnique(i)),
    ],
    { maxCommands: 40 },
  );
  const maxPaddr = opts.frames * PAGE_SIZE;
  const prop = fc.property(commands, (cmds) => {
    const r = new CheckedMetaRegion({ maxPaddr, refCountMax: opts.refCountMax ?? 3n, mode: 'enforce' }, opts.make);
    fc.modelRun(() => ({ model: { ghost: r.ghost }, real: { r } }), cmds);
  });
  const details = fc.check(prop, { numRuns: opts.runs, seed: opts.seed });
  if (!details.failed) return { ok: true, runs: details.numRuns, seed: opts.seed };
  const error = details.errorInstance;
  return {
    ok: false,
    runs: details.numRuns,
    seed: opts.seed,
    counterexample: String(details.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\/$/, ''),
    message: error instanceof Error ? error.message.split('\n')[0]! : String(error),
    ...(error instanceof ContractViolation && { violation: error.report }),
  };
}
