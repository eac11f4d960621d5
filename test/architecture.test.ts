/**
 * The one import rule: spec/ and impl/ never import each other; they meet in src/contract/view.ts.
 * spec/ is pure (no node: modules, no I/O).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OP_NAMES, OP_TABLE } from '../src/ops/opTable.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('architecture', () => {
  it('spec/ never imports impl/ or src/, nor node built-ins', () => {
    const bad = files('spec').flatMap((f) =>
      imports(f)
        .filter((i) => i.includes('impl/') || i.includes('/src/') || i.startsWith('node:'))
        .map((i) => `${f} -> ${i}`),
    );
    expect(bad).toEqual([]);
  });
  it('impl/ never imports spec/ or src/', () => {
    const bad = files('impl').flatMap((f) =>
      imports(f)
        .filter((i) => i.includes('spec/') || i.includes('/src/'))
        .map((i) => `${f} -> ${i}`),
    );
    expect(bad).toEqual([]);
  });
  it('src/check imports neither src/mutants nor src/conform (subjects are resolved at the edge and passed in)', () => {
    const bad = files('src/check').flatMap((f) =>
      imports(f)
        .filter((i) => /(^|\/)(mutants|conform)\//.test(i))
        .map((i) => `${f.split('\\').join('/')} -> ${i}`),
    );
    expect(bad).toEqual([]);
  });
  it('src/strategies drives the engine only: no front end, no subject source, and the explorer never imports it', () => {
    const bad = files('src/strategies').flatMap((f) =>
      imports(f)
        .filter((i) => /(^|\/)(cli|mutants|conform|subjects|testing)\//.test(i))
        .map((i) => `${f.split('\\').join('/')} -> ${i}`),
    );
    const back = files('src/check').flatMap((f) =>
      imports(f)
        .filter((i) => i.includes('strategies/') && !f.endsWith('checkInstance.ts'))
        .map((i) => `${f.split('\\').join('/')} -> ${i}`),
    );
    expect([...bad, ...back]).toEqual([]);
    expect(imports('src/check/checkInstance.ts').some((i) => i.includes('strategies/'))).toBe(true);
  });
  it('the scan sees the imports it checks', () => {
    expect(imports('src/contract/view.ts').some((i) => i.includes('impl/'))).toBe(true);
    expect(imports('src/contract/view.ts').some((i) => i.includes('spec/'))).toBe(true);
  });
});

/**
 * Op names as string literals. The operation table (src/ops/opTable.ts) is the only place an operation
 * is defined; code elsewhere reaches an operation through it (a field such as `target`, `claims`,
 * `throughZero`, `lists`, or the constants `OP.x` / `OP_TABLE.x`), so a literal spelling an op name is a
 * second definition of the alphabet. Allowed: at most 3 non-test source files (today the table and
 * spec/protocol/FrameProtocol.ts, whose `FrameOpName` and `SEQ_STEPS` spell the names).
 *
 * Scanned: the non-test `.ts`/`.mjs` files under src/, impl/, spec/, proofs/ and bench/ (benchmarks
 * drive operations as the explorer does). Not scanned: `*.test.ts`, `fixtures/` folders (test data),
 * and bench/peers/ (the peer models, each in its own tool's idiom with its own alphabet, are what
 * framecheck is measured against and import nothing of it).
 *
 * How a literal is found: comments are blanked first (one regex matches a string or a comment at each
 * position, so a `//` inside a string is not a comment); then every `'x'`, `"x"` or `` `x` `` whose text
 * is an op name is a candidate. A name with an underscore (`from_in_use`) means nothing but the
 * operation, so each one counts. A generic name — one word (`drop`, `alloc`, `meta`, `read`, `write`,
 * `clone`, `borrow`, `repurpose`), or one spelled like its own Rust item (`inc_frame_ref_count`) — also
 * names FrameLayer methods, memory access kinds, page-table purposes and Rust items, so it counts only in
 * an op context, judged on the code before it in its statement (after the last `;`, `{` or `}`):
 *   - compared with an op variable or field: `op === 'x'`, `o !== 'x'`, `e.f === 'x'`, `sub.kind === 'x'`
 *     (/\b(?:op|o|f|kind)\s*[!=]==?\s*$/), or the literal first: `'x' === op`;
 *   - a `case 'x':` label (/\bcase\s*$/);
 *   - an op field: `op: 'x'`, `f: 'x'` (/\b(?:op|f)\s*:\s*$/);
 *   - an item of an op list or an argument of an op function: after a word that names ops (`ops`,
 *     `alphabet`, `…Op`, `…Ops`, `…OPS`, `…OpName`, `StepKind`), an opening `[`, `(` or `,`, and only
 *     earlier items: `ops: ['x']`, `FrameOpName[] = [OP.a, 'x']`, `alphabet.includes('x')`,
 *     `usesOp(inst, 'x')`, `new Set<FrameOpName>(['x'])` (OP_LIST_CONTEXT below).
 * Out of scope: instance strings in the CLI's syntax (`'from_unused,from_in_use,drop'`), which are not
 * equal to an op name; a message that mentions an op in its prose.
 */
const OP_LITERAL_FILES_MAX = 3;
const OP_NAME_SET: ReadonlySet<string> = new Set(OP_NAMES);
const GENERIC_OP_NAMES: ReadonlySet<string> = new Set(
  OP_NAMES.filter((o) => !o.includes('_') || OP_TABLE[o].rust === o),
);
const TOKEN = /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
const COMPARED = /\b(?:op|o|f|kind)\s*[!=]==?\s*$/;
const COMPARED_AFTER = /^\s*[!=]==?\s*[\w.]*\b(?:op|o|f|kind)\b/;
const CASE = /\bcase\s*$/;
const OP_FIELD = /\b(?:op|f)\s*:\s*$/;
const OP_LIST_CONTEXT =
  /\b(?:ops|alphabet|\w*Ops?|\w*OPS|\w*OpName|StepKind)\b[^;'"]*?[[(,]\s*(?:(?:'[^'\n]*'|"[^"\n]*"|[\w.]+)\s*,\s*)*$/;

/** The op-name literals of a source text (comments ignored), each with its line. */
export function opNameLiterals(text: string): { line: number; name: string }[] {
  const code = text.replace(TOKEN, (t) => (t.startsWith('/') ? t.replace(/[^\n]/g, ' ') : t));
  const out: { line: number; name: string }[] = [];
  for (const m of code.matchAll(TOKEN)) {
    const name = m[0].slice(1, -1);
    const at = m.index!;
    // a template's `${…}` holds code: its literals are scanned as well
    if (m[0].startsWith('`') && name.includes('${')) {
      const line = code.slice(0, at).split('\n').length - 1;
      out.push(...opNameLiterals(name).map((x) => ({ line: x.line + line, name: x.name })));
      continue;
    }
    if (!OP_NAME_SET.has(name)) continue;
    if (GENERIC_OP_NAMES.has(name)) {
      const window = code.slice(Math.max(0, at - 300), at);
      const before = window.slice(
        Math.max(window.lastIndexOf(';'), window.lastIndexOf('{'), window.lastIndexOf('}')) + 1,
      );
      const after = code.slice(at + m[0].length, at + m[0].length + 60);
      const inOpContext =
        COMPARED.test(before) ||
        COMPARED_AFTER.test(after) ||
        CASE.test(before) ||
        OP_FIELD.test(before) ||
        OP_LIST_CONTEXT.test(before);
      if (!inOpContext) continue;
    }
    out.push({ line: code.slice(0, at).split('\n').length, name });
  }
  return out;
}

function scannedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'fixtures' || p === join('bench', 'peers') ? [] : scannedSources(p);
    return /\.(ts|mjs)$/.test(p) && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('op names are spelled in at most 3 non-test source files', () => {
  it('src/, impl/, spec/, proofs/ and bench/ name operations through the table', () => {
    const hits = ['src', 'impl', 'spec', 'proofs', 'bench']
      .flatMap(scannedSources)
      .map((f) => ({ file: f.split('\\').join('/'), found: opNameLiterals(readFileSync(f, 'utf8')) }))
      .filter((h) => h.found.length > 0);
    const listing = hits.map((h) => `${h.file}: ${h.found.map((x) => `${x.line}:'${x.name}'`).join(' ')}`);
    expect(hits.length, `op-name literals in ${hits.length} files:\n${listing.join('\n')}`).toBeLessThanOrEqual(
      OP_LITERAL_FILES_MAX,
    );
    // the scan reads what it judges: `FrameOpName` spells every name, and each one that is not generic counts
    const spelled = opNameLiterals(readFileSync('spec/protocol/FrameProtocol.ts', 'utf8')).map((x) => x.name);
    expect(OP_NAMES.filter((o) => !GENERIC_OP_NAMES.has(o) && !spelled.includes(o))).toEqual([]);
    expect(hits.map((h) => h.file)).toContain('spec/protocol/FrameProtocol.ts');
  });

  it('the scan counts op uses and skips the other meanings of a generic name', () => {
    const found = (src: string) => opNameLiterals(src).map((x) => x.name);
    // op uses, generic or not
    expect(found(`if (op === 'from_in_use') x();`)).toEqual(['from_in_use']);
    expect(found(`const teardown = op === 'drop' || op === 'drop_unique' || e.f !== 'alloc';`)).toEqual([
      'drop',
      'drop_unique',
      'alloc',
    ]);
    expect(found(`switch (l.op) {\n  case 'clone':\n}`)).toEqual(['clone']);
    expect(found(`return { t, op: 'drop', frame: 0 };`)).toEqual(['drop']);
    expect(found(`ev.push({ f: 'alloc' });`)).toEqual(['alloc']);
    expect(found(`const p = { ops: [OP.clone, 'drop'], x: 1 };`)).toEqual(['drop']);
    expect(found(`const I: readonly FrameOpName[] = ['from_in_use', 'clone'];`)).toEqual(['from_in_use', 'clone']);
    expect(found(`if (alphabet.includes('alloc')) y();`)).toEqual(['alloc']);
    expect(found(`return usesOp(inst, 'alloc');`)).toEqual(['alloc']);
    expect(found(`const D: ReadonlySet<StepKind> = new Set(['drop']);`)).toEqual(['drop']);
    expect(found(`if ('read' === o) z();`)).toEqual(['read']);
    // the other meanings, and comments
    expect(found(`m.bootPt.mapBasePages('meta', 0, 0, 1);`)).toEqual([]);
    expect(found(`const K: readonly Access['kind'][] = ['load', 'read', 'write'];`)).toEqual([]);
    expect(found(`const w = e.kind === 'R' ? 'read' : 'write';`)).toEqual([]);
    expect(found(`const x = LAYER_OPS.find((o) => o.method === 'clone')!;`)).toEqual([]);
    expect(found(`for (const k of ['clone', 'drop', 'intoShared'] as const) g(k);`)).toEqual([]);
    expect(found(`const s = { name: 'inc_frame_ref_count', rust: 'inc_frame_ref_count' };`)).toEqual([]);
    expect(found(`// op === 'from_in_use'\n/* case 'drop': */ const u = "a // 'b'";`)).toEqual([]);
    expect(found(`const s = 'Frame::from_unused'; const t = 'from_unused,drop';`)).toEqual([]);
    expect(found("const n = `${u ? 'unique_from_unused' : 'from_unused'}(${f})`;")).toEqual(['from_unused']);
  });
});
