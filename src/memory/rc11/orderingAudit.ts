/**
 * The ordering audit: for every atomic access site of the implementation, weaken its ordering one step
 * at a time (SeqCst → AcqRel → Acquire / Release → Relaxed; a fence: removed) and explore, under RC11, the
 * instances that exercise the site. A site is load-bearing when its first weakening already fails.
 */
import { Ordering } from '../../../impl/meta/memory.ts';
import { UPSTREAM_ORDERINGS, type Orderings, type OrderingSiteName } from '../../../impl/meta/orderings.ts';
import { parsePrograms, type Program } from '../../check/instance.ts';
import { OP_TABLE } from '../../ops/opTable.ts';
import { exploreImplRc11, type Rc11Instance, type Rc11Result, type Rc11Step } from './exploreImpl.ts';

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

export const AUDIT_INSTANCES: Readonly<Record<string, readonly (readonly Rc11Step[])[]>> = Object.fromEntries(
  Object.entries({
    'claim, acquire, two drops': '0:from_unused,drop; 1:from_in_use,meta,drop',
    'reclaim after a last drop': '0:from_unused,meta,drop; 1:from_unused,meta,drop',
    'reclaim after a unique drop': '0:from_unused_unique,meta_mut,drop_unique; 1:from_unused,meta,drop',
    'unique, published as shared': '0:from_unused_unique,meta_mut,into_shared,drop; 1:from_in_use,meta,drop',
    'shared, converted to unique': '0:from_unused,try_into_unique,meta_mut,drop_unique,drop; 1:from_in_use,meta,drop',
    'clone, then drops': '0:from_unused,clone,drop,drop; 1:from_in_use,meta,drop',
    'count observed': '0:from_unused,reference_count,drop; 1:from_in_use,meta,drop',
    'unique, in a list, the list dropped': '0:from_unused_unique,meta_mut,list_drop; 1:from_unused,meta,drop',
  }).map(([name, text]) => [
    name,
    [...parsePrograms(text, 2, 1).values()].map((p: Program) => (p.kind === 'fixed' ? p.steps : [])),
  ]),
);

/** The sites an instance reaches: the orderings its exploration reads, recorded by a proxy of the table. */
function sitesReached(
  programs: readonly (readonly Rc11Step[])[],
  variant: 'current' | 'legacy',
): Set<OrderingSiteName> {
  const reached = new Set<OrderingSiteName>();
  const orderings = new Proxy(UPSTREAM_ORDERINGS, {
    get(target, key: string) {
      if (key in target) reached.add(key as OrderingSiteName);
      return target[key as OrderingSiteName];
    },
  });
  exploreImplRc11({ frames: 1, programs, variant, refCountMax: 16n, orderings });
  return reached;
}

const REACHED = new Map<string, Set<OrderingSiteName>>();
function reachedBy(name: string, variant: 'current' | 'legacy'): Set<OrderingSiteName> {
  const key = `${variant}/${name}`;
  if (!REACHED.has(key)) REACHED.set(key, sitesReached(AUDIT_INSTANCES[name]!, variant));
  return REACHED.get(key)!;
}

/** Whether the variant can run an instance (the legacy protocol has no unique frames). */
const runs = (ps: readonly (readonly Rc11Step[])[], variant: 'current' | 'legacy') =>
  variant === 'current' || ps.every((p) => p.every((st) => !OP_TABLE[st.op].unique));

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
    ([name, ps]) => runs(ps, variant) && reachedBy(name, variant).has(site),
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
    .filter(([, ps]) => runs(ps, variant))
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
      if (!reachedBy(u.instance, variant).has(site)) continue;
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
