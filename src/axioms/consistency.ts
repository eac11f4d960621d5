/**
 * Are vostd's trusted axioms jointly satisfiable, together with the datatype definitions? Every
 * mirrored axiom is asserted behind an assumption literal; an unsat answer names a core — a subset
 * that implies `false` — whose members are reported inconsistent and set aside before the rest is
 * checked again. A timeout is `unknown`, never consistent.
 *
 * A transition axiom `requires(old) ==> ensures(old, final)` (an `axiom fn` over `&mut regions`) is
 * asserted as `forall old. requires(old) ==> exists final. ensures(old, final)`: it can be called in
 * any state meeting its `requires`, and it then hands back a final state.
 *
 * Quantifier-free first: a transition axiom with an explicit final state (its `witness`) is true when
 * `requires(old) && !ensures(old, witness(old))` is unsat; a group over `is_mmio_paddr` is satisfiable
 * when every member holds with `is_mmio_paddr` read as constantly false; a broadcast slot axiom is
 * refuted by two of its instances. Only what these leave open goes to the quantified check.
 */
import type { Bool } from 'z3-solver';
import { trustedBase, type SpecVersion, type TrustedItem } from '../../spec/axioms/trustedBase.ts';
import { DEFAULT_MAX_PADDR } from '../../spec/vocab.ts';
import type { Z3, ZBool, ZBv } from '../prove/Obligation.ts';
import { slotDatatype, slotVars, z3Alg } from './z3Alg.ts';

/** The definition every `size_of::<MetaSlot>()` fact rests on. */
export const LAYOUT_DEFINITION = 'global layout MetaSlot is size == 64';

/** The solver's verdict on the axiom set. */
export type Consistency = Readonly<{
  /** Per mirrored item: consistent, in a core, or not decided. */
  verdicts: ReadonlyMap<string, Verdict>;
  /** How each verdict was reached (a witness, a model of the quantified set, a core). */
  how: ReadonlyMap<string, string>;
  /** Every unsat core found, as item (and definition) names. */
  cores: readonly (readonly string[])[];
  /** Consequences proved of single axioms (an axiom stronger than it means to be). */
  consequences: ReadonlyMap<string, string>;
}>;

/** One item's verdict. */
export type Verdict = 'consistent' | 'inconsistent' | 'unknown';

/** The solver budget per check: a wall-clock `timeoutMs`, and optionally Z3's deterministic `rlimit`. */
export type Budget = Readonly<{ timeoutMs: number; rlimit?: number }>;

type Encoded = Readonly<{ name: string; formula: ZBool; shares: string; witness: ZBool | undefined }>;
type Acc = Readonly<{ verdicts: Map<string, Verdict>; how: Map<string, string>; cores: string[][]; budget: Budget }>;

function solverFor(z: Z3, b: Budget) {
  const solver = new z.Solver();
  solver.set('timeout', b.timeoutMs);
  if (b.rlimit !== undefined) solver.set('rlimit', b.rlimit);
  return solver;
}

/**
 * The uninterpreted symbols an item's formula mentions: formulas over disjoint symbols are jointly
 * satisfiable exactly when each group is, so each group is its own (smaller) check. A transition
 * axiom mentions none: it is true or false on its own.
 */
function sharedSymbols(item: TrustedItem): string {
  const m = item.meaning;
  return m.kind === 'slot' || m.kind === 'words' ? 'is_mmio_paddr' : m.kind === 'fact' ? 'constants' : item.name;
}

/**
 * The quantifier-free sufficient condition for an item's consistency, as a formula whose
 * unsatisfiability proves it: a transition's witness failing its ensures, or a slot/words axiom
 * failing with `is_mmio_paddr` constantly false. `undefined` when the item has no witness.
 */
export function encodeWitness(z: Z3, item: TrustedItem, spec: SpecVersion): ZBool | undefined {
  const m = item.meaning;
  if (m.kind === 'transition') {
    if (m.witness === undefined) return undefined;
    const a = z3Alg(z);
    const o = slotVars(z, 'old').slot;
    const valid = z.Bool.const('valid');
    const w = m.witness(a, o, valid);
    return z.And(
      slotDatatype(z, o),
      m.requires(a, o, valid, spec),
      z.Not(z.And(slotDatatype(z, w.fin), m.ensures(a, o, w.fin, w.ok, valid, spec))),
    );
  }
  if (m.kind !== 'slot' && m.kind !== 'words') return undefined;
  const a = { ...z3Alg(z), isMmio: () => z.Bool.val(false) };
  if (m.kind === 'slot') {
    const s = slotVars(z, 'slot').slot;
    return z.And(slotDatatype(z, s), z.Not(m.holds(a, s)));
  }
  return z.Not(
    m.holds(
      a,
      Array.from({ length: m.arity }, (_, i) => z.BitVec.const(`w${i}`, 64)),
    ),
  );
}

/** The closed formula an item asserts, or `undefined` when it has no logical content. */
export function encodeItem(z: Z3, item: TrustedItem, spec: SpecVersion): ZBool | undefined {
  const a = z3Alg(z);
  const m = item.meaning;
  const forall = (vars: (ZBool | ZBv)[], body: ZBool): ZBool => z.ForAll(vars as never, body) as unknown as ZBool;
  const exists = (vars: (ZBool | ZBv)[], body: ZBool): ZBool => z.Exists(vars as never, body) as unknown as ZBool;
  switch (m.kind) {
    case 'slot': {
      const { slot, vars } = slotVars(z, 'slot');
      return forall(vars, z.Implies(slotDatatype(z, slot), m.holds(a, slot)));
    }
    case 'transition': {
      const o = slotVars(z, 'old');
      const n = slotVars(z, 'final');
      const valid = z.Bool.const('valid');
      const ok = z.Bool.const('ok');
      const after = exists(
        [...n.vars, ok],
        z.And(slotDatatype(z, n.slot), m.ensures(a, o.slot, n.slot, ok, valid, spec)),
      );
      return forall(
        [...o.vars, valid],
        z.Implies(z.And(slotDatatype(z, o.slot), m.requires(a, o.slot, valid, spec)), after),
      );
    }
    case 'fact':
      return m.holds(a, {
        sizeOfMetaSlot: z.BitVec.const('size_of::<MetaSlot>()', 64),
        maxPaddrResult: z.BitVec.const('max_paddr()', 64),
        MAX_PADDR: a.k(BigInt(DEFAULT_MAX_PADDR)),
      });
    case 'words': {
      const xs = Array.from({ length: m.arity }, (_, i) => z.BitVec.const(`w${i}`, 64));
      return forall(xs, m.holds(a, xs));
    }
    case 'none':
      return undefined;
  }
}

/** The axioms of `spec` and the definitions they rest on, encoded. */
function encodeAll(z: Z3, items: readonly TrustedItem[], spec: SpecVersion): Encoded[] {
  const out: Encoded[] = [];
  for (const item of items) {
    const formula = encodeItem(z, item, spec);
    if (formula !== undefined)
      out.push({ name: item.name, formula, shares: sharedSymbols(item), witness: encodeWitness(z, item, spec) });
  }
  if (out.some((e) => e.shares === 'constants'))
    out.push({
      name: LAYOUT_DEFINITION,
      formula: z.BitVec.const('size_of::<MetaSlot>()', 64).eq(z.BitVec.val(64n, 64)),
      shares: 'constants',
      witness: undefined,
    });
  return out;
}

/**
 * Checks the axiom set of `spec` (or the given `items`): per group of shared symbols, the
 * quantifier-free witnesses first; then repeatedly a model of every item not yet set aside, where an
 * unsat core's items are inconsistent and a timeout leaves the rest unknown.
 */
export async function checkConsistency(
  z: Z3,
  spec: SpecVersion,
  budget: Budget = { timeoutMs: 20_000 },
  items: readonly TrustedItem[] = trustedBase(spec),
): Promise<Consistency> {
  const encoded = encodeAll(z, items, spec);
  const acc: Acc = { verdicts: new Map(), how: new Map(), cores: [], budget };
  await refuteByInstances(z, items, acc);
  for (const group of new Set(encoded.map((e) => e.shares)))
    await checkGroup(
      z,
      encoded.filter((e) => e.shares === group && acc.verdicts.get(e.name) !== 'inconsistent'),
      acc,
    );
  return { verdicts: acc.verdicts, how: acc.how, cores: acc.cores, consequences: await consequences(z, items, budget) };
}

/** Whether every member's witness condition is unsat (the group then has a model by construction). */
async function witnessesHold(z: Z3, items: readonly Encoded[], b: Budget): Promise<boolean> {
  for (const e of items) {
    if (e.witness === undefined) return false;
    const solver = solverFor(z, b);
    solver.add(e.witness);
    if ((await solver.check()) !== 'unsat') return false;
  }
  return items.length > 0;
}

async function checkGroup(z: Z3, items: readonly Encoded[], acc: Acc): Promise<void> {
  if (await witnessesHold(z, items, acc.budget)) {
    for (const e of items) {
      acc.verdicts.set(e.name, 'consistent');
      acc.how.set(
        e.name,
        e.shares === 'is_mmio_paddr'
          ? 'consistent: holds with is_mmio_paddr constantly false (quantifier-free check)'
          : 'consistent: an explicit final state meets the ensures on every old state meeting the requires (quantifier-free check)',
      );
    }
    return;
  }
  let left = items;
  while (left.length > 0) {
    const solver = solverFor(z, acc.budget);
    const lits = new Map<string, Bool<'framecheck'>>();
    for (const e of left) {
      const lit = z.Bool.const(`assume ${e.name}`);
      lits.set(lit.toString(), lit);
      solver.add(z.Implies(lit, e.formula));
    }
    const answer = await solver.check(...lits.values());
    if (answer === 'sat') {
      for (const e of left) {
        acc.verdicts.set(e.name, 'consistent');
        acc.how.set(e.name, 'consistent: Z3 found a model of the quantified axioms');
      }
      break;
    }
    if (answer === 'unknown') {
      for (const e of left) {
        acc.verdicts.set(e.name, 'unknown');
        acc.how.set(e.name, 'unknown: Z3 gave no verdict within the budget');
      }
      break;
    }
    const core = [...solver.unsatCore()].map((c) =>
      c
        .toString()
        .replace(/^\|?assume /, '')
        .replace(/\|$/, ''),
    );
    acc.cores.push(core);
    for (const n of core) {
      acc.verdicts.set(n, 'inconsistent');
      acc.how.set(n, `inconsistent: unsat core ${core.join(', ')}`);
    }
    left = left.filter((e) => !core.includes(e.name));
  }
}

/**
 * A broadcast axiom over every `MetaSlotOwner` value, refuted by two of its instances: the datatype has
 * an owner with usage `MMIO` and one with usage `Unused` at the same `slot_vaddr`, and the axiom gives
 * their one `is_mmio_paddr` value both truth values. Quantifier-free, so decided where the quantified
 * group may time out.
 */
async function refuteByInstances(z: Z3, items: readonly TrustedItem[], acc: Acc): Promise<void> {
  const a = z3Alg(z);
  for (const item of items) {
    const m = item.meaning;
    if (m.kind !== 'slot') continue;
    const s1 = slotVars(z, `${item.name}.a`).slot;
    const s2 = { ...slotVars(z, `${item.name}.b`).slot, vaddr: s1.vaddr };
    const solver = solverFor(z, acc.budget);
    solver.add(slotDatatype(z, s1), slotDatatype(z, s2), s1.usage.eq(a.k(6n)), s2.usage.eq(a.k(0n)));
    solver.add(m.holds(a, s1), m.holds(a, s2));
    if ((await solver.check()) !== 'unsat') continue;
    const core = [item.name, 'datatype MetaSlotOwner (every field combination is a value)'];
    acc.verdicts.set(item.name, 'inconsistent');
    acc.how.set(
      item.name,
      `inconsistent: two instances (usage MMIO and Unused at one slot_vaddr); core ${core.join(', ')}`,
    );
    acc.cores.push(core);
  }
}

/**
 * `axiom_mmio_paddr_huge_page_closed` leaves `page_size` unconstrained: with `pa = 0`,
 * `page_size = x + 1` and `offset = x` it makes `is_mmio_paddr(x) == is_mmio_paddr(0)` for every
 * `x < usize::MAX`. Proved from that one instance of the axiom: the instance and the negation are unsat.
 */
async function consequences(z: Z3, items: readonly TrustedItem[], b: Budget): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const item = items.find((t) => t.name === 'axiom_mmio_paddr_huge_page_closed');
  if (item === undefined) return out;
  const a = z3Alg(z);
  const x = z.BitVec.const('x', 64) as ZBv;
  const m = item.meaning;
  if (m.kind !== 'words') return out;
  const solver = solverFor(z, b);
  const instance = m.holds(a, [a.k(0n), x.add(a.k(1n)), x]);
  solver.add(instance, x.ult(a.k((1n << 64n) - 1n)), z.Not(z.Eq(a.isMmio(x), a.isMmio(a.k(0n)))));
  const answer = await solver.check();
  out.set(
    item.name,
    answer === 'unsat'
      ? 'proved: it makes is_mmio_paddr constant — is_mmio_paddr(x) == is_mmio_paddr(0) for every x < usize::MAX (page_size is unconstrained: take pa = 0, page_size = x + 1, offset = x)'
      : `the constancy consequence was not decided (${answer})`,
  );
  return out;
}
