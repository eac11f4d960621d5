/**
 * A C11 litmus test in herd7's C syntax, parsed: its threads compiled to flat instruction lists (memory
 * accesses are the scheduling points; register arithmetic and branches run between them), its initial
 * values and its final condition.
 */
import type { MemOrder } from '../memory/rc11/ExecutionGraph.ts';

/** A register expression: integers, registers, arithmetic and comparisons (C's truth values). */
export type Expr =
  | Readonly<{ kind: 'int'; value: bigint }>
  | Readonly<{ kind: 'reg'; name: string }>
  | Readonly<{ kind: 'unary'; op: '!' | '-'; arg: Expr }>
  | Readonly<{ kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }>;

export type BinaryOp = '+' | '-' | '*' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/** One memory access of a thread, as written in the source. */
export type Access =
  | Readonly<{ kind: 'load'; loc: string; order: MemOrder }>
  | Readonly<{ kind: 'store'; loc: string; value: Expr; order: MemOrder }>
  | Readonly<{ kind: 'rmw'; op: 'exchange' | 'fetch_add' | 'fetch_sub'; loc: string; value: Expr; order: MemOrder }>
  | Readonly<{
      kind: 'cas';
      weak: boolean;
      loc: string;
      /** The non-atomic location holding the expected value (herd's form: a pointer parameter). */
      expected: string;
      desired: Expr;
      success: MemOrder;
      failure: MemOrder;
    }>
  | Readonly<{ kind: 'fence'; order: MemOrder }>;

export type Instr =
  | Readonly<{ kind: 'access'; access: Access; dst: string | undefined; line: number; text: string }>
  | Readonly<{ kind: 'set'; dst: string; value: Expr }>
  | Readonly<{ kind: 'branch'; cond: Expr; ifFalse: number }>
  | Readonly<{ kind: 'jump'; to: number }>;

export type Param = Readonly<{ name: string; atomic: boolean }>;

export type LitmusThread = Readonly<{
  name: string;
  params: readonly Param[];
  /** Every register the thread declares (all start at 0). */
  registers: readonly string[];
  code: readonly Instr[];
}>;

/** The final condition: a proposition over `T:reg=v` and `loc=v` atoms. */
export type Prop =
  | Readonly<{ kind: 'atom'; thread: number | undefined; name: string; value: bigint }>
  | Readonly<{ kind: 'and' | 'or'; left: Prop; right: Prop }>
  | Readonly<{ kind: 'not'; arg: Prop }>
  | Readonly<{ kind: 'true' }>;

export type Quantifier = 'exists' | '~exists' | 'forall';

export type LitmusTest = Readonly<{
  name: string;
  /** Every location with its initial value (0 unless the init block says otherwise). */
  init: ReadonlyMap<string, bigint>;
  threads: readonly LitmusThread[];
  quantifier: Quantifier;
  prop: Prop;
}>;

/** A proposition in herd's notation (`0:r0=1 /\ x=2`). */
export function showProp(p: Prop): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'atom':
      return `${p.thread === undefined ? '' : `${p.thread}:`}${p.name}=${p.value}`;
    case 'not':
      return `~${showProp(p.arg)}`;
    default:
      return `(${showProp(p.left)} ${p.kind === 'and' ? '/\\' : '\\/'} ${showProp(p.right)})`;
  }
}
