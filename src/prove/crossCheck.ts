/**
 * The guard against drift between a proof and the code it is about: on sampled inputs, the SMT
 * statement (evaluated by Z3 on the input's values) and the TypeScript predicate must agree, and so
 * must every building block of the encoding and the TypeScript function it mirrors.
 */
import fc from 'fast-check';
import { goals } from './discharge.ts';
import { agrees, evaluateAll } from './evaluate.ts';
import type { AnyObligation, Z3, ZBool, ZBv } from './Obligation.ts';

/** The first disagreement found, with the (shrunk) input it was found on. */
export type Disagreement = Readonly<{ what: string; input: unknown; smt: boolean | bigint; ts: boolean | bigint }>;

/**
 * What a cross-check saw: the samples run, how many met the statement's hypothesis (agreement on
 * samples that do not is agreement on `true`, which shows little), and a disagreement if there was one.
 */
export type CrossCheckReport = Readonly<{
  name: string;
  samples: number;
  hypothesisMet: number;
  disagreement?: Disagreement;
}>;

type Compiled = Readonly<{
  what: string;
  term: ZBool | ZBv;
  width: number;
  value: (i: unknown) => bigint | boolean | undefined;
}>;

/** The statement and each term, built once and evaluated per sample. */
function compile(z: Z3, o: AnyObligation): Compiled[] {
  const width = (e: ZBool | ZBv) => (z.isBitVec(e) ? e.size() : 1);
  const statement = o.encode(z);
  return [
    { what: 'statement', term: statement, width: 1, value: (i) => o.predicate(i) },
    ...(o.terms ?? []).map((t) => {
      const term = t.encode(z);
      return { what: `term ${t.name}`, term, width: width(term), value: t.value };
    }),
  ];
}

/** The first part of `parts` on which the encoding and the TypeScript code disagree, given the encoding's values. */
function firstDisagreement(parts: readonly Compiled[], smt: readonly (boolean | bigint)[], input: unknown) {
  for (const [k, p] of parts.entries()) {
    const ts = p.value(input);
    const s = smt[k]!;
    if (ts !== undefined && !agrees(s, ts, p.width)) return { what: p.what, input, smt: s, ts };
  }
  return undefined;
}

/** The hypothesis of the statement's first goal (`H` of `H ⟹ C`), or `true`. */
function hypothesis(z: Z3, statement: ZBool): ZBool {
  const first = goals(z, statement)[0] ?? statement;
  const h = z.isImplies(first) ? first.children()[0] : undefined;
  return h !== undefined && z.isBool(h) ? h : z.Bool.val(true);
}

/** Samples `numRuns` inputs of `o` and compares the encoding with the TypeScript code on each. */
export async function crossCheck(z: Z3, o: AnyObligation, numRuns: number, seed?: number): Promise<CrossCheckReport> {
  const parts = compile(z, o);
  const hyp = hypothesis(z, o.encode(z));
  let found: Disagreement | undefined;
  let samples = 0;
  let hypothesisMet = 0;
  const terms = [hyp, ...parts.map((p) => p.term)];
  const property = fc.asyncProperty(o.inputs, async (input) => {
    samples++;
    const [met, ...smt] = await evaluateAll(z, terms, o.vars, o.fromInput(input));
    if (met === true) hypothesisMet++;
    const d = firstDisagreement(parts, smt, input);
    if (d !== undefined) found = d;
    return d === undefined;
  });
  await fc.check(property, { numRuns, ...(seed !== undefined && { seed }) });
  return { name: o.name, samples, hypothesisMet, ...(found !== undefined && { disagreement: found }) };
}
