/**
 * Parses the C subset of herd7's litmus format. Anything outside the subset — an unknown function, a
 * memory order the subset lacks, a loop, an unknown register or location in the condition — is a
 * `LitmusSyntaxError` naming the line, never a silently different test.
 */
import type { MemOrder } from '../memory/rc11/ExecutionGraph.ts';
import type { Access, Expr, Instr, LitmusTest, LitmusThread, Param, Prop, Quantifier } from './LitmusTest.ts';

export class LitmusSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

type Token = Readonly<{ text: string; line: number; kind: 'id' | 'int' | 'punct' }>;

const PUNCT = ['/\\', '\\/', '==', '!=', '<=', '>=', '&&', '||', ...'{}()[];,*=+-&|^<>~:!'.split('')];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const comment = rest.startsWith('(*') ? '*)' : rest.startsWith('/*') ? '*/' : undefined;
    if (comment !== undefined || rest.startsWith('//')) {
      const end = comment === undefined ? src.indexOf('\n', i) : src.indexOf(comment, i + 2);
      if (end < 0 && comment !== undefined) throw new LitmusSyntaxError(line, 'unterminated comment');
      const stop = end < 0 ? src.length : end + (comment?.length ?? 0);
      line += (src.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
      continue;
    }
    if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw new LitmusSyntaxError(line, 'unterminated string');
      line += (src.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 1;
      continue;
    }
    const word = /^(0x[0-9a-fA-F]+|[0-9]+|[A-Za-z_][A-Za-z0-9_.]*)/.exec(rest);
    if (word !== null) {
      out.push({ text: word[0], line, kind: /^[0-9]/.test(word[0]) ? 'int' : 'id' });
      i += word[0].length;
      continue;
    }
    const p = PUNCT.find((q) => rest.startsWith(q));
    if (p === undefined) throw new LitmusSyntaxError(line, `unexpected character '${c}'`);
    out.push({ text: p, line, kind: 'punct' });
    i += p.length;
  }
  return out;
}

const ORDERS: Readonly<Record<string, MemOrder>> = {
  memory_order_relaxed: 'rlx',
  memory_order_consume: 'acq',
  memory_order_acquire: 'acq',
  memory_order_release: 'rel',
  memory_order_acq_rel: 'acq_rel',
  memory_order_seq_cst: 'sc',
};
const LOAD_ORDERS = new Set<MemOrder>(['rlx', 'acq', 'sc']);
const STORE_ORDERS = new Set<MemOrder>(['rlx', 'rel', 'sc']);

/** What each atomic function takes after its location: values and orders, and how many of each. */
const FUNCTIONS: Readonly<Record<string, Readonly<{ values: number; orders: number; expected?: boolean }>>> = {
  atomic_load: { values: 0, orders: 0 },
  atomic_store: { values: 1, orders: 0 },
  atomic_exchange: { values: 1, orders: 0 },
  atomic_fetch_add: { values: 1, orders: 0 },
  atomic_fetch_sub: { values: 1, orders: 0 },
  atomic_compare_exchange_strong: { values: 1, orders: 0, expected: true },
  atomic_compare_exchange_weak: { values: 1, orders: 0, expected: true },
  atomic_thread_fence: { values: 0, orders: 1 },
};

class Parser {
  private pos = 0;
  private readonly toks: readonly Token[];
  constructor(toks: readonly Token[]) {
    this.toks = toks;
  }

  get line(): number {
    return (this.toks[this.pos] ?? this.toks[this.toks.length - 1])?.line ?? 1;
  }
  peek(k = 0): string | undefined {
    return this.toks[this.pos + k]?.text;
  }
  atEnd(): boolean {
    return this.pos >= this.toks.length;
  }
  next(): Token {
    const t = this.toks[this.pos];
    if (t === undefined) throw new LitmusSyntaxError(this.line, 'unexpected end of file');
    this.pos++;
    return t;
  }
  eat(text: string): boolean {
    if (this.peek() !== text) return false;
    this.pos++;
    return true;
  }
  expect(text: string): Token {
    const t = this.next();
    if (t.text !== text) throw new LitmusSyntaxError(t.line, `expected '${text}', found '${t.text}'`);
    return t;
  }
  ident(what: string): Token {
    const t = this.next();
    if (t.kind !== 'id') throw new LitmusSyntaxError(t.line, `expected ${what}, found '${t.text}'`);
    return t;
  }
  int(): bigint {
    const neg = this.eat('-');
    const t = this.next();
    if (t.kind !== 'int') throw new LitmusSyntaxError(t.line, `expected an integer, found '${t.text}'`);
    return neg ? -BigInt(t.text) : BigInt(t.text);
  }
}

/** `{ x = 1; [y] = 2; int z = 0; }`: initial values (registers' initial values are not in the subset). */
function parseInit(p: Parser): Map<string, bigint> {
  const init = new Map<string, bigint>();
  p.expect('{');
  while (!p.eat('}')) {
    if (p.eat(';')) continue;
    if (p.peek(1) === ':') throw new LitmusSyntaxError(p.line, 'initial register values are outside the subset');
    while (['int', 'atomic_int', 'volatile', 'const', 'unsigned', 'long'].includes(p.peek() ?? '')) p.next();
    const bracket = p.eat('[');
    const loc = p.ident('a location name').text;
    if (bracket) p.expect(']');
    p.expect('=');
    init.set(loc, p.int());
  }
  return init;
}

function parseParams(p: Parser): Param[] {
  const params: Param[] = [];
  p.expect('(');
  while (!p.eat(')')) {
    if (params.length > 0) p.expect(',');
    let atomic = false;
    let t = p.ident('a parameter type');
    while (['volatile', 'const'].includes(t.text)) t = p.ident('a parameter type');
    if (t.text === 'atomic_int') atomic = true;
    else if (t.text !== 'int')
      throw new LitmusSyntaxError(t.line, `parameter type '${t.text}' is outside the subset (atomic_int*, int*)`);
    p.expect('*');
    params.push({ name: p.ident('a parameter name').text, atomic });
  }
  return params;
}

/** Compiles one thread's body; `regs` collects its registers. */
class ThreadCompiler {
  readonly code: Instr[] = [];
  readonly regs = new Set<string>();
  private readonly p: Parser;
  private readonly params: ReadonlyMap<string, Param>;
  private readonly lines: readonly string[];

  constructor(p: Parser, params: readonly Param[], lines: readonly string[]) {
    this.p = p;
    this.params = new Map(params.map((x) => [x.name, x]));
    this.lines = lines;
  }

  block(): void {
    this.p.expect('{');
    while (!this.p.eat('}')) this.statement();
  }

  private statement(): void {
    const p = this.p;
    const t = p.peek();
    if (t === ';') return void p.next();
    if (t === 'while' || t === 'for' || t === 'do' || t === 'goto')
      throw new LitmusSyntaxError(p.line, `'${t}': loops are outside the subset`);
    if (t === 'if') return this.ifStatement();
    if (t === '{') return this.block();
    if (t === 'int') {
      p.next();
      const reg = p.ident('a register name').text;
      this.regs.add(reg);
      if (p.eat('=')) this.assign(reg);
      else p.expect(';');
      return;
    }
    if (t === '*') return this.plainWrite();
    if (p.peek(1) === '=' && this.regs.has(t ?? '')) {
      const reg = p.next().text;
      p.next();
      return this.assign(reg);
    }
    if (p.peek(1) === '=') throw new LitmusSyntaxError(p.line, `unknown register '${t}' (declare it with int)`);
    const line = p.line;
    const access = this.call();
    if (access === undefined) throw new LitmusSyntaxError(line, `expected a statement, found '${t}'`);
    p.expect(';');
    if (access.kind !== 'fence' || access.order !== 'rlx') this.emit(access, undefined, line);
  }

  private ifStatement(): void {
    const p = this.p;
    p.expect('if');
    p.expect('(');
    const cond = this.expr();
    p.expect(')');
    const branch = this.code.length;
    this.code.push({ kind: 'branch', cond, ifFalse: -1 });
    this.statement();
    if (p.eat('else')) {
      const jump = this.code.length;
      this.code.push({ kind: 'jump', to: -1 });
      this.code[branch] = { kind: 'branch', cond, ifFalse: this.code.length };
      this.statement();
      this.code[jump] = { kind: 'jump', to: this.code.length };
    } else this.code[branch] = { kind: 'branch', cond, ifFalse: this.code.length };
  }

  private plainWrite(): void {
    const p = this.p;
    const line = p.line;
    p.expect('*');
    const loc = this.location();
    p.expect('=');
    const value = this.expr();
    p.expect(';');
    this.emit({ kind: 'store', loc, value, order: 'na' }, undefined, line);
  }

  private assign(reg: string): void {
    const p = this.p;
    const line = p.line;
    if (p.peek() === '*' && this.params.has(p.peek(1) ?? '') && p.peek(2) === ';') {
      p.next();
      const loc = this.location();
      p.expect(';');
      return this.emit({ kind: 'load', loc, order: 'na' }, reg, line);
    }
    const access = this.call();
    if (access !== undefined) {
      p.expect(';');
      if (access.kind === 'fence') throw new LitmusSyntaxError(line, 'a fence has no value');
      return this.emit(access, reg, line);
    }
    const value = this.expr();
    p.expect(';');
    this.code.push({ kind: 'set', dst: reg, value });
  }

  private emit(access: Access, dst: string | undefined, line: number): void {
    this.code.push({ kind: 'access', access, dst, line, text: (this.lines[line - 1] ?? '').trim() });
  }

  private location(): string {
    const t = this.p.ident('a location');
    if (!this.params.has(t.text))
      throw new LitmusSyntaxError(t.line, `unknown location '${t.text}' (not a parameter of the thread)`);
    return t.text;
  }

  private order(): MemOrder {
    const t = this.p.ident('a memory order');
    const o = ORDERS[t.text];
    if (o === undefined) throw new LitmusSyntaxError(t.line, `unknown memory order '${t.text}'`);
    return o;
  }

  /** An atomic call, or `undefined` when the next tokens are not one. */
  private call(): Access | undefined {
    const p = this.p;
    const name = p.peek();
    if (name === undefined || p.peek(1) !== '(' || !/^atomic_/.test(name)) return undefined;
    const line = p.line;
    const explicit = name.endsWith('_explicit');
    const base = explicit ? name.slice(0, -'_explicit'.length) : name;
    const f = FUNCTIONS[base];
    if (f === undefined) throw new LitmusSyntaxError(line, `unknown function '${name}'`);
    p.next();
    p.expect('(');
    if (base === 'atomic_thread_fence') {
      const order = this.order();
      p.expect(')');
      return { kind: 'fence', order };
    }
    const loc = this.location();
    if (!this.params.get(loc)!.atomic)
      throw new LitmusSyntaxError(line, `'${name}' on '${loc}', which is not atomic_int*`);
    let expected: string | undefined;
    if (f.expected === true) {
      p.expect(',');
      expected = this.location();
    }
    const values: Expr[] = [];
    for (let i = 0; i < f.values; i++) {
      p.expect(',');
      values.push(this.expr());
    }
    const orders: MemOrder[] = [];
    const nOrders = explicit ? (f.expected === true ? 2 : 1) : 0;
    for (let i = 0; i < nOrders; i++) {
      p.expect(',');
      orders.push(this.order());
    }
    p.expect(')');
    return this.access(base, loc, values, orders, expected, line);
  }

  private access(
    base: string,
    loc: string,
    values: Expr[],
    orders: MemOrder[],
    expected: string | undefined,
    line: number,
  ): Access {
    const order = orders[0] ?? 'sc';
    const bad = (what: string) => new LitmusSyntaxError(line, `${what} is not a valid order for ${base}`);
    switch (base) {
      case 'atomic_load':
        if (!LOAD_ORDERS.has(order)) throw bad(order);
        return { kind: 'load', loc, order };
      case 'atomic_store':
        if (!STORE_ORDERS.has(order)) throw bad(order);
        return { kind: 'store', loc, value: values[0]!, order };
      case 'atomic_exchange':
      case 'atomic_fetch_add':
      case 'atomic_fetch_sub':
        return { kind: 'rmw', op: base.slice('atomic_'.length) as 'exchange', loc, value: values[0]!, order };
      default: {
        const failure = orders[1] ?? 'sc';
        if (!LOAD_ORDERS.has(failure)) throw bad(`failure order ${failure}`);
        return {
          kind: 'cas',
          weak: base.endsWith('weak'),
          loc,
          expected: expected!,
          desired: values[0]!,
          success: order,
          failure,
        };
      }
    }
  }

  // Expressions, by precedence climbing.
  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '<=', '>', '>='],
    ['+', '-'],
    ['*'],
  ];

  expr(level = 0): Expr {
    if (level === ThreadCompiler.LEVELS.length) return this.unary();
    let left = this.expr(level + 1);
    for (;;) {
      const op = this.p.peek();
      if (op === undefined || !ThreadCompiler.LEVELS[level]!.includes(op)) return left;
      this.p.next();
      left = { kind: 'binary', op: op as never, left, right: this.expr(level + 1) };
    }
  }

  private unary(): Expr {
    const p = this.p;
    if (p.eat('!')) return { kind: 'unary', op: '!', arg: this.unary() };
    if (p.eat('-')) return { kind: 'unary', op: '-', arg: this.unary() };
    if (p.eat('(')) {
      const e = this.expr();
      p.expect(')');
      return e;
    }
    const t = p.next();
    if (t.kind === 'int') return { kind: 'int', value: BigInt(t.text) };
    if (t.kind === 'id' && this.regs.has(t.text)) return { kind: 'reg', name: t.text };
    if (t.kind === 'id' && /^atomic_/.test(t.text))
      throw new LitmusSyntaxError(
        t.line,
        `'${t.text}' inside an expression is outside the subset (assign it to a register first)`,
      );
    throw new LitmusSyntaxError(t.line, `unknown register '${t.text}'`);
  }
}

function parseThread(p: Parser, index: number, lines: readonly string[]): LitmusThread {
  const head = p.ident('a thread (P0, P1, …)');
  if (head.text !== `P${index}`) throw new LitmusSyntaxError(head.line, `expected P${index}, found '${head.text}'`);
  const params = parseParams(p);
  const c = new ThreadCompiler(p, params, lines);
  c.block();
  return { name: head.text, params, registers: [...c.regs], code: c.code };
}

function parseProp(p: Parser, threads: readonly LitmusThread[], init: ReadonlyMap<string, bigint>): Prop {
  const atom = (): Prop => {
    if (p.eat('(')) {
      const e = disj();
      p.expect(')');
      return e;
    }
    if (p.eat('~')) return { kind: 'not', arg: atom() };
    const line = p.line;
    const first = p.next();
    if (first.text === 'true') return { kind: 'true' };
    let thread: number | undefined;
    let name = first.text;
    if (p.eat(':')) {
      const m = /^P?([0-9]+)$/.exec(first.text);
      if (m === null) throw new LitmusSyntaxError(line, `expected a thread number before ':', found '${first.text}'`);
      thread = Number(m[1]);
      name = p.ident('a register').text;
      const th = threads[thread];
      if (th === undefined) throw new LitmusSyntaxError(line, `unknown thread ${first.text}`);
      if (!th.registers.includes(name)) throw new LitmusSyntaxError(line, `unknown register ${first.text}:${name}`);
    } else if (first.kind !== 'id' || !init.has(name))
      throw new LitmusSyntaxError(line, `unknown location '${first.text}'`);
    p.expect('=');
    return { kind: 'atom', thread, name, value: p.int() };
  };
  const conj = (): Prop => {
    let l = atom();
    while (p.eat('/\\')) l = { kind: 'and', left: l, right: atom() };
    return l;
  };
  const disj = (): Prop => {
    let l = conj();
    while (p.eat('\\/')) l = { kind: 'or', left: l, right: conj() };
    return l;
  };
  return disj();
}

/** Parses a litmus test; throws `LitmusSyntaxError` (with the line) on anything outside the subset. */
export function parseLitmus(src: string): LitmusTest {
  const lines = src.replace(/^\uFEFF/, '').split('\n');
  const headAt = lines.findIndex((l) => l.trim() !== '');
  const head = /^\s*(\S+)\s+(\S+)\s*$/.exec(lines[headAt] ?? '');
  if (head === null || head[1] !== 'C')
    throw new LitmusSyntaxError(headAt + 1, "expected the header 'C NAME' (only C litmus tests are supported)");
  const name = head[2]!;
  const p = new Parser(tokenize(lines.map((l, i) => (i === headAt ? '' : l)).join('\n')));
  const init = parseInit(p);
  const threads: LitmusThread[] = [];
  while (/^P[0-9]+$/.test(p.peek() ?? '')) threads.push(parseThread(p, threads.length, lines));
  if (threads.length === 0) throw new LitmusSyntaxError(p.line, 'expected a thread P0');
  for (const th of threads) for (const prm of th.params) if (!init.has(prm.name)) init.set(prm.name, 0n);
  const qLine = p.line;
  const q = p.next().text;
  let quantifier: Quantifier;
  if (q === 'exists' || q === 'forall') quantifier = q;
  else if (q === '~' && p.eat('exists')) quantifier = '~exists';
  else throw new LitmusSyntaxError(qLine, `expected exists, ~exists or forall, found '${q}'`);
  const prop = parseProp(p, threads, init);
  if (!p.atEnd()) throw new LitmusSyntaxError(p.line, `unexpected '${p.peek()}' after the condition`);
  return { name, init, threads, quantifier, prop };
}
