/**
 * The ordering audit: for every atomic access site of the implementation, weaken its ordering one step
 * at a time (SeqCst → AcqRel → Acquire / Release → Relaxed; a fence: removed) and explore, under RC11, the
 * instances that exercise the site. A site is load-bearing when its first weakening already fails.
 */
import { Ordering } from '../../../impl/meta/memory.ts';
import { UPSTREAM_ORDERINGS, type Orderings, type OrderingSiteName } from '../../../impl/meta/orderings.ts';
import { exploreImplRc11, type Rc11Instance, type Rc11OpName, type Rc11Result, type Rc11Step } from './exploreImpl.ts';

/** Rust's names of the orderings. */
export const ORDERING_NAMES: Readonly<Record<Ordering, string>> = {
  [Ordering.Relaxed]: 'Relaxed',
  [Ordering.Acquire]: 'Acquire',
  [Ordering.Release]: 'Release',
  [Ordering.AcqRel]: 'AcqRel',
  [Ordering.SeqCst]: 'SeqCst',
};

/** The orderings one step stronger than `o`. */
export function strongerByOne(o: Ordering): Ordering[] {
  switch (o) {
    case Ordering.Relaxed:
      return [Ordering.Acquire, Ordering.Release];
    case Ordering.Acquire:
    case Ordering.Release:
      return [Ordering.AcqRel];
    case Ordering.AcqRel:
      return [Ordering.SeqCst];
    case Ordering.SeqCst:
      return [];
  }
}

/** `base` with site `site` at ordering `o`. */
const setSite = (base: Orderings, site: OrderingSiteName, o: Ordering): Orderings => ({
  ...base,
  [site]: { ...base[site], order: o },
});

/** The orderings one step weaker than `o`. */
export function weakerByOne(o: Ordering): Ordering[] {
  switch (o) {
    case Ordering.SeqCst:
      return [Ordering.AcqRel];
    case Ordering.AcqRel:
      return [Ordering.Acquire, Ordering.Release];
    case Ordering.Acquire:
    case Ordering.Release:
      return [Ordering.Relaxed];
    case Ordering.Relaxed:
      return [];
  }
}

const prog = (...steps: string[]): Rc11Step[] =>
  steps.map((s) => {
    const [op, frame] = s.split('@') as [Rc11OpName, string | undefined];
    return { op, frame: Number(frame ?? 0) };
  });

/**
 * The instances the audit explores, each a small two-thread program around one hand-over of the frame;
 * every second thread reads the metadata through a shared handle, so that a missing ordering shows as a
 * data race with the metadata writes of a claim or the teardown of a last drop.
 */
export const AUDIT_INSTANCES: Readonly<Record<string, readonly (readonly Rc11Step[])[]>> = {
  'claim, acquire, two drops': [prog('from_unused', 'drop'), prog('from_in_use', 'meta', 'drop')],
  'reclaim after a last drop': [prog('from_unused', 'meta', 'drop'), prog('from_unused', 'meta', 'drop')],
  'reclaim after a unique drop': [
    prog('from_unused_unique', 'meta_mut', 'drop_unique'),
    prog('from_unused', 'meta', 'drop'),
  ],
  'unique, published as shared': [
    prog('from_unused_unique', 'meta_mut', 'into_shared', 'drop'),
    prog('from_in_use', 'meta', 'drop'),
  ],
  'shared, converted to unique': [
    prog('from_unused', 'try_into_unique', 'meta_mut', 'drop_unique', 'drop'),
    prog('from_in_use', 'meta', 'drop'),
  ],
  'clone, then drops': [prog('from_unused', 'clone', 'drop', 'drop'), prog('from_in_use', 'meta', 'drop')],
};

/** Which instances exercise a site: those whose programs run an operation that reaches it. */
const SITE_OPS: Readonly<Record<OrderingSiteName, readonly Rc11OpName[]>> = {
  claimCas: ['from_unused', 'from_unused_unique'],
  claimStoreUnique: ['from_unused_unique'],
  claimStoreShared: ['from_unused'],
  acquireLoad: ['from_in_use'],
  acquireCas: ['from_in_use'],
  incRefCount: ['clone'],
  dropLastStore: ['drop', 'drop_unique'],
  frameDropDecrement: ['drop'],
  frameDropFence: ['drop'],
  intoSharedStore: ['into_shared'],
  tryIntoUniqueCas: ['try_into_unique'],
  uniqueDropStore: ['drop_unique'],
  resetAsUnusedStore: [],
  referenceCountLoad: [],
  inListLoad: [],
  inListStore: [],
};

/** The operations the legacy protocol lacks (it has no unique frames). */
const UNIQUE_OPS = new Set<Rc11OpName>([
  'from_unused_unique',
  'try_into_unique',
  'into_shared',
  'drop_unique',
  'meta_mut',
]);

export type Weakening = Readonly<{
  ordering: string;
  passes: boolean;
  instance?: string;
  violation?: Rc11Result['violation'];
}>;

export type SiteReport = Readonly<{
  site: OrderingSiteName;
  rust: string;
  access: string;
  ordering: string;
  /** The weakest ordering with which every instance exercising the site still passes. */
  weakest: string;
  loadBearing: boolean;
  /** Whether some instance of the audit reaches the site at all. */
  exercised: boolean;
  weakenings: readonly Weakening[];
  /** The first failing weakening's violation (or upstream's own, when the site is too weak), for the report. */
  counterexample: Rc11Result['violation'];
  /** Upstream's ordering fails and a stronger one (`weakest`) passes: a finding about upstream. */
  tooWeak: boolean;
  /** The instances that exercise the site. */
  instances: readonly string[];
  states: number;
}>;

type Run = (programs: readonly (readonly Rc11Step[])[], orderings: Orderings) => Rc11Result;

const runner =
  (variant: 'current' | 'legacy'): Run =>
  (programs, orderings) =>
    exploreImplRc11({ frames: 1, programs, variant, refCountMax: 16n, orderings } satisfies Rc11Instance);

/** The audit instances that exercise `site` (and that the variant can run). */
function instancesOf(site: OrderingSiteName, variant: 'current' | 'legacy') {
  return Object.entries(AUDIT_INSTANCES).filter(
    ([, ps]) =>
      ps.some((p) => p.some((st) => SITE_OPS[site].includes(st.op))) &&
      (variant === 'current' || ps.every((p) => p.every((st) => !UNIQUE_OPS.has(st.op)))),
  );
}

/**
 * Audits one site: weakens it step by step from its ordering in `baseline` (upstream's, with the fixes of
 * sites found too weak) over the instances exercising it.
 */
export function auditSite(
  site: OrderingSiteName,
  variant: 'current' | 'legacy',
  baseline: Orderings = UPSTREAM_ORDERINGS,
  run: Run = runner(variant),
): SiteReport {
  const s = baseline[site];
  const upstreamOrder = UPSTREAM_ORDERINGS[site].order;
  const explore = run;
  const instances = instancesOf(site, variant);
  const weakenings: Weakening[] = [];
  let states = 0;
  const tryOrdering = (o: Ordering): Weakening => {
    const orderings = setSite(baseline, site, o);
    for (const [name, programs] of instances) {
      const r = explore(programs, orderings);
      states += r.states;
      if (r.verdict === 'violation')
        return { ordering: ORDERING_NAMES[o], passes: false, instance: name, violation: r.violation };
    }
    return { ordering: ORDERING_NAMES[o], passes: true };
  };
  // Walk down the lattice from upstream's ordering; an ordering is explored once.
  let frontier = instances.length === 0 ? [] : weakerByOne(s.order);
  let weakest: Ordering = s.order;
  const seen = new Set<Ordering>();
  while (frontier.length > 0) {
    const next: Ordering[] = [];
    for (const o of frontier) {
      if (seen.has(o)) continue;
      seen.add(o);
      const w = tryOrdering(o);
      weakenings.push(w);
      if (w.passes) {
        weakest = o;
        next.push(...weakerByOne(o));
      }
    }
    frontier = next;
  }
  const first = weakenings.filter((w) =>
    weakerByOne(s.order)
      .map((o) => ORDERING_NAMES[o])
      .includes(w.ordering),
  );
  const failing = weakenings.find((w) => !w.passes);
  return {
    site,
    rust: s.rust,
    access: s.access,
    ordering: ORDERING_NAMES[upstreamOrder],
    weakest: ORDERING_NAMES[weakest],
    loadBearing: (first.length > 0 && first.every((w) => !w.passes)) || s.order !== upstreamOrder,
    exercised: instances.length > 0,
    tooWeak: s.order !== upstreamOrder,
    weakenings,
    counterexample: failing?.violation,
    instances: instances.map(([n]) => n),
    states,
  };
}

/** One audit instance explored with upstream's orderings as they are. */
export type UpstreamRun = Readonly<{
  instance: string;
  verdict: Rc11Result['verdict'];
  states: number;
  violation: Rc11Result['violation'];
}>;

export type OrderingAudit = Readonly<{
  variant: 'current' | 'legacy';
  upstream: readonly UpstreamRun[];
  sites: readonly SiteReport[];
}>;

/** Explores every audit instance with upstream's orderings, then audits every site. */
export function auditOrderings(variant: 'current' | 'legacy' = 'current'): OrderingAudit {
  const upstream = Object.entries(AUDIT_INSTANCES)
    .filter(([, ps]) => variant === 'current' || ps.every((p) => p.every((st) => !UNIQUE_OPS.has(st.op))))
    .map(([instance, programs]) => {
      const r = exploreImplRc11({ frames: 1, programs, variant, refCountMax: 16n });
      return { instance, verdict: r.verdict, states: r.states, violation: r.violation };
    });
  const baseline = repairs(variant, upstream);
  const sites = (Object.keys(UPSTREAM_ORDERINGS) as OrderingSiteName[]).map((site) => {
    const r = auditSite(site, variant, baseline.orderings);
    const own = baseline.evidence.get(site);
    return own === undefined ? r : { ...r, counterexample: own };
  });
  return { variant, upstream, sites };
}

/**
 * Upstream's orderings with the sites that are too weak strengthened: for each instance that fails as
 * upstream has it, the site (exercised by it) whose one-step strengthening makes every failing
 * instance pass. The evidence is upstream's own violation.
 */
function repairs(variant: 'current' | 'legacy', upstream: readonly UpstreamRun[]) {
  let orderings: Orderings = UPSTREAM_ORDERINGS;
  const evidence = new Map<OrderingSiteName, Rc11Result['violation']>();
  const failing = upstream.filter((u) => u.verdict === 'violation');
  const run = runner(variant);
  for (const u of failing) {
    const programs = AUDIT_INSTANCES[u.instance]!;
    if (run(programs, orderings).verdict !== 'violation') continue;
    for (const site of Object.keys(UPSTREAM_ORDERINGS) as OrderingSiteName[]) {
      if (!programs.some((p) => p.some((st) => SITE_OPS[site].includes(st.op)))) continue;
      const fix = strongerByOne(orderings[site].order).find(
        (o) => run(programs, setSite(orderings, site, o)).verdict !== 'violation',
      );
      if (fix === undefined) continue;
      orderings = setSite(orderings, site, fix);
      evidence.set(site, u.violation);
      break;
    }
  }
  return { orderings, evidence };
}
