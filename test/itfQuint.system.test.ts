/**
 * Quint's own ITF reader (`ofItf` from `@informalsystems/quint`, a devDependency) reads every trace
 * framecheck writes: each file in `counterexamples/`, and fresh ones from `check --out`, `simulate --out`
 * and the contract layer's `violationToItf`. What Quint reads back is what framecheck's decoder reads:
 * the same states, field by field.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelMeta, unit } from '../impl/meta/frameMeta.ts';
import { fromItf, itfTraceProblems } from '../src/contract/itf.ts';
import { CheckedMetaRegion } from '../src/contract/CheckedMetaRegion.ts';
import { violationToItf } from '../src/contract/report.ts';
import { PAGE_SIZE } from '../spec/vocab.ts';
import { cliIn } from './cli.ts';
import { requireTools } from './systemTools.ts';

/** The part of Quint's IR that its ITF reader produces. */
type QuintEx =
  | { kind: 'int'; value: bigint }
  | { kind: 'str'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'name'; name: string }
  | { kind: 'app'; opcode: string; args: QuintEx[] };
type ItfTrace = { vars: string[]; states: Record<string, unknown>[]; '#meta'?: Record<string, unknown> };
type OfItf = (t: ItfTrace) => QuintEx[];

const QUINT_ITF = '@informalsystems/quint/dist/src/itf.js';
let ofItf: OfItf;

function quintReader(): string | undefined {
  try {
    createRequire(import.meta.url).resolve(QUINT_ITF);
    return undefined;
  } catch {
    return '@informalsystems/quint not found: npm install (a devDependency of this package)';
  }
}

/** A Quint expression as the JavaScript value framecheck's `fromItf` gives for the same ITF. */
function toJs(e: QuintEx): unknown {
  if (e.kind === 'int' || e.kind === 'str' || e.kind === 'bool') return e.value;
  if (e.kind === 'name') return { '#unserializable': e.name };
  const args = e.args.map(toJs);
  switch (e.opcode) {
    case 'List':
    case 'Tup':
      return args;
    case 'Set':
      return new Set(args);
    case 'Map':
      return new Map(args as [unknown, unknown][]);
    case 'variant':
      return { tag: args[0], value: args[1] };
    case 'Rec': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < args.length; i += 2) out[args[i] as string] = args[i + 1];
      return out;
    }
    default:
      throw new Error(`unexpected Quint operator ${e.opcode}`);
  }
}

/** Reads `trace` with Quint and checks that every state is what framecheck decodes, field by field. */
function readsBack(trace: ItfTrace): void {
  expect(itfTraceProblems(trace)).toEqual([]);
  const states = ofItf(trace);
  expect(states).toHaveLength(trace.states.length);
  states.forEach((q, i) => {
    const { '#meta': _meta, ...ours } = trace.states[i]!;
    expect(toJs(q)).toEqual(fromItf(ours));
  });
}

const dir = resolve(import.meta.dirname, '../counterexamples');
const files = readdirSync(dir).filter((f) => f.endsWith('.itf.json'));
const read = (f: string): ItfTrace => JSON.parse(readFileSync(f, 'utf8')) as ItfTrace;

beforeAll(async () => {
  requireTools(quintReader());
  ofItf = ((await import(QUINT_ITF)) as { ofItf: OfItf }).ofItf;
});

describe("Quint's ITF reader", () => {
  it('rejects a trace with null, as it rejected the idle threads of older files', () => {
    const idle = { vars: ['threads'], states: [{ threads: [{ op: null }] }] };
    expect(() => ofItf(idle as unknown as ItfTrace)).toThrow();
    expect(itfTraceProblems(idle)).toEqual(['$.states[0].threads[0].op: null (ITF has none)']);
  });

  it.each(files)('reads counterexamples/%s', (f) => {
    const t = read(join(dir, f));
    readsBack(t);
    const last = toJs(ofItf(t).at(-1)!) as Record<string, unknown>;
    expect(last['mbt::actionTaken']).toBe(t.states.at(-1)!['mbt::actionTaken']);
  });
});

describe('fresh traces', () => {
  const out = mkdtempSync(join(tmpdir(), 'framecheck-itf-'));
  const cli = cliIn();
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('check --mutant … --out: idle threads, u64 counts and the slot map read back', async () => {
    const r = await cli('check', '--mutant', 'claim_load_then_store', '--out', out, '--json');
    expect(r.code).toBe(1);
    const file = (JSON.parse(r.out[0]!) as { counterexample: { file: string } }).counterexample.file;
    const t = read(file);
    readsBack(t);
    const first = toJs(ofItf(t)[0]!) as { threads: { op: unknown }[]; slots: Map<bigint, { ref_count: bigint }> };
    expect(first.threads[0]!.op).toEqual({ tag: 'None', value: [] });
    expect(first.slots.get(0n)!.ref_count).toBe(2n ** 64n - 1n);
  });

  it('simulate --mutant … --out', async () => {
    const sim = join(out, 'sim');
    const r = await cli(
      'simulate',
      ...['--frames', '8', '--threads', '4', '--steps', '2000', '--runs', '20', '--seed', '1'],
      ...['--mutant', 'unique_drop_leaks', '--ops', 'alloc,from_in_use,clone,drop,try_into_unique,drop_unique'],
      ...['--out', sim, '--json'],
    );
    expect(r.code).toBe(1);
    const [file] = readdirSync(sim).filter((f) => f.endsWith('.sim.itf.json'));
    const t = read(join(sim, file!));
    expect(t['#meta']!['strategy']).toMatch(/^simulate\//);
    readsBack(t);
  });

  it("the contract layer's violationToItf", () => {
    const region = new CheckedMetaRegion({ maxPaddr: 16 * PAGE_SIZE, mode: 'collect', repark: 'caller' });
    region.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    region.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    const v = region.violations[0]!;
    const t = violationToItf(v, 7) as unknown as ItfTrace;
    readsBack(t);
    const [, after] = ofItf(t).map(toJs) as Record<string, unknown>[];
    expect(after!['mbt::actionTaken']).toBe(v.op);
  });
});
