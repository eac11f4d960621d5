/**
 * RC11 consistency of an execution graph, axiom by axiom, as Lahav et al. define it (PLDI 2017, §3;
 * herd7's `rc11.cat` is the reference encoding):
 *
 * - coherence: `hb ; eco?` irreflexive, and `[RMW] ; eco` irreflexive;
 * - atomicity: `rmw ∩ (rb ; mo)` empty;
 * - SC: `psc = psc_base ∪ psc_F` acyclic;
 * - no thin air: `po ∪ rf` acyclic (true by construction of the graphs, checked anyway).
 *
 * and its data races: two conflicting accesses of different threads, not both atomic, unordered by `hb`.
 */
import { ExecutionGraph, isAtomic, isRead, isWrite, type GraphEvent } from './ExecutionGraph.ts';
import { Relation } from './Relation.ts';

export type Axiom = 'coherence' | 'atomicity' | 'sc' | 'no-thin-air';

/** A data race: two conflicting accesses unordered by happens-before (`a` added to the graph first). */
export type Race = Readonly<{ a: number; b: number }>;

export type Consistency =
  Readonly<{ consistent: true; races: readonly Race[] }> | Readonly<{ consistent: false; axiom: Axiom }>;

/** The derived relations of a graph, named as in the paper. */
export type Relations = Readonly<{
  sb: Relation;
  rf: Relation;
  mo: Relation;
  rb: Relation;
  eco: Relation;
  sw: Relation;
  hb: Relation;
  /** `undefined` when the graph has no SC event (then `psc` is empty). */
  psc: Relation | undefined;
}>;

const RELEASE = new Set(['rel', 'acq_rel', 'sc']);
const ACQUIRE = new Set(['acq', 'acq_rel', 'sc']);

/** Computes the relations RC11's axioms are stated over. */
export function relations(g: ExecutionGraph): Relations {
  const ev = g.events;
  const n = ev.length;
  const e = (i: number): GraphEvent => ev[i]!;
  const loc = Relation.sameClass(n, (i) => (e(i).kind === 'F' ? undefined : e(i).loc));
  const sb = new Relation(n);
  for (const ids of g.byThread)
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) sb.add(ids[i]!, ids[j]!);
  const rf = new Relation(n);
  g.rf.forEach((w, r) => w >= 0 && rf.add(w, r));
  const mo = new Relation(n);
  for (const ws of g.mo.values())
    for (let i = 0; i < ws.length; i++) for (let j = i + 1; j < ws.length; j++) mo.add(ws[i]!, ws[j]!);
  const rb = rf
    .inverse()
    .then(mo)
    .minus(Relation.identity(n, () => true));
  const eco = rf.union(mo, rb).closure();

  const isW = (i: number) => isWrite(e(i));
  const isF = (i: number) => e(i).kind === 'F';
  const sbLoc = sb.intersect(loc);
  const rmwId = Relation.identity(n, (i) => e(i).kind === 'U');
  const rs = sbLoc
    .reflexive()
    .from(isW)
    .to((i) => isW(i) && isAtomic(e(i)))
    .then(rf.then(rmwId).reflexive().closure().reflexive());
  const fenceThenSb = Relation.identity(n, () => true).union(sb.from(isF));
  const sbThenFence = Relation.identity(n, () => true).union(sb.to(isF));
  const sw = fenceThenSb
    .from((i) => RELEASE.has(e(i).order))
    .then(rs)
    .then(rf)
    .to((i) => isRead(e(i)) && isAtomic(e(i)))
    .then(sbThenFence)
    .to((i) => ACQUIRE.has(e(i).order));
  const hb = sb.union(sw).closure();

  const isSc = (i: number) => e(i).order === 'sc';
  if (!ev.some((x) => x.order === 'sc')) return { sb, rf, mo, rb, eco, sw, hb, psc: undefined };
  const isScFence = (i: number) => isF(i) && isSc(i);
  const sbl = sb.minus(loc);
  const hbl = hb.intersect(loc);
  const scb = sb.union(sbl.then(hb).then(sbl), hbl, mo, rb);
  const pre = Relation.identity(n, isSc).union(hb.reflexive().from(isScFence));
  const post = Relation.identity(n, isSc).union(hb.reflexive().to(isScFence));
  const pscBase = pre.then(scb).then(post);
  const pscF = hb.union(hb.then(eco).then(hb)).from(isScFence).to(isScFence);
  return { sb, rf, mo, rb, eco, sw, hb, psc: pscBase.union(pscF) };
}

/**
 * The first RC11 axiom `g` breaks, or its data races when it breaks none. `ignore` drops axioms — only
 * to show that each one is load-bearing for the litmus suite.
 */
export function checkConsistency(g: ExecutionGraph, ignore: ReadonlySet<Axiom> = NONE): Consistency {
  const r = relations(g);
  const n = g.events.length;
  const rmwId = Relation.identity(n, (i) => g.events[i]!.kind === 'U');
  const breaks: Readonly<Record<Axiom, () => boolean>> = {
    coherence: () => !r.hb.then(r.eco.reflexive()).isIrreflexive() || !rmwId.then(r.eco).isIrreflexive(),
    atomicity: () => !rmwId.intersect(r.rb.then(r.mo)).isEmpty(),
    sc: () => r.psc !== undefined && !r.psc.isAcyclic(),
    'no-thin-air': () => !r.sb.union(r.rf).isAcyclic(),
  };
  for (const axiom of AXIOMS) if (!ignore.has(axiom) && breaks[axiom]()) return { consistent: false, axiom };
  return { consistent: true, races: races(g, r.hb) };
}

export const AXIOMS: readonly Axiom[] = ['coherence', 'atomicity', 'sc', 'no-thin-air'];
const NONE: ReadonlySet<Axiom> = new Set();

/** Conflicting accesses (one a write, not both atomic, neither an initialization) unordered by `hb`. */
export function races(g: ExecutionGraph, hb: Relation): Race[] {
  const out: Race[] = [];
  const ev = g.events;
  for (let a = 0; a < ev.length; a++)
    for (let b = a + 1; b < ev.length; b++) {
      const x = ev[a]!;
      const y = ev[b]!;
      if (x.kind === 'F' || y.kind === 'F' || x.loc !== y.loc || x.thread < 0 || y.thread < 0) continue;
      if (x.thread === y.thread || !(isWrite(x) || isWrite(y)) || (isAtomic(x) && isAtomic(y))) continue;
      if (!hb.has(a, b) && !hb.has(b, a)) out.push({ a, b });
    }
  return out;
}
