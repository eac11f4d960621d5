/**
 * Reads a history file (docs/formats.md "Histories") into operations. Hostile input gets one line naming the line
 * number and the field: a line that is not JSON, a wrong type, an unknown operation or error, an
 * `init` that is not first, a return without an invoke, a second invoke from a process whose
 * operation has not returned, a return naming another operation, an address beyond u64.
 */
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { EventRef, History, HistoryOp, HistoryOpName, OpArgs, OpOutcome, ParseError } from './History.ts';
import { EventLine, InitValue, OP_NAMES, OP_SCHEMAS } from './historySchema.ts';
import { hexAddr, zodLine } from './u64.ts';
import { parseJson, withoutBom } from '../jsonSyntax.ts';

type Open = { op: MutableOp };
type MutableOp = { -readonly [K in keyof HistoryOp]: HistoryOp[K] };

/** The parser's running state. */
type Reader = {
  ops: MutableOp[];
  /** Per process: its operation in flight, and its last operation closed by `info`. */
  open: Map<number, Open>;
  lastInfo: Map<number, MutableOp>;
  init: Map<number, bigint>;
  initLine: number | undefined;
  seq: number;
  sawEvent: boolean;
  maxPaddr: number;
};

const fail = (line: number, msg: string): ParseError => ({ error: `line ${line}: ${msg}` });

/** Parses the text of a history; `maxPaddr` bounds the frames an `init` line may name. */
export function parseHistory(text: string, opts: { maxPaddr: number }): History | ParseError {
  const lines = withoutBom(text)
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const r: Reader = {
    ops: [],
    open: new Map(),
    lastInfo: new Map(),
    init: new Map(),
    initLine: undefined,
    seq: 0,
    sawEvent: false,
    maxPaddr: opts.maxPaddr,
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === '') continue;
    const e = readLine(r, line, k + 1);
    if (e !== undefined) return e;
  }
  for (const { op } of r.open.values()) op.status = 'pending';
  return { init: r.init, initLine: r.initLine, ops: r.ops, events: r.seq, lines };
}

function readLine(r: Reader, text: string, line: number): ParseError | undefined {
  const json = parseJson(text);
  if ('error' in json) return { error: json.error.replace(/^line 1:/, `line ${line}:`) };
  const ev = EventLine.safeParse(json.value);
  if (!ev.success) return fail(line, zodLine('', ev.error));
  const e = ev.data;
  if (e.type === 'init') return readInit(r, e.value, line);
  r.sawEvent = true;
  if (e.process === undefined) return fail(line, 'process: a whole number is required');
  if (e.f === undefined) return fail(line, 'f: the operation name is required');
  if (!Object.hasOwn(OP_SCHEMAS, e.f))
    return fail(line, `f: unknown operation '${e.f.slice(0, 40)}' (${OP_NAMES.join(', ')})`);
  const f = e.f as HistoryOpName;
  const at: EventRef = { seq: r.seq++, line };
  return e.type === 'invoke' ? invoke(r, e.process, f, e.value, at) : complete(r, e.type, e.process, f, e.value, at);
}

function readInit(r: Reader, value: unknown, line: number): ParseError | undefined {
  if (r.sawEvent || r.initLine !== undefined) return fail(line, 'an init line must be the first line, and only one');
  const v = InitValue.safeParse(value);
  if (!v.success) return fail(line, zodLine('value', v.error));
  r.initLine = line;
  for (const [k, fr] of v.data.frames.entries()) {
    const where = `value.frames[${k}].paddr`;
    if (fr.paddr % BigInt(PAGE_SIZE) !== 0n) return fail(line, `${where}: ${hexAddr(fr.paddr)} is not page-aligned`);
    if (fr.paddr >= BigInt(r.maxPaddr))
      return fail(line, `${where}: ${hexAddr(fr.paddr)} is beyond MAX_PADDR ${hexAddr(r.maxPaddr)} (see --max-paddr)`);
    const p = Number(fr.paddr);
    if (r.init.has(p)) return fail(line, `${where}: frame ${hexAddr(p)} is listed twice`);
    r.init.set(p, fr.refCount);
  }
  return undefined;
}

function invoke(r: Reader, process: number, f: HistoryOpName, value: unknown, at: EventRef): ParseError | undefined {
  const busy = r.open.get(process);
  if (busy !== undefined) {
    return fail(
      at.line,
      `process ${process} invokes ${f} while its ${busy.op.f} (line ${busy.op.invoke.line}) has not returned`,
    );
  }
  const args = OP_SCHEMAS[f].args.safeParse(value);
  if (!args.success) return fail(at.line, zodLine('value', args.error));
  const prev = r.lastInfo.get(process);
  if (prev !== undefined) prev.deadline = at;
  r.lastInfo.delete(process);
  const op: MutableOp = {
    id: r.ops.length,
    process,
    f,
    args: args.data as OpArgs,
    outcome: undefined,
    status: 'pending',
    invoke: at,
    ret: undefined,
    deadline: undefined,
  };
  r.ops.push(op);
  r.open.set(process, { op });
  return undefined;
}

function complete(
  r: Reader,
  type: 'ok' | 'info',
  process: number,
  f: HistoryOpName,
  value: unknown,
  at: EventRef,
): ParseError | undefined {
  const open = r.open.get(process);
  if (open === undefined) return fail(at.line, `process ${process} returns ${f} without an invoke`);
  if (open.op.f !== f)
    return fail(
      at.line,
      `process ${process} returns ${f}, but its operation in flight is ${open.op.f} (line ${open.op.invoke.line})`,
    );
  r.open.delete(process);
  const op = open.op;
  op.ret = at;
  if (type === 'info') {
    op.status = 'info';
    r.lastInfo.set(process, op);
    return undefined;
  }
  const out = outcomeOf(f, value);
  if ('error' in out) return fail(at.line, out.error);
  op.status = 'ok';
  op.outcome = out;
  return undefined;
}

function outcomeOf(f: HistoryOpName, value: unknown): OpOutcome | ParseError {
  const s = OP_SCHEMAS[f];
  const isErr = typeof value === 'object' && value !== null && Object.hasOwn(value, 'err');
  if (isErr && s.err === undefined) return { error: `value.err: ${f} never fails` };
  const v = (isErr ? s.err! : s.ok).safeParse(value);
  return v.success ? v.data : { error: zodLine('value', v.error) };
}
