/**
 * Evaluates an operation's clauses around one call of the implementation and reports what fails.
 *
 * The order is: `requires` on the old ghost (blame the caller); the call; on an abort, the
 * `may_panic` condition (blame the implementation when it does not hold); the `ensures` on
 * old/final/result (blame the implementation); the refinement clause `final == next(old)`; the
 * invariants on the touched part of the final ghost. A clause that throws blames the spec.
 */
import { KernelAbort } from '../../impl/meta/abort.ts';
import type { Clause, OpSpec, PostCtx, PreCtx } from '../../spec/Op.ts';
import { ghostEq } from '../../spec/meta/perms.ts';
import type { ModelParams } from '../../spec/vocab.ts';
import { coverageKey } from '../../spec/head/specSet.ts';
import type { SpecVersion } from '../../spec/head/registry.ts';
import { recordClause, recordFalsified } from './coverage.ts';
import { ContractViolation, type Blame, type Violation, type ViolationKind } from './report.ts';
import { parseContractLevel, Sampler, samplePeriod, type ContractLevel } from './level.ts';

export type { ContractLevel } from './level.ts';

/** `enforce` throws a `ContractViolation` at the first failure; `collect` records every failure and goes on. */
export type ContractMode = 'enforce' | 'collect';

/** One call to check. */
export type Call<S, A, R> = Readonly<{
  spec: OpSpec<S, A, R>;
  old: S;
  /** The old state refined by the call: the values its linearizing atomics observed (default: `old`). */
  linearizedOld?: () => S;
  args: A;
  p: ModelParams;
  /** Runs the implementation and returns the spec view of its result. */
  run: () => R;
  /** The ghost after the call, computed from memory and the proof-code updates. */
  final: (result: R) => S;
  eq: (a: S, b: S) => boolean;
  /** The touched part of old and final, for the report. */
  diff: (old: S, final: S) => Violation['diff'];
}>;

/** An invariant to check after the call: a clause and its subject. */
export type InvCheck = Readonly<{ clause: Clause<never>; ctx: unknown }>;

export type CallOutcome<S, R> =
  Readonly<{ kind: 'return'; final: S; result: R; voided?: boolean }> | Readonly<{ kind: 'abort'; error: KernelAbort }>;

/** The result of evaluating one clause (recorded in clause coverage): its value, or the exception it threw. */
export function evaluate(clause: Clause<never>, ctx: unknown, key = clause.name): { ok: boolean; threw?: unknown } {
  try {
    const ok = (clause.holds as (c: unknown) => boolean)(ctx);
    recordClause(key, ok);
    return { ok };
  } catch (threw) {
    return { ok: false, threw };
  }
}

function explain(clause: Clause<never>, ctx: unknown): Readonly<Record<string, unknown>> {
  try {
    return clause.explain ? (clause.explain as (c: unknown) => Readonly<Record<string, unknown>>)(ctx) : {};
  } catch (e) {
    return { '<explain threw>': String(e) };
  }
}

/**
 * What one call gets: every clause, the refinement and the invariants (`full`), the Verus clauses and
 * the slot invariant (`cheap`), or only the ghost bookkeeping (`skip`, a call a `sample:N` level passes over).
 */
export type CallLevel = 'full' | 'cheap' | 'skip';

export class ContractChecker {
  readonly mode: ContractMode;
  readonly level: ContractLevel;
  readonly violations: Violation[] = [];
  calls = 0;
  /** The level of the call being checked (or last checked). */
  callLevel: CallLevel;
  /** The spec version whose clauses the calls are checked against (HEAD's counted in coverage as `head:NAME`). */
  readonly spec: SpecVersion;
  private readonly sampler: Sampler | undefined;
  /** A caller's violation recorded before the next call was checked (a use of a moved handle): it voids that call. */
  private voidPending = false;

  /**
   * `level` is validated: an unknown one throws a `ContractLevelError` naming it. `seed` picks the sampled
   * calls; `spec` is the version of the clauses the wrappers pass in (it keys their clause coverage).
   */
  constructor(mode: ContractMode = 'enforce', level: ContractLevel = 'full', seed = 1, spec: SpecVersion = 'seed') {
    this.mode = mode;
    this.spec = spec;
    this.level = parseContractLevel(level, 'level option');
    const period = samplePeriod(this.level);
    this.sampler = period > 1 ? new Sampler(period, seed) : undefined;
    this.callLevel = this.level === 'cheap' ? 'cheap' : 'full';
  }

  /** Decides the level of the next call (a sampling level draws it) and makes it the current one. */
  nextCallLevel(): CallLevel {
    if (this.sampler !== undefined) this.callLevel = this.sampler.next() ? 'full' : 'skip';
    return this.callLevel;
  }

  /**
   * Voids the next checked call: the caller broke its contract before the call was made (a handle used
   * after it was moved, recorded as a `linearity` violation), as a broken `requires` does — the call
   * still runs, and what follows is not the implementation's to answer for.
   */
  voidNextCall(): void {
    this.voidPending = true;
  }

  /** Checks one call; returns its outcome (an abort the spec allows is an outcome, not a violation). */
  check<S, A, R>(call: Call<S, A, R>, level: CallLevel = this.nextCallLevel()): CallOutcome<S, R> {
    this.callLevel = level;
    const n = ++this.calls;
    const moved = this.voidPending;
    this.voidPending = false;
    if (level === 'skip') return this.unchecked(call);
    const pre: PreCtx<S, A> = { old: call.old, args: call.args, p: call.p };
    const requires = call.spec.requires;
    const before = this.violations.length;
    for (let k = 0; k < requires.length; k++) this.clause(call, requires[k]!, pre, 'requires', n, undefined, undefined);
    // A broken precondition voids the contract: the call still runs (collect mode), but what follows is not the implementation's fault.
    const voided = moved || this.violations.length > before;
    let result: R;
    try {
      result = call.run();
    } catch (e) {
      // A nested checked call (the allocator under a frame drop) has reported and thrown its own violation.
      if (e instanceof ContractViolation) throw e;
      // A throw other than a kernel abort: the implementation's, unless the caller voided the call
      // (a call outside its contract may fail in any way, e.g. on a slot with no memory behind it).
      if (!(e instanceof KernelAbort)) {
        this.fail(
          call,
          n,
          { name: `${call.spec.name}.unexpected_throw`, verus: String(e), holds: () => false },
          'unexpected_throw',
          voided ? 'caller' : 'implementation',
          {},
          undefined,
          undefined,
        );
        throw e;
      }
      if (!voided) this.clause(call, call.spec.mayPanic, pre, 'may_panic', n, undefined, undefined);
      return { kind: 'abort', error: e };
    }
    const final = call.final(result);
    if (voided) return { kind: 'return', final, result, voided };
    // `old` may have been refined by the call: the values its linearizing atomics observed.
    const linPre: PreCtx<S, A> =
      call.linearizedOld === undefined ? pre : { old: call.linearizedOld(), args: call.args, p: call.p };
    const post: PostCtx<S, A, R> = { old: linPre.old, args: linPre.args, p: linPre.p, final, result };
    const ensures = call.spec.ensures;
    for (let k = 0; k < ensures.length; k++) this.clause(call, ensures[k]!, post, 'ensures', n, result, final);
    if (level === 'full') this.refinement(call, linPre, final, result, n);
    return { kind: 'return', final, result, voided: false };
  }

  /** A call a sampling level passes over: run, and the ghost after it; an abort is an outcome. */
  private unchecked<S, A, R>(call: Call<S, A, R>): CallOutcome<S, R> {
    let result: R;
    try {
      result = call.run();
    } catch (e) {
      if (e instanceof KernelAbort) return { kind: 'abort', error: e };
      throw e;
    }
    return { kind: 'return', final: call.final(result), result, voided: true };
  }

  /** Checks invariants of the state after a call. */
  checkInvariants<S, A, R>(call: Call<S, A, R>, invs: readonly InvCheck[], result: R, final: S): void {
    for (const { clause, ctx } of invs) {
      const r = evaluate(clause, ctx, coverageKey(this.spec, clause.name));
      if (!r.ok)
        this.fail(
          call,
          this.calls,
          clause,
          'inv',
          r.threw === undefined ? 'implementation' : 'spec',
          explain(clause, ctx),
          result,
          final,
          r.threw,
        );
    }
  }

  /** Records a linearity violation (a tracked token used twice, or leaked). */
  linearity(op: string, token: string, blame: Blame, what: string): void {
    this.push({
      op,
      rust: op,
      clause: `${op}.linearity`,
      kind: 'linearity',
      verus: what,
      blame,
      detection: 'predicate_false',
      args: { token },
      result: undefined,
      values: {},
      diff: {},
      call: this.calls,
    });
  }

  private clause<S, A, R>(
    call: Call<S, A, R>,
    clause: Clause<never>,
    ctx: unknown,
    kind: ViolationKind,
    n: number,
    result: R | undefined,
    final: S | undefined,
  ): void {
    const r = evaluate(clause, ctx, coverageKey(this.spec, clause.name));
    if (r.ok) return;
    const blame: Blame = r.threw !== undefined ? 'spec' : kind === 'requires' ? 'caller' : 'implementation';
    this.fail(call, n, clause, kind, blame, explain(clause, ctx), result, final, r.threw);
  }

  private refinement<S, A, R>(call: Call<S, A, R>, pre: PreCtx<S, A>, final: S, result: R, n: number): void {
    let expected;
    try {
      expected = call.spec.next(pre);
    } catch (threw) {
      const clause = { name: `${call.spec.name}.refinement`, verus: 'final == next(old, args)', holds: () => false };
      this.fail(call, n, clause, 'refinement', 'spec', {}, result, final, threw);
      return;
    }
    if (expected.kind === 'panic') return;
    const ok =
      (call.eq(expected.final, final) && ghostEq(expected.result, result)) ||
      (call.spec.alsoAllows !== undefined &&
        call.spec.alsoAllows({ old: pre.old, args: pre.args, p: pre.p, final, result }));
    recordClause(coverageKey(this.spec, `${call.spec.name}.refinement`), ok);
    if (ok) return;
    const clause = {
      name: `${call.spec.name}.refinement`,
      verus: '(framecheck) final == next(old, args) && result == next(old, args).result',
      holds: () => false,
    };
    const values = { 'next(old).result': expected.result, 'next(old).final': call.diff(call.old, expected.final) };
    this.fail(call, n, clause, 'refinement', 'implementation', values, result, final);
  }

  private fail<S, A, R>(
    call: Call<S, A, R>,
    n: number,
    clause: Clause<never>,
    kind: ViolationKind,
    blame: Blame,
    values: Readonly<Record<string, unknown>>,
    result: R | undefined,
    final: S | undefined,
    threw?: unknown,
  ): void {
    this.push({
      op: call.spec.name,
      rust: call.spec.rust,
      clause: clause.name,
      kind,
      verus: clause.verus,
      blame,
      detection: threw === undefined ? 'predicate_false' : 'predicate_threw',
      args: call.args,
      result,
      values: threw === undefined ? values : { ...values, '<threw>': String(threw) },
      diff: final === undefined ? call.diff(call.old, call.old) : call.diff(call.old, final),
      call: n,
    });
  }

  private push(v: Violation): void {
    // A real call of the checked code found the clause false: record who falsified it (coverage only).
    if (v.detection === 'predicate_false' && v.kind !== 'linearity') recordFalsified(v.clause, v.blame);
    this.violations.push(v);
    if (this.mode === 'enforce') throw new ContractViolation(v);
  }
}
