/**
 * The contract suite of `conform`: short scenarios — claims, acquires, clones, drops down to the last
 * reference, the unique life cycle, addresses without a slot, overflow — run through framecheck's
 * contract layer with the implementation under test inside it. Every call is checked clause by
 * clause against its Verus-mirrored pre/postconditions and the slot and accounting invariants
 * (`CheckedFrameLayer`; for the legacy protocol, `CheckedMetaRegion` on claims, acquires and clones).
 */
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import type { MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { FrameHandle, UniqueHandle } from '../contract/accounting.ts';
import { CheckedFrameLayer } from '../contract/CheckedFrameLayer.ts';
import { CheckedMetaRegion } from '../contract/CheckedMetaRegion.ts';
import type { Violation } from '../contract/report.ts';
import { ExternalLayer, ExternalLegacyRegion, protocolOf } from './adapters.ts';
import type { ImplementationModule } from './Implementation.ts';
import { specFromEnv, type SpecVersion } from '../contract/specOption.ts';

/** The region the scenarios run on: 8 frames, `REF_COUNT_MAX` lowered to 3 so overflow is reachable. */
export const SUITE_FRAMES = 8;
const MAX = SUITE_FRAMES * PAGE_SIZE;
const META = unit(KernelMeta);
const A = (f: number) => f * PAGE_SIZE;

type H = unknown;

/** What a scenario drives: the implementation through the contract layer. */
type Driver = Readonly<{
  claim: (paddr: number, unique: boolean) => H | string;
  acquire: (paddr: number) => H | string;
  clone: (h: H) => H;
  drop: (h: H) => boolean;
  intoShared: (u: H) => H;
  /** The unique handle, or `'InUse'` (the `Err` of `TryFrom<Frame> for UniqueFrame`). */
  tryIntoUnique: (h: H) => H | 'InUse';
  dropUnique: (u: H) => void;
  violations: () => readonly Violation[];
}>;

/** A scenario went another way than the spec says (the step and what happened). */
class Diverged extends Error {
  override readonly name = 'Diverged';
}

/** A value as a report shows it: JSON, with bigints as decimal strings ending in `n`. */
export function showValue(x: unknown): string {
  if (x === undefined) return 'undefined';
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(x);
}

const handle = (x: H | string, what: string): H => {
  if (typeof x === 'string') throw new Diverged(`${what} returned Err(${x}); the spec returns a handle`);
  return x;
};
const err = (x: H | string, want: string, what: string): void => {
  if (x !== want)
    throw new Diverged(
      `${what} returned ${typeof x === 'string' ? `Err(${x})` : `Ok(${showValue(x)})`}; the spec returns Err(${want})`,
    );
};
const eq = <T>(x: T, want: T, what: string): void => {
  if (x !== want) throw new Diverged(`${what} returned ${showValue(x)}; the spec returns ${showValue(want)}`);
};
const aborts = (f: () => unknown, what: string): void => {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelAbort) return;
    throw e;
  }
  throw new Diverged(`${what} returned; at REF_COUNT_MAX the implementation must abort`);
};

/** One scenario: a name, whether it needs the unique operations, and its steps. */
export type Scenario = Readonly<{ name: string; unique: boolean; run: (d: Driver) => void }>;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'claim, clone, drop down to the last reference',
    unique: false,
    run: (d) => {
      const h = handle(d.claim(A(0), false), 'from_unused(0)');
      eq(d.drop(d.clone(h)), false, 'drop of a clone');
      eq(d.drop(h), true, 'the last drop');
    },
  },
  {
    name: 'claim of an in-use frame, acquire, acquire of an unused frame',
    unique: false,
    run: (d) => {
      const h = handle(d.claim(A(1), false), 'from_unused(1)');
      err(d.claim(A(1), false), 'InUse', 'from_unused of an in-use frame');
      const g = handle(d.acquire(A(1)), 'from_in_use(1)');
      eq(d.drop(g), false, 'drop of an acquired reference');
      eq(d.drop(h), true, 'the last drop');
      err(d.acquire(A(1)), 'Unused', 'from_in_use of an unused frame');
      d.drop(handle(d.claim(A(1), false), 'from_unused after the last drop'));
    },
  },
  {
    name: 'addresses without a slot',
    unique: false,
    run: (d) => {
      err(d.claim(A(2) + 8, false), 'NotAligned', 'from_unused(unaligned)');
      err(d.claim(MAX, false), 'OutOfBound', 'from_unused(MAX_PADDR)');
      err(d.acquire(MAX + 8), 'NotAligned', 'from_in_use(unaligned beyond MAX_PADDR)');
      err(d.acquire(MAX), 'OutOfBound', 'from_in_use(MAX_PADDR)');
    },
  },
  {
    name: 'clone at REF_COUNT_MAX aborts',
    unique: false,
    run: (d) => {
      const h = handle(d.claim(A(3), false), 'from_unused(3)');
      d.clone(h);
      d.clone(h);
      aborts(() => d.clone(h), 'clone at REF_COUNT_MAX');
    },
  },
  {
    name: 'from_in_use at REF_COUNT_MAX aborts',
    unique: false,
    run: (d) => {
      const h = handle(d.claim(A(4), false), 'from_unused(4)');
      d.clone(h);
      d.clone(h);
      aborts(() => d.acquire(A(4)), 'from_in_use at REF_COUNT_MAX');
    },
  },
  {
    name: 'the unique life cycle',
    unique: true,
    run: (d) => {
      const u = handle(d.claim(A(5), true), 'UniqueFrame::from_unused(5)');
      err(d.claim(A(5), false), 'Unique', 'from_unused of a unique frame');
      err(d.acquire(A(5)), 'Unique', 'from_in_use of a unique frame');
      const h = d.intoShared(u);
      const c = d.clone(h);
      err(d.tryIntoUnique(h), 'InUse', 'try_into_unique with two references');
      eq(d.drop(c), false, 'drop of a clone');
      d.dropUnique(handle(d.tryIntoUnique(h), 'try_into_unique of the only reference'));
      err(d.acquire(A(5)), 'Unused', 'from_in_use after UniqueFrame::drop');
    },
  },
];

/** A driver over `CheckedFrameLayer` (current protocol). */
function currentDriver(module: ImplementationModule, spec: SpecVersion): Driver {
  const l = new CheckedFrameLayer({
    spec,
    maxPaddr: MAX,
    refCountMax: 3n,
    mode: 'collect',
    makeLayer: (r, a) => new ExternalLayer(r, a, module),
  });
  return {
    claim: (p, unique) => (unique ? l.uniqueFromUnused(p, META) : l.fromUnused(p, META)),
    acquire: (p) => l.fromInUse(p),
    clone: (h) => l.clone(h as FrameHandle),
    drop: (h) => l.drop(h as FrameHandle),
    intoShared: (u) => l.intoShared(u as UniqueHandle),
    tryIntoUnique: (h) => {
      const r = l.tryIntoUnique(h as FrameHandle);
      return r.ok ? r.unique : 'InUse';
    },
    dropUnique: (u) => l.dropUnique(u as UniqueHandle),
    violations: () => l.violations,
  };
}

/** A driver over `CheckedMetaRegion` (legacy protocol): drops run unchecked, the next call re-reads the slot. */
function legacyDriver(module: ImplementationModule, spec: SpecVersion): Driver {
  let ext: ExternalLegacyRegion | undefined;
  const make = (o: MetaRegionOptions) => (ext = new ExternalLegacyRegion(o, module));
  const r = new CheckedMetaRegion({ maxPaddr: MAX, refCountMax: 3n, mode: 'collect', protocol: 'legacy', spec }, make);
  const none = () => {
    throw new Diverged('the legacy protocol has no unique frames');
  };
  return {
    claim: (p) => r.getFromUnused(p, META, false),
    acquire: (p) => r.getFromInUse(p),
    clone: (h) => (r.incRefCount(h as number), h),
    drop: (h) => ext!.ops.drop(h as number),
    intoShared: none,
    tryIntoUnique: none,
    dropUnique: none,
    violations: () => r.violations,
  };
}

/** A finding of the suite: the scenario, and the violated clause or what went wrong. */
export type SuiteFinding = Readonly<{ scenario: string; clause: string; blame: string; message: string }>;

/** Runs one scenario on a fresh region; returns its findings. */
function runScenario(s: Scenario, module: ImplementationModule, spec: SpecVersion): SuiteFinding[] {
  const d = protocolOf(module) === 'legacy' ? legacyDriver(module, spec) : currentDriver(module, spec);
  const out: SuiteFinding[] = [];
  try {
    s.run(d);
  } catch (e) {
    if (e instanceof Diverged)
      out.push({ scenario: s.name, clause: 'sequential spec', blame: 'implementation', message: e.message });
    else if (!(e instanceof KernelAbort))
      out.push({
        scenario: s.name,
        clause: 'crash',
        blame: 'implementation',
        message: `the implementation threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      });
  }
  const contract = d.violations().map((v) => ({
    scenario: s.name,
    clause: v.clause,
    blame: v.blame,
    message: `${v.rust}: ${v.kind} clause ${v.clause} — ${v.verus}`,
  }));
  return [...contract, ...out];
}

/** Runs every scenario the module's protocol has, checked against the contract table of `spec` (default: `FRAMECHECK_SPEC`, else the seed's). */
export function runContractSuite(
  module: ImplementationModule,
  given?: SpecVersion,
): { scenarios: number; findings: SuiteFinding[] } {
  const spec = given ?? specFromEnv(process.env['FRAMECHECK_SPEC']);
  const legacy = protocolOf(module) === 'legacy';
  const scenarios = SCENARIOS.filter((s) => !(legacy && s.unique));
  return { scenarios: scenarios.length, findings: scenarios.flatMap((s) => runScenario(s, module, spec)) };
}
